"""School facts with dates (content/data/school.yml, portal_core/school_facts.py): versions,
their problems, the facts in force on a day, and pages that name the school as of their date."""

import datetime as dt
import json
import re

import pytest
import yaml

from conftest import post
from portal_core.data import validate_school
from portal_core.school_facts import facts_on, item_day, validate_dated, value_on

D = dt.date
BODY = [
    {"value": "Sở Giáo dục và Đào tạo Ninh Bình", "from": D(2025, 7, 1)},
    {"value": "Sở Giáo dục và Đào tạo Nam Định", "to": D(2025, 6, 30)},
]


def test_value_on_each_side_of_the_change():
    assert value_on(BODY, D(2025, 6, 30)) == "Sở Giáo dục và Đào tạo Nam Định"
    assert value_on(BODY, D(2025, 7, 1)) == "Sở Giáo dục và Đào tạo Ninh Bình"
    assert value_on(BODY, D(2001, 1, 1)) == "Sở Giáo dục và Đào tạo Nam Định"
    assert value_on(BODY, D(2040, 1, 1)) == "Sở Giáo dục và Đào tạo Ninh Bình"
    assert value_on("Trường THPT Nguyễn Trãi", D(2001, 1, 1)) == "Trường THPT Nguyễn Trãi"


def test_a_closed_history_gives_the_nearest_version():
    closed = [{"value": "Lê Văn A", "from": D(2020, 1, 1), "to": D(2022, 12, 31)},
              {"value": "Trần Thị B", "from": D(2023, 1, 1), "to": D(2024, 12, 31)}]
    assert value_on(closed, D(2019, 5, 5)) == "Lê Văn A"
    assert value_on(closed, D(2026, 5, 5)) == "Trần Thị B"


def test_facts_on_a_datetime_and_plain_facts_kept():
    data = {"name": "Trường THPT Nguyễn Trãi", "managing_body": BODY,
            "sites": [{"value": [{"name": "Cơ sở chính", "address": "phường Vạn Xuân"}],
                       "from": "2025-07-01"},
                      {"value": [{"name": "Cơ sở chính", "address": "phường Cũ"}],
                       "to": "2025-06-30"}]}
    before = facts_on(data, dt.datetime(2024, 9, 5, 7, 30))
    after = facts_on(data, D(2026, 11, 29))
    assert before["managing_body"].endswith("Nam Định")
    assert before["sites"][0]["address"] == "phường Cũ"
    assert after["sites"][0]["address"] == "phường Vạn Xuân"
    assert before["name"] == after["name"] == "Trường THPT Nguyễn Trãi"


def fields(problems):
    return sorted((p.field, p.message) for p in problems)


def test_overlapping_versions_are_a_problem_naming_both():
    versions = [{"value": "A", "from": D(2025, 7, 1)}, {"value": "B", "to": D(2025, 7, 1)}]
    problems = validate_dated({"province": versions}, "content/data/school.yml")
    assert len(problems) == 1
    assert problems[0].field == "province[0]"
    assert "province[1]" in problems[0].message and "chồng" in problems[0].message
    assert problems[0].file == "content/data/school.yml"


def test_a_gap_between_versions_is_a_problem():
    versions = [{"value": "A", "to": D(2025, 6, 29)}, {"value": "B", "from": D(2025, 7, 1)}]
    problems = validate_dated({"ward": versions}, "school.yml")
    assert [p.field for p in problems] == ["ward[1]"]
    assert "30/06/2025" in problems[0].message


def test_day_first_date_refused_with_the_iso_suggestion():
    versions = [{"value": "A", "from": "01/07/2025"}, {"value": "B", "to": "2025-06-30"}]
    problems = validate_dated({"province": versions}, "school.yml")
    assert [(p.field, p.value) for p in problems] == [("province[0].from", "01/07/2025")]
    assert "2025-07-01" in problems[0].hint


