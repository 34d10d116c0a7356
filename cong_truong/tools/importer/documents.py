"""A document (văn bản) of an old portal → the facts of a document page: number and symbol,
type, date of issue, issuer, validity; each with where it was read, and what a person must
decide when the page does not say it for sure.

Documents are written in many ways: «Số: 123/KH-THPT», «SỐ 123 / KH - THPT», «so: 123/kh-thpt»,
«Công văn 45/SGDĐT-VP», «CV số 45/SGD&ĐT-VP», «09/2024/TT-BGDĐT»; «Nam Định, ngày 05 tháng 9 năm
2019»; «SỞ GD&ĐT NAM ĐỊNH», «Sở GDĐT Nam Định», «Sở Giáo dục và Đào tạo Nam Định». Text is read in
NFC; matching ignores case and diacritics (folded text keeps every character's position, so
the value shown is the one written). Citations («Căn cứ Thông tư số 09/2024/TT-BGDĐT …») are
not the document's own number or date. The written forms of types and bodies are data
(documents.yml), from NĐ 30/2020/NĐ-CP.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import unicodedata

import yaml

from portal_core.text import fold

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "documents.yml"), encoding="utf-8") as _handle:
    DATA = yaml.safe_load(_handle)

TYPES = DATA["types"]
BODIES = DATA["bodies"]
ABBREVIATIONS = {fold(a): a for a in DATA.get("abbreviations") or []}
CODE_TYPE = {fold(code).upper(): t for t in TYPES for code in t.get("codes") or []}
CODE_TYPE.update({code: t for t in TYPES for code in t.get("codes") or []})
CODE_BODY = {fold(code).upper(): b for b in BODIES for code in b.get("codes") or []}
SCHOOL_CODE = re.compile(next(b["codes_pattern"] for b in BODIES if b.get("school")), re.I)
SCHOOL_BODY = next(b for b in BODIES if b.get("school"))

LETTER = "A-Za-zĐđ"
# 123/KH-THPT, 45 / SGDĐT – VP, 09/2024/TT-BGDĐT, 12a/QĐ-UBND; never V/v or a date
NUMBER = (rf"(?P<num>\d{{1,5}}[a-zA-Z]?)\s*/\s*(?:(?P<year>(?:19|20)\d{{2}})\s*/\s*)?"
          rf"(?P<sym>[{LETTER}][{LETTER}&0-9.]*(?:\s?[-–—]\s?[{LETTER}&][{LETTER}&0-9.]*)*)")
NUMBER_RE = re.compile(NUMBER)
LABEL = r"(?:số\s*/\s*ký\s*hiệu|số\s*,?\s*ký\s*hiệu|số\s*hiệu(?:\s*văn\s*bản)?|ký\s*hiệu|số\s*văn\s*bản|số)"
LINE_LABEL = re.compile(rf"(?:^|\n)[ \t*•|-]*{LABEL}[ \t]*[:.|]?[ \t|]*{NUMBER}", re.I)
ANY_LABEL = re.compile(rf"{LABEL}\s*[:|]\s*{NUMBER}", re.I)
CITING = re.compile(r"(căn cứ|thực hiện|theo|của|tại|kèm theo|trả lời|triển khai|hướng dẫn|"
                    r"quy định|thay thế|sửa đổi|bãi bỏ)\b[^\n]{0,80}$", re.I)
WORD_DATE = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
NUMERIC_DATE = re.compile(r"(?<![\d/])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*((?:19|20)\d{2})(?![\d/])")
SCHOOL_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-–—/]\s*((?:19|20)\d{2})(?!\d)")
YEAR = re.compile(r"(?<![\d/])(?:nam|năm)\s+((?:19|20)\d{2})(?![\d/])", re.I)
PLACE_STOP = re.compile(r"\s*(?:\b(?:ve|v/v|ban hanh|so|ngay|gui|kinh gui|quy dinh|huong dan|"
                        r"thong bao|cong van|ke hoach|quyet dinh|cua|tai|theo|nam hoc|cong hoa)\b|"
                        r"[,;:()\[\]\"“”«»|]|\s[-–—]\s|\.\s|$)")
ADMIN_WORDS = {"tinh": "tỉnh", "thanh pho": "thành phố", "tp": "thành phố", "tp.": "thành phố",
               "huyen": "huyện", "quan": "quận", "thi xa": "thị xã", "tx": "thị xã", "xa": "xã",
               "phuong": "phường", "thi tran": "thị trấn"}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def keep_fold(text: str) -> str:
    """Lower case without diacritics, đ → d, one character for each character of *text*
    (NFC), so that a match in the folded text is at the same place in the text."""
    out = []
    for ch in text:
        if ch in "Đđ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", ch)[0] if ch.isalpha() else ch
        out.append(base.lower() if len(base.lower()) == 1 else base)
    return "".join(out)


def block_text(node) -> str:
    """The text of an lxml node, one line per block (paragraph, heading, row, list item)."""
    if node is None:
        return ""
    blocks = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
              "section", "article", "blockquote", "dd", "dt", "ul", "ol"}
    parts: list[str] = []

    def walk(el):
        if not isinstance(el.tag, str):
            if el.tail:
                parts.append(el.tail)
            return
        block = el.tag in blocks
        if block:
            parts.append("\n")
        if el.tag in ("td", "th"):
            parts.append(" | ")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
        if block:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    text = node.text or ""
    parts.append(text)
    for child in node:
        walk(child)
    joined = unicodedata.normalize("NFC", "".join(parts)).replace("\u00a0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in joined.split("\n")]
    return "\n".join(line for line in lines if line)


def clean_number(match: re.Match) -> str:
    """«123 / kh – thpt.» → «123/KH-THPT» (a symbol written all in lower case is raised)."""
    symbol = re.sub(r"\s*[-–—]\s*", "-", match.group("sym")).rstrip(".-")
    if symbol == symbol.lower():
        symbol = symbol.upper()
    year = f"{match.group('year')}/" if match.group("year") else ""
    return f"{match.group('num')}/{year}{symbol}"


def _plausible(symbol: str) -> bool:
    """A symbol, not a fraction or a class name: it has a hyphen or names a known body."""
    parts = symbol.split("-")
    return len(parts) > 1 or fold(parts[0]).upper() in CODE_BODY or bool(re.search(r"\d{2}$", parts[0]))


@dataclasses.dataclass
class Found:
    value: object = None
    source: str = ""  # where it was read, in Vietnamese


@dataclasses.dataclass
class DocumentFacts:
    number: Found = dataclasses.field(default_factory=Found)
    kind: Found = dataclasses.field(default_factory=Found)  # "Kế hoạch"
    issued: Found = dataclasses.field(default_factory=Found)  # dt.date
    issuer: Found = dataclasses.field(default_factory=Found)
    validity: Found = dataclasses.field(default_factory=Found)  # "Còn hiệu lực" / "Hết hiệu lực"
    decide: list = dataclasses.field(default_factory=list)  # what a person must decide
    notes: list = dataclasses.field(default_factory=list)  # what was inferred: check it


def _cited(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return bool(CITING.search(text[line_start:start]))


def find_number(title: str, text: str) -> Found:
    """The document's own number and symbol: the «Số:» line of its heading, else its title,
    else a «Số hiệu:» label, else the only number in the text that is not a citation."""
    title, text = _nfc(title), _nfc(text)
    for pattern, where in ((LINE_LABEL, "dòng «Số:» của văn bản"),):
        for match in pattern.finditer(text):
            if not _cited(text, match.start("num")):
                return Found(clean_number(match), where)
    for match in NUMBER_RE.finditer(title):
        if _plausible(match.group("sym")):
            return Found(clean_number(match), "tiêu đề")
    for match in ANY_LABEL.finditer(text):
        if not _cited(text, match.start()):
            return Found(clean_number(match), "nhãn «Số hiệu»")
    own = {clean_number(m) for m in NUMBER_RE.finditer(text)
           if _plausible(m.group("sym")) and not _cited(text, m.start())}
    if len(own) == 1:
        return Found(own.pop(), "số hiệu duy nhất trong nội dung")
    return Found()


def symbol_parts(number: str) -> list[str]:
    """«09/2024/TT-BGDĐT» → ["TT", "BGDĐT"]; «45/SGDĐT-VP» → ["SGDĐT", "VP"]."""
    symbol = number.rsplit("/", 1)[-1] if number else ""
    return [p for p in symbol.split("-") if p]


def _type_of_code(code: str):
    return CODE_TYPE.get(code) or CODE_TYPE.get(fold(code).upper())


def find_type(title: str, number: str) -> Found:
    """The type: the title's first words («Kế hoạch tổ chức …», «QUYẾT ĐỊNH về việc …»), else
    the symbol's type code (KH, QĐ …), else a công văn when the symbol starts with a body."""
    title = _nfc(title)
    folded = fold(title)
    folded = re.sub(r"^(?:v/v|ve viec)\b", "", folded).strip()
    for kind in sorted(TYPES, key=lambda t: -len(t["name"])):
        if folded.startswith(fold(kind["name"])) or any(
                re.match(rf"{re.escape(fold(c))}\b", folded) for c in kind.get("codes") or []
                if len(c) > 1):
            return Found(kind["name"], "tiêu đề")
    parts = symbol_parts(number)
    if parts:
        kind = _type_of_code(parts[0])
        if kind:
            return Found(kind["name"], f"ký hiệu «{parts[0]}»")
        if fold(parts[0]).upper() in CODE_BODY or SCHOOL_CODE.match(parts[0]):
            return Found("Công văn", "ký hiệu không có mã loại (công văn)")
    if re.match(r"^(?:v/v|ve viec)\b", fold(title)):
        return Found("Công văn", "tiêu đề «V/v»")
    return Found()


