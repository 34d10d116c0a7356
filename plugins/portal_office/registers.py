"""The office's registers: incidents (sự cố truyền thông) and feedback (phản ánh, kiến nghị,
câu hỏi), one Markdown file each, and the rules they are checked against (pure functions).

The generator reads each file through the portal's Markdown reader (so the sanitizer and the
personal-data guard run on it) and hands the metadata here; nothing here touches Pelican.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from portal_core.dates import ISO_HINT, parse_iso, suggest_iso
from portal_core.problems import ERROR, WARNING, Problem
from portal_core.text import closest, fold, nfc, split_list

PLUGIN = "portal_office"
# Fields of an incident that are never written to output/ (README: "Non-public fields").
PRIVATE_INCIDENT_FIELDS = ("severity", "steps", "note")
PRIVATE_FEEDBACK_FIELDS = ("note",)
SEVERITIES = {"thap": "Thấp", "trung-binh": "Trung bình", "cao": "Cao"}


@dataclasses.dataclass(frozen=True)
class Rule:
    value: int
    basis: str
    confidence: str


@dataclasses.dataclass
class Rules:
    channels: dict[str, str]  # id -> name
    first_info_hours: Rule
    result_days: Rule
    feedback_days: Rule
    training_tag: str = ""


@dataclasses.dataclass
class Incident:
    file: str
    slug: str
    title: str
    detected: dt.datetime
    channel: str
    topics: tuple[str, ...]
    summary: str  # public (HTML, sanitized by portal_safety)
    first_info: dt.datetime | None = None
    first_info_post: str = ""  # site-relative URL of the post that carried it
    correction_post: str = ""
    reported_to_so: dt.date | None = None
    result: str = ""
    result_date: dt.date | None = None
    result_post: str = ""
    closed: dt.date | None = None
    # non-public: kept for the build's checks only, never given to a template
    severity: str = ""

    @property
    def response_hours(self) -> float | None:
        """Hours from detection to the first official information."""
        if self.first_info is None:
            return None
        return round((self.first_info - self.detected).total_seconds() / 3600, 1)

    @property
    def result_days(self) -> int | None:
        if self.result_date is None:
            return None
        return (self.result_date - self.detected.date()).days

    def open_on(self, today: dt.date) -> bool:
        return self.closed is None or self.closed > today

    def first_info_late(self, rules: Rules) -> bool | None:
        hours = self.response_hours
        return None if hours is None else hours > rules.first_info_hours.value


@dataclasses.dataclass
class Feedback:
    file: str
    slug: str
    title: str
    received: dt.date
    channel: str
    topics: tuple[str, ...]
    answer: str  # public (the file's text, sanitized)
    answered: dt.date | None = None
    public: bool = True

    @property
    def days_to_answer(self) -> int | None:
        return None if self.answered is None else (self.answered - self.received).days

    def due(self, rules: Rules) -> dt.date:
        return self.received + dt.timedelta(days=rules.feedback_days.value)


# --- rules (content/data/truyen-thong.yml) ----------------------------------------------
def load_rules(data, file: str) -> tuple[Rules | None, list[Problem]]:
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return None, [Problem(file, "", "", "Tệp quy định truyền thông phải là một bảng "
                              "khóa: giá trị.", "Xem plugins/portal_office/README.md.",
                              plugin=PLUGIN)]
    channels = {}
    for index, raw in enumerate(data.get("channels") or []):
        if not isinstance(raw, dict) or not raw.get("id") or not raw.get("name"):
            problems.append(Problem(file, f"channels[{index}]", str(raw),
                                    "Mỗi kênh cần «id» và «name».",
                                    "Ví dụ: {id: bao-chi, name: Báo chí}", plugin=PLUGIN))
            continue
        channels[str(raw["id"])] = str(raw["name"])
    if not channels:
        problems.append(Problem(file, "channels", "", "Chưa khai báo kênh nào.",
                                "Thêm «channels:» (báo chí, mạng xã hội, phụ huynh, nội bộ …).",
                                plugin=PLUGIN))
    rules = {}
    for key, fallback in (("first_info_hours", 24), ("result_days", 30), ("feedback_days", 10)):
        raw = (data.get("rules") or {}).get(key)
        if not isinstance(raw, dict) or not isinstance(raw.get("value"), int) \
                or raw["value"] <= 0 or not raw.get("basis") or not raw.get("confidence"):
            problems.append(Problem(file, f"rules.{key}", str(raw),
                                    "Quy định cần «value» (số nguyên dương), «basis» (căn cứ) "
                                    "và «confidence» (mức tin cậy).",
                                    f"Ví dụ: {{value: {fallback}, basis: …, confidence: …}}",
                                    plugin=PLUGIN))
            rules[key] = Rule(fallback, "", "")
        else:
            rules[key] = Rule(raw["value"], str(raw["basis"]), str(raw["confidence"]))
    return Rules(channels, rules["first_info_hours"], rules["result_days"],
                 rules["feedback_days"], str(data.get("training_tag") or "").strip()), problems


# --- one register file -------------------------------------------------------------------
class FieldReader:
    """Reads one register file's metadata, collecting problems with file, field and line."""

    def __init__(self, meta: dict, file: str, lines: dict[str, int], rules: Rules):
        self.meta, self.file, self.lines, self.rules = meta, file, lines, rules
        self.problems: list[Problem] = []

    def problem(self, key, value, message, hint, severity=ERROR):
        self.problems.append(Problem(self.file, key.capitalize(), str(value), message, hint,
                                     line=self.lines.get(key), severity=severity,
                                     plugin=PLUGIN))

    def text(self, key: str) -> str:
        value = self.meta.get(key)
        return nfc(str(value)).strip() if value not in (None, "") else ""

    def when(self, key: str, required: bool = False) -> dt.datetime | None:
        raw = self.text(key)
        if not raw:
            if required:
                self.problem(key, "", "Thiếu thông tin bắt buộc.", f"Thêm «{key.capitalize()}: "
                             f"…» ({ISO_HINT}).")
            return None
        try:
            return parse_iso(raw)
        except ValueError:
            guess = suggest_iso(raw)
            self.problem(key, raw, "Ngày giờ không đúng dạng ISO (ngày/tháng dễ bị đọc nhầm).",
                         f"Viết là «{guess}»." if guess else f"Dùng dạng {ISO_HINT}.")
            return None

    def channel(self) -> str:
        raw = self.text("channel")
        if not raw:
            self.problem("channel", "", "Thiếu kênh tiếp nhận.",
                         "Một trong: " + ", ".join(self.rules.channels) + ".")
            return ""
        for ident, name in self.rules.channels.items():
            if fold(raw) in (fold(ident), fold(name)) and (raw.lower() in (ident, name.lower())
                                                           or fold(raw) == raw.lower()):
                return ident
        known = {fold(i): i for i in self.rules.channels}
        known.update({fold(n): n for n in self.rules.channels.values()})
        guess = closest(raw, known)
        self.problem("channel", raw, "Kênh không có trong danh sách kênh.",
                     ("Có phải ý bạn là: " + ", ".join(guess) + "?") if guess else
                     "Một trong: " + ", ".join(self.rules.channels) + ".")
        return ""

    def topics(self, resolve) -> tuple[str, ...]:
        """Topic codes; *resolve(value)* gives (code or None, hint)."""
        codes = []
        for value in split_list(self.text("topics")):
            code, hint = resolve(value)
            if code:
                codes.append(code)
            else:
                self.problem("topics", value, "Chủ đề không có trong kế hoạch truyền thông.",
                             hint)
        return tuple(codes)


