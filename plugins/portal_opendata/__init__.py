"""portal_opendata: the open-data contract of a portal (/du-lieu-mo.json), validated at build.

Every open-data file the portal publishes (công khai, tuân thủ, hoạt động, báo cáo truyền thông)
is listed in one manifest, /du-lieu-mo.json, with its kind, URL, schema version, size and
SHA-256; each has a versioned JSON Schema shipped in this package (schemas/). Each plugin
declares the open-data files it writes (``portal_core.state.open_data``); this plugin never
imports another. The build validates what it is about to write (``all_generators_finalized``: a file that breaks the
contract is an error naming the file, the field and the value, and nothing is published) and
what it wrote (``generate_output``, the last generator). The score of the school's province
sheet (scoring/) is printed by ``cong-truong check`` and the build, with what is missing.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os

from pelican import signals
from pelican.generators import Generator
from pelican.log import console

from portal_core import package_version, state
from portal_core.problems import WARNING, Problem

from . import collect, contract, scoring

PLUGIN = "portal_opendata"
log = logging.getLogger(PLUGIN)
DEFAULTS = {
    "PORTAL_OPENDATA_MANIFEST": "du-lieu-mo.json",  # the manifest, at the site's root
    "PORTAL_OPENDATA_ACTIVITY": "du-lieu-mo/hoat-dong.json",  # posts, incidents, feedback
    # the province's scoring sheet: "" = the shipped sheet of the school's province
    # (school.yml province), a shipped id (ho-chi-minh), a path in the project, or "none"
    "PORTAL_OPENDATA_SCORING": "",
}
OWN_OUTPUTS = ("du-lieu-mo.json", "du-lieu-mo/")


@dataclasses.dataclass
class OpenDataRun:
    """This plugin's part of the build state: the payloads checked before writing."""

    payloads: list = dataclasses.field(default_factory=list)  # (kind, url, data, extra)
    score: dict | None = None


def _run(settings) -> OpenDataRun:
    return state.current(settings).part(OpenDataRun)


def initialized(pelican):
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def payloads(context: dict, settings: dict) -> list[tuple[str, str, dict, dict]]:
    """(kind, url, data, extra) of every open-data file of this build: those the other plugins
    declared (``state.open_data``: each made here, from the same value they write) and this
    plugin's own activity file."""
    today = state.today(settings)
    school = settings.get("PORTAL_SCHOOL") or {}
    found = [(f.kind, f.url, f.make(), dict(f.extra))
             for f in state.current(settings).part(state.OpenData).files]
    office = context.get("portal_office") or {}
    articles = list(context.get("articles") or [])
    found.append(("hoat-dong", settings["PORTAL_OPENDATA_ACTIVITY"],
                  collect.activity(articles, office, school, today), {}))
    return found


def contract_problems(kind: str, url: str, data, when: str = "") -> list[Problem]:
    return [Problem(
        f"{url} (dữ liệu mở: {contract.KIND_LABELS.get(kind, kind)})", field, value,
        f"Dữ liệu mở không đúng lược đồ «{kind}» phiên bản {contract.current(kind)}{when}: "
        + message,
        f"Lược đồ: portal_opendata/schemas/{kind}.v{contract.current(kind)}.json. Sửa nội dung "
        "hoặc dữ liệu đã sinh ra giá trị này; nếu nội dung không sai, báo cho nhóm phát triển.",
        plugin=PLUGIN) for field, value, message in contract.validate(
            kind, contract.current(kind), data)]


def school_facts(found: list, settings: dict) -> scoring.Facts:
    """The facts the school's own score is computed from: what it is about to publish."""
    facts = scoring.Facts(today=state.today(settings), url=settings.get("SITEURL", "") or str(
        (settings.get("PORTAL_SCHOOL") or {}).get("domain") or ""))
    if facts.url and "://" not in facts.url:
        facts.url = "https://" + facts.url
    for kind, url, data, extra in found:
        if kind == "cong-khai":
            facts.disclosure_rows = data.get("rows") or []
            facts.disclosure_documents = (data.get("facts") or {}).get("documents") or []
        elif kind == "tuan-thu":
            facts.sections = data.get("items") or []
        elif kind == "hoat-dong":
            facts.activity = data
        elif kind == "bao-cao-truyen-thong" and not extra.get("period"):
            facts.reports[extra["year"]] = url
    return facts


def score_school(found: list, settings: dict) -> tuple[dict | None, list[Problem]]:
    choice = str(settings.get("PORTAL_OPENDATA_SCORING") or "")
    if choice.lower() == "none":
        return None, []
    school = settings.get("PORTAL_SCHOOL") or {}
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    path = scoring.sheet_for(school.get("province"), choice, base)
    if path is None:
        return None, []
    sheet, errors = scoring.load_sheet(path)
    rel = state.rel(settings, path)
    problems = [Problem(rel, field, value, message, hint, severity=WARNING, plugin=PLUGIN)
                for field, value, message, hint in errors]
    if sheet is None:
        return None, problems
    return scoring.score(sheet, school_facts(found, settings)), problems


def all_generators_finalized(generators):
    settings = generators[0].settings
    context = generators[0].context
    run = _run(settings)
    run.payloads = payloads(context, settings)
    for kind, url, data, _ in run.payloads:
        state.current(settings).add(*contract_problems(kind, url, data))
    run.score, problems = score_school(run.payloads, settings)
    state.current(settings).add(*problems)
    if run.score is not None:
        text = "\n".join(scoring.summary_lines(run.score))
        log.info("%s: %s", PLUGIN, text)
        console.print(text, markup=False, highlight=False, soft_wrap=True)  # without -v


class OpenDataGenerator(Generator):
    """Last generator: writes the activity file, reads back every open-data file written,
    validates it, and writes the manifest with sizes and hashes."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        settings = self.settings
        run = _run(settings)
        if not run.payloads:
            return
        files = []
        for kind, url, data, extra in run.payloads:
            path = os.path.join(self.output_path, *url.split("/"))
            if kind == "hoat-dong":
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as handle:
                    json.dump(data, handle, ensure_ascii=False, indent=1)
                    handle.write("\n")
            try:
                with open(path, "rb") as handle:
                    raw = handle.read()
                written = json.loads(raw.decode("utf-8"))
            except (OSError, ValueError) as error:
                state.add(settings, Problem(url, "", "", f"Tệp dữ liệu mở không được ghi hoặc "
                                            f"không đọc được: {error}", plugin=PLUGIN))
                continue
            state.current(settings).add(*contract_problems(kind, url, written, " (tệp đã ghi)"))
            files.append(collect.entry(kind, url, raw, **extra))
        data = collect.manifest(settings.get("PORTAL_SCHOOL") or {}, settings.get("SITEURL", ""),
                                state.today(settings), package_version(), files)
        name = settings["PORTAL_OPENDATA_MANIFEST"]
        state.current(settings).add(*contract_problems("du-lieu-mo", name, data))
        with open(os.path.join(self.output_path, name), "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
            handle.write("\n")


def get_generators(pelican):
    return OpenDataGenerator


def register():
    signals.initialized.connect(initialized)
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.get_generators.connect(get_generators)
