"""Uploaded SVG files: parsed with defusedxml, rebuilt from an allow-list (svg_policy.yml).

Pure functions, no Pelican. An SVG opened from the school's domain runs its scripts on the
school's origin, so an uploaded SVG is never published as uploaded: it is parsed (defusedxml:
no entity declarations, no external entities, so no "billion laughs" and no file reads), every
element and attribute not in the policy is dropped, every reference must stay inside the file
("#id", "url(#id)"), CSS is kept only when it can fetch nothing, and the tree is serialized
again. What was dropped is listed for the editor; a file that cannot be parsed safely is
refused (`SvgResult.error`).

Never regular expressions on markup: the XML parser sees the markup; the checks below look at
single attribute values and CSS texts the parser already decoded (entities, character refs).
"""

from __future__ import annotations

import dataclasses
import os
import xml.etree.ElementTree as ET

import yaml
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
POLICY_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "svg_policy.yml")
ET.register_namespace("xlink", XLINK_NS)  # serialize xlink:href, not ns0:href

# CSS functions and words that fetch or run something (url() is checked separately).
CSS_FORBIDDEN = ("expression(", "javascript:", "vbscript:", "behavior", "-moz-binding",
                 "image(", "image-set(", "src(", "element(", "cross-fade(", "paint(")



@dataclasses.dataclass(frozen=True)
class Policy:
    elements: frozenset
    silent_elements: frozenset
    silent_namespaces: frozenset
    attributes: frozenset
    local_references: frozenset
    unwrap_elements: frozenset = frozenset()
    max_bytes: int = 5_000_000
    max_depth: int = 200


@dataclasses.dataclass
class SvgResult:
    clean: bytes | None  # the bytes to publish; None when the file is refused
    removed: list[str]  # what was dropped, for the editor ("<script>", "onload", …)
    error: str = ""  # why the file is refused (Vietnamese), "" when it is published


def load_policy(path: str = POLICY_FILE) -> Policy:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return Policy(frozenset(data["elements"]), frozenset(data.get("silent_elements") or ()),
                  frozenset(data.get("silent_namespaces") or ()), frozenset(data["attributes"]),
                  frozenset(data.get("local_references") or ()),
                  frozenset(data.get("unwrap_elements") or ()),
                  int(data.get("max_bytes", 5_000_000)), int(data.get("max_depth", 200)))


def split_name(name: str) -> tuple[str, str]:
    """'{ns}local' → (ns, local); 'local' → ('', local)."""
    if name.startswith("{"):
        ns, _, local = name[1:].partition("}")
        return ns, local
    return "", name


def _squash(value: str) -> str:
    """Lower case without whitespace or control characters ("java\tscript:" → "javascript:")."""
    return "".join(c for c in value.lower() if c > " " and c != "\x7f")


def is_local_reference(value: str) -> bool:
    """'#id' (an element of the same file), nothing else."""
    value = value.strip()
    return (len(value) > 1 and value[0] == "#"
            and all(c.isalnum() or c in "-_.:" for c in value[1:]))


def css_problem(text: str) -> str:
    """Why a CSS text (a style attribute or a <style> element) is unsafe; "" if it is safe.

    Safe CSS fetches nothing and runs nothing: no escapes (they hide words), no at-rules
    (@import, @font-face), no url() but url(#id), no script-like functions.
    """
    if "\\" in text:
        return "CSS có ký tự thoát «\\»"
    lower = text.lower()
    while "/*" in lower:  # comments out: "ur/**/l(" must not hide anything from the checks
        start = lower.index("/*")
        end = lower.find("*/", start + 2)
        lower = lower[:start] + " " + ("" if end < 0 else lower[end + 2:])
    if "@" in lower:
        return "CSS có @import/@font-face"
    squashed = _squash(lower)
    for word in CSS_FORBIDDEN:
        if word in squashed:
            return f"CSS có «{word}»"
    rest = squashed
    while "url(" in rest:
        rest = rest[rest.index("url(") + 4:]
        target = rest.split(")", 1)[0].strip("'\"")
        if not is_local_reference(target):
            return "CSS có url() trỏ ra ngoài tệp"
    return ""


def value_problem(value: str) -> str:
    """Why an attribute value is unsafe (a scheme, an outside url()); "" if it is safe."""
    squashed = _squash(value)
    if "url(" in squashed or "\\" in value or "@" in squashed:
        return css_problem(value)
    for scheme in ("javascript:", "vbscript:", "data:"):
        if scheme in squashed:
            return f"giá trị có «{scheme}»"
    return ""


class _Builder(ET.TreeBuilder):
    """A tree builder that remembers every processing instruction (<?xml-stylesheet …?>)."""

    def __init__(self):
        super().__init__(insert_pis=True)
        self.instructions: list[str] = []

    def pi(self, target, text=None):
        self.instructions.append(target)
        return super().pi(target, text)


def _parse(data: bytes):
    builder = _Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=False, forbid_entities=True,
                              forbid_external=True)
    parser.feed(data)
    return parser.close(), builder.instructions


def _label(local: str, ns: str) -> str:
    return f"<{local}>" if ns in ("", SVG_NS) else f"<{local}> ({ns})"


