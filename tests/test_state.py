"""portal_core.state: one typed build state, fresh for every run, one accessor."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os

from conftest import build, post
from portal_core import state
from portal_core.problems import Problem


@dataclasses.dataclass
class DemoRun:
    seen: list = dataclasses.field(default_factory=list)


def _problem(name: str) -> Problem:
    return Problem("content/a.md", name, "", "Thông báo.", "")


def test_the_accessor_creates_the_state_and_the_short_forms_use_it():
    settings = {"PORTAL_TODAY": "2026-11-29"}
    run = state.current(settings)
    assert state.current(settings) is run and state.run_state(settings) is run
    state.add(settings, _problem("A"))
    run.add(_problem("B"), _problem("C"))
    assert [p.field for p in run.problems] == ["A", "B", "C"]
    assert state.today(settings) == dt.date(2026, 11, 29)
    assert run.part(DemoRun) is run.part(DemoRun)
    assert run.part(DemoRun, lambda: DemoRun(["x"])).seen == []  # made once only


def test_every_run_starts_fresh_with_what_initialized_left():
    settings = {"PORTAL_TODAY": "2026-11-29"}
    state.add(settings, _problem("school.yml"))  # at initialized
    state.current(settings).part(DemoRun).seen.append("catalogue")
    context = dict(settings)  # what Pelican copies before get_generators
    first = state.start_run(settings)
    assert state.current(context) is first  # the context copy sees the current run
    first.add(_problem("post"))
    first.failed["a.md"] = "Lỗi"
    first.reported = 2
    second = state.start_run(settings)  # pelican --autoreload: the same object runs again
    assert second is not first and state.current(context) is second
    assert [p.field for p in second.problems] == ["school.yml"]
    assert second.failed == {} and second.reported == 0
    assert second.part(DemoRun).seen == ["catalogue"]


def test_deferred_output_is_written_once():
    settings = {}
    calls = []
    state.defer_output(settings, lambda: calls.append(1))
    assert state.output_deferred(settings)
    state.write_pending(settings)
    state.write_pending(settings)
    assert calls == [1] and not state.output_deferred(settings)


def test_portal_core_must_come_first(tmp_path):
    from pelican.settings import read_settings

    from conftest import ROOT

    plugins = read_settings(os.path.join(ROOT, "pelicanconf.py"))["PLUGINS"]
    reordered = plugins[1:2] + [plugins[0]] + plugins[2:]
    built = build(tmp_path, {"tin-tuc/a.md": post("Bài")}, PLUGINS=reordered)
    assert not built.ok
    assert [p.field for p in built.problems if p.file == "pelicanconf.py"] == ["PLUGINS"]
