"""The search index in parts (shards), each built by its own Pagefind run, cached by content.

Pagefind holds the whole index in memory while it builds it: about 250 KB per Vietnamese
page (every word with tone marks keeps its original spelling next to the folded one), so
one index of 5,000 posts needs 1.1–1.3 GB. The portal therefore indexes its pages in
shards of at most ``PORTAL_SEARCH_SHARD_PAGES`` pages, one Pagefind run each, and the
search page merges them in the browser (Pagefind's ``mergeIndex``: the merged indexes
share the first one's WebAssembly, so a reader downloads only their small entry and meta
files and the index chunks of the words searched).

- Shards are whole **school years**, packed from the oldest: adding posts to the current
  year changes only the newest shard, so older shards stay byte-identical and their
  Pagefind output is reused from the cache (``CACHE_PATH/search/<key>/``, the key being a
  hash of the Pagefind version and of every indexed file of the shard, name and bytes).
- The newest shard also holds the undated pages (Liên hệ, Giới thiệu…) and is written to
  ``/pagefind/`` (the primary index); older shards to ``/pagefind/<first>-<last>/``
  ("2017-2021": school years 2017–2018 … 2020–2021). ``/pagefind/manh.json`` lists them for
  the search page.
- A site that fits in one shard (the demo, a school's first year or so) gets exactly one
  index at ``/pagefind/`` as before.
- Pagefind answers each shard on its own: in a shard where one word of a query occurs
  nowhere, it also lists pages holding the other words (ranked lower).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

# The file the search page reads to find the other shards (relative to the site base).
SHARDS_FILE = "manh.json"
BUNDLE = "pagefind"


class SearchIndexError(Exception):
    """Pagefind could not build the search index: the build must fail."""

    exitcode = 1


@dataclass
class Shard:
    """One Pagefind index: its folder under the output and the pages it holds."""

    bundle: str  # "pagefind" or "pagefind/2017-2021"
    files: list[str] = field(default_factory=list)  # output-relative paths, "/" separated
    years: list[int] = field(default_factory=list)  # school-year starts it covers

    @property
    def primary(self) -> bool:
        return self.bundle == BUNDLE


def plan_shards(pages: list[tuple[str, int | None]], limit: int) -> list[Shard]:
    """Group indexed pages ``(output-relative path, school-year start or None)`` into shards.

    Whole school years are packed from the oldest while a shard stays within *limit* pages
    (a single year larger than *limit* makes a shard of its own); undated pages go to the
    newest shard, which is the primary one. Returns the older shards first, the primary last.
    """
    limit = max(1, int(limit))
    by_year: dict[int, list[str]] = {}
    undated: list[str] = []
    for path, year in pages:
        (undated if year is None else by_year.setdefault(int(year), [])).append(path)
    groups: list[tuple[list[int], list[str]]] = []
    for year in sorted(by_year):
        files = sorted(by_year[year])
        if groups and len(groups[-1][1]) + len(files) <= limit:
            groups[-1][0].append(year)
            groups[-1][1].extend(files)
        else:
            groups.append(([year], files))
    if undated:
        if groups and len(groups[-1][1]) + len(undated) <= limit:
            groups[-1][1].extend(sorted(undated))
        else:
            groups.append(([], sorted(undated)))
    shards = []
    for index, (years, files) in enumerate(groups):
        last = index == len(groups) - 1
        name = BUNDLE if last else f"{BUNDLE}/{years[0]}-{years[-1] + 1}"
        shards.append(Shard(name, files, years))
    return shards


def pagefind_version() -> str:
    """The installed Pagefind's version (part of the cache key)."""
    try:
        from importlib.metadata import version

        return version("pagefind_bin")
    except Exception:  # noqa: BLE001 - any failure only makes the cache key less specific
        return "unknown"


def shard_key(output: str, shard: Shard, version: str) -> str:
    """A hash of everything Pagefind's output for *shard* depends on."""
    digest = hashlib.sha256(f"pagefind {version}\n{shard.bundle}\n".encode())
    for rel in sorted(shard.files):
        with open(os.path.join(output, rel), "rb") as handle:
            content = hashlib.sha256(handle.read()).hexdigest()
        digest.update(f"{rel}\0{content}\n".encode())
    return digest.hexdigest()[:32]


