"""portal_safety's sanitizer (issue 19, item 2): what it removes, and that its report says so.

Each case lists exactly what the report must name; the output must have lost each of those
things and kept the rest, and cleaning the output again finds nothing left to report.
"""

from __future__ import annotations

import pytest
from conftest import post

from portal_safety import sanitize

EMBEDS = [sanitize.Embed("www.youtube-nocookie.com", "/embed/"),
          sanitize.Embed("www.google.com", "/maps/embed")]
VIDEO = "https://www.youtube-nocookie.com/embed/abc"


def report(html):
    return [(r.kind, r.detail) for r in sanitize.removed_items(html, EMBEDS)]


def check(html, removed, kept=(), gone=()):
    """*html* cleaned: the report is exactly *removed*; *kept* stays; *gone* does not."""
    clean = sanitize.sanitize(html, EMBEDS)
    assert report(html) == removed
    lowered = clean.lower()
    for text in kept:
        assert text in clean, (text, clean)
    for text in gone:
        assert text.lower() not in lowered, (text, clean)
    assert report(clean) == []  # nothing reportable survives
    assert sanitize.sanitize(clean, EMBEDS) == clean
    return clean


# --- URL schemes: entities, case, whitespace -------------------------------------------------

@pytest.mark.parametrize("href, shown", [
    ("&#106;avascript:alert(1)", "javascript:alert(1)"),
    ("&#x6A;&#x61;vascript:alert(1)", "javascript:alert(1)"),
    ("&#0000106avascript:alert(1)", "javascript:alert(1)"),
    ("javascript&#58;alert(1)", "javascript:alert(1)"),
    ("javascript&colon;alert(1)", "javascript:alert(1)"),
    ("jav&#x09;ascript:alert(1)", "jav\tascript:alert(1)"),
    ("jav&#10;ascript:alert(1)", "jav\nascript:alert(1)"),
    ("JAVASCRIPT:alert(1)", "JAVASCRIPT:alert(1)"),
    ("JaVaScRiPt:alert(1)", "JaVaScRiPt:alert(1)"),
    (" javascript:alert(1)", " javascript:alert(1)"),
    ("DATA:text/html;base64,PHNjcmlwdD4=", "DATA:text/html;base64,PHNjcmlwdD4="),
    ("vbscript:msgbox(1)", "vbscript:msgbox(1)"),
])
def test_disguised_schemes_are_removed_and_reported(href, shown):
    check(f'<p><a href="{href}">Xem</a></p>', [("url", shown)], kept=["<a>Xem</a>"],
          gone=["href", "script:", "data:"])


@pytest.mark.parametrize("href", ["HTTPS://example.vn/", "MAILTO:vanphong@nguyentrai-nd.edu.vn",
                                  "tel:02283840123", "/tin-tuc/", "#muc-1", "?trang=2"])
def test_allowed_schemes_in_any_case_are_kept(href):
    check(f'<p><a href="{href}">Xem</a></p>', [], kept=[f'href="{href}"'])


# --- images ----------------------------------------------------------------------------

@pytest.mark.parametrize("img, shown", [
    ('<img src="data:image/png;base64,iVBORw0KGgo=" alt="Sơ đồ">',
     "data:image/png;base64,iVBORw0KGgo="),
    ('<img src="DATA:image/svg+xml,&lt;svg onload=alert(1)&gt;" alt="Sơ đồ">',
     "DATA:image/svg+xml,<svg onload=alert(1)>"),
    ('<img srcset="data:image/png;base64,AAA 1x" alt="Sơ đồ">', "data:image/png;base64,AAA 1x"),
    ('<img src="javascript:alert(1)" alt="Sơ đồ">', "javascript:alert(1)"),
])
def test_data_and_script_urls_on_images_are_removed(img, shown):
    check(f"<p>{img}</p>", [("url", shown)], kept=['alt="Sơ đồ"'],
          gone=["data:", "javascript", "src="])


def test_ordinary_images_keep_src_and_srcset():
    srcset = "/images/a-480.jpg 480w, /images/a-960.jpg 960w"
    html = f'<p><img src="/images/a-960.jpg" srcset="{srcset}" alt="Sân trường"></p>'
    check(html, [], kept=['src="/images/a-960.jpg"', f'srcset="{srcset}"'])


# --- whole elements ---------------------------------------------------------------------

@pytest.mark.parametrize("html, tag", [
    ('<svg viewBox="0 0 10 10"><script>alert(1)</script><circle r="1"/></svg>', "<svg>"),
    ('<SVG><a href="javascript:alert(1)"><text>Bấm</text></a></SVG>', "<svg>"),
    ("<style>body{display:none}</style>", "<style>"),
    ('<form action="https://evil.example/"><input name="cccd"><button>Gửi</button></form>',
     "<form>"),
    ('<object data="x.swf" type="application/x-shockwave-flash"><param name="a" value="b">'
     '</object>', "<object>"),
    ('<embed src="x.swf">', "<embed>"),
    ("<math><mi>x</mi></math>", "<math>"),
    ("<SCRIPT>alert(1)</SCRIPT>", "<script>"),
])
def test_dangerous_elements_go_with_their_content(html, tag):
    check(f"<p>Trước</p>{html}<p>Sau</p>", [("tag", tag)], kept=["<p>Trước</p>", "<p>Sau</p>"],
          gone=[tag[:-1], "alert", "display:none", "cccd", "Gửi", "x.swf", "<mi>", "Bấm"])


