"""An RQ SimpleWorker that works jobs in the test process and leaves the process as it was.

RQ's worker installs its SIGINT and SIGTERM handlers and renames the process (setproctitle).
In a test process both outlive the worker: Ctrl-C or a SIGTERM to the run then only asks a
worker long gone to stop (the run goes on), and `ps` shows the run as `rq:worker:...`."""

from __future__ import annotations

from rq import SimpleWorker


class InProcessWorker(SimpleWorker):
    """`InProcessWorker(queues, connection=...).work(burst=True)`, without RQ's signal
    handlers and process title."""

    def _install_signal_handlers(self) -> None:
        pass

    def procline(self, message: str) -> None:
        pass
