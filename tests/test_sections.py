"""portal_sections: catalogue, statuses, section pages, documents, metadata, compliance."""

from __future__ import annotations

import datetime as dt
import json
import os
import unicodedata

import pytest
import yaml

from conftest import ROOT, fresh_plugins, page, post

from portal_sections import attach
from portal_sections import catalogue as cat
from portal_sections import status as st

D = dt.date
TODAY = D(2026, 11, 29)  # conftest.FIXED_TODAY

# The section slugs of TT 37/2020 Điều 9 as the portal maps them (typed in by hand, not read
# from catalogue.yml, so that a slug changed there by mistake fails this test).
LAW_SLUGS = ["gioi-thieu", "gioi-thieu/co-cau-to-chuc", "gioi-thieu/lanh-dao", "tin-tuc",
             "thong-bao", "van-ban", "cong-khai", "cong-khai/tai-chinh", "tuyen-sinh",
             "ke-hoach-giao-duc", "thoi-khoa-bieu", "thuc-don", "thu-tuc-hanh-chinh",
             "lay-y-kien", "hoi-dap", "lien-he", "tai-nguyen", "chinh-sach-du-lieu", "tiep-can"]



def _plugins() -> list[str]:
    """The project's plugins without portal_disclosure: the tiny sites fake the disclosure
    pages (any page under /cong-khai/ provides it), so its own checks stay out of these tests."""
    from pelican.settings import read_settings

    plugins = read_settings(os.path.join(ROOT, "pelicanconf.py"))["PLUGINS"]
    return [p for p in plugins if p != "portal_disclosure"]


ISOLATED = _plugins()


