"""A school's look without forking: colours (contrast checked to WCAG 2.1 AA, a Vietnamese
error with the ratio), logo and home-page blocks from content/data/giao-dien.yml, and a
template overridden by a file of the same name in the school's theme/templates/."""

from __future__ import annotations

import io
import os

import pytest

from conftest import post
from portal_look import check_colours, check_blocks, contrast


def luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance, written here from the definition (not the plugin's)."""
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ratio(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_the_wcag_ratio():
    for a, b in (("#ffffff", "#0b3d6e"), ("#7fb3e0", "#ffffff"), ("#b3261e", "#f3f6f9")):
        assert contrast(a, b) == pytest.approx(ratio(a, b), rel=1e-3)


def test_a_light_brand_colour_is_refused_with_its_ratio_and_a_darker_one_that_passes():
    _, problems = check_colours({"brand": "#7fb3e0"}, "content/data/giao-dien.yml")
    header = next(p for p in problems if "chữ trắng trên nền màu chính" in p.message)
    assert header.field == "colours.brand" and header.value == "#7fb3e0"
    white_on_brand = f"{ratio('#ffffff', '#7fb3e0'):.2f}".replace(".", ",") + ":1"
    assert white_on_brand in header.message and "4,50:1" in header.message
    assert "WCAG 2.1 AA" in header.message
    suggested = header.hint.split('"')[1]
    assert ratio("#ffffff", suggested) >= 4.5 > ratio("#ffffff", "#7fb3e0")
    # links in the brand colour on white fail too, each pair said once
    assert any("liên kết màu chính trên nền trắng" in p.message for p in problems)


def test_colours_that_pass_and_colours_that_are_not_colours():
    colours, problems = check_colours({"brand": "#14532d", "accent": "darkred"}, "f")
    assert problems == [] and colours == {"brand": "#14532d", "accent": "#8b0000"}
    _, problems = check_colours({"brand": "xanh dương"}, "f")
    assert problems[0].message == "Không phải một màu." and "#0b3d6e" in problems[0].hint
    _, problems = check_colours({"nen": "#ffffff"}, "f")
    assert problems[0].field == "colours.nen" and "brand" in problems[0].hint


def test_home_blocks_take_plain_text_and_safe_links_only():
    blocks, problems = check_blocks([
        {"title": "Lịch tiếp dân", "text": "Sáng thứ Bảy.\n\nTại phòng Hội đồng.",
         "links": [{"title": "Liên hệ", "url": "lien-he/"},
                   {"title": "Sở", "url": "https://so.example.vn/"}]},
        {"title": "Xấu", "links": [{"title": "x", "url": "javascript:alert(1)"}]},
    ], "f")
    assert blocks[0]["paragraphs"] == ["Sáng thứ Bảy.", "Tại phòng Hội đồng."]
    assert [link["external"] for link in blocks[0]["links"]] == [False, True]
    assert [p.field for p in problems] == ["home_blocks[1].links[0]"]


def logo_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (96, 96), (11, 61, 110)).save(buffer, "PNG")
    return buffer.getvalue()


LOOK = """\
logo: images/logo.png
colours:
  brand: "#14532d"
  brand_dark: "#052e16"
home_blocks:
  - title: Lịch tiếp cha mẹ học sinh
    text: Ban Giám hiệu tiếp cha mẹ học sinh sáng thứ Bảy hằng tuần.
    links:
      - {title: Liên hệ, url: lien-he/}
"""


def test_the_look_reaches_every_page(site):
    built = site({"data/giao-dien.yml": LOOK, "images/logo.png": logo_png(),
                  "tin-tuc/2026/a.md": post("Tin một", "2026-10-01 07:00")})
    assert built.ok, built.messages()
    css = built.read("giao-dien/mau.css")
    assert "--brand: #14532d" in css and "--brand-dark: #052e16" in css
    for page in ("index.html", "tin-tuc/tin-mot/index.html"):
        soup = built.soup(page)
        links = [link["href"] for link in soup.select('link[rel="stylesheet"]')]
        assert links[-1] == "/giao-dien/mau.css"  # after the theme's: its variables win
        assert soup.select_one(".site-name img")["src"] == "/images/logo.png"
    home = built.soup("index.html")
    block = home.select_one("section.home-block")
    assert block.h2.get_text() == "Lịch tiếp cha mẹ học sinh"
    assert block.a["href"] == "/lien-he/"
    assert built.exists("images/logo.png")


def test_a_colour_below_aa_stops_the_build_in_vietnamese(site):
    built = site({"data/giao-dien.yml": 'colours:\n  brand: "#7fb3e0"\n'})
    assert not built.ok
    problem = next(p for p in built.problems if p.plugin == "portal_look")
    assert problem.file.endswith("content/data/giao-dien.yml") or problem.file.endswith(
        "giao-dien.yml")
    assert "Độ tương phản" in problem.message and ":1" in problem.message
    assert not os.path.exists(built.path("index.html"))


def test_a_logo_outside_content_or_missing_is_refused(site):
    built = site({"data/giao-dien.yml": "logo: ../pelicanconf.py\n"})
    assert not built.ok
    assert any(p.field == "logo" and "Không tìm thấy" in p.message for p in built.problems)


# --- a template of the school's own ----------------------------------------------------------

def test_a_template_in_the_schools_theme_folder_overrides_the_packages(site, tmp_path):
    templates = tmp_path / "theme" / "templates"
    (templates / "partials").mkdir(parents=True)
    # extending the package's own template with the !theme/ prefix, one block replaced
    (templates / "index.html").write_text(
        '{% extends "!theme/index.html" %}\n{% block home_extra %}'
        '<section id="lich-tuan"><h2>Lịch công tác tuần</h2></section>{% endblock %}\n',
        encoding="utf-8")
    # a partial replaced whole, used by every page that includes it
    (templates / "partials" / "search_form.html").write_text(
        '<p class="tim-rieng">Tìm kiếm riêng của trường</p>\n', encoding="utf-8")
    built = site({"tin-tuc/2026/a.md": post("Tin một", "2026-10-01 07:00")})
    assert built.ok, built.messages()
    home = built.soup("index.html")
    assert home.select_one("#lich-tuan h2").get_text() == "Lịch công tác tuần"
    assert home.select_one("#home-news") is not None  # the rest of the package's home page
    article = built.soup("tin-tuc/tin-mot/index.html")
    assert article.select_one(".tim-rieng").get_text() == "Tìm kiếm riêng của trường"
    assert article.select_one("#lich-tuan") is None
