"""A realistic, generated corpus for the build benchmark (deterministic for a given size).

    python bench/corpus.py 1000            # → bench/work/corpus-1000/content/

What a school accumulates in ten years: news (about 70 %) and notices (30 %) of 350–550 words
spread over 2017–2026, each with 1–2 topics from the plan codes (content/plans/2022.yml), tags
from a small pool, about one news post in three with a photo in the text (a handful of small
generated JPEGs, reused) and a Cover when a plugin declares the key; a few disclosure-like pages
with tables. Data files (school.yml, site.yml) are copied; one plan per year is derived from 2022.
No names of people, no phone numbers: invented, impersonal school news.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.path.join(HERE, "work")
YEARS = list(range(2017, 2027))

NEWS_TITLES = [
    "Hội thảo chuyên đề đổi mới phương pháp dạy học môn {subject}",
    "Tổ {subject} tổ chức sinh hoạt chuyên môn theo nghiên cứu bài học",
    "Học sinh tham gia hoạt động trải nghiệm tại {place}",
    "Ngoại khóa {subject}: học mà chơi, chơi mà học",
    "Tập huấn sử dụng thiết bị dạy học mới cho giáo viên tổ {subject}",
    "Hưởng ứng Tuần lễ {campaign}",
    "Ra quân {campaign} năm học {sy}",
    "Sơ kết học kỳ I năm học {sy}",
    "Tổng kết năm học {sy} và trao thưởng học sinh tiêu biểu",
    "Đoàn trường tổ chức chương trình {campaign}",
    "Câu lạc bộ {club} ra mắt thành viên mới",
    "Giải bóng đá học sinh khối {grade} năm học {sy}",
    "Tuyên truyền {campaign} cho học sinh khối {grade}",
    "Kiểm tra nội bộ công tác {work} năm học {sy}",
]
NOTICE_TITLES = [
    "Thông báo lịch kiểm tra giữa học kỳ môn {subject} khối {grade}",
    "Thông báo thu nhận hồ sơ {work} năm học {sy}",
    "Thông báo lịch họp cha mẹ học sinh khối {grade} năm học {sy}",
    "Thông báo nghỉ học và kế hoạch dạy bù khối {grade}",
    "Thông báo lịch tập trung học sinh đầu năm học {sy}",
    "Thông báo về việc {work} năm học {sy}",
]
SUBJECTS = ["Ngữ văn", "Toán", "Tiếng Anh", "Vật lý", "Hóa học", "Sinh học", "Lịch sử",
            "Địa lý", "Tin học", "Giáo dục kinh tế và pháp luật", "Công nghệ", "Giáo dục thể chất"]
PLACES = ["Khu di tích Đền Trần", "bảo tàng tỉnh", "làng nghề truyền thống", "nhà máy dệt",
          "vườn quốc gia Xuân Thủy", "trung tâm văn hóa huyện"]
CAMPAIGNS = ["an toàn giao thông", "phòng chống bạo lực học đường", "sống xanh, giảm rác thải nhựa",
             "hiến máu tình nguyện", "phòng chống đuối nước", "đọc sách và văn hóa đọc",
             "chuyển đổi số trong nhà trường", "phòng chống ma túy học đường"]
CLUBS = ["Tiếng Anh", "Khoa học kỹ thuật", "Bóng chuyền", "Văn nghệ", "Nhiếp ảnh", "Tranh biện"]
WORKS = ["miễn giảm học phí", "cấp bản sao học bạ", "xét học bổng", "đăng ký học nghề phổ thông",
         "đăng ký tham gia bảo hiểm y tế học sinh", "đăng ký thi nghề"]
TAGS = ["khai giảng", "năm học mới", "an toàn giao thông", "chuyển đổi số", "học bạ số",
        "tuyển sinh", "thi tốt nghiệp", "hướng nghiệp", "ngoại khóa", "trải nghiệm", "đoàn trường",
        "câu lạc bộ", "thể thao", "văn nghệ", "tập huấn", "chuyên môn", "học sinh giỏi",
        "khen thưởng", "cha mẹ học sinh", "học phí", "học bổng", "phòng chống dịch", "thiên tai",
        "cơ sở vật chất", "thư viện", "kỹ năng sống", "tâm lý học đường", "pháp luật"]
SENTENCES = [
    "Chương trình được tổ chức trong không khí sôi nổi, thu hút đông đảo học sinh tham gia.",
    "Ban giám hiệu nhà trường đánh giá cao sự chuẩn bị chu đáo của các tổ chuyên môn.",
    "Các hoạt động được thiết kế gắn với nội dung bài học, giúp học sinh vận dụng kiến thức vào thực tiễn.",
    "Giáo viên chủ nhiệm đã phổ biến kế hoạch tới từng lớp và thông tin đầy đủ tới cha mẹ học sinh.",
    "Nhà trường đề nghị cha mẹ học sinh phối hợp theo dõi, nhắc nhở con em thực hiện đúng quy định.",
    "Kết quả cho thấy phần lớn học sinh nắm vững kiến thức cơ bản và có tiến bộ rõ rệt so với đầu năm.",
    "Trong thời gian tới, nhà trường tiếp tục nhân rộng các mô hình hiệu quả ở tất cả các khối lớp.",
    "Các tiết học được ghi hình để giáo viên trong tổ cùng rút kinh nghiệm sau buổi sinh hoạt chuyên môn.",
    "Hồ sơ được tiếp nhận tại văn phòng nhà trường trong giờ hành chính, từ thứ Hai đến thứ Sáu.",
    "Học sinh cần mang theo thẻ học sinh, mặc đồng phục và có mặt trước giờ quy định mười lăm phút.",
    "Đoàn thanh niên phối hợp với giáo viên chủ nhiệm theo dõi, tổng hợp kết quả của từng chi đoàn.",
    "Hoạt động góp phần xây dựng môi trường giáo dục an toàn, lành mạnh, thân thiện và phòng chống bạo lực học đường.",
    "Nhiều ý kiến đóng góp thiết thực đã được ghi nhận để hoàn thiện kế hoạch của năm học.",
    "Nhà trường chuẩn bị đầy đủ cơ sở vật chất, thiết bị và phương án bảo đảm an toàn cho học sinh.",
    "Thông tin chi tiết được niêm yết tại bảng tin nhà trường và đăng trên cổng thông tin điện tử.",
    "Các lớp đã chủ động xây dựng kế hoạch ôn tập, phân công học sinh khá giỏi hỗ trợ các bạn còn khó khăn.",
    "Buổi sinh hoạt giúp học sinh hiểu rõ hơn về quyền, nghĩa vụ của mình và các quy định của pháp luật.",
    "Nhà trường ghi nhận sự nỗ lực của tập thể giáo viên, nhân viên trong việc thực hiện nhiệm vụ năm học.",
    "Sau chương trình, học sinh viết bài thu hoạch và chia sẻ cảm nhận trong giờ sinh hoạt lớp.",
    "Kinh phí thực hiện được công khai theo quy định và quyết toán khi kết thúc hoạt động.",
    "Đây là hoạt động thường niên, được học sinh và cha mẹ học sinh hưởng ứng tích cực.",
    "Giáo viên được hướng dẫn khai thác học liệu số và sử dụng hiệu quả màn hình tương tác trong giờ dạy.",
    "Mọi thắc mắc xin liên hệ văn phòng nhà trường theo số điện thoại đăng trên cổng thông tin.",
    "Nhà trường sẽ thông báo kết quả tới học sinh qua giáo viên chủ nhiệm và trên cổng thông tin.",
    # Quotes and dashes, as real posts have them (typography has work to do)
    'Hội thi "Em yêu khoa học" năm nay nhận được hơn hai trăm bài dự thi của học sinh ba khối.',
    'Thầy Hiệu trưởng nhắn nhủ: "Mỗi học sinh hãy là một tuyên truyền viên tích cực" -- lời dặn được cả trường hưởng ứng.',
]


def slugify(text: str) -> str:
    sys.path.insert(0, os.path.join(ROOT, "plugins"))
    from portal_core.text import slugify as portal_slugify

    return portal_slugify(text)


def plan_codes() -> list[str]:
    with open(os.path.join(ROOT, "content", "plans", "2022.yml"), encoding="utf-8") as handle:
        return re.findall(r"^\s*- code:\s*([a-z0-9-]+)", handle.read(), flags=re.M)


def known_keys() -> set[str]:
    """Front-matter keys declared by the enabled plugins' metadata.yml (to use Cover: or not)."""
    keys = set()
    for folder in os.listdir(os.path.join(ROOT, "plugins")):
        path = os.path.join(ROOT, "plugins", folder, "metadata.yml")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                keys |= set(re.findall(r"^([a-z-]+):", handle.read(), flags=re.M))
    return keys


