"""Text typed in the legacy Vietnamese font encodings → Unicode (NFC).

Before Unicode, Vietnamese text was stored as 8-bit codes drawn by special fonts:

* **TCVN3** ("ABC", TCVN 5712:1993 level VN3), fonts whose names start with a dot
  (`.VnTime`, `.VnArial` …): one byte per letter. The regular fonts hold every lower-case
  letter but, of the capitals, only A–Z and Ă Â Ê Ô Ơ Ư Đ. Capitals with a tone mark live in
  separate capital fonts (`.VnTimeH`, `.VnArialH` …) which draw the lower-case codes as
  capitals.
* **VNI** (VNI-Windows), fonts `VNI-Times`, `VNI-Helve` …: a base letter followed by a mark
  byte (`a` + `ù` = á; `o` + `â` = ô); i with a tone, ỵ, ơ, ư and đ are single bytes; capitals
  have their own mark bytes.

In a saved page those bytes arrive decoded as Windows-1252 or Latin-1 (or re-encoded as
UTF-8 by the old CMS): TCVN3 "báo" shows as "b¸o", VNI "báo" as "baùo". A code is therefore
taken from a character as its Latin-1 value, or its Windows-1252 byte for € ‚ ƒ … (0x80–0x9F);
any other character (ư, ạ …) is already Unicode and is left alone.

Tables: `legacy_fonts.yml` (one grid per encoding, every Vietnamese letter in both cases).
Sources, read and compared cell by cell (no code copied): glibc's iconv charmap TCVN5712-1
(the standard's VN1 level, whose lower-case letters and Ă…Đ are the VN3 codes); Unikey's
converter library VnConv (Pham Kim Long, data.cpp: TCVN3 and VNI-WIN tables, and 0x80–0x9F
left to the Windows-1252 symbols in both); xvnkb (Dao Hai Lam: tcvn.h, vni.h); VBKey
(mdlCodeTable.bas), which agrees except for one missing cell (ằ) in its TCVN3 table.
tests/test_legacy_fonts.py checks the grids against Unicode character names, against iconv
when the system has TCVN5712-1, and against hand-written byte strings.

Ambiguity is reported, never guessed (`to_unicode` returns it; `convert_html` turns it into
findings):

* TCVN3 bytes the ABC fonts do not assign (0xAF, 0xB0–0xB4, 0xBA, 0xBF–0xC5, 0xCD, 0xD9–0xDB,
  0xE0, 0xF0, 0xFF; VN1's reading is given as a hint) and the five holes of Windows-1252
  (0x81, 0x8D, 0x8F, 0x90, 0x9D);
* VNI mark bytes that follow no vowel they can go on, and Latin-1 letters VNI does not use;
* in a TCVN3 capital font, lower-case A–Z: some capital fonts draw them as capitals, some do
  not, so the case is not known (the letter is given in capitals, and reported).

Not representable, hence not recoverable: a capital with a tone mark typed in a regular
TCVN3 font (it does not exist there: it is a lower-case letter in the text), and text typed
in a capital font on a page that does not name it (no way to know it was meant as capitals;
fonts set only in an external stylesheet are not read). VNI has no such limits.

Pages often mix the two: a Unicode template around an article typed in `.VnTime`, or a
`<font face=".VnTime">` left around text retyped in Unicode. `convert_html` therefore
converts element by element (the font named by `face`, `style` or a simple `<style>` rule,
inherited as a browser would), and within that word by word: a word is converted when it
reads as Vietnamese syllables in the legacy encoding and not as Unicode (`is_syllable`); a
word that reads both ways follows the other words around it, and when nothing decides, it is
converted and reported. Outside legacy-font elements (titles, headings, meta tags of a page
detected as legacy) words that make sense only as legacy text are converted, the rest is left
as it is. The legacy font declarations are removed from what was converted, so a second pass
finds nothing to do.
"""

from __future__ import annotations

import copy as copy_module
import dataclasses
import functools
import html as html_lib
import os
import re
import unicodedata

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
TONE_MARKS = {"none": "", "grave": "\u0300", "hook": "\u0309", "tilde": "\u0303",
              "acute": "\u0301", "dot": "\u0323"}
LABELS = {"tcvn3": "TCVN3", "vni": "VNI"}

