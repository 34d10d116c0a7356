"""`cong-truong upgrade [--dry-run | --check]`: a school's repository brought to the data format
of this version, without forking and without losing anything.

Formats (cong-truong.yml ``format``; CHANGELOG.md says what each version needs):

1. a copy of this repository made before the package existed: its own plugins/, theme/,
   tools/, gates/, a pelicanconf.py with sys.path and PLUGIN_PATHS, no ``level``;
2. a package-based school: pelicanconf.py takes everything from ``cong_truong.settings``,
   ``requirements.txt`` pins the package, ``level`` in school.yml, cong-truong.yml records the
   format and the hashes of the files the package provides.

The upgrade is a plan of changes computed first (pure: ``plan``), shown as a unified diff
(``--dry-run`` stops there), then applied. A file the school copied unchanged is removed (the
package provides it; fingerprints of every earlier version: upgrade_known.json); a template the
school changed stays in theme/templates/ as its override; other changed code is moved aside
into cong-truong-cu/; a setting the school changed is carried into the new pelicanconf.py;
content/ is never deleted (school.yml only gains ``level``). What cannot be done by itself is
named exactly, with the file and what to change.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import functools
import hashlib
import json
import os
import re
import sys

import yaml

from portal_core import levels as lv
from portal_core.text import fold

from . import __version__
from . import school as sch

HERE = os.path.dirname(os.path.abspath(__file__))
KNOWN = os.path.join(HERE, "upgrade_known.json")
ASIDE = "cong-truong-cu"  # where changed code of an old copy is kept
# Folders of an old copy that are the package's code now (kept only if the school changed them)
CODE_FOLDERS = ("plugins", "tools", "gates", "tests", "bench", ".ci", "docs", "theme")
CODE_FILES = ("tasks.py", "requirements-test.txt", "pytest.ini")
SKIP = {".git", ".venv", "node_modules", "output", "cache", "__pycache__", ASIDE, "vendor",
        "nhap-khau"}
# Settings of an old pelicanconf.py that the package now owns (never carried over).
OWNED_NAMES = {"HERE", "SITENAME", "PLUGIN_PATHS", "THEME", "CACHE_PATH", "PLUGINS"}


@dataclasses.dataclass
class Change:
    path: str  # relative to the repository
    kind: str  # write | delete | move | note
    reason: str  # Vietnamese: why
    new: str | bytes | None = None  # write: the new text
    old: str | bytes | None = None  # write/delete: the current text (None: a new file)
    target: str = ""  # move: where to


class UpgradeError(Exception):
    """The upgrade cannot be planned (a fact missing): the message says what to do."""


@functools.lru_cache(maxsize=1)
def known() -> dict:
    with open(KNOWN, encoding="utf-8") as handle:
        return json.load(handle)


def short(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def read(root: str, rel: str) -> bytes | None:
    path = os.path.join(root, *rel.split("/"))
    if not os.path.isfile(path):
        return None
    with open(path, "rb") as handle:
        return handle.read()


def text(data: bytes | None) -> str | None:
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def repo_format(root: str) -> int:
    """1: a copy of the repository before the package; 2: package-based (current)."""
    state = state_of(root)
    if state.get("format"):
        return int(state["format"])
    conf = text(read(root, "pelicanconf.py")) or ""
    return 2 if re.search(r"^\s*from\s+cong_truong\.settings\s+import", conf, re.M) else 1


def state_of(root: str) -> dict:
    raw = text(read(root, sch.STATE_FILE))
    try:
        data = yaml.safe_load(raw) if raw else {}
    except yaml.YAMLError:
        data = {}
    return data if isinstance(data, dict) else {}


def format_problem(root: str) -> str | None:
    """Why this version cannot build the repository as it is, in Vietnamese (None: it can)."""
    found = repo_format(root)
    if found < sch.FORMAT:
        return (f"Kho «{root}» theo định dạng cũ ({found}: bản chép kho mã nguồn trước khi có gói "
                f"cong-truong); cong-truong {__version__} cần định dạng {sch.FORMAT}.\n"
                "  → Chạy «cong-truong upgrade --dry-run» để xem các thay đổi, rồi «cong-truong "
                "upgrade» (nội dung trong content/ không bị xóa).")
    if found > sch.FORMAT:
        return (f"Kho «{root}» theo định dạng {found}, mới hơn cong-truong {__version__} (định "
                f"dạng {sch.FORMAT}).\n  → Cài phiên bản cong-truong ghi trong requirements.txt "
                "(pip install -r requirements.txt).")
    return None


# --- the plan (pure) -----------------------------------------------------------------------

def walk(root: str) -> list[str]:
    found = []
    for here, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP)
        for name in sorted(files):
            if name.endswith(".pyc"):
                continue
            found.append(os.path.relpath(os.path.join(here, name), root).replace(os.sep, "/"))
    return found


def unchanged_copy(rel: str, data: bytes) -> bool:
    """Whether *data* is a version of *rel* as this repository had it (never changed by the
    school)."""
    return short(data) in set(known()["files"].get(rel) or ())


def guess_level(name: str) -> str:
    words = sch._words(name)
    found = [lid for lid, data in lv.levels().items()
             if any(sch._words(w) in words for w in data.get("school_words") or [])]
    return found[0] if len(found) == 1 else ""


def school_facts(root: str) -> dict:
    raw = text(read(root, "content/data/school.yml")) or ""
    try:
        data = yaml.safe_load(raw) or {}
    except yaml.YAMLError as error:
        raise UpgradeError(f"content/data/school.yml sai cú pháp YAML ({error}); sửa tệp rồi chạy "
                           "lại.") from error
    return data if isinstance(data, dict) else {}


def with_level(raw: str, level: str) -> str:
    """school.yml with «level: …» added after «type:» (or «name:»), comments kept."""
    lines = raw.splitlines(keepends=True)
    anchor = next((i for i, line in enumerate(lines) if line.startswith("type:")),
                  next((i for i, line in enumerate(lines) if line.startswith("name:")), -1))
    insert = [f"# Cấp học: {lv.level_hint()}.\n", f"level: {level}\n"]
    if anchor >= 0 and not lines[anchor].endswith("\n"):
        lines[anchor] += "\n"
    return "".join(lines[:anchor + 1] + insert + lines[anchor + 1:])


def custom_settings(source: str) -> tuple[list[str], list[str]]:
    """(statements to keep, notes): the top-level statements of an old pelicanconf.py that are
    not any version of this repository's (the school's own settings)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return [], ["pelicanconf.py cũ có lỗi cú pháp: chép tay các cài đặt riêng (nếu có)."]
    defaults = set(known()["settings"])
    keep, notes = [], []
    for node in tree.body:
        key = short(ast.dump(node, include_attributes=False).encode())
        if key in defaults or isinstance(node, (ast.Import, ast.ImportFrom, ast.Expr)):
            continue
        names = {t.id for t in getattr(node, "targets", [getattr(node, "target", None)])
                 if isinstance(t, ast.Name)}
        segment = ast.get_source_segment(source, node) or ""
        if names & OWNED_NAMES:
            notes.append(f"pelicanconf.py: bỏ «{segment.splitlines()[0]}» (gói cong-truong lo "
                         "phần này; tên trường lấy từ school.yml).")
            continue
        keep.append(segment)
    return keep, notes


