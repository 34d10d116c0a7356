"""Personal data in a post's Markdown source: identity numbers, private mobiles, birth dates.

NĐ 13/2023 Điều 2 lists name, date of birth, phone and ID numbers as personal data; for a
child (under 16, Luật Trẻ em 2016) NĐ 56/2017 Điều 33 and 36 add school, class and results,
and publishing them needs the consent of the parent and of the child aged 7 or more
(docs/security.md). The portal refuses them unless the post declares consent.

School posts are full of numbers that are *not* personal data (tax codes, file codes, bank
accounts of the school, exam numbers, ISBNs, landlines) and of birth years that describe a
group ("học sinh sinh năm 2011"), so each class has a precise rule (README.md of this plugin):

- **mobile number**: 10 digits whose first three are a current mobile prefix
  (`personal_data.yml`, with its date); landlines (02x), tax codes (a "-001" branch suffix or
  an "MST" label), codes followed by "/QĐ-…" and numbers labelled as a code are not. A number
  labelled as a hotline is a warning (it belongs in school.yml), any other mobile an error;
- **identity number**: 12 digits (CCCD / số định danh) or 9 (old CMND), an error when the text
  says so (căn cước, CCCD, CMND, định danh, số giấy tờ …); a 12-digit number without a label
  but with a CCCD's structure (province code, century and sex, a plausible birth year) is an
  error next to a person's name and a warning otherwise;
- **birth date**: "sinh ngày …", "ngày sinh: …", "năm sinh …", "SN …", or a value in a table
  column headed "Ngày sinh"/"Năm sinh": an error when it belongs to a named person, or is a
  complete date (one person's); ranges and groups ("học sinh lớp 9 sinh năm 2011", "sinh từ
  ngày … đến ngày …", "sinh năm 2011 trở về trước") are not personal; a bare year with no name
  is a warning. A staff member's birth year counts like anyone's (NĐ 13 makes no exception;
  TT 37 and TT 09 do not ask for it).

The label nearest before a number decides what it is ("CCCD của mẹ; mã hồ sơ 0120…" is a file
code). Where the guard is unsure it says so with a warning; an editor who knows a value is not
personal lists it in the post's `Not-personal:` field (`apply_exemptions`).
Pure functions: they take text and return findings; the plugin turns them into problems.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import re

import yaml

from portal_core.text import fold, nfc

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_PATH = os.path.join(HERE, "personal_data.yml")

ERROR = "error"
WARNING = "warning"

# A mobile number: 0 or +84/0084/(+84) (and an optional "(0)") then nine digits, with at most
# one space, dot or hyphen between digits ("0912 345 678", "+84 (0) 912.345.678"). The prefix
# is checked afterwards.
SEP = r"[ .\-\u00a0]?"
MOBILE = re.compile(
    r"(?<![\d+])(?:(?:\(\+84\)|\+84|0084)" + SEP + r"(?:\(0\)" + SEP + r")?|0)"
    r"([1-9](?:" + SEP + r"\d){8})(?!\d)")
# Identity numbers: 12 digits (CCCD), possibly in groups of 3 or 4; 9 digits (old CMND) in
# groups of 3. Not glued to letters or other digits ("HS001208012345" is a code).
ID12 = re.compile(r"(?<![^\W_])(\d{3}(?:[ .]?\d{3}){3}|\d{4}(?:[ .]?\d{4}){2})(?![^\W_])")
ID9 = re.compile(r"(?<![^\W_])(\d{3}(?:[ .]?\d{3}){2})(?![^\W_])")
# After a number: "/QĐ-UBND", "/SGDĐT-VP" (a document number), "-001" (a tax code's branch).
CODE_SUFFIX = re.compile(r"/[A-Za-zĐđ]|-\d{3}(?!\d)")
LABEL_WINDOW = 40  # characters before a number where its label is looked for
AFTER_WINDOW = 30  # characters after a number where a bank is looked for

# Birth dates, matched on folded text (lower case, no diacritics, đ → d). d = day, m = month,
# y = year: which of them are present decides whether the date is complete.
DATE = (r"(?P<date>(?P<d1>\d{1,2})\s*[/.\-]\s*(?P<m1>\d{1,2})(?:\s*[/.\-]\s*(?P<y1>\d{4}|\d{2}))?"
        r"|(?P<d2>\d{1,2})\s+thang\s+(?P<m2>\d{1,2})(?:\s*(?:,\s*)?nam\s+(?P<y2>\d{4}))?"
        r"|thang\s+(?P<m4>\d{1,2})(?:\s*[/.\-]\s*|\s+nam\s+)(?P<y4>\d{4})"
        r"|(?P<y3>(?:19|20)\d{2}))(?!\d)")
BIRTH_PATTERNS = (
    # "ngày sinh: 12/03/2008", "năm sinh 2008", "ngày tháng năm sinh: …", "| Năm sinh | 2008"
    re.compile(r"\b(?:ngay|nam)\s+sinh\s*[:|\-]?\s*(?:la\s+|ngay\s+|nam\s+)?" + DATE),
    # "Nguyễn Văn A, sinh ngày 12/03/2008", "sinh năm 2008", "sinh vào ngày …", "sinh tháng 3/2009"
    re.compile(r"\bsinh\s*(?:vao\s+)?(?:ngay|nam)?\s*[:|\-]?\s*(?:la\s+)?" + DATE),
    # "SN 2008", "SN: 12/3/2008" (folding makes "sn" from "SN")
    re.compile(r"\bsn\s*[:|\-.]?\s*" + DATE),
)
PREVIOUS_WORD = re.compile(r"(\w+)\s+$")
_ANY_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W_]+")
# Where a sentence ends: a full stop, "!" or "?" followed by a space, or a table cell border
# (not ";": "Họ tên: Nguyễn Văn An; năm sinh: 2009" is one person's record).
# In an all-caps line every word is capitalised: a name stops at the words of the phrases
# looked for ("EM LAN SINH NĂM 2009", "CÁC EM ĐƯỢC …").
CAPS_STOP = frozenset({"sinh", "ngay", "nam", "sn", "duoc", "da", "la", "co", "va", "cua",
                       "tai", "dat", "hoc", "lop"})
SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\|")
TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}")
BIRTH_COLUMN = re.compile(r"^(?:ngay\s+thang\s+nam\s+sinh|ngay\s+sinh|nam\s+sinh|sinh\s+ngay|sn)$")


@dataclasses.dataclass(frozen=True)
class Finding:
    line: int  # 1-based line in the source
    kind: str  # "cccd", "cmnd", "phone", "birth"
    masked: str  # the value found, partly masked for the report
    severity: str = ERROR  # WARNING where the guard is unsure
    key: str = dataclasses.field(default="", compare=False, repr=False)  # for Not-personal


@dataclasses.dataclass(frozen=True)
class WordSet:
    """Words kept with their diacritics ("chị" is a title, "chi" in "Chi đoàn" is not); a word
    written without any diacritics ("co Lan", "NGUYEN") is compared folded."""

    exact: frozenset
    folded: frozenset

    @classmethod
    def of(cls, words) -> "WordSet":
        words = [nfc(str(w)).lower() for w in words or ()]
        return cls(frozenset(words), frozenset(fold(w) for w in words))

    def __contains__(self, word: str) -> bool:
        lower = word.lower()
        return lower in self.exact or (lower.isascii() and lower in self.folded)


@dataclasses.dataclass(frozen=True)
class Rules:
    """The data of personal_data.yml, ready for matching (folded words, sets)."""

    mobile_prefixes: frozenset
    province_codes: frozenset
    century: dict
    max_age: int
    historical_before: int
    labels: re.Pattern  # every label, with named groups id / code / hotline / phone
    bank_after: re.Pattern
    person_titles: WordSet
    surnames: WordSet
    not_names: tuple
    institutions: WordSet
    cohort_before: re.Pattern
    cohort_after: re.Pattern
    sinh_compounds: frozenset
    legal_basis: tuple = ()  # (text, valid_from, valid_to): the law in force, by date


def _words(words) -> str:
    """A regex alternative of folded phrases, longest first, as whole words."""
    phrases = sorted({fold(str(w)) for w in words or ()}, key=len, reverse=True)
    return "|".join(r"(?<!\w)" + re.escape(p) + r"(?!\w)" for p in phrases) or r"(?!x)x"


def build_rules(data: dict) -> Rules:
    """Rules from the parsed personal_data.yml."""
    words = data.get("words") or {}
    ids = data.get("id_numbers") or {}
    labels = "|".join(f"(?P<{name}>{_words(words.get(key))})" for name, key in (
        ("id", "id_labels"), ("code", "code_labels"), ("hotline", "hotline_labels"),
        ("phone", "phone_labels")))
    return Rules(
        mobile_prefixes=frozenset(str(p) for p in (data["mobile_prefixes"]["prefixes"] or {})),
        province_codes=frozenset(str(c) for c in ids.get("province_codes") or ()),
        century={str(k): int(v) for k, v in (ids.get("century_digits") or {}).items()},
        max_age=int(ids.get("max_age") or 100),
        historical_before=int((data.get("birth") or {}).get("historical_before") or 1930),
        labels=re.compile(labels),
        bank_after=re.compile(_words(words.get("bank_after"))),
        person_titles=WordSet.of(words.get("person_titles")),
        surnames=WordSet.of(words.get("surnames")),
        not_names=tuple(fold(w) for w in words.get("not_names") or ()),
        institutions=WordSet.of(words.get("institutions")),
        cohort_before=re.compile(_words(words.get("cohort_before"))),
        # a listed word, or a dash and another date ("sinh năm 2010 – 2011")
        cohort_after=re.compile(r"\s*(?:" + _words(words.get("cohort_after"))
                                + r"|[-–—]\s*\d)"),
        sinh_compounds=frozenset(fold(w) for w in words.get("sinh_compounds") or ()),
        legal_basis=tuple((str(b["text"]), b.get("valid_from"), b.get("valid_to"))
                          for b in data.get("legal_basis") or () if isinstance(b, dict)
                          and b.get("text")),
    )


@functools.lru_cache(maxsize=1)
def default_rules() -> Rules:
    """The rules of the plugin's personal_data.yml (read once per process)."""
    with open(DATA_PATH, encoding="utf-8") as handle:
        return build_rules(yaml.safe_load(handle))


