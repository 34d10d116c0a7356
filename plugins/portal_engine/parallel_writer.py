"""Writing the pages on every core.

Pelican renders one template after another on one core; rendering is most of a warm build.
``ParallelWriter`` is Pelican's own Writer with one change: when a page is to be written, the
template is not rendered yet. Everything else happens as in Pelican, in the same order and in
the build process: pagination, the check that no file is written twice, the empty file, and
the ``content_written`` signal with the page's context (sitemap and search rely on it). The
renderings are recorded, and at the end of the writing (``flush``) worker processes
(``fork``: they share the templates and the content) render them and write the files.

When: the writer registers ``flush`` with the build state (``portal_core.state.defer_output``)
and ``state.write_pending`` calls it once, at the first ``finalized`` handler that asks: the
engine's own, or that of a plugin that reads the written pages at ``finalized``
(portal_search calls ``write_pending`` first). So the order of PLUGINS does not matter.

- Used only with ``fork``, more than one core and ``RELATIVE_URLS = False`` (Pelican changes
  the shared context's ``localsiteurl`` before each relative rendering). Otherwise, and below
  ``PORTAL_WRITE_PARALLEL_MIN`` pages, the pages are rendered at once, as by Pelican.
- A rendering that fails in a worker fails the build with the page's name and the error.
- Log records of the workers (warnings) are logged again by the build process.
- Files written outside the writer (feeds, JSON, CSV, images) are not concerned.
"""

from __future__ import annotations

import logging
import os

from pelican.writers import Writer

from portal_core import state

from . import workers

DEFAULTS = {
    "PORTAL_WRITE_WORKERS": 0,  # worker processes; 0 = one per core; 1 = render at once
    "PORTAL_WRITE_PARALLEL_MIN": 200,  # fewer pages than this: render them at once
}

_JOBS: list = []  # in the workers (inherited through fork): the recorded renderings


class WriteError(Exception):
    """A page could not be rendered by a worker: the build fails."""

    exitcode = 1


class _Recorder:
    """Stands for a template while Pelican writes a page: the rendering is recorded."""

    def __init__(self, template, writer):
        self.template, self.writer = template, writer

    def render(self, localcontext):
        self.writer._pending = (self.template, localcontext)
        return ""


def usable(settings: dict) -> bool:
    return (workers.count(settings, "PORTAL_WRITE_WORKERS") > 1
            and not settings.get("RELATIVE_URLS") and workers.can_fork())


class ParallelWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.jobs: list[tuple[str, object, dict] | None] = []
        self._job_of: dict[str, int] = {}
        self._pending = None
        self.deferring = usable(self.settings)
        if self.deferring:
            state.defer_output(self.settings, self.flush)

    def write_file(self, name, template, context, *args, **kwargs):
        if self.deferring:
            template = _Recorder(template, self)
        return super().write_file(name, template, context, *args, **kwargs)

    def _open_w(self, filename, encoding, override=False):
        pending, self._pending = self._pending, None
        if pending is None:
            return super()._open_w(filename, encoding, override)
        # Pelican's bookkeeping (a file written twice fails the build unless overridden), with
        # the file itself left to the worker: it is opened once, to write the page.
        target = self._claim(filename, override)
        if target != os.devnull:
            earlier = self._job_of.get(target)
            if earlier is not None:  # an overriding write replaces the earlier one
                self.jobs[earlier] = None
            self._job_of[target] = len(self.jobs)
            self.jobs.append((target, *pending))
        return open(os.devnull, "w", encoding=encoding)

    def _claim(self, filename, override):
        """Pelican's ``Writer._open_w`` without opening the file; the path to write or devnull."""
        from pelican.writers import FileOverwriteFailedError, logger

        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)')
            logger.info('Skipping "%s", not overwriting', filename)
            return os.devnull
        if filename in self._written_files:
            if not override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" as Pelican has already written to it '
                    "previously (set `override=True` if intended)")
            logger.info('Overwriting "%s"', filename)
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return filename

    def flush(self) -> int:
        """Render and write every recorded page; returns how many."""
        jobs = [job for job in self.jobs if job is not None]
        self.jobs, self._job_of = [], {}
        if not jobs:
            return 0
        minimum = int(self.settings.get("PORTAL_WRITE_PARALLEL_MIN", 200))
        count = min(workers.count(self.settings, "PORTAL_WRITE_WORKERS"), len(jobs))
        if count < 2 or len(jobs) < minimum:
            for index in range(len(jobs)):
                _raise(_render(jobs, index))
            return len(jobs)
        _JOBS[:] = jobs
        try:
            with workers.pool(count) as pool:
                # interleaved slices: pages of one kind (articles, tags…) spread over workers
                for failure, records in pool.map(
                        _render_slice, [(start, count) for start in range(count)]):
                    workers.replay(records)
                    _raise(failure)
        except workers.BrokenProcessPool:  # a worker died (out of memory…): render here
            logging.getLogger(__name__).warning(
                "portal_engine: tạo trang song song bị gián đoạn; tạo lại tuần tự.")
            for index in range(len(jobs)):
                _raise(_render(jobs, index))
        finally:
            _JOBS.clear()
        return len(jobs)


def _render(jobs, index: int):
    """Render one recorded page into its file; the failure as (path, message) or None."""
    path, template, localcontext = jobs[index]
    try:
        output = template.render(localcontext)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(output)
    except Exception as error:  # noqa: BLE001 - reported by the build process
        return (path, f"{type(error).__name__}: {error}")
    return None


def _raise(failure) -> None:
    if failure:
        path, message = failure
        raise WriteError(f"portal_engine: không tạo được trang {path} ({message}).")


def _render_slice(task):
    """In a worker: render every *step*-th recorded page from *start*."""
    start, step = task
    with workers.captured_logs() as records:
        for index in range(start, len(_JOBS), step):
            failure = _render(_JOBS, index)
            if failure:
                return failure, records
    return None, records
