"""Writing the new content folder: every file decided first, then written only when no
existing file would change (a file with the same bytes is left as it is, so re-running the
import on the same source changes nothing); the report goes beside the content."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile

from . import report, review, run, verify
from .model import Page


class Refused(Exception):
    """Files that already exist with other content: nothing was written."""

    def __init__(self, paths: list[str]):
        super().__init__(paths)
        self.paths = paths


def _plan(posts, ctx, output: str) -> dict[str, bytes | str]:
    files: dict[str, bytes | str] = {}
    for post in posts:
        files[post.target] = post.text.encode("utf-8")
    for asset in ctx["assets"].all():
        files[asset.target] = asset.source
    if any(post.old_paths for post in posts):  # drafts too: served once they are published
        files[run.redirects_name(output)] = run.redirects_yaml(
            posts, ctx.get("prefix", "")).encode("utf-8")
    return files


def _stage(files: dict, folder: str) -> None:
    for rel, data in files.items():
        path = os.path.join(folder, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(data, bytes):
            with open(path, "wb") as handle:
                handle.write(data)
        else:
            shutil.copyfile(data, path)


def _bytes(data) -> bytes:
    if isinstance(data, bytes):
        return data
    with open(data, "rb") as handle:
        return handle.read()


def import_site(source, output: str, project_content: str | None = None,
                mapping: str | None = None, today: str = "", check: bool = True,
                school: str = "") -> dict:
    """Run the whole import; returns the summary (also written into the report). *source*: a
    saved copy (folder or sitemap) or one school of a platform (discover.Source)."""
    if not project_content:
        from ...project import root_or_none

        project_content = os.path.join(root_or_none() or os.getcwd(), "content")
    day = dt.date.fromisoformat(today) if today else dt.date.today()
    src, pages, posts, ctx = run.prepare(source, project_content, mapping, day, school)
    run.render_all(posts, ctx)
    if check:
        with tempfile.TemporaryDirectory(prefix="nhap-") as staged:
            _stage(_plan(posts, ctx, output), staged)
            found = verify.check(staged, project_content, day.isoformat())
        by_target = {post.target: post for post in posts}
        taken = {p.value for p in found.get(run.redirects_name(output), [])
                 if p.plugin == "portal_redirects" and p.value.startswith("/")}
        if taken:  # an old address that is a page of the new portal: never a redirect
            for post in posts:
                for path in [p for p in post.old_paths if run._local(p, ctx["prefix"]) in taken]:
                    post.old_paths.remove(path)
                    post.unredirectable.append(path)
                    post.notes.append(f"Địa chỉ cũ {path} trùng với một trang của cổng mới: "
                                         "không chuyển hướng.")
        for rel, problems in found.items():
            post = by_target.get(rel)
            if post is None:
                continue
            for problem in problems:
                reason = problem.message + (f" «{problem.value}»" if problem.value else "")
                if "chưa gắn chủ đề" in problem.message:
                    continue  # already said: the suggestion waits for the editor
                if f"Kiểm tra: {reason}" not in post.reasons:
                    post.reasons.append(f"Kiểm tra: {reason}")
        run.render_all(posts, ctx)  # drafts now known: links to them are reported
    files = _plan(posts, ctx, output)
    refused = []
    for rel, data in sorted(files.items()):
        path = os.path.join(output, *rel.split("/"))
        if os.path.exists(path):
            with open(path, "rb") as handle:
                if handle.read() != _bytes(data):
                    refused.append(path)
    summary = report.summary(src, pages, posts, len(ctx["assets"].all()))
    report_files = {report.HTML: report.html(src, pages, posts, summary).encode("utf-8"),
                    report.CSV: report.csv_text(pages, posts, src).encode("utf-8-sig")}
    sheet = review.rows(posts, review.plan_topics(project_content), ctx.get("keywords") or {})
    summary["topics_waiting"] = len(sheet)
    if sheet:
        shown = os.path.join(os.path.abspath(output), review.CSV_NAME)
        project = os.path.dirname(os.path.abspath(project_content))
        if os.path.commonpath([project, shown]) == project:  # as typed in the project folder
            shown = os.path.relpath(shown, project)
        report_files[review.CSV_NAME] = review.csv_bytes(sheet)
        report_files[review.HTML_NAME] = review.html_text(
            sheet, review.plan_topics(project_content), shown).encode("utf-8")
    for rel, data in report_files.items():
        path = os.path.join(output, rel)
        if os.path.exists(path):
            with open(path, "rb") as handle:
                if handle.read() != data:
                    refused.append(path)
    if refused:
        raise Refused(refused)
    written = 0
    for rel, data in sorted({**files, **report_files}.items()):
        path = os.path.join(output, *rel.split("/"))
        if os.path.exists(path):
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(_bytes(data))
        written += 1
    summary["written"] = written
    summary["reasons"] = [r for post in posts for r in dict.fromkeys(post.reasons)]
    summary["draft_reasons"] = [list(dict.fromkeys(post.reasons)) for post in posts if post.draft]
    return summary


def outcome(page: Page) -> str:
    return page.outcome
