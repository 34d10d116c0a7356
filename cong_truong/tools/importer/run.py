"""The whole import: saved copy → posts, document pages, disclosure documents, files, redirects
and a report in a new folder."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from urllib.parse import unquote, urljoin, urlsplit

import yaml

from portal_core.text import fold, slugify

from . import (convert, decode, disclosures, discover, documents, extract, legacy_fonts,
               topics)
from .files import Assets, find_saved, kind_of
from .model import ARTICLE_KINDS, KINDS, Page, Post

HERE = os.path.dirname(os.path.abspath(__file__))
REDIRECTS = "data/chuyen-huong"
STATIC_PAGE = re.compile(r"^/[^?#\s]*?(/|\.html?|/[^./\s]+)$")  # as portal_redirects serves
TOPICS_REASON = "Chưa có chủ đề kế hoạch truyền thông: xác nhận gợi ý (bảng xác nhận chủ đề)."


def load_mapping(path: str | None) -> dict:
    with open(path or os.path.join(HERE, "categories.yml"), encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return {"urls": data.get("urls") or {}, "rules": data.get("rules") or [],
            "default": data.get("default") or "tin-tuc"}


def kind_of_page(url: str, crumb: str, mapping: dict, title: str = "") -> str:
    """The kind of an old page from its address and breadcrumb (categories.yml); a page of a
    văn bản category whose title is a disclosure («Công khai …», «Biểu mẫu 12 …») is one."""
    kind = ""
    for prefix, mapped in sorted((mapping["urls"] or {}).items(), key=lambda i: -len(i[0])):
        if url.startswith(prefix) and mapped in KINDS:
            kind = mapped
            break
    if not kind:
        text = f"{fold(unquote(url))} {fold(crumb)}"
        for rule in mapping["rules"]:
            if rule.get("kind") in KINDS and re.search(rule.get("pattern", "^$"), text):
                kind = rule["kind"]
                break
    if not kind:
        kind = mapping["default"] if mapping["default"] in KINDS else "tin-tuc"
    if kind == "van-ban" and re.match(r"(cong khai|bieu mau \d+|ba cong khai)\b", fold(title)):
        return "cong-khai"
    return kind


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


def _local(path: str, prefix: str) -> str:
    """An old path without the school's prefix on a platform of many schools
    («/thpt-a/tin-tuc/1» → «/tin-tuc/1»)."""
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        return path[len(prefix):] or "/"
    return path


def _head(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read(3000)


def _existing_slugs(content: str) -> dict[str, dict[str, str]]:
    """The slugs the project's own posts and pages already use, per address space
    (tin-tuc, thong-bao, pages/van-ban, cong-khai/<năm-học>): {slug: file}. A post imported
    earlier and copied into content/ keeps its file: not a collision."""
    found: dict[str, dict[str, str]] = {}
    for folder in ("tin-tuc", "thong-bao", "pages/van-ban", "cong-khai"):
        for base, _, names in os.walk(os.path.join(content, *folder.split("/"))):
            for name in names:
                if not name.endswith(".md"):
                    continue
                head = _head(os.path.join(base, name))
                slug = re.search(r"^Slug:\s*(.+)$", head, re.M)
                title = re.search(r"^Title:\s*(.+)$", head, re.M)
                value = slug.group(1).strip() if slug else slugify(title.group(1)) if title else ""
                rel = os.path.relpath(os.path.join(base, name), content).replace(os.sep, "/")
                space = folder
                if folder == "cong-khai":
                    space = "/".join(rel.split("/")[:2])
                found.setdefault(space, {})[value] = rel
    return found


def _existing_files(content: str) -> dict[str, str]:
    """{path inside content/: its full path} of the project's images and attachments."""
    taken = {}
    for folder in ("images", "files", "cong-khai"):
        for base, _, names in os.walk(os.path.join(content, folder)):
            for name in names:
                if name.endswith(".md"):
                    continue
                path = os.path.join(base, name)
                taken[os.path.relpath(path, content).replace(os.sep, "/")] = path
    return taken