def new_pelicanconf(template: str, kept: list[str]) -> str:
    if not kept:
        return template
    return (template.rstrip() + "\n\n# Cài đặt riêng của trường (giữ từ pelicanconf.py cũ khi "
            "nâng cấp; kiểm tra lại):\n" + "\n".join(kept) + "\n")


def template_files(root: str, facts: dict, source: str) -> dict[str, str | bytes]:
    """The package's files for this school (its name and level), as `new` writes them."""
    name = str(facts.get("name") or "Trường")
    school = sch.School(name=name, level=str(facts.get("level") or "thcs"),
                        province=str(facts.get("province") or ""), email=str(facts.get("email")
                                                                             or ""))
    if isinstance(facts.get("province"), list):  # dated versions: the current one
        from portal_core.dates import today
        from portal_core.school_facts import value_on

        school.province = str(value_on(facts["province"], today()) or "")
    from portal_core.dates import today

    files, _ = sch.render(school, today(), source or "git+https://example.invalid/cong-truong")
    return files


def plan(root: str, level: str = "", source: str = "") -> list[Change]:
    """Every change that brings *root* to this version's format (nothing is written)."""
    changes: list[Change] = []
    fmt = repo_format(root)
    facts = school_facts(root)
    raw_school = text(read(root, "content/data/school.yml"))
    if raw_school is None:
        raise UpgradeError("Không thấy content/data/school.yml: đây không phải kho cổng thông tin "
                           "của một trường.")
    level = level or str(facts.get("level") or "") or guess_level(str(facts.get("name") or ""))
    if not level or level not in lv.levels():
        raise UpgradeError(
            "Không đoán được cấp học từ tên trường «" + str(facts.get("name") or "") + "».\n"
            f"  → Chạy lại với --level (một trong: {lv.level_hint()}), ví dụ: cong-truong "
            "upgrade --level thcs")
    facts = {**facts, "level": level}
    if fmt < 2 and not source:
        source = sch.default_source()
        if not source:
            raise UpgradeError(
                "Cần nguồn cài gói cong-truong để ghi vào requirements.txt.\n  → Đặt biến "
                "CONG_TRUONG_SOURCE, ví dụ CONG_TRUONG_SOURCE=git+https://github.com/<tổ-chức>/"
                "cong-truong (thẻ v<phiên bản>) hoặc đường dẫn tệp wheel, rồi chạy lại.")
    templates = template_files(root, facts, source)
    if "level" not in school_facts(root):
        changes.append(Change("content/data/school.yml", "write",
                              f"thêm cấp học «level: {level}» (danh mục mục và công khai theo "
                              "cấp học)", with_level(raw_school, level), raw_school))
    state = state_of(root)
    written: dict[str, str | bytes] = {}
    if fmt < 2:
        changes += old_copy_changes(root, templates, source, written)
    else:
        changes += managed_changes(root, templates, state, written)
    for rel in ("content/data/giao-dien.yml", "theme/templates/README.md"):
        if rel.startswith("theme/") and read(root, "theme/templates/base.html") is not None:
            continue  # the package's own repository: theme/ is the package's theme
        if read(root, rel) is None and rel in templates:
            changes.append(Change(rel, "write", "tệp mới: giao diện riêng của trường",
                                  templates[rel], None))
            written[rel] = templates[rel]
    managed = dict(state.get("managed") or {}) if fmt >= 2 else {}
    for rel, data in written.items():
        # a managed file is one the package may replace later: not a pelicanconf.py that
        # carries the school's own settings
        if rel in sch.MANAGED and data == templates.get(rel):
            managed[rel] = sch.digest(data)
    new_state = ("# Kho cổng thông tin của trường. Đừng sửa tay: «cong-truong upgrade» cập nhật "
                 "tệp này.\n" + yaml.safe_dump({"format": sch.FORMAT, "version": __version__,
                                                 "created": state.get("created"),
                                                 "managed": managed},
                                                allow_unicode=True, sort_keys=False))
    old_state = text(read(root, sch.STATE_FILE))
    if fmt < sch.FORMAT or old_state is None or written or state.get("version") != __version__:
        if new_state != old_state:
            changes.append(Change(sch.STATE_FILE, "write",
                                  f"định dạng {sch.FORMAT}, cong-truong {__version__}",
                                  new_state, old_state))
    return changes


