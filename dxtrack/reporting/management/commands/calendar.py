"""`dxtrack calendar --year 2025 [--to 2026]`: periods and obligations from the register's rules."""

from django.core.management.base import CommandError
from tqdm import tqdm

from dxtrack.core.errors import DomainError
from dxtrack.core.management.base import ProjectCommand
from dxtrack.reporting import services


class Command(ProjectCommand):
    help = "Lập lịch báo cáo: tạo các kỳ và nghĩa vụ báo cáo của từng đơn vị theo quy định trong kế hoạch."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--to", type=int, default=None, help="Lập đến hết năm này (mặc định: chỉ --year).")

    def handle(self, *args, year: int, to: int | None = None, **options):
        last = to or year
        if last < year or last - year > 50:
            raise CommandError("Khoảng năm không hợp lệ.")
        created = kept = 0
        for y in tqdm(range(year, last + 1), desc="Lập lịch", unit="năm", disable=options["verbosity"] < 1):
            try:
                result = services.calendar_generate(actor=None, year=y)
            except DomainError as exc:
                raise CommandError("\n".join([exc.message, *exc.details])) from exc
            created, kept = created + result.obligations_created, kept + result.obligations_kept
        self.stdout.write(f"Lịch báo cáo {year}–{last}: thêm {created} nghĩa vụ, giữ nguyên {kept}.")
