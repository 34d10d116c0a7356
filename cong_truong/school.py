"""`cong-truong new`: a school's repository from its facts alone.

    cong-truong new THƯ_MỤC --name "Trường THCS Lê Lợi" --level thcs --province "Ninh Bình"
    cong-truong new --csv truong.csv THƯ_MỤC        (many schools at once, for a Sở)

The facts are checked first (pure functions below: name, level, province in force today with
did-you-mean to the merged province, e-mail, phone, domain); a bad one is refused with a
Vietnamese message naming the flag (or the CSV row and column) and a valid example, and
nothing is written. The repository is then rendered as files (``render``: the template folder
``cong_truong/modele/`` plus what is computed from the law catalogues for the school's level),
written into a temporary folder beside the target, committed with git and moved into place at
the end: a failure leaves nothing half-written. Every fact not given is an explicit
placeholder (portal_core.placeholders: «CẦN ĐIỀN: …»), so the portal cannot be published
before the school has filled it in.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata

import yaml

from portal_core import levels as lv
from portal_core.dates import school_year_id
from portal_core.placeholders import placeholder
from portal_core.text import closest, fold, nfc, slugify

from . import __version__

HERE = os.path.dirname(os.path.abspath(__file__))
MODELE = os.path.join(HERE, "modele")
TREE = os.path.join(MODELE, "kho")  # copied as it is (with @@NAME@@ replaced)
PROVINCES = os.path.join(HERE, "provinces.yml")
FORMAT = 2  # the data format of a school repository written by this version (upgrade.py)
STATE_FILE = "cong-truong.yml"
TYPES = ("Công lập", "Tư thục", "Dân lập")
# Files the package provides and keeps current (`cong-truong upgrade` replaces them while the
# school has not changed them: their hashes at writing are kept in cong-truong.yml).
MANAGED = ("dev", ".github/workflows/ci.yml", ".gitlab-ci.yml", "package.json",
           "package-lock.json", "pelicanconf.py", "publishconf.py", ".gitignore",
           "theme/templates/README.md")
# Data files generated from the catalogues or written for the school, never replaced.
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                   r"[A-Za-z]{2,}$")
DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")


class Refused(Exception):
    """Bad facts: nothing was written. ``refusals`` says each, in Vietnamese."""

    def __init__(self, refusals: list["Refusal"]):
        super().__init__("\n".join(r.text() for r in refusals))
        self.refusals = refusals


@dataclasses.dataclass(frozen=True)
class Refusal:
    flag: str  # "--province", or "dòng 3, cột «tinh»" for a CSV
    value: str
    message: str
    example: str

    def text(self) -> str:
        value = f" — giá trị: «{self.value}»" if self.value else ""
        return f"  LỖI {self.flag}: {self.message}{value}\n      → Ví dụ: {self.example}"


@dataclasses.dataclass
class School:
    """The facts of a new school, checked (empty: a placeholder is written)."""

    name: str
    level: str
    province: str
    covers: list = dataclasses.field(default_factory=list)
    short_name: str = ""
    type: str = "Công lập"
    managing_body: str = ""
    address: str = ""
    ward: str = ""
    phone: str = ""
    email: str = ""
    domain: str = ""
    principal: str = ""
    code: str = ""
    serves_meals: bool | None = None
    folder: str = ""


FIELDS = {  # School field → (flag, what it is, example)
    "name": ("--name", "tên trường, viết đủ dấu, bắt đầu bằng «Trường»", "\"Trường THCS Lê Lợi\""),
    "level": ("--level", "cấp học", "thcs (một trong: mam-non, tieu-hoc, thcs, thpt, lien-cap, gdtx)"),
    "province": ("--province", "tỉnh, thành phố (34 đơn vị từ 01/7/2025)", "\"Ninh Bình\""),
    "covers": ("--covers", "các cấp học của trường liên cấp", "tieu-hoc,thcs"),
    "short_name": ("--short-name", "tên ngắn", "\"THCS Lê Lợi\""),
    "type": ("--type", "loại hình", "\"Công lập\" (hoặc \"Tư thục\", \"Dân lập\")"),
    "managing_body": ("--managing-body", "cơ quan quản lý trực tiếp",
                      "\"Ủy ban nhân dân phường Hoa Lư\""),
    "address": ("--address", "địa chỉ cơ sở chính", "\"Số 5 đường Lê Lợi, phường Hoa Lư, tỉnh Ninh Bình\""),
    "ward": ("--ward", "xã, phường, đặc khu nơi trường đặt trụ sở", "\"phường Hoa Lư\""),
    "phone": ("--phone", "số điện thoại của văn phòng", "\"0229 3 871 234\""),
    "email": ("--email", "thư điện tử chính thức", "vanphong@thcsleloi.edu.vn"),
    "domain": ("--domain", "tên miền của cổng", "thcsleloi.edu.vn"),
    "principal": ("--principal", "họ tên Hiệu trưởng", "\"Trần Văn An\""),
    "code": ("--code", "mã trường trong cơ sở dữ liệu ngành (do Sở GDĐT cấp)", "37000101"),
}
ASKED = ("code", "short_name", "type", "managing_body", "address", "ward", "phone", "email",
         "domain", "principal")
CODE = re.compile(r"^[A-Za-z0-9._-]{2,20}$")


# --- checks (pure) -------------------------------------------------------------------------

def _words(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", fold(text)) + " "


def check_name(name: str, level: str) -> Refusal | None:
    flag, _, example = FIELDS["name"]
    name = nfc(name or "").strip()
    starts = (lv.levels().get(level) or {}).get("name_starts") or sorted(
        {s for data in lv.levels().values() for s in data.get("name_starts") or []})
    if not name:
        return Refusal(flag, "", "Thiếu tên trường.", f"{flag} {example}")
    folded = fold(name)
    if not any(name.lower().startswith(s.lower() + " ") for s in starts):
        if any(folded.startswith(fold(s) + " ") for s in starts):
            return Refusal(flag, name, "Tên trường phải viết đủ dấu tiếng Việt.",
                           f"{flag} {example}")
        return Refusal(flag, name, "Tên trường phải bắt đầu bằng "
                       + " hoặc ".join(f"«{s}»" for s in starts) + ".", f"{flag} {example}")
    if len(name.split()) < 3:
        return Refusal(flag, name, "Tên trường chưa đủ (thiếu tên riêng của trường).",
                       f"{flag} {example}")
    mine = (lv.levels().get(level) or {}).get("school_words") or []
    if mine:
        words = _words(name)
        said = [lid for lid, data in lv.levels().items() if lid != level
                and any(_words(w) in words for w in data.get("school_words") or [])]
        if said and not any(_words(w) in words for w in mine):
            return Refusal(flag, name, f"Tên trường là của cấp {lv.name(said[0]).lower()}, "
                           f"nhưng --level là {level} ({lv.name(level).lower()}).",
                           f"--level {said[0]}, hoặc sửa tên trường")
    return None


def check_level(value: str) -> tuple[str, Refusal | None]:
    flag, _, example = FIELDS["level"]
    value = (value or "").strip()
    known = lv.levels()
    if value in known:
        return value, None
    if value in lv.reserved():
        return "", Refusal(flag, value, lv.reserved()[value], f"{flag} {example}")
    by_fold = {fold(i): i for i in known} | {fold(d["name"]): i for i, d in known.items()}
    if fold(value) in by_fold:
        guess = by_fold[fold(value)]
    else:
        found = closest(value, by_fold, limit=1)
        guess = found[0] if found else ""
    return "", Refusal(flag, value, "Không có cấp học này." if value else "Thiếu cấp học.",
                       f"{flag} {guess}" if guess else f"{flag} {example}")


def check_covers(values, level: str) -> tuple[list[str], Refusal | None]:
    flag, _, example = FIELDS["covers"]
    if not (lv.levels().get(level) or {}).get("covers"):
        return [], None
    items = [v.strip() for v in (values.split(",") if isinstance(values, str) else values or [])
             if v.strip()]
    allowed = lv.covered(level)
    bad = [v for v in items if v not in allowed]
    if len(items) < 2 or bad:
        return [], Refusal(flag, ",".join(items), "Trường liên cấp cần ít nhất hai cấp học"
                           + (f"; không có cấp: {', '.join(bad)}" if bad else "")
                           + f" (chọn trong: {', '.join(allowed)}).", f"{flag} {example}")
    return items, None


def load_provinces() -> dict:
    with open(PROVINCES, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _strip_kind(value: str) -> str:
    text = re.sub(r"^\s*(tinh|thanh pho|tp\.?)\s+", "", fold(value))
    return text.strip()


def check_province(value: str, day: dt.date, data: dict | None = None
                   ) -> tuple[str, Refusal | None]:
    """The province in force on *day* (its name as written in the data), or a refusal: an old
    province merged since names the province it is now part of."""
    flag, _, example = FIELDS["province"]
    data = data or load_provinces()
    aliases = {fold(a): name for name, names in (data.get("aliases") or {}).items()
               for a in names}
    wanted = _strip_kind(value or "")
    wanted = _strip_kind(aliases.get(wanted, aliases.get(fold(value or "").strip(), ""))) \
        or wanted
    if not wanted:
        return "", Refusal(flag, "", "Thiếu tỉnh, thành phố.", f"{flag} {example}")
    change = max((c for c in data["changes"] if c["from"] <= day),
                 key=lambda c: c["from"], default=None)
    if change is None:  # before the first recorded change: the old provinces are in force
        old = {fold(o): o for c in data["changes"] for p in c["provinces"] for o in p["old"]}
        if wanted in old:
            return old[wanted], None
        guess = closest(wanted, old, limit=1)
        return "", Refusal(flag, value, "Không có tỉnh, thành phố này.",
                           f"{flag} \"{guess[0]}\"" if guess else f"{flag} {example}")
    current = {fold(p["name"]): p["name"] for p in change["provinces"]}
    if wanted in current:
        return current[wanted], None
    merged = {fold(o): p["name"] for p in change["provinces"] for o in p["old"]}
    if wanted in merged:
        new = merged[wanted]
        return "", Refusal(
            flag, value, f"Tỉnh, thành phố này không còn từ ngày {change['from']:%d/%m/%Y}: đã "
            f"hợp nhất vào {new} ({change['basis']}).", f"{flag} \"{new}\"")
    guess = closest(wanted, {**current, **merged}, limit=1)
    if guess:
        name = guess[0]
        return "", Refusal(flag, value, "Không có tỉnh, thành phố này.",
                           f"{flag} \"{name}\" (có phải ý bạn là {name}?)")
    return "", Refusal(flag, value, "Không có tỉnh, thành phố này.", f"{flag} {example}")


def check_phone(value: str) -> tuple[str, Refusal | None]:
    """A Vietnamese phone number (landline or mobile, libphonenumber's numbering plan),
    written in the national format ("0229 3871 234")."""
    import phonenumbers

    flag, _, example = FIELDS["phone"]
    try:
        number = phonenumbers.parse(value, "VN")
        ok = phonenumbers.is_valid_number(number) and number.country_code == 84
    except phonenumbers.NumberParseException:
        ok = False
    if not ok:
        return "", Refusal(flag, value, "Không phải số điện thoại Việt Nam hợp lệ.",
                           f"{flag} {example}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL), None


def check_email(value: str) -> tuple[str, Refusal | None]:
    """The syntax of an address (the portal prints it and links to it; no mail is sent, so a
    full RFC 5322 parser or a deliverability check would add nothing)."""
    flag, _, example = FIELDS["email"]
    value = (value or "").strip()
    if not EMAIL.match(value) or ".." in value:
        return "", Refusal(flag, value, "Không phải địa chỉ thư điện tử.", f"{flag} {example}")
    return value, None


def check_domain(value: str) -> tuple[str, Refusal | None]:
    flag, _, example = FIELDS["domain"]
    raw = (value or "").strip().lower()
    host = re.sub(r"^https?://", "", raw).rstrip("/")
    if not DOMAIN.match(host):
        return "", Refusal(flag, value, "Không phải tên miền (chỉ tên, không có đường dẫn).",
                           f"{flag} {example}")
    return host, None


def check_code(value: str) -> tuple[str, Refusal | None]:
    flag, _, example = FIELDS["code"]
    value = (value or "").strip()
    if not CODE.match(value):
        return "", Refusal(flag, value, "Mã trường chỉ gồm chữ số, chữ cái không dấu (2–20 ký tự).",
                           f"{flag} {example}")
    return value, None


def check_type(value: str) -> tuple[str, Refusal | None]:
    flag, _, example = FIELDS["type"]
    for kind in TYPES:
        if fold(kind) == fold(value or ""):
            return kind, None
    return "", Refusal(flag, value, "Loại hình không có.", f"{flag} {example}")


def check(answers: dict, day: dt.date, flags: dict | None = None) -> tuple[School | None,
                                                                          list[Refusal]]:
    """Every fact of *answers* checked at once; (School, []) or (None, refusals). *flags*
    renames the flags in the messages (a CSV's row and column)."""
    refusals: list[Refusal] = []

    def take(result):
        value, refusal = result
        if refusal:
            refusals.append(refusal)
        return value

    level = take(check_level(str(answers.get("level") or "")))
    province = take(check_province(str(answers.get("province") or ""), day))
    refusal = check_name(str(answers.get("name") or ""), level)
    if refusal:
        refusals.append(refusal)
    covers = take(check_covers(answers.get("covers") or "", level)) if level else []
    school = School(name=nfc(str(answers.get("name") or "")).strip(), level=level,
                    province=province, covers=covers)
    for key, checker in (("phone", check_phone), ("email", check_email),
                         ("domain", check_domain), ("type", check_type), ("code", check_code)):
        if answers.get(key):
            setattr(school, key, take(checker(str(answers[key]))))
    for key in ("short_name", "managing_body", "address", "ward", "principal", "folder"):
        if answers.get(key):
            setattr(school, key, nfc(str(answers[key])).strip())
    if answers.get("serves_meals") is not None:
        school.serves_meals = answers["serves_meals"]
    if flags:
        refusals = [dataclasses.replace(r, flag=next((flags[k] for k, v in FIELDS.items()
                                                      if v[0] == r.flag and k in flags), r.flag),
                                        example=r.example.replace(r.flag + " ", ""))
                    for r in refusals]
    return (None, refusals) if refusals else (school, [])


# --- the repository (pure: relative path → text) -------------------------------------------

def short_name(school: School) -> str:
    """"Trường THCS Lê Lợi" → "THCS Lê Lợi" (other names, "Nhà trẻ Hoa Sen", as they are)."""
    if school.short_name:
        return school.short_name
    if school.name.lower().startswith("trường "):
        return school.name[len("trường "):]
    return school.name


def folder_name(school: School) -> str:
    return school.folder or slugify(short_name(school))


def symbol(school: School) -> str:
    """The report's symbol: BC- and the initials of the short name ("THCS Lê Lợi" → BC-THCSLL)."""
    words = short_name(school).split()
    head = [w for w in words if w.isupper()]
    rest = [fold(w)[0].upper() for w in words if not w.isupper() and fold(w)[:1].isalnum()]
    return "BC-" + "".join(head) + "".join(rest)


def _q(value) -> str:
    """A YAML scalar (JSON's double-quoted strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _fact(value: str, key: str, example: str = "") -> str:
    what, ex = FIELDS[key][1], example or FIELDS[key][2].strip('"')
    return _q(value) if value else _q(placeholder(what, ex))


def managing_body(school: School) -> str:
    default = (lv.levels().get(school.level) or {}).get("managing_body")
    if school.managing_body:
        return school.managing_body
    if default:
        return default.format(province=school.province)
    return ""


def email_example(school: School) -> str:
    return f"vanphong@{slugify(short_name(school)).replace('-', '')}.edu.vn"


def school_yml(school: School, day: dt.date) -> str:
    level = lv.levels()[school.level]
    meals = level.get("serves_meals") if school.serves_meals is None else school.serves_meals
    example_mail = email_example(school)
    body = managing_body(school)
    principal_position = "Giám đốc" if school.name.lower().startswith("trung tâm") else "Hiệu trưởng"
    lines = [
        f"# Thông tin của {school.name} (cong-truong new, {day:%d/%m/%Y}). Giao diện đọc mọi",
        "# thông tin từ tệp này. Chỗ ghi «CẦN ĐIỀN: …» là thông tin còn thiếu: thay cả chuỗi trong",
        "# ngoặc kép bằng thông tin thật; cổng không xuất bản được khi còn một chỗ như vậy.",
        "# Thông tin đổi theo thời gian (cơ quan quản lý, địa chỉ, lãnh đạo…) ghi thành các phiên",
        "# bản có ngày áp dụng («- value: …», «from: YYYY-MM-DD», «to: YYYY-MM-DD»).",
        f"name: {_q(school.name)}",
        f"short_name: {_q(short_name(school))}",
        f"type: {_q(school.type)}",
        f"# Cấp học: {lv.level_hint()}.",
        f"level: {school.level}",
        "# Mã trường trong cơ sở dữ liệu ngành: bảng điều khiển của Sở nhận ra trường theo mã này.",
        f"code: {_fact(school.code, 'code')}",
    ]
    if school.covers:
        lines.append(f"covers: [{', '.join(school.covers)}]")
    lines += [
        f"managing_body: {_fact(body, 'managing_body')}",
        f"province: {_q(school.province)}",
        f"ward: {_fact(school.ward, 'ward')}",
        f"domain: {_fact(school.domain, 'domain', slugify(short_name(school)).replace('-', '') + '.edu.vn')}",
        f"email: {_fact(school.email, 'email', example_mail)}",
        f"phone: {_fact(school.phone, 'phone')}",
        "# Nhà trường tổ chức ăn bán trú, nội trú cho người học: mục Thực đơn và công khai thực đơn.",
        f"serves_meals: {'true' if meals else 'false'}",
        "sites:",
        "  - name: Cơ sở chính",
        f"    address: {_fact(school.address, 'address')}",
        f"    phone: {_fact(school.phone, 'phone')}",
        "# Lãnh đạo: họ tên, chức vụ, điện thoại và thư điện tử CÔNG VỤ, nhiệm vụ (không ghi ngày sinh,",
        "# số điện thoại riêng). Thêm một mục «- name: …» cho mỗi Phó Hiệu trưởng.",
        "leaders:",
        f"  - name: {_fact(school.principal, 'principal')}",
        f"    position: {principal_position}",
        f"    phone: {_fact(school.phone, 'phone')}",
        f"    email: {_fact('', 'email', 'hieutruong@' + example_mail.split('@')[1])}",
        "    duties: Phụ trách chung; tổ chức, cán bộ, tài chính; người phát ngôn của nhà trường.",
        "# Người phát ngôn hoặc người được giao cung cấp thông tin (công khai trên cổng).",
        "spokesperson:",
        f"  name: {_fact(school.principal, 'principal')}",
        f"  position: {principal_position}",
        f"  address: {_fact(school.address, 'address')}",
        f"  phone: {_fact(school.phone, 'phone')}",
        f"  email: {_fact(school.email, 'email', example_mail)}",
    ]
    return "\n".join(lines) + "\n"


def units_yml(school: School) -> str:
    with open(os.path.join(MODELE, "don-vi.yml"), encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    units = data["common_before"] + data["levels"][school.level] + data["common_after"]
    head = ("# Các đơn vị của nhà trường cùng thực hiện kế hoạch truyền thông. Bài viết ghi đơn vị\n"
            "# bằng dòng «Unit: <mã hoặc tên>»; bài không ghi thuộc đơn vị mặc định. Sửa tên các tổ\n"
            "# theo quyết định thành lập của trường.\n"
            "# id: mã (chữ thường không dấu, gạch nối; địa chỉ trang /don-vi/<id>/, giữ nguyên khi\n"
            "# đổi tên); kind: ban, doan-the, to-chuyen-mon, to-van-phong, lanh-dao, khac\n")
    body = yaml.safe_dump({"default": "ban-truyen-thong", "units": units}, allow_unicode=True,
                          sort_keys=False, width=100)
    return head + body


def successions(province: str, day: dt.date) -> list[dict]:
    """The Sở of each province merged into *province*, replaced by the new one."""
    found = []
    for change in load_provinces()["changes"]:
        if change["from"] > day:
            continue
        for unit in change["provinces"]:
            if unit["name"] != province:
                continue
            for old in unit["old"]:
                if old != province:
                    found.append({
                        "issuer": f"Sở Giáo dục và Đào tạo {old}",
                        "successor": f"Sở Giáo dục và Đào tạo {province}",
                        "from": change["from"],
                        "basis": f"hợp nhất vào {province} theo {change['basis'].split(' ngày')[0]}"})
    return found


def sections_for(school: School) -> list:
    """The catalogue's sections that apply to this school (its level, its conditions)."""
    from portal_sections import catalogue as cat

    data = {"level": school.level, "covers": school.covers,
            "serves_meals": lv.levels()[school.level].get("serves_meals")
            if school.serves_meals is None else school.serves_meals}
    sections, problems = cat.load_catalogue()
    text, more = cat.load_level_text()
    if problems or more:
        raise RuntimeError("; ".join(p.message for p in problems + more))
    sections = cat.for_level(sections, data, text)
    sections, _ = cat.apply_school(sections, data, {}, "")
    return [s for s in sections if s.applicable and s.provided_by == "pages"
            and s.requirement in ("mandatory", "conditional")]


def stub_pages(school: School, values: dict | None = None) -> dict[str, str]:
    """One page per mandated section, each marked unfinished (CẦN ĐIỀN lines)."""
    with open(os.path.join(MODELE, "trang-mau.yml"), encoding="utf-8") as handle:
        samples = yaml.safe_load(handle)["pages"]
    files = {}
    for section in sections_for(school):
        sample = samples.get(section.id) or {}
        todo = sample.get("todo") or [{"what": "; ".join(section.must_contain).lower()
                                       or section.description, "example": ""}]
        slug = section.id.rsplit("/", 1)[-1]
        lines = [f"Title: {section.title}", f"Slug: {slug}", f"Summary: {section.description}",
                 ""]
        if sample.get("body"):
            lines += [sample["body"].rstrip(), ""]
        for entry in todo:
            lines += [placeholder(entry["what"], entry.get("example") or ""), ""]
        files[f"content/pages/{section.id}.md"] = fill("\n".join(lines).rstrip() + "\n",
                                                       values or {})
    return files


def plan_yml(school: School, year: int) -> str:
    with open(os.path.join(MODELE, "ke-hoach.yml"), encoding="utf-8") as handle:
        return handle.read()


def requirement(source: str, version: str = __version__) -> tuple[str, str, str]:
    """(requirement line, local wheel to copy into vendor/ or "", the README's note on it)."""
    source = (source or "").strip()
    wheel = re.compile(r"cong_truong-([^-]+)-.*\.whl$")
    if source.endswith(".whl") and not re.match(r"^[a-z]+://", source):
        found = wheel.search(os.path.basename(source))
        if not os.path.isfile(source) or not found:
            raise Refused([Refusal("--source", source, "Không thấy tệp wheel của cong-truong.",
                                   "--source dist/cong_truong-" + version + "-py3-none-any.whl")])
        if found.group(1) != version:
            raise Refused([Refusal("--source", source, f"Tệp wheel là phiên bản {found.group(1)}, "
                                   f"lệnh này là cong-truong {version}: kho mới theo định dạng của "
                                   "phiên bản đang chạy.", f"--source dist/cong_truong-{version}"
                                   "-py3-none-any.whl (hoặc chạy new bằng đúng phiên bản đó)")])
        name = os.path.basename(source)
        return (f"./vendor/{name}", source,
                f"tệp wheel `vendor/{name}` trong kho này (không cần mạng tới kho mã nguồn). "
                "Nâng cấp: chép wheel mới vào `vendor/`, sửa tên tệp trong `requirements.txt`.")
    if source.endswith(".whl"):
        return (f"cong-truong @ {source}", "",
                f"tệp wheel tại `{source}`. Nâng cấp: sửa địa chỉ trong `requirements.txt`.")
    if source.startswith(("git+", "https://", "ssh://", "git@")):
        url = source if source.startswith("git+") else "git+" + source
        if "@" not in url.split("://", 1)[-1].split("/", 1)[-1]:
            url += f"@v{version}"
        return (f"cong-truong @ {url}", "",
                f"kho mã nguồn `{url.split('@v')[0].removeprefix('git+')}`, thẻ (tag) phiên bản. "
                "Nâng cấp: sửa `@v…` trong `requirements.txt`.")
    raise Refused([Refusal("--source", source, "Nguồn cài cong-truong không rõ (cần địa chỉ kho "
                           "git có thẻ phiên bản, hoặc tệp wheel).",
                           "--source git+https://github.com/<tổ-chức>/cong-truong hoặc --source "
                           f"dist/cong_truong-{version}-py3-none-any.whl")])


def default_source() -> str:
    """Where this cong-truong came from, for a school's pin: $CONG_TRUONG_SOURCE, else the
    installed distribution's origin (a git URL or a wheel's address; PEP 610), else ""."""
    if os.environ.get("CONG_TRUONG_SOURCE"):
        return os.environ["CONG_TRUONG_SOURCE"]
    try:
        raw = metadata.distribution("cong-truong").read_text("direct_url.json")
        origin = json.loads(raw or "{}")
    except (metadata.PackageNotFoundError, ValueError):
        return ""
    url = origin.get("url", "")
    if "vcs_info" in origin and not url.startswith("file:"):
        return f"git+{url}"
    if url.endswith(".whl") and not url.startswith("file:"):
        return url
    return ""


def yaml_block(items: list) -> str:
    """A list to put after «key:» in a template: "[]", or an indented block on the next lines."""
    if not items:
        return " []"
    body = yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=200).rstrip()
    return "\n" + "\n".join("  " + line for line in body.splitlines())


def fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    return text


def render(school: School, day: dt.date, source: str,
           version: str = __version__) -> tuple[dict[str, str | bytes], str]:
    """Every file of the school's repository (relative path → text or bytes) and the local
    wheel to copy into vendor/ ("" for none). Pure: reads the package's data only."""
    line, wheel, note = requirement(source, version)
    year_id = school_year_id(day)
    example_mail = email_example(school)
    values = {
        "TEN_TRUONG": school.name, "PHIEN_BAN": version, "GHI_CHU_NGUON": note,
        "TEN_GOI": "cong-thong-tin-" + folder_name(school), "KY_HIEU": symbol(school),
        "NAM_HOC": year_id, "NAM_DAU": year_id[:4], "NAM": str(day.year),
        "TINH": school.province, "EMAIL": school.email or example_mail,
        "KE_THUA": yaml_block(successions(school.province, day)),
    }
    files: dict[str, str | bytes] = {}
    for here, dirs, names in os.walk(TREE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")  # pip compiles package data
        for name in sorted(n for n in names if not n.endswith(".pyc")):
            path = os.path.join(here, name)
            rel = os.path.relpath(path, TREE).replace(os.sep, "/")
            with open(path, "rb") as handle:
                raw = handle.read()
            try:
                files[rel] = fill(raw.decode("utf-8"), values)
            except UnicodeDecodeError:
                files[rel] = raw
    files["requirements.txt"] = (
        "# Gói cong-truong, ghim một phiên bản (nâng cấp: đổi dòng này; xem README.md).\n"
        f"{line}\n")
    files["content/data/school.yml"] = school_yml(school, day)
    files["content/data/units.yml"] = units_yml(school)
    files[f"content/plans/{day.year}.yml"] = fill(plan_yml(school, day.year), values)
    files.update(stub_pages(school, values))
    for folder in (f"content/cong-khai/{year_id}", f"content/tin-tuc/{day.year}",
                   f"content/thong-bao/{day.year}", "content/images", "content/files"):
        files[f"{folder}/.gitkeep"] = ""
    files[STATE_FILE] = state_yml(files, version, day)
    return files, wheel


def digest(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()[:16]


def state_yml(files: dict, version: str, day: dt.date) -> str:
    managed = {path: digest(files[path]) for path in MANAGED if path in files}
    return ("# Kho cổng thông tin của trường, tạo bởi cong-truong. Đừng sửa tay: «cong-truong "
            "upgrade»\n# cập nhật tệp này. format: định dạng dữ liệu của kho; managed: các tệp do "
            "gói cung cấp\n# (mã băm lúc ghi): upgrade chỉ thay tệp mà trường chưa sửa.\n"
            + yaml.safe_dump({"format": FORMAT, "version": version,
                              "created": day.isoformat(), "managed": managed},
                             allow_unicode=True, sort_keys=False))


# --- writing ---------------------------------------------------------------------------

def write_tree(root: str, files: dict[str, str | bytes], wheel: str = "") -> None:
    for rel, text in files.items():
        path = os.path.join(root, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
        if rel == "dev":
            os.chmod(path, 0o755)
    if wheel:
        os.makedirs(os.path.join(root, "vendor"), exist_ok=True)
        shutil.copy2(wheel, os.path.join(root, "vendor", os.path.basename(wheel)))


def git_commit(root: str, message: str) -> bool:
    """git init + first commit on main; False when git is missing (said by the caller)."""
    if shutil.which("git") is None:
        return False
    env = dict(os.environ)
    known = subprocess.run(["git", "var", "GIT_AUTHOR_IDENT"], cwd=root, capture_output=True)
    if known.returncode != 0:  # no identity on this machine: the tool's own
        env.update(GIT_AUTHOR_NAME="cong-truong", GIT_AUTHOR_EMAIL="cong-truong@localhost",
                   GIT_COMMITTER_NAME="cong-truong", GIT_COMMITTER_EMAIL="cong-truong@localhost")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"],
                 ["commit", "-q", "--no-verify", "-m", message]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
    return True


def target_ready(target: str) -> Refusal | None:
    if os.path.exists(target) and (not os.path.isdir(target) or os.listdir(target)):
        return Refusal("THƯ_MỤC", target, "Thư mục đã có và không trống: lệnh new không ghi đè "
                       "gì.", "một thư mục mới, chưa có: cong-truong new thcs-le-loi …")
    return None


def create(target: str, schools: list[tuple[str, School]], day: dt.date, source: str,
           use_git: bool = True) -> list[str]:
    """Write each (subfolder, school) under a temporary folder beside *target*, commit, and
    move it into place at the end ("" subfolder: the school is *target* itself). Nothing is
    left behind on failure. Returns the notes to print."""
    target = os.path.abspath(target)
    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix=".cong-truong-moi-", dir=parent)
    notes = []
    try:
        for sub, school in schools:
            root = os.path.join(scratch, sub) if sub else scratch
            files, wheel = render(school, day, source)
            write_tree(root, files, wheel)
            if use_git and not git_commit(root, f"Tạo cổng thông tin {school.name} "
                                                f"(cong-truong {__version__})"):
                notes.append("Chưa tạo kho git: máy này không có git.")
                use_git = False
        if os.path.isdir(target):
            os.rmdir(target)  # empty (checked before)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(scratch, 0o777 & ~mask)  # mkdtemp's folder is private; the school's is not
        os.rename(scratch, target)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return notes


# --- CSV of schools (a Sở) ---------------------------------------------------------------------

CSV_COLUMNS = {  # folded header → field
    "ten": "name", "ten truong": "name", "name": "name",
    "cap": "level", "cap hoc": "level", "level": "level",
    "tinh": "province", "tinh thanh": "province", "tinh thanh pho": "province",
    "province": "province",
    "thu muc": "folder", "folder": "folder",
    "cac cap": "covers", "covers": "covers",
    "ten ngan": "short_name", "short_name": "short_name",
    "loai hinh": "type", "type": "type",
    "co quan quan ly": "managing_body", "managing_body": "managing_body",
    "dia chi": "address", "address": "address",
    "xa phuong": "ward", "ward": "ward",
    "dien thoai": "phone", "phone": "phone",
    "email": "email", "thu dien tu": "email",
    "ten mien": "domain", "domain": "domain",
    "hieu truong": "principal", "principal": "principal",
    "ma truong": "code", "ma": "code", "code": "code",
    "ban tru": "serves_meals", "serves_meals": "serves_meals",
}
YES = {"co", "x", "yes", "true", "1"}
NO = {"khong", "no", "false", "0", ""}


def read_csv(text: str, day: dt.date) -> tuple[list[tuple[str, School]], list[Refusal]]:
    """Schools from a CSV (UTF-8, comma or semicolon; Vietnamese or English headers): all
    checked before anything is written; each gets its folder (column thu_muc, else its name)."""
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(text.splitlines(), dialect))
    if not rows:
        return [], [Refusal("--csv", "", "Tệp CSV trống.", "dòng đầu: ten,cap,tinh")]
    header = [fold(h).replace("_", " ").strip() for h in rows[0]]
    refusals = []
    fields = []
    for index, name in enumerate(header):
        field = CSV_COLUMNS.get(name) or CSV_COLUMNS.get(name.replace(" ", "_"))
        if not field:
            refusals.append(Refusal(f"cột «{rows[0][index]}»", rows[0][index],
                                    "Không hiểu tên cột.", "các cột: ten, cap, tinh, ma_truong, thu_muc, "
                                    "cac_cap, loai_hinh, co_quan_quan_ly, dia_chi, xa_phuong, "
                                    "dien_thoai, email, ten_mien, hieu_truong, ban_tru"))
        fields.append(field)
    for needed, column in (("name", "ten"), ("level", "cap"), ("province", "tinh")):
        if needed not in fields:
            refusals.append(Refusal(f"cột «{column}»", "", "Thiếu cột bắt buộc.",
                                    "dòng đầu: ten,cap,tinh"))
    if refusals:
        return [], refusals
    schools, seen = [], {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        answers = {f: (row[i].strip() if i < len(row) else "") for i, f in enumerate(fields)}
        meals = fold(answers.pop("serves_meals", "") or "")
        if meals in YES:
            answers["serves_meals"] = True
        elif meals and meals not in NO:
            refusals.append(Refusal(f"dòng {number}, cột «ban_tru»", meals,
                                    "Chỉ ghi «có» hoặc «không».", "có"))
        flags = {k: f"dòng {number}, cột «{rows[0][fields.index(k)]}»" for k in FIELDS
                 if k in fields}
        school, found = check(answers, day, flags)
        missing = [Refusal(f"dòng {number}", "", "Dòng thiếu tên trường, cấp học hoặc tỉnh.",
                           "Trường THCS Lê Lợi,thcs,Ninh Bình")] if not all(
            answers.get(k) for k in ("name", "level", "province")) and not found else []
        refusals += found + missing
        if school:
            folder = folder_name(school)
            if not re.match(r"^[a-z0-9][a-z0-9-]*$", folder):
                refusals.append(Refusal(f"dòng {number}, cột «thu_muc»", folder,
                                        "Tên thư mục chỉ gồm chữ thường không dấu, số, gạch nối.",
                                        "thcs-le-loi-hoa-lu"))
            elif folder in seen:
                refusals.append(Refusal(f"dòng {number}", school.name,
                                        f"Trùng thư mục «{folder}» với dòng {seen[folder]}.",
                                        "thêm cột thu_muc để đặt tên riêng, ví dụ "
                                        f"{folder}-{slugify(school.ward or 'xa')}"))
            else:
                seen[folder] = number
                schools.append((folder, school))
    if not schools and not refusals:
        refusals.append(Refusal("--csv", "", "Tệp CSV không có trường nào.",
                                "Trường THCS Lê Lợi,thcs,Ninh Bình"))
    return schools, refusals


# --- command line (thin) -----------------------------------------------------------------

def ask(key: str, required: bool, day: dt.date, school_level: str = "") -> str:
    """One fact asked on the terminal, asked again until valid; "" (a placeholder) if skipped."""
    flag, what, example = FIELDS[key]
    checks = {"level": lambda v: check_level(v)[1],
              "province": lambda v: check_province(v, day)[1],
              "name": lambda v: check_name(v, school_level),
              "phone": lambda v: check_phone(v)[1], "email": lambda v: check_email(v)[1],
              "domain": lambda v: check_domain(v)[1], "type": lambda v: check_type(v)[1],
              "code": lambda v: check_code(v)[1],
              "covers": lambda v: check_covers(v, school_level)[1]}
    while True:
        hint = "" if required else " (Enter để bỏ qua, điền sau)"
        try:
            value = input(f"{what[0].upper() + what[1:]}, ví dụ {example}{hint}: ").strip()
        except EOFError:
            value = ""
        if not value and not required:
            return ""
        refusal = checks.get(key, lambda v: None)(value) if value or required else None
        if refusal is None and value:
            return value
        print(refusal.text() if refusal else "  Cần điền thông tin này.", file=sys.stderr)


def facts_from_args(args, interactive: bool, day: dt.date) -> dict:
    answers = {key: getattr(args, key, None) for key in FIELDS}
    answers["serves_meals"] = args.serves_meals
    if interactive:
        if not answers["level"]:
            answers["level"] = ask("level", True, day)
        if not answers["name"]:
            answers["name"] = ask("name", True, day, answers["level"])
        if not answers["province"]:
            answers["province"] = ask("province", True, day)
        level = check_level(answers["level"] or "")[0]
        if level and (lv.levels()[level].get("covers")) and not answers["covers"]:
            answers["covers"] = ask("covers", True, day, level)
        for key in ASKED:
            if not answers.get(key):
                answers[key] = ask(key, False, day, level)
    return answers


def main(args) -> int:
    from portal_core.dates import today

    day = today()
    interactive = sys.stdin.isatty() and not args.csv
    source = args.source or default_source()
    try:
        requirement(source)  # checked before any question is asked
    except Refused as refused:
        print("Không tạo được cổng mới:", file=sys.stderr)
        print("\n".join(r.text() for r in refused.refusals), file=sys.stderr)
        print("  (Nguồn cài gói cong-truong cho kho của trường: thẻ phiên bản trên kho git, "
              "hoặc tệp wheel; đặt một lần bằng biến CONG_TRUONG_SOURCE.)", file=sys.stderr)
        return 1
    refusal = target_ready(args.directory)
    if refusal:
        print("Không tạo được cổng mới:\n" + refusal.text(), file=sys.stderr)
        return 1
    if args.csv:
        try:
            with open(args.csv, encoding="utf-8-sig") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            print("Không tạo được cổng mới:\n" + Refusal(
                "--csv", args.csv, f"Không đọc được tệp CSV ({error.__class__.__name__}).",
                "--csv truong.csv (UTF-8, dòng đầu: ten,cap,tinh)").text(), file=sys.stderr)
            return 1
        schools, refusals = read_csv(text, day)
    else:
        school, refusals = check(facts_from_args(args, interactive, day), day)
        schools = [("", school)] if school else []
    if refusals:
        print(f"Không tạo được cổng mới ({len(refusals)} lỗi; chưa ghi gì):", file=sys.stderr)
        print("\n".join(r.text() for r in refusals), file=sys.stderr)
        return 1
    notes = create(args.directory, schools, day, source, use_git=not args.no_git)
    for note in notes:
        print(note)
    where = os.path.abspath(args.directory)
    if args.csv:
        print(f"Đã tạo {len(schools)} cổng thông tin trong {where}:")
        for folder, school in schools:
            print(f"  {folder}/  {school.name} ({lv.name(school.level).lower()}, {school.province})")
    else:
        print(f"Đã tạo cổng thông tin {schools[0][1].name} trong {where}.")
    print("Tiếp theo: cd vào thư mục của trường, chạy «./dev serve» để xem, điền các chỗ "
          "«CẦN ĐIỀN» (liệt kê bằng «cong-truong check»), đẩy kho lên GitHub hoặc GitLab (README.md).")
    return 0
