"""`cong-truong new`: a school of any level from its facts alone; bad facts refused in
Vietnamese with nothing written; the new repository builds, lists what is unfinished and cannot
be published until it is filled in; many schools from a CSV."""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import re
import subprocess
import sys
import unicodedata
import zipfile

import pytest
import yaml

from conftest import FIXED_TODAY, ROOT
from cong_truong import school as sch
from portal_core.text import fold

BIN = os.path.dirname(sys.executable)
COMMAND = os.path.join(BIN, "cong-truong")
SOURCE = "git+https://example.org/so-gddt/cong-truong"
DAY = dt.date.fromisoformat(FIXED_TODAY)
THCS = ["--name", "Trường THCS Lê Lợi", "--level", "thcs", "--province", "Ninh Bình"]
MAM_NON = ["--name", "Trường Mầm non Hoa Sen", "--level", "mam-non", "--province", "ninh binh",
           "--phone", "0229 3871 234", "--email", "vanphong@mnhoasen.edu.vn"]


def run(*args, cwd, env=None, timeout=600):
    return subprocess.run([COMMAND, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL,
                          env={**os.environ, "PORTAL_TODAY": FIXED_TODAY, **(env or {})})


def new(where, folder, *facts):
    return run("new", folder, *facts, "--source", SOURCE, cwd=where)


def tree(root) -> dict[str, bytes]:
    found = {}
    for here, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in files:
            path = os.path.join(here, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, root)] = handle.read()
    return found


def demo_mentions(data: bytes) -> bool:
    text = fold(unicodedata.normalize("NFC", data.decode("utf-8", errors="ignore")))
    return bool(re.search(r"nguyen[\s_-]?trai|thptnt", text))


@pytest.fixture(scope="module")
def schools(tmp_path_factory):
    """A THCS and a mầm non school, made by the command and built (development build)."""
    where = tmp_path_factory.mktemp("truong")
    made = {}
    for folder, facts in (("thcs-le-loi", THCS), ("mn-hoa-sen", MAM_NON)):
        created = new(where, folder, *facts)
        assert created.returncode == 0, created.stderr
        built = run("build", cwd=where / folder)
        assert built.returncode == 0, built.stdout + built.stderr
        made[folder] = where / folder
    return made


# --- checks of the facts (pure) --------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("Ninh Bình", "Ninh Bình"),
    ("NINH BÌNH", "Ninh Bình"),
    (unicodedata.normalize("NFD", "tỉnh Ninh Bình"), "Ninh Bình"),
    ("ninh binh", "Ninh Bình"),
    ("TP HCM", "Hồ Chí Minh"),
    ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
    ("Thừa Thiên Huế", "Huế"),
    ("Thanh Hoá", "Thanh Hóa"),
])
def test_a_province_in_force_is_found_however_it_is_written(value, expected):
    assert sch.check_province(value, DAY) == (expected, None)


@pytest.mark.parametrize("old, merged", [
    ("Nam Định", "Ninh Bình"), ("nam dinh", "Ninh Bình"), ("Bình Dương", "Hồ Chí Minh"),
    ("Vũng Tàu", "Hồ Chí Minh"), ("Hà Giang", "Tuyên Quang"), ("Quảng Nam", "Đà Nẵng"),
])
def test_a_province_merged_on_1_july_2025_is_refused_with_the_province_it_joined(old, merged):
    found, refusal = sch.check_province(old, DAY)
    assert found == "" and refusal.flag == "--province"
    assert "01/07/2025" in refusal.message and merged in refusal.message
    assert refusal.example == f'--province "{merged}"'
    # before the merger the old province was the school's (the data is dated)
    assert sch.check_province(old, dt.date(2025, 6, 30))[1] is None


def test_a_misspelt_province_gets_the_closest_name():
    found, refusal = sch.check_province("Ninh Bìn", DAY)
    assert found == "" and "Ninh Bình" in refusal.example


def test_the_34_provinces_and_63_old_ones_are_data():
    data = sch.load_provinces()
    units = data["changes"][-1]["provinces"]
    assert len(units) == 34
    assert len({old for unit in units for old in unit["old"]}) == 63


