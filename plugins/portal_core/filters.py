"""Jinja filters for the theme (added to JINJA_FILTERS by portal_core at initialized)."""

from __future__ import annotations

import datetime as dt
import functools
import html
import re

import smartypants
from jinja2 import pass_context
from typogrify.filters import widont

from .school_facts import facts_on, item_day

TAG = re.compile(r"</?[A-Za-z][^>]*>")  # real tags only: a title may say "điểm < 5"


@functools.lru_cache(maxsize=65536)
def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(TAG.sub("", text))).strip()


def plain(value) -> str:
    """Text without tags or entities, for <title>, meta descriptions and feeds."""
    return _plain(str(value or ""))


def typo_title(value) -> str:
    """A title for display: escaped, smart quotes, no widowed last word."""
    return _typo_title(str(value or ""))


@functools.lru_cache(maxsize=65536)  # a title is shown on many list pages of one build
def _typo_title(value: str) -> str:
    escaped = html.escape(plain(value), quote=False)
    smartypants.Attr.default = smartypants.Attr.set2
    return widont(smartypants.smartypants(escaped))


def iso_date(value) -> str:
    """2022-09-05 (for <time datetime> and metadata)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, dt.date) else str(value)


@pass_context
def school_facts(context, item) -> dict:
    """The school's facts in force on a post's or document's own date (school_facts.py);
    today's facts (`PORTAL_SCHOOL`) for everything else. When they differ from today's, the
    result also says since when they no longer hold: `facts_as_of` (the item's date)."""
    current = context.get("PORTAL_SCHOOL") or {}
    dated = context.get("PORTAL_SCHOOL_DATED") or current
    day = item_day(item)
    if day is None:
        return current
    facts = facts_on(dated, day)
    if facts == current:
        return current
    return {**facts, "facts_as_of": day}
