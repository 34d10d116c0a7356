"""Readers on phones: disclosure as cards, the folded menu, contact first, disclosure on the
home page, and the 360 px layout gate that notices squeezed tables and cut-off links."""

from __future__ import annotations

import os

import pytest

from portal_disclosure import home
from cong_truong.gates import browser as site_browser

# ------------------------------------------------------------------ home highlights (pure)


def _doc(title, url, published):
    return {"title": title, "url": url, "published": published,
            "published_display": published[8:10] + "/" + published[5:7] + "/" + published[:4]}


def _row(item, year, status, due=None, docs=(), period=None):
    return {"item": item, "name": f"Mục {item}", "school_year": year, "status": status,
            "due": due, "due_display": due or "", "due_estimated": False, "period": period,
            "period_label": f"Quý {period}" if period else "", "documents": list(docs)}


INDEX = {
    "url": "cong-khai/", "today_display": "29/11/2026",
    "years": [
        {"id": "2026-2027", "url": "cong-khai/2026-2027/", "current": True, "archived": False,
         "rows": [
             _row("CK-06", "2026-2027", "on_time", "2026-04-19",
                  [_doc("Học phí 2026–2027", "cong-khai/2026-2027/hoc-phi/", "2026-04-10"),
                   _doc("Học phí (cập nhật)", "cong-khai/2026-2027/hoc-phi-2/", "2026-09-01")]),
             _row("CK-17", "2026-2027", "pending", "2027-04-18"),
             _row("CK-10", "2026-2027", "pending", "2027-01-15", period="2026-Q4"),
             _row("CK-09", "2026-2027", "pending", "2027-01-31"),
             _row("CK-01", "2026-2027", "overdue", "2026-06-30"),
         ]},
        {"id": "2025-2026", "url": "cong-khai/2025-2026/", "current": False, "archived": False,
         "rows": [
             _row("CK-13", "2025-2026", "on_time", "2026-06-30",
                  [_doc("Đội ngũ 2025–2026", "cong-khai/2025-2026/doi-ngu/", "2026-06-15")]),
             # one document answering two items is listed once
             _row("CK-14", "2025-2026", "late", "2026-06-30",
                  [_doc("Đội ngũ 2025–2026", "cong-khai/2025-2026/doi-ngu/", "2026-06-15")]),
         ]},
        {"id": "2019-2020", "url": "cong-khai/2019-2020/", "current": False, "archived": True,
         "rows": [_row("CK-05", "2019-2020", "pending", "2020-01-01")]},
    ],
}
CATALOGUE = {"items": [{"id": "CK-06", "shortcut": "Học phí"},
                       {"id": "CK-17", "shortcut": "Tuyển sinh"},
                       {"id": "CK-01"}]}


def test_latest_documents_newest_first_each_once():
    latest = home.latest_documents(INDEX, limit=3)
    assert [d["url"] for d in latest] == ["cong-khai/2026-2027/hoc-phi-2/",
                                          "cong-khai/2025-2026/doi-ngu/",
                                          "cong-khai/2026-2027/hoc-phi/"]


def test_upcoming_deadlines_soonest_first_pending_only_not_archived():
    upcoming = home.upcoming_deadlines(INDEX, limit=5)
    assert [(r["item"], r["due"]) for r in upcoming] == [
        ("CK-10", "2027-01-15"), ("CK-09", "2027-01-31"), ("CK-17", "2027-04-18")]
    assert upcoming[0]["period_label"] == "Quý 2026-Q4"


def test_shortcuts_point_to_the_newest_document_or_the_row():
    links = {link["item"]: link for link in home.shortcuts(INDEX, CATALOGUE)}
    assert set(links) == {"CK-06", "CK-17"}  # CK-01 has no shortcut label
    assert links["CK-06"]["url"] == "cong-khai/2026-2027/hoc-phi-2/"
    assert links["CK-17"]["url"] == "cong-khai/2026-2027/#ck-17-2026-2027"
    assert links["CK-17"]["label"] == "Tuyển sinh"


def test_no_current_year_means_no_shortcuts():
    index = {"years": [dict(INDEX["years"][1])]}
    assert home.shortcuts(index, CATALOGUE) == []


# ------------------------------------------------------------------ the demo's pages


def test_demo_home_lists_disclosure_documents_deadlines_and_shortcuts(demo):
    section = demo.soup("index.html").find("section", class_="home-disclosure")
    assert section is not None and section.h2.get_text() == "Công khai"
    links = [a["href"] for a in section.find_all("a")]
    assert "/cong-khai/" in links
    for href in links:
        path, _, anchor = href.lstrip("/").partition("#")
        assert demo.exists(os.path.join(path, "index.html")), href
        if anchor:
            assert demo.soup(os.path.join(path, "index.html")).find(id=anchor) is not None, href
    shortcuts = [a.get_text() for a in section.select(".home-shortcuts a")]
    assert shortcuts == ["Học phí và các khoản thu", "Kế hoạch tuyển sinh"]
    headings = [h.get_text() for h in section.find_all("h3")]
    assert headings == ["Văn bản mới công khai", "Sắp đến hạn công khai"]
    assert len(section.select(".home-list li")) == 6


@pytest.mark.parametrize("rel", ["cong-khai/index.html", "cong-khai/2025-2026/index.html"])
def test_demo_disclosure_tables_stack_with_labels_and_unique_row_ids(demo, rel):
    soup = demo.soup(rel)
    tables = soup.select("table.disclosure-table")
    assert tables and all("stack" in t["class"] for t in tables)
    for td in soup.select("table.disclosure-table td"):  # each cell's label comes from its class
        assert {"item-name", "due", "status", "docs"} & set(td.get("class", [])), td
    ids = [tr["id"] for tr in soup.select("tr[id]")]
    assert ids and len(ids) == len(set(ids))
    docs = soup.select("td.docs")
    assert docs and all(("empty" in td["class"]) == (td.find("a") is None) for td in docs)


