"""What a periodic report says, gathered from the selectors the dashboards and the reporting pages
use, so that every number in the report is the number on the screen.

`gather` returns plain JSON (the "facts": counts, rows of the tables, the late units, the units'
difficulties and proposals with their sources); it is stored with the draft and frozen at issue, so
the tables of an issued report never move when later approvals change the dashboards. The text is
written from those facts by `compose`.

Target progress and task states are the stored, current ones (what the dashboard shows on the day
the report is composed); completeness, late reports and the narratives belong to the period.
"""

import datetime
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from dxtrack.accounts.access import Access
from dxtrack.analytics import selectors as dashboard
from dxtrack.analytics.services.cards import latest_updates, predecessors
from dxtrack.core.dates import format_vn_date
from dxtrack.core.errors import InvalidData
from dxtrack.core.numbers import format_number
from dxtrack.core.templatetags.vn import target_value
from dxtrack.obligations import selectors as obligation_selectors
from dxtrack.obligations.models import Period
from dxtrack.org.models import Agency
from dxtrack.plans.models import Document, PartyRole, Pillar, Task, TaskParty
from dxtrack.reports import selectors as reporting
from dxtrack.reports.models import Report

PROGRAMME, PLAN, PILLAR, AGENCY = "programme", "plan", "pillar", "agency"
# The generated text names at most this many units after a difficulty or proposal; the facts keep
# them all (the draft page lists them).
UNITS_NAMED = 12
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


@dataclass(frozen=True)
class ScopeRef:
    kind: str
    key: str
    label: str


def scope_of(kind: str, key: str = "") -> ScopeRef:
    """The scope named by a kind and a key (a plan's code, a pillar's code, an agency's code);
    InvalidData with a Vietnamese message when it names nothing."""
    key = (key or "").strip()
    province = settings.DXTRACK_PROVINCE_NAME
    if kind == PROGRAMME:
        return ScopeRef(PROGRAMME, "", f"Chương trình chuyển đổi số tỉnh {province}")
    if kind == PLAN:
        document = Document.objects.filter(code=key).first() if key else None
        if document is None:
            raise InvalidData("Hãy chọn một kế hoạch có trong danh mục.")
        return ScopeRef(PLAN, key, f"{document.get_doc_type_display()} {document.reference}: {document.title}")
    if kind == PILLAR:
        if key not in Pillar.values:
            raise InvalidData("Hãy chọn một trụ cột chuyển đổi số.")
        return ScopeRef(PILLAR, key, f"Trụ cột {Pillar(key).label}")
    if kind == AGENCY:
        agency = Agency.objects.filter(code=key).first() if key else None
        if agency is None:
            raise InvalidData("Hãy chọn một cơ quan có trong danh mục.")
        return ScopeRef(AGENCY, key, agency.name)
    raise InvalidData(
        "Phạm vi báo cáo không hợp lệ: chọn toàn bộ chương trình, một kế hoạch, một trụ cột hoặc một cơ quan."
    )


# ---- numbers, from the dashboard's selectors ------------------------------------------------------


def _target_rows(scope: ScopeRef) -> list:
    if scope.kind == AGENCY:
        return dashboard.agency_page(Agency.objects.get(code=scope.key)).extra["targets"]
    rows = dashboard.target_rows(pillar=scope.key if scope.kind == PILLAR else "")
    if scope.kind == PLAN:
        rows = [r for r in rows if r.target.document.code == scope.key]
    return rows


def _target_fact(row) -> dict:
    target, tp = row.target, row.progress
    unit = target.indicator.unit if target.indicator else target.unit
    return {
        "id": target.pk,
        "label": target.label,
        "document": target.document.reference,
        "pillar": str(Pillar(dashboard.pillar_of(target)).label) if dashboard.pillar_of(target) else "",
        "milestone": f"{target_value(target)} ({target.year})" if target.year else target_value(target),
        "latest_value": tp.latest_value,
        "latest_year": tp.latest_year,
        "latest": (
            f"{format_number(tp.latest_value, unit, show_unit=True)} ({tp.latest_year})"
            if tp.latest_value is not None
            else "—"
        ),
        "status": tp.status,
        "status_label": row.status_label,
        "projected": row.projected,
        "projection": format_number(row.projected, unit, show_unit=True) if row.projected is not None else "—",
    }


