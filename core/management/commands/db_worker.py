"""`manage.py db_worker`: django-tasks-db's worker, made to survive its own death (core/worker.py).

The same options as django-tasks-db's command. On start it cleans up after workers that died
(their tasks marked orphaned, the e-mails they were handing over marked uncertain) and queues
interrupted work again, so a killed and restarted worker goes on with an issue by itself. While
it runs it keeps a heartbeat and does the same for other workers that die. On SIGTERM or SIGINT
it finishes the e-mail in hand and stops within seconds; a second signal stops it at once.
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker as library

from core import worker as lifecycle


class Worker(library.Worker):
    def shutdown(self, signum, frame):
        # Tasks that send many e-mails look at this between two of them.
        lifecycle.request_stop()
        super().shutdown(signum, frame)


class Command(library.Command):
    help = (
        "Run the background worker. It recovers what a crashed worker left behind and, on "
        "SIGTERM, finishes the e-mail in hand and stops."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Made when the worker starts (host:pid:random), so that a dead worker's claims can be
        # recognised; the library's default is a random string made at import.
        parser.set_defaults(worker_id=None)

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise library.CommandError("--exclude-queues can only be used with --queue-name=*")

        the_worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id or lifecycle.new_worker_id(),
            excluded_queue_names=excluded,
        )
        if reload:
            # The reloader's parent only watches files and restarts the child, which does the
            # work in a thread; signals can be set in the main thread only.
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                the_worker.configure_signals()
            run_with_reloader(self.run_worker, the_worker)
        else:
            the_worker.configure_signals()
            self.run_worker(the_worker)

    def run_worker(self, the_worker: Worker) -> None:
        lifecycle.use_worker_id(the_worker.worker_id)
        lifecycle.clear_stop()
        heartbeat = lifecycle.Heartbeat(the_worker.worker_id)
        heartbeat.start()
        try:
            lifecycle.recover()
            lifecycle.resume()
            the_worker.run()
        finally:
            heartbeat.stop()
