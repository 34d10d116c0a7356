"""`python -m portal_core.build`: Pelican's build, with a clean end (`invoke build`, `publish`).

Pelican's own `__main__` ends every failed build with a CRITICAL line and a Python traceback,
even when the failure is a content mistake an editor has just been told how to fix. This entry
point runs the same build (same settings, same plugins, same `--fatal warnings` logger) and
handles the outcome once, at the boundary:

- a content failure (portal_core's report, or a warning in a strict build): the report was
  already printed; one Vietnamese summary line follows, exit code 1, no traceback;
- any other exception is a program error: its traceback is printed under a Vietnamese heading
  that says so and where to report it, exit code 3 (so CI logs tell the two apart).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import traceback

# Pelican's FatalLogger raises this (a bare RuntimeError) from the logging call of the first
# warning (or error) once `--fatal warnings` is on: the warning itself was already printed.
FATAL_LOG_MESSAGE = "Warning or error encountered"
# Where a program error is reported: PORTAL_BUG_REPORT_URL (e.g. the repository's issues page)
REPORT_BUGS = "mục Issues của kho mã nguồn (hoặc người phụ trách kỹ thuật của trường)"

EXIT_CONTENT = 1
EXIT_BUG = 3


def is_fatal_warning(error: BaseException) -> bool:
    """True for the RuntimeError Pelican raises when a warning is fatal (strict build)."""
    return type(error) is RuntimeError and error.args == (FATAL_LOG_MESSAGE,)


def program_error_heading() -> str:
    where = os.environ.get("PORTAL_BUG_REPORT_URL") or REPORT_BUGS
    return ("\n=== LỖI CHƯƠNG TRÌNH (không phải lỗi nội dung) ===\n"
            "Đây là lỗi trong mã của cổng thông tin, không phải lỗi trong bài viết. "
            "Người soạn bài không cần sửa gì; hãy gửi toàn bộ thông báo dưới đây cho nhóm "
            f"phát triển tại {where}\n(program error: please report it with the traceback below)")


def run_guarded(run, strict: bool) -> int:
    """Call *run()* (a Pelican build); return the exit code, printing at most one line or,
    for a program error, its traceback under a Vietnamese heading."""
    from portal_core import CheckComplete, PortalContentError

    try:
        run()
    except PortalContentError as error:
        message = str(error).removeprefix("portal_core: ")
        print(f"Dựng trang thất bại: {message}", file=sys.stderr, flush=True)
        return EXIT_CONTENT
    except CheckComplete as done:  # not expected here, but never a traceback
        return done.exitcode
    except KeyboardInterrupt:
        print("Đã dừng (Ctrl+C).", file=sys.stderr, flush=True)
        return 130
    except Exception as error:  # noqa: BLE001 - the boundary: every exception ends here
        if strict and is_fatal_warning(error):
            print("Dựng trang thất bại: bản xuất bản coi mọi cảnh báo là lỗi (xem ở trên); trang "
                  "không được xuất bản.", file=sys.stderr, flush=True)
            return EXIT_CONTENT
        print(program_error_heading(), file=sys.stderr, flush=True)
        traceback.print_exception(error, file=sys.stderr)
        return EXIT_BUG
    return 0


DONE = re.compile(r"^Done: Processed (?P<counts>.*) in (?P<seconds>[\d.]+) seconds\.$")
DONE_WORDS = {"article": "bài viết", "draft": "bản nháp", "hidden article": "bài ẩn",
              "page": "trang", "hidden page": "trang ẩn", "draft page": "trang nháp"}


def translate_done(text: str) -> str:
    """Pelican's closing line in Vietnamese ("Done: Processed 49 articles, 2 drafts, … in 4.55
    seconds." → "Xong: 49 bài viết, 2 bản nháp, … trong 4,55 giây."); other text unchanged."""
    match = DONE.match(text.strip())
    if not match:
        return text
    parts = []
    for part in re.split(r", | and ", match["counts"]):
        number, _, noun = part.partition(" ")
        singular = noun[:-1] if noun.endswith("s") else noun
        if number.isdigit() and singular in DONE_WORDS:
            parts.append(f"{number} {DONE_WORDS[singular]}")
    seconds = match["seconds"].replace(".", ",")
    return f"Xong: {', '.join(parts)} trong {seconds} giây."


class _VietnameseConsole:
    """Pelican's rich console with its closing line translated (the rest passes through)."""

    def __init__(self, console):
        self._console = console

    def print(self, *objects, **kwargs):
        objects = tuple(translate_done(o) if isinstance(o, str) else o for o in objects)
        return self._console.print(*objects, **kwargs)

    def __getattr__(self, name):
        return getattr(self._console, name)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Dựng cổng thông tin (Pelican).")
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("-o", "--output", default=None, help="thư mục đầu ra")
    parser.add_argument("--content", default=None, help="thư mục nội dung (mặc định content/)")
    parser.add_argument("--strict", action="store_true",
                        help="bản xuất bản: mọi cảnh báo là lỗi (như pelican --fatal warnings)")
    args = parser.parse_args(argv)

    import pelican
    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    init_logging(level=logging.WARNING, fatal="warnings" if args.strict else "")
    if not isinstance(pelican.console, _VietnameseConsole):  # editors read Vietnamese only
        pelican.console = _VietnameseConsole(pelican.console)
    override = {}
    if args.output:
        override["OUTPUT_PATH"] = os.path.abspath(args.output)
    if args.content:
        override["PATH"] = os.path.abspath(args.content)

    def run():
        settings = read_settings(args.settings, override=override)
        Pelican(settings).run()

    return run_guarded(run, args.strict)


if __name__ == "__main__":
    sys.exit(main())
