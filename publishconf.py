"""Publishing build: absolute URLs, strict checks. Used by `invoke build --strict` and CI."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = os.environ.get("PORTAL_SITEURL", "https://nguyentrai-nd.edu.vn")
FEED_DOMAIN = SITEURL
PORTAL_STRICT = True
DELETE_OUTPUT_DIRECTORY = True