def _date(day, month, year, today: dt.date):
    try:
        found = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return found if dt.date(1945, 9, 2) <= found <= today else None


def find_issued(title: str, text: str, number: str, today: dt.date) -> Found:
    """The date of issue: «<địa danh>, ngày 05 tháng 9 năm 2019», a «Ngày ban hành:» label,
    «… số 45/SGDĐT-VP ngày 12/10/2021» in the title, else the only such date in the text."""
    title, text = _nfc(title), _nfc(text)
    folded = keep_fold(text)
    for match in WORD_DATE.finditer(folded):
        line_start = folded.rfind("\n", 0, match.start()) + 1
        before = folded[line_start:match.start()]
        if re.search(r"[a-z)]\s*,\s*$", before) and not CITING.search(text[line_start:match.start()]):
            found = _date(*match.groups(), today)
            if found:
                return Found(found, "dòng «địa danh, ngày … tháng … năm …»")
    label = re.search(r"ngay\s*(?:ban hanh|ky|van ban)\s*[:.]?\s*", folded)
    if label:
        rest = folded[label.end():label.end() + 40]
        for pattern in (NUMERIC_DATE, WORD_DATE):
            match = pattern.match(rest) or pattern.search(rest[:30])
            if match:
                found = _date(*match.groups(), today)
                if found:
                    return Found(found, "nhãn «Ngày ban hành»")
    folded_title = keep_fold(title)
    if number:
        at = folded_title.find(keep_fold(number).split("/", 1)[0] + "/")
        tail = folded_title[at:] if at >= 0 else folded_title
        match = re.search(r"ngay\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*((?:19|20)\d{2})", tail) \
            or WORD_DATE.search(tail)
        if match:
            found = _date(*match.groups(), today)
            if found:
                return Found(found, "tiêu đề")
    own = set()
    for match in WORD_DATE.finditer(folded):
        if not CITING.search(text[folded.rfind("\n", 0, match.start()) + 1:match.start()]):
            found = _date(*match.groups(), today)
            if found:
                own.add(found)
    if len(own) == 1:
        return Found(own.pop(), "ngày duy nhất «ngày … tháng … năm …» trong nội dung")
    return Found()


