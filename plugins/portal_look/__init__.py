"""portal_look: a school's look without forking the theme, from content/data/giao-dien.yml.

- ``logo``: an image of content/ shown beside the school's name in the header;
- ``colours``: the theme's main colours (``brand``, ``brand_dark``, ``accent``), written to
  ``/giao-dien/mau.css`` after the theme's stylesheet; every pair of text and background they
  make is checked against WCAG 2.1 AA (4.5:1) and a pair below it stops the build, with the
  ratio and a darker colour that passes;
- ``home_blocks``: blocks on the home page (a title, a short text, links).

Extra menu entries are content/data/sections.yml's ``links:`` (portal_sections). A template is
overridden by a file of the same name in the school's theme/templates/ (README). Colour
parsing and contrast are coloraide's (CSS colours: #0b3d6e, rgb(…), names).
"""

from __future__ import annotations

import os

from pelican import signals
from pelican.generators import Generator

from portal_core import state
from portal_core.data import load_yaml
from portal_core.problems import ERROR, Problem

PLUGIN = "portal_look"
DEFAULTS = {
    "PORTAL_LOOK_DATA": "giao-dien.yml",  # in content/data/, optional
    "PORTAL_LOOK_CSS": "giao-dien/mau.css",
}
OWN_OUTPUTS = ("giao-dien/mau.css",)
# The theme's own values (theme/static/css/portal.css :root), used for a colour not given.
THEME_COLOURS = {"brand": "#0b3d6e", "brand_dark": "#072a4d", "accent": "#b3261e"}
WHITE, SOFT = "#ffffff", "#f3f6f9"
COLOUR_NAMES = {"brand": "màu chính", "brand_dark": "màu chính đậm", "accent": "màu nhấn"}
# (text, background, what it is on the page): every pair portal.css draws with these colours.
PAIRS = [
    (WHITE, "brand", "chữ trắng trên nền màu chính (đầu trang)"),
    (WHITE, "brand_dark", "chữ trắng trên nền màu chính đậm (thanh trình đơn)"),
    ("brand", WHITE, "liên kết màu chính trên nền trắng"),
    ("brand", SOFT, "liên kết màu chính trên nền xám nhạt (ô lối vào, tiêu đề bảng)"),
    ("brand_dark", WHITE, "tiêu đề, mục trình đơn đang chọn (màu chính đậm trên nền trắng)"),
    ("accent", WHITE, "liên kết khi trỏ chuột (màu nhấn trên nền trắng)"),
]
AA = 4.5
LOGO_TYPES = (".png", ".jpg", ".jpeg", ".svg", ".webp")
KEYS = ("logo", "colours", "home_blocks")


def _problem(file, field, value, message, hint="") -> Problem:
    return Problem(file, field, str(value), message, hint, severity=ERROR, plugin=PLUGIN)


def ratio_text(ratio: float) -> str:
    return f"{ratio:.2f}".replace(".", ",") + ":1"


def contrast(text: str, background: str) -> float:
    from coloraide import Color

    return Color(text).contrast(Color(background), method="wcag21")


def darker_passing(colour: str, other: str) -> str:
    """The colour darkened (OKLCH lightness) until it reaches 4.5:1 against *other*."""
    from coloraide import Color

    shade = Color(colour).convert("oklch")
    while shade["lightness"] > 0 and Color(other).contrast(shade, method="wcag21") < AA:
        shade["lightness"] = max(0.0, shade["lightness"] - 0.01)
    return shade.convert("srgb").fit("srgb").to_string(hex=True)


def check_colours(raw, file: str) -> tuple[dict, list[Problem]]:
    """The school's colours as hex, and a problem for each that is not a colour or makes a
    pair of text and background below WCAG 2.1 AA."""
    from coloraide import Color

    if raw in (None, {}):
        return {}, []
    if not isinstance(raw, dict):
        return {}, [_problem(file, "colours", raw, "«colours:» phải là một bảng.",
                             'Ví dụ:\n        colours:\n          brand: "#0b3d6e"')]
    problems, colours = [], {}
    for key, value in raw.items():
        if key not in THEME_COLOURS:
            problems.append(_problem(file, f"colours.{key}", value, "Không có màu này.",
                                     "Dùng: " + ", ".join(f"{k} ({COLOUR_NAMES[k]})"
                                                          for k in THEME_COLOURS)))
            continue
        try:
            colours[key] = Color(str(value)).convert("srgb").fit("srgb").to_string(hex=True)
        except ValueError:
            problems.append(_problem(file, f"colours.{key}", value, "Không phải một màu.",
                                     'Viết mã màu dạng "#0b3d6e" (trong ngoặc kép).'))
    if problems:
        return {}, problems
    full = {**THEME_COLOURS, **colours}
    for text, background, what in PAIRS:
        if text not in colours and background not in colours:
            continue  # the theme's own pairs pass (checked by the accessibility gate)
        fg, bg = full.get(text, text), full.get(background, background)
        ratio = contrast(fg, bg)
        if ratio < AA:
            key = text if text in full else background
            fixed = darker_passing(full[key], bg if key == text else fg)
            problems.append(_problem(
                file, f"colours.{key}", full[key],
                f"Độ tương phản của {what} là {ratio_text(ratio)}, dưới mức {ratio_text(AA)} "
                "của WCAG 2.1 AA: người nhìn kém, người đọc dưới nắng không đọc được.",
                f"Chọn {COLOUR_NAMES[key]} đậm hơn, ví dụ {key}: \"{fixed}\"."))
    return colours, problems