@pytest.mark.parametrize("name, level, accepted", [
    ("Trường THCS Lê Lợi", "thcs", True),
    (unicodedata.normalize("NFD", "Trường THCS Lê Lợi"), "thcs", True),
    ("TRƯỜNG THCS LÊ LỢI", "thcs", True),
    ("Nhà trẻ Hoa Hồng", "mam-non", True),
    ("Trường TH&THCS Kim Đồng", "lien-cap", True),
    ("Trung tâm GDNN - GDTX Hoa Lư", "gdtx", True),
    ("THCS Lê Lợi", "thcs", False),  # no "Trường"
    ("Truong THCS Le Loi", "thcs", False),  # no diacritics
    ("Trường", "thcs", False),
    ("Trường THPT Lê Lợi", "thcs", False),  # a THPT's name for a THCS
    ("Nhà trẻ Hoa Hồng", "thcs", False),
])
def test_the_name_must_be_a_schools_name_of_its_level(name, level, accepted):
    refusal = sch.check_name(name, level)
    assert (refusal is None) == accepted, refusal
    if refusal:
        assert refusal.flag == "--name"
        assert "Trường" in refusal.example or refusal.example.startswith("--level ")


@pytest.mark.parametrize("value, valid", [
    ("0229 3 871 234", True), ("02293871234", True), ("0912 345 678", True),
    ("+84 912 345 678", True), ("024 3869 1234", True),
    ("12345", False), ("0228 384 012", False), ("không có", False), ("", False),
])
def test_a_phone_is_checked_against_the_vietnamese_numbering_plan(value, valid):
    number, refusal = sch.check_phone(value)
    assert (refusal is None) == valid
    if valid:  # written in the national form: the same digits, +84 as 0
        digits = re.sub(r"\D", "", value)
        assert re.sub(r"\D", "", number) == ("0" + digits[2:] if value.startswith("+")
                                              else digits)


@pytest.mark.parametrize("value, valid", [
    ("vanphong@thcsleloi.edu.vn", True), ("hieu.truong@gmail.com", True),
    ("vanphong@", False), ("vanphong.thcsleloi.edu.vn", False), ("a@b", False),
    ("a..b@x.vn", False), ("văn phòng@x.vn", False),
])
def test_an_email_must_be_an_address(value, valid):
    assert (sch.check_email(value)[1] is None) == valid


def test_levels_are_the_six_school_levels_and_so_is_reserved():
    assert [sch.check_level(v)[1] is None for v in
            ("mam-non", "tieu-hoc", "thcs", "thpt", "lien-cap", "gdtx")] == [True] * 6
    value, refusal = sch.check_level("so")
    assert value == "" and "Sở" in refusal.message
    assert sch.check_level("trung-hoc-co-so")[1] is not None
    assert sch.check_level("Tiểu học")[1].example == "--level tieu-hoc"
    assert sch.check_covers("tieu-hoc,thcs", "lien-cap") == (["tieu-hoc", "thcs"], None)
    assert sch.check_covers("thcs", "lien-cap")[1].flag == "--covers"


# --- the repository, for each level -------------------------------------------------------------

LEVEL_SCHOOLS = {
    "mam-non": "Trường Mầm non Hoa Sen", "tieu-hoc": "Trường Tiểu học Kim Đồng",
    "thcs": "Trường THCS Lê Lợi", "thpt": "Trường THPT Hoa Lư",
    "lien-cap": "Trường TH&THCS Yên Mạc", "gdtx": "Trung tâm GDNN - GDTX Kim Sơn",
}
ENTRY = {"mam-non": "trẻ", "tieu-hoc": "lớp 1", "thcs": "lớp 6", "thpt": "lớp 10",
         "lien-cap": "đầu cấp", "gdtx": "giáo dục thường xuyên"}


