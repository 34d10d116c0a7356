"""Cài đặt cổng thông tin của trường (bản xem trước, `cong-truong build`).

Mọi cài đặt chung lấy từ gói cong-truong; ở đây chỉ ghi điều riêng của trường. Thông tin của
trường (tên, địa chỉ, lãnh đạo…) nằm trong content/data/school.yml, không nằm ở đây.
(The demo school's settings: everything comes from the installed package, as for any school.)
"""

from cong_truong.settings import *  # noqa: F401,F403