def sanitize_svg(data: bytes, policy: Policy) -> SvgResult:
    """The safe subset of one SVG file, with what was removed; or why it is refused."""
    if len(data) > policy.max_bytes:
        return SvgResult(None, [], f"Tệp SVG quá lớn ({len(data):,} byte, giới hạn "
                         f"{policy.max_bytes:,} byte).".replace(",", "."))
    if data[:2] == b"\x1f\x8b":
        return SvgResult(None, [], "Tệp SVG nén gzip (svgz) không được hỗ trợ.")
    try:
        root, instructions = _parse(data)
    except DefusedXmlException as exc:
        return SvgResult(None, [], "Tệp SVG khai báo thực thể XML (<!ENTITY>) hoặc tham chiếu "
                         f"tệp bên ngoài ({type(exc).__name__}): có thể là tấn công "
                         "«bom XML», không được đăng.")
    except (ET.ParseError, ValueError, RecursionError) as exc:
        return SvgResult(None, [], f"Tệp SVG không đúng cú pháp XML ({exc}).")
    if root is None or not isinstance(root.tag, str) or root.tag != f"{{{SVG_NS}}}svg":
        found = root.tag if root is not None and isinstance(root.tag, str) else "?"
        if found == "svg":
            return SvgResult(None, [], f"Tệp SVG thiếu khai báo xmlns=\"{SVG_NS}\".")
        return SvgResult(None, [], "Tệp không phải SVG: phần tử gốc là «"
                         f"{split_name(found)[1]}», cần <svg xmlns=\"{SVG_NS}\">.")
    removed: list[str] = [f"<?{target}?>" for target in dict.fromkeys(instructions)]

    def note(item: str) -> None:
        if item not in removed:
            removed.append(item)

    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > policy.max_depth:
            return SvgResult(None, removed, f"Tệp SVG lồng nhau quá sâu (hơn "
                             f"{policy.max_depth} cấp).")
        _clean_attributes(element, policy, note)
        if split_name(element.tag)[1] == "style":  # the style sheet: all its text, checked
            css = (element.text or "") + "".join(child.tail or "" for child in element)
            for child in list(element):
                element.remove(child)  # a style sheet holds text only
            problem = css_problem(css)
            if problem:
                note(f"<style> ({problem})")
            element.text = "" if problem else css
        index = 0
        while index < len(element):
            child = element[index]
            if not isinstance(child.tag, str):  # processing instruction (xml-stylesheet…)
                _drop(element, index)  # listed by the parser
                continue
            ns, local = split_name(child.tag)
            if ns == SVG_NS and local in policy.elements:
                stack.append((child, depth + 1))
                index += 1
                continue
            if ns == SVG_NS and local in policy.unwrap_elements:  # <a>: its drawing stays
                target = child.get("href") or child.get(f"{{{XLINK_NS}}}href") or ""
                note(f"<{local}>" + (f" (liên kết «{_short(target)}»)" if target else ""))
                _unwrap(element, index)
                continue
            if not (ns in policy.silent_namespaces or (ns == SVG_NS
                                                        and local in policy.silent_elements)):
                note(_label(local, ns))
            _drop(element, index)
    for element in root.iter():  # every element left is SVG's: one default namespace
        element.tag = split_name(element.tag)[1]
    root.set("xmlns", SVG_NS)
    text = ET.tostring(root, encoding="unicode")
    return SvgResult(('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n").encode(),
                     removed)


def _append_text(parent, index: int, text: str | None) -> None:
    """Add *text* where the child at *index* of *parent* begins (after its previous sibling)."""
    if not text:
        return
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text


def _drop(parent, index: int) -> None:
    """Remove the child at *index* and what it contains, keeping the text that followed it."""
    child = parent[index]
    del parent[index]
    _append_text(parent, index, child.tail)


def _unwrap(parent, index: int) -> None:
    """Replace the child at *index* by its own children (and text)."""
    child = parent[index]
    del parent[index]
    _append_text(parent, index, child.text)
    grandchildren = list(child)
    for offset, grandchild in enumerate(grandchildren):
        parent.insert(index + offset, grandchild)
    _append_text(parent, index + len(grandchildren), child.tail)


def _clean_attributes(element, policy: Policy, note) -> None:
    local_tag = split_name(element.tag)[1]
    for name in list(element.attrib):
        value = element.attrib[name]
        ns, local = split_name(name)
        qualified = {XML_NS: "xml:", XLINK_NS: "xlink:"}.get(ns, "") + local
        if local == "href" and ns in ("", XLINK_NS):
            if local_tag in policy.local_references and is_local_reference(value):
                continue
            del element.attrib[name]
            note(f"{qualified}=«{_short(value)}»")
            continue
        if ns not in ("", XML_NS) or qualified not in policy.attributes:
            del element.attrib[name]
            if ns not in policy.silent_namespaces:
                note(qualified)
            continue
        problem = css_problem(value) if local == "style" else value_problem(value)
        if problem:
            del element.attrib[name]
            note(f"{qualified} ({problem})")


def _short(value: str, limit: int = 40) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[:limit - 1] + "…"
