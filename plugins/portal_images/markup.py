"""Rewrite the <img> tags of a post into responsive <picture> markup. Pure functions."""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import unquote

from .process import ImageInfo, output_name

# Content column: --measure is 44rem (portal.css), .wrap has 1rem padding on each side.
DEFAULT_SIZES = "(min-width: 46rem) 44rem, calc(100vw - 2rem)"
FALLBACK_SRC_WIDTH = 960  # src for browsers without srcset

TAG = re.compile(r"<picture\b.*?</picture>|<img\b[^>]*>", re.IGNORECASE | re.DOTALL)
ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")
LINK_PREFIX = re.compile(r"^(?:\{(static|attach|filename)\}|\|(static|attach|filename)\|)")


def parse_attrs(tag: str) -> dict[str, str]:
    """Attributes of one start tag, in order; values keep their HTML escaping."""
    inner = re.sub(r"^<img\b|/?>$", "", tag, flags=re.IGNORECASE)
    attrs = {}
    for match in ATTR.finditer(inner):
        name = match.group(1).lower()
        value = next((g for g in match.groups()[1:] if g is not None), "")
        attrs.setdefault(name, value)
    return attrs


def resolve(src: str, source_dir: str, siteurl: str = "") -> str | None:
    """The content-relative path a src points to (images/a.jpg), or None when not local.

    Accepts /images/a.jpg, {static}/images/a.jpg, {static}../images/a.jpg (relative to the
    post's folder, *source_dir*) and SITEURL/images/a.jpg.
    """
    src = html.unescape(src.strip())
    match = LINK_PREFIX.match(src)
    prefixed = bool(match)
    if match:
        src = src[match.end():]
    if siteurl and src.startswith(siteurl.rstrip("/") + "/"):
        src = src[len(siteurl.rstrip("/")):]
    src = unquote(src.split("#")[0].split("?")[0])
    if not src or "://" in src or src.startswith("//") or src.startswith("data:"):
        return None
    if src.startswith("/"):
        path = src[1:]
    elif prefixed:
        path = posixpath.join(source_dir, src)
    else:
        return None
    path = posixpath.normpath(path)
    return None if path.startswith("..") else path


def picture(info: ImageInfo, attrs: dict[str, str], siteurl: str, eager: bool,
            sizes: str = DEFAULT_SIZES) -> str:
    """<picture> with a WebP <source> and the fallback <img>, both with srcset and sizes."""
    base = siteurl.rstrip("/") + "/"

    def srcset(fmt: str) -> str:
        largest = info.largest(fmt).width
        return ", ".join(f"{base}{output_name(info.source, v.width, largest, fmt)} {v.width}w"
                         for v in info.by_format(fmt))

    fallback = info.by_format(info.fallback)
    largest = fallback[-1]
    src_variant = max((v for v in fallback if v.width <= FALLBACK_SRC_WIDTH),
                      key=lambda v: v.width, default=fallback[0])
    src = base + output_name(info.source, src_variant.width, largest.width, info.fallback)
    img = [f'src="{src}"', f'srcset="{srcset(info.fallback)}"', f'sizes="{sizes}"',
           f'width="{largest.width}"', f'height="{largest.height}"']
    for name, value in attrs.items():  # keep the editor's alt, title, class …
        if name not in ("src", "srcset", "sizes", "width", "height", "loading", "decoding"):
            img.append(f'{name}="{value.replace(chr(34), "&quot;")}"')
    if not eager:
        img.append('loading="lazy"')
    img.append('decoding="async"')
    return (f'<picture><source type="image/webp" srcset="{srcset("webp")}" sizes="{sizes}">'
            f'<img {" ".join(img)}></picture>')


def rewrite(content: str, images: dict[str, ImageInfo], source_dir: str, siteurl: str = "",
            sizes: str = DEFAULT_SIZES, eager_first: bool = True) -> tuple[str, list[str]]:
    """Every <img> pointing at a processed photo becomes a <picture>.

    Returns the new HTML and the photos it uses (content-relative paths). An <img> already in
    a <picture>, or pointing elsewhere, is left as it is.
    """
    if "<img" not in content.lower():
        return content, []
    used: list[str] = []

    def replace(match: re.Match) -> str:
        tag = match.group(0)
        if tag[:8].lower() == "<picture":
            return tag
        attrs = parse_attrs(tag)
        path = resolve(attrs.get("src", ""), source_dir, siteurl)
        info = images.get(path) if path else None
        if info is None:
            return tag
        eager = eager_first and not used
        used.append(path)
        return picture(info, attrs, siteurl, eager, sizes)

    return TAG.sub(replace, content), used
