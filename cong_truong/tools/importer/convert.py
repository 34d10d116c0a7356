"""The content node → clean Markdown (markdownify), with links and pictures rewritten.

Tables stay Markdown tables when they are plain grids; a table with merged cells (colspan,
rowspan) or a table inside a table is kept as an HTML table with its cells' text only (the
portal's sanitizer then checks it like any post). Headings are shifted so the first level is
`##` (the title is the page's only `<h1>`).
"""

from __future__ import annotations

import copy
import re
import unicodedata
from typing import Callable

from lxml import html as lxml_html
from markdownify import MarkdownConverter

# resolve(url, kind) -> (new url or None to drop the link/picture, a warning or "")
Resolver = Callable[[str, str], tuple]


class _Converter(MarkdownConverter):
    def convert_table(self, el, text, parent_tags):
        if el.get("data-keep-html"):
            return "\n\n" + el.get("data-keep-html") + "\n\n"
        return super().convert_table(el, text, parent_tags)


def _plain_table_html(table) -> str:
    """A merged-cell table as HTML with only the structure (tr/th/td, colspan, rowspan)."""
    rows = []
    for tr in table.iter("tr"):
        cells = []
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            attrs = "".join(f' {a}="{int(cell.get(a))}"' for a in ("colspan", "rowspan")
                            if (cell.get(a) or "").isdigit())
            text = re.sub(r"\s+", " ", cell.text_content()).strip()
            text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            cells.append(f"<{cell.tag}{attrs}>{text}</{cell.tag}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<table>\n" + "\n".join(rows) + "\n</table>"


def _prepare(node, resolve: Resolver, warnings: list) -> object:
    node = copy.deepcopy(node)
    for img in list(node.iter("img")):
        new, warning = resolve(img.get("src") or "", "image")
        if warning:
            warnings.append(warning)
        if new:
            alt = re.sub(r"\s+", " ", img.get("alt") or "").strip()
            img.attrib.clear()
            img.set("src", new)
            img.set("alt", alt)
        else:
            img.drop_tree()
    for link in list(node.iter("a")):
        href = (link.get("href") or "").strip()
        new, warning = resolve(href, "link") if href else (None, "")
        if warning:
            warnings.append(warning)
        if new:
            link.attrib.clear()
            link.set("href", new)
        else:
            link.drop_tag()  # the text stays, the link to nowhere goes
    for table in list(node.iter("table")):
        if any(cell.get("colspan") not in (None, "1") or cell.get("rowspan") not in (None, "1")
               for cell in table.iter("td", "th")) or table.find(".//table") is not None:
            table.set("data-keep-html", _plain_table_html(table))
            for child in list(table):
                table.remove(child)
    levels = [int(h.tag[1]) for h in node.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    shift = 2 - min(levels) if levels else 0
    for heading in list(node.iter("h1", "h2", "h3", "h4", "h5", "h6")):
        heading.tag = f"h{min(6, max(2, int(heading.tag[1]) + shift))}"
    return node


def to_markdown(node, resolve: Resolver, warnings: list) -> str:
    node = _prepare(node, resolve, warnings)
    html = lxml_html.tostring(node, encoding="unicode")
    text = _Converter(heading_style="ATX", bullets="-", table_infer_header=True,
                      strip=["span", "font", "u"], escape_underscores=False,
                      escape_misc=False).convert(html)
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    lines = [line.rstrip() for line in text.splitlines()]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    text = re.sub(r"^(\*\*|__)\s*(\*\*|__)$", "", text, flags=re.M)
    return text + "\n" if text else ""
