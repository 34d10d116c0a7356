"""Communications plans (kế hoạch truyền thông) as data: one YAML file per year.

``content/plans/<year>.yml`` holds the plan's number, date, title, bases (căn cứ), the report
duty and its topics (code, title, group, description). Pure functions: loading returns the
plans and a list of problems, never raises for a content mistake.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re

from portal_core.data import load_yaml, require_fields
from portal_core.placeholders import is_placeholder
from portal_core.problems import ERROR, Problem, relative
from portal_core.text import fold, nfc, slugify

PLUGIN = "portal_topics"
PLAN_FILE = re.compile(r"^(\d{4})\.ya?ml$")
PLAN_FIELDS = ["year", "number", "date", "title", "bases", "topics"]
TOPIC_FIELDS = ["code", "title", "group", "description"]


@dataclasses.dataclass(frozen=True)
class Topic:
    code: str  # stable id, also the URL: /chu-de/<code>/
    title: str
    group: str  # an id of groups.yml: trong-tam | nhiem-vu-khac
    description: str = ""


@dataclasses.dataclass(frozen=True)
class Plan:
    year: int
    number: str
    date: dt.date | None
    title: str
    bases: tuple[str, ...]
    report: str
    topics: tuple[Topic, ...]
    file: str = ""

    def topic(self, code: str) -> Topic | None:
        return next((t for t in self.topics if t.code == code), None)

    def grouped(self, groups: dict[str, str]) -> list[tuple[str, str, list[Topic]]]:
        """[(group id, group title, topics)] in the order of groups.yml."""
        return [(gid, title, [t for t in self.topics if t.group == gid])
                for gid, title in groups.items() if any(t.group == gid for t in self.topics)]


def _text(value) -> str:
    return nfc(str(value)).strip() if value is not None else ""


def validate_plan(data, file: str, expected_year: int | None,
                  groups: dict[str, str]) -> tuple[Plan | None, list[Problem]]:
    """Check one plan file's data; return the usable plan (bad topics left out) and problems."""
    def problem(field, value, message, hint="", severity=ERROR):
        return Problem(file, field, str(value), message, hint, severity=severity, plugin=PLUGIN)

    if not isinstance(data, dict):
        return None, [problem("", "", "Tệp kế hoạch phải là một bảng khóa: giá trị.",
                              "Xem mẫu content/plans/2022.yml.")]
    problems = require_fields(data, PLAN_FIELDS, file, "", plugin=PLUGIN)
    year = data.get("year")
    if year not in (None, ""):
        if not isinstance(year, int) or not 1900 < year < 3000:
            problems.append(problem("year", year, "Năm của kế hoạch không hợp lệ.",
                                    "Ghi năm bằng 4 chữ số, ví dụ «year: 2022»."))
            year = None
        elif expected_year is not None and year != expected_year:
            problems.append(problem("year", year, f"Năm trong tệp khác với tên tệp "
                                    f"({expected_year}).",
                                    f"Đặt «year: {expected_year}» hoặc đổi tên tệp thành "
                                    f"{year}.yml."))
    year = year if isinstance(year, int) else expected_year
    date = data.get("date")
    if isinstance(date, dt.datetime):
        date = date.date()
    if is_placeholder(date):  # «CẦN ĐIỀN: …»: reported by portal_unfinished, blocks publishing
        date = None
    elif date not in (None, "") and not isinstance(date, dt.date):
        problems.append(problem("date", date, "Ngày ban hành không đúng dạng.",
                                "Dùng dạng YYYY-MM-DD, ví dụ 2022-02-21."))
        date = None
    bases = data.get("bases")
    if bases not in (None, "") and not isinstance(bases, list):
        problems.append(problem("bases", bases, "Căn cứ phải là một danh sách.",
                                "Mỗi căn cứ một dòng bắt đầu bằng «- »."))
        bases = []
    raw_topics = data.get("topics")
    if raw_topics not in (None, "") and not isinstance(raw_topics, list):
        problems.append(problem("topics", "", "Danh sách chủ đề phải là một danh sách.",
                                "Mỗi chủ đề bắt đầu bằng «- code: …»."))
        raw_topics = []
    topics: list[Topic] = []
    seen_codes: dict[str, int] = {}
    seen_titles: dict[str, int] = {}
    for index, item in enumerate(raw_topics or []):
        prefix = f"topics[{index}]."
        missing = require_fields(item, TOPIC_FIELDS, file, prefix, plugin=PLUGIN)
        problems += missing
        if not isinstance(item, dict):
            continue
        code, title = _text(item.get("code")), _text(item.get("title"))
        group = _text(item.get("group"))
        bad = bool(missing)
        if code and slugify(code) != code:
            problems.append(problem(prefix + "code", code, "Mã chủ đề phải viết thường, không "
                                    "dấu, nối bằng gạch ngang.",
                                    f"Viết là «{slugify(code)}»."))
            bad = True
        if code in seen_codes:
            problems.append(problem(prefix + "code", code, f"Mã chủ đề bị trùng với "
                                    f"topics[{seen_codes[code]}].", "Mỗi chủ đề một mã riêng."))
            bad = True
        if title and fold(title) in seen_titles:
            problems.append(problem(prefix + "title", title, f"Tên chủ đề bị trùng với "
                                    f"topics[{seen_titles[fold(title)]}] (khi bỏ dấu).",
                                    "Mỗi chủ đề một tên riêng."))
            bad = True
        if group and group not in groups:
            problems.append(problem(prefix + "group", group, "Nhóm chủ đề không hợp lệ.",
                                    "Chọn một trong: " + ", ".join(
                                        f"{gid} ({label})" for gid, label in groups.items())))
            bad = True
        seen_codes.setdefault(code, index)
        seen_titles.setdefault(fold(title), index)
        if not bad:
            topics.append(Topic(code, title, group, _text(item.get("description"))))
    if year is None:
        return None, problems
    plan = Plan(year=year, number=_text(data.get("number")), date=date,
                title=_text(data.get("title")),
                bases=tuple(_text(b) for b in bases or [] if b),
                report=_text(data.get("report")), topics=tuple(topics), file=file)
    return plan, problems


