"""The school's units (Ban Truyền thông, Công đoàn, Đoàn Thanh niên, tổ chuyên môn …) as data.

Pure functions: load and check ``content/data/units.yml``, then resolve a post's ``Unit:``
(id or name, any case, with or without diacritics) with a "did you mean" for unknown values.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from portal_core.dates import parse_iso, within
from portal_core.problems import Problem
from portal_core.text import closest, fold, nfc

PLUGIN = "portal_office"
UNIT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KINDS = {
    "ban": "Ban",
    "doan-the": "Đoàn thể",
    "to-chuyen-mon": "Tổ chuyên môn",
    "to-van-phong": "Tổ văn phòng",
    "lanh-dao": "Lãnh đạo",
    "khac": "Khác",
}


@dataclasses.dataclass
class Unit:
    id: str
    name: str
    kind: str
    parent: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    former_names: tuple[tuple[str, dt.date | None, dt.date | None], ...] = ()
    description: str = ""
    posts: list = dataclasses.field(default_factory=list)

    @property
    def kind_title(self) -> str:
        return KINDS.get(self.kind, self.kind)

    def name_on(self, day: dt.date) -> str:
        """The unit's name on *day* (a renamed unit keeps its old names with their dates)."""
        for name, start, end in self.former_names:
            if within(day, start, end):
                return name
        return self.name

    def active_on(self, day: dt.date) -> bool:
        return within(day, self.valid_from, self.valid_to)

    @property
    def count(self) -> int:
        return len(self.posts)


def _date(value, file, field, problems) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return parse_iso(value).date()
    except ValueError:
        problems.append(Problem(file, field, str(value), "Ngày không đúng dạng.",
                                "Dạng YYYY-MM-DD, ví dụ 2025-07-01.", plugin=PLUGIN))
        return None


def load_units(data, file: str) -> tuple[dict[str, Unit], str, list[Problem]]:
    """Units by id, the default unit's id, problems. *data* is the parsed units.yml."""
    problems: list[Problem] = []
    if data is None:
        return {}, "", problems
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        return {}, "", [Problem(file, "units", "", "Tệp đơn vị phải có danh sách «units:».",
                                "Xem plugins/portal_office/README.md.", plugin=PLUGIN)]
    units: dict[str, Unit] = {}
    names: dict[str, str] = {}
    for index, raw in enumerate(data["units"]):
        where = f"units[{index}]"
        if not isinstance(raw, dict):
            problems.append(Problem(file, where, str(raw), "Mỗi đơn vị là một bảng khóa: giá trị.",
                                    "id, name, kind, parent.", plugin=PLUGIN))
            continue
        ident, name, kind = (str(raw.get(k) or "").strip() for k in ("id", "name", "kind"))
        missing = [k for k, v in (("id", ident), ("name", name), ("kind", kind)) if not v]
        for key in missing:
            problems.append(Problem(file, f"{where}.{key}", "", "Thiếu thông tin bắt buộc.",
                                    f"Thêm «{key}: …».", plugin=PLUGIN))
        if missing:
            continue
        if not UNIT_ID.match(ident):
            problems.append(Problem(file, f"{where}.id", ident, "Mã đơn vị không hợp lệ.",
                                    "Chữ thường không dấu, số và dấu gạch nối, ví dụ "
                                    "«to-ngu-van».", plugin=PLUGIN))
            continue
        if ident in units:
            problems.append(Problem(file, f"{where}.id", ident, "Mã đơn vị bị trùng.",
                                    "Mỗi đơn vị một mã riêng.", plugin=PLUGIN))
            continue
        if kind not in KINDS:
            problems.append(Problem(file, f"{where}.kind", kind, "Loại đơn vị không hợp lệ.",
                                    "Một trong: " + ", ".join(KINDS), plugin=PLUGIN))
        former = []
        for j, old in enumerate(raw.get("former_names") or []):
            if not isinstance(old, dict) or not old.get("name"):
                problems.append(Problem(file, f"{where}.former_names[{j}]", str(old),
                                        "Tên cũ cần «name», «valid_from», «valid_to».",
                                        "Ví dụ: {name: Tổ Toán - Tin, valid_to: 2024-08-31}",
                                        plugin=PLUGIN))
                continue
            former.append((str(old["name"]),
                           _date(old.get("valid_from"), file, f"{where}.former_names[{j}]"
                                 ".valid_from", problems),
                           _date(old.get("valid_to"), file, f"{where}.former_names[{j}].valid_to",
                                 problems)))
        unit = Unit(ident, name, kind, str(raw.get("parent") or "").strip(),
                    _date(raw.get("valid_from"), file, f"{where}.valid_from", problems),
                    _date(raw.get("valid_to"), file, f"{where}.valid_to", problems),
                    tuple(former), str(raw.get("description") or "").strip())
        units[ident] = unit
        for label in [name] + [f[0] for f in former]:
            if fold(label) in names and names[fold(label)] != ident:
                problems.append(Problem(file, f"{where}.name", label, "Tên đơn vị bị trùng.",
                                        f"Đã dùng cho «{names[fold(label)]}».", plugin=PLUGIN))
            names[fold(label)] = ident
    for unit in units.values():
        if unit.parent and unit.parent not in units:
            problems.append(Problem(file, f"units.{unit.id}.parent", unit.parent,
                                    "Đơn vị cấp trên không có trong danh sách.",
                                    hint_for(unit.parent, units), plugin=PLUGIN))
    default = str(data.get("default") or "").strip()
    if default and default not in units:
        problems.append(Problem(file, "default", default, "Đơn vị mặc định không có trong "
                                "danh sách.", hint_for(default, units), plugin=PLUGIN))
        default = ""
    return units, default, problems


def _candidates(units: dict[str, Unit]) -> dict[str, str]:
    found = {}
    for unit in units.values():
        found[fold(unit.id)] = unit.id
        found[fold(unit.name)] = unit.name
        for name, _, _ in unit.former_names:
            found[fold(name)] = name
    return found


def hint_for(value: str, units: dict[str, Unit]) -> str:
    guess = closest(value, _candidates(units), limit=3)
    if guess:
        return "Có phải ý bạn là: " + ", ".join(guess) + "?"
    return "Các đơn vị: " + ", ".join(units) + "."


def resolve_unit(value: str, units: dict[str, Unit]) -> Unit | None:
    """The unit named by *value* (its id, its name or a former name; case and diacritics
    folded). A value with some diacritics wrong is not accepted: it is not the name."""
    text = " ".join(nfc(str(value or "")).split())
    if not text:
        return None
    for unit in units.values():
        labels = [unit.id, unit.name] + [n for n, _, _ in unit.former_names]
        for label in labels:
            if text.lower() == label.lower():
                return unit
            # no diacritics at all: compare folded (the editor typed without marks)
            if fold(text) == text.lower() and fold(text) == fold(label):
                return unit
    return None