def old_copy_changes(root: str, templates: dict, source: str, written: dict) -> list[Change]:
    """Format 1 → 2: the copied code goes, what the school changed stays or is moved aside."""
    changes: list[Change] = []
    files = walk(root)
    for rel in files:
        top = rel.split("/", 1)[0]
        data = read(root, rel)
        if rel.startswith("content/") or data is None:
            continue
        if rel.startswith("theme/templates/"):
            if unchanged_copy(rel, data):
                changes.append(Change(rel, "delete", "mẫu trang chép nguyên từ kho mã nguồn: "
                                      "dùng mẫu của gói", old=data))
            else:
                changes.append(Change(rel, "note", "nhà trường đã sửa mẫu này: giữ lại làm mẫu "
                                      "riêng (ghi đè mẫu cùng tên của gói); so với mẫu mới của "
                                      "gói trước khi xuất bản"))
            continue
        if top in CODE_FOLDERS or rel in CODE_FILES:
            if unchanged_copy(rel, data):
                changes.append(Change(rel, "delete", "mã chép từ kho mã nguồn: nay nằm trong gói "
                                      "cong-truong", old=data))
            else:
                changes.append(Change(rel, "move", "nhà trường đã sửa tệp này: gói cong-truong "
                                      "không dùng nó nữa; giữ lại để chép phần riêng sang chỗ "
                                      "mới (giao-dien.yml, theme/templates/, hoặc đề nghị nhóm "
                                      "phát triển)", target=f"{ASIDE}/{rel}"))
    # settings: the package's, plus what the school had changed
    conf = text(read(root, "pelicanconf.py")) or ""
    kept, notes = custom_settings(conf)
    new_conf = new_pelicanconf(templates["pelicanconf.py"], kept)
    changes.append(Change("pelicanconf.py", "write", "mọi cài đặt chung lấy từ gói cong-truong"
                          + (f"; giữ {len(kept)} cài đặt riêng của trường" if kept else ""),
                          new_conf, conf))
    written["pelicanconf.py"] = new_conf
    changes += [Change("pelicanconf.py", "note", note) for note in notes]
    publish = text(read(root, "publishconf.py")) or ""
    match = re.search(r'PORTAL_SITEURL"\s*,\s*"([^"]+)"', publish)
    domain = str(school_facts(root).get("domain") or "")
    if match and domain and domain not in match.group(1):
        changes.append(Change("publishconf.py", "note", f"địa chỉ trang cũ «{match.group(1)}» "
                              f"khác tên miền trong school.yml («{domain}»): bản xuất bản dùng "
                              "tên miền; đặt biến PORTAL_SITEURL nếu cần địa chỉ khác"))
    changes.append(Change("publishconf.py", "write", "địa chỉ trang lấy từ school.yml hoặc CI",
                          templates["publishconf.py"], publish or None))
    written["publishconf.py"] = templates["publishconf.py"]
    requirements = templates["requirements.txt"]
    old_req = text(read(root, "requirements.txt"))
    changes.append(Change("requirements.txt", "write", "chỉ ghim gói cong-truong (các gói khác "
                          "đi theo gói)", requirements, old_req))
    for rel in ("dev", ".github/workflows/ci.yml", "package.json", "package-lock.json",
                ".gitignore", "README.md", ".gitlab-ci.yml"):
        data = read(root, rel)
        if rel == ".gitlab-ci.yml" and data is None:
            continue  # a school on GitHub: no GitLab CI added
        new = templates.get(rel)
        if new is None:
            continue
        encoded = new.encode("utf-8") if isinstance(new, str) else new
        if data == encoded:
            continue
        if data is not None and not unchanged_copy(rel, data):
            changes.append(Change(rel, "move", "nhà trường đã sửa tệp này: giữ bản cũ để chép "
                                  "phần riêng sang bản mới", target=f"{ASIDE}/{rel}"))
            data = None
        changes.append(Change(rel, "write", "tệp của gói cho kho của trường", new,
                              text(data) if data is not None else None))
        written[rel] = new
    return changes