def title_case(words: str) -> str:
    out = []
    for word in words.split():
        key = fold(word)
        if key in ABBREVIATIONS or (word.isupper() and len(word) <= 2 and not word.isalpha()):
            out.append(ABBREVIATIONS.get(key, word))
        elif word.isupper() or word.islower():
            out.append(word[:1].upper() + word[1:].lower())
        else:
            out.append(word)
    return " ".join(out)


def _place(text: str, folded: str, start: int) -> str:
    """The place name written after a body («… NAM ĐỊNH», «… tỉnh Nam Định»), in title case."""
    line_end = folded.find("\n", start)
    line_end = len(folded) if line_end < 0 else line_end
    segment = folded[start:line_end]
    stop = PLACE_STOP.search(segment, 1 if segment[:1] == " " else 0)
    end = start + (stop.start() if stop else len(segment))
    raw = re.sub(r"\s+", " ", text[start:end]).strip(" .-–—&")
    if not raw or len(raw) > 50 or re.search(r"\d", raw):
        return ""
    words = raw.split()
    lead = []
    while words:
        two = fold(" ".join(words[:2]))
        one = fold(words[0]).rstrip(".")
        if two in ADMIN_WORDS and len(words) > 2:
            lead.append(ADMIN_WORDS[two])
            words = words[2:]
        elif one in ADMIN_WORDS and len(words) > 1:
            lead.append(ADMIN_WORDS[one])
            words = words[1:]
        else:
            break
    return " ".join(lead + [title_case(" ".join(words))]).strip()


