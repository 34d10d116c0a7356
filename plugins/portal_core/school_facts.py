"""School facts with dates: a fact of content/data/school.yml that changes over time.

A top-level fact is either a plain value (it never changed) or a list of dated versions:

    managing_body:
      - value: Sở Giáo dục và Đào tạo Ninh Bình
        from: 2025-07-01
        basis: Nghị quyết 202/2025/QH15
      - value: Sở Giáo dục và Đào tạo Nam Định
        to: 2025-06-30

`from` and `to` are inclusive ISO dates; the earliest version may leave out `from` (it then
holds for every earlier date) and the current one leaves out `to`. Versions may be written in
any order; they must neither overlap nor leave a gap. `facts_on(data, day)` gives the plain
facts in force on a day (the first version for a day before it, the last one after it), which
is what every template reads: `PORTAL_SCHOOL` is `facts_on(school.yml, today)`.
"""

from __future__ import annotations

import datetime as dt

from .dates import ISO_HINT, parse_iso, suggest_iso
from .problems import ERROR, Problem

VERSION_KEYS = {"value", "from", "to", "basis"}
SHAPE_HINT = ("Mỗi phiên bản là một mục «- value: …» với «from: YYYY-MM-DD» (từ ngày) "
              "và/hoặc «to: YYYY-MM-DD» (đến hết ngày), ví dụ «from: 2025-07-01».")


def is_dated(value) -> bool:
    """Whether a fact is written as dated versions (a list of mappings with `value`)."""
    return (isinstance(value, list) and bool(value)
            and all(isinstance(v, dict) for v in value)
            and any("value" in v for v in value))


def _day(value) -> dt.date | None:
    if value is None:
        return None
    return parse_iso(value).date()


def _bounds(version: dict) -> tuple[dt.date, dt.date]:
    start = _day(version.get("from")) or dt.date.min
    end = _day(version.get("to")) or dt.date.max
    return start, end


def _label(day: dt.date) -> str:
    if day in (dt.date.min, dt.date.max):
        return "(không giới hạn)"
    return day.strftime("%d/%m/%Y")


def validate_versions(key: str, versions: list, file: str) -> list[Problem]:
    """Problems of one dated fact: shape, dates, order, overlaps and gaps."""
    problems: list[Problem] = []
    good: list[tuple[dt.date, dt.date, int]] = []
    for index, version in enumerate(versions):
        field = f"{key}[{index}]"
        if "value" not in version or version.get("value") in (None, "", []):
            problems.append(Problem(file, f"{field}.value", "", "Phiên bản thiếu giá trị.",
                                    SHAPE_HINT, severity=ERROR))
            continue
        unknown = sorted(set(version) - VERSION_KEYS)
        for name in unknown:
            problems.append(Problem(file, f"{field}.{name}", str(version[name]),
                                    "Khóa không dùng được trong một phiên bản có thời hạn.",
                                    "Chỉ dùng: value, from, to, basis."))
        dates_ok = True
        for name in ("from", "to"):
            raw = version.get(name)
            if raw is None:
                continue
            try:
                _day(raw)
            except ValueError:
                dates_ok = False
                suggestion = suggest_iso(str(raw))
                hint = (f"Có phải ý bạn là: {suggestion}?" if suggestion
                        else f"Viết ngày dạng {ISO_HINT.split(' hoặc ')[0]}, ví dụ 2025-07-01.")
                problems.append(Problem(file, f"{field}.{name}", str(raw),
                                        "Ngày không hợp lệ (phải là năm-tháng-ngày).", hint))
        if not dates_ok:
            continue
        start, end = _bounds(version)
        if start > end:
            problems.append(Problem(file, f"{field}", f"from {_label(start)}, to {_label(end)}",
                                    "Ngày bắt đầu sau ngày kết thúc.",
                                    "Sửa lại «from» hoặc «to»."))
            continue
        good.append((start, end, index))
    if len(versions) > 1 and all("from" not in v and "to" not in v for v in versions):
        problems.append(Problem(file, key, f"{len(versions)} phiên bản",
                                "Các phiên bản không có ngày áp dụng.", SHAPE_HINT))
        return problems
    good.sort()
    for (start_a, end_a, a), (start_b, end_b, b) in zip(good, good[1:]):
        if start_b <= end_a:
            problems.append(Problem(
                file, f"{key}[{b}]", f"{_label(start_b)}–{_label(end_b)}",
                f"Hai phiên bản chồng lên nhau: {key}[{a}] áp dụng {_label(start_a)}–"
                f"{_label(end_a)}.",
                f"Cho {key}[{a}] kết thúc («to») trước ngày {key}[{b}] bắt đầu («from»)."))
        elif start_b - end_a > dt.timedelta(days=1):
            problems.append(Problem(
                file, f"{key}[{b}]", _label(start_b),
                f"Khoảng trống: không có giá trị nào từ {_label(end_a + dt.timedelta(days=1))} "
                f"đến {_label(start_b - dt.timedelta(days=1))}.",
                f"Phiên bản trước kết thúc ngày {_label(end_a)}: phiên bản sau bắt đầu từ "
                f"{_label(end_a + dt.timedelta(days=1))}, hoặc sửa «to» của phiên bản trước."))
    return problems


