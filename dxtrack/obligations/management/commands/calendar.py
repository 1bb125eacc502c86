"""`dxtrack calendar --year 2025 [--to 2026]`: periods and obligations from the register's rules."""

from django.core.management.base import CommandError
from tqdm import tqdm

from dxtrack.accounts.access import SYSTEM
from dxtrack.core.dates import read_year
from dxtrack.core.errors import DomainError
from dxtrack.core.management.base import ProjectCommand
from dxtrack.obligations import services

MAX_SPAN = 50


def _year(value, option: str) -> int:
    try:
        return read_year(value, what=f"Năm {option}")
    except ValueError as exc:
        raise CommandError(str(exc)) from None


class Command(ProjectCommand):
    help = "Lập lịch báo cáo: tạo các kỳ và nghĩa vụ báo cáo của từng đơn vị theo quy định trong kế hoạch."

    def add_arguments(self, parser):
        # Read as text and checked here, so that a wrong or missing year gets a Vietnamese message
        # rather than argparse's English one.
        parser.add_argument("--year", default=None, help="Năm đầu tiên cần lập lịch, ví dụ 2025 (bắt buộc).")
        parser.add_argument("--to", default=None, help="Lập đến hết năm này (mặc định: chỉ --year).")

    def handle(self, *args, year=None, to=None, **options):
        if year is None:
            raise CommandError("Thiếu năm cần lập lịch: ghi --year và bốn chữ số, ví dụ --year 2025.")
        first = _year(year, "--year")
        last = _year(to, "--to") if to is not None else first
        if last < first:
            raise CommandError(f"Năm --to ({last}) phải từ năm --year ({first}) trở đi.")
        if last - first > MAX_SPAN:
            raise CommandError(f"Mỗi lần lập lịch tối đa {MAX_SPAN} năm; đã yêu cầu {first}–{last}.")
        created = kept = 0
        for y in tqdm(range(first, last + 1), desc="Lập lịch", unit="năm", disable=options["verbosity"] < 1):
            try:
                result = services.calendar_generate(actor=SYSTEM, year=y)
            except DomainError as exc:
                raise CommandError("\n".join([exc.message, *exc.details])) from exc
            created, kept = created + result.obligations_created, kept + result.obligations_kept
        self.stdout.write(f"Lịch báo cáo {first}–{last}: thêm {created} nghĩa vụ, giữ nguyên {kept}.")
