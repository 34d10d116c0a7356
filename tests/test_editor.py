"""portal_editor: /admin/ in the built site, and config.yml against the build's own rules."""

import datetime as dt
import os
import re
import shutil
import subprocess

import pytest
import yaml

from conftest import ROOT, page, post

from portal_core.dates import ISO_DATE, SCHOOL_YEAR
from portal_disclosure.deadlines import PERIOD_FORMS
import portal_editor
from portal_editor import config as editor_config

HAS_DECAP = os.path.isfile(os.path.join(ROOT, "node_modules", "decap-cms", "dist",
                                        "decap-cms.js"))
needs_decap = pytest.mark.skipif(not HAS_DECAP, reason="npm ci --ignore-scripts chưa chạy")


def _config(built) -> dict:
    return yaml.safe_load(built.read("admin/config.yml"))


def _collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def _fields(collection: dict) -> dict:
    return {f["name"]: f for f in collection["fields"]}


@needs_decap
def test_admin_is_built_from_node_modules_with_its_chunks_and_no_source_maps(site):
    built = site({"tin-tuc/2026/bai.md": post(date="2026-11-20 07:30")})
    assert built.ok, built.messages()
    names = set(os.listdir(built.path("admin")))
    assert {"index.html", "config.yml", "decap-cms.js", "portal-editor.js"} <= names
    dist = os.path.join(ROOT, "node_modules", "decap-cms", "dist")
    chunks = {n for n in os.listdir(dist) if n.endswith((".decap-cms.js", ".wasm"))}
    assert chunks and chunks <= names
    assert not [n for n in names if n.endswith(".map") or n == "cms.js"]
    index = built.soup("admin/index.html")
    assert index.html["lang"] == "vi"
    assert index.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    assert [s.get("src") for s in index.find_all("script") if s.get("src")] == [
        "decap-cms.js", "portal-editor.js"]
    config = _config(built)
    assert config["locale"] == "vi"
    assert config["local_backend"]["url"].startswith("http://127.0.0.1:")
    assert {c["format"] for c in config["collections"]} == {"portal-md"}


@needs_decap
def test_admin_is_kept_out_of_robots_sitemap_and_search(site):
    built = site({"tin-tuc/2026/bai.md": post(date="2026-11-20 07:30")})
    assert built.ok, built.messages()
    robots = built.read("robots.txt").splitlines()
    assert "Disallow: /admin/" in robots
    assert "admin" not in built.read("sitemap.xml")
    from conftest import index_records
    assert not [r for r in index_records(built.output) if "admin" in r.get("url", "")]


def test_missing_decap_is_said_in_vietnamese_and_never_stops_the_reader_site(site, tmp_path,
                                                                            caplog):
    import logging
    caplog.set_level(logging.INFO, logger="portal_editor")
    empty = tmp_path / "khong-co-node-modules"
    empty.mkdir()
    files = {"tin-tuc/2026/bai.md": post(date="2026-11-20 07:30")}
    for conf in ("pelicanconf.py", "publishconf.py"):
        built = site(files, conf=conf, PORTAL_EDITOR_NODE_MODULES=str(empty))
        # (this tiny site has warnings of its own, which stop the strict build; none of them
        # comes from the editor, so a complete site is published without /admin/)
        assert not [p for p in built.problems if p.plugin == "portal_editor"]
        if conf == "pelicanconf.py":
            assert built.ok, built.messages()
            assert built.exists("tin-tuc/bai-viet-thu/index.html")
            assert not built.exists("admin")
            assert "BỎ QUA trang soạn bài /admin/ — chưa cài Decap CMS" in built.log
            assert "npm ci --ignore-scripts" in built.log
        shutil.rmtree(built.output, ignore_errors=True)


def test_editor_can_be_switched_off(site):
    built = site({"tin-tuc/2026/bai.md": post(date="2026-11-20 07:30")}, PORTAL_EDITOR=False)
    assert built.ok and not built.exists("admin")
    assert "Disallow: /admin/" not in built.read("robots.txt")


