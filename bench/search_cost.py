"""What a search costs a reader: requests and bytes of one query on a built site.

    python bench/search_cost.py bench/work/ours-5000/output "tuyen sinh lop 10" [shot.png]

Serves the folder on 127.0.0.1, opens /tim-kiem/ in Debian's Chromium at phone width, types
the query, and counts the requests made for it (Pagefind's JS, WebAssembly, each shard's entry
and meta, the index chunks, the fragments of the shown results) with their body sizes.
"""

from __future__ import annotations

import functools
import os
import http.server
import sys
import threading
import time

KINDS = (("wasm", "wasm."), ("entry", "pagefind-entry"), ("meta", ".pf_meta"),
         ("index", "/index/"), ("fragment", "/fragment/"), ("js", ".js"))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def measure(root: str, query: str, shot: str | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Quiet, directory=root))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with sync_playwright() as playwright:
            chromium = os.environ.get("PORTAL_CHROMIUM") or "/usr/bin/chromium"
            browser = playwright.chromium.launch(executable_path=chromium,
                                                 args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 360, "height": 800})
            requests = []
            page.on("requestfinished", lambda r: requests.append(
                (r.url, (r.sizes() or {}).get("responseBodySize", 0))))
            page.goto(f"{base}/tim-kiem/")
            page.wait_for_load_state("networkidle")
            before = len(requests)
            start = time.perf_counter()
            page.fill("#q", query)
            page.press("#q", "Enter")
            page.wait_for_function("() => { const s = document.getElementById('search-status')"
                                   ".textContent; return s && !s.startsWith('Đang'); }",
                                   timeout=60000)
            page.wait_for_function("() => !document.getElementById('search-status').textContent"
                                   ".startsWith('Tìm thấy') || document.querySelector("
                                   "'#search-results li')", timeout=60000)
            page.wait_for_load_state("networkidle")
            seconds = time.perf_counter() - start
            status = page.text_content("#search-status")
            if shot:
                page.screenshot(path=shot)
            browser.close()
    finally:
        server.shutdown()
    kinds: dict[str, list[int]] = {}
    for url, size in requests[before:]:
        kind = next((name for name, mark in KINDS if mark in url), "other")
        kinds.setdefault(kind, [0, 0])
        kinds[kind][0] += 1
        kinds[kind][1] += size
    return {"status": status, "seconds": round(seconds, 2), "kinds": kinds}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 2:
        print(__doc__)
        return 2
    result = measure(argv[0], argv[1], argv[2] if len(argv) > 2 else None)
    print(result["status"], f"({result['seconds']} s on loopback)")
    total = [0, 0]
    for kind, (count, size) in sorted(result["kinds"].items()):
        print(f"  {kind:9} {count:4} requests {size / 1024:8.0f} KB")
        total[0] += count
        total[1] += size
    print(f"  {'total':9} {total[0]:4} requests {total[1] / 1024:8.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