def check_logo(value, settings, file: str) -> tuple[str, list[Problem]]:
    if not value:
        return "", []
    rel = str(value).replace("\\", "/").lstrip("/")
    content = os.path.abspath(settings["PATH"])
    path = os.path.abspath(os.path.join(content, rel))
    hint = "Đặt ảnh trong content/images/ và ghi «logo: images/logo.png» (PNG, JPEG, SVG hoặc WebP)."
    if os.path.commonpath([content, path]) != content or not os.path.isfile(path) \
            or os.path.islink(path):
        return "", [_problem(file, "logo", value, "Không tìm thấy ảnh biểu trưng trong content/.",
                             hint)]
    if not rel.lower().endswith(LOGO_TYPES):
        return "", [_problem(file, "logo", value, "Biểu trưng phải là ảnh.", hint)]
    static = settings.get("STATIC_PATHS") or []
    if not any(rel.startswith(folder.rstrip("/") + "/") for folder in static):
        return "", [_problem(file, "logo", value, "Ảnh không nằm trong thư mục được xuất bản.",
                             hint)]
    return rel, []


def _safe_url(url: str) -> bool:
    url = url.strip()
    return url.startswith("https://") or (not url.startswith(("//", "javascript:", "data:"))
                                          and "://" not in url and ":" not in url.split("/")[0])


def check_blocks(raw, file: str) -> tuple[list[dict], list[Problem]]:
    if raw in (None, []):
        return [], []
    example = ("Ví dụ:\n        home_blocks:\n          - title: Lịch công tác tuần\n"
               "            text: Lịch họp, sinh hoạt chuyên môn của tuần.\n"
               "            links: [{title: Xem lịch, url: van-ban/}]")
    if not isinstance(raw, list):
        return [], [_problem(file, "home_blocks", raw, "«home_blocks:» phải là một danh sách.",
                             example)]
    blocks, problems = [], []
    for index, item in enumerate(raw):
        where = f"home_blocks[{index}]"
        if not isinstance(item, dict) or not item.get("title") or not (
                item.get("text") or item.get("links")):
            problems.append(_problem(file, where, item, "Mỗi khối cần «title» và «text» hoặc "
                                     "«links».", example))
            continue
        links = []
        for number, link in enumerate(item.get("links") or []):
            if not isinstance(link, dict) or not link.get("title") or not link.get("url") \
                    or not _safe_url(str(link["url"])):
                problems.append(_problem(file, f"{where}.links[{number}]", link,
                                         "Liên kết cần «title» và «url» (trang của cổng như "
                                         "«tuyen-sinh/», hoặc địa chỉ https://).", example))
                continue
            links.append({"title": str(link["title"]), "url": str(link["url"]).strip(),
                          "external": str(link["url"]).strip().startswith("https://")})
        paragraphs = [p.strip() for p in str(item.get("text") or "").split("\n\n") if p.strip()]
        blocks.append({"title": str(item["title"]), "paragraphs": paragraphs, "links": links})
    return blocks, problems


def initialized(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    settings["PORTAL_LOOK"] = {}
    path = os.path.join(settings["PATH"], settings.get("PORTAL_DATA_PATH", "data"),
                        settings["PORTAL_LOOK_DATA"])
    if not os.path.exists(path):
        return
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    data, problems = load_yaml(path, base, plugin=PLUGIN)
    rel = state.rel(settings, path)
    run = state.current(settings)
    run.add(*problems)
    if data is None:
        return
    if not isinstance(data, dict):
        run.add(_problem(rel, "", "", "Tệp phải là một bảng khóa: giá trị.",
                         "Ví dụ: logo: images/logo.png"))
        return
    for key in sorted(set(data) - set(KEYS)):
        run.add(_problem(rel, key, data[key], "Khóa không được hỗ trợ.", "Dùng: " + ", ".join(KEYS)))
    colours, problems = check_colours(data.get("colours"), rel)
    run.add(*problems)
    logo, problems = check_logo(data.get("logo"), settings, rel)
    run.add(*problems)
    blocks, problems = check_blocks(data.get("home_blocks"), rel)
    run.add(*problems)
    settings["PORTAL_LOOK"] = {"logo": logo, "home_blocks": blocks,
                               "css": settings["PORTAL_LOOK_CSS"] if colours else "",
                               "colours": colours}


def stylesheet(colours: dict) -> str:
    """The school's colours as the theme's CSS variables."""
    names = {"brand": "--brand", "brand_dark": "--brand-dark", "accent": "--accent"}
    body = "; ".join(f"{names[k]}: {v}" for k, v in sorted(colours.items()))
    return f"/* Màu của nhà trường: content/data/giao-dien.yml */\n:root {{ {body}; }}\n"


class LookGenerator(Generator):
    def generate_context(self):
        pass

    def generate_output(self, writer):
        look = self.settings.get("PORTAL_LOOK") or {}
        if not look.get("css"):
            return
        path = os.path.join(self.output_path, look["css"])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(stylesheet(look["colours"]))


def get_generators(pelican):
    return LookGenerator


def register():
    signals.initialized.connect(initialized)
    signals.get_generators.connect(get_generators)
