"""The demo world and every page of it: the URL of each page a user can open, its ids taken from
the demo data, for the page-by-page language test and the browser's walk."""

import datetime
import io
import re
import zoneinfo
from pathlib import Path

from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
STAMP = re.compile(r"\b(\d{2})/(\d{2})/(\d{4}),? (\d{2}):(\d{2})\b")

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"

# The demo's people (dxtrack demo) and a superuser for the Django admin.
# (the last before the superuser: a demo enterprise's own account, ADR 0040)
ROLES = (
    "totruong",
    "lanhdao",
    "sotc.baocao",
    "sotc.duyet",
    "hamrong.baocao",
    "hamrong.duyet",
    "2801234564",
    "admin",
    None,
)
ADMIN_USER = "admin"

# Not pages: they answer files, JSON, redirects after a POST, or parts of a page that the page
# itself already renders (its rows are checked inside it).
NOT_PAGES = {
    "core:healthz",
    "core:job",
    "core:job_file",
    "accounts:logout",
    "accounts:token_revoke",
    "org:agency_contact",
    "org:unit_contact",
    "plans:import_item",
    "plans:import_meta",
    "plans:import_accept_all",
    "plans:import_publish",
    "plans:import_discard",
    "plans:import_indicator_search",
    "plans:import_indicator_link",
    "reports:value",
    "reports:task",
    "reports:evidence",
    "reports:narrative",
    "reports:transition",
    "reports:evidence_remove",
    "exchange:excel_template",
    "assistant:ask",
    "exchange:excel_upload",
    "publishing:save",
    "publishing:issue",
    "publishing:discard",
    "publishing:docx",
    "publishing:pdf",
    "publishing:unit_docx",
    "publishing:unit_pdf",
    "publishing:recognition_pdf",
    "operations:command_recompute_job",
    "opendata:catalog",
    "opendata:ckan_action",
    "opendata:ckan_action_unversioned",
    "opendata:ckan_version",
    "opendata:file",
    # POSTs, the bell's fragment (the header of every page renders it), the e-mailed link's page
    "notifications:bell",
    "notifications:read",
    "notifications:read_all",
    "reports:signature",
    "accounts:user_active",
    "accounts:password_reset_confirm",
    "steering:session_record",
    "steering:session_cancel",
    "steering:pack_prepare",
    "steering:pack_docx",
    "steering:pack_pdf",
    "steering:conclusions_upload",
    "steering:directive_add",
    "steering:conclusions_publish",
    "steering:directive_close",
    "steering:follow_up_excel",
    "steering:finding_add",
    "steering:finding_answer",
    "steering:finding_close",
    "steering:action_done",
    # Assessments: the POSTs and the decision's file (the demo world's round is not decided)
    "assessments:round_open",
    "assessments:round_action",
    "assessments:submission_action",
    "assessments:answer",
    "assessments:thread",
    "assessments:decision_file",
    # the criteria-set import's POSTs (its list and review pages are walked)
    "assessments:criteria_import_facts",
    "assessments:criteria_import_rules",
    "assessments:criteria_import_item",
    "assessments:criteria_import_accept_all",
    "assessments:criteria_import_publish",
    "assessments:criteria_import_discard",
    "assessments:province_result_compute",
    # Enterprises (ADR 0040): the questionnaire's POST
    "enterprises:answer",
}


class WalkClient(Client):
    """Django's test client without what a walk never reads: for each request it keeps every
    template a page renders and a copy of each one's context (tens per page), for assertions on
    them; the walks read only the status, the headers and the body of thousands of answers. The
    session's and CSRF cookies are kept as the test client keeps them."""

    def request(self, **request):
        response = self.handler(self.environ(**request))
        if response.cookies:
            self.cookies.update(response.cookies)
        return response

    def environ(self, **request) -> dict:
        """The request's WSGI environ (a subclass may watch it)."""
        return self._base_environ(**request)


# The demo world's rows, captured the first time a test of this process asks for it.
_SHARED: dict = {}


def demo_world():
    """What `dxtrack demo` loads (the reference data is already there), plus a plan import under
    review and a draft periodic report, so that their pages exist too. Returns the demo password.

    Built by its real loaders once per process (per xdist worker), its rows left in place for the
    first caller, or on SQLite read from the file an earlier run kept of the same code, data and
    day (snapshots.capture_kept); put back by bulk insert (dxtrack.core.snapshots) for each other
    test that asks for it: the every-page walk and the browser's walk, which `make test` runs on
    one worker. Onto a database that is not as the session left it (a test made rows of those
    tables first), the loaders run again."""
    from dxtrack.core.snapshots import REGISTRY, capture_kept

    snapshot = _SHARED.get("world")
    if snapshot is None:
        # (kept in a file between runs on SQLite: building it costs about 10 s of CPU; any change
        # of the code, the seeds or the shared data, or another day, builds it again. Built here,
        # its rows stay where the builder wrote them, in the caller's transaction: putting them
        # back over again would cost 1–2 s more.)
        snapshot = capture_kept(
            "pages' demo world", _demo_world_build, sources=[SEEDS, SEEDS.parent / "data"], keep=True
        )
        _SHARED["world"] = REGISTRY["pages' demo world"] = snapshot
        if not snapshot.read_from_file:
            return snapshot.result()
    if snapshot.fits():
        snapshot.put_back()
        snapshot.restored += 1
        return snapshot.result()
    snapshot.rebuilt += 1
    return _demo_world_build()


