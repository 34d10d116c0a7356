"""Worker processes shared by reading (prefetch.py) and rendering (parallel_writer.py).

Workers are forked, so they share the settings, the templates and the content already
loaded; only results cross back. Their warnings are collected and logged again by the build
process (``--fatal warnings`` must see them). A worker that dies makes the pool raise
``BrokenProcessPool``: the caller then does the work itself.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

__all__ = ["BrokenProcessPool", "can_fork", "captured_logs", "count", "pool", "replay"]


def count(settings: dict, key: str) -> int:
    """Worker processes wanted by setting *key*: 0 (or unset) means one per core."""
    wanted = int(settings.get(key) or 0)
    return wanted if wanted > 0 else (os.cpu_count() or 1)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record):
        self.records.append((record.name, record.levelno, record.getMessage()))


@contextlib.contextmanager
def captured_logs():
    """In a worker: collect the warnings logged inside the block (a list, to send back)."""
    handler = _Records()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)


def replay(records) -> None:
    """In the build process: log again what a worker logged."""
    for name, level, message in records:
        logging.getLogger(name).log(level, "%s", message)
