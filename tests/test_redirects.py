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


def _many_drafts(count: int, status: str | None = "draft") -> dict:
    files, entries = {}, []
    for n in range(1, count + 1):
        target = f"tin-tuc/2019/bai-{n}.md"
        files[target] = post(title=f"Bài nhập số {n}", date=f"2019-10-{n % 28 + 1:02d}",
                             Topics=None, Status=status, Slug=f"bai-nhap-{n}")
        entries += [(f"/ct/12/{100 + n}", target), (f"/ctmb/12/{100 + n}", target)]
    files["data/chuyen-huong/cu.yml"] = redirects(*entries)
    return files


def test_old_addresses_of_drafts_wait_silently_then_go_live_on_publication(tmp_path):
    drafts = _many_drafts(30)
    waiting = build(tmp_path / "nhap", drafts)
    assert waiting.ok, waiting.messages()
    assert not [p for p in waiting.problems if p.plugin == "portal_redirects"
                or "chuyen-huong" in p.file or "bai-" in p.file], waiting.messages()  # silent
    assert not waiting.exists("ct/12/101/index.html")
    published = dict(drafts)
    published["tin-tuc/2019/bai-1.md"] = post(title="Bài nhập số 1", date="2019-10-02",
                                              Topics=None, Slug="bai-nhap-1")  # the editor
    live = build(tmp_path / "dang", published)  # removed «Status: draft»
    assert live.ok, live.messages()
    for old in ("ct/12/101/index.html", "ctmb/12/101/index.html"):
        canonical = live.soup(old).find("link", rel="canonical")["href"]
        assert canonical.endswith("/tin-tuc/bai-nhap-1/")
    assert not live.exists("ct/12/102/index.html")  # the other 29 still wait


LINKING = post(title="Bài có liên kết", date="2019-11-02", Topics=None, Slug="bai-co-lien-ket",
               body="Xem thêm [kế hoạch thi đua]({filename}/tin-tuc/2019/ke-hoach.md) và "
                    "[lịch thi]({filename}../2019/lich-thi.md#buoi-sang).")


def test_a_link_to_a_draft_is_its_text_and_a_warning_until_the_draft_is_published(tmp_path):
    files = {"tin-tuc/2019/lien-ket.md": LINKING,
             "tin-tuc/2019/ke-hoach.md": post(title="Kế hoạch thi đua", date="2019-10-01",
                                              Topics=None, Status="draft", Slug="ke-hoach"),
             "tin-tuc/2019/lich-thi.md": post(title="Lịch thi", date="2019-10-03", Topics=None,
                                              Slug="lich-thi")}
    built = build(tmp_path / "a", files)
    assert built.ok, built.messages()
    warned = [p for p in built.problems if p.value == "tin-tuc/2019/ke-hoach.md"]
    assert len(warned) == 1 and warned[0].severity == "warning"
    assert warned[0].file.endswith("tin-tuc/2019/lien-ket.md") and "Kế hoạch thi đua" in warned[0].message
    main = built.soup("tin-tuc/bai-co-lien-ket/index.html").find("main")
    hrefs = [a["href"] for a in main.find_all("a", href=True)]
    assert not any("drafts" in h or "ke-hoach" in h for h in hrefs), hrefs
    assert "kế hoạch thi đua" in main.get_text()  # the text stays
    assert "/tin-tuc/lich-thi/#buoi-sang" in hrefs  # a published target: a link as always
    files["tin-tuc/2019/ke-hoach.md"] = post(title="Kế hoạch thi đua", date="2019-10-01",
                                             Topics=None, Slug="ke-hoach")
    later = build(tmp_path / "c", files)
    assert later.ok and not [p for p in later.problems if "lien-ket" in p.file], later.messages()
    hrefs = [a["href"] for a in later.soup("tin-tuc/bai-co-lien-ket/index.html")
             .find("main").find_all("a", href=True)]
    assert any(h.endswith("/tin-tuc/ke-hoach/") for h in hrefs), hrefs


def test_a_link_to_a_scheduled_post_waits_for_its_day_without_a_warning(tmp_path):
    files = {"tin-tuc/2019/lien-ket.md": LINKING.replace("2019/ke-hoach.md", "2026/ke-hoach.md"),
             "tin-tuc/2026/ke-hoach.md": post(title="Kế hoạch thi đua", date="2026-12-20",
                                              Slug="ke-hoach"),
             "tin-tuc/2019/lich-thi.md": post(title="Lịch thi", date="2019-10-03", Topics=None,
                                              Slug="lich-thi")}
    built = build(tmp_path, files)
    assert built.ok and not [p for p in built.problems if "lien-ket" in p.file], built.messages()
    main = built.soup("tin-tuc/bai-co-lien-ket/index.html").find("main")
    assert not any("ke-hoach" in a["href"] for a in main.find_all("a", href=True))
    assert "kế hoạch thi đua" in main.get_text()


def test_an_old_address_inside_a_plugins_folder_is_free_unless_the_plugin_writes_it(tmp_path):
    built = build(tmp_path, {TARGET: OLD, "data/chuyen-huong/cu.yml": redirects(
        ("/cong-khai/221-bieu-mau-12.html", TARGET), ("/cong-khai/chi-tiet/77", TARGET),
        ("/cong-khai/2021-2022/", TARGET), ("/cong-khai/index.json", TARGET))})
    values = {p.value for p in built.problems if p.plugin == "portal_redirects"}
    assert values == {"/cong-khai/2021-2022/", "/cong-khai/index.json"}  # the plugin's own
    assert not built.ok
    fine = build(tmp_path / "b", {TARGET: OLD, "data/chuyen-huong/cu.yml": redirects(
        ("/cong-khai/221-bieu-mau-12.html", TARGET), ("/cong-khai/chi-tiet/77", TARGET))})
    assert fine.ok, fine.messages()
    assert fine.soup("cong-khai/221-bieu-mau-12.html").find("link", rel="canonical")
    assert fine.exists("cong-khai/chi-tiet/77/index.html") and fine.exists("cong-khai/index.html")


def test_a_draft_document_page_or_disclosure_is_never_written(tmp_path):
    from conftest import page

    built = build(tmp_path, {
        "pages/van-ban/cong-van-nhap.md": page(
            title="Công văn về việc thi thử", slug="cong-van-nhap", Number="45/SGDĐT-VP",
            Status="draft"),
        "cong-khai/2021-2022/tai-chinh-2021.md": page(
            title="Công khai tài chính năm 2021", slug="tai-chinh-2021", Status="draft",
            **{"School-year": "2021-2022", "Date": "2022-01-30"}),
        TARGET: OLD})
    assert built.ok, built.messages()
    assert not built.exists("van-ban/cong-van-nhap/index.html")
    assert not built.exists("cong-khai/2021-2022/tai-chinh-2021/index.html")
    assert built.exists("tin-tuc/le-khai-giang-nam-hoc-2019-2020/index.html")
