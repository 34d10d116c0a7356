"""Reading the Markdown files on every core (cold builds).

Pelican reads one file after another on one core; reading is most of a cold build (Markdown,
typography, the sanitizer and the personal-data scan: about 5 ms a post). When a generator is
about to read (its ``*_preread`` signal), the files that are not in Pelican's content cache
are read ahead by worker processes (``fork``, so they share the settings, the loaded code and
the generator's own reader objects), and the generator's readers hand each result to Pelican
when Pelican asks for that file (``serve``). The result is the same object the reader would
have returned: the tests build the same site both ways and compare every file.

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

from . import workers

DEFAULTS = {
    "PORTAL_READ_WORKERS": 0,  # worker processes; 0 = one per core; 1 = no workers
    "PORTAL_READ_PARALLEL_MIN": 40,  # fewer files to read than this: read them in turn
}

_WORKER: dict = {}  # in a worker process (inherited through fork): the readers to use


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
    """In a worker: read one file with the generator's own reader; (path, result or None, logs)."""
    reader = _WORKER["readers"][os.path.splitext(path)[1].lstrip(".")]
    with workers.captured_logs() as records:
        try:
            content, metadata = reader.read(path)
            result = (content, pack(metadata))
        except Exception:  # noqa: BLE001 - Pelican reads it again and reports the error itself
            result = None
    return path, result, records


def read_ahead(settings: dict, paths: list[str], readers: dict) -> dict[str, tuple]:
    """Read *paths* in worker processes with *readers* (format -> the generator's reader);
    {path: (content, packed metadata)}."""
    count = min(workers.count(settings, "PORTAL_READ_WORKERS"), len(paths))
    if count < 2 or not workers.can_fork():
        return {}
    _WORKER.clear()
    _WORKER["readers"] = readers
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
            "portal_engine: đọc song song bị gián đoạn; đọc tuần tự các tệp còn lại.")
    finally:
        _WORKER.clear()
    return results


def pending(generator, paths_key: str, excludes_key: str, extensions) -> list[str]:
    """Absolute paths of the generator's source files that are not in the content cache.

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


def serve(reader, results: dict, settings: dict) -> None:
    """Make *reader* hand out the results read ahead (each once) before reading by itself.

    Only this reader object (one generator's, one build's) is changed: its ``read`` becomes
    a function that looks the file up first. Its class and everything else stay as they are.
    """
    read = reader.read

    def read_prefetched(source_path):
        found = results.pop(os.path.abspath(source_path), None)
        if found is None:
            return read(source_path)
        content, metadata = found
        return content, unpack(metadata, settings)

    reader.read = read_prefetched


def prefetch(generator, paths_key: str, excludes_key: str) -> int:
    """Once per generator, before its first file is read: read its pending files ahead.

    Connected to the generator's ``*_preread`` signal, which Pelican sends before every file:
    the generator's ``Readers`` object is marked the first time.
    """
    readers = generator.readers
    if getattr(readers, "portal_prefetched", False):
        return 0
    readers.portal_prefetched = True
    settings = generator.settings
    if workers.count(settings, "PORTAL_READ_WORKERS") < 2:
        return 0
    formats = {fmt: reader for fmt, reader in readers.readers.items() if reader is not None}
    paths = pending(generator, paths_key, excludes_key, formats)
    if len(paths) < int(settings.get("PORTAL_READ_PARALLEL_MIN", 40)):
        return 0
    results = read_ahead(settings, paths, formats)
    if results:
        for reader in dict.fromkeys(formats.values()):
            serve(reader, results, settings)
    return len(results)
