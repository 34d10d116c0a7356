"""What a search costs a reader, and whether it stays within budget: a fixed set of queries.

    python bench/search_cost.py bench/work/ours-5000/output              # the fixed set
    python bench/search_cost.py bench/work/ours-5000/output "hoc phi"    # one query
    python bench/search_cost.py OUTPUT --shot /tmp/shot.png "học phí"

Serves the folder on 127.0.0.1, opens /tim-kiem/ in Debian's Chromium at phone width, types
each query (a fresh page each time, nothing cached), and counts the requests made for it with
their body sizes: Pagefind's code (JS, WebAssembly: downloaded once, then cached by the
browser) and the query's own data — each index part's entry and meta, the index chunks, the
fragments of the shown results. The budget (``BUDGET_KB``, issue 20) is on the query's own
data. Precision@5: the share of the first five results whose page (its <main>: title, text,
tags) holds the query's syllables side by side (with its marks when it has any, else with any
marks).
Exit code 1 when a query is over budget (``bench/run.py`` reports it).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import sys
import threading
import time
import unicodedata

BUDGET_KB = 300
# The fixed query set: what parents type, with and without marks (issue 20).
QUERIES = ("tuyen sinh lop 10", "tuyển sinh lớp 10", "học phí", "hoc phi", "đăng ký",
           "dang ky", "an toàn giao thông", "thi học kỳ", "khai giảng", "hoc bong")
KINDS = (("wasm", "wasm."), ("entry", "pagefind-entry"), ("meta", ".pf_meta"),
         ("index", "/index/"), ("fragment", "/fragment/"), ("js", ".js"))
CODE = ("wasm", "js")  # Pagefind's code: cached after the first search


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _syllables(text: str, exact: bool) -> str:
    from portal_search.tokens import syllables

    return " ".join(s[0] + (s[1] if exact else "")
                    for run in syllables(text) for s in run)


def precision(query: str, results: list[dict], root: str, k: int = 5) -> float | None:
    """Share of the first *k* results whose page holds the query's syllables in a row, in
    its <main> (title, text, tags; read from the built file, not downloaded); None when no
    indexed page of the site holds them (nothing to find: any result is a near match)."""
    exact = any(s[1] != "0" for s in _runs(query))
    wanted = f" {_syllables(query, exact)} "
    if not results or not any(wanted in text for text in _site(root, exact)):
        return None
    good = sum(wanted in f" {_syllables(_main_text(root, r['url']), exact)} "
               for r in results[:k])
    return round(good / min(k, len(results)), 2)


@functools.lru_cache(maxsize=4)
def _site(root: str, exact: bool) -> tuple[str, ...]:
    """The syllables of every indexed page's <main> (pages with search tokens)."""
    texts = []
    for base, _, names in os.walk(root):
        if "index.html" in names and "/pagefind" not in base:
            with open(os.path.join(base, "index.html"), encoding="utf-8") as handle:
                if "data-pagefind-body" not in handle.read():
                    continue
            url = "/" + os.path.relpath(base, root).replace(os.sep, "/") + "/"
            texts.append(f" {_syllables(_main_text(root, url), exact)} ")
    return tuple(texts)


def _main_text(root: str, url: str) -> str:
    import html

    path = os.path.join(root, url.strip("/"), "index.html")
    try:
        with open(path, encoding="utf-8") as handle:
            markup = handle.read()
    except OSError:
        return ""
    main = re.search(r"<main\b.*?</main>", markup, re.S)
    # Every text of <main> (the article's footer with its tags too); inline tags join words.
    main = re.sub(r"</?(?:a|b|em|strong|i|span|abbr|time)\b[^>]*>", "", main.group(0) if main else "")
    return html.unescape(re.sub(r"<[^>]+>", " | ", main))


def _runs(query: str):
    from portal_search.tokens import syllables

    return [s for run in syllables(query) for s in run]


