"""`dxtrack assessment_frameworks`: loads the criteria sets shipped with dxtrack (ADR 0033)."""

from django.core.management.base import CommandError

from dxtrack.accounts.access import SYSTEM
from dxtrack.core.errors import DomainError
from dxtrack.core.management.base import ProjectCommand

from ...services.frameworks import frameworks_load

WORDS = {"created": "đã tạo", "updated": "đã cập nhật", "kept": "giữ nguyên (đã có kết quả đánh giá)"}


class Command(ProjectCommand):
    help = "Nạp các bộ tiêu chí đánh giá chuyển đổi số đi kèm dxtrack."

    def handle(self, *args, **options):
        try:
            outcome = frameworks_load(actor=SYSTEM)
        except DomainError as exc:
            raise CommandError("\n".join([exc.message, *exc.details])) from exc
        for code, what in outcome.items():
            self.stdout.write(f"{code}: {WORDS[what]}")