def known_issuers(content: str) -> tuple[list[str], list[dict]]:
    """(issuers the project's documents name, successions of content/data/issuers.yml)."""
    names = []
    for base, _, files in os.walk(os.path.join(content, "pages")):
        for name in sorted(files):
            if name.endswith(".md"):
                match = re.search(r"^Issuer:\s*(.+)$", _head(os.path.join(base, name)), re.M)
                if match:
                    names.append(match.group(1).strip())
    successions = []
    path = os.path.join(content, "data", "issuers.yml")
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        successions = [s for s in data.get("successions") or [] if isinstance(s, dict)]
        for item in successions:
            names += [str(item.get(k)) for k in ("issuer", "successor") if item.get(k)]
    return list(dict.fromkeys(names)), successions


def project_school_name(content: str) -> str:
    path = os.path.join(content, "data", "school.yml")
    if not os.path.isfile(path):
        return ""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    name = data.get("name") if isinstance(data, dict) else ""
    if isinstance(name, list):  # dated versions: the latest
        name = (name[-1] or {}).get("value", "") if name and isinstance(name[-1], dict) else ""
    return str(name or "")


def site_school_name(pages: list[Page]) -> str:
    """The school's name as its old site writes it (the most common site name of its pages),
    in title case when written in capitals."""
    names = Counter(p.extracted.site_name for p in pages
                    if p.extracted is not None and p.extracted.site_name)
    if not names:
        return ""
    name = names.most_common(1)[0][0]
    return documents.title_case(name) if name.isupper() else name


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
        page = Page(saved.rel, saved.urls[0], list(saved.urls), encoding, warnings=list(warnings),
                    legacy=legacy if (legacy.changed or legacy.findings) else None)
        try:
            page.extracted = extract.extract(text, page.url, today)
        except Exception as exc:  # noqa: BLE001 — one odd page must not stop a whole import
            page.extracted = extract.Extracted(warnings=[
                f"Không đọc được trang ({type(exc).__name__}: {exc}); nhập tay nếu cần."])
        page.warnings += page.extracted.warnings
        pages.append(page)
    return pages


def is_list_page(node) -> bool:
    """A list of posts rather than a post: five links or more, and their text most of the
    page's text (a category page, «Tin mới», a list of documents with their dates)."""
    links = [re.sub(r"\s+", " ", a.text_content()).strip() for a in node.iter("a")]
    links = [text for text in links if text]
    if len(links) < 5:
        return False
    total = len(re.sub(r"\s+", " ", node.text_content()).strip())
    return total > 0 and sum(len(text) for text in links) / total > 0.5


def group_posts(pages: list[Page], host: str, mapping: dict, prefix: str = "") -> list[Post]:
    """One post per article (the pages of the same article grouped), with its kind."""
    groups: dict[str, list[Page]] = {}
    for page in pages:
        ex = page.extracted
        body = ex.node.text_content().strip() if ex.node is not None else ""
        if not ex.title or ex.date is None or len(body) < 20:
            missing = [what for what, ok in (("tiêu đề", ex.title), ("ngày đăng", ex.date),
                                             ("nội dung", len(body) >= 20)) if not ok]
            page.outcome = "bỏ qua: không phải bài viết (thiếu " + ", ".join(missing) + ")"
            continue
        if is_list_page(ex.node):
            page.outcome = "bỏ qua: trang danh sách (nội dung gần hết là liên kết tới bài khác)"
            continue
        page.identity = identity_of(page, host)
        groups.setdefault(page.identity, []).append(page)
    posts = []
    for identity in sorted(groups):
        members = sorted(groups[identity], key=lambda p: p.url)
        best = max(members, key=lambda p: (len(p.extracted.node.text_content()), -len(p.url)))
        ex = best.extracted
        post = Post(identity, best, members, title=ex.title, date=ex.date)
        post.kind = kind_of_page(_local(best.url, prefix), ex.breadcrumb, mapping, ex.title)
        posts.append(post)
    return posts


