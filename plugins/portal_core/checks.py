"""Whole-site checks run once every generator has read its content (pure functions)."""

from __future__ import annotations

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
        for source, _ in owners:
            problems.append(Problem(
                source, "Slug", save_as,
                f"Trùng đường dẫn với tệp khác: {names}. Các tiêu đề chỉ khác nhau ở dấu thanh "
                "cho ra cùng một đường dẫn.",
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
