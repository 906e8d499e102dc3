"""E-mail backends that fail on purpose, to test retries and crashes of the sending worker."""

from django.core.mail.backends import locmem


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
        import time

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