def _counts(targets: list[dict]) -> dict[str, int]:
    counts = Counter(t["status"] for t in targets)
    return {s: counts.get(s, 0) for s in dashboard.STATUSES}


def _pillars(targets: list[dict]) -> list[dict]:
    groups = defaultdict(list)
    for t in targets:
        groups[t["pillar"]].append(t)
    order = [str(label) for _, label in Pillar.choices] + [""]
    return [
        {"label": label or "Chưa xếp trụ cột", "counts": _counts(groups[label]), "total": len(groups[label])}
        for label in order
        if groups.get(label)
    ]


def _lead_names(task_ids: list[int]) -> dict[int, str]:
    """Each task's lead bodies by name ("Sở Thông tin và Truyền thông; UBND cấp xã"), one query."""
    names: dict[int, list[str]] = {}
    parties = (
        TaskParty.objects.filter(task_id__in=task_ids, role=PartyRole.LEAD)
        .select_related("agency", "group", "admin_unit")
        .order_by("task_id", "position")
    )
    for party in parties:
        body = party.agency or party.group or party.admin_unit
        name = body.name if body else party.text
        if name and name not in names.setdefault(party.task_id, []):
            names[party.task_id].append(name)
    return {pk: "; ".join(n) for pk, n in names.items()}


def _tasks(scope: ScopeRef, at: datetime.date) -> list[dict]:
    """Each task with the state the agency dashboard gives it: its latest approved update, judged
    against its deadline and recurrence on `at`."""
    if scope.kind == AGENCY:
        rows = dashboard.agency_page(Agency.objects.get(code=scope.key), at=at).extra["tasks"]
    else:
        tasks = (
            Task.objects.in_force(at)
            .select_related("document", "clause")
            .order_by("document__issued_on", "document_id", "position")
        )
        if scope.kind == PLAN:
            tasks = tasks.filter(document__code=scope.key)
        elif scope.kind == PILLAR:
            tasks = tasks.filter(pillar=scope.key)
        updates = latest_updates(Q(task_id__in=[t.pk for t in tasks]))
        rows = [dashboard.task_row(task, updates.get(task.pk), at) for task in tasks]
    leads = _lead_names([r.task.pk for r in rows])
    return [
        {
            "id": r.task.pk,
            "title": r.task.title,
            "document": r.task.document.reference,
            "lead": leads.get(r.task.pk, ""),
            "deadline": r.task.deadline_label,
            "state": r.state,
            "state_label": r.label,
            "percent": r.percent,
            "period": r.period,
        }
        for r in rows
    ]


def _task_counts(tasks: list[dict]) -> dict[str, int]:
    counts = Counter(t["state"] for t in tasks)
    return {s: counts.get(s, 0) for s in dashboard.TASK_STATES}


def _task_groups(tasks: list[dict]) -> list[dict]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for t in tasks:
        groups[t["document"]].append(t)
    return [{"document": d, "counts": _task_counts(ts), "total": len(ts)} for d, ts in groups.items()]


# ---- reporting: completeness, late units, narratives ----------------------------------------------


def _agency_bodies(scope: ScopeRef) -> set[int]:
    return predecessors(Agency.objects.get(code=scope.key))


def _obligation_filter(scope: ScopeRef) -> Q:
    if scope.kind == PLAN:
        return Q(rule__document__code=scope.key)
    if scope.kind == AGENCY:
        return Q(agency_id__in=_agency_bodies(scope))
    return Q()  # reports are not kept per pillar: a pillar's report counts every unit's reports


def _unit_name(obligation) -> str:
    return str(obligation.agency or obligation.admin_unit)


