"""The Decap CMS configuration (admin/config.yml), generated from our own declarations.

Pure functions: `declarations()` gathers what the project declares (front-matter keys from
every enabled plugin's metadata.yml, this plugin's editor.yml and any other plugin's
editor.yml, the plans' topics, the công khai catalogue, the sections catalogue, the content
folders); `build_config()` turns that into Decap's configuration (a dict, dumped as YAML).
Nothing in config.yml is written by hand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re

from portal_core import levels
from portal_core.data import load_yaml
from portal_core.dates import school_year_id, within
from portal_core.problems import ERROR, Problem

PLUGIN = "portal_editor"
HERE = os.path.dirname(os.path.abspath(__file__))
FORMAT = "portal-md"  # the custom format registered by portal-editor.js
LIST_KEYS = ("topics", "tags", "attachments", "attachment", "authors", "not-personal")
ISO_DATE = ["^\\d{4}-\\d{2}-\\d{2}$", "Ngày dạng năm-tháng-ngày, ví dụ 2026-09-05"]
ISO_DATETIME = ["^\\d{4}-\\d{2}-\\d{2}( \\d{2}:\\d{2})?$",
                "Ngày giờ dạng năm-tháng-ngày giờ:phút, ví dụ 2026-09-05 07:30"]
SCHOOL_YEAR_DIR = re.compile(r"^(\d{4})-(\d{4})$")
YEAR_DIR = re.compile(r"^\d{4}$")


@dataclasses.dataclass
class Declarations:
    keys: dict[str, str]  # front-matter key → description (enabled plugins' metadata.yml)
    known: set[str]  # keys any plugin folder declares, enabled or not (typos are not known)
    fields: dict[str, dict]  # key → editor declaration (editor.yml)
    collections: list[dict]
    topics: list[tuple[str, str]]  # (code, title), plans of this year and the year before
    disclosure: list[tuple[str, str]]  # (CK-xx, name)
    sections: list[tuple[str, str]]  # (id, title)
    content: str  # the content folder, relative to the repository (content)
    folders: dict[str, list[str]]  # collection folder → its year / school-year sub-folders
    today: dt.date
    problems: list[Problem] = dataclasses.field(default_factory=list)
    units: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (id, name) today
    default_unit: str = ""  # the unit of a post that names none (its name)


def _plugin_folders(settings: dict) -> list[str]:
    """portal_core's folder, this plugin's and every enabled plugin's (where they are installed)."""
    from portal_core import plugin_folders

    return list(dict.fromkeys(plugin_folders(settings) + [HERE]))


def _yaml(path: str, base: str, problems: list[Problem]):
    if not os.path.exists(path):
        return None
    data, found = load_yaml(path, base, plugin=PLUGIN)
    problems.extend(found)
    return data


def plan_topics(plans_dir: str, today: dt.date, base: str,
                problems: list[Problem]) -> list[tuple[str, str]]:
    """Topics of the plans of today's year and the year before (codes with titles); with
    neither, those of the latest plan before today (the plan portal_topics counts under)."""
    years = sorted(int(n[:4]) for n in os.listdir(plans_dir)
                   if re.fullmatch(r"\d{4}\.ya?ml", n)) if os.path.isdir(plans_dir) else []
    chosen = [y for y in years if y in (today.year, today.year - 1)]
    if not chosen:
        past = [y for y in years if y <= today.year]
        chosen = [max(past)] if past else years[:1]
    topics: dict[str, str] = {}
    for year in sorted(chosen, reverse=True):  # the newer plan's title wins
        name = next(n for n in os.listdir(plans_dir) if n.startswith(str(year)))
        data = _yaml(os.path.join(plans_dir, name), base, problems) or {}
        for topic in data.get("topics") or [] if isinstance(data, dict) else []:
            if isinstance(topic, dict) and topic.get("code") and topic["code"] not in topics:
                topics[str(topic["code"])] = str(topic.get("title") or topic["code"])
    return list(topics.items())


