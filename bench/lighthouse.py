"""Lighthouse (mobile) on a few pages of a built site; prints a table of the four scores.

    python bench/lighthouse.py                       # builds the demo into bench/work/lh-site
    python bench/lighthouse.py --output /tmp/out     # an existing build (SITEURL must be "")

Pages: the home page, one article (the first post linked from the home page, or --article)
and /cong-khai/ when it exists. Lighthouse 12.2.3 comes from package.json (npm install
--ignore-scripts), Chromium from Debian (/usr/bin/chromium). The site is served on 127.0.0.1
by Python's http.server; nothing leaves the machine. Target: every score ≥ 95.
Reports (JSON) are kept in bench/work/lighthouse/.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.path.join(HERE, "work")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGET = 95
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: str):
    handler = functools.partial(Quiet, directory=folder)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def build_demo(output: str) -> None:
    subprocess.run([sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o",
                    output], cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "PORTAL_TODAY": os.environ.get("PORTAL_TODAY", "2026-11-29")})


def first_article(output: str) -> str:
    with open(os.path.join(output, "index.html"), encoding="utf-8") as handle:
        html = handle.read()
    match = re.search(r'href="/(tin-tuc/[^"#]+/)"', html)
    return match.group(1) if match else ""


def lighthouse(url: str, report: str) -> dict:
    binary = os.path.join(ROOT, "node_modules", ".bin", "lighthouse")
    profile = tempfile.mkdtemp(prefix="lh-profile-")
    command = [binary, url, "--quiet", f"--chrome-flags={CHROME_FLAGS} --user-data-dir={profile}",
               "--only-categories=" + ",".join(CATEGORIES), "--output=json",
               f"--output-path={report}"]
    subprocess.run(command, check=True, capture_output=True, timeout=240,
                   env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH")
                        or os.environ.get("PORTAL_CHROMIUM") or "/usr/bin/chromium"})
    with open(report, encoding="utf-8") as handle:
        data = json.load(handle)
    scores = {c: round((data["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}
    failing = [a["id"] for c in CATEGORIES for ref in data["categories"][c]["auditRefs"]
               if ref["weight"] and (a := data["audits"][ref["id"]])["score"] is not None
               and a["score"] < 0.9]
    return {"scores": scores, "failing": sorted(set(failing))}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", help="a built site (default: build the demo)")
    parser.add_argument("--article", help="article path, e.g. tin-tuc/le-khai-giang/")
    args = parser.parse_args(argv)
    output = args.output or os.path.join(WORK, "lh-site")
    if not args.output:
        build_demo(output)
    pages = [("Trang chủ", "")]
    article = args.article or first_article(output)
    if article:
        pages.append(("Bài viết", article))
    if os.path.exists(os.path.join(output, "cong-khai", "index.html")):
        pages.append(("Công khai", "cong-khai/"))
    reports = os.path.join(WORK, "lighthouse")
    os.makedirs(reports, exist_ok=True)
    server, base = serve(output)
    rows, ok = [], True
    try:
        for label, path in pages:
            name = re.sub(r"[^a-z0-9]+", "-", path or "home").strip("-")
            result = lighthouse(f"{base}/{path}", os.path.join(reports, f"{name}.json"))
            ok &= all(v >= TARGET for v in result["scores"].values())
            rows.append((label, "/" + path, result))
    finally:
        server.shutdown()
    print("| trang | đường dẫn | performance | accessibility | best-practices | seo | audits < 0.9 |")
    print("|---|---|---:|---:|---:|---:|---|")
    for label, path, result in rows:
        s = result["scores"]
        print(f"| {label} | `{path}` | " + " | ".join(str(s[c]) for c in CATEGORIES)
              + f" | {', '.join(result['failing']) or '–'} |")
    print(f"\nMục tiêu: mọi điểm ≥ {TARGET} — {'ĐẠT' if ok else 'CHƯA ĐẠT'}.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