def read_facts(posts: list[Post], ctx: dict) -> None:
    """Documents and disclosures: their facts from title and text; what a person must decide
    makes them drafts, with the reason. Issuers read with their place from one document
    complete the others («Sở GDĐT» of a symbol → «Sở Giáo dục và Đào tạo Nam Định»)."""
    catalogue = None
    known = list(ctx["issuers"])
    for round_ in (1, 2):
        for post in posts:
            if post.kind != "van-ban":
                continue
            text = documents.block_text(post.page.extracted.node)
            post.document = documents.read_document(
                post.title, text, ctx["today"], ctx["school"], known + [ctx["school"]],
                ctx["successions"])
            found = post.document.issuer
            if round_ == 1 and found.value and "thiếu" not in found.source \
                    and found.source in ("phần đầu văn bản", "nhãn «Cơ quan ban hành»", "tiêu đề"):
                known.append(found.value)
        known = list(dict.fromkeys(known))
    for post in posts:
        if post.kind == "cong-khai":
            catalogue = catalogue or disclosures.load_catalogue()
            post.disclosure = disclosures.read_disclosure(post.title, post.date.date(), catalogue)
    for post in posts:
        facts = post.document or post.disclosure
        if facts is None:
            continue
        post.reasons += facts.decide
        post.notes = list(facts.notes)
        if post.document is not None:
            if re.match(r"(?i)^\s*(v/v|về việc)\b", post.title):
                kind = post.document.kind.value or "Công văn"
                post.title = re.sub(r"(?i)^\s*(v/v|về việc)\s*", f"{kind} về việc ", post.title, 1)
            post.title = re.sub(r"(?i)(?<!\w)v/v\.?(?!\w)", "về việc", post.title)


def assign_targets(posts: list[Post], content: str, host: str, prefix: str = "") -> None:
    """Slugs that collide with nothing of the project's, the file of each post, its old
    addresses (those a static host can serve: redirects; the others: listed)."""
    slugs = _existing_slugs(content)
    for post in sorted(posts, key=lambda p: (p.date, p.page.url)):
        folder = post.folder
        space = KINDS[post.kind][0] if post.kind in ARTICLE_KINDS else folder
        taken = slugs.setdefault(space, {})
        base = _slug(post.title)
        slug, number = base, 2
        while slug in taken and taken[slug] != f"{folder}/{slug}.md":
            slug, number = f"{base}-{number}", number + 1
        post.slug = slug
        post.target = f"{folder}/{slug}.md"
        taken[slug] = post.target
        for page in post.pages:
            page.post = page.post or post
            if page is not post.page:
                page.outcome = f"trùng bài: gộp vào {post.page.url}"
        paths = [u for p in post.pages for u in (p.urls or [p.url])] + [
            _same_host_path(p.extracted.canonical, host) for p in post.pages]
        for path in dict.fromkeys(p for p in paths if p):
            local = _local(path, prefix)
            if local == "/" or "?" in local or not STATIC_PAGE.match(local) or ".." in local:
                post.unredirectable.append(path)
            else:
                post.old_paths.append(path)


