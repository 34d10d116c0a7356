"""tools/editor.py: what `invoke edit` needs and says (the whole task runs in
tests/test_editor_browser.py)."""

import os
import shutil
import socket

import pytest

from conftest import ROOT
from cong_truong.tools import editor


def test_admin_url_names_the_server_port_only_when_it_moved():
    assert editor.admin_url(8000, 8081, 8081) == "http://127.0.0.1:8000/admin/"
    assert editor.admin_url(8001, 8082, 8081) == "http://127.0.0.1:8001/admin/?cong-may-chu=8082"


def test_a_busy_port_moves_to_the_next_free_one():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert editor.free_port(port) != port
    with pytest.raises(editor.EditorError, match="Không tìm được cổng trống"):
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen()
            editor.free_port(busy.getsockname()[1], tries=1)


def test_a_folder_that_is_not_a_git_repository_is_refused_in_vietnamese(tmp_path):
    if not shutil.which("node"):
        pytest.skip("node không có")
    os.makedirs(tmp_path / "node_modules" / "decap-server" / "dist")
    (tmp_path / editor.SERVER).write_text("", "utf-8")
    with pytest.raises(editor.EditorError, match="không phải một kho git"):
        editor.check_ready(str(tmp_path))


def test_without_decap_server_the_message_says_how_to_install_it(tmp_path):
    if not shutil.which("node"):
        pytest.skip("node không có")
    with pytest.raises(editor.EditorError, match="npm ci --ignore-scripts"):
        editor.check_ready(str(tmp_path))


@pytest.mark.skipif(not os.path.isfile(os.path.join(ROOT, editor.SERVER)),
                    reason="decap-server chưa cài")
def test_decap_server_refusing_to_start_is_reported_not_hung(tmp_path):
    # not a git repository: decap-server (git mode) exits at once; we say so and stop waiting
    with pytest.raises(editor.EditorError, match="dừng ngay khi khởi động"):
        editor.start_server(str(tmp_path), editor.free_port(19500),
                            server_js=os.path.join(ROOT, editor.SERVER))
