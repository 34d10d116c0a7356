"""Suggested plan topics for an imported post, from keyword rules kept as data beside the
plans (content/plans/tu-khoa/chu-de.yml): no model, no silent assignment. The suggestion is
written into the post as a comment that the editor confirms by copying codes into `Topics:`.
Posts dated before the first plan get none (no plan applied to them)."""

from __future__ import annotations

import os
import re
import unicodedata

import yaml

from portal_core.text import fold

RULES_PATH = os.path.join("plans", "tu-khoa", "chu-de.yml")


def load(content: str) -> tuple[dict[int, set[str]], dict[str, list[str]]]:
    """({plan year: its topic codes}, {code: keywords, lower case}) from a content folder."""
    plans: dict[int, set[str]] = {}
    folder = os.path.join(content, "plans")
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        stem = name.rsplit(".", 1)[0]
        if stem.isdigit() and name.endswith((".yml", ".yaml")):
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                data = yaml.safe_load(handle) or {}
            plans[int(stem)] = {t.get("code") for t in data.get("topics") or [] if t.get("code")}
    rules: dict[str, list[str]] = {}
    path = os.path.join(content, RULES_PATH)
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        rules = {str(code): [_written(str(k)) for k in words or []]
                 for code, words in data.items()}
    return plans, rules


def _written(value: str) -> str:
    """A keyword or a text as written: NFC, lower case, single spaces."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip().lower()


def _without_marks(text: str) -> bool:
    """A text typed without Vietnamese diacritics (then keywords are matched folded)."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isascii() for ch in letters)


def suggest(year: int, text: str, plans: dict[int, set[str]], rules: dict[str, list[str]],
            limit: int = 3) -> list[str] | None:
    """Codes ranked by keyword hits; None when the post is older than every plan."""
    found = suggest_with_reasons(year, text, plans, rules, limit)
    return None if found is None else list(found)


def suggest_with_reasons(year: int, text: str, plans: dict[int, set[str]],
                         rules: dict[str, list[str]], limit: int = 3) -> dict | None:
    """{code: {keyword: times found}}, best first (the reason of each suggestion); None when
    the post is older than every plan."""
    if not plans or year < min(plans):
        return None
    plan_year = max(y for y in plans if y <= year)
    # keywords as written («bão» is not «bảo đảm»); folded only for a text without diacritics
    plain = _without_marks(text)
    seen = f" {fold(text) if plain else _written(text)} "
    scores = []
    for code in sorted(plans[plan_year]):
        hits = {}
        for word in rules.get(code, []):
            key = fold(word) if plain else word
            count = len(re.findall(r"(?<!\w)" + re.escape(key) + r"(?!\w)", seen)) if key else 0
            if count:
                hits[word] = count
        if hits:
            scores.append((-sum(hits.values()), code, hits))
    return {code: hits for _, code, hits in sorted(scores, key=lambda s: s[:2])[:limit]}


def reason(hits: dict, shown: dict[str, str] | None = None) -> str:
    """«chuyển đổi số ×3, trực tuyến ×1» (the keywords as written in chu-de.yml)."""
    shown = shown or {}
    return ", ".join(f"{shown.get(word, word)} ×{count}" for word, count in hits.items())


def keywords_as_written(content: str) -> dict[str, str]:
    """{keyword as matched: as written in chu-de.yml}, for reasons shown to editors."""
    path = os.path.join(content, RULES_PATH)
    if not os.path.isfile(path):
        return {}
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return {_written(str(k)): str(k) for words in data.values() for k in words or []}


def comment(codes: list[str]) -> str:
    listed = ", ".join(codes) if codes else "(không tìm thấy từ khóa nào)"
    return ("<!-- Gợi ý chủ đề (công cụ nhập, chưa xác nhận): " + listed + ". Biên tập viên "
            "chọn chủ đề đúng, ghi vào dòng «Topics:» ở đầu bài, xóa dòng «Status: draft» và "
            "ghi chú này. -->")