def test_each_kind_is_reported_once_in_document_order():
    html = ('<p style="color:red" onclick="x()">A</p><script>1</script><p style="margin:0">B'
            '</p><script>2</script><a href="https://x.vn" target="_blank" rel="opener">C</a>')
    check(html, [("style", "style"), ("attribute", "onclick (trên <p>)"), ("tag", "<script>"),
                 ("attribute", "target (trên <a>)"), ("attribute", "rel (trên <a>)")],
          kept=["<p>A</p>", "<p>B</p>", '<a href="https://x.vn">C</a>'],
          gone=["style=", "onclick", "target", "rel=", "<script"])


# --- iframes ----------------------------------------------------------------------------

@pytest.mark.parametrize("src", [
    "http://www.youtube-nocookie.com/embed/abc",  # not https
    "//www.youtube-nocookie.com/embed/abc",  # scheme-relative: http on an http page
    "https://user:pass@www.youtube-nocookie.com/embed/abc",  # credentials
    "https://user@www.youtube-nocookie.com/embed/abc",
    "https://www.youtube-nocookie.com@evil.example/embed/abc",  # the host is evil.example
    "https://www.youtube-nocookie.com.evil.example/embed/abc",
    "https://www.youtube-nocookie.com:8443/embed/abc",  # another port
    "https://www.youtube-nocookie.com:x/embed/abc",
    "https://www.youtube-nocookie.com/embed/../watch?v=abc",  # path tricks
    "https://www.youtube-nocookie.com/embed/./../watch",
    "https://www.youtube-nocookie.com/embed/%2e%2e/watch",
    "https://www.youtube-nocookie.com/embed/%2E%2E/watch",
    "https://www.youtube-nocookie.com/embed/..%2fwatch",
    "https://www.youtube-nocookie.com/embed/..%5cwatch",
    "https://www.youtube-nocookie.com/embed\\..\\watch",
    "https://www.youtube-nocookie.com/embedded/abc",  # not under /embed/
    "https://www.google.com/search?q=x",
    "javascript:alert(1)",
])
def test_iframes_outside_the_allow_list_are_removed_whole(src):
    html = f'<p>Video:</p><iframe src="{src}" title="Lễ khai giảng"></iframe>'
    shown = ("url", src) if src.startswith("javascript") else ("iframe", src)
    clean = check(html, [shown], kept=["<p>Video:</p>"], gone=["<iframe", "Lễ khai giảng"])
    assert clean == "<p>Video:</p>"


def test_allowed_iframes_stay():
    for src in (VIDEO, VIDEO + "?start=30", "https://www.youtube-nocookie.com:443/embed/abc",
                "HTTPS://WWW.YOUTUBE-NOCOOKIE.COM/embed/abc",
                "https://www.google.com/maps/embed?pb=!1m18"):
        html = f'<iframe src="{src}" title="Video"></iframe>'
        check(html, [], kept=[f'src="{src}"', 'title="Video"'])


def test_iframe_without_a_source_is_reported():
    check('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;" title="x"></iframe><p>Sau</p>',
          [("attribute", "srcdoc (trên <iframe>)"), ("iframe", "(không có địa chỉ src)")],
          kept=["<p>Sau</p>"], gone=["<iframe", "srcdoc", "alert"])


def test_embed_path_check():
    assert sanitize.plain_path("/embed/abc")
    assert sanitize.plain_path("/embed/a.b..c/")  # dots inside a name are not a segment
    for path in ("/embed/../x", "/embed/..", "/embed/./x", "/embed/%2e%2E/x", "/embed/a%2Fb",
                 "/embed\\x"):
        assert not sanitize.plain_path(path), path


# --- in a build: the report names each removal on its line --------------------------------

def test_build_reports_each_removal_on_its_line(site):
    body = """
        Hình ảnh: <img src="data:image/png;base64,iVBORw0KGgo=" alt="Sơ đồ">

        <svg><script>alert(1)</script></svg>

        <form action="https://evil.example/"><input name="cccd"></form>

        <iframe src="https://www.youtube-nocookie.com/embed/../watch" title="Video"></iframe>

        <iframe src="https://u:p@www.youtube-nocookie.com/embed/abc" title="Video"></iframe>

        Xem [bài](JAVASCRIPT:alert(1)).
        """
    source = post(title="Thử", body=body)
    built = site({"tin-tuc/a.md": source})
    assert built.ok, built.messages()
    lines = source.splitlines()

    def line_of(needle):
        return next(i for i, line in enumerate(lines, start=1) if needle in line)

    found = sorted((p.line, p.value) for p in built.problems if p.plugin == "portal_safety")
    assert found == sorted([
        (line_of("data:image"), "data:image/png;base64,iVBORw0KGgo="),
        (line_of("<svg>"), "<svg>"),
        (line_of("<form"), "<form>"),
        (line_of("embed/../watch"), "https://www.youtube-nocookie.com/embed/../watch"),
        (line_of("u:p@"), "https://u:p@www.youtube-nocookie.com/embed/abc"),
        (line_of("JAVASCRIPT"), "JAVASCRIPT:alert(1)"),
    ])
    prose = str(built.soup("tin-tuc/thu/index.html").select_one(".prose")).lower()
    for bad in ("data:image", "<svg", "<form", "<iframe", "javascript", "alert("):
        assert bad not in prose
