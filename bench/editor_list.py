"""How long the web editor (/admin/, local mode) takes to list the news of a large corpus.

    python bench/corpus.py 5000          # once: bench/work/corpus-5000/content/
    python bench/editor_list.py 5000     # → times printed; recorded in docs/performance.md

A git repository is made from the corpus (bench/work/editor-<n>/), decap-server runs on it
(MODE=git) and the demo's /admin/ files are served with a config.yml generated for the corpus
(portal_editor's own generator), plus one extra collection holding every news post in one
list (`path: {{year}}/{{slug}}`): what the split by year avoids. Chromium opens each
collection and the time until its entries are shown is measured (median of 3).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [ROOT, os.path.join(ROOT, "plugins")]

from cong_truong.gates.browser import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from portal_editor import config as editor_config  # noqa: E402
from cong_truong.tools import editor, preview  # noqa: E402


def make_repo(size: int) -> str:
    corpus = os.path.join(HERE, "work", f"corpus-{size}", "content")
    if not os.path.isdir(corpus):
        raise SystemExit(f"Chưa có {corpus}: chạy python bench/corpus.py {size} trước.")
    repo = os.path.join(HERE, "work", f"editor-{size}")
    if not os.path.isdir(os.path.join(repo, ".git")):
        shutil.rmtree(repo, ignore_errors=True)
        shutil.copytree(corpus, os.path.join(repo, "content"))
        for command in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"],
                        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid",
                         "commit", "-qm", "corpus"]):
            subprocess.run(command, cwd=repo, check=True)
    return repo


def make_admin(repo: str, port: int) -> str:
    """The demo's built /admin/ with a config.yml for the corpus."""
    built = os.path.join(ROOT, "output", "admin")
    if not os.path.isfile(os.path.join(built, "decap-cms.js")):
        raise SystemExit("Chưa có output/admin/: chạy invoke build trước.")
    site = os.path.join(repo, "site")
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(built, os.path.join(site, "admin"))
    from pelican.settings import read_settings
    settings = read_settings(os.path.join(ROOT, "pelicanconf.py"),
                             override={"PATH": os.path.join(repo, "content")})
    decl = editor_config.declarations(settings, dt.date(2026, 11, 29))
    config = editor_config.build_config(decl, {"name": "github", "repo": "x/y", "branch": "main"}, port)
    news = next(c for c in config["collections"] if c["name"] == "tin-tuc-2026")
    config["collections"].insert(0, {**news, "name": "tat-ca", "label": "Tất cả tin tức",
                                     "folder": "content/tin-tuc", "path": "{{year}}/{{slug}}"})
    with open(os.path.join(site, "admin", "config.yml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump(config, handle, allow_unicode=True, sort_keys=False)
    return site


def count(repo: str, folder: str) -> int:
    return sum(len(files) for _, _, files in os.walk(os.path.join(repo, folder)))


def main(size: int) -> None:
    from playwright.sync_api import sync_playwright
    repo = make_repo(size)
    server_port = editor.free_port(8091)
    site = make_admin(repo, server_port)
    server = editor.start_server(repo, server_port,
                                 server_js=os.path.join(ROOT, editor.SERVER))
    web = preview.start(preview.PreviewState(site, live=False), editor.free_port(8790))
    url = f"http://127.0.0.1:{web.server_address[1]}/admin/"
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            for name, folder in (("tin-tuc-2026", "content/tin-tuc/2026"),
                                 ("tin-tuc-2020", "content/tin-tuc/2020"),
                                 ("tat-ca", "content/tin-tuc")):
                times = []
                for _ in range(3):
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    page = context.new_page()
                    page.set_default_timeout(int(os.environ.get('BENCH_TIMEOUT_MS', 600_000)))
                    page.goto(url)
                    page.get_by_role("button", name="Đăng nhập").click()
                    page.get_by_text("Bộ sưu tập").first.wait_for()
                    started = time.monotonic()
                    page.goto(url + f"#/collections/{name}")
                    try:
                        page.locator("a[href*='/entries/']").first.wait_for()
                    except Exception:
                        page.screenshot(path=os.path.join(HERE, "work", "editor-list.png"))
                        print(page.inner_text("body")[:800])
                        raise
                    times.append(time.monotonic() - started)
                    context.close()
                results[name] = (count(repo, folder), statistics.median(times))
                print(f"{name}: {results[name][0]} bài, {results[name][1]:.1f} s", flush=True)
            browser.close()
    finally:
        editor.stop_server(server)
        web.shutdown()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
