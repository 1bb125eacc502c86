"""`dxtrack recompute`: every target's progress and every scorecard, from approved data."""

from dxtrack.analytics.services.recompute import recompute_all
from dxtrack.core.management.base import ProjectCommand
from dxtrack.core.numbers import format_number


class Command(ProjectCommand):
    help = "Tính lại tiến độ mọi chỉ tiêu và bảng điểm từ số liệu đã duyệt."

    def handle(self, *args, **options):
        result = recompute_all()
        seconds = format_number(result.seconds, decimals=1)
        self.stdout.write(
            f"Đã tính lại tiến độ {result.targets} chỉ tiêu và {result.scorecards} bảng điểm trong {seconds} giây."
        )
