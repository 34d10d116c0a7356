"""CI (.github/workflows/ci.yml): least privilege, pinned actions, a daily publishing build just
after midnight in Vietnam; and the daily build's real-date path (no PORTAL_TODAY)."""

import datetime as dt
import os
import re

import pytest
import yaml

from conftest import ROOT, post
from portal_core import dates

WORKFLOW_PATH = os.path.join(ROOT, ".github", "workflows", "ci.yml")
SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


@pytest.fixture(scope="module")
def workflow():
    with open(WORKFLOW_PATH, encoding="utf-8") as handle:
        text = handle.read()
    data = yaml.safe_load(text)
    data["on"] = data.get("on", data.get(True))  # YAML 1.1 reads the key `on` as True
    return text, data


def steps(data, job):
    return data["jobs"][job]["steps"]


def test_the_token_can_do_nothing_unless_a_job_asks(workflow):
    _, data = workflow
    assert data["permissions"] == {}
    assert data["jobs"]["test"]["permissions"] == {"contents": "read"}
    assert data["jobs"]["publish"]["permissions"] == {"contents": "write"}
    assert set(data["jobs"]) == {"test", "publish"}


def test_only_main_is_published_and_only_after_the_tests(workflow):
    _, data = workflow
    publish = data["jobs"]["publish"]
    assert publish["needs"] == "test"
    assert "github.ref == 'refs/heads/main'" in publish["if"]
    assert "github.event_name != 'pull_request'" in publish["if"]
    assert publish["concurrency"]["cancel-in-progress"] is False
    assert not any("cache" in step.get("uses", "") for step in steps(data, "publish"))


def test_checkouts_keep_no_credentials_and_actions_are_pinned_to_a_commit(workflow):
    text, data = workflow
    for job in data["jobs"]:
        for step in steps(data, job):
            if "uses" not in step:
                continue
            assert SHA_PIN.match(step["uses"]), step["uses"]
            if step["uses"].startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
    for line in text.splitlines():  # the release each SHA stands for, for whoever updates it
        if "uses:" in line:
            assert re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), line


def test_only_the_push_step_sees_the_token(workflow):
    _, data = workflow
    for job in data["jobs"]:
        for step in steps(data, job):
            seen = str(step.get("env", "")) + str(step.get("with", "")) + step.get("run", "")
            if "token" in seen.lower() or "secrets." in seen:
                assert job == "publish" and step["name"] == "Push gh-pages", step
                assert step["run"].count("git ") == 1 and "push --force" in step["run"]
    build = next(s for s in steps(data, "publish") if "cong-truong publish" in s.get("run", ""))
    assert "--no-push" in build["run"]
    # today is the real date unless the repository variable PORTAL_DEMO_DATE (a demo's frozen
    # date, unset for a school) is given; no fixed date is written in the workflow
    assert build.get("env", {}).get("PORTAL_TODAY") == "${{ vars.PORTAL_DEMO_DATE }}"
    assert "PORTAL_TODAY" not in str(data.get("env", ""))
    assert not re.search(r"20\d\d-\d\d-\d\d", open(WORKFLOW_PATH, encoding="utf-8").read())


def test_the_daily_build_runs_just_after_midnight_in_vietnam(workflow, monkeypatch):
    """The cron (UTC) fires between 00:00 and 01:00 in Asia/Ho_Chi_Minh, and at that instant
    the build's "today" (no PORTAL_TODAY) is already the new day there, not UTC's date."""
    _, data = workflow
    schedules = data["on"]["schedule"]
    assert len(schedules) == 1 and "main" in data["on"]["push"]["branches"]
    minute, hour, day, month, weekday = schedules[0]["cron"].split()
    assert (day, month, weekday) == ("*", "*", "*")
    fired = dt.datetime(2026, 11, 28, int(hour), int(minute), tzinfo=dt.timezone.utc)
    in_vietnam = fired.astimezone(dates.TIMEZONE)
    assert in_vietnam.hour == 0, in_vietnam

    class Clock(dt.datetime):  # dates.today() reads dt.datetime.now(TIMEZONE)
        @classmethod
        def now(cls, tz=None):
            return fired.astimezone(tz) if tz else fired.replace(tzinfo=None)

    monkeypatch.setattr(dates, "dt", type("dt", (), {"datetime": Clock, "date": dt.date}))
    monkeypatch.delenv("PORTAL_TODAY", raising=False)
    assert fired.date() == dt.date(2026, 11, 28)
    assert dates.today() == dates.today("") == in_vietnam.date() == dt.date(2026, 11, 29)


def test_without_portal_today_the_build_schedules_by_the_real_date_in_vietnam(site, monkeypatch):
    """The daily build's path (no PORTAL_TODAY): a post dated today in Vietnam is published, one
    dated tomorrow is not yet. Asserted as relations to the real clock, so always true."""
    monkeypatch.delenv("PORTAL_TODAY", raising=False)
    for _ in range(2):  # a build that straddles midnight in Vietnam is simply run again
        before = dt.datetime.now(dates.TIMEZONE).date()
        tomorrow = before + dt.timedelta(days=1)
        built = site({
            "tin-tuc/2026/hom-nay.md": post("Bài đăng hôm nay", f"{before.isoformat()} 00:00"),
            "tin-tuc/2026/ngay-mai.md": post("Bài hẹn ngày mai", f"{tomorrow.isoformat()} 00:00"),
        }, PORTAL_TODAY="")
        if dt.datetime.now(dates.TIMEZONE).date() == before:
            break
    assert built.ok, built.messages()
    assert built.exists("tin-tuc/bai-dang-hom-nay/index.html")
    assert not built.exists("tin-tuc/bai-hen-ngay-mai/index.html")
