"""School levels (cấp học): the data in levels.yml, a school's levels, and which catalogue
items apply to them.

A school declares ``level:`` in content/data/school.yml (``mam-non``, ``tieu-hoc``, ``thcs``,
``thpt``, ``lien-cap``, ``gdtx``); a liên cấp school also lists the levels it ``covers``. A
catalogue item (a TT 37 section, a công khai item) says which levels it applies to with
``levels: {ids: [...] | all, basis: …, confidence: …}``; an item applies to a school when the
two sets meet. Pure functions; problems are returned, never raised.
"""

from __future__ import annotations

import functools
import os

import yaml

from .problems import WARNING, Problem
from .text import closest, fold

HERE = os.path.dirname(os.path.abspath(__file__))
LEVELS_PATH = os.path.join(HERE, "levels.yml")
ALL = "all"


@functools.lru_cache(maxsize=1)
def data() -> dict:
    with open(LEVELS_PATH, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def levels() -> dict[str, dict]:
    """Every level by id, in the order of levels.yml."""
    return {level["id"]: level for level in data()["levels"]}


def reserved() -> dict[str, str]:
    return dict(data().get("reserved") or {})


def name(level_id: str) -> str:
    return str(levels().get(level_id, {}).get("name") or level_id)


def covered(level_id: str) -> list[str]:
    """The levels a school of *level_id* can cover (liên cấp: every other school level)."""
    return [i for i, level in levels().items() if not level.get("covers") and i != "gdtx"] \
        if levels().get(level_id, {}).get("covers") else [level_id]


def school_levels(school: dict) -> set[str]:
    """The levels a school teaches: {level}, or a liên cấp school's ``covers``. Empty when
    the school declares none (every item then applies, as before levels existed)."""
    level = str((school or {}).get("level") or "").strip()
    if level not in levels():
        return set()
    if levels()[level].get("covers"):
        covers = (school or {}).get("covers") or []
        return {str(c) for c in (covers if isinstance(covers, list) else [covers])} & set(levels())
    return {level}


def item_levels(raw) -> set[str] | None:
    """The ids of an item's ``levels:`` (None: every level). Accepts the mapping form
    ``{ids: [...], basis, confidence}``, a bare list, or ``all``."""
    ids = raw.get("ids") if isinstance(raw, dict) else raw
    if ids in (None, ALL, [ALL]):
        return None
    return {str(i) for i in (ids if isinstance(ids, list) else [ids])}


def applies(raw, school: dict) -> bool:
    """Whether an item with ``levels: raw`` applies to *school*."""
    wanted = item_levels(raw)
    mine = school_levels(school)
    if wanted is None or not mine:
        return True
    return bool(wanted & mine)


def validate_item_levels(raw, file: str, field: str, plugin: str) -> list[Problem]:
    """Problems of one catalogue item's ``levels:`` (a maintainer's file)."""
    if raw is None:  # every level (the shipped catalogues say so explicitly: tested)
        return []
    problems = []
    ids = raw.get("ids") if isinstance(raw, dict) else raw
    if isinstance(raw, dict):
        if not raw.get("basis") or not raw.get("confidence"):
            problems.append(Problem(file, field, str(raw), "«levels:» cần căn cứ (basis) và mức "
                                    "tin cậy (confidence).", "Ví dụ: levels: {ids: [thpt], "
                                    "basis: \"TT 09/2024 Điều 9\", confidence: RECALL}",
                                    plugin=plugin))
    if ids in (ALL, [ALL]):
        return problems
    known = levels()
    for value in (ids if isinstance(ids, list) else [ids]):
        if str(value) not in known:
            guess = closest(str(value), {i: i for i in known}, limit=1)
            problems.append(Problem(file, field, str(value), "Cấp học không có.",
                                    (f"Có phải ý bạn là: {guess[0]}? " if guess else "")
                                    + "Dùng: all hoặc " + ", ".join(known), plugin=plugin))
    return problems


def level_hint() -> str:
    return ", ".join(f"{i} ({level['name'].lower()})" for i, level in levels().items())


def validate_school_level(school: dict, file: str) -> list[Problem]:
    """``level:`` (and ``covers:`` for liên cấp) in school.yml."""
    raw = (school or {}).get("level")
    known = levels()
    if raw in (None, ""):
        return [Problem(file, "level", "", "Thiếu cấp học của nhà trường.",
                        f"Thêm «level: thcs» (một trong: {level_hint()}). Kho tạo trước khi có "
                        "cấp học: chạy «cong-truong upgrade». Chưa ghi thì mọi mục của mọi "
                        "cấp học đều được áp dụng.", severity=WARNING)]
    value = str(raw).strip()
    if value not in known:
        by_fold = {fold(i): i for i in known} | {fold(level["name"]): i
                                                 for i, level in known.items()}
        guess = by_fold.get(fold(value)) or next(iter(closest(value, by_fold, limit=1)), None)
        if value in reserved():
            return [Problem(file, "level", value, reserved()[value],
                            f"Một trường dùng một trong: {level_hint()}.")]
        return [Problem(file, "level", value, "Cấp học không có.",
                        (f"Có phải ý bạn là: level: {guess}? " if guess else "")
                        + f"Dùng một trong: {level_hint()}.")]
    if not known[value].get("covers"):
        return []
    covers = (school or {}).get("covers")
    items = covers if isinstance(covers, list) else ([covers] if covers else [])
    allowed = covered(value)
    bad = [str(c) for c in items if str(c) not in allowed]
    if len(items) < 2 or bad:
        return [Problem(file, "covers", ", ".join(str(c) for c in items),
                        "Trường liên cấp cần ghi các cấp học của trường (ít nhất hai)."
                        + (f" Không có cấp: {', '.join(bad)}." if bad else ""),
                        f"Ví dụ: covers: [tieu-hoc, thcs] (chọn trong: {', '.join(allowed)}).")]
    return []