def test_version_shape_problems():
    data = {"province": [{"value": "A", "from": D(2026, 1, 1), "to": D(2025, 1, 1)},
                         {"value": "", "from": D(2027, 1, 1)},
                         {"value": "C", "tu_ngay": "2028-01-01", "from": D(2028, 1, 1)}],
            "leaders": [{"value": "x", "from": D(2025, 1, 1)}, {"name": "Lê Văn A"}]}
    found = fields(validate_dated(data, "school.yml"))
    assert ("province[0]", "Ngày bắt đầu sau ngày kết thúc.") in found
    assert ("province[1].value", "Phiên bản thiếu giá trị.") in found
    assert any(f == "province[2].tu_ngay" for f, _ in found)
    assert ("leaders[1].value", "Phiên bản thiếu giá trị.") in found
    mixed = validate_dated({"leaders": [{"value": "x", "from": "2025-01-01"}, "Lê Văn A"]}, "f")
    assert fields(mixed) == [("leaders", "Trộn lẫn phiên bản có ngày và giá trị thường.")]


def test_no_version_in_force_today_is_a_problem():
    versions = [{"value": "A", "to": D(2025, 6, 30)}]
    assert validate_dated({"province": versions}, "f", D(2025, 6, 30)) == []
    problems = validate_dated({"province": versions}, "f", D(2026, 11, 29))
    assert [p.field for p in problems] == ["province"]


def test_private_fields_checked_in_every_version():
    school = yaml.safe_load("""
name: Trường THPT Nguyễn Trãi
level: thpt
managing_body: Sở GDĐT Ninh Bình
email: a@b.vn
phone: "0228 3 840 123"
domain: b.vn
sites: [{name: Cơ sở chính, address: Số 10}]
spokesperson: {name: Trần Minh Khoa, position: Hiệu trưởng, phone: "0228 3 840 123", email: a@b.vn}
leaders:
  - value:
      - {name: Trần Minh Khoa, position: Hiệu trưởng, phone: "0228", email: a@b.vn, duties: Chung}
    from: 2025-07-01
  - value:
      - {name: Lê Văn Ánh, position: Hiệu trưởng, phone: "0228", email: a@b.vn, duties: Chung,
         ngay_sinh: 1970-01-02}
    to: 2025-06-30
""")
    problems = validate_school(school, "school.yml", D(2026, 11, 29))
    assert [p.field for p in problems] == ["leaders[0].ngay_sinh"]


def test_item_day_uses_the_post_date_or_the_document_issue_date():
    class Article:
        date = dt.datetime(2024, 3, 8, 7, 0)
        metadata = {"date": date}

    class Page:
        metadata = {}
        date = dt.datetime(2026, 11, 29)  # what Pelican may give a page without Date:
        portal_issued = None

    assert item_day(Article()) == D(2024, 3, 8)
    assert item_day(Page()) is None
    document = Page()
    document.portal_issued = D(2023, 9, 10)
    assert item_day(document) == D(2023, 9, 10)
    assert item_day(None) is None


SCHOOL = """
name: Trường THPT Thử Nghiệm
short_name: THPT Thử Nghiệm
level: thpt
managing_body:
  - value: Sở Giáo dục và Đào tạo Tỉnh Mới
    from: 2025-07-01
  - value: Sở Giáo dục và Đào tạo Tỉnh Cũ
    to: 2025-06-30
province:
  - {value: Tỉnh Mới, from: 2025-07-01}
  - {value: Tỉnh Cũ, to: 2025-06-30}
domain: thu-nghiem.edu.vn
email: vanphong@thu-nghiem.edu.vn
phone: "0228 3 840 123"
sites:
  - value: [{name: Cơ sở chính, address: "Số 1, phường Mới, Tỉnh Mới"}]
    from: 2025-07-01
  - value: [{name: Cơ sở chính, address: "Số 1, phường Cũ, Tỉnh Cũ"}]
    to: 2025-06-30
leaders:
  - {name: Trần Minh Khoa, position: Hiệu trưởng, phone: "0228 3 840 123",
     email: ht@thu-nghiem.edu.vn, duties: Phụ trách chung}
spokesperson: {name: Trần Minh Khoa, position: Hiệu trưởng, phone: "0228 3 840 123",
               email: ht@thu-nghiem.edu.vn}
"""


def jsonld_org(soup):
    graph = json.loads(soup.find("script", type="application/ld+json").string)["@graph"]
    return next(node for node in graph if node["@type"] == "HighSchool")