@needs_decap
def test_collections_by_year_and_school_year_with_media_where_the_build_expects_it(site):
    built = site({"tin-tuc/2024/cu.md": post(title="Bài cũ", date="2024-03-01"),
                  "cong-khai/2025-2026/x.md": None})
    config = _config(built)
    names = [c["name"] for c in config["collections"]]
    # today is 2026-11-29: this year's folder exists in the editor before any post is in it
    assert names.index("tin-tuc-2026") < names.index("tin-tuc-2024")
    assert "cong-khai-2026-2027" in names  # the school year of 29/11/2026
    news = _collection(config, "tin-tuc-2026")
    assert news["folder"] == "content/tin-tuc/2026"
    assert news["media_folder"] == "/content/images/2026"
    assert news["public_folder"] == "/images/2026"
    downloads = _fields(news)["_downloads"]["fields"][0]
    assert downloads["media_folder"] == "/content/files/2026"
    assert downloads["public_folder"] == "/files/2026"
    disclosure = _collection(config, "cong-khai-2026-2027")
    attachments = _fields(disclosure)["attachments"]["field"]
    assert attachments["media_folder"] == "" and attachments["public_folder"] == ""  # beside
    assert _fields(disclosure)["school-year"]["default"] == "2026-2027"
    # no "insert from URL": every photo and file is uploaded into the repository
    assert attachments["choose_url"] is False
    assert _fields(news)["cover"]["choose_url"] is False
    # upload names: lower case ASCII without diacritics (Decap lowercases, then this)
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True,
                              "sanitize_replacement": "-"}


@needs_decap
def test_choices_come_from_the_plans_the_catalogues_and_sections(site):
    built = site({"tin-tuc/2026/bai.md": post(date="2026-11-20 07:30")})
    fields = _fields(_collection(_config(built), "tin-tuc-2026"))
    topics = [o["value"] for o in fields["topics"]["options"]]
    # the demo's newest plan (its topics lead; the year before adds only codes it dropped)
    plans = sorted(n for n in os.listdir(os.path.join(ROOT, "content", "plans"))
                   if n[:4].isdigit() and n.endswith(".yml"))
    newest = yaml.safe_load(open(os.path.join(ROOT, "content", "plans", plans[-1]),
                                 encoding="utf-8"))
    assert topics == [t["code"] for t in newest["topics"]]
    ck = _fields(_collection(_config(built), "cong-khai-2026-2027"))["disclosure"]["options"]
    catalogue = yaml.safe_load(open(os.path.join(ROOT, "plugins", "portal_disclosure",
                                                 "catalogue.yml"), encoding="utf-8"))
    # the items of the demo's level (thpt): every item for all levels or naming thpt
    assert [o["value"] for o in ck] == [i["id"] for i in catalogue["items"]
                                        if i["levels"]["ids"] == "all"
                                        or "thpt" in i["levels"]["ids"]]
    assert "CK-31" not in [o["value"] for o in ck]  # a kindergarten's item
    assert ck[0]["label"].startswith("CK-01 – ")
    sections = _fields(_collection(_config(built), "trang"))["section"]["options"]
    assert "van-ban" in [o["value"] for o in sections]
    # units: the ones in force on the build's date, from portal_office's data; optional
    unit = _fields(_collection(_config(built), "tin-tuc-2026"))["unit"]
    data = yaml.safe_load(open(os.path.join(ROOT, "content", "data", "units.yml"),
                               encoding="utf-8"))
    today = dt.date(2026, 11, 29)
    expected = [u["id"] for u in data["units"]
                if (u.get("valid_from") or today) <= today <= (u.get("valid_to") or today)]
    assert [o["value"] for o in unit["options"]] == expected and unit["required"] is False
    default = next(u["name"] for u in data["units"] if u["id"] == data["default"])
    assert unit["hint"] == f"Bỏ trống nếu bài của {default}."
    assert "sent-to-so" in _fields(_collection(_config(built), "tin-tuc-2026"))


def test_units_outside_their_dates_are_not_offered(tmp_path):
    path = tmp_path / "units.yml"
    path.write_text("default: ban-truyen-thong\nunits:\n"
                    "  - {id: ban-truyen-thong, name: Ban Truyền thông}\n"
                    "  - {id: clb-cu, name: Câu lạc bộ cũ, valid_to: 2024-05-31}\n"
                    "  - {id: clb-moi, name: Câu lạc bộ mới, valid_from: 2027-01-01}\n",
                    encoding="utf-8")
    units, default = editor_config.unit_choices(str(path), dt.date(2026, 11, 29), str(tmp_path),
                                                [])
    assert units == [("ban-truyen-thong", "Ban Truyền thông")] and default == "Ban Truyền thông"
    assert editor_config.unit_choices(str(tmp_path / "khong-co.yml"), dt.date(2026, 11, 29),
                                      str(tmp_path), []) == ([], "")


