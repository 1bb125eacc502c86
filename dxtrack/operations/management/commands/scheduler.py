"""`dxtrack scheduler`: queues the schedule's jobs when their time comes (operations/schedule.py)."""

import signal
import time

from django.core.management.base import CommandError
from django.db import DatabaseError, close_old_connections
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dxtrack.core.management.base import ProjectCommand
from dxtrack.operations.models import ProcessBeat
from dxtrack.operations.scheduler import tick
from dxtrack.operations.worker import beat, default_process_id


class Command(ProjectCommand):
    help = (
        "Bộ lập lịch: đến giờ thì đưa việc theo lịch (nhắc hạn, khóa sổ, kiểm tra hằng đêm, sao lưu) "
        "vào hàng đợi. Chạy hai bộ cùng lúc vẫn an toàn: mỗi lượt chỉ một bộ đưa vào."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Xét lịch một lần rồi thoát.")
        parser.add_argument("--interval", type=float, default=30.0, help="Số giây giữa hai lần xét lịch (mặc định 30).")
        parser.add_argument("--at", help="Coi bây giờ là thời điểm này (ISO 8601, có múi giờ); để thử.")
        parser.add_argument("--scheduler-id", default=None, help="Mã của bộ lập lịch này.")

    def handle(self, *args, once: bool, interval: float, at: str | None, scheduler_id: str | None, **options):
        now = None
        if at is not None:
            now = parse_datetime(at)
            if now is None or timezone.is_naive(now):
                raise CommandError(
                    f"--at “{at}” không phải thời điểm ISO 8601 có múi giờ, ví dụ 2026-12-05T07:30+07:00."
                )
        if interval <= 0:
            raise CommandError("--interval phải lớn hơn 0.")
        me = scheduler_id or default_process_id("scheduler")
        running = {"on": True}

        def stop(signum, frame):
            running["on"] = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while running["on"]:
            close_old_connections()
            try:
                beat(me, ProcessBeat.SCHEDULER)
                for run in tick(now=now, scheduler_id=me):
                    if options["verbosity"] >= 1:
                        self.stdout.write(
                            f"Đã đưa vào hàng đợi: {run.job} (lượt {timezone.localtime(run.slot):%d/%m/%Y %H:%M})."
                        )
            except DatabaseError as exc:  # the database restarting: try again at the next tick
                self.stderr.write(f"Không xét được lịch lúc này ({str(exc).strip().splitlines()[0]}); thử lại sau.")
            if once:
                return
            deadline = time.monotonic() + interval
            while running["on"] and time.monotonic() < deadline:
                time.sleep(min(1.0, interval))