def test_demo_disclosure_landing_current_year_open_others_folded(demo):
    soup = demo.soup("cong-khai/index.html")
    current = soup.find(id="nam-hoc-2026-2027")
    assert current.name == "h2" and current.find_parent("details") is None
    previous = soup.find(id="nam-hoc-2025-2026")
    assert previous.find_parent("summary") is not None
    assert previous.find_parent("details").find("table", class_="disclosure-table")


def test_demo_contact_page_starts_with_phone_email_and_address(demo):
    soup = demo.soup("lien-he/index.html")
    article = soup.find("article")
    first_section = article.find("section")
    prose = article.find("div", class_="prose")
    assert first_section.h2.get_text() == "Thông tin liên hệ chính thức"
    # the contact block comes before the page's text
    assert first_section in prose.find_all_previous("section")
    labels = [dt.get_text() for dt in first_section.find_all("dt")]
    assert labels[:2] == ["Điện thoại", "Thư điện tử"]
    assert first_section.find("a", href=lambda h: h and h.startswith("tel:"))
    assert first_section.find("a", href=lambda h: h and h.startswith("mailto:"))


def test_demo_menu_folded_copy_has_the_same_links(demo):
    nav = demo.soup("index.html").find("nav", class_="main-nav")
    folded = [a["href"] for a in nav.select("details.nav-fold a")]
    open_list = [a["href"] for a in nav.select("ul.nav-open a")]
    assert folded == open_list and folded
    assert nav.select_one("details.nav-fold > summary").get_text(strip=True) == "Trình đơn"


# ------------------------------------------------------------------ the 360 px gate

needs_browser = pytest.mark.skipif(bool(site_browser.missing_browser()),
                                   reason="Chromium is not installed")

WIDE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Bảng rộng</title>
<style>body{margin:0;font:16px/1.5 sans-serif} .scroll{overflow-x:auto}</style></head>
<body><main><h1>Bảng rộng</h1>
<table><tr><th>Mã</th><th>Nội dung công khai của nhà trường</th><th>Hạn công khai</th>
<th>Trạng thái</th><th>Văn bản</th><th>Ghi chú</th></tr>
<tr><td>CK-01</td><td>Thông tin chung về nhà trường năm học này</td><td>30/06/2027</td>
<td>Đã công khai đúng hạn</td><td>Quyết định số 12</td><td>Không có ghi chú nào thêm</td></tr>
</table>
<div class="scroll"><table><tr><td style="min-width:300px">Cột một rộng</td>
<td style="min-width:300px">Cột hai rộng</td><td><a href="/van-ban.pdf">Tải văn bản</a></td></tr>
</table></div></main></body></html>"""


@pytest.fixture(scope="module")
def phone_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=site_browser.CHROMIUM,
                                             args=site_browser.CHROMIUM_FLAGS)
        try:
            yield browser.new_page(viewport={"width": 360, "height": 800})
        finally:
            browser.close()


def _layout(page, base, rel):
    page.goto(site_browser.page_url(base, rel))
    return page.evaluate(site_browser.LAYOUT_SCRIPT, site_browser.NARROW_CELL_PX)


@pytest.mark.browser
@needs_browser
def test_layout_gate_flags_squeezed_cells_and_links_beyond_a_scroll_box(tmp_path, phone_page):
    (tmp_path / "index.html").write_text(WIDE, encoding="utf-8")
    with site_browser.serve(str(tmp_path)) as base:
        found = _layout(phone_page, base, "index.html")
    rules = [rule for rule, _, _ in found]
    assert "narrow-cell" in rules
    narrow = [html for rule, html, _ in found if rule == "narrow-cell"]
    assert any("Đã công khai đúng hạn" in html or "Không có ghi chú" in html for html in narrow), found
    assert not any("CK-01" in html or "30/06/2027" in html for html in narrow)  # one word: fine
    assert [html for rule, html, _ in found if rule == "out-of-reach"] == [
        '<a href="/van-ban.pdf">Tải văn bản</a>']


@pytest.mark.browser
@needs_browser
@pytest.mark.parametrize("rel", ["cong-khai/index.html", "cong-khai/2025-2026/index.html",
                                 "lien-he/index.html", "index.html", "van-ban/index.html",
                                 "tuan-thu/index.html"])
def test_demo_pages_fit_a_phone(demo, phone_page, rel):
    with site_browser.serve(demo.output) as base:
        found = _layout(phone_page, base, rel)
        overflow = phone_page.evaluate(site_browser.REFLOW_SCRIPT)
    assert found == [] and overflow <= 1


@pytest.mark.browser
@needs_browser
def test_folded_menu_opens_from_the_keyboard_at_phone_width(demo, phone_page):
    with site_browser.serve(demo.output) as base:
        phone_page.goto(site_browser.page_url(base, "index.html"))
        assert phone_page.is_visible("details.nav-fold > summary")
        assert not phone_page.is_visible("ul.nav-open")
        assert site_browser.menu_failures(phone_page, "index.html", 360) == []
        assert phone_page.evaluate("document.querySelector('details.nav-fold').open")
        phone_page.set_viewport_size({"width": 1280, "height": 800})
        phone_page.goto(site_browser.page_url(base, "index.html"))
        assert phone_page.is_visible("ul.nav-open") and not phone_page.is_visible("details.nav-fold")
        phone_page.set_viewport_size({"width": 360, "height": 800})
