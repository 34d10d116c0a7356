"""Hostile uploads (issue 12): SVG files, symbolic links, attachments whose content lies.

Unit tables for the pure functions (portal_safety.svg, portal_safety.files) and builds of a
tiny site with each hostile input: nothing unsafe in output/, the report names the file.
"""

from __future__ import annotations

import os

import pytest
from conftest import ROOT, build, make_site, post

from portal_core.problems import ERROR, WARNING
from portal_safety import files, svg

POLICY = svg.load_policy()
TYPES = files.load_types()
SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
DANGER = ("script", "javascript", "onload", "onclick", "onbegin", "foreignobject", "data:",
          "@import", "evil", "alert", "<set", "<animate", "iframe", "xhtml")


def svg_doc(body: str, attrs: str = "") -> bytes:
    return f'{SVG_HEAD} viewBox="0 0 10 10"{attrs}>{body}</svg>'.encode()


def safety(built, severity=None):
    return [p for p in built.problems if p.plugin == "portal_safety"
            and (severity is None or p.severity == severity)]


def assert_no_danger(data: bytes) -> None:
    text = data.decode("utf-8").lower()
    for word in DANGER:
        assert word not in text, (word, text)


# --- SVG: pure -----------------------------------------------------------------------------

HOSTILE_SVGS = [
    ("script", svg_doc("<script>alert(1)</script><rect width='1' height='1'/>"), "<script>"),
    ("onload", svg_doc("<rect width='1' height='1'/>", ' onload="alert(1)"'), "onload"),
    ("event on child", svg_doc("<circle r='1' onclick='alert(1)'/>"), "onclick"),
    ("a href javascript", svg_doc("<a href='javascript:alert(1)'><text>x</text></a>"), "<a>"),
    ("a xlink:href entity-encoded", svg_doc(
        "<a xlink:href='&#106;ava&#x09;script:alert(1)'><text>x</text></a>"), "<a>"),
    ("uppercase scheme on use", svg_doc("<use href='JAVASCRIPT:alert(1)'/>"), "href="),
    ("use of another file", svg_doc("<use xlink:href='evil.svg#a'/>"), "xlink:href="),
    ("use of a URL", svg_doc("<use href='https://evil.example/x.svg#a'/>"), "href="),
    ("foreignObject", svg_doc("<foreignObject><iframe xmlns='http://www.w3.org/1999/xhtml' "
                              "src='x'/></foreignObject>"), "<foreignObject>"),
    ("xhtml script", svg_doc("<h:script xmlns:h='http://www.w3.org/1999/xhtml'>alert(1)"
                             "</h:script>"), "<script>"),
    ("set href", svg_doc("<a><set attributeName='href' to='javascript:alert(1)'/></a>"),
     "<set>"),
    ("animate href", svg_doc("<animate attributeName='href' values='javascript:alert(1)'/>"),
     "<animate>"),
    ("onbegin", svg_doc("<animate onbegin='alert(1)' attributeName='x'/>"), "<animate>"),
    ("style url javascript", svg_doc(
        "<rect width='1' height='1' style='fill: url(JavaScript:alert(1))'/>"), "style"),
    ("style attr import", svg_doc("<rect style='@import url(//evil.example/a.css)'/>"),
     "style"),
    ("style element import", svg_doc("<style>@import url('https://evil.example/a.css');"
                                     "</style>"), "<style>"),
    ("style escape", svg_doc("<style>rect{fill:u\\72l(https://evil.example/a)}</style>"),
     "<style>"),
    ("style text after a child", svg_doc("<style>.a{fill:red}<g/>@import url(//evil.example/"
                                         "a.css);</style>"), "<style>"),
    ("fill url outside", svg_doc("<rect fill='url(https://evil.example/p.svg#g)'/>"), "fill"),
    ("image data", svg_doc("<image href='data:image/svg+xml;base64,PHN2Zz4='/>"), "<image>"),
    ("feImage", svg_doc("<filter id='f'><feImage href='https://evil.example/x'/></filter>"),
     "<feImage>"),
    ("iframe element", svg_doc("<iframe src='https://evil.example'/>"), "<iframe>"),
    ("stylesheet PI", b'<?xml-stylesheet href="https://evil.example/a.css"?>' + svg_doc(""),
     "<?xml-stylesheet?>"),
]


