"""The office generator: units on posts, the registers read and checked, the office pages.

``generate_context`` reads and checks (every problem is added there); the complete report,
which needs the posts' plan topics (portal_topics), is computed at ``all_generators_finalized``
(``report.attach``); ``generate_output`` only writes (writing.py).
"""

from __future__ import annotations

import os

from pelican.contents import Page
from pelican.generators import Generator

from portal_core import state
from portal_core.data import load_yaml
from portal_core.dates import parse_iso
from portal_core.problems import ERROR, Problem
from portal_core.reader import source_lines
from portal_core.text import closest, fold, nfc

from . import writing
from .registers import (incident_warnings, feedback_warnings, load_rules, parse_feedback,
                        parse_incident)
from .units import hint_for, load_units, resolve_unit

PLUGIN = "portal_office"


class RegisterEntry(Page):
    """A register file read by the portal's Markdown reader (so the content filters run on
    it). Its type name is not "Page": no other plugin takes it for a page, and it is in no
    generator's list, so Pelican never writes it."""


def topic_resolver(settings: dict):
    """resolve(value) -> (code or None, hint), over every plan's topics (portal_topics'
    PORTAL_PLANS setting, read as data; None when that plugin is off: codes are kept)."""
    plans = settings.get("PORTAL_PLANS") or {}
    known: dict[str, str] = {}
    for plan in plans.values():
        for topic in getattr(plan, "topics", ()):
            known[fold(topic.code)] = topic.code
            known[fold(topic.title)] = topic.code

    exact = {nfc(label).lower(): topic.code for plan in plans.values()
             for topic in getattr(plan, "topics", ()) for label in (topic.code, topic.title)}

    def resolve(value: str):
        if not known:
            return value, ""
        text = " ".join(nfc(value).split())
        # the code or title as written (any case), or written with no diacritics at all;
        # some marks wrong ("chuyen doi sô") is not the title
        code = exact.get(text.lower()) or (known.get(fold(text)) if fold(text) == text.lower()
                                           else None)
        if code:
            return code, ""
        guess = closest(value, {k: v for k, v in known.items()}, limit=3)
        return None, ("Có phải ý bạn là: " + ", ".join(dict.fromkeys(guess)) + "?") if guess \
            else "Dùng mã chủ đề trong content/plans/<năm>.yml."
    return resolve


