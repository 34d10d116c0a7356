"""Pure helpers of portal_search: the đ-folded search text, the site's path.

Pagefind folds tone and vowel marks when it indexes and searches, but not đ (U+0111 has no
Unicode decomposition): "duoc" would never find "được". Each indexed page therefore carries a
hidden list of its words that contain đ, folded đ → d (``search_text``), and the search page
folds đ → d in the query (theme/static/js/search.js), so a query finds the same pages with or
without đ.
"""

from __future__ import annotations

import html
import re

from portal_core.text import nfc

# Word that opens the hidden đ-folded copy; search.js finds it to map hits back to real text.
FOLD_MARKER = "⁂"

# Inline elements do not separate words ("<b>đ</b>ược" is one word); every other tag does.
INLINE_TAGS = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd",
               "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
               "var", "wbr"}
_INLINE_TAG = re.compile(r"</?(?:%s)\b[^>]*>" % "|".join(sorted(INLINE_TAGS)), re.I)
_TAG = re.compile(r"<[a-zA-Z/][^>]*>|<!--.*?-->", re.S)
# Elements Pagefind leaves out of a page's text; the copy leaves them out too, so that its words
# line up with the real text (search.js maps hits in the copy back by word position).
SKIPPED_TAGS = ("script", "style", "template", "nav", "footer", "form", "noscript", "svg",
                "iframe")
_DROP = re.compile(r"<(%s)\b.*?</\1\s*>" % "|".join(SKIPPED_TAGS), re.S | re.I)
# Elements a template keeps out of the index (no nesting of the same element inside).
_IGNORED = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\sdata-pagefind-ignore\b[^>]*>.*?</\1\s*>",
                      re.S | re.I)


def fold_d(value: str) -> str:
    """Only đ → d and Đ → D (NFC first); everything else is left for Pagefind to fold.

    >>> fold_d("Được đăng ký ĐÀO TẠO")
    'Dược dăng ký DÀO TẠO'
    """
    return nfc(value).replace("đ", "d").replace("Đ", "D")


def html_text(markup: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed, entities decoded."""
    markup = _IGNORED.sub(" ", _DROP.sub(" ", str(markup or "")))
    markup = _INLINE_TAG.sub("", markup)  # inline tags join their text
    text = html.unescape(_TAG.sub(" ", markup))  # every other tag separates words
    return " ".join(text.split())


def search_text(markup) -> str:
    """The hidden đ-folded words of a page's main text, HTML-escaped (a Jinja filter).

    Only the words that contain đ/Đ, folded (đ → d), in their order, each occurrence kept so
    that Pagefind ranks "dang ky" as it ranks "đăng ký": every other word is already found with
    or without marks by Pagefind itself, so copying the whole text again would only double the
    index (time and memory). search.js maps a hit in this list back to the real text.
    """
    from markupsafe import Markup, escape

    words = [fold_d(word) for word in html_text(markup).split() if "đ" in word or "Đ" in word]
    return Markup(f"{FOLD_MARKER} ") + escape(" ".join(words)) if words else Markup("")


def needs_fold_copy(markup) -> bool:
    """Whether the text has any đ/Đ at all (if not, the copy would only double the text)."""
    text = nfc(str(markup or ""))
    return "đ" in text or "Đ" in text


def site_path(siteurl: str) -> str:
    """The path part of SITEURL with slashes around it: "https://a.vn" → "/",
    "https://x.github.io/cong/" → "/cong/"."""
    from urllib.parse import urlsplit

    path = urlsplit(siteurl or "").path.strip("/")
    return f"/{path}/" if path else "/"
