"""`python -m portal_core.check [--strict]`: validate all content, write nothing.

Runs Pelican's reading phase with PORTAL_CHECK_ONLY, so every plugin's rules apply exactly as
in the real build; portal_core stops the run before anything is written.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Kiểm tra nội dung cổng thông tin.")
    parser.add_argument("--strict", action="store_true", help="coi cảnh báo là lỗi")
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--content", default=None, help="thư mục nội dung (mặc định content/)")
    parser.add_argument("--today", default=None, help="ngày hôm nay YYYY-MM-DD (PORTAL_TODAY)")
    args = parser.parse_args(argv)

    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    from portal_core import CheckComplete
    from portal_core.build import run_guarded

    init_logging(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="portal-check-") as scratch:
        override = {"PORTAL_CHECK_ONLY": True, "OUTPUT_PATH": scratch,
                    "CACHE_PATH": os.path.join(scratch, "cache"), "DELETE_OUTPUT_DIRECTORY": False}
        if args.strict:
            override["PORTAL_STRICT"] = True
        if args.content:
            override["PATH"] = os.path.abspath(args.content)
        if args.today:
            override["PORTAL_TODAY"] = args.today
        finished = []

        def run():  # a program error ends with its traceback under a Vietnamese heading
            try:
                Pelican(read_settings(args.settings, override=override)).run()
            except CheckComplete as done:
                finished.append(done)

        code = run_guarded(run, strict=False)
        if code:
            return code
        if finished:
            done = finished[0]
            print("Kiểm tra xong:", "có lỗi." if done.errors else "không có lỗi chặn.")
            return done.exitcode
    print("Kiểm tra không hoàn tất (check did not complete).", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
