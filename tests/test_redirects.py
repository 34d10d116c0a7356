"""portal_redirects: redirect pages from content/data/chuyen-huong/*.yml, and the topics rule
for posts older than the first plan (imported archives) and imported drafts."""

from __future__ import annotations

from conftest import build, post

TARGET = "tin-tuc/2019/le-khai-giang.md"
OLD = post(title="Lễ khai giảng năm học 2019–2020", date="2019-09-05 07:30", Topics=None)


def redirects(*pairs) -> str:
    return "".join(f"- from: {old}\n  to: {to}\n" for old, to in pairs)


def test_redirect_pages_point_to_the_post(tmp_path):
    built = build(tmp_path, {TARGET: OLD, "data/chuyen-huong/cu.yml": redirects(
        ("/ct/12/101", TARGET), ("/news/tin-tuc/le-khai-giang-45.html", TARGET))})
    assert built.ok, built.messages()
    assert not [p for p in built.problems if p.plugin == "portal_redirects"]
    for name in ("ct/12/101/index.html", "news/tin-tuc/le-khai-giang-45.html"):
        soup = built.soup(name)
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        url = soup.find("link", rel="canonical")["href"]
        assert url == "/tin-tuc/le-khai-giang-nam-hoc-2019-2020/"  # SITEURL is "" here
        assert soup.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={url}"
        assert soup.find("a")["href"] == url
    assert built.exists("tin-tuc/le-khai-giang-nam-hoc-2019-2020/index.html")
    assert "ct/12/101" not in built.read("sitemap.xml")


def test_stale_redirect_is_an_error(tmp_path):
    built = build(tmp_path, {TARGET: OLD, "data/chuyen-huong/cu.yml": redirects(
        ("/ct/12/101", "tin-tuc/2019/da-xoa.md"))})
    assert not built.ok
    assert any("không còn" in p.message and p.value == "tin-tuc/2019/da-xoa.md"
               and p.file.endswith("data/chuyen-huong/cu.yml") for p in built.problems)


def test_redirect_over_a_page_of_the_portal_is_an_error(tmp_path):
    built = build(tmp_path, {TARGET: OLD, "data/chuyen-huong/cu.yml": redirects(
        ("/tin-tuc/le-khai-giang-nam-hoc-2019-2020/", TARGET), ("/chu-de/", TARGET))})
    assert not built.ok
    values = {p.value for p in built.problems if p.plugin == "portal_redirects"}
    assert values == {"/tin-tuc/le-khai-giang-nam-hoc-2019-2020/", "/chu-de/"}


def test_one_old_address_two_posts_is_an_error(tmp_path):
    other = "tin-tuc/2019/khac.md"
    built = build(tmp_path, {TARGET: OLD, other: post(title="Bài khác", date="2019-10-01",
                                                       Topics=None),
                             "data/chuyen-huong/cu.yml": redirects(("/ct/1/1", TARGET),
                                                                   ("/ct/1/1", other))})
    assert not built.ok
    assert any("hai bài" in p.message for p in built.problems)


def test_draft_target_gets_no_redirect_yet(tmp_path):
    draft = post(title="Bản nháp nhập về", date="2019-09-05", Topics=None, Status="draft")
    built = build(tmp_path, {TARGET: draft, "data/chuyen-huong/cu.yml": redirects(
        ("/ct/12/101", TARGET))})
    assert built.ok, built.messages()
    assert not [p for p in built.problems if p.plugin == "portal_redirects"]
    assert not built.exists("ct/12/101/index.html")


def test_posts_before_the_first_plan_need_no_topics(tmp_path):
    built = build(tmp_path, {TARGET: OLD})
    assert built.ok, built.messages()
    assert not [p for p in built.problems if p.plugin == "portal_topics"], built.messages()


def test_missing_topics_draft_warns_published_errs(tmp_path):
    files = {"tin-tuc/2022/nhap.md": post(date="2022-09-05", Topics=None, Status="draft"),
             "tin-tuc/2022/dang.md": post(title="Bài đã đăng", date="2022-09-06", Topics=None)}
    built = build(tmp_path, files)
    topics = {p.file.rsplit("/", 1)[1]: p.severity for p in built.problems if p.field == "Topics"}
    assert topics == {"nhap.md": "warning", "dang.md": "error"}
