"""Deadlines of disclosure items: working days, periods and rules, as pure functions.

Everything legal (which rule, how many days, which holidays) comes from the YAML data
(catalogue.yml, holidays.yml, content/data/disclosure.yml); this module only computes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from .workdays import (HOLIDAY_TAGS, TET, WEEKDAYS, Calendar, _as_date,  # noqa: F401
                       missing_years, parse_calendar)

# Statuses of one item × school year (× period); also the open-data codes.
ON_TIME, LATE, PUBLISHED, PENDING, OVERDUE, NOT_APPLICABLE, NOT_JUDGED = (
    "on_time", "late", "published", "pending", "overdue", "not_applicable", "not_judged")
STATUS_LABELS = {
    ON_TIME: "Đã công khai đúng hạn",
    LATE: "Công khai muộn",
    PUBLISHED: "Đã công khai",  # an item without a deadline: published, neither on time nor late
    PENDING: "Chưa đến hạn",
    OVERDUE: "Quá hạn, chưa công khai",
    NOT_APPLICABLE: "Không áp dụng",
    NOT_JUDGED: "Không đánh giá",
}


# ---------------------------------------------------------------------------- periods

@dataclasses.dataclass(frozen=True)
class Period:
    id: str  # "2024-Q3", "2024-H2", "2026-M9", "2024", "2025-W37"
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return period_label(self.id)


PERIOD_FORMS = {
    "quarter": (re.compile(r"^(\d{4})-Q([1-4])$"), "YYYY-Qn, ví dụ 2024-Q3 (quý III/2024)"),
    "half": (re.compile(r"^(\d{4})-H([12])$"), "YYYY-Hn, ví dụ 2024-H1 (6 tháng đầu năm 2024)"),
    # 03, 06, 09 months from 1 January (TT 26/2026/TT-BTC Điều 27: cumulative, not quarters)
    "months": (re.compile(r"^(\d{4})-M0?([369])$"),
               "YYYY-Mn với n là 3, 6 hoặc 9, ví dụ 2026-M9 (9 tháng đầu năm 2026)"),
    "year": (re.compile(r"^(\d{4})$"), "YYYY, ví dụ 2024"),
    "week": (re.compile(r"^(\d{4})-W(\d{2})$"), "YYYY-Www, ví dụ 2025-W37 (tuần ISO)"),
}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def parse_period(value: str) -> Period:
    """Parse any period form; raise ValueError if it is none of them."""
    text = str(value).strip().upper()
    for unit, (pattern, _) in PERIOD_FORMS.items():
        match = pattern.match(text)
        if not match:
            continue
        year = int(match.group(1))
        if unit == "quarter":
            q = int(match.group(2))
            return Period(text, dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q))
        if unit == "half":
            h = int(match.group(2))
            return Period(text, dt.date(year, 6 * h - 5, 1), _month_end(year, 6 * h))
        if unit == "months":
            n = int(match.group(2))
            return Period(f"{year}-M{n}", dt.date(year, 1, 1), _month_end(year, n))
        if unit == "year":
            return Period(text, dt.date(year, 1, 1), dt.date(year, 12, 31))
        week = int(match.group(2))
        monday = dt.date.fromisocalendar(year, week, 1)  # ValueError for week 54
        return Period(text, monday, monday + dt.timedelta(days=6))
    raise ValueError(str(value))


def period_unit(value: str) -> str | None:
    text = str(value).strip().upper()
    return next((u for u, (p, _) in PERIOD_FORMS.items() if p.match(text)), None)


def period_label(period_id: str) -> str:
    """"Quý III/2024", "6 tháng đầu năm 2024", "Năm 2024", "Tuần 37/2025"."""
    unit = period_unit(period_id)
    text = period_id.upper()
    if unit == "quarter":
        return f"Quý {ROMAN[int(text[-1])]}/{text[:4]}"
    if unit == "half":
        return f"6 tháng {'đầu' if text.endswith('1') else 'cuối'} năm {text[:4]}"
    if unit == "months":
        return f"{int(text[6:])} tháng đầu năm {text[:4]}"
    if unit == "year":
        return f"Năm {text}"
    if unit == "week":
        period = parse_period(text)
        return f"Tuần {int(text[-2:])}/{text[:4]} ({period.start:%d/%m}–{period.end:%d/%m})"
    return period_id


def school_year_of(day: dt.date) -> int:
    """The start year of the school year (September to August) containing *day*."""
    return day.year if day.month >= 9 else day.year - 1


def periods_of_school_year(unit: str, start_year: int, weeks_from: str = "09-05",
                           weeks_to: str = "05-31") -> list[Period]:
    """The periods of *unit* that belong to a school year: those that end inside it.

    Quarters and halves follow the calendar (fiscal) year; a quarter belongs to the school
    year containing its last day: 2024-Q3 … 2025-Q2 belong to 2024-2025. Weeks are the
    ISO weeks whose Monday falls between weeks_from (start year) and weeks_to (end year).
    """
    found: list[Period] = []
    if unit in ("quarter", "half", "months", "year"):
        for year in (start_year, start_year + 1):
            ids = {"quarter": [f"{year}-Q{q}" for q in range(1, 5)],
                   "half": [f"{year}-H1", f"{year}-H2"],
                   "months": [f"{year}-M{n}" for n in (3, 6, 9)], "year": [str(year)]}[unit]
            for period_id in ids:
                period = parse_period(period_id)
                if school_year_of(period.end) == start_year:
                    found.append(period)
        return found
    if unit == "week":
        month, day = (int(p) for p in weeks_from.split("-"))
        first = dt.date(start_year, month, day)
        month, day = (int(p) for p in weeks_to.split("-"))
        last = dt.date(start_year + 1, month, day)
        monday = first - dt.timedelta(days=first.weekday())
        if monday < first:
            monday += dt.timedelta(days=7)
        while monday <= last:
            iso = monday.isocalendar()
            found.append(parse_period(f"{iso[0]}-W{iso[1]:02d}"))
            monday += dt.timedelta(days=7)
        return found
    raise ValueError(unit)


# ---------------------------------------------------------------------------- rules

ROLL_NEXT, ROLL_PREVIOUS = "next_working_day", "previous_working_day"
ROLL_DIRECTIONS = (ROLL_NEXT, ROLL_PREVIOUS)


@dataclasses.dataclass(frozen=True)
class Deadline:
    """A computed deadline: the last allowed day, and the day the rule gave before rollover."""

    due: dt.date | None
    estimated: bool = False  # from the item's fallback rule (an event date is unknown)
    nominal: dt.date | None = None  # the rule's own day, when it was a day off and moved
    basis: str = ""  # basis of the rollover rule that moved it

    @property
    def rolled(self) -> bool:
        return self.nominal is not None and self.nominal != self.due


def parse_rollover(data) -> tuple[dict[str, dict], list[tuple[str, str, str]]]:
    """catalogue.yml ``deadline_rollover``: {rule kind: {to, basis}} and (field, value, message)
    errors. Absent means no deadline is moved (every rule keeps its own day)."""
    errors: list[tuple[str, str, str]] = []
    policy: dict[str, dict] = {}
    if data is None:
        return policy, errors
    if not isinstance(data, list):
        return policy, [("deadline_rollover", str(data), "Phải là một danh sách quy tắc.")]
    for index, entry in enumerate(data):
        field = f"deadline_rollover[{index}]"
        if not isinstance(entry, dict):
            errors.append((field, str(entry), "Mỗi quy tắc phải là một bảng khóa: giá trị."))
            continue
        if entry.get("to") not in ROLL_DIRECTIONS:
            errors.append((f"{field}.to", str(entry.get("to", "")),
                           "Hướng chuyển hạn không hợp lệ (dùng: " + ", ".join(ROLL_DIRECTIONS)
                           + ")."))
            continue
        basis = entry.get("basis")
        if not isinstance(basis, dict) or not basis.get("text") or not basis.get("confidence"):
            errors.append((f"{field}.basis", str(basis or ""),
                           "Thiếu căn cứ (basis: {text: …, confidence: …})."))
            continue
        for kind in entry.get("rules") or []:
            if kind not in RULE_KINDS or kind in policy:
                errors.append((f"{field}.rules", str(kind),
                               "Loại hạn không hợp lệ hoặc đã có quy tắc chuyển hạn."))
                continue
            policy[kind] = {"to": entry["to"], "basis": str(basis["text"]),  # shown: no tag
                            "confidence": str(basis["confidence"])}
    return policy, errors


RULE_KINDS = ("fixed", "before_date", "before_event", "after_event", "after_period", "weekly")


def nominal_due(rule: dict, start_year: int, events: dict, calendar: Calendar,
                period: Period | None = None) -> dt.date | None:
    """The day one deadline rule gives, before any rollover off a day off; None when its event
    date is unknown.

    *start_year* is the first year of the school year (2024 for 2024-2025); *events* maps
    event names (enrolment_start, budget_assigned …) to dates for that school year.
    """
    kind = rule.get("rule")
    if kind in ("fixed", "before_date"):
        year = start_year + (1 if rule.get("year", "end") == "end" else 0)
        day = dt.date(year, int(rule["month"]), int(rule["day"]))
        # "chậm nhất ngày D" (fixed) includes D; "trước ngày D" (before_date) ends the day before
        return day - dt.timedelta(days=1) if kind == "before_date" else day
    if kind in ("before_event", "after_event"):
        event = (events or {}).get(rule["event"])
        if event is None:
            return None
        event = _as_date(event)
        if kind == "before_event":
            return event - dt.timedelta(days=1 + int(rule.get("days", 0)))
        return after(event, rule, calendar)
    if kind == "after_period":
        if period is None:
            return None
        return after(period.end, rule, calendar)
    if kind == "weekly":
        if period is None:
            return None
        # "before <weekday> of the previous week": the day before that weekday
        target = period.start - dt.timedelta(days=7) + dt.timedelta(
            days=int(rule.get("before_weekday", 5)))
        return target - dt.timedelta(days=1)
    raise ValueError(f"unknown rule {kind!r}")


def roll(day: dt.date, direction: str | None, calendar: Calendar) -> dt.date:
    """*day* moved off a day off: to the next or previous working day (None: not moved)."""
    if direction == ROLL_NEXT:
        return calendar.next_working_day(day)
    if direction == ROLL_PREVIOUS:
        return calendar.previous_working_day(day)
    return day


def rule_deadline(rule: dict, start_year: int, events: dict, calendar: Calendar,
                  period: Period | None = None, rollover: dict | None = None) -> Deadline:
    """One rule's deadline, moved off a day off as *rollover* (parse_rollover) says."""
    day = nominal_due(rule, start_year, events, calendar, period)
    if day is None:
        return Deadline(None)
    policy = (rollover or {}).get(rule.get("rule")) or {}
    if "working_days" in rule or not policy:
        return Deadline(day)  # a count of working days always ends on a working day
    moved = roll(day, policy.get("to"), calendar)
    if moved == day:
        return Deadline(day)
    return Deadline(moved, nominal=day, basis=policy.get("basis", ""))


