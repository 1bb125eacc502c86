"""`dxtrack worker`: runs the queued background work (see operations/worker.py)."""

import logging

from django.core.management.base import CommandError

from dxtrack.core.management.base import ProjectCommand
from dxtrack.core.startup import warm_and_freeze
from dxtrack.operations.worker import Worker, database_backend, default_process_id


class Command(ProjectCommand):
    help = (
        "Chạy các việc nền trong hàng đợi: tính lại tiến độ sau khi duyệt, gửi nhắc hạn, chuyển PDF, "
        "nhập và xuất dữ liệu lớn. Khởi động lại không mất việc; việc lỗi được thử lại sau một quãng tăng dần."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue", default="*", help="Các hàng đợi cần chạy, cách nhau dấu phẩy (mặc định: tất cả)."
        )
        parser.add_argument("--interval", type=float, default=1.0, help="Số giây chờ khi hàng đợi trống (mặc định 1).")
        parser.add_argument("--batch", action="store_true", help="Chạy hết việc đang chờ rồi thoát.")
        parser.add_argument("--max-tasks", type=int, default=None, help="Thoát sau khi chạy chừng này việc.")
        parser.add_argument(
            "--worker-id", default=None, help="Mã của tiến trình này (mặc định: máy-số hiệu tiến trình)."
        )

    def handle(self, *args, queue: str, interval: float, batch: bool, max_tasks, worker_id, **options):
        backend = database_backend()
        if backend is None:
            raise CommandError(
                "Hàng đợi đang chạy ngay trong tiến trình web (DXTRACK_TASKS=immediate): không có việc nào "
                "để tiến trình xử lý nền chạy. Đặt DXTRACK_TASKS=database để dùng hàng đợi bền vững."
            )
        if interval < 0 or (max_tasks is not None and max_tasks <= 0):
            raise CommandError("--interval phải ≥ 0 và --max-tasks phải > 0.")
        if options["verbosity"] >= 1:
            logging.getLogger("dxtrack.worker").setLevel(logging.INFO)
        worker = Worker(
            queue_names=queue.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend.alias,
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id or default_process_id("worker"),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        # A task worker lives as long as a web worker and makes as many objects (an import's
        # values): the same start (ADR 0047).
        warm_and_freeze()
        worker.run()
