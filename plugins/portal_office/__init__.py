"""portal_office: the communications office (Ban Truyền thông) — the school's units and the
posts they write, the incident and feedback registers, press, stories sent to the Sở,
training, and the complete yearly report with its Word file (see README.md in this folder).

register() only connects module-level handlers; the logic is in units.py, registers.py and
report.py (pure), docx_report.py (the Word file), generator.py and writing.py (Pelican).
"""

from __future__ import annotations

from pelican import signals

from .generator import OfficeGenerator
from .report import attach, vn_hours, vn_iso

# Settings of this plugin, with their defaults (URLs are a public contract: README.md).
DEFAULTS = {
    "PORTAL_UNITS_FILE": "units.yml",  # inside content/data/
    "PORTAL_OFFICE_FILE": "truyen-thong.yml",  # channels, deadline rules, report layout
    "PORTAL_PRESS_FILE": "bao-chi.yml",  # press coverage
    "PORTAL_PRESS_CATEGORY": "thong-cao-bao-chi",  # slug of the press-release category
    "PORTAL_PRESS_RULES_SLUG": "quy-che-phat-ngon",  # the published Quy chế phát ngôn (a page)
    "PORTAL_INCIDENTS_PATH": "su-co",  # content/su-co/: one file per incident (not published)
    "PORTAL_FEEDBACK_PATH": "phan-anh",  # content/phan-anh/: one file per feedback item
    "PORTAL_UNITS_PER_PAGE": 12,
    "PORTAL_UNITS_URL": "don-vi/",
    "PORTAL_UNITS_SAVE_AS": "don-vi/index.html",
    "PORTAL_UNIT_URL": "don-vi/{id}/",
    "PORTAL_UNIT_SAVE_AS": "don-vi/{id}/index.html",
    "PORTAL_OFFICIAL_URL": "thong-tin-chinh-thuc/",
    "PORTAL_OFFICIAL_SAVE_AS": "thong-tin-chinh-thuc/index.html",
    "PORTAL_PRESS_URL": "bao-chi/",
    "PORTAL_PRESS_SAVE_AS": "bao-chi/index.html",
}


def initialized(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    paginated = dict(settings.get("PAGINATED_TEMPLATES") or {})
    paginated.setdefault("unit", settings["PORTAL_UNITS_PER_PAGE"])
    settings["PAGINATED_TEMPLATES"] = paginated
    # the registers are read by this plugin, not by Pelican: portal_core must not report
    # their files as dropped
    ignore = list(settings.get("PORTAL_IGNORE_FOLDERS") or [])
    for key in ("PORTAL_INCIDENTS_PATH", "PORTAL_FEEDBACK_PATH"):
        if settings[key] not in ignore:
            ignore.append(settings[key])
    settings["PORTAL_IGNORE_FOLDERS"] = ignore
    filters = {"vn_iso": vn_iso, "vn_hours": vn_hours}
    settings["JINJA_FILTERS"] = {**filters, **(settings.get("JINJA_FILTERS") or {})}


def get_generators(pelican):
    return OfficeGenerator


def all_generators_finalized(generators):
    attach(generators)


def register():
    signals.initialized.connect(initialized)
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(all_generators_finalized)
