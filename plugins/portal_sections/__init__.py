"""portal_sections: the portal's mandated structure (TT 37/2020 Điều 9), from a catalogue.

- ``initialized``: load the law catalogue (catalogue.yml) and the school's choices
  (content/data/school.yml, content/data/sections.yml); compute the main menu.
- ``content_object_init``: attach pages to sections (``Section:`` or folder
  ``content/pages/<id>/``); give them URLs under ``/<id>/`` and the section templates.
- ``all_generators_finalized``: build each section's listing, the documents and their filters,
  and the compliance of every catalogue item; a missing mandatory item is a WARNING problem.
- ``SectionsGenerator`` (writing.py) writes the landing pages no page provides, ``/muc-luc/``,
  ``/van-ban/co-quan/<issuer>/``, ``/van-ban/nam/<year>/``, ``/tuan-thu/`` and
  ``/tuan-thu/index.json``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os

from pelican import signals
from pelican.log import console

from portal_core import checks, state
from portal_core.data import load_yaml
from portal_core.dates import parse_iso
from portal_core.problems import ERROR, WARNING, Problem
from portal_core.text import closest, split_list

from . import catalogue as cat
from . import issuers as iss
from . import law
from . import status as st
from .writing import SectionsGenerator, compliance_json

log = logging.getLogger("portal_sections")
PLUGIN = cat.PLUGIN

DEFAULTS = {
    "PORTAL_SECTIONS_CATALOGUE": cat.CATALOGUE_PATH,
    "PORTAL_SECTIONS_DATA": "sections.yml",  # in content/data/, optional
    "PORTAL_NAV_LIMIT": 6,  # sections in the menu bar besides Trang chủ (sections.yml: nav_limit)
    "PORTAL_SECTIONS_ISSUERS": "issuers.yml",  # issuers replaced by others, content/data/
}
OWN_OUTPUTS = ("muc-luc/index.html", "tuan-thu/index.html", "tuan-thu/index.json")


def _add(settings, file, field, value, message, hint="", severity=ERROR):
    state.add(settings, Problem(file, field, str(value), message, hint, severity=severity,
                                plugin=PLUGIN))


# --- initialized -------------------------------------------------------------------------

def initialized(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    run = state.current(settings)
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    sections, problems = cat.load_catalogue(settings["PORTAL_SECTIONS_CATALOGUE"], base)
    run.add(*problems)
    raw, _ = load_yaml(settings["PORTAL_SECTIONS_CATALOGUE"], base, plugin=PLUGIN)  # reported above
    run.part(SectionsRun).laws, problems = law.parse_laws(raw, state.rel(
        settings, settings["PORTAL_SECTIONS_CATALOGUE"]))
    run.add(*problems)
    school = settings.get("PORTAL_SCHOOL") or {}
    data_path = os.path.join(settings["PATH"], settings.get("PORTAL_DATA_PATH", "data"),
                             settings["PORTAL_SECTIONS_DATA"])
    overrides, limit, links = {}, settings["PORTAL_NAV_LIMIT"], []
    if os.path.exists(data_path):
        data, problems = load_yaml(data_path, base, plugin=PLUGIN)
        run.add(*problems)
        rel = state.rel(settings, data_path)
        if isinstance(data, dict):
            overrides = data.get("sections") or {}
            links, problems = cat.validate_links(data.get("links"), rel)
            run.add(*problems)
            if "nav_limit" in data:
                if isinstance(data["nav_limit"], int) and data["nav_limit"] >= 0:
                    limit = data["nav_limit"]
                else:
                    _add(settings, rel, "nav_limit", data["nav_limit"],
                         "Số mục trên thanh trình đơn phải là số nguyên không âm.", "Ví dụ: 6")
        elif data is not None:
            _add(settings, rel, "", "", "Tệp phải là một bảng khóa: giá trị.",
                 "Ví dụ:\n        sections:\n          thuc-don: {nav: true}")
        overrides_file = rel
    else:
        overrides_file = state.rel(settings, data_path)
    sections, problems = cat.apply_school(sections, school, overrides, overrides_file)
    run.add(*problems)
    run.part(SectionsRun).sections = sections
    issuers_path = os.path.join(settings["PATH"], settings.get("PORTAL_DATA_PATH", "data"),
                                settings["PORTAL_SECTIONS_ISSUERS"])
    if os.path.exists(issuers_path):
        data, problems = load_yaml(issuers_path, base, plugin=PLUGIN)
        run.part(SectionsRun).successions, found = iss.parse_successions(
            data, state.rel(settings, issuers_path))
        run.add(*problems, *found)
    bar, full = cat.navigation(sections, settings.get("PLUGINS") or [], limit, links)
    settings["PORTAL_NAV"] = bar
    settings["PORTAL_SECTION_LIST"] = full
    settings["PORTAL_SECTION_IDS"] = [s.id for s in sections]
    # Every top-level section: the home page's "Tìm thông tin" and the search page's fallback.
    settings["PORTAL_NAV_SECTIONS"] = [item for item in full if item["level"] == 0]


@dataclasses.dataclass
class SectionsRun:
    """This plugin's part of the build state: the catalogue applied to the school."""

    sections: list = dataclasses.field(default_factory=list)
    successions: list = dataclasses.field(default_factory=list)  # issuers.yml
    laws: list = dataclasses.field(default_factory=list)  # the catalogue's plain-word glossary


