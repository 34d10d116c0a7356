"""Whole-site builds of tiny sites: structure, Vietnamese dates, links, drafts, scheduling."""

import datetime as dt
import os
import re
import unicodedata
from urllib.parse import urlparse

import pytest

from conftest import page, post

BASIC = {
    "tin-tuc/2022/khai-giang.md": post(
        "Lễ khai giảng năm học 2022–2023", "2022-09-05 07:30",
        Tags="khai giảng, năm học mới",
        body="""
        Sáng nay, thầy và trò tổ chức lễ khai giảng -- trong không khí "vui tươi".

        ## Điều kiện đảm bảo

        Nội dung.
        """),
    "thong-bao/2022/doan.md": post("Kỷ niệm ngày thành lập Đoàn 26/3", "2022-03-26 08:00",
                                   category="Thông báo"),
    "pages/gioi-thieu.md": page("Giới thiệu", "gioi-thieu"),
    "pages/lien-he.md": page("Liên hệ", "lien-he"),
}


def internal_targets(built, rel):
    """(href, resolved file) for each internal link/asset of a page."""
    soup = built.soup(rel)
    for tag, attr in (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src")):
        for node in soup.find_all(tag):
            ref = node.get(attr)
            if not ref or ref.startswith(("mailto:", "tel:", "#")):
                continue
            parsed = urlparse(ref)
            if parsed.scheme or parsed.netloc:
                continue
            path = parsed.path
            target = os.path.join(built.output, path.lstrip("/"))
            if path.endswith("/"):
                target = os.path.join(target, "index.html")
            yield ref, target, parsed.fragment


def test_basic_site_structure(site):
    built = site(BASIC)
    assert built.ok, built.messages()
    pages = built.html_files()
    assert "tin-tuc/le-khai-giang-nam-hoc-2022-2023/index.html" in pages
    assert "thong-bao/ky-niem-ngay-thanh-lap-doan-26-3/index.html" in pages
    for rel in pages:
        soup = built.soup(rel)
        assert soup.html.get("lang") == "vi", rel
        assert soup.title and soup.title.get_text(strip=True), rel
        description = soup.find("meta", attrs={"name": "description"})
        assert description and description.get("content", "").strip(), rel
        assert len(soup.find_all("h1")) == 1, rel
        assert soup.find("a", class_="skip-link")["href"] == "#noi-dung", rel
        assert soup.find(id="noi-dung") is not None, rel


def test_every_internal_link_and_anchor_resolves(site):
    built = site(BASIC)
    assert built.ok, built.messages()
    broken = []
    for rel in built.html_files():
        for ref, target, fragment in internal_targets(built, rel):
            if not os.path.exists(target):
                broken.append((rel, ref))
            elif fragment and target.endswith(".html"):
                with open(target, encoding="utf-8") as handle:
                    if f'id="{fragment}"' not in handle.read():
                        broken.append((rel, ref))
    assert broken == []


def test_no_reference_to_other_hosts(site):
    built = site(BASIC)
    for rel in built.html_files():
        soup = built.soup(rel)
        for tag, attr in (("link", "href"), ("script", "src"), ("img", "src"), ("iframe", "src")):
            for node in soup.find_all(tag):
                if "schema.DC" in (node.get("rel") or []):
                    continue  # names the Dublin Core vocabulary; browsers never fetch it
                assert not urlparse(node.get(attr) or "").netloc, (rel, node)


def test_article_shows_vietnamese_date_typography_and_anchor(site):
    built = site(BASIC)
    soup = built.soup("tin-tuc/le-khai-giang-nam-hoc-2022-2023/index.html")
    time = soup.find("time")
    assert time.get_text(strip=True) == "Thứ Hai, 05/09/2022"
    assert time["datetime"] == "2022-09-05"
    h1 = soup.find("h1").decode_contents()
    assert "2022–2023" in h1 and "\xa0" in soup.find("h1").get_text()  # no widowed last word
    prose = soup.find(class_="prose")
    assert prose.find("h2", id="dieu-kien-dam-bao") is not None  # đ kept as d in anchors
    body = prose.get_text().replace("\xa0", " ")
    assert "“vui tươi”" in body  # smart quotes
    assert "–" in body and "--" not in body  # -- becomes an en dash
    assert soup.find(class_="caps") is None  # typogrify's caps filter is off


def test_navigation_comes_from_data(site):
    built = site(BASIC)
    nav = built.soup("index.html").find("nav", attrs={"aria-label": "Trình đơn chính"})
    links = [a.get_text(strip=True) for a in nav.find_all("a")]
    assert links[0] == "Trang chủ" and "Liên hệ" in links
    current = built.soup("lien-he/index.html").find("nav").find("a", attrs={"aria-current": "page"})
    assert current is not None and current.get_text(strip=True) == "Liên hệ"


def test_footer_shows_school_contacts_from_data(site):
    import yaml

    from conftest import ROOT

    from conftest import FIXED_TODAY
    from portal_core.school_facts import facts_on

    with open(os.path.join(ROOT, "content", "data", "school.yml"), encoding="utf-8") as f:
        # facts with dates: the footer of an undated page shows those in force on the build's day
        school = facts_on(yaml.safe_load(f), dt.date.fromisoformat(FIXED_TODAY))
    built = site(BASIC)
    footer = built.soup("index.html").find("footer", class_="site-footer").get_text(" ")
    assert school["email"] in footer and school["phone"] in footer
    assert school["spokesperson"]["name"] in footer and school["sites"][0]["address"] in footer


def test_archive_groups_by_school_year(site):
    files = dict(BASIC)
    for day in range(1, 6):  # 5 more posts in August 2022, still school year 2021–2022
        files[f"tin-tuc/2022/he-{day}.md"] = post(f"Hoạt động hè số {day}", f"2022-08-{day:02d}")
    built = site(files, PORTAL_ARCHIVE_PER_PAGE=4)
    assert built.ok, built.messages()
    index = built.soup("luu-tru/index.html")
    years = [li.get_text(" ", strip=True) for li in index.select("ul.archive-years li")]
    assert years == ["Năm học 2022–2023 (1 bài)", "Năm học 2021–2022 (6 bài)"]
    first = built.soup("luu-tru/2021-2022/index.html")
    assert first.h1.get_text(strip=True) == "Lưu trữ: Năm học 2021–2022"
    assert [h.get_text(strip=True) for h in first.select("main h2")] == ["Tháng 8/2022"]
    second = built.soup("luu-tru/2021-2022/trang-2/index.html")  # 6 posts, 4 per page
    months = [h.get_text(strip=True) for h in second.select("main h2")]
    assert months == ["Tháng 8/2022", "Tháng 3/2022"]
    assert "Đoàn" in second.find("main").get_text()  # 26/3/2022 belongs to 2021–2022


def test_nfd_source_is_published_as_nfc(site):
    title = unicodedata.normalize("NFD", "Hội khỏe Phù Đổng cấp trường")
    built = site({**BASIC, "tin-tuc/2022/hkpd.md": post(title, "2022-11-10", body=title)})
    assert built.ok, built.messages()
    html = built.read("tin-tuc/hoi-khoe-phu-dong-cap-truong/index.html")
    assert "Hội khỏe Phù Đổng" in html
    assert html == unicodedata.normalize("NFC", html)


def test_draft_never_appears_anywhere(site):
    files = {**BASIC, "tin-tuc/2022/nhap.md": post("Bản nháp bí mật XYZ", "2022-10-01",
                                                   Status="draft")}
    built = site(files)
    assert built.ok, built.messages()
    for base, _, names in os.walk(built.output):
        for name in names:
            assert "ban-nhap-bi-mat" not in os.path.join(base, name)
            if name.endswith((".html", ".xml", ".json", ".txt")):
                with open(os.path.join(base, name), encoding="utf-8") as handle:
                    assert "Bản nháp bí mật" not in handle.read(), name


def test_scheduled_post_waits_for_its_date(site, tmp_path):
    files = {**BASIC, "thong-bao/2027/lich.md": post("Lịch thi học kỳ sắp tới", "2027-03-26 07:00",
                                                     category="Thông báo")}
    before = site(files, PORTAL_TODAY="2027-03-25")
    assert before.ok, before.messages()
    assert not before.exists("thong-bao/lich-thi-hoc-ky-sap-toi/index.html")
    assert "Lịch thi học kỳ" not in before.read("index.html")
    after = site(files, PORTAL_TODAY="2027-03-26")
    assert after.exists("thong-bao/lich-thi-hoc-ky-sap-toi/index.html")
    assert "Lịch thi học kỳ" in after.read("thong-bao/index.html")


def test_feed_lists_posts(site):
    import xml.etree.ElementTree as ET

    built = site(BASIC)
    tree = ET.parse(built.path("feeds/tat-ca.atom.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in tree.getroot().findall("a:entry", ns)]
    assert titles[0].startswith("Lễ khai giảng") and len(titles) == 2


def test_pagination_uses_vietnamese_urls(site):
    files = dict(BASIC)
    for day in range(1, 15):
        files[f"tin-tuc/2023/bai-{day}.md"] = post(f"Tin hoạt động số {day}", f"2023-01-{day:02d}")
    built = site(files)
    assert built.ok, built.messages()
    assert built.exists("tin-tuc/trang-2/index.html")
    links = [a["href"] for a in built.soup("tin-tuc/index.html").select("nav.pagination a")]
    assert links == ["/tin-tuc/trang-2/"]
    assert re.search(r"Trang 2/2", built.soup("tin-tuc/trang-2/index.html").get_text())


def test_nothing_leaks_from_one_post_to_the_next(site):
    """Footnotes, abbreviations, heading ids and metadata of one post never reach the next
    (a Markdown converter reused between files would carry them)."""
    first = post("Bài có chú thích", "2022-09-05 07:30", Tags="chú thích", body="""
        Học sinh dự thi THPT[^1] theo lịch của Bộ.

        *[THPT]: Trung học phổ thông

        ## Lịch thi

        [^1]: Kỳ thi tốt nghiệp trung học phổ thông.
        """)
    second = post("Bài thường", "2022-09-06 07:30", body="""
        Kỳ thi THPT năm nay có nhiều điểm mới.

        ## Lịch thi
        """)
    built = site({"tin-tuc/a.md": first, "tin-tuc/b.md": second})
    assert built.ok, built.messages()
    one = built.soup("tin-tuc/bai-co-chu-thich/index.html").find("div", class_="prose")
    two = built.soup("tin-tuc/bai-thuong/index.html").find("div", class_="prose")
    assert one.find(class_="footnote") and one.find("abbr", title="Trung học phổ thông")
    assert not two.find(class_="footnote") and not two.find("abbr")
    assert "Kỳ thi tốt nghiệp" not in two.get_text()
    assert two.find("h2")["id"] == one.find("h2")["id"] == "lich-thi"
    tags = built.soup("tin-tuc/bai-thuong/index.html").find("footer", class_="article-footer")
    assert tags is None or "chú thích" not in tags.get_text()


def test_urls_are_frozen_once_every_generator_has_finished():
    from portal_core.checks import freeze_urls

    class Item:
        computed = 0

        @property
        def url(self):
            Item.computed += 1
            return "tin-tuc/le-khai-giang/"

    plain, custom = Item(), Item()
    custom.override_url = "gioi-thieu/"  # an editor's own URL: kept
    assert freeze_urls([plain, custom]) == 1
    assert plain.override_url == "tin-tuc/le-khai-giang/" and custom.override_url == "gioi-thieu/"
    assert Item.computed == 1


TYPOGRAPHY_SAMPLES = [
    "<p>Nhà trường tổ chức lễ khai giảng năm học mới.</p>",
    '<p>Hội thi "Giáo viên dạy giỏi" cấp trường -- vòng 2.</p>',
    "<p>Em nói: 'Con sẽ cố gắng'... và cười.</p>",
    "<p>Thời gian: 7 giờ 30 . . . 11 giờ</p><pre>a -- b</pre>",
    '<p><a href="/tin-tuc/" title="tin">Xem thêm</a> tại bảng tin &amp; website.</p>',
    "<p>Ngày 20/11 &quot;Tri ân thầy cô&quot; và ``sự kiện''.</p>",
    "<h2>Lịch thi THPT</h2><ul><li>Môn Toán</li><li>Môn Ngữ văn</li></ul>",
]


def test_typography_equals_typogrify_with_or_without_the_smartypants_shortcut():
    """The reader skips smartypants where it would change nothing; the result must still be
    exactly typogrify's (the library is the reference), on samples and the demo posts."""
    import glob

    import markdown
    import smartypants as sp
    from typogrify.filters import typogrify

    from conftest import ROOT
    from portal_core.reader import typography

    settings = {"TYPOGRIFY_OMIT_FILTERS": ["caps"],
                "TYPOGRIFY_IGNORE_TAGS": ["pre", "code", "kbd", "script", "style"]}
    samples = list(TYPOGRAPHY_SAMPLES)
    for path in sorted(glob.glob(os.path.join(ROOT, "content", "**", "*.md"), recursive=True)):
        with open(path, encoding="utf-8") as handle:
            samples.append(markdown.markdown(handle.read().split("\n\n", 1)[-1]))
    assert len(samples) > 40
    for html in samples:
        sp.Attr.default = sp.Attr.set2
        expected = typogrify(html, settings["TYPOGRIFY_IGNORE_TAGS"], caps=False)
        assert typography(html, settings) == expected, html[:200]
    assert "&#8220;" in typography(TYPOGRAPHY_SAMPLES[1], settings)  # quotes still curled


def test_reading_and_writing_on_every_core_give_the_same_site_and_problems(tmp_path,
                                                                          monkeypatch):
    """prefetch.py and parallel_writer.py: posts read and pages rendered by worker processes
    give byte-identical output and the same problems (with file and line) as one process."""
    from portal_engine import parallel_writer, prefetch

    from conftest import build

    # Which process rendered each page, and whether the read-ahead ran: without this, a
    # parallel build that quietly fell back to one process would pass as "identical".
    renders = tmp_path / "renders.txt"
    real_render, real_read = parallel_writer._render, prefetch.read_ahead
    read_ahead = []

    def recording_render(jobs, index):  # runs in the worker processes (forked)
        with open(renders, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
        return real_render(jobs, index)

    monkeypatch.setattr(parallel_writer, "_render", recording_render)
    monkeypatch.setattr(prefetch, "read_ahead", lambda settings, paths, *rest: read_ahead.append(
        len(paths)) or real_read(settings, paths, *rest))

    def renderers() -> list[int]:
        if not renders.exists():
            return []
        pids = [int(line) for line in renders.read_text(encoding="utf-8").split()]
        renders.unlink()
        return pids

    files = {f"tin-tuc/2022/bai-{i}.md": post(
        f"Bài số {i} về hoạt động ngoại khóa", f"2022-10-{i + 1:02d} 08:00",
        Tags="ngoại khóa, trải nghiệm", body=f"""
        Học sinh lớp 1{i % 3} tham gia "ngày hội" trải nghiệm -- hoạt động thường niên.

        #### Tiêu đề nhảy cấp {i}

        ![](/images/khong-co.jpg)
        """) for i in range(6)}
    files["pages/gioi-thieu.md"] = page("Giới thiệu", "gioi-thieu")
    serial = build(tmp_path / "serial", files, PORTAL_READ_WORKERS=1, PORTAL_WRITE_WORKERS=1)
    assert renderers() == [] and read_ahead == []  # Pelican's own writer, one process
    parallel = build(tmp_path / "parallel", files, PORTAL_READ_WORKERS=2,
                     PORTAL_READ_PARALLEL_MIN=1, PORTAL_WRITE_WORKERS=2,
                     PORTAL_WRITE_PARALLEL_MIN=1)
    in_parallel = renderers()
    assert sum(read_ahead) == len(files)  # posts and the page were read by the workers
    # every page was rendered, and by worker processes, not by the build process
    pages = parallel.html_files()
    assert len(in_parallel) == len(pages) > 20
    assert os.getpid() not in in_parallel
    assert serial.ok == parallel.ok
    key = lambda p: (p.file, p.field, p.line, p.message)  # noqa: E731
    assert sorted(map(key, serial.problems)) == sorted(map(key, parallel.problems))
    assert serial.problems  # the heading jumps and the missing alt are reported
    names = sorted(os.path.relpath(os.path.join(base, f), serial.output)
                   for base, _, found in os.walk(serial.output) for f in found)
    assert len([n for n in names if n.endswith(".html")]) > 20
    assert names == sorted(os.path.relpath(os.path.join(base, f), parallel.output)
                           for base, _, found in os.walk(parallel.output) for f in found)
    for rel in names:
        with open(os.path.join(serial.output, rel), "rb") as one, \
                open(os.path.join(parallel.output, rel), "rb") as two:
            assert one.read() == two.read(), rel


def test_read_ahead_really_uses_workers(tmp_path, monkeypatch):
    from portal_engine import prefetch

    from conftest import build

    seen = []
    real = prefetch.read_ahead
    monkeypatch.setattr(prefetch, "read_ahead",
                        lambda settings, paths, *rest: seen.append(len(paths))
                        or real(settings, paths, *rest))
    files = {f"tin-tuc/bai-{i}.md": post(f"Bài {i}", f"2022-10-{i + 1:02d} 08:00")
             for i in range(4)}
    built = build(tmp_path, files, PORTAL_READ_WORKERS=2, PORTAL_READ_PARALLEL_MIN=1)
    assert built.ok and seen == [4]
    assert built.exists("tin-tuc/bai-3/index.html")


def _writer(tmp_path, workers=2):
    from portal_engine.parallel_writer import ParallelWriter

    settings = {"PORTAL_WRITE_WORKERS": workers, "PORTAL_WRITE_PARALLEL_MIN": 1,
                "RELATIVE_URLS": False, "PAGINATED_TEMPLATES": {}, "DEFAULT_PAGINATION": 10}
    return ParallelWriter(str(tmp_path), settings=settings)


def test_parallel_writer_keeps_pelicans_rules_for_files_written_twice(tmp_path):
    import jinja2
    from pelican.writers import FileOverwriteFailedError

    writer = _writer(tmp_path)
    assert writer.deferring
    page = jinja2.Template("<p>{{ text }}</p>")
    writer.write_file("a/index.html", page, {}, text="Bài đầu")
    writer.write_file("a/index.html", page, {}, override_output=True, text="Bản thay thế")
    writer.write_file("a/index.html", page, {}, text="Bị bỏ qua")  # kept: the override wins
    writer.write_file("b/index.html", page, {}, text="Trang B")
    with pytest.raises(FileOverwriteFailedError):
        writer.write_file("b/index.html", page, {}, text="Trùng tên")
    assert not (tmp_path / "a" / "index.html").exists()  # nothing rendered yet
    assert writer.flush() == 2
    assert (tmp_path / "a" / "index.html").read_text(encoding="utf-8") == "<p>Bản thay thế</p>"
    assert (tmp_path / "b" / "index.html").read_text(encoding="utf-8") == "<p>Trang B</p>"


def test_a_page_that_fails_to_render_in_a_worker_fails_the_build(tmp_path):
    import jinja2
    from portal_engine.parallel_writer import WriteError

    writer = _writer(tmp_path)
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    writer.write_file("ok/index.html", env.from_string("{{ text }}"), {}, text="được")
    writer.write_file("hong/index.html", env.from_string("{{ thieu.truong }}"), {})
    with pytest.raises(WriteError, match="hong/index.html"):
        writer.flush()


def test_autoreload_runs_the_same_pelican_again_with_a_fresh_state(tmp_path):
    """`pelican --autoreload` calls run() again on the same object after each change: a post
    deleted in between must not break the next build, nor problems be counted twice."""
    from pelican import Pelican
    from pelican.settings import read_settings

    from portal_core import state

    from conftest import FIXED_TODAY, ROOT, index_records, make_site

    files = {"tin-tuc/a.md": post("Bài A", "2022-09-05 07:30"),
             "tin-tuc/b.md": post("Bài B", "2022-09-06 07:30",
                                  body="Ảnh: ![](/images/khong-co-mo-ta.jpg)")}
    content = make_site(str(tmp_path), files)
    settings = read_settings(os.path.join(ROOT, "pelicanconf.py"), override={
        "PATH": content, "OUTPUT_PATH": str(tmp_path / "output"), "PORTAL_TODAY": FIXED_TODAY,
        "CACHE_PATH": str(tmp_path / "cache")})
    pelican = Pelican(settings)
    pelican.run()
    first = [(p.file, p.field, p.message) for p in state.current(settings).problems]
    assert (tmp_path / "output" / "tin-tuc" / "bai-a" / "index.html").exists()
    os.remove(os.path.join(content, "tin-tuc", "a.md"))
    pelican.run()  # what autoreload does after a change
    second = [(p.file, p.field, p.message) for p in state.current(settings).problems]
    assert sorted(second) == sorted(first)  # the same warnings, once each
    assert not (tmp_path / "output" / "tin-tuc" / "bai-a").exists()
    assert (tmp_path / "output" / "tin-tuc" / "bai-b" / "index.html").exists()
    urls = {r["url"] for r in index_records(str(tmp_path / "output"))}
    assert urls >= {"/tin-tuc/bai-b/"} and "/tin-tuc/bai-a/" not in urls



def _die(task):
    os._exit(3)  # a worker killed (out of memory, signal…)


def test_pages_are_still_written_when_a_worker_dies(tmp_path, monkeypatch):
    import jinja2
    from portal_engine import parallel_writer

    writer = _writer(tmp_path)
    page = jinja2.Template("<p>{{ text }}</p>")
    for name in ("a", "b", "c"):
        writer.write_file(f"{name}/index.html", page, {}, text=f"Trang {name}")
    monkeypatch.setattr(parallel_writer, "_render_slice", _die)
    assert writer.flush() == 3
    for name in ("a", "b", "c"):
        assert (tmp_path / name / "index.html").read_text(encoding="utf-8") == f"<p>Trang {name}</p>"


# --- the content cache key ----------------------------------------------------------------

FINGERPRINTED = {
    "plugins/portal_x/__init__.py": "X = 1\n",
    "plugins/portal_x/catalogue.yml": "items: []\n",
    "school/pelicanconf.py": "SITENAME = 'A'\n",
    "school/content/data/school.yml": "name: Trường THPT A\n",
}


def _fingerprint(root, version="4.12.0"):
    from portal_core.text import code_fingerprint

    return code_fingerprint([str(root / "plugins" / "portal_x")],
                            [str(root / "school" / "pelicanconf.py"),
                             str(root / "school" / "content" / "data" / "school.yml")],
                            (version,))


@pytest.mark.parametrize("changed, counts", [
    ("plugins/portal_x/__init__.py", True),  # plugin code
    ("plugins/portal_x/catalogue.yml", True),  # a plugin's law data (catalogue, holidays)
    ("plugins/portal_x/new.py", True),  # a new module of a plugin
    ("school/pelicanconf.py", True),
    ("school/content/data/school.yml", True),  # school data
    ("school/content/tin-tuc/bai.md", False),  # a post: Pelican's cache checks each file itself
    ("gates/links.py", False),  # the quality gates run after a build: not part of reading
    ("plugins/portal_y/other.py", False),  # a plugin that is not enabled
])
def test_code_fingerprint_changes_with_plugin_code_and_data(tmp_path, changed, counts):
    for rel, text in FINGERPRINTED.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    before = _fingerprint(tmp_path)
    assert _fingerprint(tmp_path) == before  # stable
    target = tmp_path / changed
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text((target.read_text(encoding="utf-8") if target.exists() else "")
                      + "# đổi\n", encoding="utf-8")
    assert (_fingerprint(tmp_path) != before) == counts


def test_code_fingerprint_changes_with_the_packages_versions(tmp_path):
    for rel, text in FINGERPRINTED.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    assert _fingerprint(tmp_path, "4.12.0") != _fingerprint(tmp_path, "4.12.1")


def test_the_project_cache_folder_is_keyed_on_the_school_data(tmp_path):
    """Each Pelican (a build) puts its content cache in CACHE_PATH/<fingerprint>: another
    school.yml, another folder; the same, the same folder."""
    from pelican import Pelican
    from pelican.settings import read_settings

    from conftest import ROOT, make_site

    content = make_site(str(tmp_path), {})

    def cache_folder():
        settings = read_settings(os.path.join(ROOT, "pelicanconf.py"), override={
            "PATH": content, "OUTPUT_PATH": str(tmp_path / "output"),
            "CACHE_PATH": str(tmp_path / "cache"), "PORTAL_TODAY": "2026-11-29"})
        return Pelican(settings).settings["CACHE_PATH"]

    first = cache_folder()
    assert os.path.dirname(first) == str(tmp_path / "cache")
    assert cache_folder() == first
    school = os.path.join(content, "data", "school.yml")
    with open(school, "a", encoding="utf-8") as handle:
        handle.write("# đổi\n")
    assert cache_folder() != first
