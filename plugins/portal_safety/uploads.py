"""Build glue for uploaded files: only real files of content/, of allowed types, safe to open.

Static files have no reader, so the checks run on Pelican's static generator itself:

- at the start of every run (``get_generators``), content/ and the theme are scanned for
  symbolic links (never followed): each is an ERROR naming the link, and its name is added to
  IGNORE_FILES for this run so no generator walks into it (Pelican follows links when it
  lists files: a link to "/" or to .git/config would be read and published);
- at ``static_generator_finalized`` (the list of files Pelican is about to copy), every static
  file is checked: it must resolve inside content/ (a ``{static}../../x`` link may name any
  file on the machine), be of an allowed type with content that matches its extension, carry
  no macros and stay within the size limits (files.py); an SVG is rebuilt from the allow-list
  (svg.py). A refused file is removed from the list, so it is never copied; a sanitized SVG is
  removed too and its clean bytes are written by `UploadsGenerator.generate_output` under the
  same name. The problems stop the build before anything is written (portal_core reports at
  ``get_writer``); removing the files is the second lock.

Photos under content/<PORTAL_IMAGES_FOLDER>/ (JPEG, PNG) are left to portal_images, which
never publishes the upload and checks their limits itself.
"""

from __future__ import annotations

import glob
import dataclasses
import logging
import os

from portal_core import state
from portal_core.problems import ERROR, WARNING, Problem

from . import files, svg

log = logging.getLogger("portal_safety")
PLUGIN = "portal_safety"
PHOTO_EXTENSIONS = ("jpg", "jpeg", "png")  # under the images folder: portal_images' job
DEFAULTS = {
    "PORTAL_ATTACHMENT_TYPES_FILE": files.TYPES_FILE,  # allowed types (YAML)
    "PORTAL_SVG_POLICY_FILE": svg.POLICY_FILE,  # what an SVG may keep (YAML)
    "PORTAL_ATTACHMENT_WARN_BYTES": 20 * files.MIB,  # a warning above
    "PORTAL_ATTACHMENT_MAX_BYTES": 95 * files.MIB,  # an error above (GitHub Pages: 100 MB)
}


def setup(settings: dict) -> list[Problem]:
    """Apply defaults, load the data files, validate the limits (at ``initialized``)."""
    problems = []
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    for key in ("PORTAL_ATTACHMENT_WARN_BYTES", "PORTAL_ATTACHMENT_MAX_BYTES"):
        value = settings[key]
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            problems.append(Problem(key, key, str(value), "Giới hạn kích thước tệp không hợp lệ.",
                                    "Một số nguyên dương (byte), ví dụ 20971520 (20 MB).",
                                    plugin=PLUGIN))
            settings[key] = DEFAULTS[key]
    if settings["PORTAL_ATTACHMENT_WARN_BYTES"] > settings["PORTAL_ATTACHMENT_MAX_BYTES"]:
        problems.append(Problem("PORTAL_ATTACHMENT_WARN_BYTES", "PORTAL_ATTACHMENT_WARN_BYTES",
                                str(settings["PORTAL_ATTACHMENT_WARN_BYTES"]),
                                "Ngưỡng cảnh báo lớn hơn giới hạn tối đa.",
                                "PORTAL_ATTACHMENT_WARN_BYTES ≤ PORTAL_ATTACHMENT_MAX_BYTES.",
                                plugin=PLUGIN))
    for key, loader, target in (("PORTAL_ATTACHMENT_TYPES_FILE", files.load_types,
                                 "PORTAL_ATTACHMENT_TYPES"),
                                ("PORTAL_SVG_POLICY_FILE", svg.load_policy, "PORTAL_SVG_POLICY")):
        try:
            settings[target] = loader(settings[key])
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            problems.append(Problem(key, key, str(settings[key]),
                                    f"Không đọc được tệp cấu hình ({type(exc).__name__}: {exc}).",
                                    "Sửa hoặc khôi phục tệp YAML của portal_safety.",
                                    plugin=PLUGIN))
            settings[target] = loader()
    return problems


@dataclasses.dataclass
class UploadsRun:
    """This module's part of the build state: the cleaned SVGs to write, by output path."""

    svgs: dict = dataclasses.field(default_factory=dict)


def _uploads(settings: dict) -> UploadsRun:
    return state.current(settings).part(UploadsRun)


def _limits(settings: dict) -> files.Limits:
    return files.Limits(int(settings.get("PORTAL_ATTACHMENT_WARN_BYTES") or 20 * files.MIB),
                        int(settings.get("PORTAL_ATTACHMENT_MAX_BYTES") or 95 * files.MIB))


def _types(settings: dict) -> files.Types:
    return settings.get("PORTAL_ATTACHMENT_TYPES") or files.load_types()


def _policy(settings: dict) -> svg.Policy:
    return settings.get("PORTAL_SVG_POLICY") or svg.load_policy()


def guard_links(settings: dict, theme: str) -> list[str]:
    """Report every symbolic link under content/ and the theme; return their names."""
    names = []
    roots = [(settings["PATH"], "content/"), (theme, "theme/")]
    for root, label in roots:
        for path, target, inside in files.symlinks(root):
            names.append(os.path.basename(path))
            where = "trỏ ra ngoài thư mục " + label if not inside else "trỏ tới " + \
                os.path.relpath(os.path.realpath(path), os.path.realpath(root)) + " trong " + label
            state.add(settings, Problem(
                state.rel(settings, path), "", target,
                f"Liên kết tượng trưng (symlink) {where}: chỉ tệp thật trong kho mới được đăng; "
                "tệp này không được đọc, không được xuất bản.",
                "Xóa liên kết; nếu cần đăng tệp, chép chính tệp đó vào thư mục content/.",
                severity=ERROR, plugin=PLUGIN))
    return names


