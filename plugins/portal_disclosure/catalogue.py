"""The disclosure catalogue (catalogue.yml) and the school's event dates: loading and checks."""

from __future__ import annotations

import datetime as dt
import re

from portal_core import levels as lv
from portal_core.dates import parse_school_year
from portal_core.problems import WARNING, Problem
from portal_core.public import LegalNote, working_notes
from portal_core.text import closest, fold

from .deadlines import PERIOD_FORMS, RULE_KINDS, parse_rollover
from . import versions as ver

PLUGIN = "portal_disclosure"
ITEM_ID = re.compile(r"^CK[-\s_]?0*(\d{1,3})$", re.IGNORECASE)
RULES = set(RULE_KINDS)
EVENT_RULES = {"before_event", "after_event"}


def validate_catalogue(data, file: str) -> list[Problem]:
    """Problems in catalogue.yml (a maintainer's file: every mistake is an error)."""
    def problem(field, value, message, hint=""):
        return Problem(file, field, str(value), message, hint, plugin=PLUGIN)

    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return [problem("items", "", "Danh mục công khai phải có danh sách «items».")]
    problems = []
    categories = {c.get("id") for c in data.get("categories") or [] if isinstance(c, dict)}
    seen = set()
    for index, item in enumerate(data["items"]):
        where = f"items[{index}]"
        if not isinstance(item, dict):
            problems.append(problem(where, item, "Mỗi mục phải là một bảng khóa: giá trị."))
            continue
        for key in ("id", "name", "category", "basis"):
            if not item.get(key):
                problems.append(problem(f"{where}.{key}", "", "Thiếu thông tin bắt buộc."))
        if item.get("id") in seen:
            problems.append(problem(f"{where}.id", item["id"], "Mã mục bị trùng."))
        problems += lv.validate_item_levels(item.get("levels"), file, f"{where}.levels", PLUGIN)
        seen.add(item.get("id"))
        if item.get("category") and item["category"] not in categories:
            problems.append(problem(f"{where}.category", item["category"],
                                    "Nhóm không có trong «categories».",
                                    "Chọn một trong: " + ", ".join(sorted(categories))))
        version_errors = ver.validate(item, where, ver.levels(data))
        problems += [problem(f, v, m, h) for f, v, m, h in version_errors]
        chain = [] if version_errors else ver.versions_of(item)
        for version in chain or [ver.Version(item, 0)]:
            unit = version.item.get("periods")
            if unit and unit not in PERIOD_FORMS:
                problems.append(problem(f"{where}.periods", unit, "Loại kỳ không hợp lệ.",
                                        "Dùng: " + ", ".join(PERIOD_FORMS)))
                break
        if item.get("facts") is not None and not isinstance(item.get("facts"), dict):
            problems.append(problem(f"{where}.facts", item["facts"], "«facts» phải là một bảng: "
                                    "khóa của school.yml → tên gọi cho người đọc.",
                                    "Ví dụ: facts: {managing_body: cơ quan quản lý trực tiếp}"))
        for field, value in public_fields(item, where):
            found = working_notes(value)
            if found:
                problems.append(problem(field, value, "Ghi chú làm việc («" + "», «".join(found)
                                        + "») trong một trường được xuất bản.",
                                        "Chuyển ghi chú sang «note» và mức tin cậy sang "
                                        "«confidence» của căn cứ (chỉ người duy trì đọc)."))
        rules = []
        for rule in (rule for version in chain for rule in _rules(version.item)):
            if rule not in rules:  # versions share the item's rules: one problem each
                rules.append(rule)
        for rule in rules:
            if not isinstance(rule, dict) or rule.get("rule") not in RULES:
                problems.append(problem(f"{where}.deadline", rule, "Quy tắc hạn không hợp lệ.",
                                        "Dùng: " + ", ".join(sorted(RULES))))
            elif rule["rule"] in EVENT_RULES and not rule.get("event"):
                problems.append(problem(f"{where}.deadline", rule, "Quy tắc theo sự kiện thiếu "
                                        "tên sự kiện (event).",
                                        "Ví dụ: {rule: after_event, event: budget_assigned, "
                                        "days: 15}"))
            elif rule["rule"] in ("fixed", "before_date") and not (
                    rule.get("day") and rule.get("month")):
                problems.append(problem(f"{where}.deadline", rule, "Quy tắc ngày cố định thiếu "
                                        "ngày hoặc tháng.", "Ví dụ: {rule: before_date, day: 30, "
                                        "month: 6, year: end}"))
        if not item.get("optional") and any(v.judged and not v.item.get("deadline")
                                            for v in chain):
            problems.append(problem(f"{where}.deadline", "", "Mục bắt buộc phải có hạn."))
    for index, entry in enumerate(data.get("repealed") or []):
        if not isinstance(entry, dict) or not entry.get("law") or not entry.get("cites") \
                or not isinstance(entry.get("from"), dt.date):
            problems.append(problem(f"repealed[{index}]", entry, "Mỗi văn bản hết hiệu lực cần "
                                    "«law», «from» (YYYY-MM-DD) và «cites».",
                                    "Ví dụ: {law: Thông tư 61/2017/TT-BTC, from: 2026-03-25, "
                                    "cites: [61/2017/TT-BTC], instead: …}"))
    opens = data.get("next_year_opens")
    if opens is not None and not (isinstance(opens, dict) and _valid_day(opens)):
        problems.append(problem("next_year_opens", opens, "Ngày mở năm học mới không hợp lệ.",
                                "Ví dụ: next_year_opens: {month: 1, day: 1}"))
    _, errors = parse_rollover(data.get("deadline_rollover"))
    problems += [problem(field, value, message,
                         "Ví dụ: {rules: [fixed, after_event], to: next_working_day, basis: "
                         "{text: …, confidence: RECALL}}") for field, value, message in errors]
    return problems