def digits(value: str) -> str:
    return re.sub(r"\D", "", str(value))


def national_mobile(value: str) -> str:
    """"+84 912.345.678" → "0912345678" (other numbers: their digits)."""
    number = digits(value)
    if number.startswith("0084"):
        number = "0" + number[4:]
    elif number.startswith("84") and len(number) == 11:
        number = "0" + number[2:]
    return number


def mask_phone(number: str) -> str:
    """"0912345678" → "0912 *** 678"."""
    return f"{number[:4]} *** {number[-3:]}"


def mask_id(number: str) -> str:
    """"001203004567" → "001 ****** 567"; "123456789" → "123 *** 789"."""
    return f"{number[:3]} {'*' * (len(number) - 6)} {number[-3:]}"


def mask_birth(text: str) -> str:
    """Keep the year only: "sinh ngày 12/03/2008" → "sinh ngày **/**/2008"."""
    return re.sub(r"(?<!\d)\d{1,2}(?!\d)", "**", text)


def date_key(day, month, year) -> str:
    """"12/03/2009" and "12-3-2009" → "12/3/2009"; a year alone → "2009"."""
    parts = [str(int(p)) for p in (day, month) if p] + ([str(int(year))] if year else [])
    return "/".join(parts)


def exemption_keys(value: str) -> set[str]:
    """The keys a `Not-personal` value matches: its digits, its national mobile form, and
    its date ("12/03/2009" → "12/3/2009")."""
    value = nfc(str(value)).strip()
    keys = {digits(value), national_mobile(value)}
    match = re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{4}))?", value)
    if match:
        keys.add(date_key(*match.groups()))
    return {k for k in keys if k}


