"""`dxtrack demo_steering [--packs]`: the steering committee's demo (sessions 2024–2026, the
conclusions of the six-month 2025 session, an inspection round); `--packs` then prepares each
session's briefing pack from the recomputed dashboards. `dxtrack demo` runs both. Running it again
adds nothing."""

from django.core.management.base import CommandError
from django.utils import timezone

from dxtrack.accounts.access import SYSTEM
from dxtrack.core.errors import DomainError
from dxtrack.core.management.base import ProjectCommand
from dxtrack.devtools.demo import steering


class Command(ProjectCommand):
    help = "Tạo dữ liệu trình diễn của Ban Chỉ đạo: phiên họp, kết luận, kiểm tra (chạy lại không thêm gì)."

    def add_arguments(self, parser):
        parser.add_argument("--packs", action="store_true", help="Chuẩn bị tài liệu phục vụ từng phiên họp.")
        parser.add_argument("--png", help="Lưu trang đầu tài liệu phiên họp mới nhất thành ảnh PNG (cần LibreOffice).")

    def handle(self, *args, packs: bool = False, png: str | None = None, **options):
        today = timezone.localdate()
        if png:
            done = steering.first_page_png(png)
            self.stdout.write(f"Đã lưu {png}." if done else "Chưa có LibreOffice, pdftoppm hoặc tài liệu phiên họp.")
            return
        try:
            if packs:
                self.stdout.write(f"Tài liệu phiên họp: {steering.packs(actor=SYSTEM, today=today)}.")
                return
            counts = steering.generate(actor=SYSTEM, today=today)
        except DomainError as exc:
            raise CommandError("\n".join([exc.message, *exc.details])) from exc
        if counts:
            self.stdout.write(
                f"Ban Chỉ đạo: {counts['sessions']} phiên họp, {counts['directives']} chỉ đạo, "
                f"{counts['visits']} cuộc kiểm tra."
            )
