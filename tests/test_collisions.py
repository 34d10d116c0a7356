"""Collisions across kinds: a page or category whose URL lies where Pelican or a plugin writes
(portal_core.checks: claims from the plugins' settings and OWN_OUTPUTS)."""

from __future__ import annotations

import os

import pytest

from conftest import ROOT, page, post
from portal_core import checks

# ---------------------------------------------------------------------------- pure


@pytest.mark.parametrize("value, folder, claim", [
    ("tu-khoa/{slug}/index.html", False, "tu-khoa/"),
    ("tim-kiem/", False, "tim-kiem/"),
    ("/feeds/tat-ca.atom.xml", False, "feeds/"),
    ("bao-cao/truyen-thong/{year}/", False, "bao-cao/"),
    ("index.html", False, "index.html"),
    ("cong-khai", True, "cong-khai/"),
    ("{slug}/index.html", False, None),  # a page's or category's own pattern
    ("feeds/{slug}.atom.xml", False, "feeds/"),
    ("{slug}.html", False, None),
    ("", False, None), (None, False, None), ("https://truong.edu.vn", False, None),
])
def test_claim_path(value, folder, claim):
    assert checks.claim_path(value, folder) == claim


def test_setting_claims_name_their_owner():
    settings = {
        "TAG_URL": "tu-khoa/{slug}/", "TAG_SAVE_AS": "tu-khoa/{slug}/index.html",
        "AUTHOR_URL": "tac-gia/{slug}/", "AUTHOR_SAVE_AS": "",  # not written: no claim
        "PAGE_SAVE_AS": "{slug}/index.html", "ARTICLE_SAVE_AS": "{category}/{slug}/index.html",
        "CATEGORY_URL": "{slug}/", "DRAFT_PAGE_URL": "drafts/pages/{slug}.html",
        "SITEURL": "https://truong.edu.vn", "FEED_DOMAIN": "https://truong.edu.vn",
        "FEED_ALL_ATOM": "feeds/tat-ca.atom.xml", "TAG_FEED_ATOM": None,
        "PORTAL_ARCHIVE_URL": "luu-tru/", "PORTAL_DISCLOSURE_FOLDER": "cong-khai",
        "STATIC_PATHS": ["images"], "DIRECT_TEMPLATES": ["index", "404"],
        "INDEX_SAVE_AS": "index.html",
    }
    owners = {"PORTAL_ARCHIVE_URL": "portal_archive", "PORTAL_DISCLOSURE_FOLDER":
              "portal_disclosure"}
    claims = {(c.path, c.owner) for c in checks.setting_claims(settings, owners)}
    assert claims == {("tu-khoa/", "Pelican"), ("feeds/", "Pelican"), ("index.html", "Pelican"),
                      ("luu-tru/", "portal_archive"), ("cong-khai/", "portal_disclosure"),
                      ("404.html", "Pelican")}
    # a plugin that is not enabled claims nothing
    del owners["PORTAL_DISCLOSURE_FOLDER"]
    assert "cong-khai/" not in {c.path for c in checks.setting_claims(settings, owners)}


CLAIMS = [checks.Claim("chu-de/", "portal_topics", "PORTAL_TOPICS_URL = chu-de/"),
          checks.Claim("cong-khai/", "portal_disclosure", "PORTAL_DISCLOSURE_FOLDER = cong-khai"),
          checks.Claim("muc-luc/index.html", "portal_sections", "OWN_OUTPUTS"),
          checks.Claim("van-ban/co-quan/", "portal_sections", "OWN_OUTPUTS")]


@pytest.mark.parametrize("save_as, folder, owner", [
    ("chu-de/index.html", "pages", "portal_topics"),
    ("chu-de/gioi-thieu/index.html", "pages", "portal_topics"),  # anywhere under the folder
    ("cong-khai/index.html", "pages", "portal_disclosure"),
    ("cong-khai/2025-2026/doi-ngu/index.html", "cong-khai", None),  # the plugin's own document
    ("muc-luc/index.html", "pages", "portal_sections"),
    ("muc-luc/khac/index.html", "pages", None),  # a claimed file, not a folder
    ("van-ban/co-quan/so-gddt/index.html", "pages", "portal_sections"),
    ("van-ban/index.html", "pages", None),  # a section's own page is not a collision
    ("gioi-thieu/index.html", "pages", None),
])
def test_claimed_collisions(save_as, folder, owner):
    problems = checks.claimed_collisions([(save_as, f"{folder}/x.md", "Trang", folder)], CLAIMS)
    assert [owner in p.message for p in problems] == ([True] if owner else [])
    for p in problems:  # names both: the file and what owns the URL
        assert f"{folder}/x.md" in p.message and p.file == f"{folder}/x.md"
        assert p.value == save_as and "Slug" in p.hint