def _demo_world_build():
    from dxtrack.accounts import services as account_services
    from dxtrack.accounts.access import SYSTEM
    from dxtrack.accounts.models import Role, User
    from dxtrack.obligations.models import Period
    from dxtrack.org.models import AdminUnit, Agency
    from dxtrack.plans.services import uploads
    from dxtrack.publishing import services as publishing_services
    from dxtrack.site.management.commands.demo import DEMO_PASSWORD, DEMO_USERS

    out = io.StringIO()
    call_command("plan", "load-register", stdout=out)
    call_command("calendar", year=2021, to=timezone.localdate().year, verbosity=0, stdout=out)
    for username, full_name, role, agency_code, commune_code in DEMO_USERS:
        account_services.user_create(
            actor=SYSTEM,
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            full_name=full_name,
            agency=Agency.objects.get(code=agency_code) if agency_code else None,
            admin_unit=AdminUnit.objects.get(level="commune", code=commune_code, valid_to__isnull=True)
            if commune_code
            else None,
            email=f"{username}@example.org",
        )
    User.objects.create_superuser(ADMIN_USER, "admin@example.org", DEMO_PASSWORD, role=Role.SECRETARIAT)
    call_command("reporting", "setup", stdout=out)
    call_command("reporting", "demo-data", stdout=out)
    call_command("demo_steering", stdout=out)  # the steering committee's sessions, directives, inspections
    call_command("demo_enterprises", password=DEMO_PASSWORD, stdout=out)  # enterprises and their answers
    call_command("recompute", stdout=out)
    call_command("demo_steering", packs=True, stdout=out)
    secretariat = User.objects.get(username="totruong")
    seed = sorted(SEEDS.glob("*.txt"))[0]
    uploads.plan_import_create(actor=secretariat, data=seed.read_bytes(), filename=seed.name)
    quarter = Period.objects.filter(period_type="quarterly", end__lt=timezone.localdate()).order_by("-end").first()
    publishing_services.report_compose(actor=secretariat, period=quarter, scope_kind="programme")
    _criteria_world(secretariat)
    return DEMO_PASSWORD


def _criteria_world(secretariat) -> None:
    """The shipped criteria sets, a criteria-set decision under review (its points not adding
    up, so the review's warnings are on the page) and the province's DTI rank of 2025."""
    from dxtrack.accounts.access import SYSTEM
    from dxtrack.assessments.models import Framework, ProvinceResult, ResultOrigin
    from dxtrack.assessments.services import criteria_import
    from dxtrack.assessments.services.frameworks import frameworks_load
    from dxtrack.assessments.tests import criteria_decision

    frameworks_load(actor=SYSTEM)
    criteria_import.criteria_import_create(
        actor=secretariat, data=criteria_decision.wrong_points_docx(), filename=criteria_decision.FILENAME
    )
    # (written directly: the service would queue a recomputation the walk does not need)
    ProvinceResult.objects.create(
        framework=Framework.objects.get(code="dti-405-tinh"),
        year=2025,
        origin=ResultOrigin.PUBLISHED,
        rank=12,
        ranked_of=34,
        reference="Báo cáo Chỉ số chuyển đổi số cấp tỉnh năm 2025",
        entered_by=secretariat,
    )
    _round_world()


def _round_world() -> None:
    """A small round of the demonstration commune set (two communes, the demo's council chair), so
    that the round, ranking, submission and thread pages are walked (the full demo round,
    `dxtrack demo_assessments`, costs more than all the checks)."""
    from dxtrack.accounts.access import SYSTEM
    from dxtrack.accounts.models import User
    from dxtrack.assessments.models import Framework
    from dxtrack.assessments.services.rounds import round_open
    from dxtrack.org.models import AdminUnit

    units = AdminUnit.objects.filter(level="commune", code__in=["14758", "14797"], valid_to__isnull=True)
    round_open(
        actor=SYSTEM,
        framework=Framework.objects.get(code="minh-hoa-xa-2026"),
        year=timezone.localdate().year,
        units=list(units),
        chair=User.objects.get(username="hoidong"),
    )