def _sections(settings) -> list[cat.Section]:
    return state.current(settings).part(SectionsRun).sections


# --- content_object_init -----------------------------------------------------------------

def _folder_section(content, ids) -> str:
    """content/pages/<a>/<b>/x.md → "a/b" when that is a catalogue id (else its longest prefix)."""
    rel = (content.relative_source_path or "").replace(os.sep, "/")
    for root in content.settings.get("PAGE_PATHS") or []:
        root = root.strip("/") + "/"
        if rel.startswith(root):
            parts = rel[len(root):].split("/")[:-1]
            while parts:
                if "/".join(parts) in ids:
                    return "/".join(parts)
                parts.pop()
    return ""


def attach(slug: str, declared: str, folder: str, ids) -> tuple[str, bool]:
    """(section id, is the section's own text) for a page; ("", False) if not attached.

    A page whose slug equals a section id (or "<section>/<slug>" is an id) is that section's
    own text; otherwise it is listed in its declared (``Section:``) or folder section.
    """
    home = declared or folder
    if home and f"{home}/{slug}" in ids:
        return f"{home}/{slug}", True
    if slug in ids and (not home or home == slug):
        return slug, True
    return home, False


def content_object_init(content):
    if type(content).__name__ != "Page":
        return
    settings = content.settings
    sections = {s.id: s for s in _sections(settings)}
    if not sections:
        return
    declared = str(content.metadata.get("section") or "").strip().strip("/").lower()
    if declared and declared not in sections:
        known = {s: s for s in sections}
        guess = closest(declared, known, limit=1)
        _add(settings, state.rel(settings, content.source_path), "Section", declared,
             "Không có mục này trong danh mục các mục của cổng thông tin.",
             f"Có phải ý bạn là: {guess[0]}?" if guess else "Các mục: " + ", ".join(sections))
        declared = ""
    ident, own = attach(getattr(content, "slug", ""), declared, _folder_section(content, sections),
                        sections)
    if not ident:
        return
    section = sections[ident]
    content.portal_section = ident
    content.portal_own = own
    if "url" not in content.metadata and "save_as" not in content.metadata:
        url = f"{ident}/" if own else f"{ident}/{content.slug}/"
        content.override_url = url
        content.override_save_as = url + "index.html"
    if "template" not in content.metadata:
        if own:
            content.template = "section"
        elif section.layout == "documents":
            content.template = "document"
        else:
            content.template = "section_item"


# --- all_generators_finalized ------------------------------------------------------------

def _last_update(obj):
    dates = [getattr(obj, name, None) for name in ("modified", "date")]
    dates.append(getattr(obj, "portal_issued", None))
    dates = [st.as_date(d) for d in dates if d is not None]
    return max(dates) if dates else None


def _attachments(settings, page, rel) -> list[dict]:
    found = []
    for raw in split_list(page.metadata.get("attachment")):
        path = raw.replace("{static}", "").lstrip("/")
        full = os.path.join(settings["PATH"], path)
        if not os.path.isfile(full):
            _add(settings, rel, "Attachment", raw, "Không tìm thấy tệp đính kèm.",
                 "Đặt tệp trong content/files/ và ghi đường dẫn tính từ content/, ví dụ "
                 "files/van-ban/quyet-dinh.pdf")
            continue
        name = os.path.basename(path)
        ext = os.path.splitext(name)[1].lstrip(".").upper() or "tệp"
        size = os.path.getsize(full)
        size_text = f"{max(1, round(size / 1024))} KB" if size < 1024 * 1024 else \
            f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
        found.append({"url": path, "name": name, "format": ext, "size": size_text})
    return found


