"""Loading YAML data (school facts, site structure, catalogues) with clear problems."""

from __future__ import annotations

import datetime as dt
import os

import yaml

from .problems import ERROR, Problem, relative
from .school_facts import changes, facts_on, is_dated, validate_dated

# PyYAML's safe loader, in C (libyaml, inside PyYAML's wheels) when available: the same
# results and error marks, 10–20 times faster on the catalogues.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: str, base: str, plugin: str = "portal_core") -> tuple[object, list[Problem]]:
    """Read a YAML file; return (data, problems). Never raises for a content mistake."""
    rel = relative(path, base)
    if not os.path.exists(path):
        return None, [Problem(rel, "", "", "Không tìm thấy tệp dữ liệu (file not found).",
                              plugin=plugin)]
    real_base = os.path.realpath(base)
    outside = (os.path.commonpath([os.path.abspath(base), os.path.abspath(path)])
               == os.path.abspath(base)
               and os.path.commonpath([real_base, os.path.realpath(path)]) != real_base)
    if os.path.islink(path) or outside or not os.path.isfile(path):
        # never read through a link: its target (.git/config, a system file) would be read and
        # its values could be echoed in the report
        return None, [Problem(rel, "", "", "Tệp dữ liệu là liên kết tượng trưng (symlink) hoặc "
                              "không phải tệp thường: không được đọc.",
                              "Thay liên kết bằng chính tệp YAML.", plugin=plugin)]
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=SAFE_LOADER), []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        return None, [Problem(rel, "", "", f"Tệp YAML sai cú pháp: {getattr(exc, 'problem', exc)}",
                              "Kiểm tra thụt lề (dùng dấu cách, không dùng tab) và dấu hai chấm.",
                              line=line, plugin=plugin)]
    except UnicodeDecodeError:
        return None, [Problem(rel, "", "", "Tệp không phải UTF-8.", "Lưu tệp với mã hóa UTF-8.",
                              plugin=plugin)]


def require_fields(record: dict, fields: list[str], file: str, prefix: str,
                   plugin: str = "portal_core") -> list[Problem]:
    """Problems for each of *fields* that is missing or empty in *record*."""
    problems = []
    for name in fields:
        value = record.get(name) if isinstance(record, dict) else None
        if value in (None, "", []):
            problems.append(Problem(file, f"{prefix}{name}", "", "Thiếu thông tin bắt buộc.",
                                    f"Thêm «{name}: …» vào {prefix.rstrip('.') or 'tệp'}.",
                                    severity=ERROR, plugin=plugin))
    return problems


SCHOOL_FIELDS = ["name", "managing_body", "email", "phone", "domain", "sites", "leaders",
                 "spokesperson"]
LEADER_FIELDS = ["name", "position", "phone", "email", "duties"]
# Personal data that the law does not ask for and that must not be published (§4.3).
PRIVATE_LEADER_FIELDS = {"birth_date", "ngay_sinh", "date_of_birth", "home_address",
                         "dia_chi_nha", "mobile", "personal_email", "cccd", "id_number"}


def validate_school(data, file: str, today: dt.date | None = None) -> list[Problem]:
    """Check content/data/school.yml: required facts present, nothing private published.

    Facts with dates (school_facts.py) are checked as versions (overlaps, gaps, dates), then
    the facts in force today and on each day a fact changes are checked like plain facts."""
    if not isinstance(data, dict):
        return [Problem(file, "", "", "Tệp thông tin trường phải là một bảng khóa: giá trị.")]
    from .levels import validate_school_level

    level_problems = validate_school_level(data, file)
    problems = validate_dated(data, file, today)
    if problems or not any(is_dated(v) for v in data.values()):
        return level_problems + problems + _validate_facts(
            data if not problems else facts_on(data, today or dt.date.today()), file)
    days = {today or dt.date.today()}
    for day in changes(data):
        days |= {day, day - dt.timedelta(days=1)}
    found: list[Problem] = []
    for day in sorted(days):
        for problem in _validate_facts(facts_on(data, day), file):
            if problem not in found:
                found.append(problem)
    return level_problems + found


def _validate_facts(data: dict, file: str) -> list[Problem]:
    """The checks of plain (undated) school facts."""
    problems = require_fields(data, SCHOOL_FIELDS, file, "")
    for index, site in enumerate(data.get("sites") or []):
        problems += require_fields(site, ["name", "address"], file, f"sites[{index}].")
    for index, leader in enumerate(data.get("leaders") or []):
        problems += require_fields(leader, LEADER_FIELDS, file, f"leaders[{index}].")
        for key in sorted(set(leader or {}) & PRIVATE_LEADER_FIELDS):
            problems.append(Problem(
                file, f"leaders[{index}].{key}", str(leader[key]),
                "Thông tin cá nhân không được công bố (chỉ họ tên, chức vụ, điện thoại và "
                "thư điện tử công vụ, nhiệm vụ).", "Xóa trường này."))
    problems += require_fields(data.get("spokesperson") or {}, ["name", "position", "phone",
                                                                "email"], file, "spokesperson.")
    return problems


def validate_site(data, file: str) -> list[Problem]:
    """Check content/data/site.yml: the categories (the menu is portal_sections')."""
    if not isinstance(data, dict):
        return [Problem(file, "", "", "Tệp cấu trúc trang phải là một bảng khóa: giá trị.")]
    problems = []
    for index, category in enumerate(data.get("categories") or []):
        problems += require_fields(category, ["name", "slug", "folder"], file,
                                   f"categories[{index}].")
    return problems
