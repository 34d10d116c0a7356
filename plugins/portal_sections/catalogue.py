"""The catalogue of mandated sections: loading, validation, school overrides, navigation.

Pure functions over plain data; problems are returned, never raised.
"""

from __future__ import annotations

import dataclasses
import os
import re

from portal_core import levels as lv
from portal_core.data import load_yaml
from portal_core.problems import ERROR, WARNING, Problem
from portal_core.public import working_notes
from portal_core.text import closest, fold

from . import law

PLUGIN = "portal_sections"
HERE = os.path.dirname(os.path.abspath(__file__))
CATALOGUE_PATH = os.path.join(HERE, "catalogue.yml")
LEVEL_TEXT_PATH = os.path.join(HERE, "levels.yml")  # wording per school level
LEVEL_TEXT_KEYS = ("title", "description", "must_contain", "nav", "order")

REQUIREMENTS = ("mandatory", "optional", "conditional")
CONFIDENCES = law.CONFIDENCES
PROVIDERS = ("pages", "category", "plugin", "data", "site")
LAYOUTS = ("list", "about", "contact", "leaders", "documents", "procedures", "consultations")
RULES = ("none", "max_age", "annual")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*$")
DAY_MONTH = re.compile(r"^(\d{1,2})/(\d{1,2})$")
OVERRIDE_KEYS = ("enabled", "nav", "order", "tags")


@dataclasses.dataclass
class Section:
    """One catalogue item, after the school's overrides."""

    id: str
    title: str
    description: str = ""
    requirement: str = "mandatory"
    condition: str = ""
    basis: list = dataclasses.field(default_factory=list)  # [{"ref", "confidence"}]
    must_contain: list = dataclasses.field(default_factory=list)
    item_fields: list = dataclasses.field(default_factory=list)
    update: dict = dataclasses.field(default_factory=lambda: {"rule": "none"})
    provided_by: str = "pages"
    data_key: str = ""
    plugin: str = ""
    context_key: str = ""
    url_prefix: str = ""
    layout: str = "list"
    nav: bool = False
    order: int = 0
    enabled: bool = True  # a school may switch off an optional section
    applicable: bool = True  # False: conditional and the condition is not met, or switched off
    tags: list = dataclasses.field(default_factory=list)  # article tags listed in the section
    valid_from: object = None  # dt.date: the section applies from (None: always)
    valid_to: object = None  # dt.date: the section applies until (None: open)
    search_terms: list = dataclasses.field(default_factory=list)  # what readers type to find it
    overdue_categories: list = dataclasses.field(default_factory=list)  # plugin rows it counts
    levels: object = None  # the catalogue's `levels:` ({ids, basis, confidence}); None: all

    @property
    def mandatory(self) -> bool:
        return self.requirement == "mandatory"

    @property
    def parent(self) -> str:
        return self.id.rsplit("/", 1)[0] if "/" in self.id else ""

    @property
    def url(self) -> str:
        """Site-relative URL of the landing page ("" when the section has none)."""
        return "" if self.provided_by == "site" else self.id + "/"

    @property
    def has_landing(self) -> bool:
        """This plugin writes /<id>/ (unless a page of the same slug is the landing)."""
        return self.provided_by in ("pages", "data") and self.data_key != "domain"

    def basis_text(self) -> str:
        """With the confidence tags: for maintainers only (never published)."""
        return "; ".join(f"{b['ref']} [{b['confidence']}]" for b in self.basis)

    def plain_basis(self, today) -> str:
        """The basis in force on *today*, in plain words with its dates (no tag, no note)."""
        return law.plain(law.basis_now(self.basis, today))

    def as_dict(self) -> dict:
        data = dataclasses.asdict(self)
        data.update(mandatory=self.mandatory, url=self.url, parent=self.parent)
        return data


def _problem(file, field, value, message, hint="", severity=ERROR) -> Problem:
    return Problem(file, field, str(value), message, hint, severity=severity, plugin=PLUGIN)


def parse_day_month(value) -> tuple[int, int] | None:
    """"30/6" → (30, 6); None when not a valid day/month."""
    match = DAY_MONTH.match(str(value).strip())
    if not match:
        return None
    day, month = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 and 1 <= day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11)
                                              else 31)):
        return None
    return day, month