def _reporting(scope: ScopeRef, period: Period, actor, at: datetime.date) -> dict:
    where = _obligation_filter(scope)
    rows = [
        row
        for row in reporting.completeness(actor=actor, year=period.year, period_type=period.period_type)
        if row.period.pk == period.pk
    ]
    merged: dict[str, reporting.Rates] = {}  # two rules of a plan may read alike: one row each label
    for row in rows:
        if scope.kind == AGENCY:
            # A form's rates over this agency's own obligations only.
            qs = obligation_selectors.obligations(actor=actor).filter(where, period=period, rule_id=row.rule_id)
            rates = reporting.rates_of(qs)
        elif scope.kind == PLAN:
            if not obligation_selectors.obligations(actor=actor).filter(where, rule_id=row.rule_id).exists():
                continue
            rates = row.rates
        else:
            rates = row.rates
        if rates.expected:
            merged[row.rule_label] = _add(merged.get(row.rule_label), rates)
    forms = [_rates_fact(label, rates) for label, rates in merged.items()]
    total = reporting.rates_of(obligation_selectors.obligations(actor=actor).filter(where, period=period))
    late = reporting.late_reports(actor=actor, period=period, today=at)
    if where:
        keep = set(
            obligation_selectors.obligations(actor=actor).filter(where, period=period).values_list("pk", flat=True)
        )
        late = [r for r in late if r.obligation.pk in keep]
    return {
        "forms": forms,
        "total": _rates_fact("Tổng cộng", total),
        "late": [
            {
                "unit": _unit_name(r.obligation),
                "due": format_vn_date(r.obligation.due),
                "status": r.status,
                "status_label": r.status_label,
                "days_late": r.days_late,
            }
            for r in sorted(late, key=lambda r: (r.status != "missing", -r.days_late, _unit_name(r.obligation)))
        ],
    }


def _add(a, b):
    if a is None:
        return b
    return reporting.Rates(a.expected + b.expected, a.reported + b.reported, a.on_time + b.on_time)


def _rates_fact(label: str, rates) -> dict:
    return {
        "label": label,
        "expected": rates.expected,
        "reported": rates.reported,
        "on_time": rates.on_time,
        "reporting_rate": rates.reporting_rate,
        "on_time_rate": rates.on_time_rate,
    }


# "Không có đề xuất, kiến nghị." says nothing to gather.
_NOTHING = re.compile(r"^(không có|không)\b.{0,40}(khó khăn|vướng mắc|đề xuất|kiến nghị)\W*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[^\s])")


def _sentences(text: str) -> list[str]:
    """A narrative cut into its statements, so that the same difficulty written by many units
    becomes one line with its units, not a paragraph per unit."""
    out = []
    for line in (text or "").splitlines():
        for piece in _SENTENCE_END.split(line.strip()):
            piece = piece.strip(" -–•+\t")
            if len(piece) > 3 and not _NOTHING.match(piece):
                out.append(piece if piece[-1] in ".!?;" else piece + ".")
    return out


def _narratives(scope: ScopeRef, period: Period, actor) -> dict:
    where = _obligation_filter(scope)
    reports = (
        Report.objects.approved()
        .filter(obligation__in=obligation_selectors.obligations(actor=actor).filter(where, period=period))
        .select_related("obligation__agency", "obligation__admin_unit")
        .order_by("obligation__agency__name", "obligation__admin_unit__name", "pk")
    )
    out: dict[str, list[dict]] = {}
    for part in ("difficulties", "proposals"):
        units: dict[str, list[str]] = {}
        for report in reports:
            name = _unit_name(report.obligation)
            for sentence in _sentences(getattr(report, part)):
                named = units.setdefault(sentence, [])
                if name not in named:
                    named.append(name)
        ranked = sorted(units.items(), key=lambda item: (-len(item[1]), item[0]))
        out[part] = [{"text": text, "units": names} for text, names in ranked]
    out["reports"] = len(reports)
    return out


def gather(*, period: Period, scope: ScopeRef, actor: Access, at: datetime.date) -> dict:
    """Every fact the report states, as JSON. `actor` scopes the reporting reads (the
    secretariat's reach is the whole province)."""
    # The reporting selectors still take the person (they move to Access with the reports layer).
    reader = Access.of(actor).user
    targets = [_target_fact(r) for r in _target_rows(scope)]
    tasks = _tasks(scope, at)
    return {
        "at": at.isoformat(),
        "period": {
            "id": period.pk,
            "label": period.label,
            "type": period.period_type,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "data_from": period.data_from.isoformat(),
            "data_to": period.data_to.isoformat(),
        },
        "scope": {"kind": scope.kind, "key": scope.key, "label": scope.label},
        # The year the targets' statuses are assessed as of: the dashboards' (stored progress).
        "as_of": dashboard.assessed_as_of(),
        "targets": targets,
        "counts": _counts(targets),
        "pillars": _pillars(targets),
        "tasks": tasks,
        "task_counts": _task_counts(tasks),
        "task_groups": _task_groups(tasks),
        "reporting": _reporting(scope, period, reader, at),
        "narratives": _narratives(scope, period, reader),
    }
