"""A công khai page of an old portal → a disclosure document: the catalogue item, the school
year and (for periodic items) the period, suggested from its title with the words of the
disclosure catalogue itself (plugins/portal_disclosure/catalogue.yml: each item's name and its
old names, such as «Biểu mẫu 12» or «Cam kết chất lượng giáo dục» of TT 36/2017).

An item is suggested when the title shares a run of words with its name or an old name, and
runs shared by several items count less (an old name of several items, «Ba công khai»,
«Công khai tài chính», points to none of them alone); a whole name or old name counts more. When
no item stands out the page stays a draft with the candidates named: a person decides.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import unicodedata

import yaml

from portal_core.text import fold

STOP = ("cong khai", "nam hoc", "ve viec", "thong tin", "nam", "cua", "ve", "cac", "theo",
        "thong bao")
MIN_SCORE = 2.0
MARGIN = 0.75
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def load_catalogue() -> dict:
    import portal_disclosure

    path = os.path.join(os.path.dirname(portal_disclosure.__file__), "catalogue.yml")
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def tokens(text: str) -> list[tuple[str, str]]:
    """(folded word, word as written) of *text*, the stop phrases removed («Công khai …
    năm học» says nothing; «Ba công khai», the old name, keeps its words)."""
    written = re.findall(r"\w+", unicodedata.normalize("NFC", text))
    found = [(fold(w), w) for w in written]
    out, i = [], 0
    while i < len(found):
        for phrase in STOP:
            parts = phrase.split()
            if [f for f, _ in found[i:i + len(parts)]] == parts and not (
                    phrase == "cong khai" and out and out[-1][0] == "ba"):
                i += len(parts)
                break
        else:
            out.append(found[i])
            i += 1
    return out


def words(text: str) -> list[str]:
    return [f for f, _ in tokens(text)]


def _grams(words_: list[str]) -> set[tuple[str, ...]]:
    """Runs of two words or more (a one-word old name, «Ba [công khai]», is its own run)."""
    shortest = 1 if len(words_) == 1 else 2
    return {tuple(words_[i:j]) for i in range(len(words_))
            for j in range(i + shortest, len(words_) + 1)}


def _as_written(gram: tuple[str, ...], title_tokens: list[tuple[str, str]]) -> str:
    folded = [f for f, _ in title_tokens]
    for i in range(len(folded) - len(gram) + 1):
        if tuple(folded[i:i + len(gram)]) == gram:
            return " ".join(w for _, w in title_tokens[i:i + len(gram)])
    return " ".join(gram)


@dataclasses.dataclass
class Suggestion:
    items: list  # [item id] — one: suggested; several: the candidates; none: not recognised
    reason: str

    @property
    def item(self) -> str:
        return self.items[0] if len(self.items) == 1 else ""


def suggest_item(title: str, catalogue: dict) -> Suggestion:
    items = [i for i in catalogue.get("items") or [] if isinstance(i, dict) and i.get("id")]
    phrases = {i["id"]: [(p, words(p)) for p in [i.get("name", "")] + list(i.get("aliases") or [])]
               for i in items}
    df: dict[tuple[str, ...], set[str]] = {}
    for ident, found in phrases.items():
        for _, phrase_words in found:
            for gram in _grams(phrase_words):
                df.setdefault(gram, set()).add(ident)
    title_tokens = tokens(title)
    title_grams = _grams([f for f, _ in title_tokens])
    scores: dict[str, tuple[float, str]] = {}
    for ident, found in phrases.items():
        for written, phrase_words in found:
            for gram in _grams(phrase_words) & title_grams:
                score = len(gram) / len(df[gram]) + (1.0 if list(gram) == phrase_words else 0.0)
                if score > scores.get(ident, (0.0, ""))[0]:
                    shown = _as_written(gram, title_tokens)
                    scores[ident] = (score, shown)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1][0], kv[0]))
    names = {i["id"]: i.get("name", "") for i in items}
    if not ranked:
        return Suggestion([], "không có tên mục nào của danh mục trong tiêu đề")
    best, (score, shown) = ranked[0]
    second = ranked[1][1][0] if len(ranked) > 1 else 0.0
    if score >= MIN_SCORE and score >= second + MARGIN:
        return Suggestion([best], f"tiêu đề có «{shown}» ({best} {names[best]})")
    top = [ident for ident, (value, _) in ranked if value >= max(second, score - MARGIN)]
    return Suggestion(top, f"«{shown}» ứng với nhiều mục: " + "; ".join(
        f"{i} {names[i]}" for i in top))


SCHOOL_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-–—/]\s*((?:19|20)\d{2})(?!\d)")


def school_year_in(title: str) -> int | None:
    """The first year of a school year written in the title («năm học 2019 – 2020»)."""
    for match in SCHOOL_YEAR.finditer(title):
        first, last = int(match.group(1)), int(match.group(2))
        if last == first + 1:
            return first
    return None


def find_period(title: str, unit: str | None, day: dt.date | None) -> str:
    """The period of a periodic item from its title: «quý III năm 2024», «quý 3/2024» →
    2024-Q3; «6 tháng đầu năm 2024» → 2024-H1; «năm 2024» → 2024; «tuần 37» → 2025-W37
    (the year of publication when the title has none)."""
    folded = fold(title)
    year = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", folded)
    year_value = int(year.group(1)) if year else (day.year if day else None)
    if unit == "quarter":
        match = re.search(r"quy\s*(iv|iii|ii|i|[1-4])\b\s*(?:/|nam|-)?\s*((?:19|20)\d{2})?", folded)
        if match and (match.group(2) or year_value):
            return f"{match.group(2) or year_value}-Q{ROMAN[match.group(1)]}"
    elif unit == "half":
        match = re.search(r"6 thang (dau|cuoi)", folded)
        if match and year_value:
            return f"{year_value}-H{1 if match.group(1) == 'dau' else 2}"
    elif unit == "year":
        if year_value:
            return str(year_value)
    elif unit == "week":
        match = re.search(r"tuan\s*(?:thu\s*)?(\d{1,2})\b", folded)
        if match and year_value and 1 <= int(match.group(1)) <= 53:
            return f"{year_value}-W{int(match.group(1)):02d}"
    return ""


def _school_year_of(day: dt.date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def _period_end(period: str) -> dt.date | None:
    from portal_disclosure.deadlines import parse_period

    try:
        return parse_period(period).end
    except ValueError:
        return None


@dataclasses.dataclass
class DisclosureFacts:
    item: str = ""
    school_year: str = ""  # "2019-2020"
    period: str = ""
    decide: list = dataclasses.field(default_factory=list)
    notes: list = dataclasses.field(default_factory=list)


def read_disclosure(title: str, published: dt.date, catalogue: dict) -> DisclosureFacts:
    facts = DisclosureFacts()
    suggestion = suggest_item(title, catalogue)
    items = {i["id"]: i for i in catalogue.get("items") or [] if isinstance(i, dict)}
    if suggestion.item:
        facts.item = suggestion.item
        facts.notes.append(f"Mục công khai {suggestion.item} gợi ý từ {suggestion.reason}: kiểm tra.")
    elif suggestion.items:
        facts.decide.append(f"Chưa rõ mục công khai ({suggestion.reason}): ghi mã đúng ở dòng "
                            "«Disclosure:».")
    else:
        facts.decide.append("Không nhận ra mục công khai trong tiêu đề: ghi mã mục (CK-01 … CK-22, "
                            "xem danh mục công khai) ở dòng «Disclosure:».")
    unit = (items.get(facts.item) or {}).get("periods")
    start = school_year_in(title)
    if unit:
        facts.period = find_period(title, unit, published)
        end = _period_end(facts.period) if facts.period else None
        if end is None:
            facts.period = ""
            facts.decide.append(f"Mục {facts.item} là mục định kỳ: chưa rõ kỳ công khai, ghi dòng "
                                "«Period:» (ví dụ 2024-Q3).")
        else:
            start = _school_year_of(end)
    if start is None:
        start = _school_year_of(published)
        facts.notes.append(f"Năm học {start}-{start + 1} lấy theo ngày đăng (tiêu đề không ghi "
                           "năm học): kiểm tra.")
    facts.school_year = f"{start}-{start + 1}"
    return facts