# How a byte arrives in a page decoded as Windows-1252, Latin-1 for the five unused codes.
BYTE_CHAR = [bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)]
_CHAR_CODE = {char: code for code, char in enumerate(BYTE_CHAR)}
_CHAR_CODE.update({chr(code): code for code in range(256)})
CP1252_HOLES = frozenset(code for code in range(0x80, 0xA0) if BYTE_CHAR[code] == chr(code))


def code_of(char: str) -> int | None:
    """The legacy byte a character stands for, or None for a real Unicode character."""
    return _CHAR_CODE.get(char)


def as_text(data: bytes) -> str:
    """Bytes as a saved page shows them: Windows-1252, Latin-1 where 1252 has no character."""
    return "".join(BYTE_CHAR[b] for b in data)


@dataclasses.dataclass(frozen=True)
class Ambiguity:
    """A place `to_unicode` could not map for sure (left as found, or in capitals: `case`)."""

    position: int  # index in the text given to to_unicode
    text: str  # the characters found there
    code: int  # their legacy byte (the mark byte for a stray VNI mark)
    kind: str  # unassigned | undefined | mark | case
    hint: str = ""  # what the byte is in TCVN 5712 VN1, for unassigned TCVN3 bytes

    def message(self, encoding: str) -> str:
        label = LABELS[encoding]
        if self.kind == "case":
            return "chữ thường trong phông chữ hoa: có thể hiển thị là chữ hoa"
        if self.kind == "mark":
            return f"dấu rời (mã 0x{self.code:02X}) không đứng sau nguyên âm nhận được dấu đó"
        text = f"mã 0x{self.code:02X} không có trong bảng {label}"
        return text + (f" (theo TCVN 5712 VN1 là «{self.hint}»)" if self.hint.strip() and
                       unicodedata.category(self.hint[0]) != "Mn" else "")


@dataclasses.dataclass
class Table:
    name: str
    encode: dict  # letter → bytes (regular fonts)
    decode: dict  # bytes (1 or 2) → letter
    unassigned: dict  # byte → VN1 hint ("" when none)
    marks: frozenset = frozenset()  # VNI: bytes that are marks only


def _codes(value) -> bytes:
    parts = str(value).split()
    if not parts or any(not re.fullmatch(r"[0-9A-Fa-f]{2}", p) for p in parts):
        raise ValueError(f"legacy_fonts.yml: bad code {value!r}")
    return bytes(int(p, 16) for p in parts)


