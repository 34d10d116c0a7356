"""The whole import: saved copy → posts, files, redirects and a report in a new folder."""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
from urllib.parse import unquote, urljoin, urlsplit

import yaml

from portal_core.text import fold, slugify

from . import convert, decode, discover, extract, legacy_fonts, topics
from .files import Assets, find_saved, kind_of
from .model import KIND_LABELS, KINDS, Page, Post

HERE = os.path.dirname(os.path.abspath(__file__))
REDIRECTS = "data/chuyen-huong"
STATIC_PAGE = re.compile(r"^/[^?#\s]*?(/|\.html?|/[^./\s]+)$")  # as portal_redirects serves


def load_mapping(path: str | None) -> dict:
    with open(path or os.path.join(HERE, "categories.yml"), encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return {"urls": data.get("urls") or {}, "rules": data.get("rules") or [],
            "default": data.get("default") or "tin-tuc"}


def kind_of_page(url: str, crumb: str, mapping: dict) -> str:
    for prefix, kind in sorted((mapping["urls"] or {}).items(), key=lambda i: -len(i[0])):
        if url.startswith(prefix) and kind in KINDS:
            return kind
    text = f"{fold(unquote(url))} {fold(crumb)}"
    for rule in mapping["rules"]:
        if rule.get("kind") in KINDS and re.search(rule.get("pattern", "^$"), text):
            return rule["kind"]
    return mapping["default"] if mapping["default"] in KINDS else "tin-tuc"


def identity_of(page: Page, host: str) -> str:
    ex = page.extracted
    layout = extract.LAYOUTS.get(ex.layout) or {}
    if layout.get("identity"):
        for candidate in (page.url, _same_host_path(ex.canonical, host)):
            match = re.search(layout["identity"], candidate or "")
            if match:
                return f"{ex.layout}:{match.group(1)}"
    canonical = _same_host_path(ex.canonical, host)
    return "url:" + (canonical or page.url).rstrip("/")


def _same_host_path(url: str, host: str) -> str:
    parts = urlsplit(url or "")
    if not parts.netloc or _bare(parts.netloc) != _bare(host):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _bare(host: str) -> str:
    host = (host or "").lower().split(":")[0]
    return host[4:] if host.startswith("www.") else host


def _existing_slugs(content: str) -> dict[str, dict[str, str]]:
    """The slugs the project's own posts already use, per category folder: {slug: file}. A
    post imported earlier and copied into content/ keeps its file: not a collision."""
    found: dict[str, dict[str, str]] = {}
    for folder in ("tin-tuc", "thong-bao"):
        for base, _, names in os.walk(os.path.join(content, folder)):
            for name in names:
                if not name.endswith(".md"):
                    continue
                with open(os.path.join(base, name), encoding="utf-8", errors="replace") as f:
                    head = f.read(2000)
                slug = re.search(r"^Slug:\s*(.+)$", head, re.M)
                title = re.search(r"^Title:\s*(.+)$", head, re.M)
                value = slug.group(1).strip() if slug else slugify(title.group(1)) if title else ""
                rel = os.path.relpath(os.path.join(base, name), content).replace(os.sep, "/")
                found.setdefault(folder, {})[value] = rel
    return found


def _existing_files(content: str) -> dict[str, str]:
    """{path inside content/: its full path} of the project's images and attachments."""
    taken = {}
    for folder in ("images", "files"):
        for base, _, names in os.walk(os.path.join(content, folder)):
            for name in names:
                path = os.path.join(base, name)
                taken[os.path.relpath(path, content).replace(os.sep, "/")] = path
    return taken


def _slug(title: str) -> str:
    slug = slugify(title)
    if len(slug) > 80:
        slug = slug[:80].rsplit("-", 1)[0]
    return slug or "bai-viet"


def read_pages(src, today: dt.date) -> list[Page]:
    pages = []
    for saved in src.pages:
        with open(saved.file, "rb") as handle:
            data = handle.read()
        text, encoding, warnings = decode.decode(data)
        legacy = legacy_fonts.convert_html(text)
        if legacy.changed or legacy.findings:
            text = legacy.html
            encoding = f"{encoding}; {legacy.label} → Unicode"
            fonts = f": {', '.join(legacy.fonts)}" if legacy.fonts else ""
            warnings = list(warnings) + [f"Trang gõ bằng phông chữ cũ ({legacy.label}{fonts}): "
                                         "đã chuyển sang Unicode."]
        page = Page(saved.rel, saved.urls[0], encoding, warnings=list(warnings),
                    legacy=legacy if (legacy.changed or legacy.findings) else None)
        try:
            page.extracted = extract.extract(text, page.url, today)
        except Exception as exc:  # noqa: BLE001 — one odd page must not stop a whole import
            page.extracted = extract.Extracted(warnings=[
                f"Không đọc được trang ({type(exc).__name__}: {exc}); nhập tay nếu cần."])
        page.warnings += page.extracted.warnings
        pages.append(page)
    return pages


def group_posts(pages: list[Page], host: str, mapping: dict, content: str) -> list[Post]:
    groups: dict[str, list[Page]] = {}
    for page in pages:
        ex = page.extracted
        body = ex.node.text_content().strip() if ex.node is not None else ""
        if not ex.title or ex.date is None or len(body) < 20:
            missing = [what for what, ok in (("tiêu đề", ex.title), ("ngày đăng", ex.date),
                                             ("nội dung", len(body) >= 20)) if not ok]
            page.outcome = "bỏ qua: không phải bài viết (thiếu " + ", ".join(missing) + ")"
            continue
        page.identity = identity_of(page, host)
        groups.setdefault(page.identity, []).append(page)
    posts = []
    slugs = _existing_slugs(content)
    for identity in sorted(groups):
        members = sorted(groups[identity], key=lambda p: p.url)
        best = max(members, key=lambda p: (len(p.extracted.node.text_content()), -len(p.url)))
        ex = best.extracted
        post = Post(identity, best, members, title=ex.title, date=ex.date)
        post.kind = kind_of_page(best.url, ex.breadcrumb, mapping)
        posts.append(post)
    for post in sorted(posts, key=lambda p: (p.date, p.page.url)):
        folder = KINDS[post.kind][0]
        taken = slugs.setdefault(folder, {})
        base = _slug(post.title)
        slug, number = base, 2
        while slug in taken and taken[slug] != f"{folder}/{post.date.year}/{slug}.md":
            slug, number = f"{base}-{number}", number + 1
        post.slug = slug
        post.target = f"{folder}/{post.date.year}/{slug}.md"
        taken[slug] = post.target
        for page in post.pages:
            page.post = page.post or post
            if page is not post.page:
                page.outcome = f"trùng bài: gộp vào {post.page.url}"
        paths = [p.url for p in post.pages] + [
            _same_host_path(p.extracted.canonical, host) for p in post.pages]
        for path in dict.fromkeys(p for p in paths if p):
            if path == "/" or "?" in path or not STATIC_PAGE.match(path) or ".." in path:
                post.unredirectable.append(path)
            else:
                post.old_paths.append(path)
    return posts


def render(post: Post, ctx: dict) -> None:
    """The post's Markdown file, links resolved against the posts and files of this run."""
    warnings: list[str] = []
    base = f"http://{ctx['host'] or 'cu.invalid'}{post.page.url}"
    year = post.date.year

    def resolve(url: str, what: str):
        url = url.strip()
        if not url or url.startswith(("#", "mailto:", "tel:")):
            return (url or None), ""
        if url.lower().startswith(("javascript:", "data:", "vbscript:")):
            return None, ""
        absolute = urljoin(base, url)
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https"):
            return None, ""
        if _bare(parts.netloc) != _bare(ctx["host"] or "cu.invalid"):
            if what == "image":
                return None, f"Ảnh ở máy chủ khác đã bỏ (không tải từ máy chủ ngoài): {absolute}"
            return absolute, ""
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        target = ctx["by_path"].get(path.rstrip("/") or "/") or ctx["by_path"].get(unquote(path))
        if what == "link" and target is not None:
            if target.draft:
                return None, f"Liên kết tới bài «{target.title}» (bản nháp) đã gỡ, giữ chữ."
            return "{filename}/" + target.target + (f"#{parts.fragment}" if parts.fragment else ""), ""
        saved = find_saved(ctx["root"], parts.path)
        if saved and kind_of(saved):
            asset = ctx["assets"].add(saved, year)
            if what == "link" and asset.target.startswith("images/"):
                return None, ""  # a link to the full-size photo: the photo is in the post
            return "/" + asset.target, ""
        if what == "image":
            return None, f"Không có bản lưu của ảnh {path}: ảnh đã bỏ."
        return None, f"Liên kết tới trang cũ không được nhập (đã gỡ, giữ chữ): {path}"

    ex = post.page.extracted
    body = convert.to_markdown(ex.node, resolve, warnings) if ex.node is not None else ""
    post.warnings = list(dict.fromkeys(warnings))
    summary = re.sub(r"\s+", " ", ex.summary or "").strip()
    if not summary:  # the first paragraph of text
        first = next((b for b in body.split("\n\n") if b.strip()
                      and not b.lstrip().startswith(("!", "|", "#", "<", "-"))), "")
        plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", first).replace("**", "")
        summary = re.sub(r"\s+", " ", plain).strip()
    if len(summary) > 300:
        summary = summary[:300].rsplit(" ", 1)[0] + "…"
    lines = [f"Title: {_one_line(post.title)}",
             f"Date: {post.date:%Y-%m-%d %H:%M}",
             f"Category: {KINDS[post.kind][1]}",
             f"Summary: {_one_line(summary)}"]
    if ex.author:
        lines.append(f"Author: {_one_line(ex.author)}")
    lines.append(f"Slug: {post.slug}")  # the address the report and redirects promise
    if post.draft:
        lines.append("Status: draft")
    text = "\n".join(lines) + "\n\n"
    if post.topics is not None:
        text += topics.comment(post.topics) + "\n\n"
    post.text = text + body


def _one_line(value: str) -> str:
    return re.sub(r"\s+", " ", value or "").strip()


def prepare(source: str, project_content: str, mapping_path: str | None, today: dt.date):
    src = discover.discover(source)
    pages = read_pages(src, today)
    host = src.host or _common_host(pages)
    mapping = load_mapping(mapping_path)
    posts = group_posts(pages, host, mapping, project_content)
    plans, rules = topics.load(project_content)
    for post in posts:
        page = post.page
        if page.legacy is not None and page.legacy.findings:
            shown = _post_text(post)  # findings in the sidebar or menu do not count
            findings = [f for f in page.legacy.findings if f.written in shown]
            if findings:
                post.reasons.append(legacy_fonts.describe(findings))
        if post.kind in ("van-ban", "cong-khai"):
            post.reasons.append(
                f"Bài thuộc loại {KIND_LABELS[post.kind]}: chuyển thành "
                + ("trang văn bản (content/pages/van-ban/, ghi Number, Issued, Issuer)"
                   if post.kind == "van-ban" else
                   "tài liệu công khai (content/cong-khai/<năm-học>/, ghi Disclosure: CK-…)")
                + " hoặc giữ là thông báo.")
        text = f"{post.title} {page.extracted.node.text_content()}"
        post.topics = topics.suggest(post.date.year, text, plans, rules)
        if post.topics is not None:
            post.reasons.append("Chưa có chủ đề kế hoạch truyền thông: xác nhận gợi ý trong bài.")
    ctx = {"host": host, "root": src.root, "assets": Assets(_existing_files(project_content)),
           "by_path": {}}
    for post in posts:
        for path in [p.url for p in post.pages] + post.old_paths + post.unredirectable:
            ctx["by_path"].setdefault(path.rstrip("/") or "/", post)
            ctx["by_path"].setdefault(unquote(path.rstrip("/") or "/"), post)
    return src, pages, posts, ctx


def _post_text(post: Post) -> str:
    ex = post.page.extracted
    node = ex.node.text_content() if ex.node is not None else ""
    return "\n".join((post.title, ex.summary or "", ex.author or "", node))


def _common_host(pages: list[Page]) -> str:
    hosts: dict[str, int] = {}
    for page in pages:
        netloc = urlsplit(page.extracted.canonical or "").netloc
        if netloc:
            hosts[netloc.lower()] = hosts.get(netloc.lower(), 0) + 1
    return max(sorted(hosts), key=lambda h: hosts[h]) if hosts else ""


def render_all(posts: list[Post], ctx: dict) -> None:
    ctx["assets"].by_source.clear()  # same decisions again: targets are kept by digest
    for post in sorted(posts, key=lambda p: (p.date, p.page.url)):
        render(post, ctx)


def redirects_yaml(posts: list[Post]) -> str:
    lines = ["# Địa chỉ cũ → bài mới (do cong-truong import ghi). Mỗi địa chỉ cũ thành một trang",
             "# chuyển hướng (noindex, rel=canonical); bài đích là bản nháp thì chưa ghi."]
    entries = [{"from": path, "to": target} for path, target in
               sorted((path, post.target) for post in posts for path in post.old_paths)]
    text = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=10**6) if entries else ""
    return "\n".join(lines) + "\n" + text


def redirects_name(output: str) -> str:
    return f"{REDIRECTS}/{slugify(os.path.basename(os.path.abspath(output))) or 'cong-cu'}.yml"