def _link_or_copy(source: str, target: str) -> None:
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def copy_tree(source: str, target: str) -> None:
    """Copy a bundle folder (hard links where the file system allows: they cost nothing)."""
    for base, _, names in os.walk(source):
        for name in names:
            path = os.path.join(base, name)
            _link_or_copy(path, os.path.join(target, os.path.relpath(path, source)))


def pagefind_command(site: str, bundle_path: str, python: str | None = None,
                     nice: int = 0) -> list[str]:
    """The Pagefind command; with *nice*, at a lower priority (POSIX ``nice``) so that it
    only takes the CPU time Pelican leaves."""
    command = [python or sys.executable, "-m", "pagefind", "--site", site,
               "--output-path", bundle_path, "--quiet"]
    runner = shutil.which("nice") if nice else None
    return [runner, "-n", str(nice), *command] if runner else command


def run_pagefind(site: str, bundle_path: str, python: str | None = None,
                 timeout: int = 300, nice: int = 0) -> str:
    """Index the HTML files under *site* into *bundle_path*; raise SearchIndexError."""
    command = pagefind_command(site, bundle_path, python, nice)
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(
            f"portal_search: không chạy được Pagefind để lập chỉ mục tìm kiếm ({error}). "
            "Cài đặt: pip install -r requirements.txt") from error
    log = (result.stdout or "") + (result.stderr or "")
    if result.returncode != 0 or not os.path.isfile(os.path.join(bundle_path, "pagefind.js")):
        raise SearchIndexError(
            "portal_search: Pagefind lỗi khi lập chỉ mục tìm kiếm "
            f"(mã {result.returncode}): {log.strip()[-2000:]}")
    return log


def build_shard(output: str, shard: Shard, cache: str | None, key: str | None,
                python: str | None = None, timeout: int = 300, nice: int = 0) -> bool:
    """Write *shard*'s index to ``output/<bundle>/``; True when it came from the cache.

    Pagefind indexes a folder holding only the shard's pages (hard links with the same
    relative paths, so the URLs in the index are the real ones).
    """
    target = os.path.join(output, *shard.bundle.split("/"))
    stored = os.path.join(cache, key) if cache and key else None
    if stored and os.path.isfile(os.path.join(stored, "pagefind-entry.json")):
        copy_tree(stored, target)
        return True
    parent = cache or output
    os.makedirs(parent, exist_ok=True)
    work = tempfile.mkdtemp(prefix=".shard-", dir=parent)  # one per run: shards run side by side
    site = os.path.join(work, "site")
    try:
        for rel in shard.files:
            _link_or_copy(os.path.join(output, rel), os.path.join(site, rel))
        if stored:
            partial = os.path.join(work, "bundle")
            run_pagefind(site, partial, python, timeout, nice)
            shutil.rmtree(stored, ignore_errors=True)
            os.replace(partial, stored)
            copy_tree(stored, target)
        else:
            run_pagefind(site, target, python, timeout, nice)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return False


def prune_cache(cache: str, keep: set[str]) -> None:
    """Remove cached shard bundles this build did not use."""
    if not os.path.isdir(cache):
        return
    for name in os.listdir(cache):
        if name not in keep:
            shutil.rmtree(os.path.join(cache, name), ignore_errors=True)


