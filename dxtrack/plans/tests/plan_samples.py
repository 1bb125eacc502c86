"""Constructed plans (not from the seeds) for the import pipeline's tests."""

HEADER = """ỦY BAN NHÂN DÂN
TỈNH THANH HÓA
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 77/KH-UBND
Thanh Hóa, ngày 15 tháng 01 năm 2026

KẾ HOẠCH
Thúc đẩy dữ liệu số năm 2026
"""

BODY_V1 = """
I. MỤC TIÊU
1. Mục tiêu cụ thể đến năm 2026
- 90% hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng.
- Tỷ lệ hộ gia đình có cáp quang đạt trên 85%.
II. NHIỆM VỤ
TT\tNhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tSản phẩm\tThời gian
1\tXây dựng kho dữ liệu dùng chung của tỉnh\tSở Khoa học và Công nghệ\tSở Tài chính\tKho dữ liệu\tQuý III/2026
2\tSố hóa hồ sơ đất đai\tSở Nông nghiệp và Môi trường\tUBND cấp xã\tCơ sở dữ liệu đất đai\t30/6/2026
III. TỔ CHỨC THỰC HIỆN
1. Sở Khoa học và Công nghệ
a) Theo dõi, đôn đốc thực hiện Kế hoạch; báo cáo UBND tỉnh trước ngày 15/12 hằng năm.
"""

BODY_V2 = """
I. MỤC TIÊU
1. Mục tiêu cụ thể đến năm 2026
- 95% hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng.
- Tỷ lệ hộ gia đình có cáp quang đạt trên 85%.
II. NHIỆM VỤ
TT\tNhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tSản phẩm\tThời gian
1\tXây dựng kho dữ liệu dùng chung của tỉnh\tSở Khoa học và Công nghệ\tSở Tài chính\tKho dữ liệu\tQuý III/2026
2\tMở dữ liệu giao thông cho doanh nghiệp\tSở Xây dựng\tCông an tỉnh\tBộ dữ liệu mở\tTháng 10
III. TỔ CHỨC THỰC HIỆN
1. Sở Khoa học và Công nghệ
a) Theo dõi, đôn đốc thực hiện Kế hoạch; báo cáo UBND tỉnh trước ngày 15/12 hằng năm.
"""

PLAN_V1 = (HEADER + BODY_V1).encode("utf-8")
PLAN_V2 = (HEADER + BODY_V2).encode("utf-8")
