"""The upload rules /admin/ applies before a file reaches the repository: the build's own
rules (portal_safety's attachments.yml, portal_images' and portal_safety's size limits, read
from the settings those plugins set), so an editor hears at once what CI would refuse."""

from __future__ import annotations

import json
import os

from portal_core.data import load_yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ATTACHMENTS = os.path.join(os.path.dirname(HERE), "portal_safety", "attachments.yml")
PHOTOS = ("jpg", "jpeg", "png")  # resized by portal_images (its PHOTO_EXTENSIONS)
MIB = 1024 * 1024


def upload_rules(settings: dict, base: str, problems: list) -> dict:
    data, found = load_yaml(ATTACHMENTS, base, plugin="portal_editor")
    problems.extend(found)
    data = data if isinstance(data, dict) else {}
    types = {str(ext).lower(): str((spec or {}).get("label", ext))
             for ext, spec in (data.get("types") or {}).items()}
    return {
        "types": types,
        "macros": {str(k).lower(): str(v) for k, v in (data.get("macro_instead") or {}).items()},
        "photos": [ext for ext in PHOTOS if ext in types],
        "photo_max_bytes": int(settings.get("PORTAL_IMAGES_MAX_UPLOAD_BYTES") or 25 * MIB),
        "max_bytes": int(settings.get("PORTAL_ATTACHMENT_MAX_BYTES") or 95 * MIB),
        "warn_bytes": int(settings.get("PORTAL_ATTACHMENT_WARN_BYTES") or 20 * MIB),
    }


def rules_script(rules: dict) -> str:
    """The rules as a JSON data block for admin/index.html (read by portal-editor.js)."""
    text = json.dumps(rules, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return f'<script type="application/json" id="quy-tac-tai-len">{text}</script>\n'
