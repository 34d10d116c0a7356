"""`python -m cong_truong.gates` (`invoke check-site`): the quality gates over a built site, in one run.

Gates, in order (fast first):
- links: every internal link, anchor, image and attachment resolves to a file (links.py);
- html: the Nu HTML checker, 0 errors (vnu.py);
- budgets: page weight (HTML ≤ 50 KB, CSS ≤ 20 KB, JavaScript only on the search page,
  images no larger than displayed, no request to another host) — budgets.py;
- a11y: axe-core (WCAG 2.0/2.1 A and AA) at 360 px and 1280 px on one page of every kind,
  keyboard focus visible, main menu usable by keyboard at phone width, no reflow, no console
  or CSP error (browser.py).

Every failure is printed with the page, the rule and the element; then a count per gate.
Exit code 1 if any gate failed or could not run (a missing tool is a failure, not a pass);
`--skip` leaves a gate out explicitly.
"""

from __future__ import annotations

import argparse
import os
import runpy
import sys
import time

from . import browser, budgets, links, vnu

GATES = ("links", "html", "budgets", "a11y")
LABELS = {"links": "Liên kết", "html": "HTML hợp lệ (vnu)",
          "budgets": "Ngân sách trang (dung lượng, máy chủ ngoài)",
          "a11y": "Tiếp cận (axe, bàn phím)"}


def project() -> str:
    """The school's project folder (publishconf.py, node_modules/): found from the current
    folder as every command finds it; the current folder when there is none."""
    from ..project import root_or_none

    return root_or_none() or os.getcwd()


def default_siteurls() -> list[str]:
    """SITEURL of the publishing build (publishconf.py), so absolute links count as internal."""
    urls = [os.environ.get("PORTAL_SITEURL", "")]
    try:  # read as a file: the gates never import the plugins' modules themselves
        urls.append(runpy.run_path(os.path.join(project(), "publishconf.py")).get("SITEURL", ""))
    except Exception:  # noqa: BLE001 - a broken settings file must not hide the other gates
        pass
    return [u for u in dict.fromkeys(urls) if u]


def run(output: str, skip: set[str], all_pages: bool, siteurls: list[str],
        out=sys.stdout) -> int:
    if not os.path.isfile(os.path.join(output, "index.html")):
        print(f"Không thấy trang đã dựng trong {output} (thiếu index.html): chạy cong-truong build "
              "trước.", file=out)
        return 2
    pages = links.html_pages(output)
    results: dict[str, list | str] = {}

    def gate(name, action):
        if name in skip:
            results[name] = "bỏ qua (--skip)"
            return
        started = time.monotonic()
        print(f"== {LABELS[name]} …", file=out, flush=True)
        outcome = action()
        if isinstance(outcome, str):
            print(f"  KHÔNG CHẠY ĐƯỢC: {outcome}", file=out)
        else:
            for failure in outcome:
                print(failure.format(), file=out)
            print(f"  ({len(outcome)} lỗi, {time.monotonic() - started:.1f} s)", file=out)
        results[name] = outcome

    gate("links", lambda: links.check_links(output, siteurls, pages))
    root = project()
    gate("html", lambda: vnu.missing_tool(root) or vnu.check_html(output, root))
    gate("budgets", lambda: budgets.check_output(output, siteurls[0] if siteurls else None))

    def a11y():
        reason = browser.missing_browser()
        if reason:
            return reason
        chosen = pages if all_pages else browser.sample_pages(output, pages)
        failures, covered = browser.check_pages(output, chosen)
        print(f"  Đã kiểm tra {len(covered)} trang × {len(browser.WIDTHS)} độ rộng "
              f"({', '.join(str(w) for w in browser.WIDTHS)} px):", file=out)
        for line in covered:
            print(f"    - {line}", file=out)
        return failures

    gate("a11y", a11y)

    print("\nTổng kết (summary):", file=out)
    failed = False
    for name in GATES:
        outcome = results.get(name)
        if isinstance(outcome, list):
            status = "đạt" if not outcome else f"{len(outcome)} lỗi"
            failed = failed or bool(outcome)
        else:
            status = outcome or "không chạy"
            failed = failed or name not in skip
        print(f"  {LABELS[name]}: {status}", file=out)
    print("Kết quả: " + ("CHƯA ĐẠT." if failed else "đạt mọi cổng kiểm tra."), file=out)
    return 1 if failed else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cong_truong.gates", description="Kiểm tra trang đã dựng: liên kết, HTML, tiếp cận.")
    parser.add_argument("--output", default=None,
                        help="thư mục trang đã dựng (mặc định output/)")
    parser.add_argument("--skip", default="", help="bỏ qua cổng: " + ",".join(GATES))
    parser.add_argument("--all-pages", action="store_true",
                        help="kiểm tra tiếp cận mọi trang (mặc định: một trang mỗi loại)")
    parser.add_argument("--siteurl", action="append", default=None,
                        help="địa chỉ gốc coi là nội bộ (mặc định: SITEURL của publishconf.py)")
    args = parser.parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - set(GATES)
    if unknown:
        parser.error(f"cổng không có: {', '.join(sorted(unknown))} (chọn trong {', '.join(GATES)})")
    siteurls = args.siteurl if args.siteurl is not None else default_siteurls()
    return run(args.output or os.path.join(project(), "output"), skip, args.all_pages, siteurls)


if __name__ == "__main__":
    sys.exit(main())