def get_generators(pelican):
    """Start of every run: no generator may follow a symlink. Returns the SVG writer."""
    settings = pelican.settings
    _uploads(settings).svgs = {}
    base = settings.setdefault("PORTAL_IGNORE_FILES_BASE", list(settings.get("IGNORE_FILES")
                                                                 or []))
    try:
        names = guard_links(settings, getattr(pelican, "theme", settings.get("THEME", "")))
    except OSError as exc:
        names = []
        state.add(settings, Problem(state.rel(settings, settings["PATH"]), "", "",
                                    f"Không kiểm tra được liên kết trong content/ ({exc}).",
                                    "Báo cho người phụ trách kỹ thuật.", plugin=PLUGIN))
    settings["IGNORE_FILES"] = base + sorted({glob.escape(n) for n in names})
    return UploadsGenerator


def _inside(path: str, root: str) -> bool:
    return os.path.commonpath([root, path]) == root


def static_generator_finalized(generator) -> None:
    """Check every file Pelican is about to copy; keep only the safe ones."""
    settings = generator.settings
    try:
        keep = check_static_files(generator.staticfiles, generator.path, settings)
    except Exception as exc:  # never let the static generator crash: refuse everything
        log.debug("portal_safety: static files check failed", exc_info=True)
        state.add(settings, Problem(state.rel(settings, generator.path), "", "",
                                    f"Không kiểm tra được các tệp đính kèm ({type(exc).__name__}"
                                    f": {exc}).", "Báo cho người phụ trách kỹ thuật.",
                                    plugin=PLUGIN))
        keep = []
    generator.staticfiles[:] = keep
    if generator.context.get("staticfiles") is not generator.staticfiles:
        generator.context["staticfiles"] = keep


def check_static_files(staticfiles, content_path: str, settings: dict) -> list:
    """The static files that may be copied as they are; problems for the others."""
    root = os.path.abspath(content_path)
    real_root = os.path.realpath(content_path)
    images = str(settings.get("PORTAL_IMAGES_FOLDER") or "images").strip("/") + "/"
    types, limits, policy = _types(settings), _limits(settings), _policy(settings)
    svgs = _uploads(settings).svgs
    keep = []
    for static in staticfiles:
        source = os.path.abspath(static.source_path)
        rel = state.rel(settings, source)

        def add(message, hint, value="", severity=ERROR, rel=rel):
            state.add(settings, Problem(rel, "", value, message, hint, severity=severity,
                                        plugin=PLUGIN))

        if not _inside(source, root) or not _inside(os.path.realpath(source), real_root):
            add("Tệp được liên kết nằm ngoài thư mục content/: không được xuất bản.",
                "Chỉ liên kết tới tệp trong content/ (ví dụ {static}/files/x.pdf); chép tệp "
                "vào content/files/ nếu cần đăng.", source if _inside(source, root) else "")
            continue
        inner = os.path.relpath(source, root)
        if os.path.realpath(source) != os.path.join(real_root, inner):
            continue  # reached through a symlink: reported by guard_links, never copied
        if not os.path.isfile(source):
            add("Không phải tệp thường (thư mục, thiết bị, ống dẫn): không được xuất bản.",
                "Chỉ đặt tệp bình thường trong content/.")
            continue
        name = inner.replace(os.sep, "/")
        ext = files.extension(name)
        if os.path.basename(name).lower() in types.folder_keepers:
            continue  # .gitkeep: an empty folder kept in git (cong-truong new), never published
        if files.is_hidden_or_system(name, types):
            add("Tệp ẩn hoặc tệp hệ thống: không được xuất bản.",
                "Xóa tệp này khỏi content/ (máy tính tự tạo ra, không cần đăng).",
                severity=WARNING)
            continue
        if name.startswith(images) and ext in PHOTO_EXTENSIONS:
            keep.append(static)  # portal_images processes it and drops the upload
            continue
        if ext == "svgz":
            add("Tệp SVG nén (.svgz) không được hỗ trợ.",
                "Lưu hình dạng .svg thường (không nén) rồi tải lên lại.")
            continue
        findings = files.check_file(source, types, limits)
        for finding in findings:
            add(finding.message, finding.hint, finding.value, finding.severity)
        if any(f.severity == ERROR for f in findings):
            continue
        if ext != "svg":
            keep.append(static)
            continue
        with open(source, "rb") as handle:
            data = handle.read(policy.max_bytes + 1)
        result = svg.sanitize_svg(data, policy)
        if result.clean is None:
            add(result.error, "Xuất lại hình từ chương trình vẽ dạng «SVG thường» (không script,"
                " không nhúng tệp khác) hoặc dùng ảnh PNG.")
            continue
        if result.removed:
            add("Tệp SVG đã được làm sạch trước khi đăng: đã bỏ " + ", ".join(result.removed[:12])
                + (f" và {len(result.removed) - 12} mục khác" if len(result.removed) > 12 else "")
                + ".", "Hình SVG chỉ được chứa hình vẽ tĩnh: không script, không sự kiện (on…), "
                "không liên kết hay tệp bên ngoài. Kiểm tra hình sau khi đăng.",
                severity=WARNING)
        svgs[source] = (static, result.clean)  # save_as read when writing ({attach} moves it)
    return keep


class UploadsGenerator:
    """Writes the sanitized SVGs (the uploads themselves are never copied)."""

    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        self.settings, self.output_path = settings, output_path

    def generate_output(self, writer):
        del writer
        output = os.path.abspath(self.output_path)
        for static, data in _uploads(self.settings).svgs.values():
            target = os.path.abspath(os.path.join(output, static.save_as))
            if not _inside(target, output):
                continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as handle:
                handle.write(data)