@pytest.mark.parametrize("level", sorted(LEVEL_SCHOOLS))
def test_a_new_school_of_each_level_gets_its_own_pages_each_marked_unfinished(level):
    answers = {"name": LEVEL_SCHOOLS[level], "level": level, "province": "Ninh Bình",
               "covers": "tieu-hoc,thcs" if level == "lien-cap" else ""}
    school, refusals = sch.check(answers, DAY)
    assert refusals == []
    files, _ = sch.render(school, DAY, SOURCE)
    pages = {path for path in files if path.startswith("content/pages/")}
    # sections of every level (TT 37/2020 Điều 9)
    for section in ("gioi-thieu", "gioi-thieu/co-cau-to-chuc", "tuyen-sinh", "lien-he",
                    "hoi-dap", "van-ban", "tiep-can", "chinh-sach-du-lieu"):
        assert f"content/pages/{section}.md" in pages
    # a kindergarten has no textbooks and no timetable, and serves meals
    assert ("content/pages/tai-nguyen.md" in pages) == (level != "mam-non")
    assert ("content/pages/thuc-don.md" in pages) == (level == "mam-non")
    for path in pages:
        assert "CẦN ĐIỀN:" in files[path] and "Ví dụ:" in files[path], path
        assert "@@" not in files[path]
    assert ENTRY[level] in files["content/pages/tuyen-sinh.md"].splitlines()[2]
    data = yaml.safe_load(files["content/data/school.yml"])
    assert data["level"] == level and data["name"] == LEVEL_SCHOOLS[level]
    assert data["province"] == "Ninh Bình"
    assert data["serves_meals"] is (level == "mam-non")
    units = yaml.safe_load(files["content/data/units.yml"])
    assert units["default"] in {u["id"] for u in units["units"]}
    plan = yaml.safe_load(files[f"content/plans/{DAY.year}.yml"])
    assert plan["year"] == DAY.year and len(plan["topics"]) >= 8
    assert "content/cong-khai/2026-2027/.gitkeep" in files
    assert not any("__pycache__" in path or path.endswith(".pyc") for path in files)
    assert not any(demo_mentions(t.encode() if isinstance(t, str) else t) for t in files.values())


def test_the_requirement_is_a_pinned_git_tag_or_a_wheel(tmp_path):
    version = sch.__version__
    line, wheel, _ = sch.requirement("https://github.com/so-gddt/cong-truong.git")
    assert line == f"cong-truong @ git+https://github.com/so-gddt/cong-truong.git@v{version}"
    assert wheel == ""
    assert sch.requirement(SOURCE + "@v9.9.9")[0] == f"cong-truong @ {SOURCE}@v9.9.9"
    built = tmp_path / f"cong_truong-{version}-py3-none-any.whl"
    built.write_bytes(b"PK")
    line, wheel, note = sch.requirement(str(built))
    assert (line, wheel) == (f"./vendor/{built.name}", str(built)) and "vendor/" in note
    other = tmp_path / "cong_truong-0.9.0-py3-none-any.whl"
    other.write_bytes(b"PK")
    with pytest.raises(sch.Refused) as refused:
        sch.requirement(str(other))
    assert refused.value.refusals[0].flag == "--source"
    with pytest.raises(sch.Refused):
        sch.requirement("")


def test_questions_on_a_terminal_ask_again_until_the_answer_is_valid(monkeypatch, capsys):
    answers = iter(["thcs", "Trường THCS Lê Lợi", "Nam Định", "Ninh Bình",
                    "37000201", "", "", "", "", "", "12345", "0229 3871 234", "", "", ""])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    args = type("Args", (), {**{k: None for k in sch.FIELDS}, "serves_meals": None})()
    facts = sch.facts_from_args(args, True, DAY)
    assert facts["province"] == "Ninh Bình" and facts["phone"] == "0229 3871 234"
    assert facts["code"] == "37000201" and facts["email"] == ""  # skipped: a placeholder
    said = capsys.readouterr().err
    assert "hợp nhất vào Ninh Bình" in said and "--phone" in said


# --- refusals: nothing half-written ----------------------------------------------------------