def _date_field(settings, page, rel, key, label):
    raw = page.metadata.get(key)
    if raw in (None, ""):
        return None
    try:
        return parse_iso(raw).date()
    except ValueError:
        _add(settings, rel, key.capitalize(), raw, f"{label} không đúng dạng.",
             "Dùng dạng YYYY-MM-DD, ví dụ 2026-09-05.")
        return None


def _page_item(settings, page, section, today) -> dict:
    """A page listed in a section, as plain data for the templates; checks its fields."""
    rel = state.rel(settings, page.source_path)
    meta = page.metadata
    for field in section.item_fields:
        if meta.get(field) in (None, ""):
            _add(settings, rel, field.capitalize(), "",
                 f"Thiếu thông tin bắt buộc của mục «{section.title}».",
                 f"Thêm dòng «{field.capitalize()}: …» ở đầu tệp.", severity=WARNING)
    issued = _date_field(settings, page, rel, "issued", "Ngày ban hành")
    page.portal_issued = issued
    item = {"title": page.title, "url": page.url, "summary": meta.get("summary") or "",
            "source": rel, "order": meta.get("order"), "modified": _last_update(page)}
    validity_raw = meta.get("validity")
    validity = st.parse_validity(validity_raw)
    if validity_raw and not validity:
        _add(settings, rel, "Validity", validity_raw, "Hiệu lực không hợp lệ.",
             "Dùng «Còn hiệu lực» hoặc «Hết hiệu lực».")
    deadline = _date_field(settings, page, rel, "deadline", "Hạn góp ý")
    item.update(
        number=meta.get("number") or "", issued=issued, issuer=(meta.get("issuer") or "").strip(),
        issuer_slug=st.issuer_slug(meta["issuer"]) if meta.get("issuer") else "",
        validity=validity or "", validity_label=st.VALIDITY.get(validity or "", ""),
        attachments=_attachments(settings, page, rel), deadline=deadline,
        closed=st.consultation_closed(deadline, today),
        where=meta.get("where") or "", time_limit=meta.get("time-limit") or "",
        fee=meta.get("fee") or "")
    page.portal_item = item
    return item


def _published(obj) -> bool:
    return getattr(obj, "status", "") in ("published", "hidden")


def build(settings, context, objects, today) -> dict:
    """Section views, documents and compliance rows from the generators' content."""
    sections = _sections(settings)
    by_id = {s.id: s for s in sections}
    plugins = settings.get("PLUGINS") or []
    own, items = {}, {s.id: [] for s in sections}
    for obj in objects:
        ident = getattr(obj, "portal_section", "")
        if not ident or ident not in by_id or not _published(obj):
            continue
        if getattr(obj, "portal_own", False):
            own[ident] = obj
        else:
            items[ident].append(_page_item(settings, obj, by_id[ident], today))
    categories = {c.slug: (c, arts) for c, arts in context.get("categories") or []}
    articles = [a for a in context.get("articles") or []]
    school = settings.get("PORTAL_SCHOOL") or {}
    views, rows = {}, []
    for section in sections:
        listed = st.order_items(items[section.id], section.layout)
        sources, last, titles = [], None, []
        if section.id in own:
            sources.append(own[section.id].url)
            titles.append(own[section.id].title)
            last = _last_update(own[section.id])
        for item in listed:
            sources.append(item["url"])
            titles.append(item["title"])
            last = max(filter(None, [last, item["modified"]]), default=None)
        if section.provided_by == "category" and section.id in categories:
            category, arts = categories[section.id]
            if arts:  # judged against its last post
                sources.insert(0, category.url)
                titles.insert(0, f"{section.title} ({len(arts)} bài)")
                last = max(filter(None, [last] + [st.as_date(a.date) for a in arts]), default=None)
        elif section.provided_by == "plugin":
            prefix = section.url_prefix or section.url
            under = [o for o in objects if _published(o)
                     and (getattr(o, "url", "") or "").startswith(prefix)]
            if context.get(section.context_key) or under:
                sources.insert(0, prefix)
                last = max(filter(None, [last] + [_last_update(o) for o in under]), default=None)
                titles.insert(0, section.title)
        elif section.provided_by == "data":
            if school.get(section.data_key):
                sources.insert(0, section.url if section.has_landing else "")
                titles.insert(0, section.title if section.has_landing else
                              "Thông tin chung của nhà trường")
        elif section.provided_by == "site":
            sources.insert(0, "")
            titles.insert(0, "Mọi trang (tạo tự động)")
        tagged = []
        if section.tags:
            wanted = {t.lower() for t in section.tags}
            tagged = [a for a in articles
                      if {t.name.lower() for t in getattr(a, "tags", None) or []} & wanted][:10]
        status = st.compute_status(section.applicable and law.in_force(section, today), sources,
                                   last, section.update, today)
        children = [{"id": c.id, "title": c.title, "url": c.url, "description": c.description}
                    for c in sections if c.parent == section.id and cat.reachable(c, plugins)]
        view = section.as_dict()
        view.update(entries=listed, own=section.id in own, children=children, status=status,
                    status_label=st.STATUS_LABELS[status], sources=sources,
                    last_update=last, basis_text=section.basis_text(), articles=tagged,
                    basis_plain=section.plain_basis(today),
                    basis_unverified=law.unverified(law.basis_now(section.basis, today)),
                    links=[{"url": u, "title": t} for u, t in zip(sources, titles)],
                    filters=st.group_documents(listed) if section.layout == "documents" else None,
                    has_landing=section.has_landing and section.applicable)
        views[section.id] = view
        rows.append(view)
    return {"views": views, "rows": rows}