def managed_changes(root: str, templates: dict, state: dict, written: dict) -> list[Change]:
    """Format 2: files the package provides, replaced when the school has not changed them."""
    changes: list[Change] = []
    managed = state.get("managed") or {}
    for rel, recorded in managed.items():
        new = templates.get(rel)
        data = read(root, rel)
        if new is None or data is None:
            continue
        encoded = new.encode("utf-8") if isinstance(new, str) else new
        if data == encoded:
            continue
        if sch.digest(data) == recorded:
            changes.append(Change(rel, "write", "phiên bản mới của tệp do gói cung cấp", new,
                                  text(data)))
            written[rel] = new
        else:
            diff = "".join(difflib.unified_diff(
                (text(data) or "").splitlines(keepends=True),
                (new if isinstance(new, str) else "").splitlines(keepends=True),
                f"a/{rel}", f"b/{rel} (bản của gói)"))
            changes.append(Change(rel, "note", "nhà trường đã sửa tệp này nên không thay tự "
                                  "động; bản mới của gói khác ở các dòng sau, chép tay phần cần:\n"
                                  + diff))
    return changes


# --- showing and applying ------------------------------------------------------------------

def describe(changes: list[Change]) -> str:
    lines = []
    for change in changes:
        label = {"write": "SỬA" if change.old is not None else "THÊM", "delete": "XÓA",
                 "move": "CHUYỂN", "note": "LƯU Ý"}[change.kind]
        target = f" → {change.target}" if change.target else ""
        lines.append(f"  {label} {change.path}{target}: {change.reason}")
    return "\n".join(lines)


