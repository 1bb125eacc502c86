"""Applying an uploaded workbook all or nothing, through the reports' services."""

from dataclasses import dataclass, field

from django.db import transaction

from dxtrack.accounts.access import Access
from dxtrack.reports import selectors
from dxtrack.reports import validation as v
from dxtrack.reports.models import Report
from dxtrack.reports.services.editing import require_editable
from dxtrack.reports.services.narrative import narrative_save
from dxtrack.reports.services.rows import ImportSummary
from dxtrack.reports.services.task_updates import task_updates_apply
from dxtrack.reports.services.values import values_apply

from .layout import NARRATIVE, PART_COLUMNS, Layout, _count
from .reading import _open, _read, _refuse, _structure_problems
from .signing import _check_identity


@dataclass
class ImportResult:
    """What an upload did (or, in a dry run, would do): the summaries of the values and of the
    task updates, and the narrative fields it changed."""

    values: ImportSummary
    tasks: ImportSummary
    narrative_changed: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict:
        return {
            "dryRun": self.dry_run,
            "values": self.values.as_dict(),
            "tasks": self.tasks.as_dict(),
            "narrativeChanged": self.narrative_changed,
        }


class _DryRun(Exception):
    """Raised inside the transaction to undo a dry run; carries what it would have done."""

    def __init__(self, result: ImportResult):
        super().__init__("dry run")
        self.result = result


def _value_problems(summary: ImportSummary, places: dict[str, tuple[int, str]]) -> list[str]:
    """Each refused value with its cell when the finding names a part, else its row."""
    out = []
    for result in summary.errors:
        errors = [f for f in result.findings if f.level == v.ERROR]
        if not errors:
            out.append(f"{result.where}: {result.reason}")
            continue
        number, label = places[result.indicator]
        for finding in errors:
            col = PART_COLUMNS.get(finding.field)
            out.append(f"Ô {col}{number} ({label}): {finding.message}" if col else f"{result.where}: {finding.message}")
    return out


def import_file(*, actor: Access, report: Report, data: bytes, filename: str, dry_run: bool = False) -> ImportResult:
    """Applies a filled template to `report`, all or nothing; refuses with every problem, each
    with its cell or row. A dry run checks everything and saves nothing."""
    report = Report.objects.select_related(
        "obligation__period", "obligation__rule__document", "obligation__agency", "obligation__admin_unit"
    ).get(pk=report.pk)
    # Asked first, so neither a stranger nor a closed report gets to learn about the file.
    require_editable(actor=actor, report=report)
    wb = _open(data, filename)
    form = selectors.report_form(report)
    ws = _check_identity(wb, report, form)
    layout = Layout(len(form.rows), len(form.tasks))
    problems = _structure_problems(ws, layout, form)
    if problems:
        raise _refuse(problems, "Cấu trúc tệp khác biểu mẫu; chưa lưu gì. Hãy tải biểu mẫu mới và nhập lại.")
    parsed = _read(ws, layout, form)
    if parsed.problems:
        raise _refuse(
            parsed.problems, f"Tệp có {_count(len(parsed.problems))} lỗi; chưa lưu gì. Hãy sửa rồi tải lên lại."
        )

    try:
        with transaction.atomic():
            value_summary = values_apply(actor=actor, report=report, rows=parsed.values, strict=True, source="excel")
            # Once a value is refused the tasks are only checked: the file fails as a whole anyway.
            task_summary = task_updates_apply(
                actor=actor,
                report=report,
                rows=parsed.tasks,
                dry_run=value_summary.status == "error",
                source="excel",
            )
            problems = _value_problems(value_summary, parsed.places) + [
                f"{r.where}: {r.reason}" for r in task_summary.errors
            ]
            if problems:
                # Raised inside the block so the values already saved roll back with it.
                raise _refuse(problems, f"Tệp có {_count(len(problems))} lỗi; chưa lưu gì. Hãy sửa rồi tải lên lại.")
            before = {name: getattr(report, name) for name, _label in NARRATIVE}
            saved = narrative_save(
                actor=actor, report=report, expected_version=None, source="excel", **parsed.narrative
            )
            changed = [name for name, _label in NARRATIVE if getattr(saved, name) != before[name]]
            result = ImportResult(value_summary, task_summary, changed, dry_run)
            if dry_run:
                # Everything ran as for real, so the preview is exactly what a real upload does.
                value_summary.dry_run = task_summary.dry_run = True
                raise _DryRun(result)
    except _DryRun as undone:
        return undone.result
    return result
