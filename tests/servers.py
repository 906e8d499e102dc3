"""Local servers that fail the way real ones do: a Redis that hangs, a mail server that refuses.

Each runs in a thread of the test process on a free port of 127.0.0.1 and is stopped by its
context manager.
"""

import contextlib
import socket
import socketserver
import threading
from email import message_from_bytes, policy


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextlib.contextmanager
def serving(handler_class, **attributes):
    """Run a server with `handler_class` in a thread; yields the server (`.port`, attributes)."""
    server = _Server(("127.0.0.1", 0), handler_class)
    server.port = server.server_address[1]
    for name, value in attributes.items():
        setattr(server, name, value)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _Hanging(socketserver.BaseRequestHandler):
    def handle(self):
        self.server.connections += 1
        # Reads whatever comes and never answers, until the client gives up and closes.
        with contextlib.suppress(OSError):
            while self.request.recv(65536):
                pass


@contextlib.contextmanager
def hanging_server():
    """A server that accepts connections and never says a word (a Redis that hangs)."""
    with serving(_Hanging, connections=0) as server:
        yield server


class _SMTP(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.

    The server's `mode` decides: "accept" keeps every message in `server.messages`;
    "refuse" answers a new connection with 421 and closes it (a server that is down for
    maintenance); "tempfail" answers MAIL FROM with 451 (try again later); "reject" answers
    RCPT TO with 550 (no such mailbox).
    """

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        server = self.server
        server.connections += 1
        if server.mode == "refuse":
            self.reply("421 4.3.2 Service not available, try again later")
            return
        self.reply("220 localhost test SMTP")
        sender, recipients = None, []
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-localhost" if verb == "EHLO" else "250 localhost")
                if verb == "EHLO":
                    self.reply("250 8BITMIME")
            elif verb == "MAIL":
                if server.mode == "tempfail":
                    self.reply("451 4.3.0 Mail server temporarily out of order")
                    continue
                sender, recipients = command[10:].strip(), []
                self.reply("250 OK")
            elif verb == "RCPT":
                if server.mode == "reject":
                    self.reply("550 5.1.1 Mailbox unavailable")
                    continue
                recipients.append(command[8:].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                server.messages.append(
                    {
                        "from": sender,
                        "to": recipients,
                        "message": message_from_bytes(b"".join(data), policy=policy.default),
                    }
                )
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


@contextlib.contextmanager
def smtp_server(mode: str = "accept"):
    """A local mail server; set `server.mode` to change how it answers the next connection."""
    with serving(_SMTP, mode=mode, messages=[], connections=0) as server:
        yield server
