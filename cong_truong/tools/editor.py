"""`invoke edit`: the web editor (Decap CMS at /admin/) on this computer, in local mode.

decap-server (from node_modules, pinned in package.json) runs with MODE=git, bound to
127.0.0.1: each "Công bố" writes the files into this working copy and makes a git commit
(with the repository's git identity). The preview server (`invoke livereload`) serves the
site and rebuilds it after each change, so the post shows at once; /admin/ itself is never
reloaded under the editor. Ctrl+C (or `kill`) stops both.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request

SERVER = os.path.join("node_modules", "decap-server", "dist", "index.js")
PORT_TRIES = 20


class EditorError(Exception):
    """Why the editor cannot start, in Vietnamese (shown as is)."""


def free_port(start: int, tries: int = PORT_TRIES) -> int:
    """*start* or the next port free on 127.0.0.1."""
    for port in range(start, start + tries):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise EditorError(f"Không tìm được cổng trống từ {start} đến {start + tries - 1} cho "
                      "decap-server: dừng trình soạn thảo đang chạy hoặc chọn cổng khác "
                      "(--server-port 9081).")


def check_ready(project: str) -> None:
    """node, decap-server and a git working copy: what local mode needs."""
    if not shutil.which("node"):
        raise EditorError("Chưa có Node.js (lệnh node): cài Node.js 20 trở lên rồi chạy "
                          "«npm ci --ignore-scripts».")
    if not os.path.isfile(os.path.join(project, SERVER)):
        raise EditorError("Chưa cài decap-server: chạy «npm ci --ignore-scripts» trong thư mục "
                          "dự án (./dev tự làm việc này).")
    inside = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=project,
                            capture_output=True, text=True)
    if inside.stdout.strip() != "true":
        raise EditorError(f"{project} không phải một kho git: trình soạn thảo lưu mỗi bài bằng "
                          "một commit. Hãy làm việc trong bản sao (git clone) của kho.")


def start_server(project: str, port: int, log_path: str | None = None,
                 server_js: str | None = None) -> subprocess.Popen:
    """decap-server on 127.0.0.1:*port* committing into *project*; returns once it answers.
    *server_js*: decap-server's script when not in the project's own node_modules."""
    env = {**os.environ, "MODE": "git", "BIND_HOST": "127.0.0.1", "PORT": str(port),
           "GIT_REPO_DIRECTORY": os.path.abspath(project), "LOG_LEVEL": "warn"}
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL
    process = subprocess.Popen(["node", server_js or os.path.join(project, SERVER)], cwd=project, env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    if log_path:
        log.close()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EditorError(f"decap-server dừng ngay khi khởi động (mã {process.returncode})"
                              + (f"; xem {log_path}." if log_path else "."))
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/v1", data=b'{"action":"info"}',
                headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=1) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise EditorError("decap-server không trả lời sau 20 giây.")


def stop_server(process: subprocess.Popen) -> None:
    """Stop decap-server (its own process group: nothing it started is left behind)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, 15)
    except (ProcessLookupError, PermissionError):
        process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.wait()


def admin_url(preview_port: int, server_port: int, default_server_port: int) -> str:
    """/admin/ on the preview; the server's port in the address when it is not the one
    config.yml names (portal-editor.js reads it)."""
    query = f"?cong-may-chu={server_port}" if server_port != default_server_port else ""
    return f"http://127.0.0.1:{preview_port}/admin/{query}"
