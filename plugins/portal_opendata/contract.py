"""The open-data contract: the kinds of file a portal publishes, their versioned JSON Schemas
(``schemas/<kind>.v<N>.json``, shipped in the package) and validation with Vietnamese messages.

A writer (the school's build) validates what it writes; a reader (the Sở's dashboard) accepts a
file only in a schema version it knows (``KNOWN``) and validates it the same way. Pure functions:
no Pelican here.
"""

from __future__ import annotations

import functools
import json
import os

from jsonschema import Draft202012Validator

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = os.path.join(HERE, "schemas")
MANIFEST = "du-lieu-mo"
# kind → the schema versions this package reads (a writer writes the last one)
KNOWN = {
    "du-lieu-mo": (1,),
    "cong-khai": (1,),
    "tuan-thu": (1,),
    "hoat-dong": (1,),
    "bao-cao-truyen-thong": (1,),
}
KIND_LABELS = {
    "du-lieu-mo": "bản kê dữ liệu mở",
    "cong-khai": "công khai (TT 09/2024)",
    "tuan-thu": "tuân thủ cấu trúc cổng (TT 37/2020)",
    "hoat-dong": "hoạt động (bài viết, sự cố, phản ánh)",
    "bao-cao-truyen-thong": "báo cáo công tác truyền thông",
}
TYPES_VI = {"string": "chuỗi chữ", "integer": "số nguyên", "number": "số", "boolean": "true/false",
            "array": "danh sách", "object": "bảng khóa–giá trị", "null": "null (trống)"}
MAX_ERRORS = 20  # per file: the first ones, then a count


def current(kind: str) -> int:
    """The schema version a writer of this package writes for *kind*."""
    return KNOWN[kind][-1]


def accepts(kind: str, version) -> bool:
    return isinstance(version, int) and not isinstance(version, bool) \
        and version in KNOWN.get(kind, ())


def schema_path(kind: str, version: int) -> str:
    return os.path.join(SCHEMAS, f"{kind}.v{version}.json")


@functools.lru_cache(maxsize=None)
def validator(kind: str, version: int) -> Draft202012Validator:
    with open(schema_path(kind, version), encoding="utf-8") as handle:
        schema = json.load(handle)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def json_path(parts) -> str:
    """deque(['rows', 3, 'published']) → "rows[3].published" ("(gốc)" for the root)."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(gốc)"


def short(value, limit: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(error) -> tuple[str, str, str]:
    """(field, value, Vietnamese message) for one jsonschema error."""
    kind, expected, instance = error.validator, error.validator_value, error.instance
    field = json_path(error.absolute_path)
    if kind == "required":
        missing = [name for name in expected if isinstance(instance, dict) and name not in instance]
        name = missing[0] if missing else "?"
        return (f"{field}.{name}" if field != "(gốc)" else name, "",
                f"Thiếu trường bắt buộc «{name}».")
    if kind == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        return field, short(instance), "Sai kiểu: cần " + " hoặc ".join(
            TYPES_VI.get(t, t) for t in wanted) + "."
    if kind in ("enum", "const"):
        values = expected if kind == "enum" else [expected]
        return field, short(instance), "Giá trị không được phép: cần một trong " + ", ".join(
            short(v) for v in values) + "."
    if kind == "pattern":
        hint = {"^\\d{4}-\\d{2}-\\d{2}$": "ngày dạng YYYY-MM-DD",
                "^\\d{4}-\\d{4}$": "năm học dạng 2025-2026"}.get(expected, f"dạng {expected}")
        if "T\\d{2}" in expected:
            hint = "ngày giờ dạng YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM"
        return field, short(instance), f"Không đúng dạng: cần {hint}."
    if kind in ("minimum", "maximum"):
        sign = "≥" if kind == "minimum" else "≤"
        return field, short(instance), f"Giá trị phải {sign} {expected}."
    if kind == "minItems":
        return field, short(instance), f"Danh sách cần ít nhất {expected} phần tử."
    if kind == "propertyNames":
        return field, short(instance), "Tên khóa không đúng dạng."
    return field, short(instance), f"Không khớp lược đồ ({kind})."


def validate(kind: str, version: int, data) -> list[tuple[str, str, str]]:
    """Every problem of *data* against the schema of *kind* version *version*, as (field,
    value, message); at most MAX_ERRORS, then one line with the count of the others."""
    if not accepts(kind, version):
        known = ", ".join(str(v) for v in KNOWN.get(kind, ())) or "không có"
        return [("schema_version", short(version),
                 f"Phiên bản lược đồ không được hỗ trợ cho loại «{kind}» (đọc được: {known}).")]
    errors = sorted(validator(kind, version).iter_errors(data),
                    key=lambda e: [str(p) for p in e.absolute_path])
    found = [describe(e) for e in errors[:MAX_ERRORS]]
    if len(errors) > MAX_ERRORS:
        found.append(("…", "", f"và {len(errors) - MAX_ERRORS} lỗi khác cùng loại."))
    return found