def _body_at(folded: str, start: int = 0, end: int | None = None):
    """Every body form written between *start* and *end*: (start, end of form, body)."""
    found = []
    for body in BODIES:
        for form in body.get("forms") or []:
            for match in re.finditer(rf"(?<![a-z]){form}", folded[start:end]):
                found.append((start + match.start(), start + match.end(), body))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept, last_end = [], -1
    for item in found:
        if item[0] >= last_end:
            kept.append(item)
            last_end = item[1]
    return kept


def _school_name(text: str, folded: str, start: int, end: int) -> str:
    rest = _place(text, folded, end)
    level = re.sub(r"\s+", " ", text[start:end]).strip()
    level_words = level.split()[1:]  # after «Trường»
    return title_case("Trường " + " ".join(level_words) + (" " + rest if rest else ""))


def _issuer_name(body: dict, text: str, folded: str, start: int, end: int) -> tuple[str, str]:
    """(full name, place) of the body written at start:end (place "" when none follows)."""
    if body.get("school"):
        return _school_name(text, folded, start, end), "school"
    place = _place(text, folded, end) if body.get("place") else ""
    if place and body["name"].startswith("Sở ") and place.startswith("tỉnh "):
        place = place[len("tỉnh "):]
    return (f"{body['name']} {place}".strip(), place)


def _heading_end(folded: str) -> int:
    """Where the heading of a document ends: at its «Số:» line, else after its first lines."""
    match = re.search(r"(?:^|\n)[ |*-]*(?:so|so hieu|so/ky hieu)\s*[:.]?\s*\d", folded)
    if match and match.start() < 600:
        return match.start()
    lines = folded.split("\n")
    return min(len("\n".join(lines[:4])), 300)


def _place_needed(name: str) -> bool:
    return any(fold(name) == fold(b["name"]) for b in BODIES if b.get("place") or b.get("school"))


def _valid_on(name: str, day: dt.date | None, successions: list[dict]) -> bool:
    """Whether a body of this name existed on *day* (issuers.yml successions: a successor
    from its date, a predecessor until then)."""
    if day is None:
        return True
    for item in successions:
        since = item.get("from")
        if not isinstance(since, dt.date):
            continue
        if fold(str(item.get("successor", ""))) == fold(name) and day < since:
            return False
        if fold(str(item.get("issuer", ""))) == fold(name) and day >= since:
            return False
    return True


