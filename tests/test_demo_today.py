"""The demo as of its fixed date (2026-11-29): a school that uses its portal every month, with
the plans of each year, textbook texts and a privacy notice that match the law of the time."""

import collections
import datetime as dt
import json
import re

import pytest

TODAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def post_dates(demo):
    dates = []
    for rel in demo.html_files():
        if not rel.startswith(("tin-tuc/", "thong-bao/")) or "/trang-" in rel or rel.count("/") != 2:
            continue
        script = demo.soup(rel).find("script", type="application/ld+json")
        graph = json.loads(script.string)["@graph"]
        dates += [dt.date.fromisoformat(node["datePublished"][:10])
                  for node in graph if node["@type"] == "NewsArticle"]
    return dates


def test_every_month_since_2024_has_four_to_eight_posts(post_dates):
    per_month = collections.Counter((d.year, d.month) for d in post_dates)
    months = [(y, m) for y in (2024, 2025, 2026) for m in range(1, 13) if (y, m) <= (2026, 11)]
    thin = {month: per_month[month] for month in months if not 4 <= per_month[month] <= 8}
    assert thin == {}
    assert max(post_dates) <= TODAY  # nothing from after the demo's day is published


def test_home_page_opens_on_the_news_of_the_demo_month(demo):
    home = demo.soup("index.html")
    first = home.find("main").find("time")
    assert first is not None
    assert first["datetime"][:7] == "2026-11"


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_each_year_has_its_plan_and_report(demo, year):
    report = demo.soup(f"bao-cao/truyen-thong/{year}/index.html").get_text(" ")
    assert f"Kế hoạch truyền thông về Giáo dục và Đào tạo năm {year}" in report
    data = json.loads(demo.read(f"bao-cao/truyen-thong/{year}/index.json"))
    assert data["plan"]["year"] == year
    posts = [p for p in data["posts"] if str(p.get("date", "")).startswith(str(year))]
    assert len(posts) >= 45, len(posts)  # 4 or more a month
    assert sum(1 for topic in data["topics"] if topic["total"] > 0) >= 8


def test_textbooks_chosen_by_the_school_not_approved_by_the_province(demo):
    for rel in ("tai-nguyen/index.html", "cong-khai/2024-2025/sach-giao-khoa-2024-2025/index.html",
                "cong-khai/2025-2026/sach-giao-khoa-2025-2026/index.html"):
        text = demo.soup(rel).find("main").get_text(" ")
        assert "đã được Ủy ban nhân dân tỉnh phê duyệt" not in text, rel
        assert "nhà trường" in text.lower() and "lựa chọn" in text, rel
        assert "Hiệu trưởng quyết định" in text, rel


def test_privacy_notice_states_what_the_law_asks(demo):
    main = demo.soup("chinh-sach-du-lieu/index.html").find("main")
    headings = [h.get_text(" ").replace("\xa0", " ").strip() for h in main.find_all("h2")]
    for needed in ("Mục đích xử lý", "Loại dữ liệu được xử lý", "Cách xử lý",
                   "Tổ chức, cá nhân liên quan", "Hậu quả không mong muốn có thể xảy ra",
                   "Thời gian bắt đầu và kết thúc xử lý", "Sự đồng ý của học sinh và cha mẹ"):
        assert needed in headings, (needed, headings)
    text = main.get_text(" ").replace("\xa0", " ")
    assert "91/2025/QH15" in text and "01/01/2026" in text
    consent = main.find("h2", string=re.compile("Sự đồng ý")).find_next("p").get_text(" ")
    consent = consent.replace("\xa0", " ")
    assert "7 tuổi" in consent and "cả học sinh và cha mẹ" in consent
