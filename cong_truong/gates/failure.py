"""The one record every gate returns: what failed, where, and why (printed by the runner)."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Failure:
    """One failed check: the gate, the page (relative to the output, "" for the whole site),
    the rule, the element, a Vietnamese message; *figure* is what was measured against a
    limit (page budgets)."""

    gate: str
    page: str
    rule: str
    element: str
    message: str
    line: int | None = None
    figure: str = ""

    def format(self) -> str:
        where = self.page or "(toàn trang)"
        if self.line:
            where = f"{where}:{self.line}"
        figure = f" — {self.figure}" if self.figure else ""
        element = f"\n      {self.element}" if self.element else ""
        return f"  {where} [{self.rule}] {self.message}{figure}{element}"
