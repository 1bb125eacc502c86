"""`dxtrack demo_enterprises [--seed …]`: the demo's enterprises and their answers to the
enterprise index (`make demo` runs it). Running it again adds nothing."""

from dxtrack.accounts.access import SYSTEM
from dxtrack.core.management.base import ProjectCommand
from dxtrack.devtools.demo import enterprises


class Command(ProjectCommand):
    help = "Tạo các doanh nghiệp minh họa và kết quả tự đánh giá chuyển đổi số (chạy lại không thêm gì)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Hạt giống ngẫu nhiên (mặc định 2026).")
        parser.add_argument(
            "--password", default="", help="Mật khẩu chung của các tài khoản minh họa (không có: không đăng nhập được)."
        )

    def handle(self, *args, seed: int = 2026, password: str = "", **options):
        added = enterprises.generate(actor=SYSTEM, password=password, seed=seed)
        self.stdout.write(f"Doanh nghiệp minh họa: {added} doanh nghiệp mới.")
