"""Tasks for editors, developers and CI (invoke). `invoke --list` shows them all."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

from invoke import task

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "output")
PY = sys.executable


def _pelican(c, conf: str, output: str, extra: str = "", fatal: bool = False, **kw):
    fatal_flag = " --fatal warnings" if fatal else ""
    return c.run(f'"{PY}" -m pelican content -s {conf} -o "{output}"{fatal_flag} {extra}',
                 pty=False, **kw)


@task(help={"strict": "Bản xuất bản: publishconf.py, cảnh báo cũng là lỗi (--fatal warnings).",
            "output": "Thư mục đầu ra (mặc định output/)."})
def build(c, strict=False, output=OUTPUT):
    """Dựng toàn bộ cổng thông tin vào output/ (build the whole portal)."""
    conf = "publishconf.py" if strict else "pelicanconf.py"
    with c.cd(HERE):
        _pelican(c, conf, output, fatal=strict)


@task(help={"strict": "Coi cảnh báo là lỗi, như bản xuất bản."})
def check(c, strict=False):
    """Kiểm tra toàn bộ nội dung, không ghi trang; in mọi lỗi (validate content only)."""
    with c.cd(HERE):
        c.run(f'"{PY}" -m portal_core.check {"--strict" if strict else ""}',
              env={"PYTHONPATH": os.path.join(HERE, "plugins")})


@task(help={"port": "Cổng (mặc định 8000).", "build_first": "Dựng trước khi phục vụ."})
def serve(c, port=8000, build_first=True):
    """Dựng rồi phục vụ cổng tại http://127.0.0.1:8000 (serve the built site)."""
    if build_first:
        build(c)
    print(f"Đang phục vụ tại http://127.0.0.1:{port}/ (Ctrl+C để dừng)")
    c.run(f'"{PY}" -m http.server {port} --bind 127.0.0.1 --directory "{OUTPUT}"')


def _sources_stamp() -> dict:
    """Size and modification time of every file a build reads (content, theme, settings)."""
    stamp = {}
    for top in ("content", "theme", "pelicanconf.py"):
        path = os.path.join(HERE, top)
        files = [path] if os.path.isfile(path) else [
            os.path.join(base, name) for base, _, names in os.walk(path) for name in names]
        for name in files:
            try:
                info = os.stat(name)
            except OSError:
                continue
            stamp[name] = (info.st_mtime_ns, info.st_size)
    return stamp


@task(help={"port": "Cổng (mặc định 8000)."})
def livereload(c, port=8000):
    """Xem trước khi soạn: tự dựng lại khi nội dung thay đổi (preview while editing).

    Each build runs in its own process, and after a build, failed or not, the next one waits
    for a change: a mistake in a post is reported once, not rebuilt in a loop (Pelican's own
    --autoreload starts again at once after an error). Changes are found by comparing the
    files' sizes and times with those taken before the build, so a file saved during a build
    is never missed.
    """
    import time

    server = subprocess.Popen([PY, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", OUTPUT], cwd=HERE)
    print(f"Xem trước tại http://127.0.0.1:{port}/ — tự dựng lại khi content/, theme/ hoặc "
          "pelicanconf.py thay đổi (Ctrl+C để dừng)", flush=True)
    try:
        stamp = _sources_stamp()
        while True:
            os.makedirs(OUTPUT, exist_ok=True)
            with c.cd(HERE):
                result = _pelican(c, "pelicanconf.py", OUTPUT, warn=True)
            print("==> Dựng xong." if result.ok else
                  "==> Dựng lỗi: sửa theo báo cáo ở trên, trang sẽ tự dựng lại khi lưu tệp.",
                  flush=True)
            current = _sources_stamp()
            while current == stamp:
                time.sleep(1)
                current = _sources_stamp()
            changed = {path for path in stamp.keys() | current.keys()
                       if stamp.get(path) != current.get(path)}
            names = ", ".join(sorted(os.path.relpath(path, HERE) for path in changed))
            print(f"==> Thay đổi: {names}. Dựng lại…", flush=True)
            stamp = current
    except KeyboardInterrupt:
        pass
    finally:
        server.terminate()
        server.wait()


@task(help={"remote": "Git remote nhận trang (mặc định origin).",
            "branch": "Nhánh trang (mặc định gh-pages).",
            "cname": "Tên miền riêng ghi vào CNAME (tùy chọn).",
            "push": "Đẩy lên remote (mặc định có)."})
def publish(c, remote="origin", branch="gh-pages", cname="", push=True):
    """Dựng bản xuất bản (--strict) rồi đưa lên nhánh gh-pages bằng ghp-import."""
    output = tempfile.mkdtemp(prefix="portal-publish-")
    try:
        build(c, strict=True, output=output)  # raises on failure: nothing is published
        if cname:
            with open(os.path.join(output, "CNAME"), "w", encoding="utf-8") as handle:
                handle.write(cname.strip() + "\n")
        source = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE,
                                capture_output=True, text=True).stdout.strip() or "unknown"
        message = f"Xuất bản cổng thông tin từ {source} (publish from commit {source})"
        flags = "-n -f" + (" -p" if push else "")
        with c.cd(HERE):
            c.run(f'"{PY}" -m ghp_import {flags} -m "{message}" -b {branch} -r {remote} "{output}"')
    finally:
        shutil.rmtree(output, ignore_errors=True)


@task
def clean(c):
    """Xóa output/ và cache/ (bộ nhớ đệm nội dung và ảnh; lần dựng sau sẽ chậm hơn)."""
    shutil.rmtree(OUTPUT, ignore_errors=True)
    shutil.rmtree(os.path.join(HERE, "cache"), ignore_errors=True)


@task(help={"k": "Chỉ chạy các kiểm thử khớp biểu thức này (pytest -k)."})
def test(c, k=""):
    """Chạy toàn bộ kiểm thử (pytest)."""
    with c.cd(HERE):
        c.run(f'"{PY}" -m pytest -q {"-k " + repr(k) if k else ""}', pty=False)


@task(help={"output": "Thư mục đã dựng cần kiểm tra (mặc định output/).",
            "siteurl": "Địa chỉ trang; mặc định lấy từ link canonical của trang chủ."})
def check_budgets(c, output=OUTPUT, siteurl=""):
    """Kiểm tra ngân sách trang: HTML ≤ 50 KB, CSS ≤ 20 KB, JS chỉ ở /tim-kiem/, ảnh, máy chủ ngoài."""
    flag = f' --siteurl "{siteurl}"' if siteurl else ""
    with c.cd(HERE):
        c.run(f'"{PY}" -m gates.budgets "{output}"{flag}', pty=False)


@task(help={"output": "Thư mục đã dựng cần kiểm tra (mặc định output/).",
            "skip": "Bỏ qua cổng, cách nhau bởi dấu phẩy: links,html,budgets,a11y.",
            "all_pages": "Kiểm tra tiếp cận mọi trang (mặc định: một trang mỗi loại)."})
def check_site(c, output=OUTPUT, skip="", all_pages=False):
    """Kiểm tra trang đã dựng: liên kết, HTML hợp lệ (vnu), ngân sách trang, tiếp cận WCAG 2.1 AA."""
    flags = (f' --skip "{skip}"' if skip else "") + (" --all-pages" if all_pages else "")
    with c.cd(HERE):
        c.run(f'"{PY}" -m gates --output "{output}"{flags}', pty=False)