@functools.lru_cache(maxsize=None)
def tables() -> dict[str, Table]:
    with open(os.path.join(HERE, "legacy_fonts.yml"), encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    tones = data["tones"]
    found = {}
    for name in ("tcvn3", "vni"):
        encode: dict[str, bytes] = {}
        for case in ("lower", "upper"):
            for base, row in data[name][case].items():
                for tone, value in zip(tones, row):
                    letter = unicodedata.normalize("NFC", base + TONE_MARKS[tone])
                    encode[letter] = _codes(value)
        decode = {codes: letter for letter, codes in encode.items()}
        unassigned_raw = data[name].get("unassigned") or {}
        if isinstance(unassigned_raw, list):
            unassigned = {_codes(c)[0]: "" for c in unassigned_raw}
        else:
            unassigned = {_codes(c)[0]: str(hint) for c, hint in unassigned_raw.items()}
        marks = frozenset(codes[1] for codes in decode if len(codes) == 2)
        if name == "vni":  # a base with a mark of the other case: same letter (Title Case)
            for codes, letter in list(decode.items()):
                if len(codes) == 2:
                    other = BYTE_CHAR[codes[1]].swapcase()
                    decode.setdefault(codes[:1] + bytes([_CHAR_CODE[other]]), letter)
        found[name] = Table(name, encode, decode, unassigned, marks)
    return found


# ---------------------------------------------------------------------------------------
# Byte-level conversion


def to_unicode(text: str, encoding: str, capitals: bool = False) -> tuple[str, list[Ambiguity]]:
    """`text` read as legacy bytes (see the module docstring) → (Unicode NFC, ambiguities).

    Characters that are no legacy byte (already Unicode) are kept. Ambiguous places are kept
    as found (a TCVN3 capital font's lower-case A–Z are given in capitals) and listed.
    `capitals`: the text is in a TCVN3 capital font (.VnTimeH …)."""
    table = tables()[encoding]
    out: list[str] = []
    found: list[Ambiguity] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        code = code_of(char)
        if code is None:
            out.append(char)
            i += 1
            continue
        if encoding == "vni" and i + 1 < n:
            pair = code_of(text[i + 1])
            if pair is not None and bytes([code, pair]) in table.decode:
                out.append(table.decode[bytes([code, pair])])
                i += 2
                continue
        single = table.decode.get(bytes([code]))
        if code < 0x80:
            if capitals and "a" <= char <= "z":
                found.append(Ambiguity(i, char, code, "case"))
                out.append(char.upper())
            else:
                out.append(char)
        elif single is not None:
            out.append(single.upper() if capitals else single)
        elif code in CP1252_HOLES:
            found.append(Ambiguity(i, char, code, "undefined"))
            out.append(char)
        elif code in table.unassigned:
            found.append(Ambiguity(i, char, code, "unassigned", table.unassigned[code]))
            out.append(char)
        elif code in table.marks:
            found.append(Ambiguity(i, char, code, "mark"))
            out.append(char)
        else:  # Windows-1252 symbols, NBSP, Latin-1 symbols the encoding leaves alone
            out.append(BYTE_CHAR[code])
        i += 1
    return unicodedata.normalize("NFC", "".join(out)), found


def from_unicode(text: str, encoding: str, capitals: bool = False) -> bytes:
    """Unicode → the legacy bytes (for tests and fixtures). ValueError for a character the
    encoding (or, with `capitals`, a TCVN3 capital font) cannot hold."""
    table = tables()[encoding]
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        if capitals and char.isalpha():
            if char != char.upper():
                raise ValueError(f"«{char}»: phông chữ hoa TCVN3 chỉ có chữ hoa")
            if not char.isascii() and char.lower() in table.encode:
                out += table.encode[char.lower()]
                continue
        if char in table.encode:
            out += table.encode[char]
            continue
        code = code_of(char)
        if code is not None and to_unicode(BYTE_CHAR[code], encoding, capitals) == (char, []):
            out.append(code)
            continue
        hint = (" (chữ hoa có dấu chỉ có trong phông chữ hoa như .VnTimeH)"
                if encoding == "tcvn3" and not capitals and char.lower() in table.encode else "")
        raise ValueError(f"«{char}» (U+{ord(char):04X}) không có trong bảng "
                         f"{LABELS[encoding]}{hint}")
    return bytes(out)


# ---------------------------------------------------------------------------------------
# Which reading makes Vietnamese: a syllable check (lenient: it only has to tell "học" from
# "häc" and "báo" from "b¸o", not spell-check)

_INITIALS = sorted("ngh ng gh gi kh nh ph qu th tr ch b c d đ g h k l m n p r s t v x".split(),
                   key=len, reverse=True) + [""]
_OPEN = ("oai oay oao oeo uây uôi ươi ươu iêu yêu uya uyu ai ao au ay âu ây eo êu ia iu oi "
         "ôi ơi ui ưi ưu ua ưa uơ").split()  # no final consonant after these
_ANY = "oa oe uê uy a e ê i o ô ơ u ư y".split()  # with or without one
_CLOSED = "uyê iê yê uô ươ oă uâ oo ă â".split()  # always with one
_NUCLEI = sorted(_OPEN + _ANY + _CLOSED, key=len, reverse=True)
_FINALS = {"ch", "ng", "nh", "c", "m", "n", "p", "t", ""}
_TONE_OF = {mark: name for name, mark in TONE_MARKS.items() if mark}
_ABBREVIATION = re.compile(r"^[A-ZĐĂÂÊÔƠƯ]{2,8}$")


def _tone_places(nucleus: str, final: str) -> tuple[int, ...]:
    """Where in the vowel group a tone mark may sit (old and new placement both accepted)."""
    if len(nucleus) == 1:
        return (0,)
    if nucleus == "oo":
        return (0, 1)
    if final:
        return (len(nucleus) - 1,)  # toán, tiếng, thuyết, nước
    if nucleus in ("oa", "oe", "uy"):
        return (0, 1)  # hóa/hoá, khỏe/khoẻ, thủy/thuỷ
    if nucleus in ("uê", "uơ") or len(nucleus) == 3:
        return (1,)  # huế, thuở, ngoài, người, khuấy
    return (0,)  # mái, mía, múa, mưa, cứu


def is_syllable(word: str) -> bool:
    """One Vietnamese syllable (any case; at most one tone mark, on the vowel that carries it;
    after -c, -ch, -p, -t only sắc or nặng), or an abbreviation in capitals without tone marks
    (ĐHSP, GDĐT). Lenient: it tells "học" from "häc" and "báo" from "b¸o", no more."""
    if _ABBREVIATION.match(word):
        return True
    tone, place, bare = None, -1, []
    for index, char in enumerate(unicodedata.normalize("NFC", word.lower())):
        parts = unicodedata.normalize("NFD", char)
        marks = [_TONE_OF[c] for c in parts if c in _TONE_OF]
        if marks:
            if tone or len(marks) > 1:
                return False
            tone, place = marks[0], index
        bare.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_OF)))
    bare = "".join(bare)
    for initial in _INITIALS:
        if not bare.startswith(initial):
            continue
        rest = bare[len(initial):]
        for nucleus in _NUCLEI:
            final = rest[len(nucleus):]
            if not rest.startswith(nucleus) or final not in _FINALS:
                continue
            if (nucleus in _OPEN and final) or (nucleus in _CLOSED and not final):
                continue
            if tone and place - len(initial) not in _tone_places(nucleus, final):
                continue
            if tone in ("grave", "hook", "tilde") and final in ("c", "ch", "p", "t"):
                continue
            return True
    return False


