"""`dxtrack demo_reports [--today …] [--seed …]`: the deterministic demo reports up to the current
period (`dxtrack reporting demo-data` runs it; `make demo` too). Running it again adds nothing."""

import datetime

from django.core.management.base import CommandError
from django.utils import timezone
from tqdm import tqdm

from dxtrack.accounts.access import SYSTEM
from dxtrack.core.dates import read_date
from dxtrack.core.errors import DomainError
from dxtrack.core.management.base import ProjectCommand
from dxtrack.devtools import demo


def _today(text: str | None) -> datetime.date:
    """--today as typed, or today on the province's clock when it is not given at all (an empty
    value is refused, not taken for today)."""
    if text is None:
        return timezone.localdate()
    try:
        return read_date(text, what="Ngày --today")
    except ValueError as exc:
        raise CommandError(str(exc)) from None


class Command(ProjectCommand):
    help = "Tạo báo cáo mẫu đến kỳ hiện tại (chạy lại không thêm gì)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Coi hôm nay là ngày này (ngày/tháng/năm); mặc định: hôm nay.")
        parser.add_argument("--seed", type=int, default=2026, help="Hạt giống ngẫu nhiên (mặc định 2026).")

    def handle(self, *args, today: str | None = None, seed: int = 2026, **options):
        day = _today(today)
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, desc="Báo cáo mẫu", unit="nghĩa vụ", disable=options["verbosity"] < 1)
            bar.update(done - bar.n)

        try:
            counts = demo.generate(actor=SYSTEM, today=day, seed=seed, progress=progress)
        except DomainError as exc:
            raise CommandError("\n".join([exc.message, *exc.details])) from exc
        finally:
            if bar is not None:
                bar.close()
        self.stdout.write(
            f"Dữ liệu trình diễn: {counts.get('reports', 0)} báo cáo "
            f"({counts.get('locked', 0)} đã khóa, {counts.get('approved', 0)} đã duyệt, "
            f"{counts.get('submitted', 0)} đã gửi, {counts.get('returned', 0)} bị trả lại, "
            f"{counts.get('draft', 0)} đang soạn; {counts.get('late', 0)} gửi muộn), "
            f"{counts.get('values', 0)} số liệu, {counts.get('task_updates', 0)} cập nhật nhiệm vụ; "
            f"{counts.get('missing', 0)} nghĩa vụ chưa có báo cáo; khóa sổ {counts.get('periods_closed', 0)} kỳ."
        )
