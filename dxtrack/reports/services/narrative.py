"""The narrative of a report: results, difficulties and proposals, in words."""

from django.db import transaction
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.reports.models import Report

from .editing import SOURCES, Conflict, may_fill, require_open, text_field

NARRATIVE_FIELDS = ("results", "difficulties", "proposals")
MAX_NARRATIVE = 20000


@transaction.atomic
def narrative_save(
    *, actor: Access, report: Report, expected_version: int | None, source: str = "web", **texts
) -> Report:
    access = Access.of(actor)
    if not may_fill(access, report.obligation):
        raise NotAllowed("Chỉ cán bộ của đơn vị được viết báo cáo của đơn vị mình.")
    report = Report.objects.select_for_update(of=("self",)).select_related("obligation__period").get(pk=report.pk)
    require_open(report)
    if expected_version is not None and report.version != expected_version:
        raise Conflict(
            "Người khác vừa sửa phần thuyết minh của báo cáo này.",
            current={f: getattr(report, f) for f in NARRATIVE_FIELDS},
        )
    before = {f: getattr(report, f) for f in NARRATIVE_FIELDS}
    after = dict(before)
    for name in NARRATIVE_FIELDS:
        if name in texts:
            text, problem = text_field(texts[name], "Phần thuyết minh", MAX_NARRATIVE)
            if problem:
                raise InvalidData(problem)
            after[name] = text
    changes = audit.diff(before, after)
    if not changes:
        return report
    for name, text in after.items():
        setattr(report, name, text)
    report.version += 1
    report.updated_at = timezone.now()
    report.save(update_fields=[*NARRATIVE_FIELDS, "version", "updated_at"])
    audit.record(
        actor=access,
        action="reporting.report.narrative",
        target=report,
        changes=changes,
        reason=SOURCES.get(source, source),
    )
    return report