def _reads_as_vietnamese(token: str) -> bool:
    """Every run of letters in the token is a syllable; non-letters inside a word (b¸o,
    tr\xadêng) make it no word."""
    core = token.strip("".join(c for c in set(token) if not c.isalnum()))
    if not core or not any(c.isalpha() for c in core):
        return False
    inner = [c for c in core if not (c.isalpha() or c.isdigit() or c in "-/'’.&")]
    if inner:
        return False
    parts = [p for p in re.split(r"[^\w]|[\d_]", core) if p]
    return bool(parts) and all(is_syllable(p) for p in parts)


NEUTRAL, LEGACY, UNICODE, TIE, BAD, MIXED = "neutral", "legacy", "unicode", "tie", "bad", "mixed"


def judge(token: str, encoding: str, capitals: bool = False) -> tuple[str, str, list[Ambiguity]]:
    """(verdict, the token read as legacy text, its ambiguities) for one whitespace-free token:
    NEUTRAL (same either way), LEGACY (Vietnamese only as legacy text, two letters at least),
    UNICODE (only as Unicode, or holding Unicode letters), TIE (both, or a symbol that is a
    one-letter word as legacy text), BAD (neither), MIXED (a legacy code inside a Unicode
    word)."""
    if token.isascii() and not (capitals and re.search(r"[a-z]", token)):
        return NEUTRAL, token, []
    legacy, found = to_unicode(token, encoding, capitals)
    if any(code_of(c) is None and c.isalpha() for c in token):  # ư, ạ …: typed in Unicode
        if legacy != token and not _reads_as_vietnamese(token) and _reads_as_vietnamese(legacy):
            return MIXED, legacy, found  # tr\xadờng: a legacy ư inside a Unicode word
        return UNICODE, legacy, found
    if not found and (legacy == token or not any(c.isalpha() for c in legacy + token)):
        return NEUTRAL, legacy, found  # the same, or only symbols (0x96 as "–")
    as_legacy = not [a for a in found if a.kind != "case"] and _reads_as_vietnamese(legacy)
    as_unicode = _reads_as_vietnamese(token)
    if as_legacy and not as_unicode:  # one letter ("×" is ì) is too little to go by
        return (LEGACY if sum(c.isalpha() for c in legacy) > 1 else TIE), legacy, found
    if as_unicode and not as_legacy:
        return UNICODE, legacy, found
    return (TIE if as_legacy else BAD), legacy, found


def _score(verdicts) -> int:
    return sum(1 if v == LEGACY else -1 if v == UNICODE else 0 for v in verdicts)


def evidence(text: str, encoding: str, capitals: bool = False) -> int:
    """Words that read only as legacy text minus words that read only as Unicode."""
    return _score(judge(token, encoding, capitals)[0] for token in text.split())


@dataclasses.dataclass
class Finding:
    """A word converted, or left, without certainty: the editor checks it."""

    found: str  # the word in the page
    written: str  # what the import wrote
    reason: str  # Vietnamese
    encoding: str = ""  # the legacy encoding it was read in


