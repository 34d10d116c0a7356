"""Per-build state: one fresh dict per Pelican run, kept in the settings (never module-level)."""

from __future__ import annotations

import os

from .dates import today as compute_today
from .problems import Problem

STATE_KEY = "PORTAL_RUN"
PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def new_state(settings: dict) -> dict:
    state = {
        "problems": [],
        "failed": {},  # source path -> reason, captured from Pelican's "Could not process"
        "today": compute_today(settings.get("PORTAL_TODAY") or ""),  # "" = today in Vietnam
        "reported": 0,
    }
    settings[STATE_KEY] = state
    return state


def run_state(settings: dict) -> dict:
    """The state of the current build (created on first use)."""
    state = settings.get(STATE_KEY)
    if not isinstance(state, dict):
        state = new_state(settings)
    return state


def add(settings: dict, problem: Problem) -> None:
    run_state(settings)["problems"].append(problem)


def defer_output(settings: dict, flush) -> None:
    """The pages written so far are rendered later, by ``flush()`` (portal_engine's writer)."""
    run_state(settings).setdefault("deferred_output", []).append(flush)


def output_deferred(settings: dict) -> bool:
    """Whether written pages are still empty until ``write_pending`` (content_written)."""
    return bool(run_state(settings).get("deferred_output"))


def write_pending(settings: dict) -> None:
    """Render now every page whose rendering was deferred (once; later calls do nothing).

    Called at ``finalized`` by portal_engine and first by any plugin that reads the written
    pages then (portal_search), so that the order of the plugins does not matter.
    """
    pending = run_state(settings).get("deferred_output") or []
    while pending:
        pending.pop(0)()


def today(settings: dict):
    return run_state(settings)["today"]


def rel(settings: dict, path: str) -> str:
    """A source path relative to the project folder (the folder above content/)."""
    base = os.path.dirname(os.path.abspath(settings.get("PATH", "content")))
    path = os.path.abspath(path if os.path.isabs(path)
                           else os.path.join(settings.get("PATH", "content"), path))
    relative = os.path.relpath(path, base)
    if relative.startswith(".."):  # e.g. a plugin's catalogue while content lives elsewhere
        relative = os.path.relpath(path, PROJECT_ROOT)
    return relative.replace(os.sep, "/")
