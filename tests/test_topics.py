"""portal_topics: plans as data, the Topics matcher, topic pages, feeds and the report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import unicodedata
import xml.etree.ElementTree as ET

import pytest
import yaml

from conftest import FIXED_TODAY, ROOT, post
from portal_topics.matching import TopicMatcher, resolve
from portal_topics.plans import Plan, Topic, current_plan, validate_plan
from portal_topics.report import PostRecord, coverage, to_csv

ATOM = "{http://www.w3.org/2005/Atom}"
GROUPS = {"trong-tam": "Nội dung trọng tâm", "nhiem-vu-khac": "Các nhiệm vụ truyền thông khác"}
# Written by hand from content/plans/2022.yml, not computed by the plugin.
TOPICS_2022 = {
    "chinh-sach-phap-luat": "Chủ trương, chính sách, pháp luật về giáo dục",
    "dao-duc-loi-song": "Giáo dục đạo đức, lối sống và an toàn trường học",
    "phong-trao-thi-dua": "Phong trào thi đua và các cuộc vận động",
    "chat-luong-giao-duc": "Nâng cao chất lượng giáo dục",
    "co-so-vat-chat-tai-chinh": "Cơ sở vật chất, tài chính và công khai",
    "doi-ngu": "Đội ngũ giáo viên và cán bộ quản lý",
    "chuyen-doi-so": "Chuyển đổi số",
    "cai-cach-hanh-chinh": "Cải cách hành chính",
    "chi-dao-dieu-hanh": "Truyền thông theo yêu cầu chỉ đạo, điều hành",
    "dinh-huong-du-luan": "Định hướng dư luận",
    "su-kien-dot-xuat": "Sự kiện, hoạt động đột xuất",
}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.fixture
def matcher():
    return TopicMatcher([Topic(code, title, "trong-tam") for code, title in TOPICS_2022.items()])


# --- the matcher ----------------------------------------------------------------------

@pytest.mark.parametrize("value, code", [
    ("chuyen-doi-so", "chuyen-doi-so"),
    ("Chuyển đổi số", "chuyen-doi-so"),
    (nfd("Chuyển đổi số"), "chuyen-doi-so"),
    ("CHUYỂN ĐỔI SỐ", "chuyen-doi-so"),
    (nfd("CHUYỂN ĐỔI SỐ"), "chuyen-doi-so"),
    ("chuyen doi so", "chuyen-doi-so"),
    ("CHUYEN-DOI-SO", "chuyen-doi-so"),
    ("  Chuyển   đổi  số ", "chuyen-doi-so"),
    ("Đội ngũ giáo viên và cán bộ quản lý", "doi-ngu"),
    ("doi ngu giao vien va can bo quan ly", "doi-ngu"),
    ("DINH HUONG DU LUAN", "dinh-huong-du-luan"),
    ("Định hướng dư luận", "dinh-huong-du-luan"),
])
def test_matcher_accepts_code_or_title(matcher, value, code):
    assert matcher.match(value) == code


@pytest.mark.parametrize("value", [
    "chuyen doi sô",  # a mark missing: not guessed
    "Chuyển đổi so",
    "chuyển-đổi-số",
    "chuyen doi",
    "dinh huong du luận",
    "",
])
def test_matcher_refuses_partial_marks_and_fragments(matcher, value):
    assert matcher.match(value) is None


@pytest.mark.parametrize("value, expected", [
    ("chuyen doi sô", "Chuyển đổi số"),
    (nfd("chuyển đổi sô"), "Chuyển đổi số"),
    ("chuyen doi sso", "Chuyển đổi số"),
    ("cai cach hanh chin", "Cải cách hành chính"),
    ("đinh hương dư luân", "Định hướng dư luận"),
    ("dao duc", "Giáo dục đạo đức, lối sống và an toàn trường học"),
])
def test_suggestions_name_the_vietnamese_title(matcher, value, expected):
    assert any(expected in s for s in matcher.suggest(value))
    assert "Có phải ý bạn là" in matcher.hint(value)


def test_resolve_handles_commas_inside_titles_and_repeats(matcher):
    codes, unknown = resolve("Sự kiện, hoạt động đột xuất, chuyen doi so, Chuyển đổi số, "
                             "Truyền thông theo yêu cầu chỉ đạo, điều hành", matcher)
    assert codes == ["su-kien-dot-xuat", "chuyen-doi-so", "chi-dao-dieu-hanh"]
    assert unknown == []
    codes, unknown = resolve("doi-ngu, khong-co", matcher)
    assert codes == ["doi-ngu"] and unknown == ["khong-co"]


# --- plan files -----------------------------------------------------------------------

def plan_data(**changes):
    data = {"year": 2024, "number": "KH/2024", "date": dt.date(2024, 2, 1),
            "title": "Kế hoạch truyền thông năm 2024", "bases": ["Kế hoạch của Sở"],
            "topics": [{"code": "chuyen-doi-so", "title": "Chuyển đổi số", "group": "trong-tam",
                        "description": "Ứng dụng công nghệ thông tin."},
                       {"code": "dinh-huong-du-luan", "title": "Định hướng dư luận",
                        "group": "nhiem-vu-khac", "description": "Cải chính thông tin sai."}]}
    data.update(changes)
    return data


def test_valid_plan_loads():
    plan, problems = validate_plan(plan_data(), "content/plans/2024.yml", 2024, GROUPS)
    assert problems == []
    assert plan.year == 2024 and [t.code for t in plan.topics] == ["chuyen-doi-so",
                                                                   "dinh-huong-du-luan"]


def test_plan_problems_duplicate_code_bad_group_missing_fields():
    data = plan_data(title=None)
    data["topics"] = data["topics"] + [
        {"code": "chuyen-doi-so", "title": "Số hóa", "group": "trong-tam", "description": "x"},
        {"code": "an-toan", "title": "An toàn", "group": "trong tâm", "description": "x"},
        {"code": "thieu-nhom", "title": "Thiếu nhóm", "description": "x"},
        {"code": "Mã Có Dấu", "title": "Mã sai", "group": "trong-tam", "description": "x"},
    ]
    plan, problems = validate_plan(data, "content/plans/2024.yml", 2024, GROUPS)
    found = {(p.field, p.value) for p in problems}
    assert ("title", "") in found
    assert ("topics[2].code", "chuyen-doi-so") in found
    assert ("topics[3].group", "trong tâm") in found
    assert ("topics[4].group", "") in found
    assert ("topics[5].code", "Mã Có Dấu") in found
    assert all(p.file == "content/plans/2024.yml" for p in problems)
    assert [t.code for t in plan.topics] == ["chuyen-doi-so", "dinh-huong-du-luan"]


def test_plan_year_must_match_file_name():
    _, problems = validate_plan(plan_data(year=2025), "content/plans/2024.yml", 2024, GROUPS)
    assert [p.field for p in problems] == ["year"]


def test_current_plan_is_latest_not_after_today():
    plans = {y: Plan(y, "", None, f"KH {y}", (), "", ()) for y in (2021, 2022, 2023)}
    assert current_plan(plans, dt.date(2022, 6, 1)).year == 2022
    assert current_plan(plans, dt.date(2026, 11, 29)).year == 2023
    assert current_plan(plans, dt.date(2020, 1, 1)).year == 2021


# --- the report (pure) ----------------------------------------------------------------

def test_coverage_counts_and_recent_flags():
    plan = Plan(2022, "", None, "KH 2022", (), "", (
        Topic("a", "Chủ đề A", "trong-tam"), Topic("b", "Chủ đề B", "trong-tam"),
        Topic("c", "Chủ đề C", "nhiem-vu-khac")))
    posts = [
        PostRecord("tin-tuc/1/", "1", dt.date(2022, 1, 10), ("a", "b"), 2022),
        PostRecord("tin-tuc/2/", "2", dt.date(2022, 11, 20), ("a",), 2022),
        PostRecord("tin-tuc/3/", "3", dt.date(2022, 3, 1), ("b",), 2022),
        PostRecord("tin-tuc/4/", "4", dt.date(2021, 12, 30), ("c",), 2021),  # other plan
    ]
    report = coverage(plan, posts, dt.date(2022, 12, 31), GROUPS, stale_days=60)
    rows = {r["topic"].code: r for r in report["rows"]}
    assert rows["a"]["total"] == 2 and rows["a"]["by_month"]["2022-11"] == 1
    assert rows["b"]["total"] == 2 and rows["c"]["total"] == 0
    assert report["totals"]["total"] == 4 and report["distinct"]["total"] == 3
    assert [r["topic"].code for r in report["flagged"]] == ["b", "c"]
    lines = list(csv.reader(io.StringIO(to_csv(report))))
    assert lines[0][3:] == [f"2022-{m:02d}" for m in range(1, 13)] + ["Tổng"]
    assert lines[1][:2] == ["a", "Chủ đề A"] and lines[1][-1] == "2"
    past = coverage(plan, posts, dt.date(2024, 1, 1), GROUPS)
    assert [r["topic"].code for r in past["flagged"]] == ["c"]


# --- whole-site builds ----------------------------------------------------------------

def front_matter(text: str) -> dict[str, str]:
    meta = {}
    for line in text.splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        meta[key.strip().lower()] = value.strip()
    return meta


def plain(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def recount(files: dict[str, str], today: dt.date, titles: dict[str, str]):
    """Independent count from Markdown sources: {(plan year, code, YYYY-MM): n}."""
    by_title = {unicodedata.normalize("NFC", t).lower(): c for c, t in titles.items()}
    by_title.update({plain(t): c for c, t in titles.items()})
    by_title.update({c: c for c in titles})
    counts: dict[tuple[int, str, str], int] = {}
    for name, text in files.items():
        if not name.endswith(".md") or not name.startswith(
                ("tin-tuc/", "thong-bao/", "thong-cao-bao-chi/")):
            continue
        meta = front_matter(unicodedata.normalize("NFC", text))
        when = dt.datetime.strptime(meta["date"][:10], "%Y-%m-%d").date()
        if meta.get("status", "published") != "published" or when > today:
            continue
        year = int(meta.get("plan") or when.year)
        codes = {by_title[v.strip().lower()] for v in meta["topics"].split(",")
                 if v.strip().lower() in by_title}
        for code in codes:
            key = (year, code, when.strftime("%Y-%m"))
            counts[key] = counts.get(key, 0) + 1
    return counts


def site_files():
    return {
        "tin-tuc/a.md": post("Chuyển đổi số trong dạy học", "2022-03-10",
                             Topics="Chuyển đổi số", Slug="a"),
        "tin-tuc/b.md": post("Sổ điểm điện tử", "2022-03-20",
                             Topics=nfd("chuyen doi so, Đội ngũ giáo viên và cán bộ quản lý"),
                             Slug="b"),
        "tin-tuc/c.md": post("Bồi dưỡng giáo viên", "2022-05-02", Topics="doi-ngu", Slug="c"),
        "thong-bao/d.md": post("Thông báo nghỉ Tết", "2022-01-15", category="Thông báo",
                               Topics="CHI-DAO-DIEU-HANH", Slug="d"),
        "tin-tuc/e.md": post("Khai giảng 2021", "2021-09-05", Topics="chat-luong-giao-duc",
                             Slug="e"),
        "tin-tuc/f.md": post("Kế hoạch 2022 ban hành cuối năm trước", "2021-12-28",
                             Topics="chinh-sach-phap-luat", Plan="2022", Slug="f"),
        "tin-tuc/g.md": post("Bài nháp", "2022-04-01", Topics="chuyen-doi-so", Status="draft",
                             Slug="g"),
        "tin-tuc/h.md": post("Bài hẹn giờ", "2026-12-15", Topics="chuyen-doi-so", Slug="h"),
        "pages/gioi-thieu.md": "Title: Giới thiệu\nSlug: gioi-thieu\n\nTrang không có chủ đề.\n",
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import build

    files = site_files()
    result = build(tmp_path_factory.mktemp("topics"), files)
    return result, files


def test_site_builds_without_problems(built):
    result, _ = built
    assert result.ok, result.messages()
    assert not [p for p in result.problems if p.plugin == "portal_topics"], result.messages()


def test_title_and_plain_title_land_on_the_same_topic_page(built):
    result, _ = built
    soup = result.soup("chu-de/chuyen-doi-so/index.html")
    assert soup.h1.get_text(strip=True) == "Chủ đề: Chuyển đổi số"
    links = [a["href"] for a in soup.select("main .post-list h2 a")]
    assert links == ["/tin-tuc/b/", "/tin-tuc/a/"]  # newest first; no draft, no scheduled
    head = soup.find("link", rel="alternate", href="/feeds/chu-de/chuyen-doi-so.atom.xml")
    assert head is not None and head["type"] == "application/atom+xml"


def test_topics_index_groups_and_counts(built):
    result, _ = built
    soup = result.soup("chu-de/index.html")
    assert len(soup.find_all("h1")) == 1
    groups = [h.get_text(strip=True) for h in soup.select("main h2")]
    assert groups[:2] == ["Nội dung trọng tâm", "Các nhiệm vụ truyền thông khác"]
    # The current plan (2023: latest not after 2026) keeps the same 11 codes.
    hrefs = [a["href"] for a in soup.select("main .topic-list h3 a")]
    assert sorted(hrefs) == sorted(f"/chu-de/{code}/" for code in TOPICS_2022)
    item = soup.find("a", href="/chu-de/doi-ngu/").find_parent("li")
    assert "2 bài viết" in item.get_text()


def test_post_shows_topic_links_and_home_offers_topics(built):
    result, _ = built
    soup = result.soup("tin-tuc/b/index.html")
    links = {a["href"]: a.get_text() for a in soup.select(".article-topics a")}
    assert links == {"/chu-de/chuyen-doi-so/": "Chuyển đổi số",
                     "/chu-de/doi-ngu/": "Đội ngũ giáo viên và cán bộ quản lý"}
    home = result.soup("index.html")
    section = home.find("section", class_="home-topics")
    assert section.h2.get_text(strip=True)
    assert section.find("a", href="/chu-de/chuyen-doi-so/")


def test_topic_feed_is_valid_atom_with_the_topic_posts(built):
    result, _ = built
    root = ET.fromstring(result.read("feeds/chu-de/chuyen-doi-so.atom.xml").encode())
    assert root.tag == f"{ATOM}feed"
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert titles == ["Sổ điểm điện tử", "Chuyển đổi số trong dạy học"]


def test_a_topic_without_posts_has_no_feed_and_no_feed_link(built):
    """An empty Atom feed carries the build time: the file would change at every build."""
    result, _ = built
    empty = [code for code in TOPICS_2022
             if "Chưa có bài viết nào" in result.soup(f"chu-de/{code}/index.html").get_text()]
    assert empty  # the tiny site leaves some topics without posts
    for code in empty:
        soup = result.soup(f"chu-de/{code}/index.html")
        assert not result.exists(f"feeds/chu-de/{code}.atom.xml")
        assert not soup.find("link", rel="alternate", type="application/atom+xml",
                             href=lambda h: h and "/chu-de/" in h)
        assert not soup.find("a", href=lambda h: h and h.endswith(f"{code}.atom.xml"))


def test_report_counts_equal_a_recount_from_sources(built):
    result, files = built
    expected = recount(files, dt.date.fromisoformat(FIXED_TODAY), TOPICS_2022)
    for year in (2021, 2022, 2023):
        data = json.loads(result.read(f"bao-cao/truyen-thong/{year}/index.json"))
        assert data["plan"]["year"] == year
        for topic in data["topics"]:
            for month, n in topic["by_month"].items():
                assert n == expected.get((year, topic["code"], month), 0), (year, topic, month)
            assert topic["total"] == sum(v for (y, c, _), v in expected.items()
                                         if y == year and c == topic["code"])
    data = json.loads(result.read("bao-cao/truyen-thong/2022/index.json"))
    topics = {t["code"]: t for t in data["topics"]}
    assert topics["chuyen-doi-so"]["total"] == 2
    assert topics["chuyen-doi-so"]["posts"] == ["tin-tuc/a/", "tin-tuc/b/"]
    # Plan: 2022 puts a December 2021 post in the 2022 report, in its own month column.
    assert topics["chinh-sach-phap-luat"]["by_month"]["2021-12"] == 1
    assert data["totals"]["posts"] == 5


def test_report_csv_has_bom_and_matches_json(built):
    result, _ = built
    raw = open(result.path("bao-cao/truyen-thong/2022/index.csv"), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 11
    data = json.loads(result.read("bao-cao/truyen-thong/2022/index.json"))
    for row, topic in zip(rows, data["topics"]):
        assert row["Mã chủ đề"] == topic["code"] and row["Chủ đề"] == topic["title"]
        assert int(row["Tổng"]) == topic["total"]
        assert int(row["2022-03"]) == topic["by_month"]["2022-03"]


def test_report_page_table_is_accessible(built):
    result, _ = built
    soup = result.soup("bao-cao/truyen-thong/2022/index.html")
    assert len(soup.find_all("h1")) == 1
    table = soup.find("table", class_="coverage-table")
    assert table.caption.get_text(strip=True)
    heads = table.thead.find_all("th")
    assert all(th.get("scope") == "col" for th in heads) and len(heads) == 1 + 13 + 1
    row = table.find("a", href="#chu-de-chuyen-doi-so").find_parent("tr")
    assert row.th["scope"] == "row"
    assert [td.get_text(strip=True) for td in row.find_all("td")][-1] == "2"
    # Past year (today 2026): topics without posts carry a text label, not only a colour.
    flagged = table.find_all("tr", class_="flagged")
    assert flagged and all("Cần chú ý" in tr.get_text() for tr in flagged)
    assert not table.find("a", href="#chu-de-chuyen-doi-so").find_parent("tr").get("class")
    index = result.soup("bao-cao/truyen-thong/index.html")
    assert index.find("a", href="/bao-cao/truyen-thong/2022/")


def test_current_year_flags_topics_quiet_for_60_days(site):
    files = {
        "tin-tuc/a.md": post("Tin mới", "2022-12-01", Topics="chuyen-doi-so", Slug="a"),
        "tin-tuc/b.md": post("Tin cũ", "2022-10-01", Topics="doi-ngu", Slug="b"),
    }
    result = site(files, PORTAL_TODAY="2022-12-20")
    assert result.ok, result.messages()
    data = json.loads(result.read("bao-cao/truyen-thong/2022/index.json"))
    flags = {t["code"]: t["flagged"] for t in data["topics"]}
    assert flags["chuyen-doi-so"] is False and flags["doi-ngu"] is True
    assert data["highlight"]["mode"] == "recent"
    row = result.soup("bao-cao/truyen-thong/2022/index.html").find(
        "a", href="#chu-de-doi-ngu").find_parent("th")
    assert "60 ngày" in row.get_text()


def test_pagination_twelve_per_page(site):
    files = {f"tin-tuc/p{i:02d}.md": post(f"Bài số {i}", f"2022-02-{i + 1:02d}",
                                          Topics="Cải cách hành chính", Slug=f"p{i:02d}")
             for i in range(14)}
    result = site(files)
    assert result.ok, result.messages()
    first = result.soup("chu-de/cai-cach-hanh-chinh/index.html")
    second = result.soup("chu-de/cai-cach-hanh-chinh/trang-2/index.html")
    assert len(first.select("main .post-list > li")) == 12
    assert [a["href"] for a in second.select("main .post-list h2 a")] == [
        "/tin-tuc/p01/", "/tin-tuc/p00/"]
    assert first.find("a", rel="next")["href"] == "/chu-de/cai-cach-hanh-chinh/trang-2/"


def test_feed_urls_are_absolute_with_siteurl(site):
    url = "https://nguyentrai.example.edu.vn"
    result = site({"tin-tuc/a.md": post("Tin", "2022-03-01", Topics="doi-ngu", Slug="a")},
                  SITEURL=url, FEED_DOMAIN=url)
    assert result.ok, result.messages()
    root = ET.fromstring(result.read("feeds/chu-de/doi-ngu.atom.xml").encode())
    links = [e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")]
    assert links == [f"{url}/tin-tuc/a/"]
    head = result.soup("chu-de/doi-ngu/index.html").find("link", rel="alternate",
                                                          type="application/atom+xml",
                                                          title=re.compile("chủ đề"))
    assert head["href"] == f"{url}/feeds/chu-de/doi-ngu.atom.xml"


# --- bad inputs -----------------------------------------------------------------------

def topic_problems(result):
    return [p for p in result.problems if p.plugin == "portal_topics"]


def test_unknown_topic_fails_with_suggestion(site):
    result = site({"tin-tuc/a.md": post("Tin", "2022-03-01", Topics="chuyen doi sô", Slug="a")})
    assert not result.ok
    [problem] = topic_problems(result)
    assert problem.file == "content/tin-tuc/a.md" and problem.value == "chuyen doi sô"
    assert problem.field == "Topics" and problem.line == 4
    assert "Có phải ý bạn là" in problem.hint and "Chuyển đổi số" in problem.hint


def test_post_without_topics_fails_but_pages_are_exempt(site):
    result = site({"tin-tuc/a.md": post("Tin", "2022-03-01", Topics=None, Slug="a"),
                   "pages/gioi-thieu.md": "Title: Giới thiệu\nSlug: gioi-thieu\n\nTrang.\n"})
    assert not result.ok
    [problem] = topic_problems(result)
    assert problem.file == "content/tin-tuc/a.md" and problem.field == "Topics"
    assert "chưa gắn chủ đề" in problem.message


def test_drafts_are_validated_too(site):
    result = site({"tin-tuc/a.md": post("Tin", "2022-03-01", Topics="doi-ngu", Slug="a"),
                   "tin-tuc/b.md": post("Nháp", "2022-03-02", Topics="khong co chu de",
                                        Status="draft", Slug="b")})
    assert not result.ok
    assert [p.file for p in topic_problems(result)] == ["content/tin-tuc/b.md"]


def test_unknown_plan_year_fails(site):
    result = site({"tin-tuc/a.md": post("Tin", "2022-03-01", Topics="doi-ngu", Plan="2019",
                                        Slug="a")})
    assert not result.ok
    [problem] = topic_problems(result)
    assert problem.field == "Plan" and problem.value == "2019"
    assert "2019" in problem.message and "2022" in problem.hint


def test_bad_plan_file_fails_with_clear_problems(site):
    bad = yaml.safe_load(open(os.path.join(ROOT, "content", "plans", "2022.yml"),
                              encoding="utf-8"))
    bad["year"] = 2024
    bad["topics"][1]["code"] = "chinh-sach-phap-luat"
    bad["topics"][2]["group"] = "trọng tâm"
    del bad["topics"][3]["title"]
    result = site({"plans/2024.yml": yaml.safe_dump(bad, allow_unicode=True),
                   "tin-tuc/a.md": post("Tin", "2022-03-01", Topics="doi-ngu", Slug="a")})
    assert not result.ok
    found = {(p.file, p.field) for p in topic_problems(result)}
    assert found == {("content/plans/2024.yml", "topics[1].code"),
                     ("content/plans/2024.yml", "topics[2].group"),
                     ("content/plans/2024.yml", "topics[3].title")}


def test_plan_yaml_syntax_error_is_reported(site):
    result = site({"plans/2024.yml": "year: 2024\ntopics:\n  - code: a\n   title: x: y\n",
                   "tin-tuc/a.md": post("Tin", "2022-03-01", Topics="doi-ngu", Slug="a")})
    assert not result.ok
    [problem] = topic_problems(result)
    assert problem.file == "content/plans/2024.yml" and problem.line == 4  # "   title: x: y"


# --- the demo content -----------------------------------------------------------------

def demo_sources():
    files = {}
    with open(os.path.join(ROOT, "content", "data", "site.yml"), encoding="utf-8") as handle:
        folders = [c["folder"] for c in yaml.safe_load(handle)["categories"]]  # every category
    for folder in folders:
        for base, _, names in os.walk(os.path.join(ROOT, "content", folder)):
            for name in names:
                if name.endswith(".md"):
                    path = os.path.join(base, name)
                    rel = os.path.relpath(path, os.path.join(ROOT, "content"))
                    files[rel.replace(os.sep, "/")] = open(path, encoding="utf-8").read()
    return files


def test_demo_report_matches_recount_and_covers_every_2022_topic(demo):
    expected = recount(demo_sources(), dt.date.fromisoformat(FIXED_TODAY), TOPICS_2022)
    data = json.loads(demo.read("bao-cao/truyen-thong/2022/index.json"))
    for topic in data["topics"]:
        assert topic["total"] == sum(v for (y, c, _), v in expected.items()
                                     if y == 2022 and c == topic["code"]), topic["code"]
        assert topic["total"] >= 1, f"no demo post for {topic['code']} in 2022"
    assert {t["code"] for t in data["topics"]} == set(TOPICS_2022)