def validate_dated(data: dict, file: str, today: dt.date | None = None) -> list[Problem]:
    """Problems of every dated fact in school.yml; a required fact must hold *today*."""
    problems: list[Problem] = []
    for key, value in data.items():
        if isinstance(value, list) and any(isinstance(v, dict) and "value" in v for v in value) \
                and not is_dated(value):
            problems.append(Problem(file, key, "", "Trộn lẫn phiên bản có ngày và giá trị thường.",
                                    SHAPE_HINT))
        elif is_dated(value):
            found = validate_versions(key, value, file)
            problems += found
            if not found and today is not None and _version_on(value, today, strict=True) is None:
                problems.append(Problem(
                    file, key, today.isoformat(),
                    "Không có phiên bản nào áp dụng cho hôm nay.",
                    "Thêm phiên bản mới với «from: …», hoặc bỏ «to» của phiên bản hiện hành."))
    return problems


def _version_on(versions: list, day: dt.date, strict: bool = False):
    """The version in force on *day*; outside every version, the nearest one (not strict)."""
    spans = []
    for version in versions:
        try:
            start, end = _bounds(version)
        except ValueError:
            continue
        if start <= day <= end:
            return version
        spans.append((start, end, version))
    if strict or not spans:
        return None
    spans.sort(key=lambda s: s[0])
    before = [s for s in spans if s[1] < day]
    return (before[-1] if before else spans[0])[2]


def value_on(value, day: dt.date):
    """A fact's value on *day* (a plain fact is returned as it is)."""
    if not is_dated(value):
        return value
    version = _version_on(value, day)
    return version.get("value") if version else None


def facts_on(data: dict, day) -> dict:
    """The plain facts of school.yml in force on *day* (a date or datetime)."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return {key: value_on(value, day) for key, value in (data or {}).items()}


def changes(data: dict) -> list[dt.date]:
    """Every day on which some fact changes (a version's `from`), sorted."""
    days = set()
    for value in (data or {}).values():
        if is_dated(value):
            for version in value:
                try:
                    start = _day(version.get("from"))
                except ValueError:
                    continue
                if start:
                    days.add(start)
    return sorted(days)


def item_day(item) -> dt.date | None:
    """The day a post or document speaks for: its date (Date:, or Issued: for a document).

    Pages without their own date (section texts such as Liên hệ) speak for today: None.
    `Modified:` is not used: an old page corrected today still speaks for its own date."""
    if item is None:
        return None
    for attr in ("portal_issued", "date"):
        value = getattr(item, attr, None)
        if attr == "date" and type(item).__name__ == "Page" and "date" not in item.metadata:
            value = None
        if value:
            try:
                return value.date() if isinstance(value, dt.datetime) else parse_iso(value).date()
            except (ValueError, TypeError):
                return None
    return None