def _valid_day(value: dict) -> bool:
    try:
        dt.date(2024, int(value.get("month", 0)), int(value.get("day", 0)))
    except (TypeError, ValueError):
        return False
    return True


def public_fields(item: dict, where: str):
    """(field, text) of everything of an item (and its versions) that readers see."""
    entries = [(where, item)] + [(f"{where}.versions[{n}]", v) for n, v in
                                 enumerate(item.get("versions") or []) if isinstance(v, dict)]
    for prefix, entry in entries:
        for key in ("name", "description", "law", "reason", "shortcut"):
            if entry.get(key):
                yield f"{prefix}.{key}", str(entry[key])
        for n, basis in enumerate(entry.get("basis") or []):
            if isinstance(basis, dict) and basis.get("text"):
                yield f"{prefix}.basis[{n}].text", str(basis["text"])
        retention = entry.get("retention")
        if isinstance(retention, dict) and retention.get("text"):
            yield f"{prefix}.retention.text", str(retention["text"])
        for alias in entry.get("aliases") or []:
            yield f"{prefix}.aliases", str(alias)
        for key, label in (entry.get("facts") or {}).items() if isinstance(
                entry.get("facts"), dict) else ():
            yield f"{prefix}.facts.{key}", str(label)


def legal_notes(catalogue: dict, file: str) -> list[LegalNote]:
    """Every basis line of the catalogue with its tag and note (the maintainers' report)."""
    known = ver.levels(catalogue)
    notes = []

    def add(where, basis, valid_from=None, valid_to=None):
        if not isinstance(basis, dict) or not basis.get("text"):
            return
        tag = ver.confidence_tag(basis.get("confidence"))
        notes.append(LegalNote(file, where, str(basis["text"]), tag or "?",
                               str(basis.get("note") or ""),
                               known.get(tag, {}).get("verified", False),
                               str(valid_from) if valid_from else None,
                               str(valid_to) if valid_to else None))

    seen = set()
    for index, item in enumerate(catalogue.get("items") or []):
        if not isinstance(item, dict):
            continue
        where = f"items[{index}] ({item.get('id', '')})"
        try:
            chain = ver.versions_of(item)
        except ValueError:
            chain = []
        for version in chain:
            raw = (item.get("versions") or [{}])[version.index] if item.get("versions") else {}
            if isinstance(raw, dict) and raw.get("confidence"):  # the version's own dates
                key = ("dates", version.valid_from, version.valid_to, str(raw.get("note")))
                if key not in seen:
                    seen.add(key)
                    add(f"{where}.versions[{version.index}]",
                        {"text": f"Ngày áp dụng của {version.item.get('law') or catalogue.get('law') or 'phiên bản'}",
                         "confidence": raw["confidence"], "note": raw.get("note")},
                        version.valid_from, version.valid_to)
            for n, basis in enumerate(version.item.get("basis") or []):
                key = (str(basis), version.valid_from, version.valid_to)
                if key in seen:  # a line shared by many items (YAML anchors): listed once
                    continue
                seen.add(key)
                add(f"{where}.versions[{version.index}].basis[{n}]" if item.get("versions")
                    else f"{where}.basis[{n}]", basis, version.valid_from, version.valid_to)
        retention = item.get("retention")
        if isinstance(retention, dict) and retention.get("confidence"):
            add(f"{where}.retention", {**retention, "text": f"Lưu {retention.get('years')} năm"
                                       + (f" ({retention['text']})" if retention.get("text")
                                          else "")})
        if isinstance(item.get("fallback"), dict) and item["fallback"].get("confidence"):
            add(f"{where}.fallback", {**item["fallback"],
                                      "text": "Hạn ước tính khi chưa có ngày của sự kiện"})
    retention = catalogue.get("retention_default")
    if isinstance(retention, dict):
        add("retention_default", {**retention,
                                  "text": f"Lưu tối thiểu {retention.get('years')} năm"})
    for index, entry in enumerate(catalogue.get("deadline_rollover") or []):
        if isinstance(entry, dict):
            add(f"deadline_rollover[{index}].basis", entry.get("basis"))
    return notes