def render(post: Post, ctx: dict) -> None:
    """The post's Markdown file, links resolved against the posts and files of this run."""
    warnings: list[str] = []
    base = f"http://{ctx['host'] or 'cu.invalid'}{post.page.url}"
    year = post.date.year
    post.attachments = []

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
            link = "{filename}/" + target.target + (f"#{parts.fragment}" if parts.fragment else "")
            if target.draft:  # kept: the build shows its text until the target is published
                return link, (f"Liên kết tới bài «{target.title}» (bản nháp, {target.target}): "
                              "giữ nguyên, mở được khi bài đó được đăng.")
            return link, ""
        saved = find_saved(ctx["root"], parts.path)
        if saved and kind_of(saved):
            beside = post.folder if post.kind == "cong-khai" and kind_of(saved) == "file" else None
            asset = ctx["assets"].add(saved, year, beside)
            if what == "link" and asset.target.startswith("images/"):
                return None, ""  # a link to the full-size photo: the photo is in the post
            if what == "link" and kind_of(saved) == "file" and asset.target not in post.attachments:
                post.attachments.append(asset.target)
            return "/" + asset.target, ""
        if what == "image":
            return None, f"Không có bản lưu của ảnh {path}: ảnh đã bỏ."
        return None, f"Liên kết tới trang cũ không được nhập (đã gỡ, giữ chữ): {path}"

    ex = post.page.extracted
    node, abstract = ex.node, ""
    if node is not None and post.kind in ("van-ban", "cong-khai"):
        node, abstract = document_body(node)
    body = convert.to_markdown(node, resolve, warnings) if node is not None else ""
    if post.kind in ("van-ban", "cong-khai"):
        body = _without_download_lines(body, post.attachments)
    post.warnings = list(dict.fromkeys(warnings + post.notes))
    if post.kind == "van-ban" and not abstract:
        abstract = trich_yeu(post.title, post.document)
    abstract = re.sub(r"(?i)^v/v\.?\s*", "Về việc ", abstract or "")
    summary = re.sub(r"\s+", " ", abstract or ex.summary or "").strip()
    if not summary:  # the first paragraph of text
        first = next((b for b in body.split("\n\n") if b.strip()
                      and not b.lstrip().startswith(("!", "|", "#", "<", "-"))), "")
        plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", first).replace("**", "")
        summary = re.sub(r"\s+", " ", plain).strip()
    if len(summary) > 300:
        summary = summary[:300].rsplit(" ", 1)[0] + "…"
    lines = [f"Title: {_one_line(post.title)}"]
    if post.kind in ARTICLE_KINDS:
        lines += [f"Date: {post.date:%Y-%m-%d %H:%M}", f"Category: {KINDS[post.kind][1]}"]
        if summary:
            lines.append(f"Summary: {_one_line(summary)}")
        if ex.author:
            lines.append(f"Author: {_one_line(ex.author)}")
    elif post.kind == "van-ban":
        facts = post.document
        lines += [f"{key}: {value}" for key, value in (
            ("Number", facts.number.value), ("Issued", facts.issued.value),
            ("Issuer", facts.issuer.value), ("Validity", facts.validity.value),
            ("Attachment", ", ".join(post.attachments))) if value]
        if summary:
            lines.append(f"Summary: {_one_line(summary)}")
    else:
        facts = post.disclosure
        prefix = f"{post.folder}/"
        names = [a[len(prefix):] for a in post.attachments if a.startswith(prefix)]
        lines += [f"{key}: {value}" for key, value in (
            ("Disclosure", facts.item), ("School-year", facts.school_year),
            ("Date", f"{post.date:%Y-%m-%d}"), ("Period", facts.period),
            ("Attachments", ", ".join(names))) if value]
        if summary:
            lines.append(f"Summary: {_one_line(summary)}")
    lines.append(f"Slug: {post.slug}")  # the address the report and redirects promise
    if post.draft:
        lines.append("Status: draft")
    text = "\n".join(lines) + "\n\n"
    if post.topics is not None:
        text += topics.comment(post.topics) + "\n\n"
    post.text = text + body


FACT_LABELS = re.compile(r"^(so\s*/\s*ky hieu|so ky hieu|so hieu|ky hieu|so van ban|ngay ban hanh|"
                         r"ngay ky|ngay hieu luc|ngay het hieu luc|co quan ban hanh|noi ban hanh|"
                         r"don vi ban hanh|loai van ban|trich yeu|nguoi ky|linh vuc|hieu luc|"
                         r"tinh trang|tep dinh kem|file dinh kem|tai ve)\s*:?$")


def document_body(node) -> tuple[object, str]:
    """(the content of a document page, its trích yếu when a table gives it). The letterhead
    table (body, «CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM», number, place and date) and a table of the
    document's facts («Số/Ký hiệu», «Ngày ban hành», «Cơ quan ban hành» …) go: the page shows
    those facts itself."""
    import copy

    node = copy.deepcopy(node)
    summary = ""
    for table in list(node.iter("table"))[:2]:
        rows = [[re.sub(r"\s+", " ", c.text_content()).strip() for c in tr if c.tag in ("td", "th")]
                for tr in table.iter("tr")]
        labelled = {fold(r[0]): r[1] for r in rows if len(r) >= 2 and FACT_LABELS.match(fold(r[0]))}
        if "cong hoa xa hoi chu nghia" in fold(table.text_content()) or len(labelled) >= 3:
            summary = summary or labelled.get("trich yeu", "")
            table.drop_tree()
    return node, summary


