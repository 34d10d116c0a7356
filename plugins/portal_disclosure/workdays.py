"""Working days: days off and make-up working days from holidays.yml, as pure functions."""

from __future__ import annotations

import dataclasses
import datetime as dt

from portal_core.text import fold

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
TET = "tet nguyen dan"  # folded: every year of holidays.yml has a Tết Nguyên đán entry
HOLIDAY_TAGS = ("READ", "SECONDARY", "INFER", "RECALL", "UNVERIFIED")  # a year's basis


# ---------------------------------------------------------------------------- calendar

@dataclasses.dataclass(frozen=True)
class Calendar:
    """Days off (holidays, compensatory and swapped days) and make-up working Saturdays."""

    days_off: frozenset = frozenset()
    work_days: frozenset = frozenset()
    names: tuple = ()  # ((date, name), …) for display
    years: frozenset = frozenset()  # the years holidays.yml lists (with their Tết)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.work_days:
            return True
        return day.weekday() < 5 and day not in self.days_off

    def covers(self, year: int) -> bool:
        """Whether the days off of *year* are known (otherwise working days would be wrong)."""
        return year in self.years

    def next_working_day(self, day: dt.date) -> dt.date:
        """*day* itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def previous_working_day(self, day: dt.date) -> dt.date:
        """*day* itself if it is a working day, else the last working day before it."""
        while not self.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def day_off_name(self, day: dt.date) -> str:
        """"Tết Dương lịch", "Chủ nhật", "thứ Bảy" … why *day* is not a working day."""
        named = [name for when, name in self.names if when == day and name]
        if named and day in self.days_off:
            return named[0]
        return WEEKDAYS[day.weekday()]

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The *count*-th working day after *start* (start itself not counted)."""
        day = start
        remaining = count
        while remaining > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def parse_calendar(data) -> tuple[Calendar, list[tuple[str, str, str]]]:
    """Build a Calendar from holidays.yml; return it and (field, value, message) errors.

    A year counts as covered only if it has a Tết Nguyên đán entry: a year without Tết would
    give wrong working days without anybody noticing.
    """
    errors: list[tuple[str, str, str]] = []
    days_off, work_days, names, covered = set(), set(), [], set()
    years = (data or {}).get("years") if isinstance(data, dict) else None
    if not isinstance(years, dict):
        return Calendar(), [("years", "", "Thiếu danh sách năm (years).")]
    for year, entry in years.items():
        if not isinstance(year, int) or not 1900 < year < 2200:
            errors.append((f"years.{year}", str(year), "Năm phải là số có bốn chữ số, ví dụ 2028."))
            continue
        entry = entry if isinstance(entry, dict) else {}
        basis = entry.get("basis")
        if basis is not None and not (isinstance(basis, dict) and basis.get("text")
                                      and basis.get("confidence") in HOLIDAY_TAGS):
            errors.append((f"years.{year}.basis", str(basis), "Căn cứ của năm cần «text» và "
                           "«confidence» (" + ", ".join(HOLIDAY_TAGS) + ")."))
        if any(TET in fold(str(item.get("name", ""))) for item in entry.get("days_off") or []
               if isinstance(item, dict)):
            covered.add(year)
        else:
            errors.append((f"years.{year}.days_off", "", f"Năm {year} không có kỳ nghỉ Tết "
                           "Nguyên đán (một mục days_off có tên «Tết Nguyên đán …»)."))
        for key, target in (("days_off", days_off), ("work_days", work_days)):
            for index, item in enumerate(entry.get(key) or []):
                field = f"years.{year}.{key}[{index}]"
                try:
                    if not isinstance(item, dict):
                        raise TypeError("cần date hoặc from/to")
                    if "date" in item:
                        first = last = _as_date(item["date"])
                    else:
                        first, last = _as_date(item["from"]), _as_date(item["to"])
                except (KeyError, TypeError, ValueError) as exc:
                    errors.append((field, str(item), f"Ngày không hợp lệ ({exc})."))
                    continue
                if last < first or (last - first).days > 14:
                    errors.append((field, str(item), "Khoảng ngày không hợp lệ."))
                    continue
                day = first
                while day <= last:
                    target.add(day)
                    names.append((day, str(item.get("name", ""))))
                    day += dt.timedelta(days=1)
    calendar = Calendar(frozenset(days_off), frozenset(work_days), tuple(sorted(names)),
                        frozenset(covered))
    return calendar, errors


def missing_years(calendar: Calendar, needed) -> list[int]:
    """The years in *needed* whose days off holidays.yml does not give."""
    return sorted({int(y) for y in needed if not calendar.covers(int(y))})
