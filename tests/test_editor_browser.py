"""The web editor end to end: `invoke edit` on a copy of the repository, Decap driven by the
system Chromium, every request outside 127.0.0.1 aborted and failing the test."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import unicodedata

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.browser

DECAP = os.path.join(ROOT, "node_modules", "decap-cms", "dist", "decap-cms.js")
SERVER = os.path.join(ROOT, "node_modules", "decap-server", "dist", "index.js")
if not (os.path.isfile(DECAP) and os.path.isfile(SERVER) and shutil.which("node")):
    pytest.skip("Decap CMS / decap-server chưa cài (npm ci --ignore-scripts)",
                allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api")

from cong_truong.gates.browser import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from cong_truong.tools.editor import free_port  # noqa: E402

TODAY = "2026-11-29"
PHOTO = "Ảnh Lễ Trao Giải.jpg"
ATTACHMENT = "Danh sách Đội tuyển.pdf"


def git(repo, *args) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    """A git clone-like copy of the project (tracked files, node_modules linked) with
    `invoke edit --no-browser` running in it; stopped with SIGTERM at the end."""
    repo = str(tmp_path_factory.mktemp("kho") / "cong-thong-tin")
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for rel in filter(None, files):
        if os.path.isfile(os.path.join(ROOT, rel)):
            os.makedirs(os.path.dirname(os.path.join(repo, rel)), exist_ok=True)
            shutil.copy2(os.path.join(ROOT, rel), os.path.join(repo, rel))
    os.symlink(os.path.join(ROOT, "node_modules"), os.path.join(repo, "node_modules"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Cô giáo Lan")
    git(repo, "config", "user.email", "lan@example.invalid")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Bản sao để thử trình soạn thảo")
    port, server_port = free_port(18000 + os.getpid() % 1000), free_port(19000 + os.getpid() % 1000)
    env = {**os.environ, "PORTAL_TODAY": TODAY, "PYTHONUNBUFFERED": "1"}
    invoke = os.path.join(os.path.dirname(sys.executable), "invoke")
    process = subprocess.Popen(
        [invoke, "edit", "--no-browser", "--port", str(port), "--server-port", str(server_port)],
        cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)
    lines, url = [], None
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and url is None:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        lines.append(line)
        match = re.search(r"Trình soạn thảo: (http://127\.0\.0\.1:\d+/admin/\S*)", line)
        url = match.group(1) if match else None
    if url is None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("invoke edit không khởi động:\n" + "".join(lines))
    import threading
    threading.Thread(target=lambda: [lines.append(x) for x in process.stdout], daemon=True).start()
    yield {"repo": repo, "url": url, "process": process, "lines": lines,
           "server_port": server_port}
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert "Đã dừng trình soạn thảo" in "".join(lines)
    import socket
    with socket.socket() as probe:  # decap-server stopped with it: its port is free again
        # (SO_REUSEADDR: its closed connections may wait in TIME_WAIT; a listener still
        # makes bind fail)
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", server_port))


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def admin(editor, browser):
    """A logged-in /admin/ page; the test fails if anything left 127.0.0.1."""
    context = browser.new_context(timezone_id="Asia/Ho_Chi_Minh", locale="vi-VN",
                                  viewport={"width": 1280, "height": 900})
    outside = []

    def guard(route):
        url = route.request.url
        if re.match(r"^(https?://127\.0\.0\.1[:/]|blob:|data:)", url):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(editor["url"])
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Bộ sưu tập").first.wait_for()
    yield page
    context.close()
    assert outside == [], f"/admin/ đã gửi yêu cầu ra ngoài 127.0.0.1: {outside}"


def _publish(page):
    page.get_by_role("button", name="Công bố", exact=True).click()
    page.get_by_text("Công bố ngay").click()


def _upload(page, button: str, path: str):
    page.get_by_role("button", name=button).click()
    page.locator("input[type=file]").set_input_files(path)
    page.get_by_role("button", name="Lấy những cái đã chọn").click()


def _front_matter(text: str) -> dict:
    head = text.split("\n\n", 1)[0]
    return dict(line.split(": ", 1) for line in head.splitlines())


def test_a_teacher_writes_a_news_post_with_topics_a_photo_and_an_attachment(editor, admin,
                                                                              tmp_path):
    repo = editor["repo"]
    config = yaml.safe_load(open(os.path.join(repo, "output", "admin", "config.yml"),
                                 encoding="utf-8"))
    news = next(c for c in config["collections"] if c["name"] == "tin-tuc-2026")
    options = next(f for f in news["fields"] if f["name"] == "topics")["options"][:2]
    commits_before = int(git(repo, "rev-list", "--count", "HEAD"))
    page = admin
    page.goto(editor["url"] + "#/collections/tin-tuc-2026/new")
    # an empty form: the Vietnamese errors, nothing saved
    _publish(page)
    page.get_by_text("Bạn còn thiếu vài thông tin bắt buộc").wait_for()
    for label in ("Tiêu đề", "Ngày đăng", "Chủ đề (kế hoạch truyền thông)"):
        page.get_by_text(f"{label} bắt buộc nhập.", exact=True).wait_for()
    assert int(git(repo, "rev-list", "--count", "HEAD")) == commits_before

    from PIL import Image
    photo = tmp_path / unicodedata.normalize("NFD", PHOTO)
    Image.new("RGB", (800, 600), (30, 90, 160)).save(photo, quality=80)
    attachment = tmp_path / ATTACHMENT
    attachment.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    title = unicodedata.normalize("NFD", "Đội tuyển Toán đạt giải Nhất cấp tỉnh")
    page.locator("input[id^=title-field]").fill(title)
    page.locator("input[type=datetime-local]").fill("2026-11-20T07:30")
    topics = page.locator("[id^=topics-field] [class*=-control], [class*=-control]").first
    for option in options:
        topics.click()
        page.keyboard.type(option["label"].split(" (")[0])
        page.keyboard.press("Enter")
    _upload(page, "Chọn một hình", str(photo))
    page.locator("input[id^=cover-alt-field]").fill("Học sinh đội tuyển Toán nhận giải")
    page.get_by_role("button", name="Thêm tệp").click()
    _upload(page, "Chọn một tập tin", str(attachment))
    page.locator("[data-slate-editor=true]").click()
    page.keyboard.type("Đội tuyển Toán của trường đạt giải Nhất kỳ thi học sinh giỏi cấp tỉnh.")
    _publish(page)
    page.get_by_text("Mục đã được lưu").wait_for()

    slug = "doi-tuyen-toan-dat-giai-nhat-cap-tinh"
    source = os.path.join(repo, "content", "tin-tuc", "2026", f"{slug}.md")
    with open(source, encoding="utf-8") as handle:
        text = handle.read()
    assert text == unicodedata.normalize("NFC", text)
    meta = _front_matter(text)
    assert list(meta) == ["Title", "Date", "Category", "Topics", "Cover", "Cover-alt"]
    assert meta["Title"] == unicodedata.normalize("NFC", title)
    assert meta["Date"] == "2026-11-20 07:30"
    assert meta["Category"] == "Tin tức"
    assert meta["Topics"] == ", ".join(o["value"] for o in options)
    assert meta["Cover"] == "/images/2026/anh-le-trao-giai.jpg"
    assert "- [Danh sách Đội tuyển.pdf](/files/2026/danh-sach-doi-tuyen.pdf)" in text
    assert os.path.isfile(os.path.join(repo, "content", "images", "2026", "anh-le-trao-giai.jpg"))
    assert os.path.isfile(os.path.join(repo, "content", "files", "2026",
                                       "danh-sach-doi-tuyen.pdf"))
    # one commit with the post, the photo and the file; nothing left uncommitted
    assert f"“{slug}”" in git(repo, "log", "-1", "--format=%s")
    changed = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(changed) == sorted([f"content/tin-tuc/2026/{slug}.md",
                                      "content/images/2026/anh-le-trao-giai.jpg",
                                      "content/files/2026/danh-sach-doi-tuyen.pdf"])
    assert git(repo, "status", "--porcelain") == ""
    env = {**os.environ, "PORTAL_TODAY": TODAY, "PYTHONPATH": os.path.join(repo, "plugins")}
    check = subprocess.run([sys.executable, "-m", "portal_core.check"], cwd=repo, env=env,
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
    # the preview rebuilt after the commit: the post is on both its topic pages
    deadline = time.monotonic() + 180
    pages = [os.path.join(repo, "output", "chu-de", o["value"], "index.html") for o in options]
    plain = unicodedata.normalize("NFC", title)

    def shown(path):
        from bs4 import BeautifulSoup
        try:
            with open(path, encoding="utf-8") as handle:
                soup = BeautifulSoup(handle.read(), "html.parser")
        except OSError:
            return False
        titles = {a.get_text(" ", strip=True).replace("\xa0", " ") for a in soup.select("main a")}
        return plain in titles

    while time.monotonic() < deadline and not all(shown(p) for p in pages):
        time.sleep(1)
    assert all(shown(p) for p in pages), "".join(editor["lines"])[-3000:]
    assert os.path.isfile(os.path.join(repo, "output", "files", "2026", "danh-sach-doi-tuyen.pdf"))


def test_a_secretary_edits_an_existing_disclosure_document(editor, admin):
    repo = editor["repo"]
    rel = "content/cong-khai/2025-2026/doi-ngu-2025-2026.md"
    with open(os.path.join(repo, rel), encoding="utf-8") as handle:
        before = handle.read()
    page = admin
    page.goto(editor["url"] + "#/collections/cong-khai-2025-2026/entries/doi-ngu-2025-2026")
    title = page.locator("input[id^=title-field]")
    title.wait_for()
    assert title.input_value() == _front_matter(before)["Title"]
    new_title = _front_matter(before)["Title"] + " (cập nhật)"
    title.fill(unicodedata.normalize("NFD", new_title))
    _publish(page)
    page.get_by_text("Mục đã được lưu").wait_for()
    with open(os.path.join(repo, rel), encoding="utf-8") as handle:
        after = handle.read()
    assert after == unicodedata.normalize("NFC", after)
    assert _front_matter(after) == {**_front_matter(before), "Title": new_title}
    assert after.split("\n\n", 1)[1].strip() == before.split("\n\n", 1)[1].strip()
    diff = git(repo, "show", "--format=", "--unified=0", "HEAD", "--", rel)
    assert [l for l in diff.splitlines() if l.startswith(("+", "-"))
            and not l.startswith(("+++", "---"))] == [
        "-Title: " + _front_matter(before)["Title"], "+Title: " + new_title]