def test_plan_topics_of_this_year_and_the_year_before(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    for year, codes in ((2024, ["cu"]), (2025, ["chuyen-doi-so", "doi-ngu"]),
                        (2026, ["chuyen-doi-so", "an-toan"])):
        topics = [{"code": c, "title": f"Chủ đề {c} {year}"} for c in codes]
        (plans / f"{year}.yml").write_text(yaml.safe_dump({"topics": topics},
                                                          allow_unicode=True), "utf-8")
    import datetime as dt
    found = editor_config.plan_topics(str(plans), dt.date(2026, 3, 1), str(tmp_path), [])
    assert dict(found) == {"chuyen-doi-so": "Chủ đề chuyen-doi-so 2026",
                           "an-toan": "Chủ đề an-toan 2026", "doi-ngu": "Chủ đề doi-ngu 2025"}
    later = editor_config.plan_topics(str(plans), dt.date(2030, 1, 1), str(tmp_path), [])
    assert [code for code, _ in later] == ["chuyen-doi-so", "an-toan"]  # the latest plan


def _settings(content: str) -> dict:
    from pelican.settings import read_settings
    return read_settings(os.path.join(ROOT, "pelicanconf.py"), override={"PATH": content})


def test_every_key_the_editor_writes_is_declared_in_a_metadata_yml():
    import datetime as dt
    decl = editor_config.declarations(_settings(os.path.join(ROOT, "content")),
                                      dt.date(2026, 11, 29))
    assert decl.collections and not decl.problems
    assert editor_config.check(decl) == []
    decl.collections.append({"id": "x", "label": "X", "folder": "x", "fields": ["tieu-de"],
                             "required": ["tieu-de"]})
    problems = editor_config.check(decl)
    assert problems and {p.value for p in problems} == {"tieu-de"}
    assert all(p.severity == "error" and "metadata.yml" in p.message for p in problems)


def _value(field: dict, group: str) -> str:
    """A valid value for *field*, as an editor would pick it in the form."""
    name, widget = field["name"], field["widget"]
    if name == "title":
        return "Bài viết thử của trình soạn thảo"
    if widget == "hidden":
        return field["default"]
    if widget == "select":
        return field["options"][0]["value"]
    if name == "date":
        return "2026-11-20 07:30" if field["format"].endswith("HH:mm") else "2026-11-20"
    if name == "school-year":
        return group
    return "giá trị"


@needs_decap
def test_required_fields_are_exactly_what_the_build_refuses_to_do_without(site, tmp_path):
    """For each collection: an entry with only the config's required fields builds without
    an error, and the same entry without any one of them is an error on that field."""
    first = site({"tin-tuc/2026/bai.md": post(date="2026-11-20 07:30")})
    config = _config(first)
    shutil.rmtree(first.output)
    chosen = {"tin-tuc-2026": "tin-tuc/2026", "thong-bao-2026": "thong-bao/2026",
              "cong-khai-2026-2027": "cong-khai/2026-2027", "van-ban": "pages/van-ban",
              "trang": "pages"}
    files, expected = {}, {}
    for name, folder in chosen.items():
        collection = _collection(config, name)
        group = "2026-2027" if name.startswith("cong-khai") else ""
        required = [f for f in collection["fields"] if f.get("required")]
        assert any(f["name"] == "title" for f in required)
        for missing in [None] + [f["name"] for f in required]:
            lines = [f"{f['name'][0].upper()}{f['name'][1:]}: {_value(f, group)}"
                     for f in required if f["name"] != missing]
            slug = f"{name}-{missing or 'du'}"
            lines.append(f"Slug: {slug}")
            rel = f"{folder}/{slug}.md"
            files[rel] = "\n".join(lines) + "\n\nNội dung.\n"
            expected[f"content/{rel}"] = missing
    built = site(files)
    for rel, missing in expected.items():
        errors = {p.field.lower() for p in built.problems
                  if p.severity == "error" and p.file.endswith(rel)}
        if missing is None:
            assert not errors, (rel, built.messages())
        else:
            assert missing in errors, (rel, missing, built.messages())


def _pattern(field: dict) -> re.Pattern:
    return re.compile(field["pattern"][0])


@needs_decap
def test_patterns_accept_what_the_build_accepts_and_refuse_what_it_refuses(site):
    config = _config(site({"tin-tuc/2026/bai.md": post(date="2026-11-20 07:30")}))
    news = _fields(_collection(config, "tin-tuc-2026"))
    disclosure = _fields(_collection(config, "cong-khai-2026-2027"))
    for value in ("2026-09-05", "2026-09-05 07:30", "05/09/2026", "2026-9-5", "2025-09-05"):
        in_year = value.startswith("2026-")
        assert bool(_pattern(news["date"]).match(value)) == (
            bool(ISO_DATE.match(value)) and in_year), value
    for value in ("2026-06-15", "15/06/2026", "2026-06-15 07:30", "2026-6-5"):
        assert bool(_pattern(disclosure["date"]).match(value)) == (len(value) == 10 and bool(
            ISO_DATE.match(value))), value
    for value in ("2024-Q3", "2024-H1", "2024", "2025-W37", "2024-Q5", "Q3/2024", "2024-h1"):
        build_ok = any(p.match(value) for p, _ in PERIOD_FORMS.values())
        assert bool(_pattern(disclosure["period"]).match(value)) == build_ok, value
    for value in ("2025-2026", "2025–2026", "2025/2026", "25-26"):
        assert bool(_pattern(disclosure["school-year"]).match(value)) == bool(
            SCHOOL_YEAR.match(value)), value


def test_index_page_escapes_the_school_name():
    html = portal_editor.index_html("Trường <THPT> & Co")
    assert "<title>Soạn bài – Trường &lt;THPT&gt; &amp; Co</title>" in html
    assert "CMS_MANUAL_INIT" in html


NODE = shutil.which("node")


@pytest.mark.skipif(not NODE, reason="node không có")
def test_the_format_and_locale_javascript(tmp_path):
    """tests/js/portal_editor.test.js under node's own test runner."""
    result = subprocess.run([NODE, "--test", os.path.join(ROOT, "tests", "js")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"# pass [1-9]", result.stdout), result.stdout


@needs_decap
def test_upload_rules_in_the_admin_page_are_the_builds_own(site):
    import json
    built = site({"tin-tuc/2026/bai.md": post(date="2026-11-20 07:30")},
                 PORTAL_ATTACHMENT_MAX_BYTES=50 * 1024 * 1024,
                 PORTAL_IMAGES_MAX_UPLOAD_BYTES=10 * 1024 * 1024)
    assert built.ok, built.messages()
    block = built.soup("admin/index.html").find("script", id="quy-tac-tai-len")
    assert block["type"] == "application/json"
    rules = json.loads(block.string)
    assert rules["max_bytes"] == 50 * 1024 * 1024
    assert rules["photo_max_bytes"] == 10 * 1024 * 1024
    assert rules["warn_bytes"] == 20 * 1024 * 1024  # portal_safety's default
    declared = yaml.safe_load(open(os.path.join(ROOT, "plugins", "portal_safety",
                                                "attachments.yml"), encoding="utf-8"))
    assert set(rules["types"]) == set(declared["types"])
    assert rules["macros"]["xlsm"] == "xlsx"
    assert set(rules["photos"]) == {"jpg", "jpeg", "png"}


def test_a_content_type_declared_by_another_plugin_joins_the_editor(tmp_path):
    """A plugin adds a collection with its own editor.yml and metadata.yml: no change to
    portal_editor, and its key must be declared like any other."""
    import datetime as dt
    plugin = tmp_path / "plugins" / "portal_phong_hoc"
    plugin.mkdir(parents=True)
    (plugin / "metadata.yml").write_text("room: Phòng học (mã phòng)\n", "utf-8")
    (plugin / "editor.yml").write_text(
        "fields:\n  room: {label: Phòng học, widget: string}\n"
        "collections:\n  - {id: phong-hoc, label: Phòng học, folder: pages/phong-hoc, media: images,\n"
        "     fields: [title, room], required: [title, room]}\n", "utf-8")
    settings = _settings(os.path.join(ROOT, "content"))
    settings["PLUGIN_PATHS"] = list(settings["PLUGIN_PATHS"]) + [str(tmp_path / "plugins")]
    settings["PLUGINS"] = list(settings["PLUGINS"]) + ["portal_phong_hoc"]
    decl = editor_config.declarations(settings, dt.date(2026, 11, 29))
    assert editor_config.check(decl) == []
    config = editor_config.build_config(decl, {"name": "github", "branch": "main"}, 8081)
    room = _collection(config, "phong-hoc")
    assert room["folder"] == "content/pages/phong-hoc"
    assert _fields(room)["room"] == {"label": "Phòng học", "name": "room", "required": True,
                                     "hint": "Phòng học (mã phòng)", "widget": "string"}
    (plugin / "metadata.yml").write_text("# no keys\n", "utf-8")
    decl = editor_config.declarations(settings, dt.date(2026, 11, 29))
    assert [p.value for p in editor_config.check(decl)] == ["room", "room"]  # field, required


@needs_decap
def test_a_disabled_plugin_takes_its_collection_and_fields_out_of_the_editor(site):
    from pelican.settings import read_settings
    plugins = [p for p in read_settings(os.path.join(ROOT, "pelicanconf.py"))["PLUGINS"]
               if p not in ("portal_disclosure", "portal_metadata")]
    built = site({"tin-tuc/2026/bai.md": post(date="2026-11-20 07:30")}, PLUGINS=plugins)
    assert built.ok, built.messages()
    assert not [p for p in built.problems if p.plugin == "portal_editor"]
    config = _config(built)
    assert not [c for c in config["collections"] if c["name"].startswith("cong-khai")]
    news = _fields(_collection(config, "tin-tuc-2026"))
    assert "topics" in news and "cover" not in news and "cover-alt" not in news
