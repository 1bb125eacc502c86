"""`dxtrack plan extract FILE` and `dxtrack plan import FILE`."""

import json
from pathlib import Path

from django.core.management.base import CommandError

from dxtrack.accounts.access import SYSTEM
from dxtrack.core.errors import DomainError
from dxtrack.core.management.base import ProjectCommand
from dxtrack.plans import selectors
from dxtrack.plans.extract import extract
from dxtrack.plans.extract.readers import ReadError, read_upload
from dxtrack.plans.models import Document
from dxtrack.plans.register import dump_register, register_load
from dxtrack.plans.services import publication, review, uploads


class Command(ProjectCommand):
    help = "Đọc kế hoạch từ văn bản (.txt, .docx, .pdf): trích xuất chỉ tiêu, nhiệm vụ; nhập vào danh mục."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ext = sub.add_parser("extract", help="In ra JSON các chỉ tiêu, nhiệm vụ, quy định báo cáo trích được.")
        ext.add_argument("file")
        ext.add_argument("--year-context", type=int, default=None)
        ext.add_argument("--format", choices=["json"], default="json")
        imp = sub.add_parser("import", help="Tạo một lần nhập (bản nháp) để Tổ giúp việc duyệt.")
        imp.add_argument("file")
        imp.add_argument("--year-context", type=int, default=None)
        imp.add_argument("--accept-all", action="store_true", help="Chấp nhận mọi mục đề xuất.")
        imp.add_argument("--revises", default="", help="Mã văn bản trong danh mục mà tệp này là bản cập nhật.")
        imp.add_argument("--publish", action="store_true", help="Đưa vào danh mục ngay (cần --accept-all).")
        dump = sub.add_parser("dump-register", help="In danh mục kế hoạch ra JSON (tệp dữ liệu mẫu).")
        dump.add_argument("file", nargs="?", default="-")
        load = sub.add_parser("load-register", help="Nạp danh mục kế hoạch mẫu (bỏ qua văn bản đã có).")
        load.add_argument("file", nargs="?", default="")

    def needs_database(self, options: dict) -> bool:
        return options["action"] != "extract"  # extraction reads the registry from the bundled files

    def _read(self, path: str) -> tuple[bytes, str]:
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"Không tìm thấy tệp “{path}”.")
        return file.read_bytes(), file.name

    def handle(self, *args, action: str, file: str = "", year_context=None, **options):
        if action == "dump-register":
            text = json.dumps(dump_register(), ensure_ascii=False, indent=1) + "\n"
            if file == "-":
                self.stdout.write(text, ending="")
            else:
                Path(file).write_text(text, encoding="utf-8")
            return
        if action == "load-register":
            try:
                added = register_load(actor=SYSTEM, **({"path": Path(file)} if file else {}))
            except DomainError as exc:
                raise CommandError("\n".join([exc.message, *exc.details])) from exc
            self.stdout.write(f"Danh mục kế hoạch: thêm {added} văn bản.")
            return
        data, name = self._read(file)
        if action == "extract":
            from dxtrack.org.resolver import NameResolver

            try:
                source = read_upload(data, name)
            except ReadError as exc:
                raise CommandError(exc.message) from exc
            document = extract(source, year_context=year_context, resolver=NameResolver.from_data())
            self.stdout.write(json.dumps(document.to_json(), ensure_ascii=False, indent=2, default=str))
            return
        try:
            revises = None
            if options.get("revises"):
                revises = Document.objects.filter(code=options["revises"]).first()
                if revises is None:
                    raise CommandError(f"Không có văn bản mã “{options['revises']}” trong danh mục.")
            plan_import = uploads.plan_import_create(
                actor=SYSTEM, data=data, filename=name, year_context=year_context, revises=revises
            )
            if options["accept_all"]:
                review.import_accept_all(actor=SYSTEM, plan_import=plan_import)
            if options["publish"]:
                document = publication.plan_import_publish(actor=SYSTEM, plan_import=plan_import)
                plan_import.refresh_from_db()
                self.stdout.write(f"Đã đưa vào danh mục: {document} (lần nhập {plan_import.pk}).")
                for line in selectors.outcome_lines(plan_import.outcome):
                    self.stdout.write(line)
                return
        except DomainError as exc:
            raise CommandError("\n".join([exc.message, *exc.details])) from exc
        kinds = list(plan_import.items.values_list("kind", flat=True))
        self.stdout.write(
            f"Lần nhập {plan_import.pk}: {kinds.count('target')} chỉ tiêu, {kinds.count('task')} nhiệm vụ, "
            f"{kinds.count('reporting')} quy định báo cáo. Duyệt tại /ke-hoach/nhap/{plan_import.pk}/"
        )
        if plan_import.document is not None:
            c = selectors.import_counts(plan_import)
            self.stdout.write(
                f"So với {plan_import.document.reference} trong danh mục: {c['new']} mới, {c['changed']} thay đổi, "
                f"{c['unchanged']} không đổi, {c['removed']} không còn trong văn bản."
            )
            for items in selectors.import_items(plan_import).values():
                for item in items:
                    if item.fate:
                        p = item.payload
                        name = p.get("label") or p.get("title") or p.get("text") or ""
                        self.stdout.write(f"  − {item.get_kind_display()} “{name}”: {item.fate}")
