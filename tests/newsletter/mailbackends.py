"""E-mail backends that fail on purpose, to test retries and crashes of the sending worker."""

import os
import time

from django.core.mail.backends import filebased, locmem


class WorkerKilled(BaseException):
    """Stands in for the worker process being killed: nothing of ours catches it."""


class FlakyBackend(locmem.EmailBackend):
    """The locmem backend, but the n-th message (counted over all instances) raises `fail_on[n]`.

    `always` makes every message fail; `pause` sleeps before each message (to overlap workers).
    """

    fail_on: dict = {}
    always: BaseException | None = None
    pause: float = 0.0
    calls = 0

    @classmethod
    def reset(cls, *, fail_on=None, always=None, pause=0.0):
        cls.fail_on, cls.always, cls.pause, cls.calls = dict(fail_on or {}), always, pause, 0

    def send_messages(self, messages):
        sent = 0
        for message in messages:
            type(self).calls += 1
            error = self.always or self.fail_on.get(type(self).calls)
            if error is not None:
                raise error
            if self.pause:
                time.sleep(self.pause)
            sent += super().send_messages([message])
        return sent


class SlowFileBackend(filebased.EmailBackend):
    """The file backend, first waiting TEST_MAIL_PAUSE seconds per message (a slow mail server).

    For tests that run a real worker process and stop or kill it while it hands e-mails over.
    """

    def write_message(self, message):
        time.sleep(float(os.environ.get("TEST_MAIL_PAUSE", "0")))
        super().write_message(message)
