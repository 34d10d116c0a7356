"""Pure helpers of portal_search: a page's visible text and search tokens, the site's path.

Pagefind indexes only a hidden block of plain-ASCII tokens per page (tokens.py,
partials/search_index.html); the page's visible text is kept as its ``text`` metadata, from
which the search page cuts the excerpts.
"""

from __future__ import annotations

import html
import re

# Inline elements do not separate words ("<b>đ</b>ược" is one word); every other tag does.
INLINE_TAGS = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd",
               "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
               "var", "wbr"}
_INLINE_TAG = re.compile(r"</?(?:%s)\b[^>]*>" % "|".join(sorted(INLINE_TAGS)), re.I)
_TAG = re.compile(r"<[a-zA-Z/][^>]*>|<!--.*?-->", re.S)
# Elements left out of a page's tokens (as Pagefind leaves them out of a page's text); tags
# and the title are added to the tokens on their own.
SKIPPED_TAGS = ("script", "style", "template", "nav", "footer", "form", "noscript", "svg",
                "iframe")
_DROP = re.compile(r"<(%s)\b.*?</\1\s*>" % "|".join(SKIPPED_TAGS), re.S | re.I)
# Elements a template keeps out of the index (no nesting of the same element inside).
_IGNORED = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\sdata-pagefind-ignore\b[^>]*>.*?</\1\s*>",
                      re.S | re.I)


def html_text(markup: str, block: str = " ") -> str:
    """Visible text of an HTML fragment, whitespace collapsed, entities decoded; *block*
    stands for every tag but inline ones (" | " keeps words of two blocks from pairing)."""
    markup = _IGNORED.sub(" ", _DROP.sub(" ", str(markup or "")))
    markup = _INLINE_TAG.sub("", markup)  # inline tags join their text
    text = html.unescape(_TAG.sub(block, markup))  # every other tag separates words
    return " ".join(text.split())


def search_tokens(value, html: bool = False, subject: bool = False) -> str:
    """The search tokens of a text (``html=True``: of an HTML fragment's visible text), each
    once, in order, separated by spaces (a Jinja filter; plain ASCII, nothing to escape);
    ``subject=True``: as subject tokens (tokens.SUBJECT before each)."""
    from .tokens import SUBJECT, tokens

    text = html_text(value, " | ") if html else str(value or "")
    found = dict.fromkeys(tokens(text))
    return " ".join((SUBJECT + t) if subject else t for t in found)


def site_path(siteurl: str) -> str:
    """The path part of SITEURL with slashes around it: "https://a.vn" → "/",
    "https://x.github.io/cong/" → "/cong/"."""
    from urllib.parse import urlsplit

    path = urlsplit(siteurl or "").path.strip("/")
    return f"/{path}/" if path else "/"
