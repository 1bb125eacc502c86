"""What a periodic report says, gathered from the selectors the dashboards and the reporting pages
use, so that every number in the report is the number on the screen.

`gather` returns plain JSON (the "facts": counts, rows of the tables, the late units, the units'
difficulties and proposals with their sources); it is stored with the draft and frozen at issue, so
the tables of an issued report never move when later approvals change the dashboards. `sections`
writes the Vietnamese text of each part from those facts (never from the seeds' wording); the
secretariat edits that text before issuing.

Target progress and task states are the stored, current ones (what the dashboard shows on the day
the report is composed); completeness, late reports and the narratives belong to the period.
"""

import datetime
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from dxtrack.analytics import progress as p
from dxtrack.analytics import selectors as dashboard
from dxtrack.analytics import services as analytics_services
from dxtrack.core.dates import format_vn_date
from dxtrack.core.errors import InvalidData
from dxtrack.core.numbers import PERCENT, format_number
from dxtrack.core.templatetags.vn import target_value
from dxtrack.obligations import selectors as obligation_selectors
from dxtrack.obligations.calendar import PeriodBounds, bounds_sentence, periods
from dxtrack.obligations.models import Period
from dxtrack.org.models import Agency
from dxtrack.plans.models import Document, PartyRole, Pillar, Task, TaskParty
from dxtrack.reports import selectors as reporting
from dxtrack.reports.models import Report, ReportStatus

PROGRAMME, PLAN, PILLAR, AGENCY = "programme", "plan", "pillar", "agency"
APPROVED = [ReportStatus.APPROVED, ReportStatus.LOCKED]
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
        updates = analytics_services.latest_updates(Q(task_id__in=[t.pk for t in tasks]))
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
    return analytics_services.predecessors(Agency.objects.get(code=scope.key))


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
        Report.objects.filter(obligation__in=obligation_selectors.obligations(actor=actor).filter(where, period=period))
        .filter(status__in=APPROVED)
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


def gather(*, period: Period, scope: ScopeRef, actor, at: datetime.date) -> dict:
    """Every fact the report states, as JSON. `actor` scopes the reporting reads (the
    secretariat's reach is the whole province)."""
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
        "reporting": _reporting(scope, period, actor, at),
        "narratives": _narratives(scope, period, actor),
    }


# ---- the generated text --------------------------------------------------------------------------

SECTION_TITLES = {
    "intro": "Mở đầu",
    "overview": "1. Tình hình chung",
    "pillars": "2. Kết quả theo trụ cột",
    "targets": "3. Các chỉ tiêu",
    "tasks": "4. Các nhiệm vụ",
    "reporting": "5. Công tác báo cáo của các đơn vị",
    "difficulties": "II. KHÓ KHĂN, VƯỚNG MẮC",
    "proposals": "III. ĐỀ XUẤT, KIẾN NGHỊ",
    "next": "IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI",
    "recipients": "Nơi nhận",
    "sign_authority": "Thẩm quyền ký (TM./KT.)",
    "sign_title": "Chức vụ người ký",
    "sign_name": "Họ và tên người ký",
}
TEXT_SECTIONS = ["intro", "overview", "pillars", "targets", "tasks", "reporting", "difficulties", "proposals", "next"]


def issuer() -> dict:
    """The issuing body as the header block writes it; settings may name another one."""
    province = settings.DXTRACK_PROVINCE_NAME
    return {
        "parent": getattr(settings, "DXTRACK_REPORT_ISSUER_PARENT", f"UBND TỈNH {province.upper()}"),
        "name": getattr(settings, "DXTRACK_REPORT_ISSUER", "TỔ GIÚP VIỆC BAN CHỈ ĐẠO\nCHUYỂN ĐỔI SỐ TỈNH"),
        # The same body as a sentence names it.
        "name_text": getattr(settings, "DXTRACK_REPORT_ISSUER_TEXT", "Tổ giúp việc Ban Chỉ đạo chuyển đổi số tỉnh"),
        "symbol": getattr(settings, "DXTRACK_REPORT_SYMBOL", "TGV"),
        "place": getattr(settings, "DXTRACK_REPORT_PLACE", province),
    }


def period_words(facts: dict) -> str:
    """'quý III năm 2026', '6 tháng đầu năm 2026', 'năm 2026'."""
    label = facts["period"]["label"]
    match = re.match(r"Quý ([IV]+)/(\d{4})", label)
    if match:
        return f"quý {match.group(1)} năm {match.group(2)}"
    return label[:1].lower() + label[1:]


