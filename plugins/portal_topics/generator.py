"""The topics generator: validates posts' topics, then writes topic pages, feeds and reports.

Runs after Pelican's article and page generators (it is returned by ``get_generators``), so
``context`` already holds every article, draft and hidden article. All problems are added in
``generate_context``; ``generate_output`` only writes.
"""

from __future__ import annotations

import json
import math
import os
import re

from pelican.generators import Generator

from portal_core import state
from portal_core.problems import ERROR, WARNING, Problem
from portal_core.reader import PROBLEMS_KEY, source_lines

from .matching import TopicMatcher, label, resolve
from .plans import current_plan, latest_topics, plan_for_year
from .report import PostRecord, coverage, to_csv, to_json

PLUGIN = "portal_topics"
YEAR = re.compile(r"^\d{4}$")


class TopicView:
    """A topic as the templates see it: its newest definition, URLs and published posts."""

    def __init__(self, topic, plan_year: int, settings: dict):
        self.code = topic.code
        self.title = topic.title
        self.group = topic.group
        self.description = topic.description
        self.plan_year = plan_year  # the newest plan that defines this code
        self.url = settings["PORTAL_TOPIC_URL"].format(code=topic.code)
        self.save_as = settings["PORTAL_TOPIC_SAVE_AS"].format(code=topic.code)
        self.feed = settings["PORTAL_TOPIC_FEED"].format(code=topic.code)
        self.posts: list = []  # published posts, newest first

    @property
    def count(self) -> int:
        return len(self.posts)

    def __str__(self):
        return self.title


def _line(article, key: str) -> int | None:
    """Line of a front-matter key (kept by the reader in the cached metadata)."""
    return source_lines(article).get(key)


