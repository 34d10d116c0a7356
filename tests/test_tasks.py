"""The invoke tasks README and CI use: build, check and publish, on a copy of the project."""

import os
import subprocess
import sys

import pytest

from conftest import copy_project, post

pytestmark = pytest.mark.demo


def invoke(cwd, *args, env=None):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600,
                          env={**os.environ, "PORTAL_TODAY": "2026-11-29", **(env or {})})


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@x",
                               "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@x"})


@pytest.fixture
def project(tmp_path):
    """A git checkout of the project (code, theme, demo content) in a temporary folder."""
    root = copy_project(tmp_path / "portal", content=None)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Nội dung thử")
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    git(root, "remote", "add", "origin", str(bare))
    return root, bare


def test_publish_pushes_a_strict_build_to_gh_pages(project):
    root, bare = project
    result = invoke(root, "publish", "--cname", "nguyentrai-nd.edu.vn")
    assert result.returncode == 0, result.stdout + result.stderr
    files = git(bare, "ls-tree", "-r", "--name-only", "gh-pages").stdout.split()
    assert ".nojekyll" in files and "CNAME" in files and "index.html" in files
    assert "tin-tuc/index.html" in files
    message = git(bare, "log", "-1", "--format=%s", "gh-pages").stdout
    source = git(root, "rev-parse", "--short", "HEAD").stdout.strip()
    assert source in message
    assert git(bare, "show", "gh-pages:CNAME").stdout.strip() == "nguyentrai-nd.edu.vn"
    home = git(bare, "show", "gh-pages:index.html").stdout
    assert 'href="https://nguyentrai-nd.edu.vn/tin-tuc/"' in home  # absolute URLs when publishing


def test_publish_keeps_one_commit_and_a_warning_leaves_gh_pages_unchanged(project):
    """gh-pages holds the site as last published, in one commit (no history of every publish);
    a problem that is only a warning stops the strict publishing build, and the branch stays."""
    root, bare = project
    for _ in range(2):  # without a push (CI pushes in a step of its own) nor origin/gh-pages
        assert invoke(root, "publish", "--no-push").returncode == 0
    assert git(root, "rev-list", "--count", "gh-pages").stdout.strip() == "1"
    assert "gh-pages" not in git(bare, "branch", "--list").stdout
    assert invoke(root, "publish").returncode == 0
    news = root / "content" / "tin-tuc" / "2023" / "bai-moi.md"
    news.write_text(post("Bài mới đăng", "2023-05-02 08:00"), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Bài mới")
    second = invoke(root, "publish")
    assert second.returncode == 0, second.stdout + second.stderr
    assert git(bare, "rev-list", "--count", "gh-pages").stdout.strip() == "1"
    source = git(root, "rev-parse", "--short", "HEAD").stdout.strip()
    assert source in git(bare, "log", "-1", "--format=%s", "gh-pages").stdout
    files = git(bare, "ls-tree", "-r", "--name-only", "gh-pages").stdout.split()
    assert "tin-tuc/bai-moi-dang/index.html" in files
    published = git(bare, "rev-parse", "gh-pages").stdout.strip()

    vague = root / "content" / "tin-tuc" / "2023" / "lien-ket-mo-ho.md"
    vague.write_text(post("Bài có liên kết mơ hồ", "2023-05-03 08:00",
                          body="Lịch thi xem [tại đây](/lien-he/)."), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Bài có cảnh báo")
    warned = invoke(root, "publish")
    text = warned.stdout + warned.stderr
    assert warned.returncode != 0, text
    assert "CẢNH BÁO" in text and "lien-ket-mo-ho.md" in text and "Traceback" not in text
    assert "Tổng cộng: 0 lỗi" in text  # a warning only
    assert git(bare, "rev-parse", "gh-pages").stdout.strip() == published


def test_failed_build_publishes_nothing(project):
    root, bare = project
    bad = root / "content" / "tin-tuc" / "2023" / "loi-ngay.md"
    bad.write_text(post("Bài có ngày sai", "05/09/2023"), encoding="utf-8")
    result = invoke(root, "publish")
    assert result.returncode != 0
    assert "2023-09-05" in result.stdout + result.stderr
    branches = subprocess.run(["git", "branch", "--list"], cwd=bare, capture_output=True,
                              text=True).stdout
    assert "gh-pages" not in branches


def test_build_and_check_fail_on_bad_content_and_pass_on_the_demo(project):
    root, _ = project
    assert invoke(root, "check").returncode == 0
    bad = root / "content" / "tin-tuc" / "2023" / "thieu-tieu-de.md"
    bad.write_text(post(None, "2023-10-10"), encoding="utf-8")
    checked = invoke(root, "check")
    assert checked.returncode != 0 and "thieu-tieu-de.md" in checked.stdout + checked.stderr
    assert not (root / "output").exists()  # check writes nothing
    built = invoke(root, "build")
    assert built.returncode != 0 and "thieu-tieu-de.md" in built.stdout + built.stderr