def _validate_update(update, file, prefix) -> tuple[dict, list[Problem]]:
    if update is None:
        return {"rule": "none", "text": ""}, []
    if not isinstance(update, dict):
        return {"rule": "none", "text": str(update)}, [_problem(
            file, f"{prefix}.update", update, "Quy tắc cập nhật phải là một bảng khóa: giá trị.",
            "Ví dụ: {rule: annual, by: \"30/6\", text: …} hoặc {rule: max_age, days: 365}.")]
    rule = str(update.get("rule", "none"))
    problems = []
    clean = {"rule": rule, "text": str(update.get("text") or "")}
    if rule not in RULES:
        problems.append(_problem(file, f"{prefix}.update.rule", rule,
                                 "Quy tắc cập nhật không hợp lệ.", "Dùng: " + ", ".join(RULES)))
        clean["rule"] = "none"
    elif rule == "max_age":
        days = update.get("days")
        if not isinstance(days, int) or isinstance(days, bool) or days <= 0:
            problems.append(_problem(file, f"{prefix}.update.days", days if days is not None else "",
                                     "Số ngày tối đa phải là số nguyên dương.", "Ví dụ: days: 365"))
            clean["rule"] = "none"
        else:
            clean["days"] = days
    elif rule == "annual":
        parsed = parse_day_month(update.get("by", ""))
        if not parsed:
            problems.append(_problem(file, f"{prefix}.update.by", update.get("by", ""),
                                     "Hạn hằng năm phải có dạng ngày/tháng.", "Ví dụ: by: \"30/6\""))
            clean["rule"] = "none"
        else:
            clean["by"] = f"{parsed[0]}/{parsed[1]}"
    return clean, problems