class TopicsGenerator(Generator):
    """Topic index, topic pages (paginated) and feeds, and the coverage reports."""

    def _problem(self, article, field, value, message, hint, severity=ERROR):
        state.add(self.settings, Problem(
            state.rel(self.settings, article.source_path), field, str(value), message, hint,
            line=_line(article, field.lower()), severity=severity, plugin=PLUGIN))

    # --- reading: assign and validate -------------------------------------------------
    def _plan_of(self, article, plans, missing: dict):
        """The plan a post belongs to: its Plan: year, else the year of its date.

        A post whose date is missing or malformed (already reported by the reader) is checked
        against the current plan: its placeholder date must not make a plan year of its own.
        """
        raw = article.metadata.get("plan")
        year = article.date.year
        if raw in (None, "") and _date_reported(article):
            return current_plan(plans, state.today(self.settings))
        if raw not in (None, ""):
            text = str(raw).strip()
            if not YEAR.match(text):
                self._problem(article, "Plan", raw, "Năm kế hoạch không hợp lệ.",
                              "Ghi năm bằng 4 chữ số, ví dụ «Plan: 2022».")
            elif int(text) not in plans:
                self._problem(article, "Plan", raw,
                              f"Không có kế hoạch truyền thông năm {text}.",
                              "Các năm có kế hoạch: " + ", ".join(map(str, sorted(plans)))
                              + f". Thêm tệp content/plans/{text}.yml hoặc sửa «Plan:».")
            else:
                return plans[int(text)]
            return plan_for_year(plans, year)
        if year not in plans and article.status == "published":
            missing.setdefault(year, []).append(article)  # scheduled posts may wait for it
        return plan_for_year(plans, year)

    def _matcher(self, plan) -> TopicMatcher:
        """One matcher per plan and build (it folds every topic title once)."""
        matchers = self.__dict__.setdefault("_matchers", {})
        if id(plan) not in matchers:
            matchers[id(plan)] = (plan, TopicMatcher(plan.topics))
        return matchers[id(plan)][1]

    def _assign(self, article, plans, views, missing) -> None:
        raw = article.metadata.get("topics")
        if (raw in (None, "") and article.metadata.get("plan") in (None, "")
                and article.date.year < min(plans)):
            # older than the first plan (an imported archive): no plan, no topics to count
            article.plan_year, article.plan_topics = None, []
            return
        plan = self._plan_of(article, plans, missing)
        article.plan_year = plan.year
        article.plan_topics = []
        matcher = self._matcher(plan)
        codes, unknown = resolve(raw, matcher)
        if not codes and not unknown:
            # a draft is work in progress (an imported post waiting for its topics): warned
            self._problem(article, "Topics", "", "Bài viết chưa gắn chủ đề của kế hoạch truyền "
                          f"thông năm {plan.year} (Topics)"
                          + (" (bản nháp)." if article.status == "draft" else "."),
                          "Thêm dòng «Topics: …» với mã hoặc tên chủ đề, cách nhau bởi dấu phẩy. "
                          "Các chủ đề: " + ", ".join(t.code for t in plan.topics) + ".",
                          severity=WARNING if article.status == "draft" else ERROR)
        stand_in = "" if plan.year == article.date.year or _date_reported(article) or \
            article.metadata.get("plan") not in (None, "") else (
                f" (chưa có kế hoạch năm {article.date.year}: bài được đối chiếu với kế hoạch "
                f"gần nhất, năm {plan.year})")
        for value in unknown:
            self._problem(article, "Topics", value,
                          f"Chủ đề không có trong kế hoạch truyền thông năm {plan.year}"
                          f"{stand_in}.", matcher.hint(value))
        article.plan_topics = [views[code] for code in codes if code in views]

    def _check_page(self, page, plan) -> None:
        """Pages need no topics; when they name some, the names must be valid."""
        raw = page.metadata.get("topics")
        if raw in (None, "") or plan is None:
            return
        matcher = self._matcher(plan)
        codes, unknown = resolve(raw, matcher)
        for value in unknown:
            self._problem(page, "Topics", value,
                          f"Chủ đề không có trong kế hoạch truyền thông năm {plan.year}.",
                          matcher.hint(value))

    def generate_context(self):
        settings, context = self.settings, self.context
        plans = settings.get("PORTAL_PLANS") or {}
        groups = settings.get("PORTAL_TOPIC_GROUPS") or {}
        today = state.today(settings)
        published = list(context.get("articles") or [])
        others = list(context.get("drafts") or []) + list(context.get("hidden_articles") or [])
        if not plans:
            if published or others:
                state.add(settings, Problem(
                    settings["PORTAL_PLANS_PATH_REL"], "", "",
                    "Chưa có kế hoạch truyền thông nào: không kiểm tra được chủ đề của bài viết.",
                    "Thêm tệp content/plans/<năm>.yml (xem README của portal_topics).",
                    plugin=PLUGIN))
            self.info = None
            context["portal_topics"] = None
            return
        views = {code: TopicView(topic, year, settings)
                 for code, (topic, year) in latest_topics(plans).items()}
        missing: dict[int, list] = {}
        for article in published + others:
            self._assign(article, plans, views, missing)
        current = current_plan(plans, today)
        for page in (list(context.get("pages") or []) + list(context.get("hidden_pages") or [])
                     + list(context.get("draft_pages") or [])):
            self._check_page(page, current)
        for year, articles in sorted(missing.items()):
            fallback = plan_for_year(plans, year)
            names = ", ".join(state.rel(settings, a.source_path) for a in articles[:5])
            state.add(settings, Problem(
                f"{settings['PORTAL_PLANS_PATH_REL']}/{year}.yml", "", "",
                f"Chưa có kế hoạch truyền thông năm {year} cho {len(articles)} bài viết "
                f"đăng trong năm; tạm tính theo kế hoạch năm {fallback.year}.",
                f"Thêm tệp {settings['PORTAL_PLANS_PATH_REL']}/{year}.yml (chép tệp "
                f"{fallback.year}.yml rồi sửa số, ngày và chủ đề), hoặc ghi "
                f"«Plan: {fallback.year}» trong các bài: {names}"
                + (" …" if len(articles) > 5 else "") + ".", severity=WARNING, plugin=PLUGIN))
        for article in sorted(published, key=lambda a: a.date, reverse=True):
            for view in article.plan_topics:
                view.posts.append(article)
        records = [PostRecord(url=a.url, title=a.title, date=a.date.date(),
                              codes=tuple(v.code for v in a.plan_topics), plan_year=a.plan_year,
                              category=str(getattr(a, "category", "")))
                   for a in published]
        school = (settings.get("PORTAL_SCHOOL") or {}).get("name", "")
        reports = []
        for year in sorted(plans):
            figures = coverage(plans[year], records, today, groups,
                               settings["PORTAL_TOPICS_STALE_DAYS"])
            url = settings["PORTAL_REPORT_URL"].format(year=year)
            figures.update(url=url, json=to_json(figures, school), csv=to_csv(figures))
            reports.append(figures)
        in_current = {t.code for t in current.topics}
        self.info = {
            "plans": [plans[y] for y in sorted(plans)],
            "current": current,
            "groups": [(gid, title, [views[t.code] for t in topics])
                       for gid, title, topics in current.grouped(groups)],
            "topics": views,
            "older": [v for code, v in views.items() if code not in in_current],
            "reports": reports,
            "url": settings["PORTAL_TOPICS_URL"],
            "reports_url": settings["PORTAL_REPORTS_URL"],
            "label": label,
        }
        context["portal_topics"] = self.info
        self._check_collisions()

    def _outputs(self) -> set[str]:
        settings, info = self.settings, self.info
        per_page = settings["PAGINATED_TEMPLATES"].get("topic") or settings["DEFAULT_PAGINATION"]
        found = {settings["PORTAL_TOPICS_SAVE_AS"], settings["PORTAL_REPORTS_SAVE_AS"]}
        for view in info["topics"].values():
            found.add(view.save_as)
            pages = max(1, math.ceil(len(view.posts) / per_page))
            for number in range(2, pages + 1):
                found.add(f"{os.path.dirname(view.save_as)}/trang-{number}/index.html")
        for report in info["reports"]:
            found.add(report["url"] + "index.html")
        return found

    def _check_collisions(self) -> None:
        """A page or post whose output path is one of ours would crash the writer."""
        ours = self._outputs()
        for key in ("articles", "pages", "hidden_articles", "hidden_pages"):
            for item in self.context.get(key) or []:
                if getattr(item, "save_as", "") in ours:
                    self._problem(item, "Slug", item.save_as,
                                  "Đường dẫn trùng với trang chủ đề hoặc báo cáo truyền thông.",
                                  "Đặt «Slug: …» khác cho bài hoặc trang này.")

    # --- writing ----------------------------------------------------------------------
    def generate_output(self, writer):
        if not self.info:
            return
        settings, info = self.settings, self.info
        relative = settings.get("RELATIVE_URLS", False)
        writer.write_file(settings["PORTAL_TOPICS_SAVE_AS"], self.get_template("topics"),
                          self.context, relative_urls=relative, url=info["url"])
        for view in info["topics"].values():
            writer.write_file(view.save_as, self.get_template("topic"), self.context,
                              relative_urls=relative, paginated={"articles": view.posts},
                              template_name="topic", url=view.url, topic=view)
            if view.posts:  # an empty feed would carry the build time: never the same file
                writer.write_feed(view.posts, self.context, view.feed, view.feed,
                                  feed_title=f"Chủ đề: {view.title}")
        for report in info["reports"]:
            name = report["url"] + "index.html"
            writer.write_file(name, self.get_template("report"), self.context,
                              relative_urls=relative, url=report["url"], report=report,
                              plan=report["plan"])
            folder = os.path.join(self.output_path, report["url"])
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "index.csv"), "w", encoding="utf-8-sig",
                      newline="") as handle:
                handle.write(report["csv"])
            with open(os.path.join(folder, "index.json"), "w", encoding="utf-8") as handle:
                json.dump(report["json"], handle, ensure_ascii=False, indent=1)
                handle.write("\n")
        writer.write_file(settings["PORTAL_REPORTS_SAVE_AS"], self.get_template("reports"),
                          self.context, relative_urls=relative, url=info["reports_url"])


def _date_reported(article) -> bool:
    """Whether the reader already reported the post's Date (missing or not ISO)."""
    return any(p.field.lower() == "date" for p in article.metadata.get(PROBLEMS_KEY, ()))