def rule_due(rule: dict, start_year: int, events: dict, calendar: Calendar,
             period: Period | None = None, rollover: dict | None = None) -> dt.date | None:
    """The last day allowed by one deadline rule, or None when its event date is unknown."""
    return rule_deadline(rule, start_year, events, calendar, period, rollover).due


def after(event: dt.date, rule: dict, calendar: Calendar) -> dt.date:
    """N days (calendar) or N working days after *event*."""
    if "working_days" in rule:
        return calendar.add_working_days(event, int(rule["working_days"]))
    return event + dt.timedelta(days=int(rule.get("days", 0)))


def item_deadline(item: dict, start_year: int, events: dict, calendar: Calendar,
                  period: Period | None = None, rollover: dict | None = None) -> Deadline:
    """The earliest computable rule's deadline, else the fallback rule's (estimated)."""
    found = [rule_deadline(rule, start_year, events, calendar, period, rollover)
             for rule in item.get("deadline") or []]
    found = [d for d in found if d.due is not None]
    if found:
        return min(found, key=lambda d: d.due)
    if item.get("fallback"):
        fallback = rule_deadline(item["fallback"], start_year, events, calendar, period,
                                 rollover)
        return dataclasses.replace(fallback, estimated=fallback.due is not None)
    return Deadline(None)


