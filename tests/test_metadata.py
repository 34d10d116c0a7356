"""portal_metadata: share-preview covers (Open Graph, Twitter), robots.txt."""

from __future__ import annotations

import os

import pytest

from conftest import ROOT, post
from portal_metadata.pages import cover_problem, normalise_cover, robots_txt


@pytest.mark.parametrize("value, expected", [
    ("images/2022/khai-giang.jpg", "images/2022/khai-giang.jpg"),
    ("/images/a.png", "images/a.png"),
    ("{static}/images/a.png", "images/a.png"),
    ("", ""),
])
def test_normalise_cover(value, expected):
    assert normalise_cover(value) == expected


def test_cover_problems(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.jpg").write_bytes(b"x")
    assert cover_problem("images/a.jpg", str(tmp_path)) is None
    assert "trang web khác" in cover_problem("https://cdn.example.com/a.jpg", str(tmp_path))[0]
    assert "tệp ảnh" in cover_problem("images/a.pdf", str(tmp_path))[0]
    assert "Không tìm thấy" in cover_problem("images/b.jpg", str(tmp_path))[0]


def test_robots():
    text = robots_txt("https://nguyentrai-nd.edu.vn/")
    assert "Sitemap: https://nguyentrai-nd.edu.vn/sitemap.xml" in text.splitlines()
    assert "User-agent: *" in text
    assert "Sitemap:" not in robots_txt("").replace("# Sitemap", "")


def test_cover_becomes_the_share_image(site):
    with open(os.path.join(ROOT, "content", "files", "share.png"), "rb") as handle:
        png = handle.read()  # any real PNG
    files = {"images/khai-giang.png": png,
             "tin-tuc/a.md": post("Lễ khai giảng", Cover="images/khai-giang.png",
                                  Cover_alt="Học sinh dự lễ khai giảng trên sân trường")}
    result = site(files)
    assert result.ok, result.messages()
    soup = result.soup("tin-tuc/le-khai-giang/index.html")
    assert soup.find("meta", property="og:image")["content"] == \
        "https://nguyentrai-nd.edu.vn/images/khai-giang.png"
    assert soup.find("meta", property="og:image:alt")["content"] == \
        "Học sinh dự lễ khai giảng trên sân trường"
    assert soup.find("meta", attrs={"name": "twitter:image"})["content"].endswith(
        "/images/khai-giang.png")


@pytest.mark.parametrize("meta, field", [
    ({"Cover": "images/khong-co.png", "Cover_alt": "Ảnh"}, "Cover"),
    ({"Cover": "https://anh.example.com/a.png", "Cover_alt": "Ảnh"}, "Cover"),
    ({"Cover": "images/co.png"}, "Cover-alt"),
])
def test_cover_mistakes_are_problems(site, meta, field):
    with open(os.path.join(ROOT, "content", "files", "share.png"), "rb") as handle:
        png = handle.read()
    result = site({"images/co.png": png, "tin-tuc/a.md": post("Bài", **meta)})
    found = [p for p in result.problems if p.plugin == "portal_metadata"]
    assert [p.field for p in found] == [field]
    assert found[0].file == "content/tin-tuc/a.md" and found[0].message
    assert not result.ok  # errors stop the build


def test_each_plugin_adds_its_own_jinja_filters_at_initialized(tmp_path):
    """pelicanconf.py names no filter; portal_core and portal_search add theirs before the
    generators make their Jinja environments (a page using them renders)."""
    from pelican import Pelican
    from pelican.settings import read_settings

    from conftest import make_site

    settings = read_settings(os.path.join(ROOT, "pelicanconf.py"), override={
        "PATH": make_site(str(tmp_path), {"tin-tuc/a.md": post("Bài")}),
        "OUTPUT_PATH": str(tmp_path / "output"), "CACHE_PATH": str(tmp_path / "cache")})
    assert not settings.get("JINJA_FILTERS")
    Pelican(settings)  # sends initialized
    assert {"vn_date", "typo_title", "iso_date", "search_tokens"} <= set(settings["JINJA_FILTERS"])