def convert_words(text: str, encoding: str, capitals: bool = False, in_font: bool = True,
                  context: int = 0) -> tuple[str, list[Finding]]:
    """Word by word (see the module docstring). `in_font`: the text is in a legacy-font
    element (else: text of a legacy page outside them, Unicode unless a word says otherwise);
    `context`: `evidence` of the text around, used when this text decides nothing.

    A word that reads both ways (TIE), or neither way or half Unicode (BAD, MIXED), follows
    the words around it; when they decide nothing, it follows the font: in a legacy font it
    is converted and reported, outside one it stays as it is."""
    pieces = re.split(r"(\s+)", text)
    judged = [judge(p, encoding, capitals) if p and not p.isspace() else None for p in pieces]
    score = _score(j[0] for j in judged if j) or context
    leans = score or (1 if in_font else -1)  # > 0: towards the legacy reading
    label = LABELS[encoding]
    out: list[str] = []
    findings: list[Finding] = []
    for piece, verdict in zip(pieces, judged):
        if verdict is None:
            out.append(piece)
            continue
        kind, legacy, found = verdict
        doubt = ""
        if kind in (NEUTRAL, LEGACY):
            converted = True
        elif kind == UNICODE:
            converted = False
        else:
            converted = leans > 0
            if kind == TIE and not score and in_font:
                doubt = f"đọc được cả hai cách (Unicode hoặc {label})"
            elif kind == BAD and converted:
                doubt = f"không thành chữ tiếng Việt khi đọc theo {label}"
            elif kind == MIXED and converted:
                doubt = f"lẫn chữ Unicode và mã {label}"
        written = legacy if converted else piece
        reasons = [doubt] if doubt else []
        if converted:
            reasons += [a.message(encoding) for a in found]
        if reasons:
            findings.append(Finding(piece, written, "; ".join(dict.fromkeys(reasons)), encoding))
        out.append(written)
    return "".join(out), findings


# ---------------------------------------------------------------------------------------
# Fonts and pages

_FAMILY = re.compile(r"""(?:\bface\s*=\s*|font-family\s*:\s*)(?:&quot;|&#39;|["'])?\s*"""
                     r"""([^"'&;,{}<>]+)""", re.I)
_GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}
_INHERIT = {"inherit", "initial", "unset", "revert", ""}
OTHER = ("other", False)


def font_encoding(name: str) -> tuple[str, bool] | None:
    """(encoding, capitals) for a legacy font's name, OTHER for any other font, None for
    `inherit` (the parent's font). `.VnTimeH`, `.VnArialH` … are the TCVN3 capital fonts."""
    name = name.strip().strip("\"'").strip()
    if name.lower() in _INHERIT:
        return None
    if re.match(r"^\.vn", name, re.I):
        return ("tcvn3", name.endswith("H"))
    if re.match(r"^vni[- ]", name, re.I):
        return ("vni", False)
    return OTHER


def _first_family(value: str) -> str:
    value = re.sub(r"!\s*important", "", value, flags=re.I)
    return value.split(",")[0].strip().strip("\"'").strip()


def _shorthand_family(value: str) -> str | None:
    """The first family of a `font:` shorthand (`bold 12pt/14pt ".VnTime", serif`)."""
    head = value.split(",")[0]
    match = re.search(r"(?:^|\s)(?:[\d.]+(?:pt|px|em|rem|%|pc|mm|cm|in|ex)?|xx-small|x-small|"
                      r"small|medium|large|x-large|xx-large|smaller|larger)(?:/\S+)?\s+(.+)$",
                      head.strip(), re.I)
    return match.group(1).strip().strip("\"'").strip() if match else None


def declared_font(style: str) -> tuple[str, bool] | None:
    """The font a CSS declaration block sets (the last font-family/font wins), or None."""
    found = None
    for declaration in (style or "").split(";"):
        prop, _, value = declaration.partition(":")
        prop = prop.strip().lower()
        family = (_first_family(value) if prop == "font-family" else
                  _shorthand_family(value) if prop == "font" else None)
        if family is not None:
            found = font_encoding(family) if family.lower() not in _GENERIC else OTHER
    return found


def fonts_named(text: str) -> list[str]:
    """Legacy font names a page's HTML names first in a `face` or `font-family`."""
    return [m.group(1).strip() for m in _FAMILY.finditer(text)
            if font_encoding(m.group(1)) not in (None, OTHER)]