def trich_yeu(title: str, facts) -> str:
    """A document's trích yếu from its title: what follows its type and number («Kế hoạch
    tổ chức hội giảng …» → «Tổ chức hội giảng …»; «Công văn 45/SGDĐT-VP về việc thi thử» → «Về
    việc thi thử»); "" when the title is nothing else."""
    rest = title
    kind = facts.kind.value or ""
    if kind and fold(rest).startswith(fold(kind)):
        rest = rest[len(kind):]
    number = facts.number.value or ""
    rest = re.sub(r"^\s*(?:số|so)?\s*[:.]?\s*" + re.escape(number).replace("/", r"\s*/\s*")
                  + r"\b", "", rest, flags=re.I) if number else rest
    rest = re.sub(r"^\s*(?:ngày\s*\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})?[\s:,.–-]*", "", rest)
    if len(rest) < 8:
        return ""
    return rest[0].upper() + rest[1:]


def _without_download_lines(body: str, attachments: list[str]) -> str:
    """Lines that only offer an attachment for download («Tải về: [x.pdf](/files/…)») go: the
    page lists the attachments itself."""
    if not attachments:
        return body
    targets = "|".join(re.escape("/" + a) for a in attachments)
    line = re.compile(rf"^[^\[\]\n]{{0,40}}\[[^\]\n]*\]\((?:{targets})\)[\s.:;,)]*$")
    kept = [text for text in body.split("\n") if not line.match(text.strip())]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip() + "\n"


def _one_line(value) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip()


def prepare(source, project_content: str, mapping_path: str | None, today: dt.date,
            school: str = ""):
    """Read and convert everything (nothing written). *source*: a folder or sitemap, or a
    discover.Source (one school of a platform of many, see schools.py)."""
    src = source if isinstance(source, discover.Source) else discover.discover(source)
    pages = read_pages(src, today)
    host = src.host or _common_host(pages)
    prefix = getattr(src, "prefix", "")
    mapping = load_mapping(mapping_path)
    posts = group_posts(pages, host, mapping, prefix)
    issuers, successions = known_issuers(project_content)
    ctx = {"host": host, "root": src.root, "prefix": prefix, "today": today,
           "school": school or site_school_name(pages) or project_school_name(project_content),
           "issuers": issuers, "successions": successions,
           "assets": Assets(_existing_files(project_content)), "by_path": {}}
    read_facts(posts, ctx)
    assign_targets(posts, project_content, host, prefix)
    plans, rules = topics.load(project_content)
    ctx["keywords"] = topics.keywords_as_written(project_content)
    for post in posts:
        page = post.page
        if page.legacy is not None and page.legacy.findings:
            shown = _post_text(post)  # findings in the sidebar or menu do not count
            findings = [f for f in page.legacy.findings if f.written in shown]
            if findings:
                post.reasons.insert(0, legacy_fonts.describe(findings))
        if post.kind not in ARTICLE_KINDS:
            continue
        text = f"{post.title} {page.extracted.node.text_content()}"
        hits = topics.suggest_with_reasons(post.date.year, text, plans, rules)
        post.topics = None if hits is None else list(hits)
        post.hits = hits or {}
        if post.topics is not None:
            post.reasons.append(TOPICS_REASON)
    for post in posts:
        for path in [u for p in post.pages for u in (p.urls or [p.url])] + post.old_paths \
                + post.unredirectable:
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


def redirects_yaml(posts: list[Post], prefix: str = "") -> str:
    lines = ["# Địa chỉ cũ → bài mới (do cong-truong import ghi). Mỗi địa chỉ cũ thành một trang",
             "# chuyển hướng (noindex, rel=canonical) từ ngày bài đích được đăng: bài còn là bản",
             "# nháp thì chưa có trang, không cần sửa gì ở đây."]
    entries = [{"from": path, "to": target} for path, target in
               sorted({(_local(path, prefix), post.target) for post in posts
                       for path in post.old_paths})]
    text = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=10**6) if entries else ""
    return "\n".join(lines) + "\n" + text


def redirects_name(output: str) -> str:
    return f"{REDIRECTS}/{slugify(os.path.basename(os.path.abspath(output))) or 'cong-cu'}.yml"