def declarations(settings: dict, today: dt.date) -> Declarations:
    """Everything config.yml is made of, read from the project's own files."""
    problems: list[Problem] = []
    content = os.path.abspath(settings["PATH"])
    base = os.path.dirname(content)
    keys: dict[str, str] = {}
    fields: dict[str, dict] = {}
    collections: list[dict] = []
    for folder in _plugin_folders(settings):
        meta = _yaml(os.path.join(folder, "metadata.yml"), base, problems)
        if isinstance(meta, dict):
            keys.update({str(k).lower(): str(v) for k, v in meta.items()})
        editor = _yaml(os.path.join(folder, "editor.yml"), base, problems)
        if isinstance(editor, dict):
            fields.update({str(k).lower(): dict(v or {}) for k, v in
                           (editor.get("fields") or {}).items()})
            collections += [dict(c) for c in editor.get("collections") or []]
    catalogue = _yaml(os.path.join(os.path.dirname(HERE), "portal_disclosure", "catalogue.yml"),
                      base, problems) or {}
    school = settings.get("PORTAL_SCHOOL") or {}  # the items and sections of its level only
    disclosure = [(str(i["id"]), str(i.get("name", ""))) for i in catalogue.get("items") or []
                  if isinstance(i, dict) and i.get("id") and levels.applies(i.get("levels"), school)]
    sections_data = _yaml(os.path.join(os.path.dirname(HERE), "portal_sections", "catalogue.yml"),
                          base, problems) or {}
    sections = [(str(s["id"]), str(s.get("title", ""))) for s in sections_data.get("sections") or []
                if isinstance(s, dict) and s.get("id") and levels.applies(s.get("levels"), school)]
    known = set(keys)
    plugins_dir = os.path.dirname(HERE)
    for name in sorted(n for n in os.listdir(plugins_dir) if n.startswith("portal_")):
        meta = os.path.join(plugins_dir, name, "metadata.yml")
        if os.path.isfile(meta):
            data, _ = load_yaml(meta, base, plugin=PLUGIN)
            known |= {str(k).lower() for k in (data or {})} if isinstance(data, dict) else set()
    # A collection whose required keys belong to a plugin that is not enabled is left out, and
    # so is a field whose key no enabled plugin reads: the form never writes what the build
    # would report as unknown.
    collections = [c for c in collections
                   if all(k in keys or k not in known for k in c.get("required") or [])]
    for collection in collections:
        collection["fields"] = [f for f in collection["fields"]
                                if (f if isinstance(f, str) else next(iter(f))) in keys
                                or (f if isinstance(f, str) else next(iter(f))) not in known]
    folders = {}
    for collection in collections:
        path = os.path.join(content, collection["folder"])
        names = sorted(os.listdir(path)) if os.path.isdir(path) else []
        folders[collection["folder"]] = [n for n in names if os.path.isdir(os.path.join(path, n))]
    units, default_unit = unit_choices(os.path.join(content, "data", "units.yml"), today, base,
                                       problems)
    return Declarations(keys, known, fields, collections,
                        plan_topics(os.path.join(content, "plans"), today, base, problems),
                        disclosure, sections, os.path.basename(content), folders, today, problems,
                        units, default_unit)


def unit_choices(path: str, today: dt.date, base: str,
                 problems: list[Problem]) -> tuple[list[tuple[str, str]], str]:
    """The school's units in force today (content/data/units.yml, portal_office's data), as
    (id, name), and the default unit's name; none when the file is absent."""
    data = _yaml(path, base, problems)
    if not isinstance(data, dict):
        return [], ""

    def in_force(unit) -> bool:
        start, end = unit.get("valid_from"), unit.get("valid_to")
        return within(today, start if isinstance(start, dt.date) else None,
                      end if isinstance(end, dt.date) else None)

    units = [(str(u["id"]), str(u.get("name") or u["id"])) for u in data.get("units") or []
             if isinstance(u, dict) and u.get("id") and in_force(u)]
    default = str(data.get("default") or "")
    return units, next((name for uid, name in units if uid == default), "")