def _routes(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
            yield from _routes(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}:{p.name}" if namespace else p.name, p


def _ids(user) -> dict:
    """One object of each kind a page is about, chosen among the demo's: for a unit's people,
    their own unit's report (one they may still edit, if any) and obligation."""
    from dxtrack.analytics.models import TargetProgress
    from dxtrack.obligations.models import Obligation
    from dxtrack.org.models import AdminUnit, AgencyGroup
    from dxtrack.plans.models import Clause, Document, PlanImport, Target
    from dxtrack.publishing.models import IssuedReport
    from dxtrack.reports.models import Report
    from dxtrack.steering.models import BriefingPack, InspectionPlan, Session

    ham_rong = AdminUnit.objects.get(level="commune", code="14758", valid_to__isnull=True)
    mine = {}
    if user is not None and getattr(user, "admin_unit_id", None):
        mine = {"admin_unit": user.admin_unit}
    elif user is not None and getattr(user, "agency_id", None) and not user.is_province_wide:
        mine = {"agency": user.agency}
    reports = Report.objects.filter(**{f"obligation__{k}": v for k, v in mine.items()})
    report = (
        reports.filter(status__in=("draft", "returned")).order_by("-obligation__period__end", "pk").first()
        or reports.filter(task_updates__isnull=False).order_by("-obligation__period__end", "pk").first()
    )
    obligation = Obligation.objects.filter(**(mine or {"admin_unit": ham_rong})).order_by("due").last()
    document = Document.objects.order_by("code").first()
    clause = Clause.objects.filter(document=document).exclude(path="").order_by("pk").first()
    plan_import = PlanImport.objects.order_by("-pk").first()
    from dxtrack.assessments.models import CriteriaImport

    criteria_import = CriteriaImport.objects.order_by("-pk").first()
    progress = TargetProgress.objects.order_by("target_id").first()
    session = Session.objects.filter(conclusions__isnull=False).order_by("pk").first()
    pack = BriefingPack.objects.filter(session=session).order_by("pk").first()
    inspection = InspectionPlan.objects.order_by("pk").first()
    from dxtrack.assessments.models import Submission

    submission = (
        Submission.objects.filter(admin_unit=mine["admin_unit"]).first() if "admin_unit" in mine else None
    ) or Submission.objects.filter(admin_unit=ham_rong).first()
    return {
        "assessments:round": {"pk": submission.round_id},
        "assessments:ranking": {"pk": submission.round_id},
        "assessments:submission": {"pk": submission.pk},
        "org:agency": {"code": "SO_TAI_CHINH"},
        "org:agency_contact": {"code": "SO_TAI_CHINH"},
        "org:group": {"code": AgencyGroup.objects.order_by("code").first().code},
        "org:unit": {"pk": ham_rong.pk},
        "org:unit_contact": {"pk": ham_rong.pk},
        "plans:indicator": {"code": Target.objects.order_by("pk").first().indicator.code},
        "plans:document": {"code": document.code},
        "plans:clause": {"code": document.code, "path": clause.path},
        "plans:agency": {"code": "SO_TAI_CHINH"},
        "plans:import": {"pk": plan_import.pk},
        "plans:import_meta": {"pk": plan_import.pk},
        "assessments:criteria_import": {"pk": criteria_import.pk},
        "reports:obligation": {"pk": obligation.pk},
        "reports:period": {"period_id": report.obligation.period_id},
        "reports:report": {"pk": report.pk},
        "reports:print": {"pk": report.pk},
        "operations:command_close": {"pk": report.obligation.period_id},
        "operations:command_unlock": {"pk": report.pk},
        "operations:command_import": {"pk": plan_import.pk},
        "analytics:target": {"pk": progress.target_id if progress else Target.objects.order_by("pk").first().pk},
        "analytics:agency": {"code": "SO_TAI_CHINH"},
        "analytics:commune": {"pk": ham_rong.pk},
        "analytics:ranking": {"kind": "xa"},
        "publishing:detail": {"pk": IssuedReport.objects.order_by("-pk").first().pk},
        "steering:session": {"pk": session.pk},
        "steering:pack": {"pk": session.pk, "pack": pack.pk},
        "steering:inspection": {"pk": inspection.pk},
    }


def page_urls(user=None) -> list[str]:
    """Every page of the site (the Django admin's index, and for its staff each model's list and
    add form and one object's change form), with the demo's ids, for this user."""
    ids = _ids(user)
    urls = []
    for name, _pattern in _routes(get_resolver().url_patterns):
        if name in NOT_PAGES or name.startswith(("admin:", "api:")):
            continue
        urls.append(reverse(name, kwargs=ids.get(name) or {}))
    urls.append(reverse("api:openapi-view"))
    urls.append(reverse("admin:index"))
    if user is None or not user.is_staff:
        # The admin answers every page of it to whoever is not staff with the same redirect to its
        # log-in, before any model's page runs: its index stands for them all.
        return list(dict.fromkeys(urls))
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
    return list(dict.fromkeys(urls))


# Pages whose times are meant to be ahead: the schedule's next runs.
FUTURE_BY_NATURE = {"/van-hanh/lich/"}


def future_stamps(texts, now) -> list[str]:
    """The date-times (dd/mm/yyyy hh:mm) among `texts` later than `now`, or not real moments."""
    found = []
    for text in texts:
        for m in STAMP.finditer(text):
            day, month, year, hour, minute = (int(x) for x in m.groups())
            try:
                stamp = datetime.datetime(year, month, day, hour, minute, tzinfo=HCM)
            except ValueError:
                found.append(f"{m.group(0)} (không phải thời điểm có thật)")
                continue
            if stamp > now + datetime.timedelta(minutes=1):
                found.append(m.group(0))
    return found