def school_year(year: int, month: int) -> str:
    start = year if month >= 9 else year - 1
    return f"{start}–{start + 1}"


def body(rng: random.Random, words: int) -> str:
    paragraphs, count = [], 0
    while count < words:
        sentences = rng.sample(SENTENCES, rng.randint(2, 4))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    if rng.random() < 0.3:  # some posts have a list
        items = rng.sample(SENTENCES, 3)
        paragraphs.insert(2, "\n".join(f"- {s[0].lower()}{s[1:-1]};" for s in items))
    return "\n\n".join(paragraphs)


def write_photos(content: str, count: int = 6) -> list[str]:
    sys.path.insert(0, HERE)
    from photos import fake_exif, schoolyard

    names = []
    folder = os.path.join(content, "images", "bench")
    os.makedirs(folder, exist_ok=True)
    for k in range(count):
        name = f"images/bench/anh-{k}.jpg"
        image = schoolyard(1200, 900, grain=6, seed=k)  # trees move with the seed
        image.save(os.path.join(content, name), "JPEG", quality=85, exif=fake_exif())
        names.append(name)
    return names


def disclosure_page(k: int, rng: random.Random) -> str:
    rows = "\n".join(f"| {i} | {rng.choice(WORKS).capitalize()} | {rng.randint(5, 900)} triệu đồng "
                     f"| {rng.choice(['Đã thực hiện', 'Đang thực hiện'])} |" for i in range(1, 16))
    return (f"Title: Công khai tài chính năm học {2017 + k}–{2018 + k} (bản thử nghiệm)\n"
            f"Slug: bench-cong-khai-{k}\n\n"
            "Nhà trường công khai các khoản thu, chi theo quy định.\n\n"
            "| STT | Nội dung | Số tiền | Tình trạng |\n|---|---|---|---|\n" + rows + "\n")


