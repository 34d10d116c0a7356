"""Whole-site checks run once every generator has read its content (pure functions)."""

from __future__ import annotations

import dataclasses
import os
from collections import defaultdict

from .problems import Problem

CONTENT_LISTS = ("articles", "translations", "drafts", "drafts_translations", "hidden_articles",
                 "hidden_translations", "pages", "hidden_pages", "draft_pages",
                 "draft_translations")


def content_objects(generators) -> list:
    """Every content object the generators produced, published or not."""
    seen, found = set(), []
    for generator in generators:
        for attr in CONTENT_LISTS:
            for item in getattr(generator, attr, None) or []:
                if id(item) not in seen:
                    seen.add(id(item))
                    found.append(item)
    return found


def public_content(generators) -> tuple[list, list]:
    """(articles, pages) that are written to the site: published and hidden ones, each once."""
    articles, pages, seen = [], [], set()
    for generator in generators:
        for attr, into in (("articles", articles), ("hidden_articles", articles),
                           ("pages", pages), ("hidden_pages", pages)):
            for item in getattr(generator, attr, None) or []:
                if id(item) not in seen:
                    seen.add(id(item))
                    into.append(item)
    return articles, pages


def freeze_urls(objects) -> int:
    """Keep each post's and page's URL once every generator has finished with it.

    Pelican recomputes ``url`` from the metadata every time a template asks (a copy of the
    metadata and a relative path each time: about 17,000 times for 1,000 posts); it returns
    ``override_url`` instead when an object has one. ``save_as`` is left alone: an
    ``override_save_as`` would also let a later page overwrite the file silently.
    Returns how many URLs were frozen.
    """
    frozen = 0
    for item in objects:
        if not hasattr(item, "override_url"):
            item.override_url = item.url
            frozen += 1
    return frozen


def markdown_sources(content_path: str, ignore: list[str]) -> list[str]:
    """Every Markdown file under content/ (absolute paths), minus ignored folders."""
    found = []
    for root, dirs, files in os.walk(content_path):
        dirs[:] = sorted(d for d in dirs if d not in ignore and not d.startswith("."))
        found += [os.path.join(root, f) for f in sorted(files) if f.endswith((".md", ".markdown"))]
    return found


def dropped_sources(sources: list[str], produced: set[str], failed: dict[str, str],
                    rel) -> list[Problem]:
    """Problems for Markdown files that became no content: Pelican never drops silently."""
    problems = []
    for path in sources:
        if os.path.abspath(path) in produced:
            continue
        reason = failed.get(os.path.abspath(path), "")
        problems.append(Problem(
            rel(path), "", "", "Bài không được xuất bản: Pelican đã bỏ qua tệp này"
            + (f" ({reason})." if reason else "."),
            "Kiểm tra phần đầu bài (Title, Date, Category) và định dạng Markdown."))
    return problems


def output_collisions(items: list[tuple[str, str, str]]) -> list[Problem]:
    """Problems for outputs written by two sources: (save_as, source, label) triples."""
    by_output: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for save_as, source, label in items:
        if save_as:
            by_output[save_as].append((source, label))
    problems = []
    for save_as, owners in sorted(by_output.items()):
        if len({source for source, _ in owners}) < 2:
            continue
        names = "; ".join(f"{source} («{label}»)" for source, label in owners)
        across = any(source.startswith("(") for source, _ in owners)  # a category or tag
        for source, _ in owners:
            problems.append(Problem(
                source, "Slug", save_as,
                f"Trùng đường dẫn với tệp khác: {names}. " + (
                    "Một trang không được dùng đường dẫn của chuyên mục hoặc thẻ." if across else
                    "Các tiêu đề chỉ khác nhau ở dấu thanh cho ra cùng một đường dẫn."),
                "Đặt «Slug: …» khác cho trang (chuyên mục và thẻ giữ đường dẫn của chúng)."
                if across else
                "Đặt «Slug: …» khác nhau cho từng bài (chữ thường không dấu, gạch nối)."))
    return problems


def taxonomy_collisions(articles, attr: str, field: str) -> list[Problem]:
    """Tags (or categories) whose names differ only by tone marks share one slug: report."""
    names_by_slug: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for article in articles:
        values = getattr(article, attr, None) or []
        if not isinstance(values, list):
            values = [values]
        for value in values:
            names_by_slug[value.slug][value.name].append(article.relative_source_path)
    problems = []
    for slug, names in sorted(names_by_slug.items()):
        if len(names) < 2:
            continue
        listing = "; ".join(f"«{name}» trong {', '.join(sorted(set(files)))}"
                            for name, files in sorted(names.items()))
        for name, files in sorted(names.items()):
            for file in sorted(set(files)):
                problems.append(Problem(
                    file, field, name,
                    f"Các tên chỉ khác nhau ở dấu thanh sẽ bị gộp làm một ({slug}): {listing}.",
                    "Thống nhất một cách viết cho tất cả các bài."))
    return problems


# ---------------------------------------------------------------------------- claimed URLs

