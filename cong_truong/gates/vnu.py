"""HTML gate of `invoke check-site`: the Nu HTML checker (npm vnu-jar, pinned in
package.json) over every page of the output, in one Java run (a JVM start costs
seconds, so the pages are never checked one by one)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from urllib.parse import unquote, urlsplit

from .failure import Failure

JAR = os.path.join("node_modules", "vnu-jar", "build", "dist", "vnu.jar")
INSTALL_HINT = "npm ci --ignore-scripts (cài vnu-jar theo package.json)"


def find_jar(project: str) -> str | None:
    path = os.path.join(project, JAR)
    return path if os.path.isfile(path) else None


def missing_tool(project: str) -> str | None:
    """Why the checker cannot run here (None when it can)."""
    if not shutil.which("java"):
        return "Không có Java (java) trên máy: cài default-jre-headless."
    if not find_jar(project):
        return f"Chưa cài trình kiểm tra HTML ({JAR}): chạy {INSTALL_HINT}."
    return None


def page_of(url: str, output: str) -> str:
    path = unquote(urlsplit(url).path) if url.startswith("file:") else url
    try:
        return os.path.relpath(path, os.path.abspath(output)).replace(os.sep, "/")
    except ValueError:
        return path


def parse_report(text: str, output: str) -> list[Failure]:
    """Failures from vnu's --format json report (errors only)."""
    data = json.loads(text) if text.strip() else {"messages": []}
    failures = []
    for message in data.get("messages", []):
        if message.get("type") not in ("error", "non-document-error"):
            continue
        element = re.sub(r"\s+", " ", message.get("extract") or "").strip()[:160]
        failures.append(Failure("html", page_of(message.get("url", ""), output),
                                "html-" + ("error" if message["type"] == "error" else "io"),
                                element, message.get("message", ""),
                                message.get("lastLine") or message.get("firstLine")))
    return failures


def check_html(output: str, project: str, java: str = "java") -> list[Failure]:
    """Run vnu over the whole output folder (HTML files only); errors as failures."""
    jar = find_jar(project)
    command = [java, "-jar", jar, "--skip-non-html", "--errors-only", "--format", "json",
               os.path.abspath(output)]
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8")
    report = done.stderr if done.stderr.strip().startswith("{") else done.stdout
    return parse_report(report, output)
