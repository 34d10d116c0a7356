"""`cong-truong upgrade`: a school that copied this repository before the package existed
(format 1: its own plugins/, theme/, tools/, gates/, a pelicanconf.py with sys.path and
PLUGIN_PATHS, no level) becomes a package-based school; the template it changed stays as its
override, code it changed is moved aside, its own setting is kept, content is never deleted.
The old school is made here from this repository's history (commit 2ca5c23, the last before
the package) and a school written by `new`, with a few files changed as a school would."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys

import pytest
import yaml

from conftest import FIXED_TODAY, ROOT
from cong_truong import school as sch
from cong_truong import upgrade as upg

OLD = "2ca5c23"
COMMAND = os.path.join(os.path.dirname(sys.executable), "cong-truong")
DAY = dt.date.fromisoformat(FIXED_TODAY)
UNCHANGED = ("plugins/portal_core/__init__.py", "plugins/portal_core/text.py",
             "theme/templates/index.html", "theme/static/css/portal.css", "tools/preview.py",
             "tasks.py", "dev", ".github/workflows/ci.yml", "README.md", "package.json",
             "requirements-test.txt")
FOOTER_LINE = '<p class="rieng">Lịch tiếp cha mẹ học sinh: sáng thứ Bảy.</p>'


def old(path: str) -> bytes:
    return subprocess.run(["git", "show", f"{OLD}:{path}"], cwd=ROOT, capture_output=True,
                          check=True).stdout


def run(*args, cwd):
    return subprocess.run([COMMAND, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, stdin=subprocess.DEVNULL,
                          env={**os.environ, "PORTAL_TODAY": FIXED_TODAY,
                               "CONG_TRUONG_SOURCE": "git+https://example.org/so/cong-truong"})


def snapshot(root) -> dict[str, str]:
    found = {}
    for here, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in (".git", "output", "cache")]
        for name in files:
            path = os.path.join(here, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, root)] = hashlib.sha256(handle.read()).hexdigest()
    return found


@pytest.fixture
def old_school(tmp_path):
    """A THCS school in the pre-package layout, with its own changes."""
    root = tmp_path / "thcs-le-loi"
    school, _ = sch.check({"name": "Trường THCS Lê Lợi", "level": "thcs",
                           "province": "Ninh Bình"}, DAY)
    files, _ = sch.render(school, DAY, "git+https://example.org/so/cong-truong")
    keep = {path: text for path, text in files.items() if path.startswith("content/")}
    keep["content/data/school.yml"] = "\n".join(
        line for line in files["content/data/school.yml"].splitlines()
        if not line.startswith(("level:", "# Cấp học"))) + "\n"
    sch.write_tree(root, keep)
    for path in UNCHANGED + ("publishconf.py", "requirements.txt"):
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(old(path))
    # the school's own changes: a setting, a template, a gate
    (root / "pelicanconf.py").write_bytes(old("pelicanconf.py") + b"\nDEFAULT_PAGINATION = 20\n")
    footer = old("theme/templates/partials/footer.html").decode()
    footer = footer.replace("</footer>", f"  {FOOTER_LINE}\n</footer>")
    (root / "theme/templates/partials").mkdir(parents=True, exist_ok=True)
    (root / "theme/templates/partials/footer.html").write_text(footer, encoding="utf-8")
    (root / "gates").mkdir()
    (root / "gates" / "links.py").write_bytes(old("gates/links.py") + b"\n# sua cua truong\n")
    return root


def test_an_old_copy_is_format_1_and_the_commands_refuse_it_until_upgraded(old_school):
    assert upg.repo_format(str(old_school)) == 1
    built = run("build", cwd=old_school)
    assert built.returncode == 1 and "Traceback" not in built.stderr
    assert "định dạng cũ" in built.stderr and "cong-truong upgrade --dry-run" in built.stderr
    checked = run("upgrade", "--check", cwd=old_school)
    assert checked.returncode == 1


def test_the_dry_run_shows_the_diff_and_writes_nothing(old_school):
    before = snapshot(old_school)
    result = run("upgrade", "--dry-run", cwd=old_school)
    assert result.returncode == 0, result.stderr
    assert snapshot(old_school) == before
    out = result.stdout
    assert "từ định dạng 1 lên 2" in out
    assert "XÓA plugins/portal_core/__init__.py" in out
    assert "LƯU Ý theme/templates/partials/footer.html" in out
    assert "CHUYỂN gates/links.py → cong-truong-cu/gates/links.py" in out
    assert "+from cong_truong.settings import *" in out  # the diff of pelicanconf.py
    assert "+level: thcs" in out
    assert "chưa ghi gì" in out


def test_the_upgrade_makes_a_package_based_school_and_loses_nothing(old_school):
    content_before = {p: h for p, h in snapshot(old_school).items()
                      if p.startswith("content") and not p.endswith("school.yml")}
    school_before = (old_school / "content/data/school.yml").read_text(encoding="utf-8")
    result = run("upgrade", cwd=old_school)
    assert result.returncode == 0, result.stderr
    after = snapshot(old_school)
    # content: every file as it was, school.yml only gained its level
    assert {p: h for p, h in after.items() if p in content_before} == content_before
    school_after = (old_school / "content/data/school.yml").read_text(encoding="utf-8")
    assert yaml.safe_load(school_after) == {**yaml.safe_load(school_before), "level": "thcs"}
    assert all(line in school_after.splitlines() for line in school_before.splitlines())
    # the copied code is gone, what the school changed is kept
    for path in UNCHANGED[:6]:
        assert not (old_school / path).exists(), path
    assert not (old_school / "plugins").exists() and not (old_school / "tools").exists()
    assert (old_school / "theme/templates/partials/footer.html").read_text(
        encoding="utf-8").count(FOOTER_LINE) == 1
    assert (old_school / "cong-truong-cu/gates/links.py").read_bytes().endswith(
        b"# sua cua truong\n")
    # settings from the package, the school's own kept
    conf = (old_school / "pelicanconf.py").read_text(encoding="utf-8")
    assert "from cong_truong.settings import *" in conf and "PLUGIN_PATHS" not in conf
    assert "sys.path" not in conf and "DEFAULT_PAGINATION = 20" in conf
    requirements = (old_school / "requirements.txt").read_text(encoding="utf-8")
    assert f"cong-truong @ git+https://example.org/so/cong-truong@v{sch.__version__}" in \
        requirements and "pelican" not in requirements
    state = yaml.safe_load((old_school / "cong-truong.yml").read_text(encoding="utf-8"))
    assert state["format"] == sch.FORMAT
    assert (old_school / ".github/workflows/ci.yml").exists() and (old_school / "dev").exists()
    # and it builds with the package, the school's footer in every page
    built = run("build", cwd=old_school)
    assert built.returncode == 0, built.stdout + built.stderr
    home = (old_school / "output" / "index.html").read_text(encoding="utf-8")
    assert FOOTER_LINE in home and "Trường THCS Lê Lợi" in home
    # once is enough
    again = run("upgrade", cwd=old_school)
    assert again.returncode == 0 and "không có gì phải đổi" in again.stdout
    assert run("upgrade", "--check", cwd=old_school).returncode == 0


def test_without_a_level_it_can_guess_it_says_which_flag_to_use(old_school):
    school = old_school / "content/data/school.yml"
    school.write_text(school.read_text(encoding="utf-8").replace(
        'name: "Trường THCS Lê Lợi"', 'name: "Trường Hoa Mai"'), encoding="utf-8")
    result = run("upgrade", "--dry-run", cwd=old_school)
    assert result.returncode == 1 and "--level" in result.stderr
    assert run("upgrade", "--dry-run", "--level", "tieu-hoc", cwd=old_school).returncode == 0


def test_a_package_file_the_school_changed_is_named_not_overwritten(tmp_path):
    root = tmp_path / "truong"
    school, _ = sch.check({"name": "Trường THCS Lê Lợi", "level": "thcs",
                           "province": "Ninh Bình"}, DAY)
    files, _ = sch.render(school, DAY, "git+https://example.org/so/cong-truong")
    sch.write_tree(root, files)
    # dev as an older package wrote it (recorded): replaced by this version's
    older_dev = files["dev"].replace("./dev serve", "./dev xem")
    (root / "dev").write_text(older_dev, encoding="utf-8")
    state = yaml.safe_load(files[sch.STATE_FILE])
    state["managed"]["dev"] = sch.digest(older_dev)
    (root / sch.STATE_FILE).write_text(yaml.safe_dump(state), encoding="utf-8")
    # .gitlab-ci.yml changed by the school since: named with its difference, not overwritten
    (root / ".gitlab-ci.yml").write_text(files[".gitlab-ci.yml"] + "# job riêng\n",
                                         encoding="utf-8")
    changes = upg.plan(str(root))
    writes = {c.path: c for c in changes if c.kind == "write"}
    assert writes["dev"].new == files["dev"] and writes["dev"].old == older_dev
    notes = [c for c in changes if c.kind == "note"]
    assert [c.path for c in notes] == [".gitlab-ci.yml"]
    assert "-# job riêng" in notes[0].reason  # exactly what differs from the package's
    assert ".gitlab-ci.yml" not in writes
    upg.apply(str(root), changes)
    assert (root / "dev").read_text(encoding="utf-8") == files["dev"]
    recorded = yaml.safe_load((root / sch.STATE_FILE).read_text(encoding="utf-8"))["managed"]
    assert recorded["dev"] == sch.digest(files["dev"])
