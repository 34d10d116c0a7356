"""portal_topics: posts tagged by the communications plan's topics; topic pages, feeds and
the yearly coverage report for the Sở (see README.md in this folder).

register() only connects module-level handlers; the logic is in plans.py, matching.py and
report.py (pure), and generator.py (the Pelican generator that writes the pages).
"""

from __future__ import annotations

import os

from pelican import signals

from portal_core import state
from portal_core.data import load_yaml

from .generator import TopicsGenerator
from .plans import load_plans

HERE = os.path.dirname(os.path.abspath(__file__))

# Settings of this plugin, with their defaults (URLs are a public contract: see the URL table
# in README.md).
DEFAULTS = {
    "PORTAL_PLANS_PATH": "plans",  # inside content/
    "PORTAL_TOPICS_PER_PAGE": 12,
    "PORTAL_TOPICS_STALE_DAYS": 60,  # the report flags topics without a post for this long
    "PORTAL_TOPICS_URL": "chu-de/",
    "PORTAL_TOPICS_SAVE_AS": "chu-de/index.html",
    "PORTAL_TOPIC_URL": "chu-de/{code}/",
    "PORTAL_TOPIC_SAVE_AS": "chu-de/{code}/index.html",
    "PORTAL_TOPIC_FEED": "feeds/chu-de/{code}.atom.xml",
    "PORTAL_REPORTS_URL": "bao-cao/truyen-thong/",
    "PORTAL_REPORTS_SAVE_AS": "bao-cao/truyen-thong/index.html",
    "PORTAL_REPORT_URL": "bao-cao/truyen-thong/{year}/",
}


def load_groups() -> dict[str, str]:
    """The plan's two groups of topics (catalogue beside this file)."""
    data, _ = load_yaml(os.path.join(HERE, "groups.yml"), HERE, plugin="portal_topics")
    return {str(k): str(v) for k, v in (data or {}).items()}


def initialized(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    paginated = dict(settings.get("PAGINATED_TEMPLATES") or {})
    paginated.setdefault("topic", settings["PORTAL_TOPICS_PER_PAGE"])
    settings["PAGINATED_TEMPLATES"] = paginated
    groups = load_groups()
    folder = os.path.join(settings["PATH"], settings["PORTAL_PLANS_PATH"])
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    plans, problems = load_plans(folder, base, groups)
    for problem in problems:
        state.add(settings, problem)
    settings["PORTAL_PLANS"] = plans
    settings["PORTAL_TOPIC_GROUPS"] = groups
    settings["PORTAL_PLANS_PATH_REL"] = state.rel(settings, folder)


def get_generators(pelican):
    return TopicsGenerator


def register():
    signals.initialized.connect(initialized)
    signals.get_generators.connect(get_generators)
