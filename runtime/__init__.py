"""The leaf runtime: settings, the database, job runners and the context that holds them.

It imports nothing of the project, so every layer may use it and none is pulled in by it.
"""

from runtime.context import Context, enqueue_after_commit
from runtime.database import Database, make_engine
from runtime.runners import InProcessRunner, JobRunner, RqRunner
from runtime.settings import Settings

__all__ = [
    "Context",
    "Database",
    "InProcessRunner",
    "JobRunner",
    "RqRunner",
    "Settings",
    "enqueue_after_commit",
    "make_engine",
]
