"""Shared fixtures: a tiny-site factory, a fixed "today", and signal isolation."""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import json
import logging
import os
import shutil
import textwrap
import weakref

import blinker
import pytest
from bs4 import BeautifulSoup

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

FIXED_TODAY = "2026-11-29"
SHARE_IMAGE = os.path.join(ROOT, "content", "files", "share.png")  # the demo's, 1200×630


@pytest.fixture(autouse=True)
def isolate_signals():
    """Receivers connected during a test are disconnected afterwards (signals are global)."""
    from pelican import signals

    sigs = [s for s in vars(signals).values() if isinstance(s, blinker.Signal)]
    before = {id(s): set(s.receivers) for s in sigs}
    yield
    for sig in sigs:
        for key in set(sig.receivers) - before[id(sig)]:
            receiver = sig.receivers.get(key)
            target = receiver() if isinstance(receiver, weakref.ref) else receiver
            if target is not None:
                sig.disconnect(target)
            else:
                sig.receivers.pop(key, None)


@dataclasses.dataclass
class Built:
    root: str
    output: str
    error: Exception | None
    problems: list
    log: str

    @property
    def ok(self) -> bool:
        return self.error is None

    def path(self, rel: str) -> str:
        return os.path.join(self.output, rel)

    def exists(self, rel: str) -> bool:
        return os.path.exists(self.path(rel))

    def read(self, rel: str) -> str:
        with open(self.path(rel), encoding="utf-8") as handle:
            return handle.read()

    def soup(self, rel: str) -> BeautifulSoup:
        return BeautifulSoup(self.read(rel), "html.parser")

    def html_files(self) -> list[str]:
        """The readers' HTML pages (the web editor's admin/, a tool, is left out)."""
        found = []
        for base, dirs, files in os.walk(self.output):
            if base == self.output:
                dirs[:] = [d for d in dirs if d != "admin"]
            found += [os.path.relpath(os.path.join(base, f), self.output)
                      for f in files if f.endswith(".html")]
        return sorted(found)

    def messages(self) -> str:
        return "\n".join(p.format() + " " + p.file for p in self.problems)


def post(title="Bài viết thử", date="2022-09-05 07:30", category="Tin tức", body=None,
         **meta) -> str:
    """Markdown source of a post. Keyword arguments become extra front-matter keys."""
    lines = [f"Title: {title}"] if title is not None else []
    if date is not None:
        lines.append(f"Date: {date}")
    if category is not None:
        lines.append(f"Category: {category}")
    meta.setdefault("Topics", "chuyen-doi-so")
    meta.setdefault("Summary", "Tóm tắt ngắn của bài viết.")
    for key, value in meta.items():
        if value is not None:
            lines.append(f"{key.replace('_', '-')}: {value}")
    text = body if body is not None else "Nội dung bài viết bằng tiếng Việt, có dấu đầy đủ."
    return "\n".join(lines) + "\n\n" + textwrap.dedent(text).strip() + "\n"


def page(title="Giới thiệu", slug="gioi-thieu", body="Nội dung trang.", **meta) -> str:
    lines = [f"Title: {title}", f"Slug: {slug}"]
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in meta.items() if v is not None]
    return "\n".join(lines) + "\n\n" + body + "\n"