@pytest.mark.parametrize("name, data, removed", HOSTILE_SVGS, ids=[c[0] for c in HOSTILE_SVGS])
def test_hostile_svg_is_cleaned_and_says_what_was_removed(name, data, removed):
    result = svg.sanitize_svg(data, POLICY)
    assert result.clean is not None, result.error
    assert_no_danger(result.clean)
    assert any(item.startswith(removed) for item in result.removed), result.removed


REFUSED_SVGS = [
    ("billion laughs", b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
     b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
     + svg_doc("<text>&c;</text>"), "ENTITY"),
    ("external entity", b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     + svg_doc("<text>&x;</text>"), "ENTITY"),
    ("parameter entity", b'<!DOCTYPE svg [<!ENTITY % p SYSTEM "https://evil.example/x.dtd">'
     b'%p;]>' + svg_doc(""), "ENTITY"),
    ("html in .svg", b"<html><body><script>alert(1)</script></body></html>", "không phải SVG"),
    ("no namespace", b"<svg><script>alert(1)</script></svg>", "xmlns"),
    ("not xml", b"<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>", "cú pháp"),
    ("gzip", b"\x1f\x8b\x08\x00" + b"\x00" * 20, "svgz"),
    ("too deep", (SVG_HEAD + ">" + "<g>" * 300 + "</g>" * 300 + "</svg>").encode(), "sâu"),
]


@pytest.mark.parametrize("name, data, reason", REFUSED_SVGS, ids=[c[0] for c in REFUSED_SVGS])
def test_unparseable_or_dangerous_svg_is_refused(name, data, reason):
    result = svg.sanitize_svg(data, POLICY)
    assert result.clean is None
    assert reason in result.error


def test_external_dtd_is_not_fetched_and_not_published():
    data = b'<!DOCTYPE svg SYSTEM "https://evil.example/x.dtd">' + svg_doc("<rect/>")
    result = svg.sanitize_svg(data, POLICY)
    assert result.clean is not None and b"DOCTYPE" not in result.clean
    assert b"evil" not in result.clean


def test_theme_svgs_pass_unchanged_in_meaning():
    folder = os.path.join(ROOT, "theme", "static")
    found = [os.path.join(base, f) for base, _, names in os.walk(folder) for f in names
             if f.endswith(".svg")]
    assert found
    for path in found:
        with open(path, "rb") as handle:
            result = svg.sanitize_svg(handle.read(), POLICY)
        assert result.clean is not None and result.removed == [], (path, result)


def test_a_drawing_keeps_its_shapes_gradients_and_local_references():
    data = svg_doc(
        "<defs><linearGradient id='g'><stop offset='0' stop-color='#fff'/></linearGradient>"
        "<symbol id='s'><circle r='2'/></symbol></defs>"
        "<style>.a{fill:url(#g)}</style>"
        "<rect class='a' width='5' height='5' fill='url(#g)' style='stroke:#000'/>"
        "<use xlink:href='#s' x='3'/><use href='#s'/><text x='1'>Trường &amp; lớp</text>"
        "<a href='https://truong.edu.vn'><path d='M0 0L1 1'/></a>")
    result = svg.sanitize_svg(data, POLICY)
    assert result.removed == ["<a> (liên kết «https://truong.edu.vn»)"]
    out = result.clean.decode()
    for kept in ("linearGradient", 'fill="url(#g)"', 'xlink:href="#s"', 'href="#s"',
                 ".a{fill:url(#g)}", "Trường &amp; lớp", 'd="M0 0L1 1"', "<symbol"):
        assert kept in out, kept


def test_editor_metadata_is_dropped_silently():
    data = (SVG_HEAD + ' xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
            'inkscape:version="1.2"><metadata><x/></metadata>'
            '<g inkscape:label="Lớp 1"><rect width="1" height="1"/></g></svg>').encode()
    result = svg.sanitize_svg(data, POLICY)
    assert result.removed == [] and b"inkscape" not in result.clean and b"<rect" in result.clean


