"""`python -m portal_core.check [--dev]` (`invoke check`): validate all content, write nothing,
and say whether publishing will succeed.

Runs Pelican's reading phase with the publishing settings (publishconf.py, strict: a warning
blocks publishing, as `invoke build --strict` and `invoke publish` do) and PORTAL_CHECK_ONLY,
so every plugin's rules apply exactly as in the publishing build; portal_core stops the run
before anything is written. Any other warning Pelican or a plugin logs would also stop the
strict build (`--fatal warnings`), so it is counted too. The last line is the verdict:
"sẽ xuất bản được" or "sẽ KHÔNG xuất bản được: N vấn đề". `--dev` checks the rules of the
preview build instead (only errors block).

`--phap-ly` prints instead the maintainers' report of the legal bases in the portal's data:
every basis not yet verified, then those read only in a secondary source or inferred, each
with its file, entry, dates and working note (`legal_report`). Nothing of it is ever published.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile

PUBLISHING = "publishconf.py"
DEVELOPMENT = "pelicanconf.py"


class WarningCounter(logging.Handler):
    """Warnings and errors logged during the run, other than portal_core's own summary of its
    report (the report's problems are counted from the report itself)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        if record.name != "portal_core":
            self.records.append(record)


def verdict(blocking: int, errors: int, warnings: int, strict: bool) -> str:
    """The last line of `invoke check`."""
    if not blocking:
        return ("Kết luận: sẽ xuất bản được — không có lỗi" +
                (" hay cảnh báo nào chặn bản xuất bản." if strict else " chặn bản xem trước."))
    parts = [f"{errors} lỗi"] + ([f"{warnings} cảnh báo"] if strict and warnings else [])
    return (f"Kết luận: sẽ KHÔNG xuất bản được — {blocking} vấn đề chặn ({', '.join(parts)}"
            + ("; bản xuất bản coi cảnh báo là lỗi" if strict and warnings else "")
            + "). Sửa theo báo cáo ở trên rồi chạy lại «cong-truong check».")


def legal_report(settings: dict) -> str:
    """The maintainers' report: the ``legal_notes(settings)`` of every enabled plugin that has
    one (portal_disclosure, portal_sections …), formatted by portal_core.public."""
    import importlib

    from portal_core.public import format_review

    notes = []
    for name in settings.get("PLUGINS") or []:
        if not isinstance(name, str):
            continue
        module = importlib.import_module(name)
        if callable(getattr(module, "legal_notes", None)):
            notes += module.legal_notes(settings)
    return format_review(notes)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Kiểm tra nội dung cổng thông tin.")
    parser.add_argument("--dev", action="store_true",
                        help="luật của bản xem trước (chỉ lỗi mới chặn), không phải bản xuất bản")
    parser.add_argument("--strict", action="store_true",
                        help="(mặc định) luật của bản xuất bản: cảnh báo cũng chặn")
    parser.add_argument("--settings", default=None,
                        help="tệp cấu hình (mặc định publishconf.py; với --dev: pelicanconf.py)")
    parser.add_argument("--content", default=None, help="thư mục nội dung (mặc định content/)")
    parser.add_argument("--today", default=None, help="ngày hôm nay YYYY-MM-DD (PORTAL_TODAY)")
    parser.add_argument("--phap-ly", dest="legal", action="store_true",
                        help="in báo cáo căn cứ pháp lý cho người duy trì dữ liệu (căn cứ chưa "
                             "kiểm chứng …), không kiểm tra nội dung")
    args = parser.parse_args(argv)
    if args.legal:
        from pelican.settings import read_settings

        from portal_core.build import run_guarded

        override = {"PATH": os.path.abspath(args.content)} if args.content else {}
        shown = []
        code = run_guarded(lambda: shown.append(legal_report(read_settings(
            args.settings or DEVELOPMENT, override=override))), strict=False)
        if code:
            return code
        sys.stdout.write(shown[0])
        return 0
    strict = not args.dev
    settings_file = args.settings or (PUBLISHING if strict else DEVELOPMENT)

    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    from portal_core import CheckComplete
    from portal_core.build import run_guarded

    init_logging(level=logging.WARNING)
    counter = WarningCounter()
    logging.getLogger().addHandler(counter)
    try:
        with tempfile.TemporaryDirectory(prefix="portal-check-") as scratch:
            override = {"PORTAL_CHECK_ONLY": True, "OUTPUT_PATH": scratch, "PORTAL_STRICT": strict,
                        "CACHE_PATH": os.path.join(scratch, "cache"),
                        "DELETE_OUTPUT_DIRECTORY": False}
            if args.content:
                override["PATH"] = os.path.abspath(args.content)
            if args.today:
                override["PORTAL_TODAY"] = args.today
            finished = []

            def run():  # a program error ends with its traceback under a Vietnamese heading
                try:
                    Pelican(read_settings(settings_file, override=override)).run()
                except CheckComplete as done:
                    finished.append(done)

            code = run_guarded(run, strict=False)
    finally:
        logging.getLogger().removeHandler(counter)
    if code:
        return code
    if not finished:
        print("Kiểm tra không hoàn tất (check did not complete).", file=sys.stderr)
        return 2
    done = finished[0]
    others = len(counter.records)  # logged warnings: the strict build would stop on the first
    blocking = done.errors + (others if strict else 0)
    # on stderr, after the report (also on stderr), so the verdict is always the last line
    print(verdict(blocking, done.error_count, done.warning_count + others, strict),
          file=sys.stderr, flush=True)
    return 1 if blocking else 0


if __name__ == "__main__":
    sys.exit(main())