def all_generators_finalized(generators):
    settings = generators[0].settings
    if not _sections(settings):
        return
    context = generators[0].context
    objects = checks.content_objects(generators)
    today = state.today(settings)
    result = build(settings, context, objects, today)
    context["portal_sections"] = result["views"]
    context["portal_compliance"] = result["rows"]
    school = settings.get("PORTAL_SCHOOL") or {}
    state.open_data(settings, "tuan-thu", "tuan-thu/index.json", lambda: json.loads(json.dumps(
        compliance_json(result["rows"], today, school), ensure_ascii=False)))
    context["portal_compliance_summary"] = st.summarize([r["status"] for r in result["rows"]])
    context["portal_compliance_laws"] = law.laws_named(
        state.current(settings).part(SectionsRun).laws, result["rows"])
    catalogue_rel = state.rel(settings, settings["PORTAL_SECTIONS_CATALOGUE"])
    successions = state.current(settings).part(SectionsRun).successions
    context["portal_issuer_links"] = iss.links(successions)
    for view in result["views"].values():
        if view["layout"] == "documents":
            for problem in iss.stale_issuers(view["entries"], successions):
                state.add(settings, problem)
    for problem in law.expired(_sections(settings), today, catalogue_rel):
        state.add(settings, problem)
    for row in result["rows"]:
        if row["mandatory"] and row["status"] == st.MISSING:
            where = {"pages": f"Tạo trang content/pages/{row['id']}.md (Slug: "
                              f"{row['id'].rsplit('/', 1)[-1]}) hoặc thêm «Section: {row['id']}» "
                              "vào các trang của mục.",
                     "category": f"Đăng ít nhất một bài trong chuyên mục «{row['title']}».",
                     "plugin": f"Bật plugin {row['plugin']} và thêm nội dung của mục.",
                     "data": f"Điền «{row['data_key']}:» trong content/data/school.yml.",
                     "site": ""}[row["provided_by"]]
            _add(settings, catalogue_rel, row["id"], row["title"],
                 f"Thiếu mục bắt buộc «{row['title']}» ({row['id']}), theo "
                 f"{row['basis'][0]['ref']}.", where, severity=WARNING)
    written = {getattr(o, "save_as", "") for o in objects if _published(o)}
    for path in OWN_OUTPUTS:
        if path in written:
            _add(settings, "content", "Slug", path.split("/")[0],
                 f"Đường dẫn /{path.split('/')[0]}/ dành cho trang do hệ thống tạo.",
                 "Đổi «Slug:» của trang.")
    missing = [r["id"] for r in result["rows"] if r["status"] == st.MISSING]
    outdated = [r["id"] for r in result["rows"] if r["status"] == st.OUTDATED]
    summary = (f"portal_sections: tuân thủ TT 37/2020 (/tuan-thu/) — {st.summary_text(result['rows'])}"
               + (f"; thiếu: {', '.join(missing)}" if missing else "")
               + (f"; quá hạn: {', '.join(outdated)}" if outdated else "") + ".")
    log.info("%s", summary)
    console.print(summary, markup=False, highlight=False)  # shown without -v, like "Done: …"


def get_generators(pelican):
    return SectionsGenerator


def register():
    signals.initialized.connect(initialized)
    signals.content_object_init.connect(content_object_init)
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.get_generators.connect(get_generators)