@pytest.mark.parametrize("css, bad", [
    (".a{fill:red}", False), ("fill:url(#g)", False), ("fill: url( '#g' )", False),
    ("fill:url(x.svg#g)", True), ("@import 'x.css'", True), ("fill:u\\72l(x)", True),
    ("ur/**/l(x)", True), ("fill:url(/**/javascript:x)", True), ("x:expression(alert(1))", True),
    ("background:image-set('x.png' 1x)", True), ("behavior:url(#x)", True),
])
def test_css_rules(css, bad):
    assert bool(svg.css_problem(css)) is bad


# --- SVG: build ----------------------------------------------------------------------------

def test_build_publishes_the_cleaned_svg_and_warns_naming_the_file(tmp_path):
    hostile = svg_doc("<script>alert(1)</script><circle r='3' fill='#0b3d6e'/>"
                      "<a xlink:href='javascript:alert(2)'><text>Logo</text></a>",
                      ' onload="alert(3)"')
    built = build(tmp_path, {"files/logo.svg": hostile,
                             "tin-tuc/a.md": post(body="![Logo]({static}/files/logo.svg)")})
    assert built.ok, built.messages()
    with open(built.path("files/logo.svg"), "rb") as handle:
        published = handle.read()
    assert_no_danger(published)
    assert b"<circle" in published and b"Logo" in published
    warnings = [p for p in safety(built, WARNING) if p.file == "content/files/logo.svg"]
    assert len(warnings) == 1
    assert "<script>" in warnings[0].message and "onload" in warnings[0].message


@pytest.mark.parametrize("name, data", [
    ("bomb.svg", REFUSED_SVGS[0][1]), ("trang.svg", REFUSED_SVGS[3][1]),
    ("nen.svgz", b"\x1f\x8b\x08\x00" + b"\x00" * 20)])
def test_build_refuses_a_dangerous_svg_and_publishes_nothing_of_it(tmp_path, name, data):
    built = build(tmp_path, {f"files/{name}": data, "tin-tuc/a.md": post()})
    assert not built.ok
    errors = [p for p in safety(built, ERROR) if p.file == f"content/files/{name}"]
    assert errors, built.messages()
    assert not built.exists(f"files/{name}")


# --- Symbolic links ------------------------------------------------------------------------