def post_url(value: str) -> str:
    """"/tin-tuc/abc/", "tin-tuc/abc" → "tin-tuc/abc/" (a site-relative post URL)."""
    text = str(value or "").strip()
    for prefix in ("https://", "http://"):
        if text.startswith(prefix):
            text = text.split("/", 3)[3] if text.count("/") >= 3 else ""
    text = text.strip("/")
    return text + "/" if text else ""


def parse_incident(meta: dict, file: str, slug: str, lines: dict[str, int], rules: Rules,
                   resolve_topic) -> tuple[Incident | None, list[Problem]]:
    r = FieldReader(meta, file, lines, rules)
    detected = r.when("detected", required=True)
    channel = r.channel()
    topics = r.topics(resolve_topic)
    first_info = r.when("first-info")
    reported = r.when("reported-to-so")
    result_date = r.when("result-date")
    closed = r.when("closed")
    severity = fold(r.text("severity")).replace(" ", "-")
    if severity and severity not in SEVERITIES:
        r.problem("severity", r.text("severity"), "Mức độ không hợp lệ.",
                  "Một trong: " + ", ".join(SEVERITIES) + ".")
    if detected is None:
        return None, r.problems
    for key, value in (("first-info", first_info), ("reported-to-so", reported),
                       ("result-date", result_date), ("closed", closed)):
        if value is None:
            continue
        # dates without a time are read as midnight: compare them with the day of detection
        limit = detected if key == "first-info" else detected.replace(hour=0, minute=0)
        if value < limit:
            r.problem(key, r.text(key), "Thời điểm này trước thời điểm phát hiện sự cố.",
                      f"Phát hiện lúc {detected:%Y-%m-%d %H:%M}: ghi thời điểm sau đó.")
    if first_info is not None and not r.text("first-info-post"):
        r.problem("first-info-post", "", "Thiếu bài đăng thông tin chính thức.",
                  "Ghi đường dẫn bài đã đăng, ví dụ «First-info-post: /tin-tuc/ten-bai/».")
    if r.text("result") and result_date is None:
        r.problem("result-date", "", "Có kết quả xử lý nhưng thiếu ngày có kết quả.",
                  f"Thêm «Result-date: …» ({ISO_HINT}).")
    if closed is not None and not r.text("result"):
        r.problem("result", "", "Sự cố đã đóng nhưng chưa ghi kết quả xử lý.",
                  "Thêm «Result: …» (kết quả công bố được).")
    incident = Incident(
        file=file, slug=slug, title=r.text("title"), detected=detected, channel=channel,
        topics=topics, summary=str(meta.get("summary") or ""), first_info=first_info,
        first_info_post=post_url(r.text("first-info-post")),
        correction_post=post_url(r.text("correction-post")),
        reported_to_so=reported.date() if reported else None, result=r.text("result"),
        result_date=result_date.date() if result_date else None,
        result_post=post_url(r.text("result-post")),
        closed=closed.date() if closed else None, severity=severity)
    return incident, r.problems