def make_site(root, files: dict[str, str | bytes], copy_data: bool = True) -> str:
    """Write a content/ folder under *root*: the demo's data files plus *files*."""
    content = os.path.join(root, "content")
    os.makedirs(content, exist_ok=True)
    if copy_data:
        for folder in ("data", "plans"):
            src = os.path.join(ROOT, "content", folder)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(content, folder), dirs_exist_ok=True)
    for rel, text in files.items():
        path = os.path.join(content, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if text is None:
            if os.path.exists(path):
                os.remove(path)
            continue
        mode = "wb" if isinstance(text, bytes) else "w"
        with open(path, mode, **({} if isinstance(text, bytes) else {"encoding": "utf-8"})) as f:
            f.write(text)
    return content


def build(root, files=None, conf="pelicanconf.py", copy_data=True, content=None,
          **overrides) -> Built:
    """Build a site with the project's real settings, theme and plugins into root/output."""
    from pelican import Pelican
    from pelican.settings import read_settings

    root = str(root)
    content = content or make_site(root, files or {}, copy_data=copy_data)
    output = os.path.join(root, "output")
    settings_override = {
        "PATH": content, "OUTPUT_PATH": output, "PORTAL_TODAY": FIXED_TODAY,
        "CACHE_PATH": os.path.join(root, "cache"), "LOAD_CONTENT_CACHE": False,
        # the site lives in a temporary folder without node_modules: the web editor's Decap
        # files come from this repository's
        "PORTAL_EDITOR_NODE_MODULES": os.path.join(ROOT, "node_modules"),
    }
    settings_override.update(overrides)
    settings = read_settings(os.path.join(ROOT, conf), override=settings_override)
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    handler = Collect(logging.INFO)
    logging.getLogger().addHandler(handler)
    error = None
    pelican = None
    try:
        pelican = Pelican(settings)
        pelican.run()
    except Exception as exc:  # the build's failure is what many tests assert on
        error = exc
    finally:
        logging.getLogger().removeHandler(handler)
    from portal_core import state

    run = state.current(pelican.settings if pelican else settings)
    return Built(root, output, error, list(run.problems), "\n".join(records))


def cache_folder(root) -> str:
    """The build's cache folder under root/cache: portal_core names it after the fingerprint of
    the code and data that shape reading (one folder per fingerprint)."""
    base = os.path.join(str(root), "cache")
    folders = [name for name in os.listdir(base) if os.path.isdir(os.path.join(base, name))]
    assert len(folders) == 1, folders
    return os.path.join(base, folders[0])


@pytest.fixture
def site(tmp_path):
    """site(files, **settings) builds a tiny site in a temporary folder."""
    def factory(files=None, **kwargs):
        return build(tmp_path, files, **kwargs)
    return factory


DEMO_CONTENT = os.path.join(ROOT, "content")


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The demo content built once per test session (dev settings, fixed today)."""
    root = tmp_path_factory.mktemp("demo")
    built = build(root, content=DEMO_CONTENT)
    if built.error:
        pytest.fail(f"demo build failed: {built.error}\n{built.messages()}")
    return built


def index_records(output: str, bundle: str = "pagefind") -> list[dict]:
    """The pages in a Pagefind index (its fragments are gzip'd JSON after a signature)."""
    records = []
    folder = os.path.join(output, *bundle.split("/"), "fragment")
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as handle:
            raw = gzip.decompress(handle.read())
        records.append(json.loads(raw[raw.index(b"{"):].decode("utf-8")))
    return records


PROJECT_FILES = ("pelicanconf.py", "publishconf.py", "tasks.py", "cong-truong.yml")


def copy_project(root, content=("data", "plans")) -> str:
    """A copy of the demo school's project in *root* (a folder made here): its settings and
    tasks, everything else from the installed package, as a school has it; for tests that run
    the commands as an editor would. *content*: the folders of content/ to copy (all of it with
    ``content=None``: the demo)."""
    import pathlib

    root = pathlib.Path(root)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    root.mkdir(parents=True)
    for name in PROJECT_FILES:
        shutil.copy(os.path.join(ROOT, name), root / name)
    if content is None:
        shutil.copytree(os.path.join(ROOT, "content"), root / "content", ignore=ignore)
    else:
        for name in content:
            shutil.copytree(os.path.join(ROOT, "content", name), root / "content" / name)
    return root


PLUGIN_MODULES = ("portal_", "pelican.plugins.sitemap")


def _plugin_receivers(signal) -> list:
    found = []
    for receiver in list(signal.receivers.values()):
        target = receiver() if isinstance(receiver, weakref.ref) else receiver
        if target is not None and (getattr(target, "__module__", "") or "").startswith(
                PLUGIN_MODULES):
            found.append(target)
    return found


@contextlib.contextmanager
def fresh_plugins():
    """Pelican's signals are global: receivers connected by an earlier build (a fixture of
    another test, or the previous build here) stay connected. During the block no plugin
    receiver is connected but those the build registers, in PLUGINS order; the earlier ones
    are connected again afterwards."""
    from pelican import signals

    sigs = [s for s in vars(signals).values() if isinstance(s, blinker.Signal)]
    saved = {id(s): _plugin_receivers(s) for s in sigs}
    for sig in sigs:
        for target in saved[id(sig)]:
            sig.disconnect(target)
    try:
        yield
    finally:
        for sig in sigs:
            for target in _plugin_receivers(sig):
                sig.disconnect(target)
            for target in saved[id(sig)]:
                sig.connect(target)