def test_posts_name_the_school_as_of_their_date(site):
    built = site({
        "data/school.yml": SCHOOL,
        "tin-tuc/2025/cu.md": post("Bài trước khi sáp nhập", "2025-06-30 16:00"),
        "tin-tuc/2025/moi.md": post("Bài sau khi sáp nhập", "2025-07-01 07:00"),
    })
    assert built.ok, built.messages()
    for slug, old, new in (("bai-truoc-khi-sap-nhap", "Cũ", "Mới"),
                           ("bai-sau-khi-sap-nhap", "Mới", "Cũ")):
        soup = built.soup(f"tin-tuc/{slug}/index.html")
        text = soup.get_text(" ")
        assert f"Tỉnh {old}" in text and f"Tỉnh {new}" not in text, slug
        assert soup.select_one(".site-body").get_text() == f"Sở Giáo dục và Đào tạo Tỉnh {old}"
        org = jsonld_org(soup)
        assert org["parentOrganization"]["name"] == f"Sở Giáo dục và Đào tạo Tỉnh {old}"
        assert org["address"]["addressRegion"] == f"Tỉnh {old}"
        assert f"phường {old}" in soup.select_one(".site-footer").get_text(" ")
    old_footer = built.soup("tin-tuc/bai-truoc-khi-sap-nhap/index.html").select_one(".site-footer")
    assert "30/06/2025" in old_footer.select_one(".facts-as-of").get_text()
    assert built.soup("tin-tuc/bai-sau-khi-sap-nhap/index.html").select_one(".facts-as-of") is None
    home = built.soup("index.html")
    assert "Tỉnh Cũ" not in home.select_one(".site-footer").get_text(" ")
    assert jsonld_org(home)["address"]["addressRegion"] == "Tỉnh Mới"


def test_overlap_in_school_yml_stops_the_build(site):
    broken = SCHOOL.replace("    to: 2025-06-30\nprovince", "    to: 2025-07-01\nprovince")
    built = site({"data/school.yml": broken})
    assert not built.ok
    problem = next(p for p in built.problems if p.field.startswith("managing_body["))
    assert problem.file.endswith("content/data/school.yml")
    assert "chồng" in problem.message


OLD = re.compile(r"Sở (Giáo dục và Đào tạo|GDĐT) Nam Định|tỉnh Nam Định|thành phố Nam Định")
NEW = re.compile(r"Ninh Bình")
CHANGE = dt.date(2025, 7, 1)


def page_day(soup, rel):
    """A dated page's own date: a post's datePublished; for a document (công khai, văn bản),
    the date its footer says the facts are from (only shown when they are not today's)."""
    graph = json.loads(soup.find("script", type="application/ld+json").string)["@graph"]
    for node in graph:
        if node["@type"] == "NewsArticle":
            return dt.date.fromisoformat(node["datePublished"][:10])
    note = soup.select_one(".facts-as-of")
    if note is not None:
        day, month, year = re.search(r"(\d\d)/(\d\d)/(\d{4})", note.get_text()).groups()
        return dt.date(int(year), int(month), int(day))
    if DOCUMENT.match(rel):  # a document of today's period: its Dublin Core date
        meta = soup.find("meta", attrs={"name": "DC.date"})
        return dt.date.fromisoformat(meta["content"]) if meta else None
    return None


DOCUMENT = re.compile(r"^(cong-khai/\d{4}-\d{4}|van-ban)/[^/]+/index\.html$")


def test_demo_no_page_mixes_the_names_before_and_after_july_2025(demo):
    checked = {"old": 0, "new": 0}
    for rel in demo.html_files():
        if rel.startswith(("pagefind", "theme")):
            continue
        soup = demo.soup(rel)
        if soup.find("script", type="application/ld+json") is None:
            continue
        day = page_day(soup, rel)
        facts = " ".join(node.get_text(" ") for node in soup.select(".site-body, .site-footer"))
        org = jsonld_org(soup)
        facts += " " + org["parentOrganization"]["name"] + " " + org["address"]["addressRegion"]
        if day is not None and day < CHANGE:
            checked["old"] += 1
            assert not NEW.search(soup.get_text(" ")), rel
            assert "Nam Định" in org["address"]["addressRegion"], rel
        else:
            checked["new"] += 1
            assert not OLD.search(facts), rel
            assert org["address"]["addressRegion"] == "Ninh Bình", rel
            if day is not None:  # a post of the new period names only the new province
                assert not OLD.search(soup.get_text(" ")), rel
    assert checked["old"] > 20 and checked["new"] > 20
