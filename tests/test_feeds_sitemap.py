"""Feeds (Atom), sitemap.xml and robots.txt: valid, absolute in the publishing build, complete,
and without drafts or scheduled posts."""

from __future__ import annotations

import gzip
import json
import os
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import build, page, post

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITEURL = "https://nguyentrai-nd.edu.vn"  # publishconf.py's default
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z))?$")

NEWS_1 = post("Lễ khai giảng năm học 2022–2023", "2022-09-05 07:30", "Tin tức",
              Summary="Sáng 5/9, nhà trường tổ chức lễ khai giảng.",
              body="Nội dung dài hơn phần tóm tắt: thầy và trò dự lễ khai giảng năm học mới.")
NEWS_2 = post("Hội khỏe Phù Đổng cấp trường", "2022-11-20 08:00", "Tin tức",
              Modified="2022-11-25", Summary="Hơn 300 học sinh tham gia Hội khỏe Phù Đổng.",
              body="Các môn thi đấu gồm điền kinh, bóng đá và cờ vua.")
NOTICE = post("Thông báo thu học phí học kỳ I", "2022-09-08 08:00", "Thông báo",
              Summary="Mức thu học phí học kỳ I.",
              body="Cha mẹ học sinh nộp học phí qua ngân hàng trước ngày 30/9.")
DRAFT = post("Bản nháp kế hoạch dã ngoại", "2022-10-01 08:00", "Tin tức", Status="draft",
             Summary="Nháp.", body="Từ riêng của bản nháp: chimcanhcutnhap.")
SCHEDULED = post("Thông báo hẹn giờ", "2027-03-01 08:00", "Thông báo",
                 Summary="Hẹn giờ.", body="Từ riêng của bài hẹn giờ: chimcanhcuthengio.")
