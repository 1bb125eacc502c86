"""`dxtrack demo_assessments [--seed …]`: the demo's assessment rounds (`make demo` runs it after
the demo reports). Running it again adds nothing."""

from django.core.management.base import CommandError

from dxtrack.accounts.access import SYSTEM
from dxtrack.core.errors import DomainError
from dxtrack.core.management.base import ProjectCommand
from dxtrack.devtools.demo import assessments


class Command(ProjectCommand):
    help = "Tạo các đợt đánh giá chuyển đổi số minh họa (chạy lại không thêm gì)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Hạt giống ngẫu nhiên (mặc định 2026).")

    def handle(self, *args, seed: int = 2026, **options):
        try:
            counts = assessments.generate(actor=SYSTEM, seed=seed)
        except DomainError as exc:
            raise CommandError("\n".join([exc.message, *exc.details])) from exc
        self.stdout.write(
            f"Đánh giá chuyển đổi số (minh họa): {counts['rounds']} đợt mới, {counts['recognised']} xã được công nhận."
        )
