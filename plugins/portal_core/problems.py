"""Problems, not exceptions: every content mistake becomes a record, reported all at once."""

from __future__ import annotations

import dataclasses
import os
from collections import defaultdict

ERROR = "error"
WARNING = "warning"
# Where the portal's plugins are installed (site-packages, or plugins/ of the source tree)
PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclasses.dataclass(frozen=True)
class Problem:
    """One content problem. Texts are Vietnamese; *hint* says what would be valid."""

    file: str  # path relative to the project (or content) folder
    field: str  # metadata key or data field ("" when the whole file is concerned)
    value: str  # the value found ("" when missing)
    message: str  # what is wrong
    hint: str = ""  # the valid form or the closest valid value
    line: int | None = None
    severity: str = ERROR
    plugin: str = "portal_core"

    def format(self, strict: bool = False) -> str:
        """One report line; in a strict (publishing) report a warning says that it blocks."""
        where = f"dòng {self.line}: " if self.line else ""
        field = f"[{self.field}] " if self.field else ""
        value = f" — giá trị: «{self.value}»" if self.value != "" else ""
        hint = f"\n      → {self.hint}" if self.hint else ""
        label = "LỖI" if self.severity == ERROR else (
            "CẢNH BÁO (chặn xuất bản)" if strict else "CẢNH BÁO")
        return f"  {label} {where}{field}{self.message}{value}{hint}"


def relative(path: str, base: str) -> str:
    """A path relative to *base* with forward slashes, for messages; a file of the package
    (a law catalogue) relative to where the plugins are installed ("portal_x/catalogue.yml")."""
    for top in (base, PACKAGE_ROOT):
        try:
            rel = os.path.relpath(path, top)
        except ValueError:
            continue
        if not rel.startswith(".."):
            return rel.replace(os.sep, "/")
    return path


def format_report(problems: list[Problem], strict: bool = False) -> str:
    """All problems grouped by file, then one count line."""
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        by_file[problem.file or "(cấu hình)"].append(problem)
    lines = ["Kiểm tra nội dung (content check):"]
    for file in sorted(by_file):
        lines.append(f"{file}")
        for problem in sorted(by_file[file], key=lambda p: (p.line or 0, p.field)):
            lines.append(problem.format(strict))
    errors = sum(1 for p in problems if p.severity == ERROR)
    warnings = len(problems) - errors
    lines.append(
        f"Tổng cộng: {errors} lỗi, {warnings} cảnh báo (errors, warnings)"
        + (" — bản xuất bản coi cảnh báo là lỗi." if strict and warnings else "")
    )
    return "\n".join(lines)


def count_errors(problems: list[Problem], strict: bool = False) -> int:
    return sum(1 for p in problems if p.severity == ERROR or strict)
