"""Jinja filters for the theme (registered through JINJA_FILTERS in pelicanconf.py)."""

from __future__ import annotations

import datetime as dt
import html
import re

import smartypants
from typogrify.filters import widont

TAG = re.compile(r"<[^>]+>")


def plain(value) -> str:
    """Text without tags or entities, for <title>, meta descriptions and feeds."""
    text = html.unescape(TAG.sub("", str(value or "")))
    return re.sub(r"\s+", " ", text).strip()


def typo_title(value) -> str:
    """A title for display: escaped, smart quotes, no widowed last word."""
    escaped = html.escape(plain(value), quote=False)
    smartypants.Attr.default = smartypants.Attr.set2
    return widont(smartypants.smartypants(escaped))


def iso_date(value) -> str:
    """2022-09-05 (for <time datetime> and metadata)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, dt.date) else str(value)

