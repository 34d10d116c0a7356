"""Per-build state, typed: one fresh ``BuildState`` per Pelican run, kept in the settings.

Reached through one accessor, ``current(settings)`` (also ``run_state``), which creates it on
first use: no plugin depends on another having run first. A plugin keeps its own per-build
data in a part, an object of its own class: ``current(settings).part(MyRun)`` (keyed by the
class, so no string key is shared between plugins). ``add``, ``today`` and ``rel`` are the
short forms every plugin uses.

``pelican --autoreload`` runs the same Pelican object again after every change: at each run's
``get_generators`` (the first signal of a run) portal_core calls ``start_run``, which gives the
run a fresh state holding what the ``initialized`` handlers left (their problems, and the parts
they created, such as loaded catalogues): those belong to every run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from typing import Callable, TypeVar

from .dates import today as compute_today
from .problems import PACKAGE_ROOT, Problem

STATE_KEY = "PORTAL_RUN"
T = TypeVar("T")


@dataclasses.dataclass
class BuildState:
    """What one build (one ``Pelican.run``) has found so far."""

    problems: list[Problem] = dataclasses.field(default_factory=list)
    reported: int = 0  # problems already in a report (portal_core.report)
    failed: dict[str, str] = dataclasses.field(default_factory=dict)  # source -> Pelican's reason
    today: dt.date | None = None  # PORTAL_TODAY, or today in Vietnam (computed on first use)
    objects: list = dataclasses.field(default_factory=list)  # posts and pages (URLs to freeze)
    deferred_output: list[Callable[[], object]] = dataclasses.field(default_factory=list)
    parts: dict[type, object] = dataclasses.field(default_factory=dict)

    def add(self, *problems: Problem) -> None:
        self.problems.extend(problems)

    def part(self, kind: type[T], make: Callable[[], T] | None = None) -> T:
        """This build's object of class *kind* (a plugin's own state), made on first use by
        ``make()`` (default: ``kind()``)."""
        found = self.parts.get(kind)
        if found is None:
            found = self.parts[kind] = make() if make is not None else kind()
        return found


@dataclasses.dataclass
class OpenDataFile:
    """One open-data file a plugin publishes this build: its kind (a schema of
    portal_opendata: "cong-khai", "tuan-thu", "bao-cao-truyen-thong" …), its URL relative to the
    site's root, how to make its JSON value (called once, by portal_opendata, before anything
    is written) and extra manifest fields (year, period)."""

    kind: str
    url: str
    make: Callable[[], object]
    extra: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class OpenData:
    """The build's open-data files, in the order the plugins declared them."""

    files: list[OpenDataFile] = dataclasses.field(default_factory=list)


def open_data(settings: dict, kind: str, url: str, make: Callable[[], object], **extra) -> None:
    """Declare an open-data file this plugin writes (portal_opendata lists it in
    /du-lieu-mo.json and validates it against its schema; without that plugin: nothing)."""
    current(settings).part(OpenData).files.append(OpenDataFile(kind, url, make, extra))


class Session:
    """Kept in the settings for the life of a Pelican object: the current run's state.

    The settings are copied into the generators' context before ``get_generators``; the copy
    holds this same object, so ``current(context)`` is the current run's state too.
    """

    def __init__(self):
        self.run = BuildState()
        self.started = False
        self.setup: tuple[list[Problem], dict[type, object]] = ([], {})

    def start_run(self) -> BuildState:
        if not self.started:  # the first run goes on with what initialized left
            self.started = True
            self.setup = (list(self.run.problems), dict(self.run.parts))
            return self.run
        problems, parts = self.setup
        self.run = BuildState(problems=list(problems), parts=dict(parts))
        return self.run


def _session(settings: dict) -> Session:
    session = settings.get(STATE_KEY)
    if not isinstance(session, Session):
        session = settings[STATE_KEY] = Session()
    return session


def current(settings: dict) -> BuildState:
    """The state of the current build (created on first use)."""
    return _session(settings).run


run_state = current


def start_run(settings: dict) -> BuildState:
    """A fresh state for a new run (portal_core, at ``get_generators``)."""
    return _session(settings).start_run()


def add(settings: dict, problem: Problem) -> None:
    current(settings).add(problem)


def defer_output(settings: dict, flush: Callable[[], object]) -> None:
    """The pages written so far are rendered later, by ``flush()`` (portal_engine's writer)."""
    current(settings).deferred_output.append(flush)


def output_deferred(settings: dict) -> bool:
    """Whether written pages are still empty until ``write_pending`` (content_written)."""
    return bool(current(settings).deferred_output)


def write_pending(settings: dict) -> None:
    """Render now every page whose rendering was deferred (once; later calls do nothing).

    Called at ``finalized`` by portal_engine and first by any plugin that reads the written
    pages then (portal_search), so that the order of the plugins does not matter.
    """
    pending = current(settings).deferred_output
    while pending:
        pending.pop(0)()


def today(settings: dict) -> dt.date:
    run = current(settings)
    if run.today is None:
        run.today = compute_today(settings.get("PORTAL_TODAY") or "")  # "" = today in Vietnam
    return run.today


def project_root(settings: dict) -> str:
    """The school's project folder: the one holding content/ (and pelicanconf.py)."""
    return os.path.dirname(os.path.abspath(settings.get("PATH", "content")))


def rel(settings: dict, path: str) -> str:
    """A source path relative to the project folder (the folder above content/); a file of the
    package (a law catalogue) relative to where the plugins are installed."""
    base = project_root(settings)
    path = os.path.abspath(path if os.path.isabs(path)
                           else os.path.join(settings.get("PATH", "content"), path))
    relative = os.path.relpath(path, base)
    if relative.startswith(".."):  # e.g. a plugin's catalogue while content lives elsewhere
        relative = os.path.relpath(path, PACKAGE_ROOT)
    return relative.replace(os.sep, "/")
