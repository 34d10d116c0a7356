"""`invoke check-site` gates (`python -m cong_truong.gates`) on tiny hand-made output folders."""

from __future__ import annotations

import io
import os

import pytest
from conftest import ROOT

from cong_truong.gates import browser, links, runner, vnu

SITEURL = "https://nguyentrai-nd.edu.vn"

STYLE = """
body { font: 16px/1.5 sans-serif; color: #1a1a1a; background: #fff; margin: 0; }
a { color: #0b4f8a; }
:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .5rem; padding: 0; }
"""
BROKEN_STYLE = STYLE + """
a:focus, a:focus-visible { outline: none; }
@media (max-width: 600px) { nav.main-nav { display: none; } }
"""


def page(title: str, main: str, css: str = "/style.css") -> str:
    return f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{css}">
</head>
<body>
<header>
<nav class="main-nav" aria-label="Trình đơn chính"><ul>
<li><a href="/">Trang chủ</a></li>
<li><a href="/tin-tuc/">Tin tức</a></li>
<li><a href="/lien-he/">Liên hệ</a></li>
</ul></nav>
</header>
<main id="noi-dung">
<h1>{title}</h1>
{main}
</main>
</body>
</html>
"""


CLEAN_MAIN = """<p>Xem <a href="/tin-tuc/le-khai-giang/#chuong-trinh">chương trình buổi lễ</a>,
<a href="tin-tuc/">tin tức</a>, <a href="{siteurl}/lien-he/">liên hệ</a>,
<a href="https://namdinh.edu.vn/">Sở GDĐT Nam Định</a>, <a href="#cuoi">cuối trang</a>,
<a href="mailto:vanphong@nguyentrai-nd.edu.vn">thư</a> và
<a href="/files/ke-hoach.pdf">kế hoạch (PDF)</a>.</p>
<p><img src="/images/san-truong.jpg" srcset="/images/san-truong.jpg 480w" sizes="100vw" alt="Sân trường"
width="480" height="320"></p>
<p id="cuoi">Hết.</p>""".format(siteurl=SITEURL)

BROKEN_MAIN = """<p>Xem <a href="/khong-co/">trang không có</a>,
<a href="/tin-tuc/le-khai-giang/#khong-co-muc">mục không có</a>,
<a href="{siteurl}/mat-trang/">trang mất</a> và
<a href="../files/thieu.pdf">tệp thiếu</a>.</p>
<p><img src="/images/san-truong.jpg" width="480" height="320"></p>
<p><img src="/images/khong-co.jpg" alt="Ảnh bị thiếu"></p>
<span><div>Khối trong dòng</div></span>""".format(siteurl=SITEURL)


def write(root, files: dict[str, str | bytes]) -> str:
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb" if isinstance(text, bytes) else "w",
                  **({} if isinstance(text, bytes) else {"encoding": "utf-8"})) as handle:
            handle.write(text)
    return str(root)


def common(css=STYLE) -> dict:
    return {
        "style.css": css,
        "images/san-truong.jpg": b"\xff\xd8\xff\xd9",
        "files/ke-hoach.pdf": b"%PDF-1.4\n",
        "tin-tuc/index.html": page("Tin tức", "<p>Danh sách tin.</p>"),
        "tin-tuc/le-khai-giang/index.html": page(
            "Lễ khai giảng", '<h2 id="chuong-trinh">Chương trình</h2><p>Chào cờ.</p>'),
        "lien-he/index.html": page("Liên hệ", "<p>Văn phòng nhà trường.</p>"),
    }


@pytest.fixture
def clean_site(tmp_path):
    return write(tmp_path / "clean", {**common(), "index.html": page("Trang chủ", CLEAN_MAIN)})


@pytest.fixture
def broken_site(tmp_path):
    return write(tmp_path / "broken", {**common(BROKEN_STYLE),
                                       "index.html": page("Trang chủ", BROKEN_MAIN)})


# --- links ---------------------------------------------------------------------------------

def test_links_of_a_clean_site_resolve(clean_site):
    assert links.check_links(clean_site, [SITEURL]) == []


def test_broken_links_are_reported_with_page_rule_and_element(broken_site):
    failures = links.check_links(broken_site, [SITEURL])
    found = {(f.page, f.rule, f.element) for f in failures}
    assert found == {
        ("index.html", "link-missing", '<a href="/khong-co/">'),
        ("index.html", "anchor-missing", '<a href="/tin-tuc/le-khai-giang/#khong-co-muc">'),
        ("index.html", "link-missing", f'<a href="{SITEURL}/mat-trang/">'),
        ("index.html", "link-missing", '<a href="../files/thieu.pdf">'),
        ("index.html", "link-missing", '<img src="/images/khong-co.jpg" alt="Ảnh bị thiếu">'),
    }
    lines = open(os.path.join(broken_site, "index.html"), encoding="utf-8").read().splitlines()
    for failure in failures:
        assert failure.element.split(">")[0] in lines[failure.line - 1]


def test_siteurl_links_are_external_without_the_siteurl(broken_site):
    rules = {f.element for f in links.check_links(broken_site, [])}
    assert f'<a href="{SITEURL}/mat-trang/">' not in rules


@pytest.mark.parametrize("url, page, expected", [
    ("/tin-tuc/", "index.html", ("tin-tuc/", "")),
    ("../y/#muc-2", "tin-tuc/x/index.html", ("tin-tuc/y/", "muc-2")),
    ("#cuoi", "tin-tuc/x/index.html", ("tin-tuc/x/index.html", "cuoi")),
    (f"{SITEURL}/images/a%20b.jpg", "index.html", ("images/a b.jpg", "")),
    (SITEURL, "index.html", ("", "")),
    ("https://namdinh.edu.vn/", "index.html", None),
    ("mailto:a@b.vn", "index.html", None),
    ("tel:02283840123", "index.html", None),
])
def test_internal_path(url, page, expected):
    assert links.internal_path(url, page, [SITEURL]) == expected


# --- HTML validity (vnu) -------------------------------------------------------------------

def vnu_ready():
    return vnu.missing_tool(ROOT)


@pytest.mark.skipif(bool(vnu_ready()), reason=f"vnu cannot run: {vnu_ready()}")
def test_vnu_reports_invalid_html(broken_site):
    failures = vnu.check_html(broken_site, ROOT)
    assert failures, "the <div> inside a <span> must be reported"
    assert {f.page for f in failures} == {"index.html"}
    assert any("div" in f.message and f.rule == "html-error" for f in failures)
    line = next(i for i, text in enumerate(open(os.path.join(broken_site, "index.html"),
                                                encoding="utf-8"), start=1) if "<span><div>" in text)
    assert line in {f.line for f in failures}


@pytest.mark.skipif(bool(vnu_ready()), reason=f"vnu cannot run: {vnu_ready()}")
def test_vnu_accepts_valid_html(clean_site):
    assert vnu.check_html(clean_site, ROOT) == []


def test_vnu_report_parsing():
    report = ('{"messages":[{"type":"error","url":"file:/tmp/out/tin-tuc/a/index.html",'
              '"lastLine":12,"message":"Stray end tag “p”.","extract":"</div></p>"},'
              '{"type":"info","url":"file:/tmp/out/index.html","message":"x"}]}')
    [failure] = vnu.parse_report(report, "/tmp/out")
    assert (failure.page, failure.line, failure.element) == ("tin-tuc/a/index.html", 12,
                                                             "</div></p>")


# --- browser: axe, keyboard ----------------------------------------------------------------

needs_browser = pytest.mark.skipif(bool(browser.missing_browser()),
                                   reason=f"no browser: {browser.missing_browser()}")


@pytest.mark.browser
@needs_browser
def test_browser_gate_finds_missing_alt_focus_and_menu_problems(broken_site):
    failures, covered = browser.check_pages(broken_site, ["index.html"])
    rules = {f.rule for f in failures}
    assert "image-alt" in rules
    assert "focus-visible" in rules
    assert "menu-keyboard" in rules  # the menu is hidden at phone width
    alt = next(f for f in failures if f.rule == "image-alt")
    assert alt.page == "index.html" and "san-truong.jpg" in alt.element
    assert "360px" in alt.message and "1280px" in alt.message
    assert covered == ["trang chủ: /"]


@pytest.mark.browser
@needs_browser
def test_browser_gate_passes_a_clean_page(clean_site):
    failures, _ = browser.check_pages(clean_site, ["index.html", "tin-tuc/index.html"])
    assert [f.format() for f in failures] == []


# --- page sampling and the command ---------------------------------------------------------

def test_one_page_of_every_kind(tmp_path):
    files = {rel: "<!doctype html>" + "x" * size for rel, size in [
        ("index.html", 1), ("404.html", 1), ("tin-tuc/index.html", 1),
        ("tin-tuc/a/index.html", 10), ("tin-tuc/b/index.html", 50), ("tin-tuc/trang-2/index.html", 5),
        ("tu-khoa/x/index.html", 3), ("tu-khoa/y/index.html", 1), ("tu-khoa/x/trang-2/index.html", 1),
        ("cong-khai/2024-2025/index.html", 1)]}
    output = write(tmp_path, files)
    chosen = browser.sample_pages(output, links.html_pages(output))
    assert chosen == ["404.html", "index.html", "tin-tuc/index.html",
                      "cong-khai/2024-2025/index.html", "tin-tuc/b/index.html",
                      "tin-tuc/trang-2/index.html", "tu-khoa/x/index.html",
                      "tu-khoa/x/trang-2/index.html"]


def test_command_prints_failures_and_a_summary(broken_site, clean_site):
    out = io.StringIO()
    code = runner.run(broken_site, {"html", "a11y"}, False, [SITEURL], out=out)
    text = out.getvalue()
    assert code == 1
    assert "index.html:" in text and "[link-missing]" in text and '<a href="/khong-co/">' in text
    assert "Liên kết: 5 lỗi" in text and "bỏ qua (--skip)" in text

    out = io.StringIO()
    assert runner.run(clean_site, {"html", "a11y"}, False, [SITEURL], out=out) == 0
    assert "Liên kết: đạt" in out.getvalue()


def test_a_missing_tool_fails_the_gate(clean_site, monkeypatch):
    monkeypatch.setattr(vnu, "missing_tool", lambda project: "Không có Java.")
    out = io.StringIO()
    assert runner.run(clean_site, {"a11y"}, False, [SITEURL], out=out) == 1
    assert "KHÔNG CHẠY ĐƯỢC: Không có Java." in out.getvalue()


def test_command_refuses_an_empty_folder(tmp_path):
    out = io.StringIO()
    assert runner.run(str(tmp_path), set(), False, [], out=out) == 2
    assert "cong-truong build" in out.getvalue()
