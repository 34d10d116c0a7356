"""Records shared by the steps of an import."""

from __future__ import annotations

import dataclasses
import datetime as dt

# kind → (folder inside content/, category of a post; "" for pages)
KINDS = {"tin-tuc": ("tin-tuc", "Tin tức"), "thong-bao": ("thong-bao", "Thông báo"),
         "van-ban": ("pages/van-ban", ""), "cong-khai": ("cong-khai", "")}
ARTICLE_KINDS = ("tin-tuc", "thong-bao")
KIND_LABELS = {"tin-tuc": "tin tức", "thong-bao": "thông báo", "van-ban": "văn bản",
               "cong-khai": "công khai"}


@dataclasses.dataclass
class Page:
    """One saved page of the old site and what became of it."""

    file: str  # path inside the saved copy
    url: str  # its old address (path)
    urls: list = dataclasses.field(default_factory=list)  # every old address it may have had
    encoding: str = ""
    extracted: object = None  # extract.Extracted
    identity: str = ""
    outcome: str = ""  # đã nhập | bản nháp | trùng | bỏ qua | thiếu bản lưu
    post: "Post | None" = None
    warnings: list = dataclasses.field(default_factory=list)
    legacy: object = None  # legacy_fonts.Converted when its legacy-font text was converted


@dataclasses.dataclass
class Post:
    """One imported article (several saved pages may be the same article)."""

    identity: str
    page: Page  # the page its text comes from
    pages: list  # every saved page of the same article
    kind: str = "tin-tuc"
    title: str = ""
    date: dt.datetime | None = None
    slug: str = ""
    target: str = ""  # tin-tuc/2019/slug.md
    old_paths: list = dataclasses.field(default_factory=list)
    unredirectable: list = dataclasses.field(default_factory=list)
    reasons: list = dataclasses.field(default_factory=list)  # why it is a draft
    warnings: list = dataclasses.field(default_factory=list)
    notes: list = dataclasses.field(default_factory=list)  # facts inferred: to check
    topics: list | None = None
    hits: dict = dataclasses.field(default_factory=dict)  # suggested topic → keywords found
    document: object = None  # documents.DocumentFacts of a văn bản
    disclosure: object = None  # disclosures.DisclosureFacts of a công khai page
    attachments: list = dataclasses.field(default_factory=list)  # files linked from its body
    text: str = ""  # the Markdown file

    @property
    def draft(self) -> bool:
        return bool(self.reasons)

    @property
    def folder(self) -> str:
        """Its folder inside content/: tin-tuc/2019, pages/van-ban, cong-khai/2019-2020."""
        if self.kind == "cong-khai":
            return f"cong-khai/{self.disclosure.school_year}"
        if self.kind == "van-ban":
            return KINDS[self.kind][0]
        return f"{KINDS[self.kind][0]}/{self.date.year}"

    @property
    def url(self) -> str:
        if self.kind == "van-ban":
            return f"/van-ban/{self.slug}/"
        if self.kind == "cong-khai":
            return f"/{self.folder}/{self.slug}/"
        return f"/{KINDS[self.kind][0]}/{self.slug}/"
