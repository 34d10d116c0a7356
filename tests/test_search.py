"""portal_search: Vietnamese search with Pagefind (đ folding), the search page, share previews.

Browser tests (marked ``browser``) run the real search page in headless Chromium against the
built site, served by an in-process http.server on 127.0.0.1.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import sys
import threading
import unicodedata
import urllib.parse

import pytest

from conftest import (ROOT, SHARE_IMAGE, build, cache_folder, fresh_plugins, index_records, page,
                      post)
from portal_search import shards
from portal_search.search import html_text, site_path
from portal_search.shards import SearchIndexError, plan_shards, run_pagefind

CHROMIUM = os.environ.get("PORTAL_CHROMIUM") or "/usr/bin/chromium"  # ./dev sets it
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
NFD = functools.partial(unicodedata.normalize, "NFD")

# A tiny school site: which page holds which words is written here by hand.
HOC_PHI = post("Thông báo thu học phí học kỳ I", "2022-09-08 08:00", "Thông báo",
               body="Nhà trường thông báo mức thu học phí. Cha mẹ học sinh được đăng ký "
                    "nộp qua ngân hàng.",
               Summary="Mức thu học phí học kỳ I và cách nộp.", Tags="học phí")
TUYEN_SINH = post("Thông báo tuyển sinh lớp 10", "2022-05-16 08:00", "Thông báo",
                  body="Học sinh lớp 9 đăng ký dự tuyển theo hướng dẫn của Sở Giáo dục và "
                       "Đào tạo. Hồ sơ gồm đơn đăng ký và học bạ.",
                  Summary="Kế hoạch tuyển sinh lớp 10.", Tags="tuyển sinh lớp 10")
KHAI_GIANG = post("Lễ khai giảng năm học mới", "2022-09-05 07:30", "Tin tức",
                  body="Sáng 5/9, thầy và trò dự lễ khai giảng. Phụ huynh có thể xem thời "
                       "khóa biểu tại bảng tin.",
                  Summary="Lễ khai giảng năm học 2022–2023.")
DRAFT = post("Bản nháp kế hoạch dã ngoại", "2022-10-01 08:00", "Tin tức", Status="draft",
             body="Nội dung nháp có từ riêng chimcanhcutnhap và học phí dự kiến.")
SCHEDULED = post("Thông báo sắp đăng", "2027-03-01 08:00", "Thông báo",
                 body="Bài hẹn giờ có từ riêng chimcanhcuthengio và tuyển sinh năm sau.")
with open(SHARE_IMAGE, "rb") as _share:
    SHARE_PNG = _share.read()
FILES = {
    "files/share.png": SHARE_PNG,  # the share image school.yml names (files/share.png)
    "thong-bao/hoc-phi.md": HOC_PHI,
    "thong-bao/tuyen-sinh.md": TUYEN_SINH,
    "tin-tuc/khai-giang.md": KHAI_GIANG,
    "tin-tuc/ban-nhap.md": DRAFT,
    "thong-bao/hen-gio.md": SCHEDULED,
    "pages/lien-he.md": page("Liên hệ", "lien-he", "Điện thoại văn phòng và địa chỉ đón tiếp."),
}
URL_HOC_PHI = "/thong-bao/thong-bao-thu-hoc-phi-hoc-ky-i/"
URL_TUYEN_SINH = "/thong-bao/thong-bao-tuyen-sinh-lop-10/"
URL_KHAI_GIANG = "/tin-tuc/le-khai-giang-nam-hoc-moi/"
URL_LIEN_HE = "/lien-he/"


# --- pure functions -----------------------------------------------------------------------

def test_html_text_splits_words_at_blocks_not_inline_tags():
    html = ("<h1>Tiêu&nbsp;đề</h1><p>Được <b>đ</b>ăng ký</p><ul><li>một</li><li>hai</li></ul>"
            "<nav>Trang chủ</nav><footer>Từ khóa</footer><script>var x</script><p>A &amp; B</p>")
    # A no-break space separates words, as in search.js (JS \\s matches it too).
    assert html_text(html) == "Tiêu đề Được đăng ký một hai A & B"
    ignored = ('<p class="meta" data-pagefind-ignore><time>Thứ Hai, 05/09/2022</time> · '
               'Đoàn trường</p><p>Lễ khai giảng</p>')
    assert html_text(ignored) == "Lễ khai giảng"


def _plan(pages, limit):
    return [(s.bundle, s.files) for s in plan_shards(pages, limit)]


def test_a_site_within_the_limit_has_one_index_at_pagefind():
    pages = [("tin-tuc/a/index.html", 2021), ("lien-he/index.html", None),
             ("tin-tuc/b/index.html", 2022)]
    assert _plan(pages, 1000) == [
        ("pagefind", ["tin-tuc/a/index.html", "tin-tuc/b/index.html", "lien-he/index.html"])]


def test_shards_are_whole_school_years_packed_from_the_oldest():
    pages = ([(f"y19/{i}.html", 2019) for i in range(3)] + [(f"y20/{i}.html", 2020) for i in range(2)]
             + [(f"y21/{i}.html", 2021) for i in range(4)] + [(f"y22/{i}.html", 2022) for i in range(1)]
             + [("lien-he/index.html", None), ("gioi-thieu/index.html", None)])
    plan = _plan(pages, 5)
    # 2019 + 2020 = 5 pages fit; 2021 (4) + 2022 (1) = 5 fit; the 2 undated pages would make
    # 7, so they are a newest shard of their own (the primary one, at /pagefind/).
    assert [bundle for bundle, _ in plan] == ["pagefind/2019-2021", "pagefind/2021-2023",
                                              "pagefind"]
    assert plan[0][1] == [f"y19/{i}.html" for i in range(3)] + ["y20/0.html", "y20/1.html"]
    assert plan[2][1] == ["gioi-thieu/index.html", "lien-he/index.html"]


def test_a_year_larger_than_the_limit_is_a_shard_of_its_own_and_undated_pages_join_the_newest():
    pages = [(f"a/{i}.html", 2020) for i in range(4)] + [("b.html", 2021), ("c.html", None)]
    assert _plan(pages, 3) == [("pagefind/2020-2021", [f"a/{i}.html" for i in range(4)]),
                               ("pagefind", ["b.html", "c.html"])]
    assert _plan([("c.html", None)], 3) == [("pagefind", ["c.html"])]
    assert _plan([], 3) == []


def test_adding_posts_this_year_leaves_the_older_shards_unchanged():
    old = [(f"y19/{i}.html", 2019) for i in range(3)] + [(f"y20/{i}.html", 2020) for i in range(3)]
    before = _plan(old + [("y21/0.html", 2021)], 4)
    after = _plan(old + [(f"y21/{i}.html", 2021) for i in range(4)], 4)
    # Only the shard that holds the current year changes (here it outgrows the limit and
    # 2020 becomes a shard of its own); 2019 is indexed once and reused.
    assert before[0] == after[0] == ("pagefind/2019-2020", [f"y19/{i}.html" for i in range(3)])
    assert before[1] == ("pagefind", [f"y20/{i}.html" for i in range(3)] + ["y21/0.html"])
    assert after[1:] == [("pagefind/2020-2021", [f"y20/{i}.html" for i in range(3)]),
                         ("pagefind", [f"y21/{i}.html" for i in range(4)])]


def test_site_path():
    assert site_path("") == "/"
    assert site_path("https://nguyentrai-nd.edu.vn") == "/"
    assert site_path("https://truong.github.io/cong-thong-tin/") == "/cong-thong-tin/"


def test_run_pagefind_failure_is_a_clear_error(tmp_path):
    with pytest.raises(SearchIndexError, match="Pagefind"):
        run_pagefind(str(tmp_path), str(tmp_path / "pagefind"), python="/bin/false")


# --- whole site ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("search-site")
    result = build(root, FILES)
    assert result.ok, f"{result.error}\n{result.messages()}"
    return result


def test_only_the_hidden_tokens_are_indexed_and_the_text_is_kept_for_excerpts(built):
    soup = built.soup(URL_TUYEN_SINH.strip("/") + "/index.html")
    main = soup.find("main")
    assert not main.has_attr("data-pagefind-body")
    block = main.find("div", class_="search-tokens")
    assert block.has_attr("hidden") and block.has_attr("data-pagefind-body")
    assert main.find("div", class_="search-text")["data-pagefind-meta"] == "text"
    weighted = {}
    for p in block.find_all("p"):
        weighted.setdefault(p.get("data-pagefind-weight"), []).extend(p.get_text().split())
    # title (weight 5), tags (weight 3), text: "đăng ký" and "Đào tạo" as tokens (tokens.py);
    # the post's topics too, though its "Chủ đề: …" line is left out of the excerpts
    assert "jchuyenwdoizc3dc3" in weighted[None]
    assert "jtuyenwsinhzc30" in weighted["5"] and "jlopw10zh10" in weighted["5"]
    assert "jtuyenwsinhzc30" in weighted["3"]
    assert "jdangwkyzdb01" in weighted[None] and "jdaowtaozd25" in weighted[None]
    assert all(word.isascii() for words in weighted.values() for word in words)
    metas = [span["data-pagefind-meta"] for span in block.find_all(attrs={"data-pagefind-meta": True})]
    assert metas == ["title:Thông báo tuyển sinh lớp 10", "date:2022-05-16",
                     "tags:tuyển sinh lớp 10", "category:Thông báo"]
    assert block.find(attrs={"data-pagefind-sort": True})["data-pagefind-sort"] == "date:2022-05-16"
    assert "đăng ký" in main.find("div", class_="prose").get_text()  # the visible text is as written
    assert built.soup("lien-he/index.html").find("div", class_="search-tokens").has_attr(
        "data-pagefind-body")


@pytest.mark.parametrize("rel", ["404.html", "index.html", "thong-bao/index.html",
                                 "tim-kiem/index.html", "luu-tru/index.html"])
def test_lists_search_and_404_are_not_indexed(built, rel):
    assert "data-pagefind-body" not in built.read(rel)


def test_date_and_author_line_is_not_indexed(built):
    """"lớp 10" must not find every post dated the 10th: the date/author line is left out."""
    record = next(r for r in index_records(built.output) if r["url"] == URL_TUYEN_SINH)
    assert "16/05/2022" not in record["content"] and "Thứ Hai" not in record["content"]
    assert "tuyển" not in record["content"]  # only tokens are indexed, never the words
    assert "jtuyenwsinhzc30" in record["content"]
    assert "Hồ sơ gồm đơn đăng ký và học bạ" in record["meta"]["text"].replace("\xa0", " ")
    assert record["meta"]["title"] == "Thông báo tuyển sinh lớp 10"
    assert record["meta"]["date"] == "2022-05-16"  # results still show the date
    assert record["meta"]["category"] == "Thông báo"
    page_record = next(r for r in index_records(built.output) if r["url"] == URL_LIEN_HE)
    assert "category" not in page_record["meta"]  # a page has no category of its own


def test_index_holds_exactly_the_public_posts_and_pages(built):
    urls = {record["url"] for record in index_records(built.output)}
    assert urls == {URL_HOC_PHI, URL_TUYEN_SINH, URL_KHAI_GIANG, URL_LIEN_HE}
    text = json.dumps(index_records(built.output), ensure_ascii=False)
    assert "chimcanhcutnhap" not in text and "chimcanhcuthengio" not in text
    assert built.exists("pagefind/pagefind.js")


def test_every_page_has_a_labelled_search_form(built):
    for rel in ["index.html", "404.html", URL_HOC_PHI.strip("/") + "/index.html",
                "thong-bao/index.html"]:
        form = built.soup(rel).find("header").find("form", role="search")
        assert form["action"] == "/tim-kiem/" and form["method"] == "get", rel
        field = form.find("input", attrs={"name": "q"})
        assert form.find("label", attrs={"for": field["id"]}).get_text(strip=True) == "Tìm kiếm"


def test_search_page_works_without_inline_script_and_without_javascript(built):
    soup = built.soup("tim-kiem/index.html")
    assert soup.find("h1").get_text() == "Tìm kiếm" and len(soup.find_all("h1")) == 1
    for script in soup.find_all("script"):  # data blocks (JSON-LD) are not code
        if script.get("type", "text/javascript") in ("text/javascript", "module"):
            assert script.get("src") and not script.string, script
    assert soup.find("script", src="/theme/js/search.js")["type"] == "module"
    form = soup.find("main").find("form", role="search")
    assert form["data-pagefind"] == "/pagefind/pagefind.js"
    assert soup.find("main").find("noscript")
    fallback = {a.get_text(): a["href"] for a in soup.find(id="search-fallback").find_all("a")}
    assert fallback["Thông báo"] == "/thong-bao/" and fallback["Liên hệ"] == "/lien-he/"
    assert soup.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")


def test_share_preview_tags_on_a_post(built):
    soup = built.soup(URL_HOC_PHI.strip("/") + "/index.html")

    def og(name):
        tag = soup.find("meta", property=name) or soup.find("meta", attrs={"name": name})
        return tag["content"] if tag else None

    assert og("og:type") == "article"
    assert og("og:title") == "Thông báo thu học phí học kỳ I"
    assert og("og:description") == "Mức thu học phí học kỳ I và cách nộp."
    # No SITEURL in the dev build: the school's domain keeps the URL absolute.
    assert og("og:url") == "https://nguyentrai-nd.edu.vn" + URL_HOC_PHI
    assert og("og:site_name") == "Trường THPT Nguyễn Trãi"
    assert og("og:locale") == "vi_VN"
    assert og("og:image") == "https://nguyentrai-nd.edu.vn/files/share.png"
    assert og("og:image:alt")
    assert og("twitter:card") == "summary_large_image"
    assert built.exists("files/share.png")
    with open(built.path("files/share.png"), "rb") as handle:
        head = handle.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")) == (1200, 630)


def test_share_preview_on_home_and_category(built):
    home = built.soup("index.html")
    assert home.find("meta", property="og:type")["content"] == "website"
    assert home.find("meta", property="og:url")["content"] == "https://nguyentrai-nd.edu.vn/"
    category = built.soup("thong-bao/index.html")
    assert category.find("meta", property="og:url")["content"] == \
        "https://nguyentrai-nd.edu.vn/thong-bao/"
    assert category.find("meta", property="og:title")["content"] == "Thông báo"


def test_a_pagefind_failure_fails_the_build(site, monkeypatch):
    monkeypatch.setattr(sys, "executable", "/bin/false")
    result = site({"tin-tuc/a.md": post("Bài")})
    assert isinstance(result.error, SearchIndexError)
    assert "Pagefind" in str(result.error)


# --- the index in shards ------------------------------------------------------------------

SHARDED = {"PORTAL_SEARCH_SHARD_PAGES": 2}
# Written by hand from FILES: tuyển sinh (May 2022) is school year 2021–2022; học phí and khai
# giảng (September 2022) are 2022–2023; Liên hệ has no date.
SHARD_URLS = {"pagefind/2021-2022": {URL_TUYEN_SINH},
              "pagefind/2022-2023": {URL_HOC_PHI, URL_KHAI_GIANG},
              "pagefind": {URL_LIEN_HE}}


@pytest.fixture(scope="module")
def sharded(tmp_path_factory):
    root = tmp_path_factory.mktemp("search-shards")
    result = build(root, FILES, **SHARDED)
    assert result.ok, f"{result.error}\n{result.messages()}"
    return result


def test_a_large_site_is_indexed_in_shards_by_school_year(sharded):
    for bundle, urls in SHARD_URLS.items():
        assert {r["url"] for r in index_records(sharded.output, bundle)} == urls, bundle
    listed = json.loads(sharded.read("pagefind/manh.json"))
    assert sorted(listed["bundles"]) == ["pagefind/2021-2022/", "pagefind/2022-2023/"]
    assert sharded.exists("pagefind/pagefind.js")


def test_one_shard_lists_no_other_parts(built):
    assert json.loads(built.read("pagefind/manh.json")) == {"bundles": []}


def test_unchanged_shards_are_reused_from_the_cache(tmp_path, monkeypatch):
    runs = []
    real = shards.run_pagefind

    def counting(site, bundle_path, *args, **kwargs):
        runs.append(sorted(os.path.relpath(os.path.join(base, f), site)
                           for base, _, names in os.walk(site) for f in names))
        return real(site, bundle_path, *args, **kwargs)

    monkeypatch.setattr(shards, "run_pagefind", counting)
    first = build(tmp_path, FILES, **SHARDED)
    assert first.ok and len(runs) == 3
    runs.clear()
    again = build(tmp_path, FILES, **SHARDED)
    assert again.ok and runs == []  # nothing changed: every shard from the cache
    assert {r["url"] for r in index_records(again.output, "pagefind/2022-2023")} == {
        URL_HOC_PHI, URL_KHAI_GIANG}
    edited = dict(FILES, **{"thong-bao/tuyen-sinh.md": TUYEN_SINH + "\nBổ sung lịch thi.\n"})
    third = build(tmp_path, edited, **SHARDED)
    assert third.ok
    # Only the 2021–2022 shard (the edited post) is indexed again.
    assert runs == [[URL_TUYEN_SINH.strip("/") + "/index.html"]]
    assert len(os.listdir(os.path.join(cache_folder(tmp_path), "search"))) == 3  # old key pruned


def test_shard_key_depends_on_the_pagefind_version_and_the_pages(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<p>một</p>", encoding="utf-8")
    shard = shards.Shard("pagefind", ["a/index.html"], [])
    key = shards.shard_key(str(tmp_path), shard, "1.3.0")
    assert shards.shard_key(str(tmp_path), shard, "1.3.0") == key
    assert shards.shard_key(str(tmp_path), shard, "1.4.0") != key
    (tmp_path / "a" / "index.html").write_text("<p>hai</p>", encoding="utf-8")
    assert shards.shard_key(str(tmp_path), shard, "1.3.0") != key


def test_a_new_pagefind_version_indexes_every_shard_again(tmp_path, monkeypatch):
    runs = []
    real = shards.run_pagefind
    monkeypatch.setattr(shards, "run_pagefind", lambda site, bundle, *args, **kwargs: (
        runs.append(bundle), real(site, bundle, *args, **kwargs))[1])
    first = build(tmp_path, FILES, **SHARDED)
    assert first.ok and len(runs) == 3
    runs.clear()
    monkeypatch.setattr(shards, "pagefind_version", lambda: "0.0.0-khac")
    again = build(tmp_path, FILES, **SHARDED)
    assert again.ok and len(runs) == 3  # same pages, other Pagefind: nothing reused
    assert {r["url"] for r in index_records(again.output, "pagefind/2022-2023")} == {
        URL_HOC_PHI, URL_KHAI_GIANG}


def _html(title: str, words: str) -> str:
    return (f'<!doctype html><html lang="vi"><head><title>{title}</title></head><body>'
            f'<main data-pagefind-body><h1>{title}</h1><p>{words}</p></main></body></html>')


def test_shards_start_when_their_pages_are_written_and_late_pages_are_indexed(tmp_path):
    site = tmp_path / "output"
    pages = {"tin-tuc/a/index.html": ("Khai giảng", "khai giảng năm học", 2021),
             "tin-tuc/b/index.html": ("Tuyển sinh", "tuyển sinh lớp mười", 2022),
             "lien-he/index.html": ("Liên hệ", "điện thoại văn phòng", None)}
    builder = shards.IndexBuilder(str(site), [(rel, y) for rel, (_, _, y) in pages.items()], 1,
                                  str(tmp_path / "cache"))
    for rel, (title, words, _) in pages.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(_html(title, words), encoding="utf-8")
        builder.written(rel)
    assert set(builder.jobs) == {"pagefind/2021-2022", "pagefind/2022-2023", "pagefind"}
    # A page nobody expected (written by a plugin's template) joins the newest shard.
    (site / "hoi-dap").mkdir()
    (site / "hoi-dap" / "index.html").write_text(_html("Hỏi đáp", "câu hỏi thường gặp"),
                                                 encoding="utf-8")
    written = [(rel, y) for rel, (_, _, y) in pages.items()] + [("hoi-dap/index.html", None)]
    report = builder.finish(sorted(written))
    # Undated pages stay together in the newest (primary) shard: it had to be built again.
    assert report["shards"] == 3 and report["late"] == 1
    assert {r["url"] for r in index_records(str(site), "pagefind")} == {"/hoi-dap/", "/lien-he/"}
    assert {r["url"] for r in index_records(str(site), "pagefind/2021-2022")} == {"/tin-tuc/a/"}
    assert {r["url"] for r in index_records(str(site), "pagefind/2022-2023")} == {"/tin-tuc/b/"}
    listed = json.loads((site / "pagefind" / "manh.json").read_text(encoding="utf-8"))
    assert sorted(listed["bundles"]) == ["pagefind/2021-2022/", "pagefind/2022-2023/"]


@pytest.mark.parametrize("value", [0, -5, "nhiều", True])
def test_a_bad_shard_size_is_a_problem(site, value):
    result = site({"tin-tuc/a.md": post("Bài")}, PORTAL_SEARCH_SHARD_PAGES=value)
    found = [p for p in result.problems if p.field == "PORTAL_SEARCH_SHARD_PAGES"]
    assert found and found[0].value == str(value) and "số nguyên dương" in found[0].message


# --- in the browser -----------------------------------------------------------------------

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium fonts-noto-core)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class Searcher:
    """Opens /tim-kiem/?q=… on a served output folder; only 127.0.0.1 may be contacted."""

    def __init__(self, browser, output):
        handler = functools.partial(_Quiet, directory=output)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.page = browser.new_page()
        self.outside = []
        self.errors = []
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _route(self, route):
        if route.request.url.startswith(self.base + "/"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def search(self, query: str, older: bool = False) -> list[dict]:
        """The results of *query*; with *older*, after "Tìm trong các năm học trước"."""
        self.page.goto(f"{self.base}/tim-kiem/?q={urllib.parse.quote(query)}")
        self.page.wait_for_function(
            "() => { const s = document.getElementById('search-status').textContent;"
            " return s && !s.startsWith('Đang'); }", timeout=15000)
        if older and self.page.is_visible(".search-older"):
            self.page.click(".search-older")
            self.page.wait_for_function(
                "() => { const s = document.getElementById('search-status').textContent;"
                " return s && !s.startsWith('Đang') && !s.includes('gần đây'); }", timeout=15000)
        self.page.wait_for_function(
            "() => !document.getElementById('search-status').textContent.startsWith('Tìm thấy')"
            " || document.querySelectorAll('#search-results li').length > 0", timeout=15000)
        while self.page.is_visible(".search-more:not(.search-older)"):  # load every result, 10 at a time
            count = self.page.locator("#search-results li").count()
            self.page.click(".search-more:not(.search-older)")
            self.page.wait_for_function(
                f"() => document.querySelectorAll('#search-results li').length > {count}")
        return self.page.evaluate("""() => [...document.querySelectorAll('#search-results li')]
            .map(li => ({url: new URL(li.querySelector('h2 a').href).pathname,
                         title: li.querySelector('h2').textContent,
                         date: li.querySelector('time') ? li.querySelector('time').textContent : '',
                         category: (li.querySelector('.meta') || {textContent: ''}).textContent.split(' · ').pop(),
                         excerpt: li.querySelector('.search-excerpt').textContent,
                         marked: [...li.querySelectorAll('mark')].map(m => m.textContent)}))""")

    def close(self):
        self.page.close()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def tiny_search(browser, built):
    searcher = Searcher(browser, built.output)
    yield searcher
    assert searcher.outside == [] and searcher.errors == []
    searcher.close()


@pytest.mark.browser
@pytest.mark.parametrize("query, expected", [
    ("học phí", {URL_HOC_PHI}),
    ("hoc phi", {URL_HOC_PHI}),
    ("HỌC PHÍ", {URL_HOC_PHI}),
    (NFD("học phí"), {URL_HOC_PHI}),
    ("tuyển sinh", {URL_TUYEN_SINH}),
    ("tuyen sinh", {URL_TUYEN_SINH}),
    ("đăng ký", {URL_HOC_PHI, URL_TUYEN_SINH}),
    ("dang ky", {URL_HOC_PHI, URL_TUYEN_SINH}),
    ("duoc", {URL_HOC_PHI}),
    ("dao tao", {URL_TUYEN_SINH}),
    ("Đào tạo", {URL_TUYEN_SINH}),
    ("thoi khoa bieu", {URL_KHAI_GIANG}),
    ("dien thoai", {URL_LIEN_HE}),
])
def test_search_finds_the_same_pages_with_or_without_diacritics(tiny_search, query, expected):
    results = tiny_search.search(query)
    assert {r["url"] for r in results} == expected


@pytest.mark.browser
def test_results_show_title_date_and_a_real_vietnamese_excerpt(tiny_search):
    results = tiny_search.search("dang ky")
    hoc_phi = next(r for r in results if r["url"] == URL_HOC_PHI)
    assert hoc_phi["title"].replace("\xa0", " ") == "Thông báo thu học phí học kỳ I"
    assert hoc_phi["date"] == "08/09/2022"
    assert hoc_phi["category"] == "Thông báo"
    # The excerpt is the real text (đ kept), with the hit highlighted.
    assert "được đăng ký" in hoc_phi["excerpt"]
    assert "dăng" not in hoc_phi["excerpt"] and "jdang" not in hoc_phi["excerpt"]
    assert "đăng ký" in hoc_phi["marked"]  # side by side: one mark


@pytest.mark.browser
def test_drafts_and_scheduled_posts_are_not_found(tiny_search):
    # Pagefind shortens a word it does not know ("chimcanh…" → "chi…"), so other pages may
    # come up; never the draft or the scheduled post.
    for query in ("chimcanhcutnhap", "chimcanhcuthengio", "bản nháp dã ngoại",
                  "thông báo sắp đăng", "hoc phi du kien"):
        urls = {r["url"] for r in tiny_search.search(query)}
        assert not any("ban-nhap" in u or "sap-dang" in u for u in urls), (query, urls)


@pytest.mark.browser
def test_no_result_says_so_and_shows_the_sections(tiny_search):
    assert tiny_search.search("qqqqqq") == []
    assert "Không tìm thấy" in tiny_search.page.text_content("#search-status")
    assert tiny_search.page.is_visible("#search-fallback")


@pytest.fixture(scope="module")
def sharded_search(browser, sharded):
    searcher = Searcher(browser, sharded.output)
    yield searcher
    assert searcher.outside == [] and searcher.errors == []
    searcher.close()


@pytest.mark.browser
@pytest.mark.parametrize("query, expected", [
    ("dang ky", {URL_HOC_PHI, URL_TUYEN_SINH}),  # two shards
    ("đăng ký", {URL_HOC_PHI, URL_TUYEN_SINH}),
    ("tuyen sinh", {URL_TUYEN_SINH}),  # the oldest shard
    ("thoi khoa bieu", {URL_KHAI_GIANG}),
    ("dien thoai", {URL_LIEN_HE}),  # the primary shard
])
def test_search_merges_every_shard(sharded_search, query, expected):
    results = sharded_search.search(query, older=True)
    urls = [r["url"] for r in results]
    assert len(urls) == len(set(urls))  # no page twice
    assert set(urls) == expected, urls


@pytest.mark.browser
def test_a_query_opens_the_two_newest_parts_and_older_ones_on_request(sharded_search):
    """Three parts (SHARD_URLS): "tuyen sinh" is only in the oldest, which a query does not
    open by itself (a phone's data); "Tìm trong các năm học trước" does."""
    assert sharded_search.search("tuyen sinh") == []
    assert "gần đây" in sharded_search.page.text_content("#search-status")
    assert sharded_search.page.is_visible(".search-older")
    assert [r["url"] for r in sharded_search.search("tuyen sinh", older=True)] == [URL_TUYEN_SINH]
    assert not sharded_search.page.is_visible(".search-older")
    assert [r["url"] for r in sharded_search.search("hoc phi")] == [URL_HOC_PHI]  # second part


# --- the demo -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_search(browser, demo):
    searcher = Searcher(browser, demo.output)
    yield searcher
    assert searcher.outside == []
    searcher.close()


def _folded(text: str) -> str:
    from portal_core.text import fold
    return fold(text)


@pytest.mark.browser
@pytest.mark.demo
@pytest.mark.parametrize("query, must_find", [
    # Written from the demo content by hand: notices a parent would expect on the first page
    # of results (10 are shown at first).
    ("tuyển sinh", "/thong-bao/thong-bao-tuyen-sinh-lop-10-nam-hoc-2023-2024/"),
    ("tuyen sinh", "/thong-bao/thong-bao-tuyen-sinh-lop-10-nam-hoc-2023-2024/"),
    ("tuyen sinh lop 10", "/thong-bao/thong-bao-tuyen-sinh-lop-10-nam-hoc-2022-2023/"),
    ("hoc phi", "/thong-bao/thong-bao-thu-hoc-phi-hoc-ky-i-nam-hoc-2021-2022/"),
    ("học phí", "/thong-bao/thong-bao-cong-khai-muc-thu-hoc-phi-va-cac-khoan-thu-nam-hoc-2022-2023/"),
    ("dang ky", "/thong-bao/thong-bao-tuyen-sinh-lop-10-nam-hoc-2023-2024/"),
    ("đăng ký", "/thong-bao/thong-bao-tuyen-sinh-lop-10-nam-hoc-2023-2024/"),
])
def test_demo_search(demo_search, query, must_find):
    results = demo_search.search(query)
    urls = [r["url"] for r in results]
    assert must_find in urls, urls
    # The same pages without any diacritics (the order may differ a little: Pagefind ranks
    # exact accents higher).
    assert {r["url"] for r in demo_search.search(_folded(query))} == set(urls)
    assert not any("ban-nhap" in url or "2027-2028" in url for url in urls)
    for result in results[:3]:  # the best hits hold every word of the query
        text = _folded(result["title"] + " " + result["excerpt"])
        assert all(word in text for word in _folded(query).split()), result


@pytest.mark.demo
def test_demo_index_has_no_draft_scheduled_or_404(demo):
    urls = {record["url"] for record in index_records(demo.output)}
    assert urls and not any("ban-nhap" in u or "2027-2028" in u or "404" in u for u in urls)
    assert not any(u.startswith(("/tim-kiem", "/luu-tru", "/tu-khoa")) for u in urls)


@pytest.mark.browser
@pytest.mark.demo
@pytest.mark.parametrize("query", ["đăng ký", "dang ky", "học phí", "hoc phi"])
def test_demo_first_results_hold_the_words_side_by_side(demo_search, query):
    """Issue 20: "đăng ký" once ranked the privacy policy first, "dang ky" listed pages with
    only "đang", "kỳ" or "kỹ". The first five now hold the two syllables next to each other
    (with the query's marks when it has any)."""
    from portal_search.tokens import syllables

    exact = query != _folded(query)

    def joined(text):
        return " ".join(s[0] + (s[1] if exact else "") for run in syllables(text) for s in run)

    results = demo_search.search(query)
    assert len(results) >= 5
    for result in results[:5]:
        assert joined(query) in joined(result["title"] + " . " + result["excerpt"]), result


def test_a_site_without_the_search_plugin_builds_without_the_index_block(site):
    """portal_search can be switched off: the theme then adds no hidden token block (its
    filter is portal_search's) and no index is written."""
    from pelican.settings import read_settings

    plugins = [p for p in read_settings(os.path.join(ROOT, "pelicanconf.py"))["PLUGINS"]
               if p != "portal_search"]
    with fresh_plugins():  # receivers of earlier builds (portal_search's too) stay connected
        built = site({"tin-tuc/2022/a.md": post("Đăng ký học bơi", "2022-10-03 08:00")},
                     PLUGINS=plugins)
    assert built.ok, built.messages()
    page = built.read("tin-tuc/dang-ky-hoc-boi/index.html")
    assert "Đăng ký học bơi" in page and "search-tokens" not in page
    assert not built.exists("pagefind")
