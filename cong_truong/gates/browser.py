"""Accessibility gate of `invoke check-site`: axe-core in headless Chromium, plus keyboard,
reflow and console (CSP) checks, on one page of every kind at phone and desktop widths.

Chromium comes from Debian (/usr/bin/chromium); Playwright never downloads a browser here
(``playwright install`` is never run; the system browser is enough). The output folder is served on 127.0.0.1 by a small threaded
http.server inside this process.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

from .failure import Failure

CHROMIUM = os.environ.get("PORTAL_CHROMIUM") or "/usr/bin/chromium"  # ./dev sets it
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
WIDTHS = (360, 1280)
HEIGHT = 800
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAX_NODES = 5  # elements shown per rule and page
# Names of the kinds of page, by first URL segment (the rest are shown by their path).
KINDS = {
    "index.html": "trang chủ", "404.html": "trang 404", "luu-tru": "lưu trữ",
    "tu-khoa": "từ khóa", "chu-de": "chủ đề", "cong-khai": "công khai",
    "tuan-thu": "tuân thủ", "tim-kiem": "tìm kiếm", "bao-cao": "báo cáo",
}
PAGINATED = re.compile(r"^trang-\d+$")
NAV_SCRIPT = """() => {
  const nav = document.querySelector('header nav, nav.main-nav') || document.querySelector('nav');
  if (!nav) return [];
  // A menu drawn twice (folded for phones, open for wide screens) shows one copy at a time:
  // the links under a display:none element are not this width's menu.
  const shown = a => { for (let e = a; e && e !== nav.parentElement; e = e.parentElement)
    if (getComputedStyle(e).display === 'none') return false; return true; };
  // A menu hidden whole at this width stays the menu: Tab must still reach it.
  const all = [...nav.querySelectorAll('a[href]')], links = all.filter(shown);
  return (links.length ? links : all).map((a, i) => {
    a.dataset.scNav = String(i); return a.textContent.trim() || a.getAttribute('href'); });
}"""
FOCUS_SCRIPT = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const cs = getComputedStyle(el), r = el.getBoundingClientRect();
  return {tag: el.tagName.toLowerCase(), html: el.outerHTML.slice(0, 160),
          nav: el.dataset.scNav ?? null, expanded: el.getAttribute('aria-expanded'),
          folded: el.tagName === 'SUMMARY' && el.parentElement.tagName === 'DETAILS'
            && !el.parentElement.open,
          inHeader: !!el.closest('header'),
          outlineStyle: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth) || 0,
          boxShadow: cs.boxShadow, rect: [r.left, r.top, r.right, r.bottom],
          viewport: [innerWidth, innerHeight]};
}"""
REFLOW_SCRIPT = "() => document.documentElement.scrollWidth - window.innerWidth"
# At phone width: table cells squeezed to a word per line, and links or buttons hidden beyond
# the visible part of a horizontally scrolled box (a table cut off at the right edge).
NARROW_CELL_PX = 64
LAYOUT_SCRIPT = """(minWidth) => {
  const found = [], tag = el => el.outerHTML.slice(0, 120);
  const shown = el => {  // rendered, and not in a 1px visually-hidden box (a stacked thead)
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') return false;
    for (let e = el; e; e = e.parentElement) {
      const r = e.getBoundingClientRect(); if (r.width <= 1 || r.height <= 1) return false; }
    return true; };
  for (const cell of document.querySelectorAll('main td, main th')) {
    if (!shown(cell)) continue;
    const r = cell.getBoundingClientRect(), words = cell.textContent.trim().split(/\\s+/);
    const line = parseFloat(getComputedStyle(cell).lineHeight) || 20;
    if (r.width < minWidth && words.length >= 3 && r.height >= 3 * line)
      found.push(['narrow-cell', tag(cell), Math.round(r.width)]);
  }
  for (const box of document.querySelectorAll('main *')) {
    const cs = getComputedStyle(box);
    if (!['auto', 'scroll', 'hidden'].includes(cs.overflowX) || box.scrollWidth <= box.clientWidth + 1) continue;
    const edge = box.getBoundingClientRect().right;
    for (const el of box.querySelectorAll('a[href], button, input, select, textarea')) {
      if (shown(el) && el.getBoundingClientRect().left >= edge - 1) {
        found.push(['out-of-reach', tag(el), Math.round(box.scrollWidth - box.clientWidth)]);
        break;
      }
    }
  }
  return found;
}"""
LAYOUT_MESSAGES = {
    "narrow-cell": "Ô bảng chỉ rộng {0}px, chữ xuống dòng từng từ: trên điện thoại nên hiển thị "
                   "bảng thành từng thẻ (lớp «stack» với data-label)",
    "out-of-reach": "Liên kết nằm ngoài phần nhìn thấy của khung cuộn ngang (rộng hơn {0}px): "
                    "người đọc trên điện thoại không thấy nó",
}