def _visible(text: str) -> str:
    text = re.sub(r"(?is)<(script|style|noscript)\b.*?</\1\s*>", " ", text)
    text = re.sub(r"(?s)<!--.*?-->", " ", text)
    return html_lib.unescape(re.sub(r"<[^>]*>", " ", text))


def detect(text: str) -> str | None:
    """"tcvn3", "vni" or None for a page's HTML (or plain text): the legacy fonts it names
    (the most named), else its words: at least 3 that read as Vietnamese only in one legacy
    encoding (the one with more), and more of them than words that read as nothing (a page in
    another 8-bit encoding, windows-1258 read byte for byte, makes many of those)."""
    named = [font_encoding(name)[0] for name in fonts_named(text)]
    if named:
        return max(("tcvn3", "vni"), key=named.count)
    words = [w for w in _visible(text).split() if not w.isascii()
             and not any(c.isalpha() and code_of(c) is None for c in w)]  # Unicode letters
    counts = {}
    for enc in ("tcvn3", "vni"):
        verdicts = [judge(w, enc)[0] for w in words]
        counts[enc] = verdicts.count(LEGACY) if verdicts.count(LEGACY) > verdicts.count(BAD) else 0
    best = max(counts, key=lambda enc: counts[enc])
    return best if counts[best] >= 3 and counts[best] > min(counts.values()) else None


@dataclasses.dataclass
class Converted:
    """`convert_html`'s result. `encoding` is None when the page is not legacy text."""

    html: str
    encoding: str | None = None
    fonts: list = dataclasses.field(default_factory=list)  # legacy font names found
    changed: int = 0  # text pieces changed
    findings: list = dataclasses.field(default_factory=list)  # [Finding]
    used: list = dataclasses.field(default_factory=list)  # encodings of the changed text

    @property
    def label(self) -> str:
        used = self.used or ([self.encoding] if self.encoding else [])
        return ", ".join(LABELS[e] for e in used)


_SIMPLE_SELECTOR = re.compile(r"^([a-zA-Z][\w-]*|\*)?((?:\.[\w-]+)*)$")
_ATTRIBUTES = ("title", "alt")
_META = re.compile(r"^(og:title|og:description|description|twitter:title|twitter:description|"
                   r"keywords|dc\.title|dc\.description)$", re.I)
_SKIP = {"script", "style", "noscript", "template", "code"}


def _css_rules(doc) -> list:
    """Simple rules of the page's <style> blocks that set a font: (specificity, order, tag,
    classes, font). Selectors with combinators, ids or pseudo-classes are left out."""
    rules = []
    for style in doc.iter("style"):
        css = re.sub(r"(?s)/\*.*?\*/|<!--|-->", " ", style.text or "")
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
            font = declared_font(body)
            if font is None:
                continue
            for selector in selectors.split(","):
                match = _SIMPLE_SELECTOR.match(selector.strip())
                if not match or not selector.strip():
                    continue
                tag = (match.group(1) or "*").lower()
                classes = tuple(c for c in match.group(2).split(".") if c)
                rules.append((len(classes) * 10 + (tag != "*"), len(rules), tag, classes, font))
    return sorted(rules)


def _own_font(el, rules) -> tuple[str, bool] | None:
    inline = declared_font(el.get("style", "")) if el.get("style") else None
    if inline is not None:
        return inline
    classes = set((el.get("class") or "").split())
    for _, _, tag, wanted, font in reversed(rules):  # most specific, then latest, first
        if tag in ("*", el.tag) and set(wanted) <= classes:
            return font
    if el.tag == "font" and el.get("face"):
        return font_encoding(_first_family(el.get("face")))
    return None


def _drop_legacy_font(el) -> None:
    """The element no longer needs (and must not keep) its legacy font."""
    if el.get("face") and font_encoding(_first_family(el.get("face"))) not in (None, OTHER):
        del el.attrib["face"]
    style = el.get("style")
    if style:
        kept = [d for d in style.split(";") if d.strip() and not (
            d.partition(":")[0].strip().lower() in ("font-family", "font")
            and declared_font(d) not in (None, OTHER))]
        if kept:
            el.set("style", ";".join(kept))
        else:
            del el.attrib["style"]


