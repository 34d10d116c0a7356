"""portal_sections' writing: the pages that come from the catalogue, not from a Markdown file
(section landings no page provides, Văn bản filters, /muc-luc/, /tuan-thu/ and its JSON)."""

from __future__ import annotations

import json
import os

from pelican.generators import Generator

from portal_core import state
from portal_core.public import public_record

from . import law
from . import status as st


def _iso(day):
    return day.isoformat() if day else None


def compliance_json(rows, today, school) -> dict:
    """The open-data form of /tuan-thu/ (field names are a public contract: see README): the
    basis in plain words with its dates, never a confidence tag or a working note."""
    return public_record({
        "school": school.get("name", ""),
        "level": school.get("level") or None,
        "date": today.isoformat(),
        "summary": st.summarize([r["status"] for r in rows]),
        "items": [{
            "id": r["id"], "title": r["title"], "basis": r.get("basis_plain", ""),
            "basis_plain": r.get("basis_plain", ""),
            "basis_detail": law.public(r["basis"]),
            "valid_from": _iso(r.get("valid_from")), "valid_to": _iso(r.get("valid_to")),
            "links": r.get("links") or [], "requirement": r["requirement"],
            "mandatory": r["mandatory"], "status": r["status"], "status_label": r["status_label"],
            "sources": r["sources"],
            "last_update": r["last_update"].isoformat() if r["last_update"] else None,
            "update_rule": r["update"],
            "overdue": r.get("overdue") or [],
        } for r in rows],
    })


class SectionsGenerator(Generator):
    """Writes the pages that come from the catalogue rather than from a Markdown file."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        views = self.context.get("portal_sections")
        if not views:
            return
        written = {getattr(o, "save_as", "") for o in self.context.get("pages") or []}
        written |= {getattr(o, "save_as", "") for o in self.context.get("hidden_pages") or []}
        categories = {getattr(c, "slug", "") for c, _ in self.context.get("categories") or []}
        write = lambda name, template, **kw: writer.write_file(  # noqa: E731
            name, self.get_template(template), self.context,
            relative_urls=self.settings["RELATIVE_URLS"], url=name.replace("index.html", ""),
            **kw)
        for view in views.values():
            if view["has_landing"] and not view["own"] and view["url"] + "index.html" not in written:
                write(view["url"] + "index.html", "section", section=view)
            elif (view["provided_by"] == "category" and view["applicable"]
                  and view["id"] not in categories and view["url"] + "index.html" not in written):
                # a category with no post yet (a new school's Thông báo): the menu and the home
                # page link to it, so it has a landing that says there is nothing yet
                write(view["url"] + "index.html", "section", section=view)
            filters = view.get("filters")
            if filters and view["has_landing"]:
                issuer_links = self.context.get("portal_issuer_links") or {}
                for slug, name, docs in filters["issuers"]:
                    write(f"{view['id']}/co-quan/{slug}/index.html", "document_list",
                          section=view, documents=docs, filter_kind="issuer", filter_label=name,
                          issuer_slug=slug, issuer_link=issuer_links.get(slug))
                listed = {slug for slug, _, _ in filters["issuers"]}
                for slug, link in issuer_links.items():  # a successor with no document yet
                    if slug not in listed:
                        write(f"{view['id']}/co-quan/{slug}/index.html", "document_list",
                              section=view, documents=[], filter_kind="issuer",
                              filter_label=link["name"], issuer_slug=slug, issuer_link=link)
                for year, docs in filters["years"]:
                    write(f"{view['id']}/nam/{year}/index.html", "document_list",
                          section=view, documents=docs, filter_kind="year", filter_label=str(year))
        if "muc-luc/index.html" not in written:
            write("muc-luc/index.html", "section_index")
        if "tuan-thu/index.html" not in written:
            write("tuan-thu/index.html", "compliance")
            path = os.path.join(self.output_path, "tuan-thu", "index.json")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            data = compliance_json(self.context.get("portal_compliance") or [],
                                   state.today(self.settings),
                                   self.settings.get("PORTAL_SCHOOL") or {})
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, indent=1)
                handle.write("\n")