def missing_browser() -> str | None:
    if not os.path.exists(CHROMIUM):
        return (f"Không có Chromium ({CHROMIUM}): apt-get install -y chromium fonts-noto-core.")
    try:
        import axe_playwright_python  # noqa: F401
        import playwright  # noqa: F401
    except ImportError:
        return "Thiếu gói playwright / axe-playwright-python: pip install -r requirements-test.txt."
    return None


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # no request log on the console
        pass


@contextlib.contextmanager
def serve(output: str):
    """Serve *output* on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=os.path.abspath(output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def group_key(rel: str) -> tuple:
    """Pages of one kind share a key: top-level pages are each their own kind; deeper pages
    group by first folder and shape (pagination pages apart)."""
    parts = rel.split("/")
    if len(parts) <= 2:
        return (rel,)
    shape = tuple("trang-N" if PAGINATED.match(p) else "*" for p in parts[1:-1])
    return (parts[0],) + shape


def sample_pages(output: str, pages: list[str]) -> list[str]:
    """One page of every kind: every top-level page, and the largest page of each deeper
    group (the one most likely to hold tables, images and long lists)."""
    groups: dict[tuple, list[str]] = {}
    for rel in pages:
        groups.setdefault(group_key(rel), []).append(rel)
    chosen = [max(items, key=lambda r: (os.path.getsize(os.path.join(output, r)), r))
              for items in groups.values()]
    return sorted(chosen, key=lambda r: (r.count("/"), r))


def describe(rel: str) -> str:
    """"chủ đề: /chu-de/x/" for known kinds, else just the URL path."""
    path = "/" + rel.removesuffix("index.html")
    kind = KINDS.get(rel) or KINDS.get(rel.split("/")[0])
    return f"{kind}: {path}" if kind else path


def page_url(base: str, rel: str) -> str:
    rel = rel.removesuffix("index.html")
    return base + quote(rel)


def _axe_failures(rel: str, width: int, result: dict) -> list[tuple]:
    found = []
    for violation in result.get("violations", []):
        nodes = violation.get("nodes", [])
        for node in nodes[:MAX_NODES]:
            target = " ".join(str(t) for t in node.get("target", []))
            found.append((rel, violation["id"], target, (node.get("html") or "")[:160],
                          f"{violation.get('help', '')} ({violation.get('impact')})", width))
        if len(nodes) > MAX_NODES:
            found.append((rel, violation["id"], "…", "",
                          f"và {len(nodes) - MAX_NODES} phần tử khác", width))
    return found


def _merge(found: list[tuple]) -> list[Failure]:
    """One failure per page, rule and element, listing the widths where it happens."""
    merged: dict[tuple, list] = {}
    for rel, rule, target, html, message, width in found:
        key = (rel, rule, target, html, message)
        merged.setdefault(key, []).append(width)
    failures = []
    for (rel, rule, target, html, message), widths in merged.items():
        where = ", ".join(f"{w}px" for w in sorted(set(widths)))
        element = f"{target}  {html}".strip()
        failures.append(Failure("a11y", rel, rule, element, f"{message} [{where}]"))
    return failures


def _focus_info(page):
    return page.evaluate(FOCUS_SCRIPT)


def focus_visible_failures(page, rel: str, tabs: int = 12) -> list[Failure]:
    """Tab through the first elements: each focused link or button shows a focus indicator."""
    failures = []
    page.keyboard.press("Tab")
    for _ in range(tabs):
        info = _focus_info(page)
        if info is None:
            break
        visible = (info["outlineStyle"] != "none" and info["outlineWidth"] > 0) or \
            (info["boxShadow"] not in ("none", ""))
        if not visible:
            failures.append(Failure("a11y", rel, "focus-visible", info["html"],
                                    "Phần tử nhận tiêu điểm bàn phím không có viền/dấu hiệu "
                                    "tiêu điểm (WCAG 2.4.7)."))
        page.keyboard.press("Tab")
    return failures


def menu_failures(page, rel: str, width: int) -> list[Failure]:
    """At phone width, Tab reaches every main-menu link, each visible when focused;
    a menu button (aria-expanded="false") or a folded <details> in the header is opened with
    Enter."""
    names = page.evaluate(NAV_SCRIPT)
    if not names:
        return [Failure("a11y", rel, "menu-missing", "", "Không tìm thấy trình đơn chính "
                        "(<nav> trong <header>).")]
    reached: dict[str, bool] = {}
    first_html = None
    page.keyboard.press("Tab")
    for _ in range(len(names) + 60):
        info = _focus_info(page)
        if info is None:
            break
        if first_html is None:
            first_html = info["html"]
        elif info["html"] == first_html:
            break  # tabbed all the way round
        if info["inHeader"] and (info["tag"] == "button" and info["expanded"] == "false"
                                 or info["folded"]):
            page.keyboard.press("Enter")  # a menu button, or a folded <details> menu
        if info["nav"] is not None:
            left, top, right, bottom = info["rect"]
            view_w, view_h = info["viewport"]
            inside = right - left > 0 and bottom - top > 0 and left >= -1 and top >= -1 \
                and right <= view_w + 1 and bottom <= view_h + 1
            reached[info["nav"]] = inside or reached.get(info["nav"], False)
        if len(reached) == len(names) and all(reached.values()):
            break
        page.keyboard.press("Tab")
    failures = []
    for index, name in enumerate(names):
        state = reached.get(str(index))
        if state is None:
            failures.append(Failure("a11y", rel, "menu-keyboard", name,
                                    f"Phím Tab không tới được mục trình đơn «{name}» "
                                    f"[{width}px] (WCAG 2.1.1)."))
        elif not state:
            failures.append(Failure("a11y", rel, "menu-offscreen", name,
                                    f"Mục trình đơn «{name}» nhận tiêu điểm nhưng nằm ngoài "
                                    f"màn hình [{width}px] (WCAG 2.4.7)."))
    return failures


def check_pages(output: str, pages: list[str]) -> tuple[list[Failure], list[str]]:
    """Run every browser check on *pages*; returns (failures, lines describing coverage).

    Each page is loaded once; axe is injected once and run at each width (the viewport is
    resized in between, so layout-dependent rules see the phone and the desktop layout).
    """
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    if not pages:
        return [], []
    axe_script = Axe().axe_script
    options = json.dumps({"runOnly": {"type": "tag", "values": AXE_TAGS},
                          "resultTypes": ["violations"]})
    found: list[tuple] = []
    failures: list[Failure] = []
    covered = []
    with serve(output) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            context = browser.new_context(viewport={"width": WIDTHS[0], "height": HEIGHT},
                                          locale="vi-VN")
            page = context.new_page()
            console: list[str] = []
            page.on("console", lambda m: console.append(m.text) if m.type == "error"
                    and not m.text.startswith("Failed to load resource") else None)
            page.on("pageerror", lambda e: console.append(str(e)))
            # A file the page asks for and the output lacks (the browser's own implicit
            # /favicon.ico request aside); the URL says which, unlike the console message.
            page.on("response", lambda r: console.append(f"HTTP {r.status}: {r.url}")
                    if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
            for rel in pages:
                console.clear()
                page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
                page.goto(page_url(base, rel), wait_until="load")
                page.evaluate(axe_script)
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": HEIGHT})
                    if width == min(WIDTHS):
                        overflow = page.evaluate(REFLOW_SCRIPT)
                        if overflow > 1:
                            found.append((rel, "reflow", "", "", f"Trang rộng hơn màn hình "
                                          f"{overflow}px: phải cuộn ngang (WCAG 1.4.10)",
                                          width))
                        for rule, html, figure in page.evaluate(LAYOUT_SCRIPT, NARROW_CELL_PX):
                            found.append((rel, rule, "", html,
                                          LAYOUT_MESSAGES[rule].format(figure), width))
                    result = page.evaluate(f"() => axe.run(document, {options})")
                    found += _axe_failures(rel, width, result)
                for text in dict.fromkeys(console):
                    found.append((rel, "console", "", text[:200],
                                  "Lỗi trong trình duyệt (tệp thiếu, mã bị CSP chặn…)",
                                  WIDTHS[0]))
                covered.append(describe(rel))
            home = "index.html" if "index.html" in pages else pages[0]
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": HEIGHT})
                page.goto(page_url(base, home), wait_until="load")
                if width == max(WIDTHS):
                    failures += focus_visible_failures(page, home)
                else:
                    failures += menu_failures(page, home, width)
            context.close()
        finally:
            browser.close()
    seen = set()
    unique = []
    for failure in _merge(found) + failures:
        key = (failure.page, failure.rule, failure.element, failure.message)
        if key not in seen:
            seen.add(key)
            unique.append(failure)
    return unique, covered