PHONE_KEYS = frozenset({"phone", "phones", "hotline", "mobile"})


def official_phones(data) -> set[str]:
    """Every `phone` value anywhere in school.yml, as national digits."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if str(key).lower() in PHONE_KEYS and isinstance(value, (str, int)):
                    found.add(national_mobile(str(value)))
                elif str(key).lower() in PHONE_KEYS and isinstance(value, list):
                    found.update(national_mobile(str(v)) for v in value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return found


class _FoldTable(dict):
    """str.translate table: each character folded on its own (one character in, one out).

    Filled on first sight of a character, so a build folds each distinct character once
    instead of calling fold() for every character of every line.
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = " " if ch.isspace() else fold(ch)
        value = folded if len(folded) == 1 else (ch.lower() if len(ch.lower()) == 1 else "?")
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable()


def _folded_same_length(line: str) -> str:
    """fold() char by char, so positions in the result are positions in *line*."""
    return line.translate(_FOLD_TABLE)


# --- context: labels, names, groups ---------------------------------------------------------

def label_before(folded: str, start: int, rules: Rules) -> str | None:
    """The kind of the label nearest before position *start*: id, code, hotline, phone."""
    window_start = max(0, start - LABEL_WINDOW)
    last = None
    for match in rules.labels.finditer(folded, window_start, start):
        last = match
    return last.lastgroup if last else None