def _drop_legacy_rules(css: str) -> str:
    def clean(match):
        kept = [d for d in match.group(2).split(";") if not (
            d.partition(":")[0].strip().lower() in ("font-family", "font")
            and declared_font(d) not in (None, OTHER))]
        return match.group(1) + "{" + ";".join(kept) + "}"

    return re.sub(r"([^{}]+)\{([^{}]*)\}", clean, css)


def convert_html(text: str) -> Converted:
    """A saved page's HTML with its legacy-font text in Unicode (see the module docstring);
    unchanged (encoding None) when the page is not legacy text."""
    encoding = detect(text)
    if encoding is None:
        return Converted(text)
    from lxml import etree, html as lxml_html

    source = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        doc = lxml_html.document_fromstring(source)
    except (etree.ParserError, ValueError):
        return Converted(text, encoding, fonts_named(text), 0, [Finding(
            "", "", f"Không đọc được HTML để chuyển mã {LABELS[encoding]}.", encoding)])
    result = Converted("", encoding, list(dict.fromkeys(fonts_named(text))))
    rules = _css_rules(doc)
    cache: dict = {}
    # lxml makes a new proxy object for an element nobody holds: hold them all, so that id()
    # names one element for the whole walk
    pairs = list(zip(doc.iter(), copy_module.deepcopy(doc).iter()))
    original = {id(el): old for el, old in pairs}

    def context(owner, root, font) -> int:
        """The evidence of the nearest element around that has some, up to the element that
        sets the font (text in another font does not count), or the whole page; read in the
        page as it was (the walk converts text before it)."""
        for el in [owner, *owner.iterancestors()]:
            key = (id(el), font)
            if key not in cache:
                cache[key] = evidence(original[id(el)].text_content(), *font)
            if cache[key] or el is root:
                return cache[key]
        return 0

    def convert(value: str, font, owner, root) -> str:
        if not value or not value.strip():
            return value
        legacy = font is not None and font != OTHER
        enc, caps = font if legacy else (encoding, False)
        around = context(owner, root, (enc, caps))
        new, findings = convert_words(value, enc, caps, in_font=legacy, context=around)
        result.findings.extend(findings)
        if new != value:
            result.changed += 1
            if enc not in result.used:
                result.used.append(enc)
        return new

    def walk(el, inherited, root) -> None:
        if not isinstance(el.tag, str):
            return
        own = _own_font(el, rules)
        font = own if own is not None else inherited
        legacy = font is not None and font != OTHER
        if own is not None:
            root = el  # the element that sets the font: context stops there
        if el.tag in _SKIP:
            return
        if el.text:
            el.text = convert(el.text, font, el, root)
        for name in _ATTRIBUTES:
            if el.get(name):
                el.set(name, convert(el.get(name), None, el, el))
        if el.tag == "meta" and el.get("content") and _META.match(
                el.get("name") or el.get("property") or ""):
            el.set("content", convert(el.get("content"), None, el, el))
        for child in el:
            walk(child, font, root)
            if child.tail:
                child.tail = convert(child.tail, font, el, root)
        if own is not None and legacy:
            _drop_legacy_font(el)

    walk(doc, None, None)
    for style in doc.iter("style"):
        if style.text:
            style.text = _drop_legacy_rules(style.text)
    doctype = doc.getroottree().docinfo.doctype if re.search(r"<!doctype", text, re.I) else None
    result.html = lxml_html.tostring(doc, encoding="unicode", doctype=doctype or None)
    return result


def shown(text: str) -> str:
    """A word as the report shows it: invisible codes (TCVN3's ư is 0xAD, a soft hyphen in
    Latin-1) written as [0xAD]."""
    return "".join(f"[0x{ord(c):02X}]" if unicodedata.category(c) in ("Cc", "Cf") else c
                   for c in text)


def describe(findings: list[Finding], limit: int = 5) -> str:
    """The draft reason for the report (Vietnamese)."""
    label = ", ".join(dict.fromkeys(LABELS[f.encoding] for f in findings if f.encoding))
    items = [f"«{shown(f.found)}» → «{shown(f.written)}» ({f.reason})" if f.found else f.reason
             for f in findings[:limit]]
    more = f"; và {len(findings) - limit} chỗ khác" if len(findings) > limit else ""
    return (f"Chữ gõ bằng phông chữ cũ {label}: {len(findings)} chỗ chưa chuyển chắc "
            f"chắn sang Unicode, đối chiếu với trang cũ rồi sửa: " + "; ".join(items) + more + ".")