def parse_feedback(meta: dict, answer: str, file: str, slug: str, lines: dict[str, int],
                   rules: Rules, resolve_topic) -> tuple[Feedback | None, list[Problem]]:
    r = FieldReader(meta, file, lines, rules)
    received = r.when("received", required=True)
    channel = r.channel()
    topics = r.topics(resolve_topic)
    answered = r.when("answered")
    public = fold(r.text("public") or "co") not in ("khong", "no", "false")
    if received is None:
        return None, r.problems
    if answered is not None and answered.date() < received.date():
        r.problem("answered", r.text("answered"), "Ngày trả lời trước ngày tiếp nhận.",
                  f"Tiếp nhận ngày {received:%Y-%m-%d}: ghi ngày trả lời sau đó.")
    if answered is not None and public and not answer.strip():
        r.problem("answered", r.text("answered"), "Đã trả lời nhưng chưa ghi câu trả lời "
                  "công khai (phần nội dung của tệp).",
                  "Viết câu trả lời dưới phần đầu tệp, hoặc ghi «Public: không».")
    return Feedback(file=file, slug=slug, title=r.text("title"), received=received.date(),
                    channel=channel, topics=topics, answer=answer,
                    answered=answered.date() if answered else None, public=public), r.problems


# --- warnings with figures -------------------------------------------------------------
def incident_warnings(incident: Incident, rules: Rules, today: dt.date,
                      line=None) -> list[Problem]:
    """Open incidents past a deadline (first information, result): warnings with figures.
    A closed incident is history: its figures are in the report, not in a warning."""
    if not incident.open_on(today):
        return []
    found = []
    now = dt.datetime.combine(today, dt.time(23, 59))
    hours = rules.first_info_hours.value
    if incident.first_info is None:
        waited = (now - incident.detected).total_seconds() / 3600
        if waited > hours:
            found.append(Problem(incident.file, "First-info", "",
                                 f"Sự cố đã {int(waited)} giờ chưa có thông tin chính thức "
                                 f"(quy định: trong {hours} giờ).",
                                 "Đăng thông tin chính thức rồi ghi «First-info:» và "
                                 "«First-info-post:».", severity=WARNING, plugin=PLUGIN))
    days = rules.result_days.value
    if incident.result_date is None:
        waited_days = (today - incident.detected.date()).days
        if waited_days > days:
            found.append(Problem(incident.file, "Result-date", "",
                                 f"Sự cố đã {waited_days} ngày chưa có kết quả xử lý "
                                 f"(quy định: trong {days} ngày).",
                                 "Ghi «Result:» và «Result-date:» khi có kết quả.",
                                 severity=WARNING, plugin=PLUGIN))
    return found


def feedback_warnings(item: Feedback, rules: Rules, today: dt.date) -> list[Problem]:
    if item.answered is not None:
        return []
    late = (today - item.due(rules)).days
    if late <= 0:
        return []
    return [Problem(item.file, "Answered", "",
                    f"Phản ánh tiếp nhận ngày {item.received:%d/%m/%Y} đã quá hạn trả lời "
                    f"{late} ngày (quy định: trong {rules.feedback_days.value} ngày).",
                    "Trả lời rồi ghi «Answered: …».", severity=WARNING, plugin=PLUGIN)]