class IndexBuilder:
    """Builds one build's index, each shard as soon as all of its pages are written.

    The pages to index are known before writing starts (the posts and pages Pelican will
    write). When pages are rendered as they are written, each shard's Pagefind run starts in
    a background thread the moment its last page is written, at a lower priority, while
    Pelican writes the rest of the site (tags, categories, topics, sections…); one at a time.
    When rendering is left to workers (portal_engine/parallel_writer.py) the pages are empty
    until ``finalized``, so portal_search does not call ``written`` and every shard is built
    in ``finish``, ``concurrent`` at a time. ``finish`` also checks the shards against the
    pages really written: a shard whose pages differ from the expected ones is built again.
    """

    def __init__(self, output: str, expected: list[tuple[str, int | None]], limit: int,
                 cache: str | None = None, python: str | None = None, timeout: int = 300,
                 background_nice: int = 10, concurrent: int = 2):
        self.output, self.limit, self.cache = output, max(1, int(limit)), cache
        self.python, self.timeout = python, timeout
        # Pagefind runs at a lower priority while Pelican is still writing: it takes the
        # CPU time Pelican leaves (the other cores) without slowing the writing down.
        self.background_nice = background_nice
        # Shards still to build when writing ends run this many at a time (Pagefind uses
        # every core for parsing, but a small shard's index is built on one).
        self.concurrent = max(1, int(concurrent))
        self.version = pagefind_version()
        self.planned = {shard.bundle: shard for shard in plan_shards(expected, self.limit)}
        self.waiting = {bundle: set(shard.files) for bundle, shard in self.planned.items()}
        self.owner = {rel: bundle for bundle, shard in self.planned.items() for rel in shard.files}
        self.jobs: dict[str, tuple[tuple[str, ...], object]] = {}
        self.pool = None
        shutil.rmtree(os.path.join(output, BUNDLE), ignore_errors=True)  # no stale shard left
        if cache:
            os.makedirs(cache, exist_ok=True)

    def written(self, rel: str) -> None:
        """A page was written (output-relative path): start its shard if it was the last."""
        bundle = self.owner.get(rel)
        if bundle is None:
            return
        waiting = self.waiting[bundle]
        waiting.discard(rel)
        if not waiting and bundle not in self.jobs:
            if self.pool is None:
                self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pagefind")
            shard = self.planned[bundle]
            self.jobs[bundle] = (tuple(shard.files),
                                 self.pool.submit(self._build, shard, self.background_nice))

    def _build(self, shard: Shard, nice: int = 0) -> tuple[str | None, bool]:
        """(cache key, whether the cache had it) for one shard built into the output."""
        key = shard_key(self.output, shard, self.version) if self.cache else None
        return key, build_shard(self.output, shard, self.cache, key, self.python, self.timeout,
                                nice)

    def _clear(self, bundle: str, keep: set[str]) -> None:
        """Remove a bundle's files (not the folders of other shards inside /pagefind/)."""
        target = os.path.join(self.output, *bundle.split("/"))
        if bundle != BUNDLE:
            shutil.rmtree(target, ignore_errors=True)
            return
        for name in os.listdir(target) if os.path.isdir(target) else []:
            path = os.path.join(target, name)
            if f"{BUNDLE}/{name}" in keep:
                continue
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)

    def finish(self, pages: list[tuple[str, int | None]]) -> dict:
        """Wait for the background runs, build what is missing or stale, write the list."""
        shards = plan_shards(pages, self.limit)
        done = {}
        try:
            for bundle, (files, job) in self.jobs.items():
                if job.cancel():  # not started yet: built below with every core
                    continue
                done[bundle] = (files, job.result())  # a failed run raises SearchIndexError
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True)
        names = {shard.bundle for shard in shards}
        for bundle in done:
            if bundle not in names and bundle != BUNDLE:
                self._clear(bundle, names)
        results, todo = [], []
        for shard in shards:
            files, result = done.get(shard.bundle, ((), None))
            if result is None or files != tuple(shard.files):
                if result is not None:
                    self._clear(shard.bundle, names)
                todo.append(shard)
            else:
                results.append(result)
        if todo:  # at normal priority, a few side by side (memory: one shard's worth each)
            with ThreadPoolExecutor(max_workers=max(1, min(self.concurrent, len(todo)))) as pool:
                results += list(pool.map(self._build, todo))
        keys = {key for key, _ in results}
        reused, rebuilt = sum(1 for _, was in results if was), len(todo)
        if self.cache:
            prune_cache(self.cache, keys)
        os.makedirs(os.path.join(self.output, BUNDLE), exist_ok=True)
        extra = [f"{shard.bundle}/" for shard in shards if not shard.primary]
        with open(os.path.join(self.output, BUNDLE, SHARDS_FILE), "w", encoding="utf-8") as handle:
            json.dump({"bundles": extra}, handle)
        return {"shards": len(shards), "reused": reused, "pages": len(pages),
                "late": rebuilt}