FILES = {
    "tin-tuc/khai-giang.md": NEWS_1,
    "tin-tuc/hkpd.md": NEWS_2,
    "thong-bao/hoc-phi.md": NOTICE,
    "tin-tuc/ban-nhap.md": DRAFT,
    "thong-bao/hen-gio.md": SCHEDULED,
    "pages/lien-he.md": page("Liên hệ", "lien-he", "Địa chỉ và điện thoại văn phòng."),
}
URL_NEWS_1 = f"{SITEURL}/tin-tuc/le-khai-giang-nam-hoc-2022-2023/"
URL_NEWS_2 = f"{SITEURL}/tin-tuc/hoi-khoe-phu-dong-cap-truong/"
URL_NOTICE = f"{SITEURL}/thong-bao/thong-bao-thu-hoc-phi-hoc-ky-i/"
SECRETS = ("chimcanhcutnhap", "chimcanhcuthengio", "ban-nhap-ke-hoach", "thong-bao-hen-gio")


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The tiny site built like the publishing build (publishconf.py: SITEURL, FEED_DOMAIN).

    Strict mode is relaxed here only so that other plugins' warnings about the tiny site
    (missing sections…) do not hide what this file checks.
    """
    root = tmp_path_factory.mktemp("published")
    result = build(root, FILES, conf="publishconf.py", PORTAL_STRICT=False)
    assert result.ok, f"{result.error}\n{result.messages()}"
    return result


def feed(result, rel):
    root = ET.fromstring(result.read(rel).encode("utf-8"))
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root) -> dict[str, ET.Element]:
    return {e.find(f"{ATOM}link[@rel='alternate']").get("href"): e
            for e in root.findall(f"{ATOM}entry")}


def check_atom(root):
    """The parts of RFC 4287 a reader relies on, with absolute URLs."""
    for tag in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{tag}") or "").strip(), tag
    self_link = root.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href").startswith(SITEURL + "/feeds/")
    for entry in root.findall(f"{ATOM}entry"):
        for tag in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{tag}") or "").strip(), tag
        assert W3C_DATETIME.match(entry.findtext(f"{ATOM}updated"))
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert link.startswith(SITEURL + "/") and link.endswith("/"), link
        content = entry.findtext(f"{ATOM}content") or ""
        assert not re.search(r'(href|src)="/(?!/)', content), "relative link in " + link


def test_site_feed_lists_every_published_post_with_summaries(published):
    root = feed(published, "feeds/tat-ca.atom.xml")
    check_atom(root)
    found = entries(root)
    assert set(found) == {URL_NEWS_1, URL_NEWS_2, URL_NOTICE}
    summary = found[URL_NEWS_1].find(f"{ATOM}summary")
    assert summary is not None and "lễ khai giảng" in summary.text
    assert all(e.find(f"{ATOM}summary") is not None for e in found.values())
    assert found[URL_NEWS_2].findtext(f"{ATOM}updated").startswith("2022-11-25")


@pytest.mark.parametrize("rel, expected", [
    ("feeds/tin-tuc.atom.xml", {URL_NEWS_1, URL_NEWS_2}),
    ("feeds/thong-bao.atom.xml", {URL_NOTICE}),
])
def test_category_feeds(published, rel, expected):
    root = feed(published, rel)
    check_atom(root)
    assert set(entries(root)) == expected


def test_every_feed_is_valid_atom_including_topic_feeds(published):
    """Topic feeds come from portal_topics when it is enabled: checked the same way."""
    feeds = []
    for base, _, files in os.walk(published.path("feeds")):
        feeds += [os.path.relpath(os.path.join(base, f), published.output)
                  for f in files if f.endswith(".xml")]
    assert "feeds/tat-ca.atom.xml" in feeds
    for rel in feeds:
        check_atom(feed(published, rel))


def test_feed_links_in_head(published):
    home = published.soup("index.html").find("head")
    assert home.find("link", rel="alternate", type="application/atom+xml",
                     href=f"{SITEURL}/feeds/tat-ca.atom.xml")
    category = published.soup("thong-bao/index.html").find("head")
    link = category.find("link", rel="alternate", href=f"{SITEURL}/feeds/thong-bao.atom.xml")
    assert link is not None and link["type"] == "application/atom+xml" and "Thông báo" in link["title"]


def sitemap(result) -> dict[str, ET.Element]:
    root = ET.fromstring(result.read("sitemap.xml").encode("utf-8"))
    assert root.tag == f"{SM}urlset"
    urls = {}
    for url in root.findall(f"{SM}url"):
        loc = url.findtext(f"{SM}loc")
        assert loc not in urls, f"{loc} twice"
        urls[loc] = url
    return urls


def public_pages(result, siteurl: str) -> set[str]:
    """Every written HTML page a reader may land on, as URLs; not: 404, the search tool, list
    pages 2, 3… (each post is listed itself)."""
    urls = set()
    for rel in result.html_files():
        rel = rel.replace(os.sep, "/")
        if rel == "404.html" or rel.startswith("tim-kiem/") or re.search(r"(^|/)trang-\d+/", rel):
            continue
        urls.add(siteurl + "/" + re.sub(r"(^|/)index\.html$", r"\1", rel))
    return urls


def test_sitemap_lists_exactly_the_public_pages(published):
    urls = sitemap(published)
    assert set(urls) == public_pages(published, SITEURL)
    for must in (SITEURL + "/", URL_NEWS_1, URL_NOTICE, f"{SITEURL}/lien-he/",
                 f"{SITEURL}/tin-tuc/", f"{SITEURL}/luu-tru/"):
        assert must in urls
    for loc, url in urls.items():
        assert loc.startswith(SITEURL + "/")
        assert W3C_DATETIME.match(url.findtext(f"{SM}lastmod")), loc


def test_sitemap_lastmod(published):
    urls = sitemap(published)
    assert urls[URL_NEWS_1].findtext(f"{SM}lastmod").startswith("2022-09-05")
    assert urls[URL_NEWS_2].findtext(f"{SM}lastmod").startswith("2022-11-25")  # Modified
    # List pages change with the newest post, not with the build time (reproducible builds).
    assert urls[SITEURL + "/"].findtext(f"{SM}lastmod").startswith("2022-11-25")


def test_robots_txt_points_to_the_absolute_sitemap(published):
    lines = published.read("robots.txt").splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {SITEURL}/sitemap.xml" in lines


def test_a_draft_or_scheduled_post_appears_nowhere(published):
    for base, _, files in os.walk(published.output):
        for name in files:
            path = os.path.join(base, name)
            with open(path, "rb") as handle:
                data = handle.read()
            if name.endswith(".pf_fragment"):  # the search index: gzip'd JSON
                data = gzip.decompress(data)
            text = data.decode("utf-8", errors="ignore")
            for secret in SECRETS:
                assert secret not in text, f"{secret} in {os.path.relpath(path, published.output)}"
    fragments = published.path("pagefind/fragment")
    assert os.listdir(fragments)  # the index exists, so the loop above did look inside it
    assert not published.exists("tin-tuc/ban-nhap-ke-hoach-da-ngoai/index.html")


def test_dev_build_has_robots_without_sitemap_url(site):
    result = site({"tin-tuc/a.md": NEWS_1})
    assert result.ok, result.messages()
    text = result.read("robots.txt")
    assert "User-agent: *" in text and not re.search(r"^Sitemap:", text, re.M)
    assert result.exists("sitemap.xml")


def test_sitemap_after_a_failed_build(tmp_path):
    """pelican-sitemap keeps module-level state that a build stopped before ``finalized``
    would leave behind (every later sitemap skipped); portal_search resets it. The failed
    build is made here, so the test does not depend on which tests ran before it."""
    failed = build(tmp_path / "a", {"tin-tuc/a.md": post("Bài", category="Không có")})
    assert not failed.ok
    assert [p.field for p in failed.problems if p.severity == "error"] == ["Category"]
    assert not failed.exists("sitemap.xml")  # stopped before finalized: the state is left
    result = build(tmp_path / "b", {"tin-tuc/a.md": NEWS_1})
    assert result.ok and result.exists("sitemap.xml")
    assert "/tin-tuc/le-khai-giang-nam-hoc-2022-2023/" in result.read("sitemap.xml")


# --- the demo -----------------------------------------------------------------------------

@pytest.mark.demo
def test_demo_feeds_have_entries_with_summaries(demo):
    for rel in ("feeds/tat-ca.atom.xml", "feeds/tin-tuc.atom.xml", "feeds/thong-bao.atom.xml"):
        root = ET.fromstring(demo.read(rel).encode("utf-8"))
        found = root.findall(f"{ATOM}entry")
        assert found, rel
        assert all((e.findtext(f"{ATOM}summary") or "").strip() for e in found), rel
        links = [e.find(f"{ATOM}link[@rel='alternate']").get("href") for e in found]
        assert not any("ban-nhap" in link or "2027-2028" in link for link in links)


@pytest.mark.demo
def test_demo_sitemap_matches_public_pages(demo):
    urls = sitemap(demo)
    assert set(urls) == public_pages(demo, "")  # dev build: no SITEURL
    assert not any("ban-nhap" in u or "2027-2028" in u for u in urls)
    records = []
    for name in os.listdir(demo.path("pagefind/fragment")):
        with open(os.path.join(demo.path("pagefind/fragment"), name), "rb") as handle:
            raw = gzip.decompress(handle.read())
        records.append(json.loads(raw[raw.index(b"{"):]))
    assert not any("ban-nhap" in r["url"] or "2027-2028" in r["url"] for r in records)