def _build_with_links(tmp_path, links: dict[str, str], files_=None):
    content = make_site(str(tmp_path), {"tin-tuc/a.md": post(), **(files_ or {})})
    for rel, target in links.items():
        path = os.path.join(content, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.symlink(target, path)
    return build(tmp_path, content=content), content


def _published(built) -> str:
    """Every byte published, as text (to search for secrets)."""
    chunks = []
    for base, _, names in os.walk(built.output):
        for name in names:
            with open(os.path.join(base, name), "rb") as handle:
                chunks.append(handle.read().decode("utf-8", "replace"))
    return "\n".join(chunks)


def test_symlink_to_git_config_is_an_error_and_nothing_is_published(tmp_path):
    secret = tmp_path / "checkout" / ".git" / "config"
    secret.parent.mkdir(parents=True)
    secret.write_text("[http]\n\textraheader = AUTHORIZATION: basic SECRET-TOKEN-42\n")
    built, _ = _build_with_links(tmp_path, {"files/cau-hinh.txt": str(secret),
                                            "files/quy-che.pdf": str(secret)})
    assert not built.ok
    errors = {p.file for p in safety(built, ERROR) if "symlink" in p.message}
    assert errors == {"content/files/cau-hinh.txt", "content/files/quy-che.pdf"}
    assert "SECRET-TOKEN-42" not in _published(built)


def test_symlinked_folder_out_of_content_is_never_walked(tmp_path):
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (outside / "bi-mat.txt").write_text("SECRET-TOKEN-44")
    (outside / "bi-mat.md").write_text("Title: Bí mật\nDate: 2022-09-05\n\nSECRET-TOKEN-45\n")
    built, content = _build_with_links(tmp_path, {"files/he-thong": str(outside),
                                                  "images/vong": "..",  # a loop
                                                  "tin-tuc/khac": str(outside)})
    assert not built.ok
    errors = {p.file for p in safety(built, ERROR) if "symlink" in p.message}
    assert errors == {"content/files/he-thong", "content/images/vong", "content/tin-tuc/khac"}
    assert not os.path.exists(os.path.join(built.output, "files", "he-thong"))
    published = _published(built)
    assert "SECRET-TOKEN-44" not in published and "SECRET-TOKEN-45" not in published


def test_symlink_inside_content_is_refused_too(tmp_path):
    pdf = b"%PDF-1.4\n%%EOF\n"
    built, _ = _build_with_links(tmp_path, {"files/ban-sao.pdf": "goc.pdf"},
                                 {"files/goc.pdf": pdf})
    assert not built.ok
    assert [p.file for p in safety(built, ERROR)] == ["content/files/ban-sao.pdf"]


def test_static_link_out_of_content_is_refused(tmp_path):
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("SECRET-TOKEN-43")
    built = build(tmp_path, {"tin-tuc/a.md": post(body="[x]({static}/../bi-mat.txt)")})
    assert not built.ok
    assert any("ngoài thư mục content/" in p.message for p in safety(built, ERROR)), \
        built.messages()
    assert "SECRET-TOKEN-43" not in _published(built)
    assert not os.path.exists(os.path.join(tmp_path, "bi-mat.txt.copy"))


def test_symlink_in_the_theme_is_an_error(tmp_path):
    import shutil

    theme = tmp_path / "theme"
    shutil.copytree(os.path.join(ROOT, "theme"), theme)
    os.symlink("/etc/hostname", theme / "static" / "hostname.txt")
    built = build(tmp_path, {"tin-tuc/a.md": post()}, THEME=str(theme))
    assert not built.ok
    assert [p.file for p in safety(built, ERROR)] == ["theme/static/hostname.txt"]
    assert not built.exists("theme/hostname.txt")


def test_symlinks_lists_links_without_following_them(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "f.txt").write_text("x")
    os.symlink("f.txt", tmp_path / "a" / "g.txt")
    os.symlink("/", tmp_path / "a" / "root")
    os.symlink("..", tmp_path / "a" / "up")
    found = {os.path.relpath(p, tmp_path): (t, inside)
             for p, t, inside in files.symlinks(str(tmp_path / "a"))}
    assert found == {"a/g.txt": ("f.txt", True), "a/root": ("/", False),
                     "a/up": ("..", False)}


def test_inline_svg_and_embedded_svg_files_in_a_post_are_removed(tmp_path):
    body = ("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'><script>alert(2)</script>"
            "</svg>\n\n<object data='/files/x.svg'></object><embed src='/files/x.svg'>\n\n"
            "<img src='data:image/svg+xml;base64,PHN2Zz4=' alt='x'>\n\nĐoạn văn.")
    built = build(tmp_path, {"tin-tuc/a.md": post(title="Bài thử", body=body)})
    assert built.ok, built.messages()
    prose = built.soup("tin-tuc/bai-thu/index.html").select_one(".prose")
    assert prose.find(["svg", "script", "object", "embed"]) is None
    assert "data:" not in str(prose) and "alert" not in str(prose)
    assert "Đoạn" in prose.get_text()


def test_symlinked_data_file_is_not_read(tmp_path):
    secret = tmp_path / "config"
    secret.write_text("name: SECRET-TOKEN-47\nemail: SECRET-TOKEN-47\n")
    content = make_site(str(tmp_path), {"tin-tuc/a.md": post()})
    site_yml = os.path.join(content, "data", "site.yml")
    os.remove(site_yml)
    os.symlink(str(secret), site_yml)
    built = build(tmp_path, content=content)
    assert not built.ok
    assert any(p.file == "content/data/site.yml" and "Tệp dữ liệu" in p.message
               for p in built.problems), built.messages()
    assert "SECRET-TOKEN-47" not in built.messages() + built.log
    if os.path.isdir(built.output):
        assert "SECRET-TOKEN-47" not in _published(built)
