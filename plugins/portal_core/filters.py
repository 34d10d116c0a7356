"""Jinja filters for the theme (added to JINJA_FILTERS by portal_core at initialized)."""

from __future__ import annotations

import datetime as dt
import functools
import html
import re

import smartypants
from typogrify.filters import widont

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