def period_bounds(facts: dict) -> str:
    """The report's kỳ báo cáo and kỳ số liệu in one sentence (reporting.calendar's names).
    Facts gathered before they carried the data window take it from the calendar."""
    fact = facts["period"]
    day = datetime.date.fromisoformat
    start, end = day(fact["start"]), day(fact["end"])
    if "data_from" in fact:
        data_from, data_to = day(fact["data_from"]), day(fact["data_to"])
    else:
        spec = next(s for s in periods(fact["type"], start.year) if s.start == start)
        data_from, data_to = spec.data_from, spec.data_to
    return bounds_sentence(PeriodBounds(fact["label"], start, end, data_from, data_to))


def title_of(facts: dict) -> str:
    """The summary line under "BÁO CÁO"."""
    words = f"Kết quả thực hiện chuyển đổi số {period_words(facts)}"
    if facts["scope"]["kind"] == PROGRAMME:
        return words
    return f"{words} — {facts['scope']['label']}"


def _share(n: int, total: int) -> str:
    return f"{n} ({format_number(100 * n / total, PERCENT, show_unit=True)})" if total else str(n)


def _status_phrase(counts: dict) -> str:
    parts = [f"{counts[s]} {dashboard.status_label(s).lower()}" for s in dashboard.STATUSES if counts.get(s)]
    return ", ".join(parts)


def _overview(facts: dict) -> str:
    counts, total = facts["counts"], len(facts["targets"])
    where = "Toàn tỉnh" if facts["scope"]["kind"] == PROGRAMME else facts["scope"]["label"]
    at = format_vn_date(datetime.date.fromisoformat(facts["at"]))
    if not total:
        first = f"{where} chưa có chỉ tiêu nào được theo dõi tiến độ."
    else:
        first = f"{where} có {total} chỉ tiêu được theo dõi tiến độ: {_status_phrase(counts)}."
        risky = sum(counts.get(s, 0) for s in dashboard.AT_RISK)
        if risky:
            first += (
                f" Số chỉ tiêu cần tập trung chỉ đạo (đi lùi, chậm tiến độ, cần đẩy nhanh) là {_share(risky, total)}."
            )
    tasks, tc = facts["tasks"], facts["task_counts"]
    second = (
        f"Về nhiệm vụ, có {len(tasks)} nhiệm vụ: "
        + ", ".join(f"{tc[s]} {p.TASK_LABELS[s].lower()}" for s in dashboard.TASK_STATES if tc.get(s))
        + "."
        if tasks
        else "Chưa có nhiệm vụ nào thuộc phạm vi báo cáo."
    )
    return "\n".join(
        [
            first,
            second,
            f"{period_bounds(facts)} Số liệu tổng hợp đến ngày {at} từ các báo cáo đã được duyệt "
            "của các cơ quan, đơn vị.",
        ]
    )


def _pillar_text(facts: dict) -> str:
    lines = []
    for group in facts["pillars"]:
        counts, total = group["counts"], group["total"]
        achieved = counts.get(p.ACHIEVED, 0) + counts.get(p.ON_TRACK, 0)
        line = f"- {group['label']}: {total} chỉ tiêu, trong đó {_status_phrase(counts)}."
        if total:
            share = format_number(100 * achieved / total, PERCENT, show_unit=True)
            line += f" Tỷ lệ chỉ tiêu đã đạt hoặc đúng tiến độ: {share}."
        lines.append(line)
    return "\n".join(lines) or "Chưa có chỉ tiêu nào được xếp theo trụ cột."


def _targets_text(facts: dict) -> str:
    targets = facts["targets"]
    if not targets:
        return "Không có chỉ tiêu nào thuộc phạm vi báo cáo."
    # One line per indicator: its milestones are separate targets with the same label.
    worst, seen = [], set()
    for t in targets:
        if t["status"] in (p.REGRESSING, p.MISSED, p.OFF_TRACK) and t["label"] not in seen and len(worst) < 5:
            worst.append(t)
            seen.add(t["label"])
    lines = [
        f"Chi tiết {len(targets)} chỉ tiêu (giá trị mới nhất, mốc kế hoạch, tình trạng và dự báo đến năm mục tiêu) "
        "tại Phụ lục I kèm theo báo cáo này."
    ]
    if worst:
        lines.append("Các chỉ tiêu đi lùi, không đạt hoặc chậm tiến độ cần lưu ý:")
        # A missed milestone is past: it has no projection to state.
        lines += [
            f"- {t['label']}: đạt {t['latest']}, mốc {t['milestone']}"
            + (f", dự báo {t['projection']}." if t.get("projected") is not None else f": {t['status_label'].lower()}.")
            for t in worst
        ]
    return "\n".join(lines)


def _tasks_text(facts: dict) -> str:
    tasks, tc = facts["tasks"], facts["task_counts"]
    if not tasks:
        return "Không có nhiệm vụ nào thuộc phạm vi báo cáo."
    line = (
        f"Trong {len(tasks)} nhiệm vụ, {_share(tc.get(p.DONE, 0), len(tasks))} đã hoàn thành; "
        f"{tc.get(p.OVERDUE, 0)} nhiệm vụ quá hạn chưa hoàn thành; {tc.get(p.NOT_STARTED, 0)} nhiệm vụ chưa triển khai."
    )
    return line + "\nTình trạng từng nhiệm vụ tại Phụ lục II kèm theo báo cáo này."


