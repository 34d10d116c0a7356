"""Dates of old posts: ISO dates from metadata first, then day-first Vietnamese dates.

Vietnamese pages write 05/09/2023 for 5 September: the day always comes first, so a day ≤ 12
is never read as a month. htmldate is the last resort (it knows many CMS patterns, but cannot
be told that ambiguous numeric dates are day-first, so its answer is used only when nothing
else is found and is reported as a guess).
"""

from __future__ import annotations

import datetime as dt
import re

DAY_FIRST = re.compile(
    r"(?<![\d/.-])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?![\d/.-])"
    r"(?:[\s,|–-]*(?:lúc\s*)?(\d{1,2})\s*(?::|h|giờ)\s*(\d{2})?)?", re.I)
TIME_FIRST = re.compile(
    r"(?<!\d)(\d{1,2})\s*(?::|h)\s*(\d{2})(?:\s*(?:AM|PM|SA|CH))?[\s,|–-]*(?:ngày\s*)?"
    r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)", re.I)
WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?"
                 r"\s*(Z|[+-]\d{2}:?\d{2})?)?")
VIETNAM = dt.timezone(dt.timedelta(hours=7))


def _make(year, month, day, hour=None, minute=None) -> dt.datetime | None:
    try:
        return dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
    except (TypeError, ValueError):
        return None


def parse_iso(value: str) -> dt.datetime | None:
    """An ISO 8601 date (schema.org, article:published_time, <time datetime>) as local time
    in Vietnam, naive; None when *value* is not one."""
    match = ISO.search(value or "")
    if not match:
        return None
    year, month, day, hour, minute, zone = match.groups()
    found = _make(year, month, day, hour, minute)
    if found is None or not zone:
        return found
    sign = -1 if zone.startswith("-") else 1
    digits = zone.replace(":", "")[1:] if zone != "Z" else "0000"
    offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0)) * sign
    aware = found.replace(tzinfo=dt.timezone(offset if zone != "Z" else dt.timedelta(0)))
    return aware.astimezone(VIETNAM).replace(tzinfo=None)


def parse_visible(text: str) -> dt.datetime | None:
    """The first day-first date in *text* (with its time when one is written next to it)."""
    candidates = []
    for match in DAY_FIRST.finditer(text or ""):
        day, month, year, hour, minute = match.groups()
        found = _make(year, month, day, hour, minute or (0 if hour else None))
        if found:
            candidates.append((match.start(), found))
            break
    for match in TIME_FIRST.finditer(text or ""):
        hour, minute, day, month, year = match.groups()
        found = _make(year, month, day, hour, minute)
        if found:
            candidates.append((match.start(), found))
            break
    for match in WORDS.finditer(text or ""):
        found = _make(match.group(3), match.group(2), match.group(1))
        if found:
            candidates.append((match.start(), found))
            break
    if not candidates:
        return None
    # the earliest in the text; when a date with its time starts at the same place, keep it
    return sorted(candidates, key=lambda c: (c[0], -(c[1].hour * 60 + c[1].minute)))[0][1]


def htmldate_guess(html: str) -> dt.datetime | None:
    try:
        from htmldate import find_date

        found = find_date(html, original_date=True, extensive_search=False,
                          outputformat="%Y-%m-%d")
    except Exception:  # noqa: BLE001 — a guess only; a failure is "no date"
        return None
    return parse_iso(found) if found else None


def in_range(value: dt.datetime | None, today: dt.date) -> bool:
    return value is not None and dt.date(1995, 1, 1) <= value.date() <= today
