"""`dxtrack backup [FILE]`: one file with the database, the uploaded files and a manifest."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone
from tqdm import tqdm

from dxtrack.core.errors import DomainError
from dxtrack.core.management.base import ProjectCommand
from dxtrack.core.numbers import format_number
from dxtrack.operations import backup


class Command(ProjectCommand):
    help = (
        "Sao lưu vào một tệp: cơ sở dữ liệu, tệp minh chứng đã tải lên, báo cáo đã ban hành, "
        "kèm bản kê mã kiểm tra và phiên bản lược đồ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", help="Tệp sẽ ghi (mặc định: DXTRACK_BACKUP_DIR/dxtrack-<thời điểm>.tar.gz)."
        )

    def handle(self, *args, file: str | None = None, **options):
        path = Path(file) if file else backup.backup_dir() / f"dxtrack-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
        if path.exists():
            raise CommandError(f"Tệp {path} đã có; hãy chọn tên khác (không ghi đè bản sao lưu).")
        bar = tqdm(desc="Sao lưu", unit="phần", disable=options["verbosity"] < 1)

        def progress(what: str, done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            manifest = backup.backup(path, progress=progress)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            bar.close()
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"Đã sao lưu vào {path}: {len(manifest['tables'])} bảng, {format_number(rows)} dòng, "
            f"{len(manifest['files'])} tệp ({format_number(path.stat().st_size)} byte)."
        )