LEVEL_TEXT_KEYS = ("name", "description", "basis")


def validate_level_text(data, file: str) -> list[Problem]:
    """levels.yml beside the catalogue: {item id: {level: {name, description, basis}}}."""
    problems = []
    overrides = (data or {}).get("overrides") if isinstance(data, dict) else None
    for ident, by_level in (overrides or {}).items():
        for level, fields in (by_level or {}).items():
            where = f"overrides.{ident}.{level}"
            if level not in lv.levels():
                problems.append(Problem(file, where, str(level), "Cấp học không có.",
                                        "Dùng: " + ", ".join(lv.levels()), plugin=PLUGIN))
            for key in sorted(set(fields or {}) - set(LEVEL_TEXT_KEYS)):
                problems.append(Problem(file, f"{where}.{key}", str(fields[key]),
                                        "Khóa không được hỗ trợ.",
                                        "Dùng: " + ", ".join(LEVEL_TEXT_KEYS), plugin=PLUGIN))
    return problems


def for_school(catalogue: dict, school: dict, level_text: dict | None = None) -> dict:
    """The catalogue of one school: the items of its levels (a kindergarten has no graduation
    results, a primary school no grade-10 enrolment), worded for its level. A school without
    ``level`` keeps every item."""
    level = str((school or {}).get("level") or "")
    overrides = ((level_text or {}).get("overrides") or {}) if isinstance(level_text, dict) else {}
    items = []
    for item in catalogue.get("items") or []:
        if not isinstance(item, dict) or not lv.applies(item.get("levels"), school):
            continue
        fields = (overrides.get(item.get("id")) or {}).get(level) or {}
        items.append({**item, **{k: v for k, v in fields.items() if k in LEVEL_TEXT_KEYS}}
                     if fields else item)
    return {**catalogue, "items": items}


def _rules(item: dict) -> list:
    """An item's (or a version's) deadline rules and its fallback rule."""
    return list(item.get("deadline") or []) + ([item["fallback"]] if item.get("fallback")
                                               else [])


def event_names(catalogue: dict) -> set[str]:
    """The event names the catalogue's rules use (enrolment_start, budget_assigned …)."""
    names = set()
    for item in catalogue.get("items") or []:
        if not isinstance(item, dict):
            continue
        rules = list(_rules(item))
        for entry in item.get("versions") or []:
            if isinstance(entry, dict):
                rules += _rules(entry)
        names |= {str(r["event"]) for r in rules if isinstance(r, dict) and r.get("event")}
    return names


def expired_versions(catalogue: dict, today, file: str) -> list[Problem]:
    """A warning per item whose last version ended before *today* with no successor."""
    problems = []
    for index, item in enumerate(catalogue.get("items") or []):
        if not isinstance(item, dict):
            continue
        try:
            ended = ver.expired(item, today)
        except ValueError:
            continue  # a malformed date: validate_catalogue reports it
        for version in ended:
            problems.append(Problem(
                file, f"items[{index}] ({item.get('id', '')}).versions[{version.index}].valid_to",
                str(version.valid_to),
                f"Quy định của mục {item.get('id', '')} hết hiệu lực từ sau ngày "
                f"{version.valid_to:%d/%m/%Y} mà danh mục chưa có phiên bản kế tiếp: các dòng "
                "sau ngày đó sẽ ghi «Không đánh giá».",
                "Thêm một phiên bản có valid_from là ngày liền sau, với căn cứ của văn bản mới "
                "(xem docs/legal.md).", severity=WARNING, plugin=PLUGIN))
    return problems