@pytest.mark.parametrize("facts, flag, words", [
    (["--name", "Trường THCS Lê Lợi", "--level", "trung-hoc", "--province", "Ninh Bình"],
     "--level", "Không có cấp học này"),
    (["--name", "Trường THCS Lê Lợi", "--level", "so", "--province", "Ninh Bình"],
     "--level", "Sở"),
    (["--name", "Trường THCS Lê Lợi", "--level", "thcs", "--province", "Nam Định"],
     "--province", "hợp nhất vào Ninh Bình"),
    (["--name", "THCS Lê Lợi", "--level", "thcs", "--province", "Ninh Bình"],
     "--name", "bắt đầu bằng «Trường»"),
    (THCS + ["--email", "vanphong@"], "--email", "Không phải địa chỉ thư điện tử"),
    (THCS + ["--phone", "12345"], "--phone", "Không phải số điện thoại"),
])
def test_bad_facts_are_refused_in_vietnamese_and_nothing_is_written(tmp_path, facts, flag,
                                                                    words):
    result = new(tmp_path, "truong", *facts)
    assert result.returncode == 1
    assert f"LỖI {flag}:" in result.stderr and words in result.stderr
    assert "→ Ví dụ:" in result.stderr and "Traceback" not in result.stderr
    assert "chưa ghi gì" in result.stderr
    assert os.listdir(tmp_path) == []  # neither the folder nor a temporary one


def test_every_bad_fact_is_said_at_once(tmp_path):
    result = new(tmp_path, "truong", "--name", "Truong THCS", "--level", "thcs", "--province",
                 "Hà Tây Cũ", "--email", "x", "--phone", "1")
    assert result.returncode == 1
    for flag in ("--name", "--province", "--email", "--phone"):
        assert f"LỖI {flag}:" in result.stderr


def test_a_folder_that_is_not_empty_is_refused(tmp_path):
    (tmp_path / "truong").mkdir()
    (tmp_path / "truong" / "ghi-chu.txt").write_text("của trường", encoding="utf-8")
    result = new(tmp_path, "truong", *THCS)
    assert result.returncode == 1 and "không trống" in result.stderr
    assert os.listdir(tmp_path / "truong") == ["ghi-chu.txt"]
    empty = tmp_path / "rong"
    empty.mkdir()
    assert new(tmp_path, "rong", *THCS).returncode == 0
    assert (empty / "pelicanconf.py").exists()


def test_without_a_source_it_says_both_ways_to_give_one(tmp_path):
    result = run("new", "truong", *THCS, cwd=tmp_path, env={"CONG_TRUONG_SOURCE": ""})
    if result.returncode == 0:  # installed from a git URL or a wheel: that source is used
        req = (tmp_path / "truong" / "requirements.txt").read_text(encoding="utf-8")
        assert "cong-truong @ " in req or "vendor/" in req
        return
    assert "--source" in result.stderr and "git+https://" in result.stderr
    assert ".whl" in result.stderr and not (tmp_path / "truong").exists()


# --- the new repositories, built ----------------------------------------------------------------

def test_the_new_repository_is_a_git_repository_with_one_commit(schools):
    for root in schools.values():
        log = subprocess.run(["git", "log", "--format=%s"], cwd=root, capture_output=True,
                             text=True)
        assert log.stdout.count("\n") == 1 and "Tạo cổng thông tin" in log.stdout
        status = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True,
                                text=True)
        assert [line for line in status.stdout.splitlines()
                if not line[3:].startswith(("output", "cache"))] == []
        assert os.access(root / "dev", os.X_OK)
        req = (root / "requirements.txt").read_text(encoding="utf-8")
        assert f"cong-truong @ {SOURCE}@v{sch.__version__}" in req
        state = yaml.safe_load((root / "cong-truong.yml").read_text(encoding="utf-8"))
        assert state["format"] == sch.FORMAT and state["version"] == sch.__version__