def validate_catalogue(data, file: str) -> tuple[list[Section], list[Problem]]:
    """Turn the catalogue's YAML data into Sections; every mistake becomes a problem.

    A malformed item is left out (with an ERROR naming it); the others are kept.
    """
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        return [], [_problem(file, "sections", "", "Danh mục phải có khóa «sections:» chứa danh "
                             "sách các mục.", "Xem chú thích ở đầu tệp catalogue.yml.")]
    sections: list[Section] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, raw in enumerate(data["sections"]):
        prefix = f"sections[{index}]"
        if not isinstance(raw, dict):
            problems.append(_problem(file, prefix, raw, "Mỗi mục phải là một bảng khóa: giá trị."))
            continue
        before = len(problems)
        ident = str(raw.get("id") or "")
        prefix = f"sections[{index}] ({ident or 'không có id'})"
        for key in ("id", "title", "requirement", "basis"):
            if raw.get(key) in (None, "", []):
                problems.append(_problem(file, f"{prefix}.{key}", "", "Thiếu thông tin bắt buộc.",
                                         f"Thêm «{key}: …»."))
        if ident and not ID_PATTERN.match(ident):
            problems.append(_problem(file, f"{prefix}.id", ident, "Mã mục không hợp lệ.",
                                     "Chữ thường không dấu, gạch nối, «/» cho mục con: "
                                     "gioi-thieu/co-cau-to-chuc"))
        if ident in seen:
            problems.append(_problem(file, f"{prefix}.id", ident, "Mã mục bị trùng."))
        if "/" in ident and ident.rsplit("/", 1)[0] not in seen:
            problems.append(_problem(file, f"{prefix}.id", ident,
                                     "Mục con phải đứng sau mục cha của nó.",
                                     f"Thêm mục «{ident.rsplit('/', 1)[0]}» trước."))
        requirement = str(raw.get("requirement") or "")
        if requirement and requirement not in REQUIREMENTS:
            problems.append(_problem(file, f"{prefix}.requirement", requirement,
                                     "Mức yêu cầu không hợp lệ.", "Dùng: " + ", ".join(REQUIREMENTS)))
        if requirement == "conditional" and not raw.get("condition"):
            problems.append(_problem(file, f"{prefix}.condition", "",
                                     "Mục có điều kiện cần khóa «condition».",
                                     "Tên một khóa trong content/data/school.yml, ví dụ "
                                     "serves_meals."))
        problems += lv.validate_item_levels(raw.get("levels"), file, f"{prefix}.levels", PLUGIN)
        basis, found = law.parse_basis(raw.get("basis") or [], file, prefix)
        problems += found
        valid_from, valid_to, found = law.parse_dates(raw, file, prefix)
        problems += found
        provided_by = str(raw.get("provided_by") or "pages")
        if provided_by not in PROVIDERS:
            problems.append(_problem(file, f"{prefix}.provided_by", provided_by,
                                     "Nguồn nội dung không hợp lệ.", "Dùng: " + ", ".join(PROVIDERS)))
        if provided_by == "data" and not raw.get("data_key"):
            problems.append(_problem(file, f"{prefix}.data_key", "",
                                     "Mục lấy từ dữ liệu cần khóa «data_key».",
                                     "Ví dụ: data_key: leaders"))
        layout = str(raw.get("layout") or "list")
        if layout not in LAYOUTS:
            problems.append(_problem(file, f"{prefix}.layout", layout, "Kiểu trình bày không hợp lệ.",
                                     "Dùng: " + ", ".join(LAYOUTS)))
        order = raw.get("order", 0)
        if not isinstance(order, int) or isinstance(order, bool):
            problems.append(_problem(file, f"{prefix}.order", order, "Thứ tự phải là số nguyên."))
            order = 0
        update, update_problems = _validate_update(raw.get("update"), file, prefix)
        problems += update_problems
        for key in ("search_terms", "overdue_categories"):
            if raw.get(key) is not None and not isinstance(raw.get(key), list):
                problems.append(_problem(file, f"{prefix}.{key}", raw[key],
                                         f"«{key}» phải là một danh sách.",
                                         f"Ví dụ: {key}: [tuyển sinh lớp 10]"))
        for field, text in _public_texts(raw, basis, update, prefix):
            found = working_notes(text)
            if found:
                problems.append(_problem(file, field, text, "Ghi chú làm việc («"
                                         + "», «".join(found) + "») trong một trường được xuất "
                                         "bản.", "Chuyển ghi chú sang «note» và mức tin cậy sang "
                                         "«confidence» của căn cứ (chỉ người duy trì đọc)."))
        unknown = sorted(set(raw) - {f.name for f in dataclasses.fields(Section)})
        for key in unknown:
            problems.append(_problem(file, f"{prefix}.{key}", raw[key], "Khóa không được hỗ trợ.",
                                     severity=WARNING))
        if len(problems) > before and any(p.severity == ERROR for p in problems[before:]):
            if ident:
                seen.add(ident)
            continue
        seen.add(ident)
        sections.append(Section(
            id=ident, title=str(raw["title"]), description=str(raw.get("description") or ""),
            requirement=requirement, condition=str(raw.get("condition") or ""),
            basis=basis, valid_from=valid_from, valid_to=valid_to,
            must_contain=[str(x) for x in raw.get("must_contain") or []],
            item_fields=[str(x).lower() for x in raw.get("item_fields") or []],
            update=update, provided_by=provided_by, data_key=str(raw.get("data_key") or ""),
            plugin=str(raw.get("plugin") or ""), context_key=str(raw.get("context_key") or ""),
            url_prefix=str(raw.get("url_prefix") or ""), layout=layout,
            nav=bool(raw.get("nav", False)), order=order,
            search_terms=[str(t) for t in raw.get("search_terms") or []
                          if isinstance(raw.get("search_terms"), list)],
            overdue_categories=[str(c) for c in raw.get("overdue_categories") or []
                                if isinstance(raw.get("overdue_categories"), list)],
            levels=raw.get("levels")))
    return sections, problems


def _public_texts(raw: dict, basis: list, update: dict, prefix: str):
    """(field, text) of everything of a section that readers see."""
    for key in ("title", "description"):
        if raw.get(key):
            yield f"{prefix}.{key}", str(raw[key])
    for n, line in enumerate(basis):
        yield f"{prefix}.basis[{n}].ref", line["ref"]
    for n, line in enumerate(raw.get("must_contain") or []):
        yield f"{prefix}.must_contain[{n}]", str(line)
    if update.get("text"):
        yield f"{prefix}.update.text", update["text"]
    for term in raw.get("search_terms") or [] if isinstance(raw.get("search_terms"), list) else []:
        yield f"{prefix}.search_terms", str(term)


