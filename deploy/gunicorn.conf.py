"""gunicorn's settings for feelmove: `gunicorn -c deploy/gunicorn.conf.py feelmove.wsgi`.

Read from the same environment as the site (deploy/feelmove.env):

- GUNICORN_BIND      where to listen (default 127.0.0.1:8000; several servers: their own address)
- WEB_CONCURRENCY    worker processes (default 1); `check --deploy` wants REDIS_URL above 1
- GUNICORN_THREADS   threads per worker (default 4), so one process serves several readers
- FORWARDED_ALLOW_IPS  proxies whose X-Forwarded-Proto gunicorn believes (gunicorn's own variable)
- LOG_FORMAT         `text` (default) or `json`, as for the site's own log lines

The access log shows each response's duration and the page cache's answer (X-Page-Cache: hit,
miss, bypass, skip; `-` for responses it does not handle). It leaves out the client's address:
nginx's log has it. No `Server: gunicorn` header is sent.
"""

import os

from gunicorn.http import wsgi

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request that takes longer is a bug or an attack; nginx gives up after 60 s as well.
timeout = 60
graceful_timeout = 30
# nginx keeps connections to the app servers open (upstream keepalive).
keepalive = 15
# Workers are replaced now and then, at different times, so that nothing grows for weeks.
max_requests = 20000
max_requests_jitter = 2000
# gunicorn 24+ opens a control socket in the home folder; two sites on one machine would share
# it, and nothing here uses it.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
# Duration in seconds with microseconds: a page from the cache takes well under a millisecond.
access_log_format = '%(t)s "%(r)s" %(s)s %(B)s %(L)ss cache=%({x-page-cache}o)s'

if os.environ.get("LOG_FORMAT", "text").strip().lower() == "json":
    # The same JSON lines as the site's own log (feelmove/logformat.py).
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "feelmove.logformat.JsonFormatter"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
            },
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        },
    }


# gunicorn always names itself in a Server header; nothing needs to know what serves the site.
_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [line for line in _default_headers(self) if not line.startswith("Server:")]


wsgi.Response.default_headers = _default_headers_without_server
