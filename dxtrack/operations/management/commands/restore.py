"""`dxtrack restore FILE`: a backup restored into an empty database (and empty MEDIA_ROOT)."""

from django.core.management.base import CommandError
from tqdm import tqdm

from dxtrack.core.errors import DomainError
from dxtrack.core.management.base import ProjectCommand
from dxtrack.core.numbers import format_number
from dxtrack.operations import backup


class Command(ProjectCommand):
    help = (
        "Khôi phục một tệp sao lưu vào cơ sở dữ liệu trống. Tệp hỏng, bị cắt cụt hoặc của phiên bản khác "
        "bị từ chối trước khi thay đổi bất cứ thứ gì."
    )

    def needs_database(self, options: dict) -> bool:
        return False  # an empty database is the point: restore creates the tables itself

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp sao lưu do `dxtrack backup` ghi.")

    def handle(self, *args, file: str, **options):
        bar = tqdm(desc="Khôi phục", unit="phần", disable=options["verbosity"] < 1)

        def progress(what: str, done: int, total: int) -> None:
            bar.set_description("Kiểm tra tệp" if what == "verify" else "Khôi phục")
            bar.total = total or None
            if done < bar.n:
                bar.reset(total or None)
            bar.update(done - bar.n)

        try:
            counts = backup.restore(file, progress=progress)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            bar.close()
        self.stdout.write(
            f"Đã khôi phục từ {file}: {counts['tables']} bảng, {format_number(counts['rows'])} dòng, "
            f"{counts['files']} tệp; mọi bảng và tệp khớp mã kiểm tra."
        )