class OfficeGenerator(Generator):
    """Units, incidents, feedback, press; the complete report's extra files."""

    def _add(self, *problems):
        for problem in problems:
            state.add(self.settings, problem)

    def _data(self, name):
        settings = self.settings
        path = os.path.join(settings["PATH"], settings["PORTAL_DATA_PATH"], name)
        if not os.path.exists(path):
            return None, state.rel(settings, path)
        data, problems = load_yaml(path, os.path.dirname(os.path.abspath(settings["PATH"])),
                                   plugin=PLUGIN)
        self._add(*problems)
        return data, state.rel(settings, path)

    # --- units on posts ---------------------------------------------------------------
    def _assign_units(self, units, default):
        settings, context = self.settings, self.context
        published = list(context.get("articles") or [])
        others = list(context.get("drafts") or []) + list(context.get("hidden_articles") or [])
        for article in published + others:
            raw = article.metadata.get("unit")
            rel = state.rel(settings, article.source_path)
            line = source_lines(article).get("unit")
            unit = resolve_unit(raw, units) if raw not in (None, "") else units.get(default)
            if raw not in (None, "") and unit is None:
                self._add(Problem(rel, "Unit", str(raw), "Đơn vị không có trong danh sách "
                                  "đơn vị (content/data/units.yml).", hint_for(str(raw), units),
                                  line=line, plugin=PLUGIN))
            if unit is not None and not unit.active_on(article.date.date()):
                self._add(Problem(rel, "Unit", str(raw or unit.id), "Ngày đăng bài nằm ngoài "
                                  "thời gian hoạt động của đơn vị.",
                                  f"{unit.name}: từ {unit.valid_from or '…'} đến "
                                  f"{unit.valid_to or '…'} (content/data/units.yml).",
                                  line=line, plugin=PLUGIN))
            article.unit = unit
            if unit is not None and article.status == "published" and article in published:
                unit.posts.append(article)
            sent = article.metadata.get("sent-to-so")
            article.sent_to_so = None
            if sent not in (None, ""):
                try:
                    article.sent_to_so = parse_iso(str(sent)).date()
                    if article.sent_to_so < article.date.date():
                        self._add(Problem(rel, "Sent-to-So", str(sent), "Ngày gửi Sở trước "
                                          "ngày đăng bài.", "Ghi ngày gửi bài về Sở (sau ngày "
                                          "đăng), dạng YYYY-MM-DD.", line=source_lines(article)
                                          .get("sent-to-so"), plugin=PLUGIN))
                except ValueError:
                    self._add(Problem(rel, "Sent-to-So", str(sent), "Ngày gửi Sở không đúng "
                                      "dạng.", "Dạng YYYY-MM-DD, ví dụ 2022-03-15.",
                                      line=source_lines(article).get("sent-to-so"),
                                      plugin=PLUGIN))
        for unit in units.values():
            unit.posts.sort(key=lambda a: a.date, reverse=True)

    # --- registers --------------------------------------------------------------------
    def _register_files(self, folder: str) -> list[str]:
        root = os.path.join(self.path, folder)
        found = []
        for base, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found += [os.path.relpath(os.path.join(base, f), self.path)
                      for f in sorted(files) if f.endswith((".md", ".markdown"))
                      and not f.startswith(".") and f != "README.md"]
        return found

    def _read_register(self, folder: str):
        for path in self._register_files(folder):
            try:
                entry = self.readers.read_file(base_path=self.path, path=path,
                                               content_class=RegisterEntry, context=self.context)
            except Exception as exc:  # noqa: BLE001 — a content problem, never a traceback
                self._add(Problem(state.rel(self.settings, os.path.join(self.path, path)), "",
                                  "", f"Không đọc được tệp ({type(exc).__name__}: {exc}).",
                                  "Kiểm tra phần đầu tệp và định dạng Markdown.",
                                  plugin=PLUGIN))
                continue
            if str(entry.metadata.get("status", "published")) == "draft":
                continue
            lines = source_lines(entry)
            for key in ("personal-data", "consent-by", "not-personal"):
                if entry.metadata.get(key) not in (None, ""):
                    self._add(Problem(
                        state.rel(self.settings, entry.source_path), key.capitalize(),
                        str(entry.metadata[key]), "Sổ sự cố và sổ phản ánh không được chứa dữ "
                        "liệu cá nhân: không dùng khóa này ở đây.",
                        "Xóa dòng này và mọi họ tên, số điện thoại, số định danh; thông tin "
                        "người phản ánh lưu ở hồ sơ của Văn phòng, không ở kho mã nguồn.",
                        line=lines.get(key), plugin=PLUGIN))
            yield entry

    def _check_link(self, item, key: str, url: str, urls: dict):
        if url and url not in urls:
            self._add(Problem(item.file, key, url, "Không có bài viết nào ở đường dẫn này.",
                              "Ghi đường dẫn của một bài đã đăng, ví dụ «/tin-tuc/ten-bai/».",
                              plugin=PLUGIN))

    def generate_context(self):
        settings, context = self.settings, self.context
        today = state.today(settings)
        units_data, units_file = self._data(settings["PORTAL_UNITS_FILE"])
        units, default, problems = load_units(units_data, units_file)
        self._add(*problems)
        self._assign_units(units, default)
        rules_data, rules_file = self._data(settings["PORTAL_OFFICE_FILE"])
        rules, problems = (load_rules(rules_data, rules_file) if rules_data is not None
                           else (None, []))
        self._add(*problems)
        press_data, press_file = self._data(settings["PORTAL_PRESS_FILE"])
        resolve = topic_resolver(settings)
        urls = {a.url: a for a in list(context.get("articles") or [])
                + list(context.get("pages") or [])}
        incidents, feedback = [], []
        if rules is not None:
            for entry in self._read_register(settings["PORTAL_INCIDENTS_PATH"]):
                rel = state.rel(settings, entry.source_path)
                item, problems = parse_incident(entry.metadata, rel, entry.slug,
                                                source_lines(entry), rules, resolve)
                self._add(*problems)
                if item is None:
                    continue
                for key, url in (("First-info-post", item.first_info_post),
                                 ("Correction-post", item.correction_post),
                                 ("Result-post", item.result_post)):
                    self._check_link(item, key, url, urls)
                self._add(*incident_warnings(item, rules, today))
                incidents.append(item)
            for entry in self._read_register(settings["PORTAL_FEEDBACK_PATH"]):
                rel = state.rel(settings, entry.source_path)
                item, problems = parse_feedback(entry.metadata, entry.content, rel, entry.slug,
                                                source_lines(entry), rules, resolve)
                self._add(*problems)
                if item is None:
                    continue
                self._add(*feedback_warnings(item, rules, today))
                feedback.append(item)
        elif self._register_files(settings["PORTAL_INCIDENTS_PATH"]) \
                or self._register_files(settings["PORTAL_FEEDBACK_PATH"]):
            self._add(Problem(rules_file, "", "", "Có sổ sự cố hoặc sổ phản ánh nhưng thiếu "
                              "tệp quy định (kênh, thời hạn).", "Thêm tệp "
                              f"{rules_file} (xem plugins/portal_office/README.md).",
                              severity=ERROR, plugin=PLUGIN))
        incidents.sort(key=lambda i: i.detected, reverse=True)
        feedback.sort(key=lambda f: f.received, reverse=True)
        self.office = writing.public_view(settings, units, default, rules, incidents, feedback,
                                          press_data, press_file, urls, today, self._add)
        self.office["data"] = rules_data if isinstance(rules_data, dict) else {}
        context["portal_office"] = self.office

    def generate_output(self, writer):
        writing.write_all(self, writer)