def measure_all(root: str, queries, shot: str | None = None) -> list[dict]:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Quiet, directory=root))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    rows = []
    try:
        with sync_playwright() as playwright:
            chromium = os.environ.get("PORTAL_CHROMIUM") or "/usr/bin/chromium"
            browser = playwright.chromium.launch(executable_path=chromium,
                                                 args=["--no-sandbox", "--disable-gpu"])
            for query in queries:
                rows.append(_measure(browser, base, query, shot, root))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return rows


def _measure(browser, base: str, query: str, shot: str | None, root: str) -> dict:
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
                           ".textContent; return s && !s.startsWith('Đang'); }", timeout=60000)
    page.wait_for_function("() => !document.getElementById('search-status').textContent"
                           ".startsWith('Tìm thấy') || document.querySelector("
                           "'#search-results li')", timeout=60000)
    page.wait_for_load_state("networkidle")
    seconds = time.perf_counter() - start
    status = page.text_content("#search-status")
    results = page.evaluate("""() => [...document.querySelectorAll('#search-results li')]
        .map(li => ({url: new URL(li.querySelector('h2 a').href).pathname,
                     title: li.querySelector('h2').textContent,
                     excerpt: li.querySelector('.search-excerpt').textContent}))""")
    if shot:
        page.screenshot(path=shot, full_page=True)
    page.close()
    kinds: dict[str, list[int]] = {}
    for url, size in requests[before:]:
        kind = next((name for name, mark in KINDS if mark in url), "other")
        kinds.setdefault(kind, [0, 0])
        kinds[kind][0] += 1
        kinds[kind][1] += size
    data = sum(size for kind, (_, size) in kinds.items() if kind not in CODE)
    return {"query": unicodedata.normalize("NFC", query), "status": status,
            "seconds": round(seconds, 2), "kinds": kinds, "results": len(results),
            "found": int(re.search(r"Tìm thấy (\d+)", status or "").group(1))
            if re.search(r"Tìm thấy (\d+)", status or "") else 0,
            "top": [r["url"] for r in results[:3]], "precision_at_5": precision(query, results, root),
            "data_kb": round(data / 1024, 1),
            "total_kb": round(sum(size for _, size in kinds.values()) / 1024, 1)}


def table(rows: list[dict]) -> str:
    lines = ["| query | results found | P@5 | index + meta + fragments KB | with Pagefind's code KB "
             "| requests |", "|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        p5 = "–" if row["precision_at_5"] is None else row["precision_at_5"]
        lines.append(f"| {row['query']} | {row['found']} | {p5} | "
                     f"{row['data_kb']} | {row['total_kb']} | "
                     f"{sum(count for count, _ in row['kinds'].values())} |")
    return "\n".join(lines)


def verdict(rows: list[dict]) -> tuple[bool, str]:
    worst = max(rows, key=lambda r: r["data_kb"])
    ok = worst["data_kb"] <= BUDGET_KB
    return ok, (f"search: at most {worst['data_kb']} KB of index, meta and fragments per query "
                f"(«{worst['query']}»; budget ≤ {BUDGET_KB} KB) {'OK' if ok else 'MISSED'}")


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    shot = None
    if "--shot" in argv:
        at = argv.index("--shot")
        shot = argv[at + 1]
        argv = argv[:at] + argv[at + 2:]
    if not argv:
        print(__doc__)
        return 2
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                    "plugins"))
    rows = measure_all(argv[0], argv[1:] or QUERIES, shot)
    for row in rows:
        print(f"{row['query']}: {row['status']} ({row['seconds']} s on loopback)")
        for kind, (count, size) in sorted(row["kinds"].items()):
            print(f"  {kind:9} {count:4} requests {size / 1024:8.1f} KB")
    ok, line = verdict(rows)
    print("\n" + table(rows) + "\n\n" + line)
    if os.environ.get("SEARCH_COST_JSON"):
        with open(os.environ["SEARCH_COST_JSON"], "w", encoding="utf-8") as handle:
            json.dump(rows, handle, ensure_ascii=False, indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