def find_issuer(title: str, text: str, number: str, school: str = "",
                known: list[str] | None = None, issued: dt.date | None = None,
                successions: list[dict] | None = None) -> tuple[Found, list[str]]:
    """(issuer, notes): the heading's body (the last one above «Số:», its place from the line
    above when its own line has none: «UBND TỈNH NAM ĐỊNH / SỞ GIÁO DỤC VÀ ĐÀO TẠO»), a «Cơ
    quan ban hành:» label, «… của Sở GDĐT Nam Định» in the title; else the body of the
    symbol's code (SGDĐT, BGDĐT, THPT…) completed from where the text names it with its
    place, from the issuers already known that existed on the day of issue (*known*,
    *successions*: the project's documents and issuers.yml), or the school's own name."""
    title, text = _nfc(title), _nfc(text)
    notes: list[str] = []
    known = list(dict.fromkeys(known or []))
    successions = successions or []
    folded = keep_fold(text)
    candidates: list[tuple[str, str]] = []  # (name, where)
    heading = _body_at(folded, 0, _heading_end(folded))
    if heading:
        start, end, body = heading[-1]
        name, place = _issuer_name(body, text, folded, start, end)
        if body.get("place") and not place and len(heading) > 1:
            above = heading[-2]
            _, up_place = _issuer_name(above[2], text, folded, above[0], above[1])
            if up_place:
                place = up_place[len("tỉnh "):] if body["name"].startswith("Sở ") and \
                    up_place.startswith("tỉnh ") else up_place
                name = f"{body['name']} {place}"
        candidates.append((name, "phần đầu văn bản"))
    label = re.search(r"(?:co quan|don vi|noi)\s*ban hanh\s*[:.]?\s*", folded)
    if label:
        for start, end, body in _body_at(folded, label.end(), label.end() + 120)[:1]:
            candidates.append((_issuer_name(body, text, folded, start, end)[0],
                               "nhãn «Cơ quan ban hành»"))
    folded_title = keep_fold(title)
    of = re.search(r"\bcua\s+", folded_title)
    if of:
        for start, end, body in _body_at(folded_title, of.end(), of.end() + 80)[:1]:
            if start == of.end():
                candidates.append((_issuer_name(body, title, folded_title, start, end)[0],
                                   "tiêu đề"))
    parts = symbol_parts(number)
    code_body = None
    codes = (parts[1:] if _type_of_code(parts[0]) else parts[:1]) if parts else []
    if codes:
        code_body = SCHOOL_BODY if SCHOOL_CODE.match(codes[0]) else CODE_BODY.get(
            fold(codes[0]).upper())
    for name, where in candidates:
        agrees = code_body is None or fold(name).startswith(
            fold("Trường" if code_body.get("school") else code_body["name"]))
        if agrees and not _place_needed(name):
            return Found(_known_form(name, known), where), notes
    body = code_body
    if body is None and candidates:
        body = next((b for b in BODIES if fold(candidates[0][0]).startswith(
            fold("Trường" if b.get("school") else b["name"]))), None)
    if body is None:
        return Found(), notes
    if body.get("school"):
        if school:
            notes.append(f"Cơ quan ban hành suy ra từ ký hiệu «{'-'.join(parts)}»: chính nhà "
                         f"trường ({school}).")
            return Found(school, "ký hiệu (văn bản của trường)"), notes
        return Found(), notes
    if not body.get("place"):
        return Found(body["name"], "ký hiệu"), notes
    places: dict[str, tuple[str, str]] = {}
    for where_text, where in ((title, "tiêu đề"), (text, "nội dung")):
        folded_where = keep_fold(where_text)
        for start, end, other in _body_at(folded_where):
            if other is body:
                name, place = _issuer_name(other, where_text, folded_where, start, end)
                if place:
                    places.setdefault(fold(name), (name, where))
    if len(places) == 1:
        name, where = next(iter(places.values()))
        notes.append(f"Cơ quan ban hành: tên đầy đủ lấy từ {where} («{name}»).")
        return Found(_known_form(name, known), f"ký hiệu + {where}"), notes
    same = [k for k in known if fold(k).startswith(fold(body["name"]) + " ")
            and _valid_on(k, issued, successions)]
    if len(same) == 1:
        notes.append(f"Cơ quan ban hành: «{same[0]}», cơ quan «{body['name']}» duy nhất của "
                     "cổng vào ngày ban hành.")
        return Found(same[0], "ký hiệu + cơ quan đã có"), notes
    return Found(body["name"], "ký hiệu (thiếu địa danh)"), notes


