"""The content pipeline run by the core reader once per changed source (cached with it):
the plugins' content filters in order, and the front-matter line map kept in the metadata."""

from __future__ import annotations

import os

from conftest import build, page, post


def test_filters_run_in_pipeline_order_then_in_the_order_added():
    from portal_core.reader import content_filters

    def sanitize(**_):
        return "", []

    def checks(**_):
        return "", []

    def tables(**_):
        return "", []

    tables.order = 60
    assert content_filters({"PORTAL_CONTENT_FILTERS": [tables, sanitize, checks]}) == [
        sanitize, checks, tables]
    assert content_filters({}) == []


def test_table_headers_get_a_scope_in_disclosure_documents_only(tmp_path):
    from portal_disclosure import table_headers

    settings = {"PATH": str(tmp_path), "PORTAL_DISCLOSURE_FOLDER": "cong-khai"}
    html = '<table><tr><th>Mục</th><th scope="row">Năm</th><td>1</td></tr></table>'
    inside = str(tmp_path / "cong-khai" / "2025-2026" / "doi-ngu.md")
    outside = str(tmp_path / "pages" / "gioi-thieu.md")
    new, problems = table_headers(source_path=inside, rel="", text="", metadata={}, html=html,
                                  settings=settings)
    assert problems == []
    assert new == ('<table><tr><th scope="col">Mục</th><th scope="row">Năm</th><td>1</td>'
                   '</tr></table>')
    assert table_headers(source_path=outside, rel="", text="", metadata={}, html=html,
                         settings=settings)[0] == html
    assert table_headers.order > 50  # after the sanitizer, which could drop the attribute


def test_disclosure_tables_in_the_built_page_have_scoped_headers(site):
    text = ("Title: Công khai đội ngũ\nDisclosure: CK-13\nSchool-year: 2025-2026\n"
            "Date: 2026-06-15\n\n| Chức danh | Số người |\n|---|---|\n| Giáo viên | 52 |\n")
    built = site({"cong-khai/2025-2026/doi-ngu.md": text})
    pages = [p for p in built.html_files() if p.startswith("cong-khai/2025-2026/")
             and p != "cong-khai/2025-2026/index.html"]
    assert pages, built.html_files()
    headers = built.soup(pages[0]).find("main").find_all("th")
    assert headers and all(th.get("scope") == "col" for th in headers)


def test_front_matter_lines_travel_in_the_cached_metadata(tmp_path, monkeypatch):
    """A problem found after reading (here portal_topics') names the line of its field, on
    a cold and on a warm build alike, without the source being read again."""
    from portal_core.reader import PortalMarkdownReader

    files = {"tin-tuc/a.md": post("Bài A", Topics="khong-co-chu-de-nay")}
    cold = build(tmp_path, files, LOAD_CONTENT_CACHE=True)

    def no_reading(self, source_path):
        raise AssertionError(f"read again: {source_path}")

    monkeypatch.setattr(PortalMarkdownReader, "read", no_reading)  # the warm build uses the cache
    warm = build(tmp_path, None, content=str(tmp_path / "content"), LOAD_CONTENT_CACHE=True)

    def lines(built):
        return [(p.file, p.field, p.line) for p in built.problems if p.field == "Topics"]

    assert lines(cold) == lines(warm) == [("content/tin-tuc/a.md", "Topics", 4)]


def test_the_reader_keeps_the_line_map(tmp_path):
    from pelican.settings import read_settings

    from conftest import ROOT, make_site
    from portal_core.reader import LINES_KEY, PortalMarkdownReader

    content = make_site(str(tmp_path), {"pages/gioi-thieu.md": page("Giới thiệu", "gioi-thieu")})
    settings = read_settings(os.path.join(ROOT, "pelicanconf.py"), override={"PATH": content})
    _, metadata = PortalMarkdownReader(settings).read(
        os.path.join(content, "pages", "gioi-thieu.md"))
    assert metadata[LINES_KEY] == {"title": 1, "slug": 2}