def items_by_id(catalogue: dict) -> dict[str, dict]:
    return {item["id"]: item for item in catalogue.get("items") or [] if isinstance(item, dict)}


def normalize_item_id(value: str) -> str:
    """"ck-5", "CK 05", "ck05" → "CK-05" (anything else is returned stripped)."""
    text = str(value).strip()
    match = ITEM_ID.match(text)
    return f"CK-{int(match.group(1)):02d}" if match else text


def suggest_item(value: str, catalogue: dict) -> str:
    """A Vietnamese hint for an unknown item id: closest id, or the item an old label names."""
    items = items_by_id(catalogue)
    by_alias: dict[str, list[str]] = {}
    for item in items.values():
        for alias in [item.get("name", "")] + list(item.get("aliases") or []):
            by_alias.setdefault(fold(alias), []).append(item["id"])
    if fold(value) in by_alias:
        ids = by_alias[fold(value)]
        return f"«{value}» nay là mục {', '.join(ids)}; ghi «Disclosure: {ids[0]}»."
    guess = closest(value, {fold(i): i for i in items}, limit=1)
    if not guess:
        guess = [by_alias[k][0] for k in closest(value, {k: k for k in by_alias}, limit=1)]
    if guess:
        name = items[guess[0]].get("name", "")
        return f"Có phải ý bạn là: {guess[0]} ({name})?"
    return ("Mã mục có dạng CK-01 (trang /cong-khai/ liệt kê mọi mục của trường theo cấp học; "
            "danh mục: portal_disclosure/catalogue.yml).")


def applicable(item: dict, school: dict) -> bool:
    """Whether an item applies to this school (applies_if against content/data/school.yml)."""
    for key, expected in (item.get("applies_if") or {}).items():
        actual = (school or {}).get(key)
        if isinstance(expected, str):
            if fold(str(actual or "")) != fold(expected):
                return False
        elif bool(actual) != bool(expected):
            return False
    return True


def not_applicable_reason(item: dict) -> str:
    conditions = item.get("applies_if") or {}
    if "serves_meals" in conditions:
        return "Nhà trường không tổ chức ăn cho học sinh."
    if "type" in conditions:
        return f"Chỉ áp dụng cho trường {conditions['type'].lower()}."
    return "Không áp dụng cho nhà trường."


def load_events(data, file: str, known: set[str] | None = None
                ) -> tuple[dict[int, dict[str, dt.date]], list[Problem]]:
    """content/data/disclosure.yml: event dates per school year, keyed by start year.

    *known* is the set of event names the catalogue uses (event_names): any other name is a
    problem (a misspelt event would silently leave its deadline "estimated").
    """
    problems: list[Problem] = []
    events: dict[int, dict[str, dt.date]] = {}
    if data is None:
        return events, problems
    years = data.get("school_years") if isinstance(data, dict) else None
    if not isinstance(years, dict):
        return events, [Problem(file, "school_years", "", "Thiếu «school_years».",
                                "Ví dụ: school_years: {2024-2025: {enrolment_start: 2024-05-06}}",
                                plugin=PLUGIN)]
    for year, values in years.items():
        try:
            start, _ = parse_school_year(str(year))
        except ValueError:
            problems.append(Problem(file, f"school_years.{year}", str(year),
                                    "Năm học không hợp lệ.", "Dạng 2024-2025 (hai năm liên tiếp).",
                                    plugin=PLUGIN))
            continue
        events[start] = {}
        for name, value in (values if isinstance(values, dict) else {}).items():
            if known is not None and str(name) not in known:
                guess = closest(str(name), {fold(k): k for k in known}, limit=1)
                problems.append(Problem(
                    file, f"school_years.{year}.{name}", str(name),
                    "Tên mốc thời gian không có trong danh mục công khai.",
                    (f"Có phải ý bạn là: {guess[0]}? " if guess else "")
                    + "Các mốc: " + ", ".join(sorted(known)) + ".", plugin=PLUGIN))
                continue
            try:
                day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            except ValueError:
                problems.append(Problem(file, f"school_years.{year}.{name}", str(value),
                                        "Ngày không hợp lệ.", "Dạng YYYY-MM-DD.", plugin=PLUGIN))
                continue
            events[start][str(name)] = day
    return events, problems
