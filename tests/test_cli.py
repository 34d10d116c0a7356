"""The command `cong-truong`: installed with the package, its version the distribution's, its
mistakes said in Vietnamese, and it works on the project found from the current folder."""

import os
import shutil
import subprocess
import sys
from importlib import metadata

from conftest import copy_project, post

COMMAND = os.path.join(os.path.dirname(sys.executable), "cong-truong")


def run(*args, cwd, env=None):
    return subprocess.run([COMMAND, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "PORTAL_TODAY": "2026-11-29",
                                            **(env or {})})


def test_the_command_is_installed_and_says_the_packages_version(tmp_path):
    assert os.access(COMMAND, os.X_OK), "pip install of the repository gives cong-truong"
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"cong-truong {metadata.version('cong-truong')}"


def test_outside_a_project_it_says_where_it_looked_and_what_to_do(tmp_path):
    result = run("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "Không thấy cổng thông tin nào" in result.stderr and str(tmp_path) in result.stderr
    assert "cong-truong new" in result.stderr and "Traceback" not in result.stderr


def test_a_mistake_in_the_command_line_is_said_in_vietnamese(tmp_path):
    result = run("dung", cwd=tmp_path)
    assert result.returncode == 2
    assert "lỗi:" in result.stderr and "chọn một trong" in result.stderr
    assert "invalid choice" not in result.stderr and "error:" not in result.stderr
    missing = run("import", cwd=tmp_path)
    assert missing.returncode == 2 and "thiếu tham số bắt buộc: NGUỒN" in missing.stderr


def test_it_builds_the_project_found_from_a_subfolder_or_named_with_C(tmp_path):
    root = copy_project(tmp_path / "truong")
    (root / "content" / "tin-tuc" / "2026").mkdir(parents=True)
    (root / "content" / "tin-tuc" / "2026" / "bai.md").write_text(
        post("Khai giảng năm học mới", "2026-09-05 07:30"), encoding="utf-8")
    built = run("build", cwd=root / "content" / "tin-tuc")
    assert built.returncode == 0, built.stdout + built.stderr
    page = root / "output" / "tin-tuc" / "khai-giang-nam-hoc-moi" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert f'<meta name="generator" content="cong-truong {metadata.version("cong-truong")}">' in html
    shutil.rmtree(root / "output")
    other = run("-C", str(root), "build", cwd=tmp_path)
    assert other.returncode == 0 and page.exists()


def test_the_demo_settings_take_everything_from_the_package():
    """The demo school's settings are a school's: a docstring and the import of the package's
    settings, nothing else (no path to plugins/ or theme/ of this repository)."""
    import ast

    from conftest import ROOT

    with open(os.path.join(ROOT, "pelicanconf.py"), encoding="utf-8") as handle:
        body = ast.parse(handle.read()).body
    assert isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
    assert [(type(node).__name__, getattr(node, "module", None),
             [alias.name for alias in getattr(node, "names", [])]) for node in body[1:]] == [
        ("ImportFrom", "cong_truong.settings", ["*"])]