def test_the_home_page_has_the_schools_name(schools):
    from bs4 import BeautifulSoup

    for root, name in ((schools["thcs-le-loi"], "Trường THCS Lê Lợi"),
                       (schools["mn-hoa-sen"], "Trường Mầm non Hoa Sen")):
        soup = BeautifulSoup((root / "output" / "index.html").read_text(encoding="utf-8"),
                             "html.parser")
        assert soup.h1.get_text(strip=True) == name
        assert soup.select_one(".site-title").get_text(strip=True) == name


def test_their_disclosure_lists_differ_as_the_law_says(schools):
    def items(root):
        data = json.loads((root / "output" / "cong-khai" / "index.json").read_text("utf-8"))
        return {row["item"]: row["status"] for row in data["rows"]
                if row["school_year"] == "2026-2027"}

    thcs, mam_non = items(schools["thcs-le-loi"]), items(schools["mn-hoa-sen"])
    # a kindergarten: no textbooks, no school-family rules of TT 09 Điều 9, no graduation
    # results, but its children's care and education results, and its weekly menu
    for item in ("CK-15", "CK-19", "CK-21"):
        assert item in thcs and item not in mam_non
    assert "CK-31" in mam_non and "CK-31" not in thcs
    assert mam_non["CK-20"] != "not_applicable" and thcs["CK-20"] == "not_applicable"
    for item in ("CK-01", "CK-06", "CK-13", "CK-17"):  # every level
        assert item in thcs and item in mam_non


def test_the_mandated_sections_follow_the_level(schools):
    def sections(root):
        data = json.loads((root / "output" / "tuan-thu" / "index.json").read_text("utf-8"))
        assert data["level"] in ("thcs", "mam-non")
        return {item["id"] for item in data["items"]}

    thcs, mam_non = sections(schools["thcs-le-loi"]), sections(schools["mn-hoa-sen"])
    assert {"tai-nguyen", "thoi-khoa-bieu"} <= thcs
    assert not {"tai-nguyen", "thoi-khoa-bieu"} & mam_non
    assert "thuc-don" in mam_non


def test_nothing_of_the_demo_school_in_either_repository_or_output(schools):
    for root in schools.values():
        found = [rel for rel, data in tree(root).items() if demo_mentions(data)]
        assert found == []


def test_every_stub_page_shows_the_unfinished_banner_in_the_preview(schools):
    from bs4 import BeautifulSoup

    root = schools["thcs-le-loi"]
    for url in ("gioi-thieu", "tuyen-sinh", "lien-he", "gioi-thieu/co-cau-to-chuc"):
        soup = BeautifulSoup((root / "output" / url / "index.html").read_text("utf-8"),
                             "html.parser")
        banner = soup.select_one("main .unfinished")
        assert banner is not None, url
        assert "chưa được xuất bản" in banner.get_text()
        assert "content/pages/" in banner.get_text()
        assert soup.select("main .can-dien"), url
    home = BeautifulSoup((root / "output" / "index.html").read_text("utf-8"), "html.parser")
    assert "CẦN ĐIỀN" in home.select_one(".unfinished-site").get_text()


