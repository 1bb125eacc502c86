"""Sets up the demo: database, reference data, demo users; prints the log-ins."""

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from dxtrack.accounts import services as account_services
from dxtrack.accounts.access import SYSTEM
from dxtrack.accounts.models import Role, User
from dxtrack.core.management.base import ProjectCommand
from dxtrack.devtools.demo.enterprises import DEMO_ENTERPRISE_USERNAME
from dxtrack.org.models import AdminUnit, Agency

# Printed on purpose: a demo on the developer's own machine, never a deployment.
DEMO_PASSWORD = "ChuyenDoiSo@2026"  # noqa: S105

# (username, full name, role, agency code or None, current commune code or None)
DEMO_USERS = [
    ("totruong", "Tổ giúp việc BCĐ (Sở KH&CN)", Role.SECRETARIAT, "SO_KHCN", None),
    ("lanhdao", "Lãnh đạo UBND tỉnh", Role.LEADER, "UBND_TINH", None),
    ("hoidong", "Chủ tịch Hội đồng thẩm định chuyển đổi số", Role.LEADER, None, None),
    ("sotc.baocao", "Đầu mối báo cáo Sở Tài chính", Role.REPORTER, "SO_TAI_CHINH", None),
    ("sotc.duyet", "Lãnh đạo Sở Tài chính", Role.APPROVER, "SO_TAI_CHINH", None),
    ("hamrong.baocao", "Đầu mối báo cáo phường Hàm Rồng", Role.REPORTER, None, "14758"),
    ("hamrong.duyet", "Chủ tịch UBND phường Hàm Rồng", Role.APPROVER, None, "14758"),
]


class Command(ProjectCommand):
    help = "Chuẩn bị dữ liệu trình diễn: cơ sở dữ liệu, danh mục, tài khoản mẫu."

    def needs_database(self, options: dict) -> bool:
        return False  # it migrates the database itself

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_reference", stdout=self.stdout)
        call_command("plan", "load-register", stdout=self.stdout)
        call_command("calendar", year=2021, to=timezone.localdate().year, verbosity=0, stdout=self.stdout)
        for username, full_name, role, agency_code, commune_code in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                continue
            agency = Agency.objects.get(code=agency_code) if agency_code else None
            unit = (
                AdminUnit.objects.get(level="commune", code=commune_code, valid_to__isnull=True)
                if commune_code
                else None
            )
            account_services.user_create(
                actor=SYSTEM,
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                full_name=full_name,
                agency=agency,
                admin_unit=unit,
                email=f"{username}@example.org",  # reminders are e-mailed (printed to the console in development)
            )
        # After the users, so that the demo reports name who sent them.
        call_command("reporting", "setup", stdout=self.stdout)
        call_command("reporting", "demo-data", stdout=self.stdout)
        # The steering committee's records (devtools, called by name like the demo reports): its
        # directives' updates count in the recomputation, its briefing packs read the result.
        call_command("demo_steering", stdout=self.stdout)
        # Enterprises that answered the enterprise index (ADR 0040): seed 004's target counts them,
        # so before the recomputation.
        call_command("demo_enterprises", password=DEMO_PASSWORD, stdout=self.stdout)
        call_command("recompute", stdout=self.stdout)
        # After the approved reports: the demo rounds' figures are prefilled from them.
        call_command("demo_assessments", stdout=self.stdout)
        call_command("demo_steering", packs=True, stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Tài khoản trình diễn (mật khẩu chung: {DEMO_PASSWORD}):"))
        for username, full_name, role, *_ in DEMO_USERS:
            self.stdout.write(f"  {username:<16} {Role(role).label} — {full_name}")
        self.stdout.write(
            f"  {DEMO_ENTERPRISE_USERNAME:<16} {Role.ENTERPRISE.label} — tài khoản của một doanh nghiệp minh họa"
        )
        self.stdout.write(f"Tỉnh: {settings.DXTRACK_PROVINCE_NAME}. Mở {settings.DXTRACK_SITE_URL}/")
