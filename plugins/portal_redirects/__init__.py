"""portal_redirects: a static redirect page for every old address of an imported post.

The old-URL → post table lives in data files (`content/data/chuyen-huong/*.yml`, written by
`invoke import`): a list of `{from: /old/path, to: tin-tuc/<năm>/<bài>.md}`. Targets are
source files, so a post may change its slug and the redirect follows it.

- ``initialized``: defaults; the data files read and checked (problems, never exceptions).
- ``all_generators_finalized``: each entry resolved to its post or page; a target that no
  longer exists is an error (a stale redirect); a target that is a draft gets no redirect
  yet; an old address that would overwrite a page of the site, or that two entries send to
  different posts, is an error.
- ``finalized``: the pages written (noindex, rel=canonical, meta refresh and a link).
"""

from __future__ import annotations

import dataclasses
import os

from pelican import signals

from portal_core import state
from portal_core.checks import content_objects, declared_claims, setting_claims
from portal_core.data import load_yaml
from portal_core.problems import Problem

from .redirects import PLUGIN, Entry, entries, output_path, page

DEFAULTS = {
    "PORTAL_REDIRECTS_PATH": "data/chuyen-huong",  # inside content/: one or more *.yml
}


@dataclasses.dataclass
class RedirectData:
    entries: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class RedirectRun:
    pages: list = dataclasses.field(default_factory=list)  # [(save_as, object)]


def initialized(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    folder = os.path.join(settings["PATH"], settings["PORTAL_REDIRECTS_PATH"])
    data = state.current(settings).part(RedirectData)
    data.entries = []
    if not os.path.isdir(folder):
        return
    for name in sorted(os.listdir(folder)):
        if name.startswith(".") or not name.endswith((".yml", ".yaml")):
            continue
        path = os.path.join(folder, name)
        loaded, problems = load_yaml(path, os.path.dirname(os.path.abspath(settings["PATH"])),
                                     plugin=PLUGIN)
        found, more = entries(loaded, state.rel(settings, path))
        data.entries += found
        for problem in problems + more:
            state.add(settings, problem)


def _claims(settings) -> tuple[list, dict]:
    """(every claim of Pelican and the plugins, {plugin: its owns_output(settings, path)} for
    the plugins that say precisely which addresses of their folder they write)."""
    from portal_core import plugin_modules

    modules = plugin_modules(settings)
    owners = {key: name for name, module in modules.items()
              for key in (getattr(module, "DEFAULTS", None) or {})}
    declared = {name: list(getattr(module, "OWN_OUTPUTS", None) or ())
                for name, module in modules.items()}
    precise = {name: module.owns_output for name, module in modules.items()
               if callable(getattr(module, "owns_output", None))}
    return setting_claims(settings, owners) + declared_claims(declared), precise


def _claimed(claim, save_as: str, settings, precise: dict) -> bool:
    """A redirect page at *save_as* would be written where *claim* says another writes. A
    folder claim of a plugin that says which of its addresses it uses leaves the others free
    (an old /cong-khai/123.html inside the disclosure plugin's /cong-khai/)."""
    if claim.path == save_as:
        return True
    if not (claim.path.endswith("/") and save_as.startswith(claim.path)):
        return False
    owns = precise.get(claim.owner)
    return owns(settings, save_as) if owns else True


def _problem(entry: Entry, value: str, message: str, hint: str) -> Problem:
    return Problem(entry.file, f"mục {entry.index}", value, message, hint, plugin=PLUGIN)


def resolve(generators):
    settings = generators[0].settings
    data = state.current(settings).part(RedirectData)
    run = state.current(settings).part(RedirectRun)
    run.pages = []
    if not data.entries:
        return
    objects = content_objects(generators)
    by_source = {o.relative_source_path.replace(os.sep, "/"): o for o in objects}
    written = {o.save_as for o in objects if o.status in ("published", "hidden") and o.save_as}
    claims, precise = _claims(settings)
    seen: dict[str, Entry] = {}
    for entry in data.entries:
        target = by_source.get(entry.target)
        save_as = output_path(entry.old)
        if target is None:
            state.add(settings, _problem(
                entry, entry.target, "Chuyển hướng tới bài không còn (chuyển hướng cũ).",
                f"Sửa «to:» thành tệp bài hiện có trong content/, hoặc xóa mục «{entry.old}»."))
            continue
        if entry.old in seen:
            if seen[entry.old].target != entry.target:
                state.add(settings, _problem(
                    entry, entry.old, "Một địa chỉ cũ được chuyển tới hai bài khác nhau.",
                    f"Giữ một mục cho «{entry.old}» (mục kia: {seen[entry.old].file}, "
                    f"mục {seen[entry.old].index})."))
            continue
        seen[entry.old] = entry
        hits = [c for c in claims if _claimed(c, save_as, settings, precise)]
        if save_as in written or hits:
            owner = hits[0].owner if hits else "một bài hoặc trang của cổng"
            state.add(settings, _problem(
                entry, entry.old, f"Địa chỉ cũ trùng với trang của cổng ({owner}).",
                "Xóa mục này: địa chỉ đó đã là một trang của cổng mới."))
            continue
        if getattr(target, "status", "published") == "draft":
            continue  # published later: the redirect appears with it
        run.pages.append((save_as, target))


def write(pelican):
    settings = pelican.settings
    run = state.current(settings).part(RedirectRun)
    if settings.get("PORTAL_CHECK_ONLY"):
        return
    siteurl = (settings.get("SITEURL") or "").rstrip("/")
    for save_as, target in run.pages:
        path = os.path.join(pelican.output_path, *save_as.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(page(f"{siteurl}/{target.url}", str(target.title)))


def register():
    signals.initialized.connect(initialized)
    signals.all_generators_finalized.connect(resolve)
    signals.finalized.connect(write)
