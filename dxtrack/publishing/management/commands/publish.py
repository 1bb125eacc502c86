"""`dxtrack publish compose|issue|export|list`: the periodic reports from the console."""

from django.core.management.base import CommandError

from dxtrack.accounts.access import Access
from dxtrack.accounts.models import User
from dxtrack.core.diskfiles import write_atomic
from dxtrack.core.errors import DomainError
from dxtrack.core.management.base import ProjectCommand
from dxtrack.core.numbers import format_number
from dxtrack.obligations import selectors as obligation_selectors
from dxtrack.publishing import pdf, selectors, services
from dxtrack.publishing.models import IssuedReport


class Command(ProjectCommand):
    help = "Báo cáo định kỳ của Tổ giúp việc: lập bản nháp, ban hành, xuất tệp DOCX/PDF, liệt kê."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title="thao tác")
        compose = sub.add_parser("compose", help="Lập bản nháp báo cáo cho một kỳ và một phạm vi.")
        compose.add_argument("--period", help='Tên kỳ, ví dụ "Quý III/2026"; mặc định: quý gần nhất đã kết thúc.')
        compose.add_argument(
            "--scope", default="programme", choices=["programme", "plan", "pillar", "agency"], help="Phạm vi."
        )
        compose.add_argument("--key", default="", help="Mã kế hoạch, trụ cột hoặc cơ quan (trừ phạm vi programme).")
        compose.add_argument("--user", required=True, help="Tên đăng nhập của người Tổ giúp việc.")
        issue = sub.add_parser("issue", help="Ban hành một bản nháp: cấp số, ngày, lưu DOCX và PDF.")
        issue.add_argument("id", type=int)
        issue.add_argument("--user", required=True, help="Tên đăng nhập của người Tổ giúp việc.")
        export = sub.add_parser("export", help="Ghi tệp DOCX và/hoặc PDF của một báo cáo.")
        export.add_argument("id", type=int)
        export.add_argument("--docx", help="Đường dẫn tệp DOCX.")
        export.add_argument("--pdf", help="Đường dẫn tệp PDF.")
        sub.add_parser("list", help="Liệt kê các báo cáo.")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, "do_" + action)(**options)
        except DomainError as exc:
            raise CommandError("\n".join([exc.message, *exc.details])) from exc

    def _user(self, username: str) -> Access:
        """The person the command acts as (the audit names them; issuing is the secretariat's)."""
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{username}”.")
        return Access.for_user(user)

    def do_compose(self, user: str, period: str | None = None, scope: str = "programme", key: str = "", **options):
        actor = self._user(user)
        chosen = obligation_selectors.period_typed(period) if period is not None else selectors.default_period()
        if chosen is None:
            raise CommandError("Chưa có kỳ báo cáo nào.")
        report = services.report_compose(actor=actor, period=chosen, scope_kind=scope, scope_key=key)
        self.stdout.write(f"Đã lập bản nháp #{report.pk}: {report.title}. {report.summary}")

    def _report(self, pk: int) -> IssuedReport:
        report = IssuedReport.objects.filter(pk=pk).first()
        if report is None:
            raise CommandError(f"Không có báo cáo #{pk}.")
        return report

    def do_issue(self, id: int, user: str, **options):
        report = services.report_issue(actor=self._user(user), report=self._report(id))
        self.stdout.write(
            f"Đã ban hành Báo cáo số {report.reference} ngày {report.issued_on:%d/%m/%Y} "
            f"(DOCX sha256 {report.docx_sha256}, PDF sha256 {report.pdf_sha256})."
        )

    def do_export(self, id: int, docx: str | None = None, pdf: str | None = None, **options):
        report = self._report(id)
        if not docx and not pdf:
            raise CommandError("Hãy ghi --docx và/hoặc --pdf.")
        data = bytes(report.docx) if not report.is_draft else services.render_docx(report)
        if docx:
            write_atomic(docx, data)  # a full disk leaves no half-written file
            self.stdout.write(f"Đã ghi {docx} ({format_number(len(data))} byte).")
        if pdf:
            pdf_bytes = bytes(report.pdf) if not report.is_draft else _convert(data)
            write_atomic(pdf, pdf_bytes)
            self.stdout.write(f"Đã ghi {pdf} ({format_number(len(pdf_bytes))} byte).")

    def do_list(self, **options):
        for report in IssuedReport.objects.select_related("period").defer("docx", "pdf", "facts").order_by("pk"):
            when = f"{report.issued_on:%d/%m/%Y}" if report.issued_on else "—"
            self.stdout.write(
                f"#{report.pk}\t{report.reference}\t{when}\t{report.period.label}\t{report.get_status_display()}"
                f"\t{report.title}"
            )


def _convert(data: bytes) -> bytes:
    return pdf.docx_to_pdf(data)