def test_check_on_a_new_school_lists_every_unfinished_page_and_refuses(schools):
    root = schools["thcs-le-loi"]
    result = run("check", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for page in glob.glob(str(root / "content" / "pages" / "**" / "*.md"), recursive=True):
        rel = os.path.relpath(page, root).replace(os.sep, "/")
        assert rel in result.stderr
    assert "Trang chưa hoàn thành — cần viết:" in result.stderr
    assert "content/data/school.yml" in result.stderr and "Chưa điền:" in result.stderr
    assert "sẽ KHÔNG xuất bản được" in result.stderr.splitlines()[-1]
    strict = run("build", "--strict", "--output", str(root / "xuat-ban"), cwd=root)
    assert strict.returncode == 1 and not (root / "xuat-ban" / "index.html").exists()


def test_once_every_placeholder_is_filled_in_the_school_can_publish(schools, tmp_path):
    """The refusal is the placeholders' (and nothing else): the same school, filled in with the
    examples and one post, passes `check`."""
    import shutil

    root = tmp_path / "da-dien"
    shutil.copytree(schools["thcs-le-loi"], root, ignore=shutil.ignore_patterns(
        "output", "cache", ".git"))
    pattern = re.compile(r'"?CẦN ĐIỀN: [^"\n]*?Ví dụ: ([^"\n]*)"?')
    for path in glob.glob(str(root / "content" / "**" / "*.*"), recursive=True):
        if path.endswith((".md", ".yml")):
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            text = pattern.sub(lambda m: (m.group(1) if m.group(0)[0] != '"'
                                          else json.dumps(m.group(1), ensure_ascii=False)), text)
            text = text.replace('date: "2026-02-10"', "date: 2026-02-10")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
    (root / "content" / "tin-tuc" / "2026" / "khai-giang.md").write_text(
        "Title: Lễ khai giảng năm học mới\nDate: 2026-09-05 07:30\nCategory: Tin tức\n"
        "Topics: chat-luong-giao-duc\nSummary: Sáng 5/9 nhà trường khai giảng năm học mới.\n\n"
        "Thầy và trò dự lễ khai giảng.\n", encoding="utf-8")
    result = run("check", cwd=root)
    assert result.returncode == 0, result.stderr[-3000:]


# --- CI files -------------------------------------------------------------------------------

def test_each_school_has_a_github_workflow_and_a_gitlab_ci_both_valid(schools):
    root = schools["mn-hoa-sen"]
    lint = os.path.join(BIN, "check-jsonschema")
    for schema, path in (("vendor.github-workflows", ".github/workflows/ci.yml"),
                         ("vendor.gitlab-ci", ".gitlab-ci.yml")):
        checked = subprocess.run([lint, "--builtin-schema", schema, str(root / path)],
                                 capture_output=True, text=True, timeout=120)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    workflow = yaml.safe_load((root / ".github/workflows/ci.yml").read_text("utf-8"))
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["test"]["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["publish"]["permissions"] == {"contents": "write"}
    assert workflow["jobs"]["publish"]["needs"] == "test"
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.match(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$", step["uses"]), step["uses"]
            if step.get("uses", "").startswith("actions/checkout"):
                assert step["with"]["persist-credentials"] is False
    assert "./dev test" in json.dumps(workflow["jobs"]["test"])
    gitlab = yaml.safe_load((root / ".gitlab-ci.yml").read_text("utf-8"))
    assert gitlab["stages"] == ["test", "publish"]
    assert gitlab["test"]["script"] == ["./dev test"]
    assert gitlab["pages"]["needs"] == ["test"] and gitlab["pages"]["artifacts"]["paths"] == [
        "public"]
    assert gitlab["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert any("--strict --output public" in line for line in gitlab["pages"]["script"])
    assert re.match(r"^python:3\.11\.\d+-bookworm$", gitlab["default"]["image"])


def test_the_school_template_carries_our_npm_lock_with_the_schools_name():
    kho = os.path.join(ROOT, "cong_truong", "modele", "kho")
    for name in ("package.json", "package-lock.json"):
        with open(os.path.join(ROOT, name), encoding="utf-8") as ours, \
                open(os.path.join(kho, name), encoding="utf-8") as theirs:
            a, b = json.load(ours), json.load(theirs)
        a.pop("name"), b.pop("name")
        if "packages" in a:
            a["packages"][""].pop("name"), b["packages"][""].pop("name")
        assert a == b, f"{name}: copy it again into cong_truong/modele/kho/ (name @@TEN_GOI@@)"


def test_the_wheel_ships_the_template_with_its_dotfiles(tmp_path):
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps",
                            "-q", "-w", str(tmp_path)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    names = zipfile.ZipFile(glob.glob(str(tmp_path / "*.whl"))[0]).namelist()
    for path in (".github/workflows/ci.yml", ".gitlab-ci.yml", ".gitignore", "dev",
                 "content/data/giao-dien.yml", "theme/templates/README.md"):
        assert f"cong_truong/modele/kho/{path}" in names, path
    assert "cong_truong/provinces.yml" in names and "cong_truong/upgrade_known.json" in names
    assert "portal_core/levels.yml" in names and "portal_unfinished/__init__.py" in names


# --- many schools from a CSV (a Sở) -----------------------------------------------------------

def test_a_so_creates_its_schools_from_a_csv(tmp_path):
    (tmp_path / "truong.csv").write_text(
        "\ufeffTên trường,Cấp,Tỉnh,Mã trường,Thư mục,Điện thoại,Bán trú\n"
        "Trường THCS Lê Lợi,thcs,Ninh Bình,37000201,,0229 3871 234,\n"
        "Trường Mầm non Hoa Sen,mam-non,Ninh Bình,,mn-hoa-sen-hoa-lu,,có\n"
        "Trường Tiểu học Kim Đồng,tieu-hoc,ninh binh,,,,\n", encoding="utf-8")
    result = run("new", "--csv", "truong.csv", "cac-truong", "--source", SOURCE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    made = sorted(os.listdir(tmp_path / "cac-truong"))
    assert made == ["mn-hoa-sen-hoa-lu", "thcs-le-loi", "tieu-hoc-kim-dong"]
    school = yaml.safe_load((tmp_path / "cac-truong" / "thcs-le-loi" / "content" / "data" /
                             "school.yml").read_text("utf-8"))
    assert school["phone"] == "0229 3871 234" and school["level"] == "thcs"
    assert school["code"] == "37000201"
    for folder in made:
        assert (tmp_path / "cac-truong" / folder / ".git").is_dir()


def test_one_bad_row_of_the_csv_and_no_school_is_created(tmp_path):
    (tmp_path / "truong.csv").write_text(
        "ten;cap;tinh\nTrường THCS Lê Lợi;thcs;Ninh Bình\nTrường THCS Lê Lợi;thcs;Nam Định\n"
        "Trường Tiểu học Kim Đồng;tieu-hoc;Ninh Bình\nTrường THCS Lê Lợi;thcs;Ninh Bình\n",
        encoding="utf-8")
    result = run("new", "--csv", "truong.csv", "cac-truong", "--source", SOURCE, cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "LỖI dòng 3, cột «tinh»:" in result.stderr and "Ninh Bình" in result.stderr
    assert "LỖI dòng 5:" in result.stderr and "Trùng thư mục «thcs-le-loi» với dòng 2" in \
        result.stderr
    assert sorted(os.listdir(tmp_path)) == ["truong.csv"]


def test_one_dev_script_runs_the_tests_here_and_the_publishing_checks_in_a_school(schools):
    """./dev here is the script the package ships; in a school `./dev test` checks the format,
    builds for publishing and runs the gates (CI runs it on every pull request, so a version
    bump says whether the school's content still passes)."""
    assert os.path.realpath(os.path.join(ROOT, "dev")) == os.path.join(
        ROOT, "cong_truong", "modele", "kho", "dev")
    script = ". ./dev; if is_package_repository; then echo goi; else echo truong; fi"
    for where, expected in ((ROOT, "goi"), (schools["thcs-le-loi"], "truong")):
        said = subprocess.run(["bash", "-c", script], cwd=where, capture_output=True, text=True,
                              timeout=60)
        assert said.stdout.strip().splitlines()[-1] == expected
    text = (schools["thcs-le-loi"] / "dev").read_text(encoding="utf-8")
    test_branch = text[text.index("  test)"):text.index("  *)")]
    for command in ("upgrade --check", "build --strict", "check-site"):
        assert command in test_branch


def test_the_gates_run_on_a_new_school_and_its_links_hold_before_any_post(schools):
    """No post yet: Tin tức and Thông báo still have their landing, so the menu and the home
    page link to pages that exist (the links gate, as `cong-truong check-site` runs it)."""
    for root in schools.values():
        assert (root / "output" / "thong-bao" / "index.html").exists()
        gates = run("check-site", "--skip", "html,budgets,a11y", cwd=root)
        assert gates.returncode == 0, gates.stdout + gates.stderr
        assert "Liên kết: đạt" in gates.stdout + gates.stderr
