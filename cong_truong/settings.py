"""The portal's Pelican settings, shared by every school (the development build).

A school's ``pelicanconf.py`` starts with ``from cong_truong.settings import *`` and adds only
what is its own; its ``publishconf.py`` imports that and sets ``SITEURL`` and ``PORTAL_STRICT``.
Relative paths (``content``, ``output``, ``cache``, ``theme/templates``) are taken from the
folder of the school's settings file. The school's facts (name, address…) are data, in
``content/data/school.yml``, never settings.
"""

import logging
import os

from portal_core import text  # slugs, needed before the plugins load

import cong_truong.theme

SITENAME = ""  # portal_core sets it from content/data/school.yml (name)
SITEURL = ""
PATH = "content"
OUTPUT_PATH = "output"
# The package's theme; a school overrides one template by a file of the same name in its own
# theme/templates/ (searched first; `{% extends "!theme/base.html" %}` reaches the original).
THEME = os.path.dirname(os.path.abspath(cong_truong.theme.__file__))
THEME_TEMPLATES_OVERRIDES = ["theme/templates"]
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
DEFAULT_DATE_FORMAT = "%d/%m/%Y"
READERS = {"rst": None, "htm": None, "html": None}  # Markdown only

# portal_core first (its initialized loads school.yml and site.yml, which the others read);
# the order of the others does not matter, but portal_opendata comes last (it validates and lists
# the open data the others write). portal_engine only makes the build faster.
PLUGINS = ["portal_core", "portal_engine", "portal_disclosure", "portal_safety", "portal_images",
           "portal_topics", "portal_archive", "portal_metadata", "portal_search",
           "pelican.plugins.sitemap", "portal_sections", "portal_redirects", "portal_office",
           "portal_editor", "portal_opendata"]

# Content layout
ARTICLE_PATHS = ["tin-tuc", "thong-bao", "thong-cao-bao-chi"]  # thong-cao-bao-chi: portal_office
PAGE_PATHS = ["pages", "cong-khai"]  # cong-khai: disclosure documents (portal_disclosure)
STATIC_PATHS = ["images", "files", "cong-khai"]  # cong-khai: disclosure attachments
IGNORE_FILES = [".#*", "*~", "README.md"]
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "Tin tức"
WITH_FUTURE_DATES = True  # scheduling is done against PORTAL_TODAY by portal_core
DEFAULT_PAGINATION = 12
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/trang-{number}/", "{base_name}/trang-{number}/index.html"),
)
SUMMARY_MAX_LENGTH = 60

# Clean, readable URLs (a public contract: see README)
SLUG_REGEX_SUBSTITUTIONS = text.SLUG_SUBSTITUTIONS
ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
CATEGORIES_SAVE_AS = ""
TAG_URL = "tu-khoa/{slug}/"
TAG_SAVE_AS = "tu-khoa/{slug}/index.html"
TAGS_URL = "tu-khoa/"
TAGS_SAVE_AS = "tu-khoa/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""  # the archive by school year is written by portal_archive
DRAFT_SAVE_AS = ""  # drafts never appear anywhere in the output
DRAFT_PAGE_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
ARTICLE_LANG_SAVE_AS = ""
PAGE_LANG_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags", "404", "search"]
SEARCH_URL = "tim-kiem/"  # search page (portal_search; results from Pagefind)
SEARCH_SAVE_AS = "tim-kiem/index.html"
# Sitemap (pelican-sitemap): every public page once. Not listed: the 404 page, the search
# tool, and list pages 2, 3… (their content shifts with every post; each post is listed itself).
SITEMAP = {"format": "xml", "exclude": [r"^404\.html$", r"^tim-kiem/", r"(^|/)trang-\d+/$"]}
INDEX_SAVE_AS = "index.html"
# The home page shows the latest few posts only: not paginated (a paginated index wrote N/12
# identical copies of it, each filtering every article: quadratic; see docs/performance.md)
PAGINATED_TEMPLATES = {"tag": None, "category": None}

# Feeds (absolute URLs come with SITEURL in publishconf.py)
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/tat-ca.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
FEED_ALL_RSS = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
TAG_FEED_ATOM = None

# Markdown: re-list what Pelican's default had; heading anchors keep đ as d
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {"slugify": text.toc_slugify, "permalink": False},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html5",
}

# Typography: typogrify runs inside our reader so its result is cached with the content
TYPOGRIFY = False
PORTAL_TYPOGRIFY = True
TYPOGRIFY_OMIT_FILTERS = ["caps"]
TYPOGRIFY_IGNORE_TAGS = ["pre", "code", "kbd", "script", "style"]
TYPOGRIFY_DASHES = "oldschool"

JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": [],
    "auto_reload": False,  # no stat() of every template file at every include (new env per build)
    "cache_size": -1,  # a plain dict of loaded templates, not an LRU with a lock (18,000 includes)
}
# Jinja filters: each plugin adds its own to JINJA_FILTERS at `initialized` (portal_core: vn_date,
# vn_date_long, school_year_label, school_year_id, typo_title, plain, iso_date).

# Portal settings (defaults and validation: each plugin's DEFAULTS)
PORTAL_TODAY = os.environ.get("PORTAL_TODAY", "")
PORTAL_STRICT = False

# Content cache: Markdown, typography and the reader's problems are cached per file. portal_core
# keys the folder on the code and data that shape reading (a sub-folder of CACHE_PATH named by
# their fingerprint), so a change there, or another version of the package, starts afresh.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "sha256"
CACHE_PATH = "cache"
DELETE_OUTPUT_DIRECTORY = True
OUTPUT_RETENTION = [".git"]
RELATIVE_URLS = False

# The development build has no SITEURL, so its feeds carry site-relative links; Pelican's
# warning about it ("Feeds generated without SITEURL…") is not something an editor can act on.
# The publishing build sets SITEURL (publishconf.py), and the warning cannot occur there.
LOG_FILTER = [(logging.WARNING, "Feeds generated without SITEURL or FEED_DOMAIN set properly"
                                " may not be valid")]
