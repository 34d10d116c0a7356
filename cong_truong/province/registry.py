"""The Sở's registry of schools (registry.yml): reading it tolerantly, one Vietnamese line per
fault (a missing code, a duplicated code, a bad URL, an unknown level); a faulty entry never
stops the dashboard."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from urllib.parse import urlsplit

import yaml

from portal_core.text import fold, slugify

# Levels (cấp học): id → label. A registry may write the id, the label or a common alias.
LEVELS = {
    "mam-non": "Mầm non",
    "tieu-hoc": "Tiểu học",
    "thcs": "THCS",
    "thpt": "THPT",
    "lien-cap": "Liên cấp",
    "gdtx": "GDNN – GDTX",
}
LEVEL_ALIASES = {"mn": "mam-non", "mau giao": "mam-non", "th": "tieu-hoc", "c1": "tieu-hoc",
                 "c2": "thcs", "c3": "thpt", "trung hoc co so": "thcs",
                 "trung hoc pho thong": "thpt", "gdnn-gdtx": "gdtx", "gdnn gdtx": "gdtx"}
UNKNOWN_LEVEL = "chua-ro"
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]|&#?\w+;|javascript:", re.IGNORECASE)
DEFAULT_HARVEST = {"concurrency": 16, "timeout": 20.0, "max_bytes": 5_000_000, "retries": 2,
                   "backoff": 1.0}


@dataclasses.dataclass
class School:
    code: str
    name: str
    level: str  # an id of LEVELS, or UNKNOWN_LEVEL
    commune: str
    url: str  # the portal's root, ending with "/" ("" when unusable)
    line: int  # 1-based position in the registry's list
    faults: list = dataclasses.field(default_factory=list)  # registry faults (Vietnamese)
    raw_url: str = ""

    @property
    def key(self) -> str:
        """A folder/URL-safe name for the school, unique per code."""
        slug = slugify(self.code)[:40] or "truong"
        if slug == self.code:
            return slug
        return f"{slug}-{hashlib.sha256(self.code.encode()).hexdigest()[:8]}"

    @property
    def level_label(self) -> str:
        return LEVELS.get(self.level, "Chưa rõ cấp học")

    @property
    def commune_key(self) -> str:
        return slugify(self.commune) or "chua-ro"


@dataclasses.dataclass
class Registry:
    province: str = ""
    managing_body: str = ""
    parent_body: str = ""
    scoring: str = ""
    report: dict = dataclasses.field(default_factory=dict)
    harvest: dict = dataclasses.field(default_factory=lambda: dict(DEFAULT_HARVEST))
    rules: dict = dataclasses.field(default_factory=dict)
    schools: list = dataclasses.field(default_factory=list)
    faults: list = dataclasses.field(default_factory=list)  # (code or "", line) pairs


def level_id(value) -> str | None:
    text = fold(str(value or "")).strip()
    if not text:
        return None
    for key, label in LEVELS.items():
        if text in (key, fold(label)):
            return key
    return LEVEL_ALIASES.get(text) or LEVEL_ALIASES.get(text.replace("-", " "))


def portal_url(value) -> tuple[str, str]:
    """(normalised root URL ending with "/", fault) for a registry URL."""
    text = str(value or "").strip()
    if not text:
        return "", "Thiếu địa chỉ cổng (url)."
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in text \
            or parts.query or parts.fragment:
        return "", (f"Địa chỉ cổng không hợp lệ: «{text}» (cần dạng https://ten-truong.edu.vn/).")
    try:
        parts.port  # noqa: B018 — raises ValueError for a bad port
    except ValueError:
        return "", f"Địa chỉ cổng không hợp lệ: «{text}» (cổng mạng sai)."
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}", ""


def has_markup(text: str) -> bool:
    return bool(MARKUP.search(str(text or "")))


def load(path: str) -> tuple[Registry, list[str]]:
    """The registry and the errors that stop everything (the file missing or not YAML);
    faults of single entries are in ``registry.faults`` and the schools' ``faults``."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except OSError as error:
        return Registry(), [f"Không đọc được danh sách trường «{path}»: {error.strerror}."]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (dòng {mark.line + 1}, cột {mark.column + 1})" if mark else ""
        return Registry(), [f"Danh sách trường «{path}» không phải YAML hợp lệ{where}."]
    return parse(data)


def parse(data) -> tuple[Registry, list[str]]:
    registry = Registry()
    if isinstance(data, list):
        entries = data
    elif isinstance(data, dict) and isinstance(data.get("schools"), list):
        entries = data["schools"]
        registry.province = str(data.get("province") or "")
        registry.managing_body = str(data.get("managing_body") or "")
        registry.parent_body = str(data.get("parent_body") or "")
        registry.scoring = str(data.get("scoring") or "")
        registry.report = data.get("report") if isinstance(data.get("report"), dict) else {}
        registry.rules = data.get("rules") if isinstance(data.get("rules"), dict) else {}
        harvest = data.get("harvest") if isinstance(data.get("harvest"), dict) else {}
        for key, default in DEFAULT_HARVEST.items():
            value = harvest.get(key, default)
            try:
                value = type(default)(value)
                if value < 0 or (key in ("concurrency", "max_bytes", "timeout") and value <= 0):
                    raise ValueError
            except (TypeError, ValueError):
                registry.faults.append(("", f"Thiết lập harvest.{key} không hợp lệ: «{value}»; "
                                            f"dùng mặc định {default}."))
                value = default
            registry.harvest[key] = value
    else:
        return registry, ["Danh sách trường phải là một danh sách, hoặc có mục «schools:» là "
                          "danh sách (mỗi trường: code, name, level, commune, url)."]
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            registry.faults.append(("", f"Mục thứ {index} của danh sách không phải một trường "
                                        "(cần code, name, level, commune, url): bỏ qua."))
            continue
        code = str(entry.get("code") if entry.get("code") is not None else "").strip()
        if not code:
            registry.faults.append(("", f"Mục thứ {index} của danh sách thiếu mã trường (code): "
                                        "bỏ qua."))
            continue
        if code in seen:
            registry.faults.append((code, f"Mã trường «{code}» bị trùng (mục thứ {seen[code]} và "
                                          f"mục thứ {index}): chỉ thu thập mục thứ {seen[code]}."))
            continue
        seen[code] = index
        name = str(entry.get("name") or "").strip()
        school = School(code=code, name=name or f"(chưa có tên: {code})", level=UNKNOWN_LEVEL,
                        commune=str(entry.get("commune") or "").strip(), url="", line=index,
                        raw_url=str(entry.get("url") or ""))
        if not name:
            school.faults.append("Danh sách thiếu tên trường (name).")
        level = level_id(entry.get("level"))
        if level is None:
            if entry.get("level"):
                school.faults.append(f"Cấp học không rõ: «{entry.get('level')}» (dùng: "
                                     + ", ".join(LEVELS) + ").")
        else:
            school.level = level
        if not school.commune:
            school.faults.append("Danh sách thiếu xã/phường (commune).")
        school.url, fault = portal_url(entry.get("url"))
        if fault:
            school.faults.append(fault)
        if has_markup(name):
            school.faults.append("Tên trường trong danh sách có thẻ HTML hoặc mã script: hiển "
                                 "thị nguyên văn như chữ.")
        registry.schools.append(school)
    return registry, []
