"""Reading the Markdown files on every core (cold builds).

Pelican reads one file after another on one core; reading is most of a cold build (Markdown,
typography, the sanitizer and the personal-data scan: about 5 ms a post). When a generator is
about to read, the posts that are not in Pelican's content cache are read ahead by worker
processes (``fork``, so they share the settings and the loaded code), and the reader hands
each result to Pelican when Pelican asks for that file. The result is the same object the
reader would have returned: the tests build the same site both ways and compare every file.

- Only what the reader returns crosses processes: the HTML and the metadata, with Pelican's
  Tag/Category/Author objects sent as names and rebuilt with the build's settings. Log
  records of the workers (warnings: ``--fatal warnings`` must still see them) are logged
  again by the build process.
- A file a worker could not read is simply read again by Pelican, which reports the error as
  it always does. Without ``fork`` (Windows), with one core or with fewer than
  ``PORTAL_READ_PARALLEL_MIN`` files to read, nothing changes.
"""

from __future__ import annotations

import logging
import os

from . import state, workers

DEFAULTS = {
    "PORTAL_READ_WORKERS": 0,  # worker processes; 0 = one per core; 1 = no workers
    "PORTAL_READ_PARALLEL_MIN": 40,  # fewer files to read than this: read them in turn
}

_WORKER: dict = {}  # in a worker process: the settings and its reader


class Wrapped:
    """A Pelican Tag/Category/Author by class name and name (rebuilt with the settings)."""

    __slots__ = ("kind", "name")

    def __init__(self, kind: str, name: str):
        self.kind, self.name = kind, name

    def __reduce__(self):
        return (Wrapped, (self.kind, self.name))


def pack(value):
    """Metadata made small for pickling: URL wrappers become ``Wrapped``."""
    from pelican.urlwrappers import URLWrapper

    if isinstance(value, URLWrapper):
        return Wrapped(type(value).__name__, value.name)
    if isinstance(value, list):
        return [pack(item) for item in value]
    if isinstance(value, tuple):
        return tuple(pack(item) for item in value)
    if isinstance(value, dict):
        return {key: pack(item) for key, item in value.items()}
    return value


def unpack(value, settings: dict):
    from pelican import urlwrappers

    if isinstance(value, Wrapped):
        return getattr(urlwrappers, value.kind)(value.name, settings)
    if isinstance(value, list):
        return [unpack(item, settings) for item in value]
    if isinstance(value, tuple):
        return tuple(unpack(item, settings) for item in value)
    if isinstance(value, dict):
        return {key: unpack(item, settings) for key, item in value.items()}
    return value


def _read_one(path: str):
    """In a worker: read one file with the portal's reader; (path, result or None, logs)."""
    from .reader import PortalMarkdownReader

    reader = _WORKER.get("reader")
    if reader is None:
        reader = _WORKER["reader"] = PortalMarkdownReader(_WORKER["settings"])
    with workers.captured_logs() as records:
        try:
            content, metadata = reader.read(path, prefetched=False)
            result = (content, pack(metadata))
        except Exception:  # noqa: BLE001 - Pelican reads it again and reports the error itself
            result = None
    return path, result, records


def read_ahead(settings: dict, paths: list[str]) -> dict[str, tuple]:
    """Read *paths* in worker processes; {path: (content, packed metadata)}."""
    count = min(workers.count(settings, "PORTAL_READ_WORKERS"), len(paths))
    if count < 2 or not workers.can_fork():
        return {}
    _WORKER.clear()
    _WORKER["settings"] = settings
    results: dict[str, tuple] = {}
    try:
        with workers.pool(count) as pool:
            chunk = max(1, min(32, len(paths) // (count * 4)))
            for path, result, records in pool.map(_read_one, paths, chunksize=chunk):
                workers.replay(records)
                if result is not None:
                    results[path] = result
    except workers.BrokenProcessPool:  # a worker died (out of memory…): Pelican reads the rest
        logging.getLogger(__name__).warning(
            "portal_core: đọc song song bị gián đoạn; đọc tuần tự các tệp còn lại.")
    finally:
        _WORKER.clear()
    return results


def pending(generator, paths_key: str, excludes_key: str, extensions) -> list[str]:
    """Absolute paths of the generator's Markdown files that are not in the content cache.

    A file the cache knows is left to Pelican, which checks its hash when it reads it (a
    changed file is then read in turn): hashing every file here too would cost a second read
    of the whole content on every warm build.
    """
    found = []
    readers = generator.readers
    known = getattr(readers, "_cache", None)  # Pelican's FileDataCacher dict: path -> entry
    for rel in generator.get_files(generator.settings[paths_key],
                                   exclude=generator.settings[excludes_key]):
        if os.path.splitext(rel)[1].lstrip(".") not in extensions:
            continue
        path = os.path.abspath(os.path.join(generator.path, rel))
        if isinstance(known, dict):
            if path not in known:
                found.append(path)
        elif readers.get_cached_data(path, (None, None))[0] is None:
            found.append(path)
    return found


def prefetch(generator, paths_key: str, excludes_key: str) -> int:
    """Once per generator, before its first file is read: read its pending files ahead."""
    from .reader import PortalMarkdownReader

    settings = generator.settings
    run = state.run_state(settings)
    done = run.setdefault("prefetch_done", set())
    if id(generator) in done:
        return 0
    done.add(id(generator))
    if workers.count(settings, "PORTAL_READ_WORKERS") < 2:
        return 0
    paths = pending(generator, paths_key, excludes_key, PortalMarkdownReader.file_extensions)
    if len(paths) < int(settings.get("PORTAL_READ_PARALLEL_MIN", 40)):
        return 0
    results = read_ahead(settings, paths)
    run.setdefault("prefetched", {}).update(results)
    return len(results)


def take(settings: dict, path: str):
    """The result read ahead for *path* (once), or None."""
    run = settings.get(state.STATE_KEY)
    stored = run.get("prefetched") if isinstance(run, dict) else None
    if not stored:
        return None
    found = stored.pop(os.path.abspath(path), None)
    if found is None:
        return None
    content, metadata = found
    return content, unpack(metadata, settings)
