"""Vietnamese search tokens: plain-ASCII words that Pagefind indexes compactly.

Pagefind splits Vietnamese only on spaces and stores each word under its unaccented key with
the accented spellings nested inside; its index files are packed by a size budget that counts
only the unaccented key, so a Vietnamese index ends up in a few large files that every query
downloads (docs/performance.md). The portal therefore indexes, for each page, a hidden list of
plain-ASCII tokens instead of the words themselves:

- a **syllable token** per syllable: ``j`` + its letters without marks + ``z`` + its mark code;
- a **pair token** per two adjacent syllables (separated by spaces only, so never across a
  comma or a full stop): ``j`` + letters of the first + ``w`` + letters of the second + ``z`` +
  the two mark codes.

The mark code of a syllable is one letter per modified letter, in order (``c`` circumflex â ê
ô, ``b`` breve ă, ``h`` horn ơ ư, ``d`` for đ), then its tone as a digit (0 none, 1 sắc,
2 huyền, 3 hỏi, 4 ngã, 5 nặng): "đăng" → ``db0``, "ký" → ``1``, so "đăng ký" →
``jdangwkyzdb01``. ``j``, ``w`` and ``z`` never occur in a Vietnamese syllable, so a token
cannot be a real word, and the part before the code (``jdangwkyz``) is a prefix that Pagefind's
prefix matching turns into "these syllables with any marks" ("dang ky" finds "đăng ký" and
"đang kỳ"); the whole token matches the exact spelling only (a code ends with its tone digit,
so no exact token is the prefix of another).

A page that is its subject's own page (a mandated section's, the current fee notice: a plugin
gives it ``portal_search_terms``) also carries its subject terms as **subject tokens**: ``s``
before each token (``sjtuyenwsinhzc30``). search.js looks for the query's tokens among them
first, so that page comes before every post that merely mentions the words.

This module is the specification; ``theme/static/js/search.js`` does the same to the query,
and both are tested against ``tests/data/search_tokens.json``.
"""

from __future__ import annotations

import re
import unicodedata

PREFIX, JOIN, CODE = "j", "w", "z"
SUBJECT = "s"  # before a token of a page's subject terms
TONES = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
MODIFIERS = {"\u0302": "c", "\u0306": "b", "\u031b": "h"}
MAX_LETTERS = 20  # a longer "word" (a link, a code) gets no token
# A word: a run of letters, digits and combining marks (Unicode categories L, N, M; JS:
# [\p{L}\p{N}\p{M}]). Two words form a pair when only these spaces separate them.
SPACES = " \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_SPACES = re.compile(f"[{SPACES}]*")


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNM"


def words(text: str) -> list[tuple[str, str]]:
    """(word, what precedes it since the previous word) for each word of *text*."""
    out, start, previous_end = [], None, 0
    for index, char in enumerate(text + " "):
        if index < len(text) and _is_word_char(char):
            if start is None:
                start = index
        elif start is not None:
            out.append((text[start:index], text[previous_end:start]))
            start, previous_end = None, index
    return out


def syllable(word: str) -> tuple[str, str] | None:
    """(letters without marks, mark code) of one word, or None if it has no a–z/0–9 letter.

    >>> syllable("Đường")
    ('duong', 'dhh2')
    """
    letters, mods, tone = [], [], "0"
    for char in unicodedata.normalize("NFD", word.lower()):
        if char == "đ":
            letters.append("d")
            mods.append("d")
        elif char in TONES:
            tone = TONES[char]
        elif char in MODIFIERS:
            mods.append(MODIFIERS[char])
        elif "a" <= char <= "z" or "0" <= char <= "9":
            letters.append(char)
    if not letters or len(letters) > MAX_LETTERS:
        return None
    return "".join(letters), "".join(mods) + tone


def syllables(text: str) -> list[list[tuple[str, str]]]:
    """The syllables of *text* in runs: a new run starts after anything but spaces between
    two words (punctuation, a word without token)."""
    text = unicodedata.normalize("NFC", str(text or ""))
    runs: list[list[tuple[str, str]]] = [[]]
    for word, between in words(text):
        found = syllable(word)
        if found is None or not _SPACES.fullmatch(between):
            runs.append([])
        if found is not None:
            runs[-1].append(found)
    return [run for run in runs if run]


def single(letters: str, code: str | None = None) -> str:
    """A syllable token; without *code*, the prefix that matches any marks."""
    return f"{PREFIX}{letters}{CODE}{code or ''}"


def pair(first: tuple[str, str], second: tuple[str, str], exact: bool = True) -> str:
    """A pair token; with ``exact=False``, the prefix that matches the pair with any marks."""
    head = f"{PREFIX}{first[0]}{JOIN}{second[0]}{CODE}"
    return head + (first[1] + second[1] if exact else "")


def tokens(text: str, singles: bool = True) -> list[str]:
    """Every token of *text*, in order: each syllable's token (if *singles*), then its pair
    with the next syllable of the same run."""
    out = []
    for run in syllables(text):
        for index, current in enumerate(run):
            if singles:
                out.append(single(*current))
            if index + 1 < len(run):
                out.append(pair(current, run[index + 1]))
    return out
