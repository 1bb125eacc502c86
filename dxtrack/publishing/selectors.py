"""Reads of the periodic reports. The secretariat sees drafts and issued reports; the province's
leaders see issued reports only; nobody else sees any (they are the secretariat's documents to
the steering committee)."""

from django.db.models import QuerySet
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.core.errors import NotAllowed
from dxtrack.obligations.models import Period, PeriodType
from dxtrack.org.models import Agency
from dxtrack.plans.models import Document, Pillar

from .models import IssuedReport, IssuedStatus


def _visible(access: Access) -> QuerySet[IssuedReport]:
    qs = IssuedReport.objects.select_related("period", "created_by", "issued_by")
    if access.is_secretariat:
        return qs
    if access.is_leader:
        return qs.filter(status=IssuedStatus.ISSUED)
    raise NotAllowed("Chỉ Tổ giúp việc và lãnh đạo tỉnh xem được báo cáo định kỳ.")


def reports(*, actor: Access) -> QuerySet[IssuedReport]:
    """Newest first, without the stored files and facts."""
    return _visible(Access.of(actor)).defer("docx", "pdf", "facts")


def report_get(*, actor: Access, pk: int, files: bool = False) -> IssuedReport:
    """One report the actor may read (IssuedReport.DoesNotExist otherwise); `files` loads the
    stored DOCX and PDF too."""
    qs = _visible(Access.of(actor))
    return qs.get(pk=pk) if files else qs.defer("docx", "pdf").get(pk=pk)


def periods() -> QuerySet[Period]:
    """The periods a report can be made for: those that have started, newest first."""
    return Period.objects.filter(start__lte=timezone.localdate()).order_by("-end", "period_type")


def default_period() -> Period | None:
    """The latest quarter that has ended (the quarterly report is written after its quarter)."""
    today = timezone.localdate()
    return (
        Period.objects.filter(period_type=PeriodType.QUARTERLY, end__lt=today).order_by("-end").first()
        or periods().first()
    )


def scope_choices() -> dict:
    return {
        "plans": list(Document.objects.order_by("-issued_on", "code")),
        "pillars": Pillar.choices,
        "agencies": list(Agency.objects.filter(valid_to__isnull=True).order_by("name")),
    }