def _without_marks(text: str) -> bool:
    """A text written without Vietnamese diacritics (long enough to tell)."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 20 and all(ch.isascii() for ch in letters)


def _known_form(name: str, known: list[str]) -> str:
    """The way the project already writes this issuer, when it folds to the same name (a name
    written without diacritics gets them back from there)."""
    for other in known:
        if fold(other) == fold(name):
            return other
    return name


def years_named(title: str) -> tuple[int, int] | None:
    """The span of years a title names: a school year «2019-2020» (ends 31/8 of its second
    year), a range «giai đoạn 2021-2025», or «năm 2020»; (first year, last year)."""
    match = SCHOOL_YEAR.search(title)
    if match:
        first, last = int(match.group(1)), int(match.group(2))
        if last >= first:
            return first, last
    match = YEAR.search(title)
    if match:
        return int(match.group(1)), int(match.group(1))
    return None


def _ended(span: tuple[int, int], school_year: bool, today: dt.date) -> bool:
    end = dt.date(span[1], 8, 31) if school_year else dt.date(span[1], 12, 31)
    return end < today


def find_validity(title: str, text: str, kind: str, issued: dt.date | None,
                  today: dt.date) -> tuple[Found, str]:
    """(validity, note): a «Hiệu lực:»/«Tình trạng:» label; else the years the title names
    (over → Hết hiệu lực, not over → Còn hiệu lực); else a document about one occasion
    (Kế hoạch, Thông báo, Công văn …) whose school year of issue is over → Hết hiệu lực; else
    unknown (a person decides)."""
    folded = keep_fold(text)
    label = re.search(r"(?:hieu luc|tinh trang)\s*(?:van ban)?\s*[:.]\s*(con|het|da het|chua co)"
                      r"\s*hieu luc", folded)
    if label:
        word = label.group(1)
        return Found("Còn hiệu lực" if word == "con" else "Hết hiệu lực",
                     "nhãn «Hiệu lực»"), ""
    span = years_named(title)
    if span:
        school_year = bool(SCHOOL_YEAR.search(title)) and span[1] == span[0] + 1
        if _ended(span, school_year, today):
            label_years = f"{span[0]}–{span[1]}" if span[0] != span[1] else str(span[0])
            return (Found("Hết hiệu lực", f"tiêu đề (năm {label_years} đã qua)"),
                    f"Hiệu lực «Hết hiệu lực» suy ra từ tiêu đề ({label_years} đã qua): kiểm tra.")
        return Found("Còn hiệu lực", "tiêu đề (năm chưa qua)"), (
            "Hiệu lực «Còn hiệu lực» suy ra từ tiêu đề (năm chưa qua): kiểm tra.")
    lasting = next((t.get("lasting", True) for t in TYPES if t["name"] == kind), True)
    if not lasting and issued is not None:
        start = issued.year if issued.month >= 9 else issued.year - 1
        if dt.date(start + 1, 8, 31) < today:
            return (Found("Hết hiệu lực", f"{kind.lower()} của năm học {start}–{start + 1} đã qua"),
                    f"Hiệu lực «Hết hiệu lực» suy ra: {kind.lower()} ban hành trong năm học "
                    f"{start}–{start + 1}, năm học đó đã kết thúc.")
    return Found(), ""


def read_document(title: str, text: str, today: dt.date, school: str = "",
                  known_issuers: list[str] | None = None,
                  successions: list[dict] | None = None) -> DocumentFacts:
    """Every fact of a document page, with what a person must still decide."""
    title = unicodedata.normalize("NFC", title or "")
    text = unicodedata.normalize("NFC", text or "")
    facts = DocumentFacts()
    facts.number = find_number(title, text)
    number = facts.number.value or ""
    facts.kind = find_type(title, number)
    facts.issued = find_issued(title, text, number, today)
    facts.issuer, notes = find_issuer(title, text, number, school, known_issuers,
                                      facts.issued.value, successions)
    facts.notes += notes
    facts.validity, note = find_validity(title, text, facts.kind.value or "", facts.issued.value,
                                         today)
    if note:
        facts.notes.append(note)
    if not number:
        facts.decide.append("Không tìm thấy số hiệu văn bản trong tiêu đề và nội dung: ghi dòng "
                            "«Number:» (ví dụ 123/KH-THPT); nếu đây không phải văn bản thì chuyển "
                            "thành thông báo (content/thong-bao/<năm>/).")
    if facts.issued.value is None:
        facts.decide.append("Không tìm thấy ngày ban hành («…, ngày … tháng … năm …»): ghi dòng "
                            "«Issued:» dạng YYYY-MM-DD.")
    issuer = facts.issuer.value or ""
    if not issuer:
        facts.decide.append("Không rõ cơ quan ban hành: ghi dòng «Issuer:» (ví dụ Sở Giáo dục và "
                            "Đào tạo Nam Định).")
    elif any(fold(issuer) == fold(b["name"]) for b in BODIES if b.get("place")):
        facts.decide.append(f"Cơ quan ban hành «{issuer}» thiếu địa danh (tỉnh, huyện…): ghi đủ "
                            f"tên ở dòng «Issuer:», ví dụ «{issuer} Ninh Bình».")
    elif _without_marks(f"{title} {text}") and not any(
            fold(issuer) == fold(k) for k in known_issuers or []):
        facts.decide.append(f"Trang viết không dấu: kiểm tra tên cơ quan ban hành «{issuer}» và "
                            "ghi lại có dấu ở dòng «Issuer:».")
    if not facts.validity.value:
        facts.decide.append("Chưa rõ hiệu lực: ghi dòng «Validity:» (Còn hiệu lực hoặc Hết hiệu "
                            "lực).")
    return facts