def groups(decl: Declarations, collection: dict) -> list[str]:
    """The sub-folders a collection is split into, newest first: the ones that exist plus
    the current one (a new year's folder is created by the first entry saved in it)."""
    found = decl.folders.get(collection["folder"], [])
    if collection.get("by") == "year":
        names = {n for n in found if YEAR_DIR.match(n)} | {str(decl.today.year)}
    elif collection.get("by") == "school-year":
        names = {n for n in found if SCHOOL_YEAR_DIR.match(n)} | {school_year_id(decl.today)}
    else:
        return [""]
    return sorted(names, reverse=True)


def _field(decl: Declarations, key: str, override: dict, required: bool, group: str,
           collection: dict) -> dict:
    spec = {**decl.fields.get(key, {}), **override}
    widget = spec.get("widget", "string")
    field = {"label": spec.get("label", key), "name": key, "required": required,
             "hint": spec.get("hint") or decl.keys.get(key, "")}
    if widget == "datetime":
        field.update(widget="datetime", format="YYYY-MM-DD HH:mm", date_format="DD/MM/YYYY",
                     time_format="HH:mm", picker_utc=False, pattern=ISO_DATETIME)
    elif widget == "date":
        field.update(widget="datetime", format="YYYY-MM-DD", date_format="DD/MM/YYYY",
                     time_format=False, picker_utc=False, pattern=ISO_DATE)
    elif widget == "hidden":
        field.update(widget="hidden", default=collection.get("category", ""))
    elif widget == "topics":
        field.update(widget="select", multiple=True, min=1 if required else 0,
                     options=[{"label": f"{title} ({code})", "value": code}
                              for code, title in decl.topics])
    elif widget == "disclosure":
        field.update(widget="select", options=[{"label": f"{cid} – {name}", "value": cid}
                                               for cid, name in decl.disclosure])
    elif widget == "unit":  # optional: a post without Unit: belongs to the default unit
        field.update(widget="select", required=False, options=[
            {"label": name, "value": uid} for uid, name in decl.units])
        if decl.default_unit and not spec.get("hint"):
            field["hint"] = f"Bỏ trống nếu bài của {decl.default_unit}."
    elif widget == "section":
        field.update(widget="select", options=[{"label": f"{title} ({sid})", "value": sid}
                                               for sid, title in decl.sections])
    elif widget == "school-year":
        field.update(widget="string", default=group, pattern=[
            "^\\d{4}-\\d{4}$", "Năm học dạng 2025-2026"])
    elif widget == "select":
        field.update(widget="select", options=list(spec.get("options") or []))
    elif widget == "list":
        field.update(widget="list", allow_add=True)
    elif widget == "files":
        beside = collection.get("media") == "beside"
        sub = f"files/{group[:4]}".rstrip("/") if collection.get("by") else "files"
        if collection["folder"].startswith("pages/") and not beside:
            sub = "files/" + collection["folder"].split("/", 1)[1]
        field.update(widget="list", label_singular="tệp", field={
            "label": "Tệp", "name": "file", "widget": "file", "choose_url": False,
            "media_folder": "" if beside else f"/{decl.content}/{sub}",
            "public_folder": "" if beside else sub,
            "media_library": {"config": {"multiple": False}}})
    elif widget == "image":
        field.update(widget="image", choose_url=False)
    elif widget == "number":
        field.update(widget="number", value_type="int")
    else:
        field["widget"] = widget
    if "pattern" in spec:
        field["pattern"] = list(spec["pattern"])
    if group and widget == "datetime" and collection.get("by") == "year":
        field["pattern"] = [f"^{group}-\\d{{2}}-\\d{{2}}( \\d{{2}}:\\d{{2}})?$",
                            f"Ngày trong năm {group}, dạng {group}-09-05 07:30 "
                            "(bài năm khác: chọn bộ sưu tập của năm đó)"]
    return field