def is_code(line: str, folded: str, start: int, end: int, rules: Rules) -> bool:
    """The number at line[start:end] is a code: "/QĐ-…" or "-001" right after it, or a bank
    named just after it ("… tại Vietcombank")."""
    return bool(CODE_SUFFIX.match(line, end)) or \
        bool(rules.bank_after.search(folded, end, end + AFTER_WINDOW))


def person_names(line: str, folded: str, rules: Rules) -> list[tuple[int, int]]:
    """Spans of what looks like a person's name in *line*.

    A capitalised family name followed by another capitalised word ("Nguyễn Thị Lan",
    "NGUYEN VAN AN"), or a title followed by a capitalised word ("em Lan", "cô Hà",
    "thầy giáo Nguyễn …"); not a place ("Hà Nội", "Hồ Chí Minh", "Bà Rịa") and not an
    institution's name ("Trường THPT Nguyễn Trãi", "đường Lê Lợi").
    """
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(line)]
    all_caps = not any(ch.islower() for ch in line)

    def capital(i):  # a capitalised word that is not an institution's ("Trường", "THPT")
        return i < len(tokens) and tokens[i][2][:1].isupper() and \
            tokens[i][2] not in rules.institutions and \
            not (all_caps and fold(tokens[i][2]) in CAPS_STOP)

    def joined(i, j):  # tokens i and j are separated by one space only
        return line[tokens[i][1]:tokens[j][0]] == " "

    spans = []
    index = 0
    while index < len(tokens):
        word = tokens[index][2]
        previous = tokens[index - 1][2] if index else ""
        two = f"{word} {tokens[index + 1][2]}" if index + 1 < len(tokens) else ""
        title = index + 1 if two and two in rules.person_titles and joined(index, index + 1) \
            else index if word in rules.person_titles else None
        if word[:1].isupper() and word in rules.surnames and capital(index + 1) \
                and joined(index, index + 1) and previous not in rules.institutions:
            first, last, said = index, index + 1, index
        elif title is not None and capital(title + 1) \
                and joined(title, title + 1):
            first, last, said = title + 1, title + 1, index
        else:
            index += 1
            continue
        while capital(last + 1) and joined(last, last + 1):
            last += 1
        names = (fold(line[tokens[first][0]:tokens[last][1]]),
                 fold(line[tokens[said][0]:tokens[last][1]]))  # with its title: "Bác Hồ"
        if not any(n.startswith(p) or n.endswith(p) for n in names for p in rules.not_names):
            spans.append((tokens[first][0], tokens[last][1]))
        index = last + 1
    return spans


