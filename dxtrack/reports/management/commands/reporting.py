"""`dxtrack reporting setup|remind|close|demo-data`: the reporting cycle's chores from the console."""

import datetime

from django.core.management import call_command
from django.core.management.base import CommandError
from django.tasks import TaskResultStatus
from django.utils import timezone

from dxtrack.accounts.access import SYSTEM, Access
from dxtrack.accounts.models import User
from dxtrack.core.dates import format_vn_date, read_date
from dxtrack.core.errors import DomainError
from dxtrack.core.management.base import ProjectCommand
from dxtrack.obligations import selectors as obligation_selectors
from dxtrack.reports.services.defaults import defaults_load
from dxtrack.reports.services.periods import period_close
from dxtrack.reports.tasks import send_reminders


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
    help = "Công việc của chu kỳ báo cáo: nạp cấu hình, gửi nhắc hạn, khóa sổ kỳ báo cáo, tạo dữ liệu trình diễn."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title="thao tác")
        sub.add_parser("setup", help="Nạp cấu hình mặc định: cơ quan báo cáo từng chỉ tiêu, quy tắc kiểm tra số liệu.")
        remind = sub.add_parser("remind", help="Gửi thư nhắc báo cáo sắp đến hạn và quá hạn.")
        remind.add_argument("--today", help="Coi hôm nay là ngày này (ngày/tháng/năm); mặc định: hôm nay.")
        close = sub.add_parser("close", help="Khóa sổ một kỳ báo cáo: các báo cáo đã duyệt được khóa.")
        close.add_argument("--period", required=True, help='Tên kỳ, ví dụ "Quý III/2025".')
        close.add_argument("--user", help="Tên đăng nhập của người Tổ giúp việc khóa sổ (ghi vào nhật ký).")
        data = sub.add_parser("demo-data", help="Tạo báo cáo mẫu đến kỳ hiện tại (chạy lại không thêm gì).")
        data.add_argument("--today", help="Coi hôm nay là ngày này (ngày/tháng/năm); mặc định: hôm nay.")
        data.add_argument("--seed", type=int, default=2026, help="Hạt giống ngẫu nhiên (mặc định 2026).")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, "do_" + action.replace("-", "_"))(**options)
        except DomainError as exc:
            raise CommandError("\n".join([exc.message, *exc.details])) from exc

    def do_setup(self, **options):
        result = defaults_load(actor=SYSTEM)
        self.stdout.write(
            f"Cấu hình báo cáo: giao thêm {result.reporters_added} chỉ tiêu cho cơ quan báo cáo, "
            f"thêm {result.rules_added} quy tắc kiểm tra."
        )

    def do_remind(self, today: str | None = None, **options):
        day = _today(today)
        result = send_reminders.enqueue(today_iso=day.isoformat())
        if result.status != TaskResultStatus.SUCCESSFUL:
            if result.status == TaskResultStatus.FAILED:
                raise CommandError(f"Gửi nhắc hạn thất bại: {result.errors[-1].traceback.strip().splitlines()[-1]}")
            self.stdout.write(f"Đã đưa việc gửi nhắc hạn ngày {format_vn_date(day)} vào hàng đợi.")
            return
        counts = result.return_value
        self.stdout.write(
            f"Nhắc hạn ngày {format_vn_date(day)}: đã gửi {counts['due_soon'] + counts['overdue']} thư "
            f"({counts['due_soon']} sắp đến hạn, {counts['overdue']} quá hạn); "
            f"{counts['no_addressee']} nghĩa vụ chưa có người nhận (đơn vị chưa có tài khoản)."
        )

    def do_close(self, period: str, user: str | None = None, **options):
        item = obligation_selectors.period_typed(period)
        actor = SYSTEM
        if user:
            person = User.objects.filter(username=user).first()
            if person is None:
                raise CommandError(f"Không có tài khoản “{user}”.")
            actor = Access.for_user(person)
        locked = period_close(actor=actor, period=item)
        self.stdout.write(f"Đã khóa sổ kỳ {item.label}: khóa {locked} báo cáo đã duyệt.")

    def do_demo_data(self, today: str | None = None, seed: int = 2026, **options):
        # The demo generator sits in devtools, above this layer: reached by the command's name, not
        # imported, so that a deployment may leave devtools out (ADR 0018).
        args = ["--seed", str(seed)] + (["--today", today] if today is not None else [])
        call_command("demo_reports", *args, verbosity=options["verbosity"], stdout=self.stdout)