# Settings that name what Pelican or a plugin writes: TAGS_SAVE_AS, SEARCH_URL, FEED_ALL_ATOM,
# PORTAL_TOPIC_FEED, PORTAL_DISCLOSURE_FOLDER … Posts' and pages' own patterns are not claims.
OUTPUT_SETTING_ENDINGS = ("_SAVE_AS", "_URL", "_FEED", "_FOLDER", "_DIR")
CONTENT_SETTINGS = ("ARTICLE_", "PAGE_", "DRAFT_", "STATIC_", "SITEURL", "FEED_DOMAIN")


@dataclasses.dataclass(frozen=True)
class Claim:
    """A part of the output another kind of thing writes: a folder ("chu-de/") or a file."""

    path: str  # "chu-de/" (the whole top-level folder) or "robots.txt" (one file)
    owner: str  # "portal_topics", "Pelican", "tệp tĩnh" …
    source: str  # what says so: "PORTAL_TOPICS_URL = chu-de/"


def claim_path(value, folder: bool = False) -> str | None:
    """The top-level folder ("tu-khoa/") or root file ("index.html") a URL or save_as pattern
    claims; None when it starts with a placeholder ("{slug}/index.html") or is empty."""
    if not isinstance(value, str) or "://" in value:
        return None
    fixed = value.split("{", 1)[0].lstrip("/")
    if not fixed:
        return None
    if "/" in fixed:
        return fixed.split("/", 1)[0] + "/"
    if folder:
        return fixed + "/"
    return fixed if "{" not in value else None


def setting_claims(settings: dict, owners: dict[str, str]) -> list[Claim]:
    """Claims named by settings: Pelican's own (tags, search, feeds, theme files) and every
    enabled plugin's (owners maps a setting to the plugin whose DEFAULTS has it)."""
    claims = []
    for key, value in sorted(settings.items()):
        if not key.endswith(OUTPUT_SETTING_ENDINGS) and "FEED_" not in key:
            continue
        if key.startswith(CONTENT_SETTINGS) or key.startswith("CATEGORY_URL"):
            continue
        if key.startswith("PORTAL_") and key not in owners:
            continue  # a setting of a plugin that is not enabled
        if key.endswith("_URL") and settings.get(key[:-4] + "_SAVE_AS", None) == "":
            continue  # a URL of pages that are not written (AUTHOR_URL with AUTHOR_SAVE_AS "")
        path = claim_path(value, folder=key.endswith(("_FOLDER", "_DIR")))
        if path:
            claims.append(Claim(path, owners.get(key, "Pelican"), f"{key} = {value}"))
    for name in settings.get("DIRECT_TEMPLATES") or []:
        if f"{name.upper()}_SAVE_AS" not in settings:
            claims.append(Claim(f"{name}.html", "Pelican", f"DIRECT_TEMPLATES: {name}"))
    return claims


def declared_claims(declared: dict[str, list[str]]) -> list[Claim]:
    """Claims a plugin declares in a module-level OWN_OUTPUTS (outputs no setting names): a
    file ("muc-luc/index.html") or a whole folder ending in "/" ("pagefind/")."""
    claims = []
    for plugin, outputs in declared.items():
        for output in outputs:
            path = str(output).split("{", 1)[0].lstrip("/")
            if path:
                claims.append(Claim(path, plugin, f"{plugin}.OWN_OUTPUTS: {output}"))
    return claims


def claimed_collisions(items: list[tuple[str, str, str, str]], claims: list[Claim]
                       ) -> list[Problem]:
    """Pages, categories and tags whose output lies where a plugin or Pelican writes.

    *items* are (save_as, source, label, folder): folder is the source's top-level folder in
    content/ ("cong-khai" for content/cong-khai/…); a page inside the folder a plugin claims
    for its content (PORTAL_DISCLOSURE_FOLDER) is that plugin's own document, not a collision.
    """
    problems = []
    for save_as, source, label, folder in items:
        if not save_as:
            continue
        top = save_as.split("/", 1)[0] + "/" if "/" in save_as else save_as
        hits = [c for c in claims if c.path != folder + "/" and (
            c.path == save_as or (c.path.endswith("/") and save_as.startswith(c.path)))]
        if not hits:
            continue
        owners: dict[str, list[str]] = defaultdict(list)
        for claim in hits:
            owners[claim.owner].append(claim.source)
        named = "; ".join(f"{owner} ({', '.join(sources)})" for owner, sources in owners.items())
        url = "/" + save_as.removesuffix("index.html")
        problems.append(Problem(
            source, "Slug", save_as,
            f"Đường dẫn {url} của «{label}» ({source}) trùng với phần do {named} tạo ra: "
            "một trong hai sẽ bị ghi đè hoặc bị mất.",
            f"Đặt «Slug: …» khác, không bắt đầu bằng «{top.rstrip('/')}» (ví dụ "
            f"«{top.rstrip('/').split('.')[0]}-truong»). Các đường dẫn dành riêng: "
            + ", ".join(sorted({"/" + c.path for c in claims})) + "."))
    return problems
