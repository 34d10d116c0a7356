"""Cài đặt cổng thông tin của trường (bản xem trước, `cong-truong build`).

Mọi cài đặt chung lấy từ gói cong-truong (phiên bản ghi trong requirements.txt); ở đây chỉ ghi
điều riêng của trường, bên dưới dòng import. Thông tin của trường (tên, địa chỉ, lãnh đạo…)
nằm trong content/data/school.yml; giao diện (biểu trưng, màu) trong content/data/giao-dien.yml;
một mẫu trang riêng đặt trong theme/templates/ (xem README.md).
"""

from cong_truong.settings import *  # noqa: F401,F403
