"""Vietnamese dates, school years (năm học, September to August) and "today"."""

from __future__ import annotations

import datetime as dt
import os
import re
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$")
ISO_HINT = "YYYY-MM-DD hoặc YYYY-MM-DD HH:MM, ví dụ 2022-09-05 hoặc 2022-09-05 07:30"
SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")
SCHOOL_YEAR_START_MONTH = 9


def parse_iso(value) -> dt.datetime:
    """Parse an ISO date (and optional time) strictly; raise ValueError otherwise.

    Day-first or month-first forms such as 05/09/2022 are refused: dateutil would read
    them month-first (9 May), which is wrong for Vietnamese editors.
    """
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    match = ISO_DATE.match(str(value).strip())
    if not match:
        raise ValueError(str(value))
    parts = [int(p) if p else 0 for p in match.groups()]
    return dt.datetime(*parts)  # raises ValueError for 2022-02-30


def suggest_iso(value: str) -> str | None:
    """Turn a day-first Vietnamese date (05/09/2022, 5-9-2022 7:30) into its ISO form."""
    match = re.match(
        r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+(\d{1,2})[:h](\d{2}))?\s*$", str(value)
    )
    if not match:
        return None
    day, month, year, hour, minute = match.groups()
    try:
        when = dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
    except ValueError:
        return None
    return when.strftime("%Y-%m-%d %H:%M" if hour else "%Y-%m-%d")


def today(setting: str | None = None) -> dt.date:
    """The build's "today": PORTAL_TODAY (YYYY-MM-DD) when given, else today in Vietnam."""
    value = setting if setting is not None else os.environ.get("PORTAL_TODAY")
    if value:
        return parse_iso(value).date()
    return dt.datetime.now(TIMEZONE).date()


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def within(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    """Whether *day* lies in a validity range, both ends included; None is an open end (the
    valid_from / valid_to of law versions, units, basis lines)."""
    return (start is None or start <= day) and (end is None or day <= end)


def vn_date(value, weekday: bool = True) -> str:
    """"Thứ Hai, 05/09/2022" (or "05/09/2022" without the weekday)."""
    day = _as_date(value)
    text = f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{WEEKDAYS[day.weekday()]}, {text}" if weekday else text


def vn_date_long(value) -> str:
    """"ngày 5 tháng 9 năm 2022"."""
    day = _as_date(value)
    return f"ngày {day.day} tháng {day.month} năm {day.year}"


def school_year_start(value) -> int:
    """The first calendar year of the school year containing *value* (September start)."""
    day = _as_date(value)
    return day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1


def school_year_id(value) -> str:
    """"2022-2023" for any date from 1 Sep 2022 to 31 Aug 2023."""
    start = school_year_start(value)
    return f"{start}-{start + 1}"


def school_year_label(value) -> str:
    """"Năm học 2022–2023" from a date or a school-year id such as "2022-2023"."""
    if isinstance(value, str):
        start, end = parse_school_year(value)
    else:
        start = school_year_start(value)
        end = start + 1
    return f"Năm học {start}–{end}"


def parse_school_year(value: str) -> tuple[int, int]:
    """Parse "2022-2023" (also with an en dash); raise ValueError unless consecutive years."""
    match = SCHOOL_YEAR.match(str(value).strip().replace("–", "-"))
    if not match:
        raise ValueError(str(value))
    start, end = int(match.group(1)), int(match.group(2))
    if end != start + 1:
        raise ValueError(str(value))
    return start, end