def collection_configs(decl: Declarations, collection: dict) -> list[dict]:
    """One Decap folder collection per year / school year of *collection*."""
    out = []
    required = set(collection.get("required") or [])
    for group in groups(decl, collection):
        folder = "/".join(p for p in (decl.content, collection["folder"], group) if p)
        label = f"{collection['label']} {group}".strip()
        config = {"name": "-".join(p for p in (collection["id"], group) if p), "label": label,
                  "label_singular": collection.get("label_singular", collection["label"]),
                  "folder": folder, "create": True, "format": FORMAT, "extension": "md",
                  "slug": "{{slug}}", "summary": "{{title}}",
                  "sortable_fields": ["title"] + (["date"] if "date" in _keys(collection)
                                                  else []),
                  "fields": []}
        media = collection.get("media")
        if media == "beside":
            config.update(media_folder="", public_folder="")
        elif media:
            year = group[:4] if group else str(decl.today.year)
            sub = f"/{year}" if collection.get("by") else ""
            config.update(media_folder=f"/{decl.content}/{media}{sub}",
                          public_folder=f"/{media}{sub}")
        for item in collection["fields"]:
            key, override = (item, {}) if isinstance(item, str) else next(iter(item.items()))
            config["fields"].append(_field(decl, key, override or {}, key in required, group,
                                           collection))
        if collection.get("downloads"):
            config["fields"].append(_downloads(decl, collection, group))
        config["fields"].append({"label": "Nội dung", "name": "body", "widget": "markdown",
                                 "required": False,
                                 "hint": "Dùng ## cho đề mục; tiêu đề bài là đề mục duy nhất "
                                         "cấp cao nhất."})
        out.append(config)
    return out


def _downloads(decl: Declarations, collection: dict, group: str) -> dict:
    """Files to download from a post: not a front-matter key (posts have none for files);
    the format (portal-editor.js) writes them as links at the end of the text, each with
    the file's original name as its text."""
    folder = f"{collection['downloads']}/{group[:4]}" if group else collection["downloads"]
    return {"label": "Tệp đính kèm", "label_singular": "tệp", "name": "_downloads",
            "widget": "list", "required": False,
            "hint": "Tệp cho người đọc tải về (PDF, Word, Excel…): lưu vào "
                    f"{decl.content}/{folder}/ và thêm liên kết ở cuối bài.",
            "fields": [
                {"label": "Tệp", "name": "file", "widget": "file", "choose_url": False,
                 "media_folder": f"/{decl.content}/{folder}", "public_folder": f"/{folder}"},
                {"label": "Chữ trên liên kết", "name": "text", "widget": "string",
                 "required": False, "hint": "Để trống: dùng tên tệp gốc."}]}


def _keys(collection: dict) -> list[str]:
    return [i if isinstance(i, str) else next(iter(i)) for i in collection["fields"]]


def check(decl: Declarations) -> list[Problem]:
    """Every key the editor would write must be a declared front-matter key (a key left in
    the form that no enabled plugin declares: a typo, or a key no plugin reads)."""
    problems = []
    for collection in decl.collections:
        for key in _keys(collection) + list(collection.get("required") or []):
            if key not in decl.keys:
                problems.append(Problem(
                    f"plugins/{PLUGIN}/editor.yml", "fields", key,
                    "Trình soạn thảo dùng một khóa không được khai báo trong metadata.yml nào.",
                    "Khai báo khóa trong metadata.yml của plugin đọc nó, hoặc bỏ khỏi editor.yml.",
                    severity=ERROR, plugin=PLUGIN))
    return problems


def build_config(decl: Declarations, backend: dict, local_port: int, site_url: str = "") -> dict:
    """Decap's configuration: backend, local mode, Vietnamese, media and collections."""
    config = {
        "backend": {k: v for k, v in backend.items() if v not in (None, "")},
        "local_backend": {"url": f"http://127.0.0.1:{local_port}/api/v1",
                          "allowed_hosts": ["127.0.0.1", "localhost"]},
        "locale": "vi",
        "media_folder": f"{decl.content}/images",
        "public_folder": "/images",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "search": False,
        "collections": [],
    }
    if site_url:
        config["site_url"] = site_url
        config["display_url"] = site_url
    for collection in decl.collections:
        config["collections"] += collection_configs(decl, collection)
    return config