def load_catalogue(path: str = CATALOGUE_PATH, base: str | None = None
                   ) -> tuple[list[Section], list[Problem]]:
    base = base or os.path.dirname(HERE)
    data, problems = load_yaml(path, base, plugin=PLUGIN)
    if problems:
        return [], problems
    rel = os.path.relpath(path, base).replace(os.sep, "/")
    return validate_catalogue(data, rel)


def load_level_text(path: str = LEVEL_TEXT_PATH, base: str | None = None
                    ) -> tuple[dict, list[Problem]]:
    """levels.yml: {section id: {level: {field: value}}}, checked against the known levels."""
    base = base or os.path.dirname(HERE)
    if not os.path.exists(path):
        return {}, []
    data, problems = load_yaml(path, base, plugin=PLUGIN)
    if problems:
        return {}, problems
    rel = os.path.relpath(path, base).replace(os.sep, "/")
    overrides = (data or {}).get("overrides") or {}
    if not isinstance(overrides, dict):
        return {}, [_problem(rel, "overrides", "", "«overrides:» phải là một bảng.")]
    clean: dict = {}
    for ident, by_level in overrides.items():
        for level, fields in (by_level or {}).items():
            where = f"overrides.{ident}.{level}"
            if level not in lv.levels():
                problems.append(_problem(rel, where, level, "Cấp học không có.",
                                         "Dùng: " + ", ".join(lv.levels())))
                continue
            unknown = sorted(set(fields or {}) - set(LEVEL_TEXT_KEYS))
            for key in unknown:
                problems.append(_problem(rel, f"{where}.{key}", fields[key],
                                         "Khóa không được hỗ trợ.",
                                         "Dùng: " + ", ".join(LEVEL_TEXT_KEYS)))
            clean.setdefault(str(ident), {})[level] = {
                k: v for k, v in (fields or {}).items() if k in LEVEL_TEXT_KEYS}
    return clean, problems


def for_level(sections: list[Section], school: dict, level_text: dict | None = None
              ) -> list[Section]:
    """The sections that apply to the school's levels, with their wording for its level.

    A section for none of the school's levels is left out (a kindergarten has no timetable
    section), and so are its children. A school without ``level`` keeps every section."""
    level = str((school or {}).get("level") or "")
    kept: list[Section] = []
    ids: set[str] = set()
    for section in sections:
        if not lv.applies(section.levels, school) or (section.parent and
                                                      section.parent not in ids):
            continue
        fields = ((level_text or {}).get(section.id) or {}).get(level) or {}
        if fields:
            section = dataclasses.replace(section, **{
                k: ([str(x) for x in v] if k == "must_contain" else v)
                for k, v in fields.items()})
        kept.append(section)
        ids.add(section.id)
    return kept


def _truthy(value) -> bool:
    if isinstance(value, str):
        return fold(value) in ("true", "yes", "co", "1")
    return bool(value)