def _sentence(folded: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or table cell) around folded[start:end]."""
    begin = 0
    for match in SENTENCE_END.finditer(folded, 0, start):
        # "12/03/2009." ends a sentence; "12.03.2009" does not (the dot sits between digits)
        if not (match.group() == "." and match.start() and folded[match.start() - 1].isdigit()
                and folded[match.end():match.end() + 1].isdigit()):
            begin = match.end()
    stop = SENTENCE_END.search(folded, end)
    return begin, stop.start() if stop else len(folded)


# --- the scan -------------------------------------------------------------------------------

def _id_findings(line, folded, number, rules, year_now, taken, names):
    findings = []
    for pattern, size in ((ID12, 12), (ID9, 9)):
        for match in pattern.finditer(line):
            value = digits(match.group(1))
            if len(value) != size or any(s < match.end() and match.start() < e for s, e in taken):
                continue
            label = label_before(folded, match.start(), rules)
            if label == "code" or is_code(line, folded, match.start(), match.end(), rules):
                continue
            kind = "cccd" if size == 12 else "cmnd"
            if label == "id":
                severity = ERROR
            elif size == 12 and cccd_structure(value, rules, year_now):
                severity = ERROR if names() else WARNING
            else:
                continue
            findings.append(Finding(number, kind, mask_id(value), severity, value))
            taken.append(match.span())
    return findings


def cccd_structure(value: str, rules: Rules, year_now: int) -> bool:
    """A 12-digit number shaped like a CCCD: province code, century/sex digit, birth year."""
    if len(value) != 12 or value[:3] not in rules.province_codes or value[3] not in rules.century:
        return False
    year = rules.century[value[3]] + int(value[4:6])
    return year_now - rules.max_age <= year <= year_now


def _phone_findings(line, folded, number, rules, allowed_phones, taken):
    findings = []
    for match in MOBILE.finditer(line):
        value = "0" + digits(match.group(1))
        if value[:3] not in rules.mobile_prefixes or value in allowed_phones or \
                any(s < match.end() and match.start() < e for s, e in taken):
            continue
        label = label_before(folded, match.start(), rules)
        if label == "code" or is_code(line, folded, match.start(), match.end(), rules):
            continue
        severity = WARNING if label == "hotline" else ERROR
        findings.append(Finding(number, "phone", mask_phone(value), severity, value))
        taken.append(match.span())
    return findings


def birth_severity(folded: str, start: int, end: int, complete: bool,
                   names: list[tuple[int, int]], rules: Rules) -> str | None:
    """ERROR, WARNING or None (not personal) for a birth date at folded[start:end].

    The nearest of a person's name and a group word before it, in the same sentence, decides;
    then a name after it; a range or condition right after the date makes it no one's.
    """
    if rules.cohort_after.match(folded, end):
        return None  # "sinh từ … đến …", "sinh năm 2011 trở về trước", "2010 – 2011"
    begin, stop = _sentence(folded, start, end)
    # (a name may run into the phrase in an all-caps line: "EM NGUYỄN THỊ LAN SINH NĂM …")
    name_end = max((min(e, start) for s, e in names if begin <= s < start), default=-1)
    group_end = max((m.end() for m in rules.cohort_before.finditer(folded, begin, start)),
                    default=-1)
    if name_end > group_end:
        return ERROR
    if group_end >= 0:
        return None  # "học sinh lớp 9 sinh năm 2011", "trẻ sinh năm 2020"
    if any(end <= s < stop for s, e in names):
        return ERROR  # "Sinh năm 2009, em Lan …"
    return ERROR if complete else WARNING


def _birth_findings(line, folded, number, rules, taken, names):
    findings = []
    for pattern in BIRTH_PATTERNS:
        for match in pattern.finditer(folded):
            previous = PREVIOUS_WORD.search(folded[:match.start()])
            if previous and previous.group(1) in rules.sinh_compounds and \
                    not folded[match.start():].startswith(("ngay sinh", "nam sinh")):
                continue  # học sinh, tuyển sinh, thí sinh …: "sinh" ends another word
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            day = match.group("d1") or match.group("d2")
            month = match.group("m1") or match.group("m2") or match.group("m4")
            year = next((match.group(g) for g in ("y1", "y2", "y3", "y4") if match.group(g)),
                        None)
            if year and len(year) == 4 and int(year) < rules.historical_before:
                continue
            complete = bool(day and month and year)
            severity = birth_severity(folded, match.start(), match.end(), complete, names(),
                                      rules)
            if severity is None:
                continue
            findings.append(Finding(number, "birth", mask_birth(line[match.start():match.end()]),
                                    severity, date_key(day, month, year)))
            taken.append(match.span())
    return findings


def find_in_line(line: str, number: int, allowed_phones: set[str] = frozenset(),
                 rules: Rules | None = None, year_now: int | None = None) -> list[Finding]:
    """Personal data in one line of text."""
    rules = rules or default_rules()
    year_now = year_now or dt.date.today().year
    line = nfc(line)
    folded = _folded_same_length(line)
    taken: list[tuple[int, int]] = []
    found_names: list = []

    def names():  # computed once, and only when a rule needs them
        if not found_names:
            found_names.append(person_names(line, folded, rules))
        return found_names[0]

    findings = _id_findings(line, folded, number, rules, year_now, taken, names)
    findings += _phone_findings(line, folded, number, rules, allowed_phones, taken)
    findings += _birth_findings(line, folded, number, rules, taken, names)
    return findings


def _table_cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table_births(line: str, number: int, columns: list[int], rules: Rules) -> list[Finding]:
    """Birth dates in the "Ngày sinh"/"Năm sinh" column of a Markdown table row."""
    cells = _table_cells(line)
    findings = []
    for column in columns:
        if column >= len(cells):
            continue
        folded = _folded_same_length(nfc(cells[column]))
        match = re.fullmatch(r"\s*" + DATE + r"\s*", folded)
        if not match:
            continue
        day = match.group("d1") or match.group("d2")
        month = match.group("m1") or match.group("m2") or match.group("m4")
        year = next((match.group(g) for g in ("y1", "y2", "y3", "y4") if match.group(g)), None)
        if year and len(year) == 4 and int(year) < rules.historical_before:
            continue
        row = nfc(line)
        named = person_names(row, _folded_same_length(row), rules)
        severity = ERROR if named or (day and month and year) else WARNING
        findings.append(Finding(number, "birth", mask_birth(cells[column]), severity,
                                date_key(day, month, year)))
    return findings


def find_personal_data(text: str, allowed_phones: set[str] = frozenset(),
                       rules: Rules | None = None, year_now: int | None = None) -> list[Finding]:
    """Personal data in a whole Markdown source (front matter included), by line."""
    rules = rules or default_rules()
    findings = []
    lines = text.splitlines()
    birth_columns: list[int] = []
    for index, line in enumerate(lines):
        number = index + 1
        if line.lstrip().startswith("|"):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if TABLE_SEPARATOR.match(following):  # a header row: which columns are births?
                birth_columns = [i for i, cell in enumerate(_table_cells(line))
                                 if BIRTH_COLUMN.match(fold(cell))]
            elif birth_columns and _ANY_DIGIT.search(line) and not TABLE_SEPARATOR.match(line):
                found = find_in_line(line, number, allowed_phones, rules, year_now)
                births = [f for f in _table_births(line, number, birth_columns, rules)
                          if not any(g.kind == "birth" for g in found)]
                findings += found + births
                continue
        else:
            birth_columns = []
        if _ANY_DIGIT.search(line):  # every pattern needs a digit: skip the other lines
            findings += find_in_line(line, number, allowed_phones, rules, year_now)
    return findings


# --- exemptions -----------------------------------------------------------------------------

def parse_not_personal(value) -> tuple[list[str], list[str]]:
    """The values of `Not-personal:` (comma or semicolon separated); and the invalid ones.

    Each value must carry digits (a number or a date): no words, so no blanket switch.
    """
    if value is None:
        return [], []
    items = value if isinstance(value, (list, tuple)) else re.split(r"[,;]", str(value))
    values, invalid = [], []
    for item in items:
        item = nfc(str(item)).strip()
        if not item:
            continue
        (values if len(digits(item)) >= 4 else invalid).append(item)
    return values, invalid


def apply_exemptions(findings: list[Finding], values: list[str]
                     ) -> tuple[list[Finding], list[Finding], list[str]]:
    """(findings still reported, findings exempted, values that matched nothing)."""
    keys = {value: exemption_keys(value) for value in values}
    kept, exempted, used = [], [], set()
    for finding in findings:
        matched = [v for v, k in keys.items() if finding.key and finding.key in k]
        if matched:
            exempted.append(finding)
            used.update(matched)
        else:
            kept.append(finding)
    return kept, exempted, [v for v in values if v not in used]


# --- messages -------------------------------------------------------------------------------

LABELS = {
    "cccd": "số căn cước công dân (CCCD)",
    "cmnd": "số chứng minh nhân dân (CMND)",
    "phone": "số điện thoại di động cá nhân",
    "birth": "ngày sinh",
}

CONSENT_VALUES = frozenset({"consented", "da dong y"})


def consent_state(personal: str | None, consent_by: str | None) -> tuple[bool, list[tuple[str, str, str, str]]]:
    """Whether the post declares valid consent; and problems (field, value, message, hint).

    Consent needs both `Personal-data: consented` and `Consent-by: <who approved>`.
    """
    problems = []
    personal = nfc(str(personal)).strip() if personal is not None else ""
    consent_by = nfc(str(consent_by)).strip() if consent_by is not None else ""
    declared = fold(personal) in CONSENT_VALUES
    if personal and not declared:
        problems.append(("Personal-data", personal, "Giá trị không hợp lệ.",
                         "Chỉ dùng «Personal-data: consented» khi đã có sự đồng ý bằng văn bản "
                         "của cha mẹ (và của học sinh từ 7 tuổi)."))
    if declared and not consent_by:
        problems.append(("Consent-by", "", "Khai báo đã có sự đồng ý nhưng thiếu người phê duyệt.",
                         "Thêm «Consent-by: Hiệu trưởng, biên bản số …/BB-… ngày …»."))
    return declared and bool(consent_by), problems


def law_on(day: dt.date | None, rules: Rules | None = None) -> str:
    """The personal-data law in force on *day* (personal_data.yml ``legal_basis``): "Nghị định
    13/2023/NĐ-CP" until 31/12/2025, Luật 91/2025/QH15 and NĐ 356/2025/NĐ-CP from 01/01/2026."""
    rules = rules or default_rules()
    day = day or dt.date.today()
    for text, start, end in rules.legal_basis:
        if (start is None or start <= day) and (end is None or day <= end):
            return text
    return rules.legal_basis[-1][0] if rules.legal_basis else "pháp luật về bảo vệ dữ liệu cá nhân"


