"""Matching an editor's ``Topics:`` values to a plan's topic codes (pure functions).

A value may be the code ("chuyen-doi-so") or the Vietnamese title ("Chuyển đổi số"), in any
case, in NFC or NFD, written with all its diacritics or with none ("chuyen doi so"). A value
with only some of its marks, or wrong ones ("chuyen doi sô"), is not guessed: it is refused
with the closest topics as a suggestion, because a wrong mark can mean another word.
"""

from __future__ import annotations

import re

from portal_core.text import closest, fold, nfc, split_list

from .plans import Topic


def _exact(value: str) -> str:
    """Case-insensitive form that keeps diacritics: NFC, lower case, single spaces."""
    return re.sub(r"\s+", " ", nfc(value)).strip().lower()


def _plain(value: str) -> bool:
    """True when the value carries no diacritic at all (đ counts as one)."""
    return nfc(value).isascii()


def _code_key(value: str) -> str:
    return re.sub(r"[\s_-]+", "-", fold(value))


class TopicMatcher:
    """Resolves values against the topics of one plan."""

    def __init__(self, topics):
        self.topics: list[Topic] = list(topics)
        self._by_code = {_code_key(t.code): t.code for t in self.topics}
        self._by_title = {_exact(t.title): t.code for t in self.topics}
        self._by_folded_title = {fold(t.title): t.code for t in self.topics}
        self._labels = {t.code: label(t) for t in self.topics}

    def match(self, value: str) -> str | None:
        """The code *value* names, or None."""
        value = nfc(str(value))
        if not value.strip():
            return None
        if _exact(value) in self._by_title:
            return self._by_title[_exact(value)]
        if _plain(value):
            return self._by_code.get(_code_key(value)) or self._by_folded_title.get(fold(value))
        return None

    def suggest(self, value: str, limit: int = 3) -> list[str]:
        """Labels of the topics closest to *value* ("Chuyển đổi số (chuyen-doi-so)")."""
        candidates: dict[str, str] = {}
        for topic in self.topics:
            candidates.setdefault(fold(topic.title), self._labels[topic.code])
            candidates.setdefault(fold(topic.code.replace("-", " ")), self._labels[topic.code])
        found = closest(value, candidates, limit=limit)
        folded = fold(value)
        if len(folded) >= 3:  # a fragment of a title: "dao duc" → "Giáo dục đạo đức, …"
            for key, shown in candidates.items():
                if folded in key and shown not in found:
                    found.append(shown)
        return list(dict.fromkeys(found))[:limit]

    def hint(self, value: str) -> str:
        found = self.suggest(value)
        if found:
            return "Có phải ý bạn là: " + "; ".join(found) + "?"
        return "Các chủ đề hợp lệ: " + "; ".join(self._labels.values()) + "."


def label(topic: Topic) -> str:
    return f"{topic.title} ({topic.code})"


def resolve(raw, matcher: TopicMatcher) -> tuple[list[str], list[str]]:
    """Split a ``Topics:`` value; return (codes in order, without repeats; unknown values)."""
    codes: list[str] = []
    unknown: list[str] = []
    pieces = split_list(raw)
    start = 0
    while start < len(pieces):
        # Titles may hold commas ("Sự kiện, hoạt động đột xuất"): the longest run of
        # pieces that names a topic wins.
        for end in range(len(pieces), start, -1):
            code = matcher.match(", ".join(pieces[start:end]))
            if code is not None:
                if code not in codes:
                    codes.append(code)
                start = end
                break
        else:
            unknown.append(pieces[start])
            start += 1
    return codes, unknown