def item_due(item: dict, start_year: int, events: dict, calendar: Calendar,
             period: Period | None = None, rollover: dict | None = None
             ) -> tuple[dt.date | None, bool]:
    """(due date, estimated): the earliest computable rule, else the fallback rule."""
    deadline = item_deadline(item, start_year, events, calendar, period, rollover)
    return deadline.due, deadline.estimated


def rollover_note(deadline: Deadline, calendar: Calendar) -> str:
    """"Hạn theo quy định là 30/06/2024 (Chủ nhật), chuyển sang ngày làm việc tiếp theo." """
    if not deadline.rolled:
        return ""
    nominal = deadline.nominal
    way = "tiếp theo" if deadline.due > nominal else "liền trước"
    text = (f"Hạn theo quy định là {nominal:%d/%m/%Y} ({calendar.day_off_name(nominal)}), "
            f"ngày nghỉ: chuyển sang ngày làm việc {way}")
    return text + (f" (căn cứ: {deadline.basis})." if deadline.basis else ".")


def status(due: dt.date | None, published: dt.date | None, today: dt.date,
           applicable: bool = True) -> str:
    """on_time, late, published, pending, overdue or not_applicable.

    Published on or before the due date is on time; published with no due date at all is just
    published (never "on time": there was no deadline to meet); a missing document is pending
    until the due date has passed (the due date itself still counts as in time).
    """
    if not applicable:
        return NOT_APPLICABLE
    if published is not None:
        if due is None:
            return PUBLISHED
        return LATE if published > due else ON_TIME
    if due is None or today <= due:
        return PENDING
    return OVERDUE