# ---------------------------------------------------------------------------- builds

NEWS = {"tin-tuc/a.md": post(Tags="khai giảng, học phí")}  # tag pages live in /tu-khoa/


@pytest.mark.parametrize("slug, owner, setting", [
    ("chu-de", "portal_topics", "PORTAL_TOPICS"),
    ("luu-tru", "portal_archive", "PORTAL_ARCHIVE_URL"),
    ("tim-kiem", "Pelican", "SEARCH_SAVE_AS"),
    ("cong-khai", "portal_disclosure", "PORTAL_DISCLOSURE_FOLDER"),
    ("tuan-thu", "portal_sections", "OWN_OUTPUTS"),
    ("muc-luc", "portal_sections", "OWN_OUTPUTS"),
    ("bao-cao", "portal_topics", "PORTAL_REPORT"),
    ("tu-khoa", "Pelican", "TAGS_SAVE_AS"),
    ("feeds", "Pelican", "FEED_ALL_ATOM"),
    ("pagefind", "portal_search", "OWN_OUTPUTS"),
    ("theme", "Pelican", "THEME_STATIC_DIR"),
])
def test_page_on_a_plugins_url_is_a_problem_naming_both(site, slug, owner, setting):
    built = site({**NEWS, "pages/trang.md": page(title="Trang thử", slug=slug)})
    assert not built.ok
    found = [p for p in built.problems
             if p.file == "content/pages/trang.md" and p.field == "Slug"]
    assert found, built.messages()
    assert len(found) == 1, built.messages()  # one problem, even where the plugin checks too
    text = found[0].message
    assert "pages/trang.md" in text and owner in text and setting in text, text
    assert f"/{slug}/" in text
    assert not built.exists(f"{slug}/index.html")  # the build stopped before writing


def test_category_on_a_plugins_url_is_a_problem(site):
    with open(os.path.join(ROOT, "content", "data", "site.yml"), encoding="utf-8") as handle:
        data = handle.read().replace(
            "categories:\n", "categories:\n  - name: Tìm kiếm\n    slug: tim-kiem\n"
            "    folder: tin-tuc\n    description: Thử.\n", 1)
    built = site({"data/site.yml": data,
                  "tin-tuc/a.md": post(category="Tìm kiếm")})
    assert not built.ok
    found = [p for p in built.problems if p.value == "tim-kiem/index.html"]
    assert found and "Tìm kiếm" in found[0].message and "SEARCH_SAVE_AS" in found[0].message, \
        built.messages()


@pytest.mark.parametrize("files", [
    {"pages/van-ban.md": page(title="Văn bản", slug="van-ban")},  # a section's own text
    {"pages/gioi-thieu.md": page(title="Giới thiệu", slug="gioi-thieu")},
    {"cong-khai/2025-2026/doi-ngu.md":  # a disclosure document in the plugin's own folder
     "Title: Đội ngũ\nDisclosure: CK-13\nSchool-year: 2025-2026\nDate: 2026-06-15\n\n"
     "| A | B |\n|---|---|\n| 1 | 2 |\n"},
])
def test_pages_that_own_their_url_are_not_collisions(site, files):
    built = site({**NEWS, **files})
    assert built.ok, built.messages()
    assert not [p for p in built.problems if p.field == "Slug"]


def test_page_with_a_category_slug_names_both(site):
    built = site({**NEWS, "pages/tin.md": page(title="Tin", slug="tin-tuc")})
    assert not built.ok
    found = {p.file: p for p in built.problems if p.value == "tin-tuc/index.html"}
    assert set(found) == {"content/pages/tin.md", "(categories: Tin tức)"}, built.messages()
    for p in found.values():
        assert "pages/tin.md" in p.message and "Tin tức" in p.message
        assert "chuyên mục" in p.message and "dấu thanh" not in p.message