def raw_catalogue() -> dict:
    with open(cat.CATALOGUE_PATH, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def minimal(**extra) -> dict:
    item = {"id": "gioi-thieu", "title": "Giới thiệu", "requirement": "mandatory",
            "basis": [{"ref": "TT 37/2020 Điều 9", "confidence": "READ-2nd"}]}
    item.update(extra)
    return item


# --- catalogue ---------------------------------------------------------------------------

def test_catalogue_has_every_section_of_the_reference_and_is_valid():
    sections, problems = cat.load_catalogue()
    assert problems == []
    ids = [s.id for s in sections]
    assert len(ids) == len(set(ids))
    assert set(LAW_SLUGS) <= set(ids)
    by_id = {s.id: s for s in sections}
    assert by_id["thuc-don"].requirement == "conditional"
    assert by_id["thuc-don"].condition == "serves_meals"
    assert by_id["lien-he"].mandatory and by_id["van-ban"].mandatory
    for section in sections:
        assert unicodedata.is_normalized("NFC", section.title)
        assert section.basis and all(
            b["confidence"] in ("READ", "SECONDARY", "RECALL", "INFER", "UNVERIFIED")
            for b in section.basis)


@pytest.mark.parametrize("item, field, words", [
    (minimal(title=None), "title", "Thiếu thông tin bắt buộc"),
    (minimal(requirement="bat-buoc"), "requirement", "Mức yêu cầu không hợp lệ"),
    (minimal(basis=[{"ref": "TT 37", "confidence": "SURE"}]), "confidence", "Mức tin cậy"),
    (minimal(basis=["TT 37"]), "basis[0]", "«ref» và «confidence»"),
    (minimal(id="Giới Thiệu"), "id", "Mã mục không hợp lệ"),
    (minimal(requirement="conditional"), "condition", "condition"),
    (minimal(update={"rule": "annual", "by": "31/6"}), "update.by", "ngày/tháng"),
    (minimal(update={"rule": "max_age", "days": -3}), "update.days", "số nguyên dương"),
    (minimal(update={"rule": "weekly"}), "update.rule", "Quy tắc cập nhật"),
    (minimal(provided_by="data"), "data_key", "data_key"),
    (minimal(layout="grid"), "layout", "Kiểu trình bày"),
])
def test_malformed_item_gives_a_clear_error_and_is_left_out(item, field, words):
    sections, problems = cat.validate_catalogue({"sections": [item]}, "catalogue.yml")
    assert sections == []
    errors = [p for p in problems if p.severity == "error"]
    assert errors, problems
    assert any(field in p.field and words in p.message + p.hint for p in errors), \
        [p.format() for p in errors]
    assert all(p.file == "catalogue.yml" and p.plugin == "portal_sections" for p in errors)


def test_child_must_follow_its_parent_and_ids_are_unique():
    child = minimal(id="gioi-thieu/lanh-dao", title="Ban Giám hiệu")
    sections, problems = cat.validate_catalogue({"sections": [child, minimal(), minimal()]}, "c")
    messages = " ".join(p.message for p in problems)
    assert "mục cha" in messages and "trùng" in messages
    assert [s.id for s in sections] == ["gioi-thieu"]


@pytest.mark.parametrize("data", [None, [], {"sections": "gioi-thieu"}, {"muc": []}])
def test_catalogue_without_a_sections_list_is_an_error(data):
    sections, problems = cat.validate_catalogue(data, "catalogue.yml")
    assert sections == [] and problems and "sections" in problems[0].message


def test_broken_yaml_reports_the_line(tmp_path):
    path = tmp_path / "catalogue.yml"
    path.write_text("sections:\n  - id: gioi-thieu\n   title: Giới thiệu\n  - id: tin-tuc\n",
                    encoding="utf-8")
    sections, problems = cat.load_catalogue(str(path), str(tmp_path))
    assert sections == [] and problems[0].line == 3  # "   title:" is mis-indented
    assert "YAML" in problems[0].message


# --- the school's choices --------------------------------------------------------------------

def sections_of(school=None, overrides=None):
    sections, problems = cat.load_catalogue()
    return cat.apply_school(sections, school or {}, overrides, "content/data/sections.yml")


@pytest.mark.parametrize("value, applies", [
    (True, True), (False, False), (None, False), ("có", True), ("CÓ", True), ("không", False),
])
def test_meals_section_applies_only_when_the_school_serves_meals(value, applies):
    sections, problems = sections_of({"serves_meals": value})
    assert problems == []
    assert {s.id: s for s in sections}["thuc-don"].applicable is applies


def test_overrides_change_order_and_menu_and_suggest_close_ids():
    sections, problems = sections_of(overrides={"van-ban": {"nav": True, "order": 1},
                                                "thu-tuc-hanh-chinh": {"enabled": False},
                                                "thuc-dn": {"nav": True}})
    assert sections[0].id == "van-ban" and sections[0].nav
    by_id = {s.id: s for s in sections}
    assert by_id["thu-tuc-hanh-chinh"].applicable is False
    assert any("thuc-don" in p.hint for p in problems if p.field == "sections.thuc-dn")


def test_a_mandatory_section_cannot_be_switched_off():
    sections, problems = sections_of(overrides={"lien-he": {"enabled": False}})
    assert {s.id: s for s in sections}["lien-he"].applicable is True
    assert problems and problems[0].severity == "warning" and "bắt buộc" in problems[0].message


def test_menu_bar_keeps_home_first_and_respects_the_limit():
    sections, _ = sections_of()
    plugins = ["portal_disclosure"]
    bar, full = cat.navigation(sections, plugins, limit=3)
    assert bar[0] == {"id": "", "title": "Trang chủ", "url": ""}
    assert len(bar) == 4 and all(item["url"].endswith("/") for item in bar[1:])
    assert len(full) > len(bar)
    assert "cong-khai/" in [i["url"] for i in full]
    _, without = cat.navigation(sections, [], limit=3)
    assert "cong-khai/" not in [i["url"] for i in without]  # no dead link without the plugin
    assert "thuc-don/" not in [i["url"] for i in full]  # not applicable: not listed


# --- statuses ------------------------------------------------------------------------------

ANNUAL = {"rule": "annual", "by": "30/6"}


@pytest.mark.parametrize("update, last, today, outdated", [
    (ANNUAL, D(2025, 7, 1), D(2026, 11, 29), False),
    # "trước ngày 30/6": an update on 30/6/2025 is too late for 2025, in time for 2026
    (ANNUAL, D(2025, 6, 30), D(2026, 11, 29), False),
    (ANNUAL, D(2025, 6, 29), D(2026, 11, 29), True),
    (ANNUAL, D(2024, 7, 1), D(2026, 6, 15), False),  # before this year's deadline
    (ANNUAL, D(2024, 6, 29), D(2026, 6, 15), True),
    (ANNUAL, D(2025, 7, 1), D(2026, 6, 30), False),  # deadline day itself
    ({"rule": "max_age", "days": 7}, D(2026, 11, 22), D(2026, 11, 29), False),
    ({"rule": "max_age", "days": 7}, D(2026, 11, 21), D(2026, 11, 29), True),
    ({"rule": "max_age", "days": 7}, dt.datetime(2026, 11, 1, 7, 30), D(2026, 11, 29), True),
    ({"rule": "none"}, D(2001, 1, 1), D(2026, 11, 29), False),
    (ANNUAL, None, D(2026, 11, 29), False),  # unknown date: cannot be judged
])
def test_outdated_rules(update, last, today, outdated):
    assert st.is_outdated(update, last, today) is outdated


def test_last_deadline_handles_29_february():
    assert st.last_deadline(D(2026, 3, 1), 29, 2) == D(2026, 2, 28)
    assert st.last_deadline(D(2028, 3, 1), 29, 2) == D(2028, 2, 29)


@pytest.mark.parametrize("applicable, sources, last, expected", [
    (False, ["thuc-don/"], D(2026, 11, 28), "not_applicable"),
    (True, [], None, "missing"),
    (True, ["lien-he/"], None, "ok"),
    (True, ["gioi-thieu/"], D(2026, 8, 15), "ok"),
    (True, ["gioi-thieu/"], D(2025, 1, 15), "outdated"),
])
def test_compute_status(applicable, sources, last, expected):
    assert st.compute_status(applicable, sources, last, ANNUAL, TODAY) == expected


@pytest.mark.parametrize("value, expected", [
    ("Còn hiệu lực", "con-hieu-luc"),
    (unicodedata.normalize("NFD", "Hết hiệu lực"), "het-hieu-luc"),
    ("HẾT HIỆU LỰC", "het-hieu-luc"),
    ("con hieu luc", "con-hieu-luc"),
    ("còn-hiệu-lực", "con-hieu-luc"),
    ("đang áp dụng", None),
    (None, None),
])
def test_validity_values(value, expected):
    assert st.parse_validity(value) == expected


def test_documents_grouped_by_issuer_and_year_newest_first():
    docs = [
        {"title": "A", "issuer": "Sở Giáo dục và Đào tạo Nam Định", "issued": D(2025, 3, 1)},
        {"title": "B", "issuer": "Trường THPT Nguyễn Trãi", "issued": D(2026, 9, 5)},
        {"title": "C", "issuer": unicodedata.normalize("NFD", "SỞ GIÁO DỤC VÀ ĐÀO TẠO NAM ĐỊNH"),
         "issued": D(2026, 1, 2)},
        {"title": "D", "issuer": "Trường THPT Nguyễn Trãi", "issued": None},
    ]
    groups = st.group_documents(docs)
    issuers = {slug: [d["title"] for d in items] for slug, _, items in groups["issuers"]}
    assert issuers == {"so-giao-duc-va-dao-tao-nam-dinh": ["C", "A"],
                       "truong-thpt-nguyen-trai": ["B", "D"]}
    assert [(year, [d["title"] for d in items]) for year, items in groups["years"]] == \
        [(2026, ["B", "C"]), (2025, ["A"])]


@pytest.mark.parametrize("deadline, closed", [
    (D(2026, 11, 29), False), (D(2026, 11, 28), True), (D(2026, 12, 15), False), (None, None),
])
def test_consultation_closes_after_its_deadline_day(deadline, closed):
    assert st.consultation_closed(deadline, TODAY) is closed


@pytest.mark.parametrize("slug, declared, folder, expected", [
    ("lien-he", "", "", ("lien-he", True)),
    ("co-cau-to-chuc", "", "gioi-thieu", ("gioi-thieu/co-cau-to-chuc", True)),
    ("quy-che", "", "van-ban", ("van-ban", False)),
    ("quy-che", "van-ban", "", ("van-ban", False)),
    ("van-ban", "lay-y-kien", "", ("lay-y-kien", False)),
    ("gioi-thieu-khac", "", "", ("", False)),
])
def test_attach_pages_to_sections(slug, declared, folder, expected):
    ids = {"lien-he", "gioi-thieu", "gioi-thieu/co-cau-to-chuc", "van-ban", "lay-y-kien"}
    assert attach(slug, declared, folder, ids) == expected


# --- whole-site builds ------------------------------------------------------------------------

def complete_site() -> dict:
    """A tiny site that provides every mandatory section (disclosure faked by one page)."""
    files = {
        "tin-tuc/khai-giang.md": post("Lễ khai giảng năm học 2022–2023", "2022-09-05 07:30"),
        # news is judged against its last post (45 days): a recent one keeps it up to date
        "tin-tuc/hop-phu-huynh.md": post("Họp cha mẹ học sinh học kỳ I", "2026-11-20 07:30",
                                          Plan="2023"),
        "pages/gioi-thieu.md": page("Giới thiệu nhà trường", "gioi-thieu", Modified="2026-08-01"),
        "pages/gioi-thieu/co-cau-to-chuc.md": page("Cơ cấu tổ chức", "co-cau-to-chuc",
                                                   "- Ban Giám hiệu\n    - Tổ Toán – Tin",
                                                   Modified="2026-08-01"),
        "pages/cong-khai-thu.md": "Title: Công khai năm học 2026–2027\nSlug: cong-khai-thu\n"
                                  "Url: cong-khai/2026-2027/\n"
                                  "Save_as: cong-khai/2026-2027/index.html\n\nNội dung.\n",
        "pages/tuyen-sinh.md": page("Tuyển sinh", "tuyen-sinh", Modified="2026-03-01"),
        "pages/ke-hoach-giao-duc.md": page("Kế hoạch giáo dục", "ke-hoach-giao-duc",
                                           Modified="2026-09-10"),
        "pages/lay-y-kien/du-thao.md": page("Dự thảo nội quy", "du-thao", Deadline="2026-12-01"),
        "pages/hoi-dap.md": page("Hỏi đáp", "hoi-dap"),
        "pages/lien-he.md": page("Liên hệ", "lien-he", "Giờ làm việc: 7:00–17:00."),
        "pages/tai-nguyen.md": page("Tài nguyên", "tai-nguyen", Modified="2026-07-01"),
        "pages/chinh-sach-du-lieu.md": page("Chính sách dữ liệu", "chinh-sach-du-lieu"),
        "pages/tiep-can.md": page("Tiếp cận", "tiep-can", Modified="2026-08-01"),
    }
    files.update(documents())
    return files


def documents() -> dict:
    def doc(title, slug, number, issued, issuer, validity="Còn hiệu lực", **meta):
        return page(title, slug, "Nội dung chính của văn bản.", Number=number, Issued=issued,
                    Issuer=issuer, Validity=validity, **meta)
    return {
        "pages/van-ban/a.md": doc("Quy chế tổ chức và hoạt động", "quy-che", "86/QĐ-THPTNT",
                                  "2024-08-15", "Trường THPT Nguyễn Trãi",
                                  Attachment="files/van-ban/quy-che.pdf"),
        "pages/van-ban/b.md": doc("Hướng dẫn nhiệm vụ năm học", "huong-dan", "1650/SGDĐT-GDTrH",
                                  "2026-08-28", "Sở Giáo dục và Đào tạo Ninh Bình"),
        "pages/van-ban/c.md": doc("Quy chế cũ", "quy-che-cu", "74/QĐ-THPTNT", "2020-09-10",
                                  "trường thpt nguyễn trãi", validity="hết hiệu lực"),
        "pages/van-ban/d.md": doc("Kế hoạch năm học", "ke-hoach", "120/KH-THPTNT", "2026-09-10",
                                  "Trường THPT Nguyễn Trãi"),
        "files/van-ban/quy-che.pdf": b"%PDF-1.4\n%%EOF\n",
    }


def index_json(built) -> dict:
    data = json.loads(built.read("tuan-thu/index.json"))
    return {item["id"]: item for item in data["items"]}


def test_complete_site_passes_the_strict_build_and_reports_ok(site):
    with fresh_plugins():  # portal_disclosure left out even after a build that had it
        built = site(complete_site(), conf="publishconf.py", PLUGINS=ISOLATED)
    assert built.ok, built.messages()
    items = index_json(built)
    for item in items.values():
        assert {"id", "title", "basis", "mandatory", "status", "sources"} <= set(item)
        if item["mandatory"]:
            assert item["status"] == "ok", item
    assert items["lien-he"]["sources"] == ["lien-he/"]
    assert items["cong-khai"]["sources"] == ["cong-khai/"]
    assert items["thuc-don"]["status"] == "not_applicable"
    assert items["thoi-khoa-bieu"]["status"] == "missing" and not items["thoi-khoa-bieu"]["mandatory"]
    assert "Thông tư 37/2020" in items["lien-he"]["basis"]


def test_removing_contact_page_makes_it_missing_and_fails_the_strict_build(site):
    files = complete_site()
    files["pages/lien-he.md"] = None
    dev = site(files, PLUGINS=ISOLATED)
    assert dev.ok, dev.messages()  # a warning does not stop the development build
    assert index_json(dev)["lien-he"]["status"] == "missing"
    warned = [p for p in dev.problems if p.field == "lien-he"]
    assert warned and warned[0].severity == "warning" and "Liên hệ" in warned[0].message
    # The landing page still exists (built from school data) so that links do not break.
    assert dev.exists("lien-he/index.html")
    row = dev.soup("tuan-thu/index.html").find("tr", id="muc-lien-he")
    assert "Thiếu" in row.get_text()

    strict = site(files, conf="publishconf.py", PLUGINS=ISOLATED)
    assert not strict.ok
    assert "lien-he" in strict.messages() and "Liên hệ" in strict.messages()


def test_outdated_page_is_reported_on_the_compliance_page(site):
    files = complete_site()
    files["pages/tiep-can.md"] = page("Tiếp cận", "tiep-can", Modified="2025-01-10")
    built = site(files, PLUGINS=ISOLATED)
    assert index_json(built)["tiep-can"]["status"] == "outdated"
    row = built.soup("tuan-thu/index.html").find("tr", id="muc-tiep-can")
    assert "Quá hạn cập nhật" in row.get_text()


def test_documents_table_and_prebuilt_filters(site):
    built = site(complete_site(), PLUGINS=ISOLATED)
    table = built.soup("van-ban/index.html").find("table", class_="documents")
    headers = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    assert headers == ["Số hiệu", "Ngày ban hành", "Trích yếu", "Cơ quan ban hành", "Hiệu lực"]
    assert all(th.get("scope") == "col" for th in table.find("thead").find_all("th"))
    numbers = [tr.find("td").get_text(strip=True) for tr in table.find("tbody").find_all("tr")]
    assert numbers == ["120/KH-THPTNT", "1650/SGDĐT-GDTrH", "86/QĐ-THPTNT", "74/QĐ-THPTNT"]
    assert "Hết hiệu lực" in table.find("tbody").find_all("tr")[-1].get_text()

    school = built.soup("van-ban/co-quan/truong-thpt-nguyen-trai/index.html")
    rows = school.find("table", class_="documents").find("tbody").find_all("tr")
    assert [r.find("td").get_text(strip=True) for r in rows] == \
        ["120/KH-THPTNT", "86/QĐ-THPTNT", "74/QĐ-THPTNT"]  # spellings of one issuer merged
    year = built.soup("van-ban/nam/2026/index.html")
    rows = year.find("table", class_="documents").find("tbody").find_all("tr")
    assert [r.find("td").get_text(strip=True) for r in rows] == ["120/KH-THPTNT", "1650/SGDĐT-GDTrH"]
    assert not built.exists("van-ban/nam/2025/index.html")
    assert len(year.find_all("h1")) == 1 and year.find("script") is not None  # JSON-LD only

    doc = built.soup("van-ban/quy-che/index.html")
    assert doc.find("h1").get_text(strip=True).replace("\xa0", " ") == \
        "Quy chế tổ chức và hoạt động"
    link = doc.find("a", href="/files/van-ban/quy-che.pdf")
    assert link is not None and built.exists("files/van-ban/quy-che.pdf")


def test_consultations_split_open_and_closed(site):
    files = complete_site()
    files["pages/lay-y-kien/cu.md"] = page("Dự thảo kế hoạch cũ", "cu", Deadline="2026-11-28")
    built = site(files, PLUGINS=ISOLATED)
    landing = built.soup("lay-y-kien/index.html")
    def part(label):
        return landing.find("section", attrs={"aria-labelledby": label}).get_text().replace(
            "\xa0", " ")
    open_part, closed_part = part("dang-lay-y-kien"), part("da-ket-thuc")
    assert "Dự thảo nội quy" in open_part and "Dự thảo kế hoạch cũ" in closed_part
    assert "đã kết thúc" in built.soup("lay-y-kien/cu/index.html").get_text()


def test_leaders_and_contacts_come_from_school_data(site):
    from portal_core.school_facts import facts_on

    with open(os.path.join(ROOT, "content", "data", "school.yml"), encoding="utf-8") as handle:
        # facts with dates: these pages have no date of their own, so they show today's facts
        school = facts_on(yaml.safe_load(handle), dt.date(2026, 11, 29))
    built = site(complete_site(), PLUGINS=ISOLATED)
    leaders = built.soup("gioi-thieu/lanh-dao/index.html").find("main").get_text(" ")
    for leader in school["leaders"]:
        assert leader["name"] in leaders and leader["email"] in leaders and leader["phone"] in leaders
    contact = built.soup("lien-he/index.html").find("main")
    assert "Giờ làm việc" in contact.get_text()  # the page's own text …
    assert school["spokesperson"]["name"] in contact.get_text()  # … and the data around it
    assert len(contact.find_all("h1")) == 1
    org = built.soup("gioi-thieu/co-cau-to-chuc/index.html").find(class_="prose")
    assert org.find("ul").find("ul") is not None  # organisation chart as nested lists


def test_meals_section_enabled_by_data_only(site):
    with open(os.path.join(ROOT, "content", "data", "school.yml"), encoding="utf-8") as handle:
        school = yaml.safe_load(handle)
    school["serves_meals"] = True
    files = complete_site()
    files["data/school.yml"] = yaml.safe_dump(school, allow_unicode=True)
    files["data/sections.yml"] = "sections:\n  thuc-don: {nav: true, order: 5}\n"
    built = site(files, PLUGINS=ISOLATED)
    assert built.ok, built.messages()
    assert index_json(built)["thuc-don"]["status"] == "missing"
    assert built.exists("thuc-don/index.html")
    nav = built.soup("index.html").find("nav", class_="main-nav")
    assert [a.get_text() for a in nav.find_all("a")][1] == "Thực đơn"
    assert built.soup("muc-luc/index.html").find("a", href="/thuc-don/") is not None


def test_unknown_section_and_missing_attachment_are_errors(site):
    files = complete_site()
    files["pages/van-ban/e.md"] = page("Văn bản lỗi", "van-ban-loi", Number="1/QĐ",
                                       Issued="15/08/2024", Issuer="Trường THPT Nguyễn Trãi",
                                       Validity="đang áp dụng", Attachment="files/khong-co.pdf")
    files["pages/ghi-chu.md"] = page("Ghi chú", "ghi-chu", Section="lay-y-kein")
    built = site(files, PLUGINS=ISOLATED)
    assert not built.ok
    by_field = {p.field: p for p in built.problems if p.plugin == "portal_sections"}
    assert "lay-y-kien" in by_field["Section"].hint
    assert by_field["Attachment"].file == "content/pages/van-ban/e.md"
    assert by_field["Issued"].value == "15/08/2024"
    assert by_field["Validity"].value == "đang áp dụng"


def test_malformed_catalogue_stops_the_build_with_a_clear_problem(site, tmp_path):
    broken = tmp_path / "catalogue.yml"
    broken.write_text("sections:\n  - id: lien-he\n    title: Liên hệ\n    requirement: must\n"
                      "    basis: [{ref: TT 37, confidence: READ}]\n", encoding="utf-8")
    built = site({"pages/lien-he.md": page("Liên hệ", "lien-he")}, PLUGINS=ISOLATED,
                 PORTAL_SECTIONS_CATALOGUE=str(broken))
    assert not built.ok
    assert any("requirement" in p.field and p.value == "must" for p in built.problems)


def test_metadata_on_pages_is_dublin_core_and_valid_json_ld(site):
    built = site(complete_site(), PLUGINS=ISOLATED)
    for rel in built.html_files():
        soup = built.soup(rel)
        assert soup.find("link", rel="schema.DC")["href"] == "http://purl.org/dc/elements/1.1/"
        names = {m.get("name") for m in soup.find_all("meta")}
        assert {"DC.title", "DC.publisher", "DC.language", "DC.type", "DC.creator"} <= names, rel
        graph = json.loads(soup.find("script", type="application/ld+json").string)["@graph"]
        assert graph[0]["@type"] == "HighSchool" and graph[0]["name"] == "Trường THPT Nguyễn Trãi"
    news = built.soup("tin-tuc/le-khai-giang-nam-hoc-2022-2023/index.html")
    graph = json.loads(news.find("script", type="application/ld+json").string)["@graph"]
    article = graph[1]
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == "Lễ khai giảng năm học 2022–2023"
    assert article["datePublished"].startswith("2022-09-05")
    assert news.find("meta", attrs={"name": "DC.date"})["content"] == "2022-09-05"


def test_json_ld_survives_quotes_and_angle_brackets_in_titles(site):
    files = complete_site()
    files["tin-tuc/la.md"] = post('Điểm "trung bình" < 5 & > 3 điểm', "2022-09-06 07:30",
                                  Slug="bai-la")
    built = site(files, PLUGINS=ISOLATED)
    script = built.soup("tin-tuc/bai-la/index.html").find("script", type="application/ld+json")
    assert "<" not in script.string  # escaped inside the script element
    data = json.loads(script.string)
    assert data["@graph"][1]["headline"] == 'Điểm "trung bình" < 5 & > 3 điểm'


# --- the demo ---------------------------------------------------------------------------------

def test_demo_reports_every_mandatory_item_ok(demo):
    items = index_json(demo)
    assert set(LAW_SLUGS) <= set(items)
    not_ok = {i: item["status"] for i, item in items.items()
              if item["mandatory"] and item["status"] != "ok"}
    # news is judged against its last post: outdated when it is more than 45 days old
    newest = max(dt.date.fromisoformat(t["datetime"][:10])
                 for t in demo.soup("tin-tuc/index.html").select("main time[datetime]"))
    expected = {"tin-tuc": "outdated"} if (TODAY - newest).days > 45 else {}
    # Công khai (and its finance part) from the disclosure index: outdated while an item of
    # theirs is overdue on /cong-khai/
    rows = json.loads(demo.read("cong-khai/index.json"))["rows"]
    overdue = [r for r in rows if r["status"] == "overdue"]
    if overdue:
        expected["cong-khai"] = "outdated"
    if any(r["category"] in ("Thu, chi tài chính", "Ngân sách") for r in overdue):
        expected["cong-khai/tai-chinh"] = "outdated"
    assert not_ok == expected
    assert items["thuc-don"]["status"] == "not_applicable"  # school.yml: serves_meals: false
    for rel in ("van-ban/index.html", "muc-luc/index.html", "tuan-thu/index.html",
                "gioi-thieu/lanh-dao/index.html", "thu-tuc-hanh-chinh/chuyen-truong/index.html"):
        assert len(demo.soup(rel).find_all("h1")) == 1, rel


def test_demo_menu_is_short_and_the_full_list_is_on_the_home_page(demo):
    home = demo.soup("index.html")
    bar = [a.get_text() for a in home.select("nav.main-nav ul.nav-open a")]
    assert bar[0] == "Trang chủ" and bar[-1] == "Tất cả mục" and len(bar) <= 9
    entries = {a["href"] for a in home.find("ul", class_="entry-points").find_all("a")}
    assert {"/van-ban/", "/lay-y-kien/", "/hoi-dap/", "/tiep-can/"} <= entries