def diff(changes: list[Change]) -> str:
    out = []
    for change in changes:
        if change.kind != "write" or not isinstance(change.new, str):
            continue
        old = change.old if isinstance(change.old, str) else ""
        if change.path.endswith("package-lock.json") and old:
            out.append(f"--- a/{change.path}\n+++ b/{change.path}\n(tệp khóa phiên bản npm: "
                       "thay cả tệp)\n")
            continue
        out.append("".join(difflib.unified_diff(
            old.splitlines(keepends=True), change.new.splitlines(keepends=True),
            f"a/{change.path}" if change.old is not None else "/dev/null", f"b/{change.path}")))
    return "".join(out)


def apply(root: str, changes: list[Change]) -> None:
    """Moves first (nothing the school changed is lost), then writes, then deletes."""
    for change in (c for c in changes if c.kind == "move"):
        source = os.path.join(root, *change.path.split("/"))
        target = os.path.join(root, *change.target.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(source, target)
    for change in (c for c in changes if c.kind == "write"):
        path = os.path.join(root, *change.path.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = change.new.encode("utf-8") if isinstance(change.new, str) else change.new
        with open(path, "wb") as handle:
            handle.write(data)
        if change.path == "dev":
            os.chmod(path, 0o755)
    for change in (c for c in changes if c.kind == "delete"):
        os.remove(os.path.join(root, *change.path.split("/")))
    for here, dirs, files in os.walk(root, topdown=False):  # folders emptied by the deletes
        if any(part in SKIP for part in os.path.relpath(here, root).split(os.sep)):
            continue
        if here != root and not os.listdir(here):
            os.rmdir(here)


def main(root: str, dry_run: bool = False, check_only: bool = False, level: str = "",
         source: str = "") -> int:
    try:
        changes = plan(root, level, source)
    except UpgradeError as error:
        print(f"Không nâng cấp được: {error}", file=sys.stderr)
        return 1
    real = [c for c in changes if c.kind != "note"]
    fmt = repo_format(root)
    if check_only:
        problem = format_problem(root)
        needs_format = problem is not None or any(c.path == "content/data/school.yml"
                                                  for c in real)
        if needs_format:
            print((problem or "Kho cần nâng cấp: content/data/school.yml chưa có cấp học.")
                  + "\n" + describe(changes), file=sys.stderr)
            return 1
        pending = [c for c in real if c.path != sch.STATE_FILE]
        print(f"Kho theo định dạng {fmt}, đúng với cong-truong {__version__}."
              + (f" Có {len(pending)} tệp do gói cung cấp có bản mới: «cong-truong upgrade "
                 "--dry-run» để xem." if pending else ""))
        notes = [c for c in changes if c.kind == "note"]
        if notes:
            print(describe(notes))
        return 0
    if not real:
        print(f"Kho đã theo định dạng {sch.FORMAT} của cong-truong {__version__}: không có gì "
              "phải đổi.")
        notes = [c for c in changes if c.kind == "note"]
        if notes:
            print(describe(notes))
        return 0
    print(f"Nâng cấp kho «{root}» từ định dạng {fmt} lên {sch.FORMAT} (cong-truong "
          f"{__version__}):\n" + describe(changes))
    if dry_run:
        print("\n" + diff(changes))
        print("(Xem trước: chưa ghi gì. Chạy «cong-truong upgrade» để thực hiện.)")
        return 0
    apply(root, changes)
    print("Đã nâng cấp. Xem lại bằng «git status» và «git diff», chạy «cong-truong check», rồi "
          "commit." + (f" Các tệp nhà trường đã sửa được giữ trong {ASIDE}/." if any(
              c.kind == "move" for c in changes) else ""))
    return 0
