"""portal_editor: the web editor for teachers (Decap CMS) at /admin/.

- ``initialized``: defaults and validation of the settings; ``/admin/`` added to the folders
  robots.txt disallows (``PORTAL_ROBOTS_DISALLOW``, written by portal_metadata).
- ``all_generators_finalized``: the configuration is generated from our declarations
  (``config.py``); a key the editor would write that no metadata.yml declares is an error;
  Decap missing from node_modules is said in one Vietnamese line and /admin/ is skipped (the
  reader site is built, and published, as usual).
- ``finalized``: ``admin/index.html``, ``admin/config.yml``, ``admin/portal-editor.js`` and
  Decap's own files (``decap-cms.js``, its lazy chunks and wasm) copied from node_modules.

Decap is never downloaded here: it comes from the pinned npm package (``npm ci``).
"""

from __future__ import annotations

import dataclasses
import html
import logging
import os
import shutil

import yaml
from pelican import signals
from pelican.log import console

from portal_core import state
from portal_core.problems import ERROR, Problem

from . import config as editor_config
from .uploads import rules_script, upload_rules

PLUGIN = "portal_editor"
log = logging.getLogger(PLUGIN)
HERE = os.path.dirname(os.path.abspath(__file__))
OWN_OUTPUTS = ("admin/",)
ADMIN = "admin"

# Settings of this plugin, with their defaults: the one place where they are defined.
DEFAULTS = {
    "PORTAL_EDITOR": True,  # write /admin/ (False: no web editor)
    "PORTAL_EDITOR_NODE_MODULES": "",  # where npm installed decap-cms ("": the project's)
    # Decap's production backend (README: GitHub with an OAuth proxy, or GitLab with PKCE)
    "PORTAL_EDITOR_BACKEND": {"name": "github", "repo": "", "branch": "main"},
    "PORTAL_EDITOR_LOCAL_PORT": 8081,  # decap-server for `invoke edit` (local mode)
}


@dataclasses.dataclass
class EditorRun:
    """This build's editor: the generated configuration, or why there is none."""
    config: dict | None = None
    rules: dict | None = None
    dist: str = ""


def _dist(settings) -> str:
    modules = (settings.get("PORTAL_EDITOR_NODE_MODULES")
               or os.path.join(state.project_root(settings), "node_modules"))
    return os.path.join(modules, "decap-cms", "dist")


def initialized(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    backend = settings["PORTAL_EDITOR_BACKEND"]
    if not isinstance(backend, dict) or not backend.get("name"):
        state.add(settings, Problem(
            "pelicanconf.py", "PORTAL_EDITOR_BACKEND", repr(backend),
            "Cấu hình máy chủ lưu bài của trình soạn thảo không hợp lệ.",
            "Ví dụ: {'name': 'github', 'repo': 'truong/cong-thong-tin', 'branch': 'main'}.",
            severity=ERROR, plugin=PLUGIN))
        settings["PORTAL_EDITOR_BACKEND"] = dict(DEFAULTS["PORTAL_EDITOR_BACKEND"])
    port = settings["PORTAL_EDITOR_LOCAL_PORT"]
    if not isinstance(port, int) or not 0 < port < 65536:
        state.add(settings, Problem(
            "pelicanconf.py", "PORTAL_EDITOR_LOCAL_PORT", repr(port),
            "Cổng của decap-server không hợp lệ.", "Một số từ 1 đến 65535, ví dụ 8081.",
            severity=ERROR, plugin=PLUGIN))
        settings["PORTAL_EDITOR_LOCAL_PORT"] = DEFAULTS["PORTAL_EDITOR_LOCAL_PORT"]
    if settings["PORTAL_EDITOR"]:
        disallow = list(settings.get("PORTAL_ROBOTS_DISALLOW") or [])
        if "/admin/" not in disallow:
            settings["PORTAL_ROBOTS_DISALLOW"] = disallow + ["/admin/"]


def all_generators_finalized(generators):
    settings = generators[0].settings
    if not settings.get("PORTAL_EDITOR"):
        return
    run = state.current(settings).part(EditorRun)
    dist = _dist(settings)
    if not os.path.isfile(os.path.join(dist, "decap-cms.js")):
        # Not a content problem, and never a reason to hold back the readers' pages (the
        # strict publishing build would stop on a warning): said once, in Vietnamese.
        notice = ("portal_editor: BỎ QUA trang soạn bài /admin/ — chưa cài Decap CMS "
                  f"({dist}). Các trang cho người đọc vẫn được dựng. Cài bằng «npm ci "
                  "--ignore-scripts» (./dev tự làm việc này); trường không dùng trình soạn thảo "
                  "web thì đặt PORTAL_EDITOR = False trong pelicanconf.py.")
        log.info("%s", notice)
        console.print(notice, markup=False, highlight=False)  # shown without -v
        return
    decl = editor_config.declarations(settings, state.today(settings))
    rules = upload_rules(settings, os.path.dirname(os.path.abspath(settings["PATH"])),
                         decl.problems)
    problems = decl.problems + editor_config.check(decl)
    for problem in problems:
        state.add(settings, problem)
    if any(p.severity == ERROR for p in problems):
        return
    run.config = editor_config.build_config(
        decl, settings["PORTAL_EDITOR_BACKEND"], settings["PORTAL_EDITOR_LOCAL_PORT"],
        site_url=settings.get("SITEURL") or "")
    run.rules = rules
    run.dist = dist


def index_html(school: str, rules: dict | None = None) -> str:
    """The admin page: the upload rules, Decap, then our additions (which call CMS.init)."""
    title = html.escape(f"Soạn bài – {school}" if school else "Soạn bài")
    return ("<!doctype html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"robots\" content=\"noindex, nofollow\">\n"
            f"<title>{title}</title>\n"
            "<script>window.CMS_MANUAL_INIT = true;</script>\n</head>\n<body>\n"
            "<noscript>Trang soạn bài cần bật JavaScript.</noscript>\n"
            + (rules_script(rules) if rules else "") +
            "<script src=\"decap-cms.js\"></script>\n"
            "<script src=\"portal-editor.js\"></script>\n</body>\n</html>\n")


def admin_files(dist: str) -> list[str]:
    """Decap's files a browser loads: the bundle, its lazy chunks and wasm (no source maps,
    not the second bundle `cms.js` and its chunks)."""
    return sorted(name for name in os.listdir(dist)
                  if name == "decap-cms.js" or name.endswith((".decap-cms.js", ".wasm")))


def finalized(pelican):
    settings = pelican.settings
    run = state.current(settings).part(EditorRun)
    if not settings.get("PORTAL_EDITOR") or run.config is None:
        return
    target = os.path.join(pelican.output_path, ADMIN)
    os.makedirs(target, exist_ok=True)
    for name in admin_files(run.dist):
        shutil.copyfile(os.path.join(run.dist, name), os.path.join(target, name))
    shutil.copyfile(os.path.join(HERE, "static", "portal-editor.js"),
                    os.path.join(target, "portal-editor.js"))
    school = (settings.get("PORTAL_SCHOOL") or {}).get("name") or settings.get("SITENAME", "")
    with open(os.path.join(target, "index.html"), "w", encoding="utf-8") as handle:
        handle.write(index_html(str(school), run.rules))
    with open(os.path.join(target, "config.yml"), "w", encoding="utf-8") as handle:
        handle.write("# Tạo tự động bởi plugins/portal_editor (không sửa tay): xem README.\n")
        yaml.safe_dump(run.config, handle, allow_unicode=True, sort_keys=False, width=100)


def register():
    signals.initialized.connect(initialized)
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.finalized.connect(finalized)