def load_plans(folder: str, base: str,
               groups: dict[str, str]) -> tuple[dict[int, Plan], list[Problem]]:
    """Every ``<year>.yml`` in *folder*: {year: Plan} and problems (paths relative to base)."""
    plans: dict[int, Plan] = {}
    problems: list[Problem] = []
    if not os.path.isdir(folder):
        return plans, problems
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.startswith(".") or not name.endswith((".yml", ".yaml")):
            continue
        rel = relative(path, base)
        match = PLAN_FILE.match(name)
        if not match:
            problems.append(Problem(rel, "", name, "Tên tệp kế hoạch phải là năm của kế hoạch.",
                                    "Đặt tên tệp dạng <năm>.yml, ví dụ 2023.yml.",
                                    plugin=PLUGIN))
            continue
        data, found = load_yaml(path, base, plugin=PLUGIN)
        problems += found
        if data is None and found:
            continue
        plan, found = validate_plan(data, rel, int(match.group(1)), groups)
        problems += found
        if plan is not None:
            if plan.year in plans:
                problems.append(Problem(rel, "year", str(plan.year), "Hai tệp cho cùng một năm.",
                                        "Mỗi năm một tệp kế hoạch.", plugin=PLUGIN))
                continue
            plans[plan.year] = plan
    return plans, problems


def current_plan(plans: dict[int, Plan], today: dt.date) -> Plan | None:
    """The latest plan whose year is not after today's year (else the earliest plan)."""
    if not plans:
        return None
    past = [year for year in plans if year <= today.year]
    return plans[max(past)] if past else plans[min(plans)]


def plan_for_year(plans: dict[int, Plan], year: int) -> Plan | None:
    """The plan of *year*; failing that the latest earlier plan, else the earliest one."""
    if year in plans:
        return plans[year]
    if not plans:
        return None
    earlier = [y for y in plans if y < year]
    return plans[max(earlier)] if earlier else plans[min(plans)]


def latest_topics(plans: dict[int, Plan]) -> dict[str, tuple[Topic, int]]:
    """Every code of every plan with its newest definition: {code: (topic, plan year)}."""
    found: dict[str, tuple[Topic, int]] = {}
    for year in sorted(plans):
        for topic in plans[year].topics:
            found[topic.code] = (topic, year)
    return found

