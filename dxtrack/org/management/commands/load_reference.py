from django.core.management.base import CommandError

from dxtrack.core.actors import system
from dxtrack.core.errors import InvalidData
from dxtrack.core.management.base import ProjectCommand
from dxtrack.org import services


class Command(ProjectCommand):
    help = "Nạp danh mục đơn vị hành chính (trước và sau 01/7/2025) và danh mục cơ quan."

    def handle(self, *args, **options):
        try:
            units = services.admin_units_load(actor=system())
            agencies = services.agencies_load(actor=system())
        except InvalidData as exc:
            raise CommandError("\n".join([exc.message, *exc.details])) from exc
        self.stdout.write(f"Đơn vị hành chính: {units}")
        self.stdout.write(f"Cơ quan, tổ chức: {agencies}")