def generate(size: int, target: str | None = None, seed: int = 2022) -> str:
    """Write the corpus; returns its content folder. Regenerated from scratch each time."""
    rng = random.Random(seed + size)
    root = target or os.path.join(WORK, f"corpus-{size}")
    content = os.path.join(root, "content")
    shutil.rmtree(content, ignore_errors=True)
    os.makedirs(content)
    shutil.copytree(os.path.join(ROOT, "content", "data"), os.path.join(content, "data"))
    os.makedirs(os.path.join(content, "plans"))
    with open(os.path.join(ROOT, "content", "plans", "2022.yml"), encoding="utf-8") as handle:
        plan = handle.read()
    for year in YEARS:
        text = re.sub(r"^year: 2022", f"year: {year}", plan, flags=re.M)
        text = re.sub(r"^date: 2022-", f"date: {year}-", text, flags=re.M)
        with open(os.path.join(content, "plans", f"{year}.yml"), "w", encoding="utf-8") as f:
            f.write(text)
    photos = write_photos(content)
    codes, keys = plan_codes(), known_keys()
    for i in range(size):
        notice = rng.random() < 0.3
        year = YEARS[i * len(YEARS) // size]
        month, day = rng.randint(1, 11 if year == 2026 else 12), rng.randint(1, 28)
        fill = {"subject": rng.choice(SUBJECTS), "place": rng.choice(PLACES),
                "campaign": rng.choice(CAMPAIGNS), "club": rng.choice(CLUBS),
                "work": rng.choice(WORKS), "grade": rng.choice([10, 11, 12]),
                "sy": school_year(year, month)}
        title = rng.choice(NOTICE_TITLES if notice else NEWS_TITLES).format(**fill)
        folder = "thong-bao" if notice else "tin-tuc"
        slug = f"{slugify(title)}-{i}"
        lines = [f"Title: {title}", f"Date: {year}-{month:02d}-{day:02d} {rng.randint(7, 17):02d}:00",
                 f"Category: {'Thông báo' if notice else 'Tin tức'}",
                 f"Topics: {', '.join(rng.sample(codes, rng.randint(1, 2)))}",
                 f"Tags: {', '.join(rng.sample(TAGS, rng.randint(1, 3)))}",
                 f"Summary: {rng.choice(SENTENCES)}", "Author: Ban Truyền thông", f"Slug: {slug}"]
        text = body(rng, rng.randint(350, 550))
        if not notice and i % 3 == 0:
            photo = photos[i % len(photos)]
            alt = "Sân trường và dãy nhà học, ảnh minh họa hoạt động"
            if "cover" in keys and "cover-alt" in keys:
                lines += [f"Cover: {photo}", f"Cover-alt: {alt}"]
            parts = text.split("\n\n", 1)
            text = parts[0] + f"\n\n![{alt}](/{photo})\n\n" + (parts[1] if len(parts) > 1 else "")
        path = os.path.join(content, folder, str(year), f"{slug}.md")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n\n" + text + "\n")
    os.makedirs(os.path.join(content, "pages"))
    for k in range(5):
        with open(os.path.join(content, "pages", f"bench-cong-khai-{k}.md"), "w",
                  encoding="utf-8") as handle:
            handle.write(disclosure_page(k, rng))
    return content


if __name__ == "__main__":
    print(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