def _reporting_text(facts: dict) -> str:
    r = facts["reporting"]
    total, late = r["total"], r["late"]
    if not total["expected"]:
        return f"Trong {facts['period']['label']} không có đơn vị nào phải gửi báo cáo thuộc phạm vi này."
    missing = sum(1 for x in late if x["status"] != "late_submitted")
    rate = format_number(total["reporting_rate"], PERCENT, show_unit=True)
    on_time = format_number(total["on_time_rate"], PERCENT, show_unit=True)
    lines = [
        f"Kỳ {facts['period']['label']} có {total['expected']} báo cáo phải gửi; đã gửi {total['reported']} "
        f"(đạt {rate}), trong đó {total['on_time']} báo cáo gửi đúng hạn (đạt {on_time})."
    ]
    if late:
        lines.append(
            f"Còn {missing} đơn vị chưa gửi báo cáo và {len(late) - missing} đơn vị gửi muộn "
            "(danh sách tại Phụ lục III)."
        )
    return "\n".join(lines)


def _named(units: list[str]) -> str:
    if len(units) <= UNITS_NAMED:
        return ", ".join(units)
    return ", ".join(units[:UNITS_NAMED]) + f" và {len(units) - UNITS_NAMED} đơn vị khác"


def _narrative_text(items: list[dict], empty: str) -> str:
    if not items:
        return empty
    return "\n".join(f"- {i['text']} ({_named(i['units'])})" for i in items)


def _next_text(facts: dict) -> str:
    counts, tc = facts["counts"], facts["task_counts"]
    lines = []
    risky = sum(counts.get(s, 0) for s in dashboard.AT_RISK)
    if risky:
        lines.append(
            f"- Tập trung chỉ đạo, đẩy nhanh tiến độ {risky} chỉ tiêu đi lùi, chậm tiến độ hoặc cần đẩy nhanh."
        )
    if tc.get(p.OVERDUE):
        lines.append(f"- Đôn đốc hoàn thành {tc[p.OVERDUE]} nhiệm vụ đã quá hạn.")
    if tc.get(p.NOT_STARTED):
        lines.append(f"- Triển khai {tc[p.NOT_STARTED]} nhiệm vụ chưa triển khai.")
    missing = sum(1 for x in facts["reporting"]["late"] if x["status"] != "late_submitted")
    if missing:
        lines.append(f"- Nhắc {missing} đơn vị chưa gửi báo cáo hoàn thành báo cáo kỳ {facts['period']['label']}.")
    lines.append("- Tiếp tục cập nhật số liệu, bảo đảm báo cáo đúng hạn, đầy đủ, chính xác.")
    return "\n".join(lines)


def sections(facts: dict) -> dict[str, str]:
    """The editable text of every part, written from the facts."""
    who = issuer()
    scope = facts["scope"]["label"]
    return {
        "intro": (
            f"{who['name_text']} báo cáo kết quả thực hiện {period_words(facts)} "
            f"của {scope[:1].lower()}{scope[1:]} như sau:"
        ),
        "overview": _overview(facts),
        "pillars": _pillar_text(facts),
        "targets": _targets_text(facts),
        "tasks": _tasks_text(facts),
        "reporting": _reporting_text(facts),
        "difficulties": _narrative_text(
            facts["narratives"]["difficulties"], "Các đơn vị không báo cáo khó khăn, vướng mắc trong kỳ."
        ),
        "proposals": _narrative_text(
            facts["narratives"]["proposals"], "Các đơn vị không có đề xuất, kiến nghị trong kỳ."
        ),
        "next": _next_text(facts),
        "recipients": "\n".join(
            [
                "- Ban Chỉ đạo chuyển đổi số tỉnh (để b/c);",
                f"- UBND tỉnh {settings.DXTRACK_PROVINCE_NAME} (để b/c);",
                "- Các sở, ban, ngành cấp tỉnh;",
                "- UBND các xã, phường;",
                f"- Lưu: VT, {who['symbol']}.",
            ]
        ),
        "sign_authority": "TM. TỔ GIÚP VIỆC",
        "sign_title": "TỔ TRƯỞNG",
        "sign_name": "",
    }


def summary_of(facts: dict) -> str:
    """One line for the list of reports."""
    total = len(facts["targets"])
    counts = facts["counts"]
    r = facts["reporting"]["total"]
    return (
        f"{total} chỉ tiêu ({counts.get(p.ACHIEVED, 0)} đã đạt, {counts.get(p.ON_TRACK, 0)} đúng tiến độ); "
        f"{len(facts['tasks'])} nhiệm vụ; báo cáo đã gửi {r['reported']}/{r['expected']}."
    )