def message(finding: Finding, day: dt.date | None = None) -> str:
    """What the editor reads, naming the law in force on the post's date *day*."""
    law = law_on(day)
    if finding.severity == WARNING:
        return (f"Có thể là {LABELS[finding.kind]} (chưa chắc chắn). Nếu đúng là dữ liệu cá "
                f"nhân thì không được đăng khi chưa có sự đồng ý ({law}).")
    return (f"Bài có {LABELS[finding.kind]}. Đây là dữ liệu cá nhân ({law}; "
            "với học sinh dưới 16 tuổi: Luật Trẻ em 2016, NĐ 56/2017), không được đăng khi chưa "
            "có sự đồng ý.")


HINT = ("Xóa thông tin này (số điện thoại liên hệ: dùng số của trường trong content/data/school.yml); "
        "nếu đã có văn bản đồng ý của cha mẹ và học sinh, khai báo «Personal-data: consented» và "
        "«Consent-by: …» ở đầu bài.")
HINT_UNSURE = ("Nếu đây không phải dữ liệu cá nhân (mã hồ sơ, mã số thuế, số tài khoản của "
               "trường, đường dây nóng…), ghi rõ loại số ngay trước nó (ví dụ «Mã hồ sơ: …») "
               "hoặc khai báo «Not-personal: <giá trị>» ở đầu bài; số của trường thì thêm vào "
               "content/data/school.yml. Nếu là dữ liệu cá nhân: xóa đi.")


def hint(finding: Finding) -> str:
    return HINT_UNSURE if finding.severity == WARNING else HINT