def apply_school(sections: list[Section], school: dict, overrides, file: str
                 ) -> tuple[list[Section], list[Problem]]:
    """Apply the school's data: conditions (school.yml) and overrides (sections.yml).

    *overrides* is the ``sections:`` mapping of content/data/sections.yml:
    ``{id: {enabled, nav, order, tags}}``. Returns new Sections sorted by order.
    """
    problems: list[Problem] = []
    by_id = {s.id: dataclasses.replace(s) for s in sections}
    if overrides is None:
        overrides = {}
    if not isinstance(overrides, dict):
        problems.append(_problem(file, "sections", overrides,
                                 "«sections:» phải là một bảng: mã mục → tùy chọn.",
                                 "Ví dụ:\n        sections:\n          thuc-don: {nav: true}"))
        overrides = {}
    known = {s: s for s in by_id}
    for ident, options in overrides.items():
        ident = str(ident)
        if ident not in by_id:
            guess = closest(ident, known, limit=1)
            problems.append(_problem(file, f"sections.{ident}", ident, "Không có mục này trong danh "
                                     "mục.", f"Có phải ý bạn là: {guess[0]}?" if guess else
                                     "Các mã mục: " + ", ".join(by_id)))
            continue
        if not isinstance(options, dict):
            problems.append(_problem(file, f"sections.{ident}", options,
                                     "Tùy chọn của mục phải là một bảng khóa: giá trị.",
                                     "Ví dụ: {enabled: false} hoặc {nav: true, order: 35}"))
            continue
        section = by_id[ident]
        for key, value in options.items():
            if key not in OVERRIDE_KEYS:
                problems.append(_problem(file, f"sections.{ident}.{key}", value,
                                         "Khóa không được hỗ trợ.", "Dùng: " + ", ".join(OVERRIDE_KEYS)))
            elif key == "order" and (not isinstance(value, int) or isinstance(value, bool)):
                problems.append(_problem(file, f"sections.{ident}.order", value,
                                         "Thứ tự phải là số nguyên."))
            elif key == "tags":
                section.tags = [str(t) for t in (value if isinstance(value, list) else [value])]
            elif key == "enabled" and not _truthy(value) and section.mandatory:
                problems.append(_problem(
                    file, f"sections.{ident}.enabled", value,
                    f"Mục «{section.title}» là bắt buộc theo quy định, không tắt được.",
                    "Xóa dòng này; mục vẫn được kiểm tra trên trang Tuân thủ.", severity=WARNING))
            else:
                setattr(section, key, value if key == "order" else _truthy(value))
    for section in by_id.values():
        applies = True
        if section.requirement == "conditional":
            applies = _truthy((school or {}).get(section.condition))
        if not section.enabled and not section.mandatory:
            applies = False
        section.enabled = section.enabled or section.mandatory
        section.applicable = applies
    # A child is not applicable when its parent is not.
    for section in by_id.values():
        if section.parent and section.parent in by_id and not by_id[section.parent].applicable:
            section.applicable = False
    ordered = sorted(by_id.values(), key=lambda s: (s.order, s.id))
    return ordered, problems


def reachable(section: Section, plugins) -> bool:
    """A landing URL exists: the section applies and its provider is present."""
    if not section.applicable or not section.url:
        return False
    if section.provided_by == "plugin":  # only the plugin's own landing page is known
        return section.plugin in (plugins or []) and section.url == (section.url_prefix or
                                                                       section.url)
    if section.provided_by == "data" and section.data_key == "domain":
        return False
    return True


def validate_links(links, file: str) -> tuple[list[dict], list[Problem]]:
    """Extra menu links that are not sections (sections.yml ``links:``), e.g. Chủ đề, Lưu trữ."""
    if links is None:
        return [], []
    if not isinstance(links, list):
        return [], [_problem(file, "links", links, "«links:» phải là một danh sách.",
                             "Ví dụ:\n        links:\n          - {title: Lưu trữ, url: luu-tru/}")]
    found, problems = [], []
    for index, item in enumerate(links):
        if not isinstance(item, dict) or not item.get("title") or "url" not in item:
            problems.append(_problem(file, f"links[{index}]", item, "Liên kết cần «title» và «url».",
                                     "Ví dụ: {title: Lưu trữ, url: luu-tru/}"))
            continue
        found.append({"id": "", "title": str(item["title"]), "url": str(item["url"] or ""),
                      "description": str(item.get("description") or ""), "level": 0,
                      "mandatory": False, "nav": _truthy(item.get("nav", False))})
    return found, problems


def navigation(sections: list[Section], plugins, limit: int = 6, links=None
               ) -> tuple[list[dict], list[dict]]:
    """(bar, full): the main menu bar and the full table of contents.

    The bar is Trang chủ, then up to *limit* top-level sections marked ``nav``, in order,
    then the extra links marked ``nav``; the full list has every reachable section (children
    after their parent), then the extra links.
    """
    full = [{"id": s.id, "title": s.title, "url": s.url, "description": s.description,
             "level": s.id.count("/"), "mandatory": s.mandatory}
            for s in sections if reachable(s, plugins)]
    full += list(links or [])
    top = [s for s in sections if s.nav and not s.parent and reachable(s, plugins)]
    bar = [{"id": "", "title": "Trang chủ", "url": ""}]
    bar += [{"id": s.id, "title": s.title, "url": s.url} for s in top[:max(limit, 0)]]
    bar += [{"id": "", "title": link["title"], "url": link["url"]}
            for link in links or [] if link.get("nav")]
    return bar, full
