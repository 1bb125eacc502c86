"""The intents: each says whether a question is its own (`cue`) and answers it (`answer`) from the
same selectors the pages read, with the asking party's Access. Registered in order: the first
whose cue matches answers. Another app adds an intent with `register` (the assessments app will
replace "assessment", which answers "không tìm thấy" until it exists)."""

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz import fuzz

from dxtrack.accounts.access import Access
from dxtrack.analytics import selectors as progress
from dxtrack.analytics.models import TargetProgress
from dxtrack.analytics.services.targets import status_label
from dxtrack.core.dates import format_vn_date
from dxtrack.obligations.models import Period
from dxtrack.obligations.selectors import obligations
from dxtrack.plans import selectors as plan_selectors
from dxtrack.plans.models import Indicator, PartyRole
from dxtrack.reports.models import DataValue, ReportStatus
from dxtrack.reports.selectors import late_reports

from . import directives
from .answers import Answer, data_date_sentence, link, not_found, number, sources
from .knowledge import Knowledge
from .normalize import has, normalise
from .understand import TASK_COVERAGE, Question


@dataclass
class Intent:
    name: str
    label: str
    cue: Callable[[Question, Knowledge], bool]
    answer: Callable[[Question, Knowledge, Access], Answer]
    example: str = ""


REGISTRY: dict[str, Intent] = {}


def register(intent: Intent) -> Intent:
    """Adds (or replaces, keeping its place) an intent."""
    REGISTRY[intent.name] = intent
    return intent


def _cmp(target) -> str:
    value = number(target.value, target.unit)
    if target.comparator == "range" and target.value_max is not None:
        return f"từ {number(target.value)} đến {number(target.value_max, target.unit)}"
    return {">=": f"tối thiểu {value}", "<=": f"không quá {value}", "=": value}.get(target.comparator, value)


def indicator_name(code: str) -> str:
    ind = Indicator.objects.filter(code=code).first()
    return ind.name if ind else code


_indicator_name = indicator_name


def _login_needed(what: str, intent: str) -> Answer:
    return Answer(
        f"{what} chỉ dành cho người dùng đã đăng nhập; trang công khai chỉ có số liệu toàn tỉnh đã công bố.",
        intent,
        sources(link("Tiến độ công khai", "analytics:public")),
    )


def _suggest_indicator(q: Question) -> list[str]:
    codes = ([q.indicator] if q.indicator else []) + q.indicator_alternatives
    return [f"Chỉ tiêu {_indicator_name(c).lower()} năm 2025 là bao nhiêu?" for c in codes[:2]]


# ---- the value of a target ---------------------------------------------------------------------


def _target_value(q: Question, k: Knowledge, actor: Access) -> Answer:
    name = _indicator_name(q.indicator)
    qs = plan_selectors.targets(actor=actor).filter(indicator__code=q.indicator)
    years = sorted({t.year for t in qs if t.year})
    chosen = [t for t in qs if t.year == q.when.year] if q.when.year else list(qs)
    context = {"intent": "target_value", "indicator": q.indicator, "year": q.when.year}
    if not chosen:
        when = f" năm {q.when.year}" if q.when.year else ""
        hint = [f"Chỉ tiêu {name.lower()} năm {y} là bao nhiêu?" for y in years[-2:]]
        return not_found(f"chỉ tiêu “{name}”{when} trong các kế hoạch đang có hiệu lực.", "target_value", hint, context)
    lines, links = [], []
    for t in chosen[:6]:
        where = f"{t.document.reference}" + (f", mục {t.clause.path}" if t.clause else "")
        lines.append(f"năm {t.year}: {_cmp(t)} ({t.scope or 'toàn tỉnh'}; {where})")
        if t.clause:
            links.append(
                link(f"{t.document.reference}, mục {t.clause.path}", "plans:clause", t.document.code, t.clause.path)
            )
    links.append(link(f"Chỉ tiêu theo dõi: {name}", "plans:indicator", q.indicator))
    text = f"Chỉ tiêu “{name}”: " + "; ".join(lines) + "."
    return Answer(text, "target_value", sources(*links), context)


# ---- the latest approved value and status -----------------------------------------------------------


def _unit_value(q: Question, actor: Access, name: str) -> Answer:
    body = q.agency or q.unit
    context = {"intent": "indicator_status", "indicator": q.indicator, "year": q.when.year, "body": _body_ref(q)}
    if not actor.is_authenticated and not actor.is_system:
        return _login_needed(f"Số liệu của từng đơn vị ({body})", "indicator_status")
    values = DataValue.objects.approved().filter(indicator__code=q.indicator, value__isnull=False)
    values = values.filter(agency=q.agency) if q.agency else values.filter(admin_unit=q.unit)
    if q.when.year:
        values = values.filter(period__year=q.when.year)
    value = values.select_related("period", "indicator", "report").order_by("-period__end", "-pk").first()
    if value is None:
        return not_found(
            f"số liệu đã duyệt của {body} về “{name}”.", "indicator_status", _suggest_indicator(q), context
        )
    page = (
        link(f"Bảng điểm {body}", "analytics:agency", q.agency.code)
        if q.agency
        else link(f"Bảng điểm {body}", "analytics:commune", q.unit.pk)
    )
    report = (
        link(f"Báo cáo {value.period.label} của {body}", "reports:report", value.report_id)
        if actor.covers(agency_id=value.agency_id, admin_unit_id=value.admin_unit_id)
        else None
    )
    text = (
        f"{name} của {body}: {number(value.value, value.indicator.unit)} ({value.period.label}, đã duyệt). "
        f"{data_date_sentence()}"
    )
    text += _own_draft(q, actor, value)
    return Answer(text, "indicator_status", sources(report, page), context)


def _own_draft(q: Question, actor: Access, approved) -> str:
    """A unit's own people also see their latest figure not yet approved, said as such; nobody
    else ever does (the pages show another unit's drafts to no one but the secretariat)."""
    if not actor.reports_for(agency_id=q.agency.pk if q.agency else None, admin_unit_id=q.unit.pk if q.unit else None):
        return ""
    drafts = DataValue.objects.filter(indicator__code=q.indicator, value__isnull=False).exclude(
        report__status__in=_approved()
    )
    drafts = drafts.filter(agency=q.agency) if q.agency else drafts.filter(admin_unit=q.unit)
    draft = drafts.select_related("period", "report").order_by("-period__end", "-pk").first()
    if draft is None or draft.period.end <= approved.period.end:
        return ""
    state = str(ReportStatus(draft.report.status).label).lower()
    figure = number(draft.value, approved.indicator.unit)
    return f" Số liệu của đơn vị bạn chưa được duyệt: {figure} ({draft.period.label}, {state})."


def _progress_of(code: str, year: int | None) -> TargetProgress | None:
    qs = TargetProgress.objects.filter(target__indicator__code=code).select_related("target__document", "target")
    qs = qs.order_by("target__year", "target__pk")
    rows = list(qs)
    if not rows:
        return None
    if year:
        exact = [tp for tp in rows if tp.target.year == year]
        if exact:
            return exact[0]
    ahead = [tp for tp in rows if (tp.target.year or 0) >= (year or progress.assessed_as_of())]
    return ahead[0] if ahead else rows[-1]


def _indicator_status(q: Question, k: Knowledge, actor: Access) -> Answer:
    name = _indicator_name(q.indicator)
    if (q.agency or q.unit) and not q.province:
        return _unit_value(q, actor, name)
    context = {"intent": "indicator_status", "indicator": q.indicator, "year": q.when.year}
    tp = _progress_of(q.indicator, q.when.year)
    if tp is None or tp.latest_value is None:
        return not_found(
            f"số liệu đã duyệt của toàn tỉnh về “{name}”.", "indicator_status", _suggest_indicator(q), context
        )
    t = tp.target
    text = (
        f"{name} (toàn tỉnh): giá trị đã duyệt mới nhất {number(tp.latest_value, t.unit)} (năm {tp.latest_year}); "
        f"so với chỉ tiêu năm {t.year} ({_cmp(t)}, {t.document.reference}): {status_label(tp.status, tp.met_year)}. "
        f"{data_date_sentence()}"
    )
    page = (
        link(f"Tiến độ chỉ tiêu: {name}", "analytics:target", t.pk)
        if actor.is_authenticated or actor.is_system
        else link("Tiến độ công khai", "analytics:public")
    )
    clause = (
        link(f"{t.document.reference}, mục {t.clause.path}", "plans:clause", t.document.code, t.clause.path)
        if t.clause
        else None
    )
    return Answer(text, "indicator_status", sources(page, clause), context)


# ---- who leads a task --------------------------------------------------------------------------------


def _best_task(q: Question, k: Knowledge) -> list[tuple[int, float]]:
    """The best task by BM25, near ties broken by how alike the whole titles read (two tasks of
    one plan often share most of their words)."""
    top = k.task_index.top(q.words, k=5)
    if not top:
        return []
    asked = " ".join(w for w in q.words if "_" not in w)
    best = top[0][1]
    close = [(i, s) for i, s in top if s >= 0.85 * best]
    close.sort(key=lambda kv: -(kv[1] / best + fuzz.token_set_ratio(asked, normalise(k.tasks[kv[0]].title)) / 100))
    return close[:1]


def _task_owner(q: Question, k: Knowledge, actor: Access) -> Answer:
    if q.agency is not None and has(
        q.text, "nhiem vu nao", "nhung nhiem vu", "nhiem vu gi", "cac nhiem vu", "bao nhieu nhiem vu"
    ):
        return _agency_duties(q, actor)
    top = _best_task(q, k)
    if not top or k.task_index.coverage(q.words, top[0][0]) < TASK_COVERAGE:
        if q.agency is not None:
            return _agency_duties(q, actor)
        return not_found("nhiệm vụ nào khớp với câu hỏi.", "task_owner", ["Ai chủ trì nhiệm vụ <tên nhiệm vụ>?"])
    task = plan_selectors.tasks(actor=actor).filter(pk=k.tasks[top[0][0]].ref).first()
    if task is None:
        return not_found("nhiệm vụ này trong các kế hoạch đang có hiệu lực.", "task_owner")
    parties = list(task.parties.all())
    lead = ", ".join(p.text for p in parties if p.role == PartyRole.LEAD) or "không ghi"
    coordinating = ", ".join(p.text for p in parties if p.role == PartyRole.COORDINATING) or "không ghi"
    where = task.document.reference + (f", mục {task.clause.path}" if task.clause else "")
    text = (
        f"Nhiệm vụ “{task.title}” ({where}): chủ trì: {lead}; phối hợp: {coordinating}; "
        f"thời hạn: {task.deadline_label}."
    )
    links = [link(where, "plans:clause", task.document.code, task.clause.path) if task.clause else None]
    for p in parties:
        if p.role == PartyRole.LEAD and p.agency_id:
            links.append(link(f"Nhiệm vụ của {p.agency.name}", "plans:agency", p.agency.code))
    return Answer(text, "task_owner", sources(*links), {"intent": "task_owner", "task": task.pk})


def _agency_duties(q: Question, actor: Access) -> Answer:
    duties = plan_selectors.agency_tasks(q.agency, actor=actor)
    lead, coord = duties[PartyRole.LEAD], duties[PartyRole.COORDINATING]
    first = "; ".join(f"“{t.title[:80]}” (hạn {t.deadline_label})" for t in lead[:3])
    text = f"{q.agency.name} chủ trì {len(lead)} nhiệm vụ và phối hợp {len(coord)} nhiệm vụ" + (
        f", trong đó: {first}." if first else "."
    )
    return Answer(
        text,
        "task_owner",
        sources(link(f"Nhiệm vụ của {q.agency.name}", "plans:agency", q.agency.code)),
        {"intent": "task_owner", "body": _body_ref(q)},
    )


# ---- what a unit still owes ----------------------------------------------------------------------


def _body_ref(q: Question) -> str:
    if q.agency is not None:
        return f"agency:{q.agency.code}"
    if q.unit is not None:
        return f"unit:{q.unit.pk}"
    return ""


def _own_body(q: Question, actor: Access) -> None:
    if q.agency is None and q.unit is None and actor.user is not None:
        q.agency, q.unit = actor.user.agency, actor.user.admin_unit


def _owes(q: Question, k: Knowledge, actor: Access) -> Answer:
    if not actor.is_authenticated and not actor.is_system:
        return _login_needed("Việc còn nợ của từng đơn vị", "owes")
    _own_body(q, actor)
    body = q.agency or q.unit
    if body is None:
        return not_found("đơn vị được hỏi.", "owes", ["Sở Tài chính còn nợ báo cáo nào?"])
    context = {"intent": "owes", "body": _body_ref(q)}
    qs = (
        obligations(actor=actor).filter(agency=q.agency)
        if q.agency
        else obligations(actor=actor).filter(admin_unit=q.unit)
    )
    if not (actor.covers(agency_id=q.agency.pk) if q.agency else actor.covers(admin_unit_id=q.unit.pk)):
        return not_found(f"báo cáo nào của {body} mà bạn được xem.", "owes", context=context)
    open_ = qs.filter(period__start__lte=q.today).exclude(report__status__in=[ReportStatus.SUBMITTED, *_approved()])
    open_ = list(open_.order_by("due", "pk"))
    items = "; ".join(f"{o.period.label} (hạn {format_vn_date(o.due)}, {_state(o)})" for o in open_[:8])
    text = f"{body} còn {len(open_)} báo cáo chưa gửi" + (f": {items}" if items else "") + "."
    if q.agency is not None:
        overdue = overdue_tasks(q.agency, q.today)
        listed = "; ".join(f"“{r.task.title[:80]}” (hạn {r.task.deadline_label})" for r in overdue[:3])
        text += f" Nhiệm vụ chủ trì quá hạn: {len(overdue)}" + (f": {listed}" if listed else "") + "."
    # the committee's directives and the inspections' corrective actions, as steering shows them
    owed = directives.owed(actor, agency=q.agency, unit=None if q.agency else q.unit, today=q.today)
    text += directives.owed_sentence(owed)
    links = [link(f"Báo cáo kỳ {o.period.label}", "reports:obligation", o.pk) for o in open_[:3]]
    links.append(link("Báo cáo của đơn vị", "reports:index"))
    links += directives.owed_links(owed, actor)
    return Answer(text, "owes", sources(*links), context)


def overdue_tasks(agency, today) -> list:
    """The tasks the agency leads that are overdue today, as its progress page shows them."""
    from dxtrack.analytics import progress as p

    return [r for r in progress.agency_page(agency, at=today).extra["tasks"] if r.state == p.OVERDUE]


def _approved() -> list[str]:
    from dxtrack.reports.models import APPROVED

    return sorted(APPROVED)


def _state(obligation) -> str:
    report = getattr(obligation, "report", None)
    if report is None:
        return "chưa lập"
    return str(ReportStatus(report.status).label).lower()


# ---- late and missing reports -------------------------------------------------------------------------


def _period(q: Question) -> Period | None:
    if not q.when.period_type:
        return None
    return Period.objects.filter(period_type=q.when.period_type, year=q.when.year, number=q.when.number).first()


def _late(q: Question, k: Knowledge, actor: Access) -> Answer:
    if not actor.is_authenticated and not actor.is_system:
        return _login_needed("Danh sách báo cáo chậm, thiếu", "late")
    period = _period(q)
    context = {"intent": "late", "year": q.when.year, "period": q.when.period_type, "number": q.when.number}
    if q.when.period_type and period is None:
        return not_found(f"kỳ báo cáo {q.when.label} trong lịch báo cáo.", "late", context=context)
    rows = late_reports(actor=actor, today=q.today, period=period)
    if period is None and q.when.year:
        rows = [r for r in rows if r.obligation.period.year == q.when.year]
    scope = period.label if period else (f"năm {q.when.year}" if q.when.year else "tất cả các kỳ đã đến hạn")
    missing = sum(1 for r in rows if r.status == "missing")
    names = "; ".join(
        f"{r.obligation.agency or r.obligation.admin_unit} ({r.status_label}, {r.days_late} ngày)" for r in rows[:10]
    )
    text = f"{scope}: {len(rows)} báo cáo chậm hoặc thiếu (trong đó {missing} chưa lập)" + (
        f": {names}" + ("…" if len(rows) > 10 else "") if names else ""
    )
    text += f". Tính đến {format_vn_date(q.today)}."
    page = (
        link(f"Tổng hợp kỳ {period.label}", "reports:period", period.pk)
        if period
        else link("Tổng hợp báo cáo", "reports:completeness")
    )
    return Answer(text, "late", sources(page), context)


# ---- counts ------------------------------------------------------------------------------------------


def _pending(q: Question, k: Knowledge, actor: Access) -> Answer:
    if not actor.is_authenticated and not actor.is_system:
        return _login_needed("Số báo cáo chờ duyệt", "pending_count")
    n = obligations(actor=actor).filter(report__status=ReportStatus.SUBMITTED).count()
    return Answer(
        f"Có {n} báo cáo đang chờ duyệt (trong phạm vi bạn được xem), tính đến {format_vn_date(q.today)}.",
        "pending_count",
        sources(link("Báo cáo chờ duyệt", "reports:queue")),
        {"intent": "pending_count"},
    )


_AT_RISK_WORDS = ("nguy co", "cham tien do", "can tang toc", "khong dat", "lech huong", "cham")


def _target_counts(q: Question, k: Knowledge, actor: Access) -> Answer:
    from dxtrack.analytics import progress as p

    s = progress.summary(year=q.when.year)
    counts = {c.status: c.count for c in s.cards}
    year = f" năm {q.when.year}" if q.when.year else ""
    at_risk = sum(counts.get(st, 0) for st in progress.AT_RISK)
    achieved = counts.get(p.ACHIEVED, 0)
    parts = "; ".join(f"{c.label}: {c.count}" for c in s.cards if c.count)
    if has(q.text, *_AT_RISK_WORDS):
        head = f"Có {at_risk} chỉ tiêu{year} có nguy cơ không đạt (chậm, lệch hướng hoặc cần tăng tốc)"
    else:
        head = f"Có {achieved} chỉ tiêu{year} đã đạt"
    text = f"{head}, trên tổng số {s.total} chỉ tiêu có đánh giá ({parts}). {data_date_sentence()}"
    page = (
        link("Tổng quan tiến độ", "analytics:overview")
        if actor.is_authenticated
        else link("Tiến độ công khai", "analytics:public")
    )
    return Answer(text, "target_counts", sources(page), {"intent": "target_counts", "year": q.when.year})


# ---- rankings ------------------------------------------------------------------------------------------


def _ranking(q: Question, k: Knowledge, actor: Access) -> Answer:
    if not actor.is_authenticated and not actor.is_system:
        return _login_needed("Xếp hạng các đơn vị", "ranking")
    kind = "agency" if has(q.text, "co quan", "so nganh", "ban nganh", "cac so") else "commune"
    r = progress.ranking(kind, n=3)
    what = "cơ quan" if kind == "agency" else "xã, phường"
    if not r.top:
        return not_found(f"bảng xếp hạng {what}.", "ranking")
    worst = has(q.text, "cuoi", "kem nhat", "thap nhat", "cuoi bang")
    rows = r.bottom[::-1] if worst and r.bottom else r.top
    listed = "; ".join(f"{c.rank}. {c.label} ({number(c.score)} điểm, {c.status_label})" for c in rows)
    head = f"{'Cuối' if worst else 'Đầu'} bảng xếp hạng {what} ({r.total} {what} được xếp hạng)"
    return Answer(
        f"{head}: {listed}. {data_date_sentence()}",
        "ranking",
        sources(link("Tổng quan tiến độ: xếp hạng", "analytics:overview")),
        {"intent": "ranking", "kind": kind},
    )


# ---- what a plan says ------------------------------------------------------------------------------------


def _plan_says(q: Question, k: Knowledge, actor: Access) -> Answer:
    # the plan's own number ("Nghị quyết 06") is no part of the subject
    words = k.clause_index.repair([w for w in q.words if "_" not in w and not w.isdigit()])
    words = words + [f"{a}_{b}" for a, b in pairwise(words)]
    scored = k.clause_index.scores(words)
    if q.document:
        scored = {i: s for i, s in scored.items() if k.clause_docs[i] == q.document}
    ranked = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))
    ranked = [(i, s) for i, s in ranked if k.clause_index.coverage(words, i) >= 0.5][:3]
    context = {"intent": "plan_says", "document": q.document}
    if not ranked:
        return not_found("điều khoản nào của kế hoạch nói về nội dung này.", "plan_says", context=context)
    parts, links = [], []
    for i, _ in ranked:
        doc_code, path = k.clauses[i].ref
        items = plan_selectors.clause_items(plan_selectors.documents(actor=actor).get(code=doc_code), path, actor=actor)
        doc = plan_selectors.documents(actor=actor).get(code=doc_code)
        what = [
            f"chỉ tiêu “{t.label}”" + (f" ({_cmp(t)} năm {t.year})" if t.value is not None else "")
            for t in items["targets"][:2]
        ]
        what += [f"nhiệm vụ “{t.title[:120]}”" for t in items["tasks"][:2]]
        heading = k.clauses[i].title
        parts.append(f"{doc.reference}, mục {path} ({heading[:120]})" + (": " + "; ".join(what) if what else ""))
        links.append(link(f"{doc.reference}, mục {path}", "plans:clause", doc_code, path))
    return Answer("Theo kế hoạch — " + " | ".join(parts) + ".", "plan_says", sources(*links), context)


# ---- assessments (answered by the assessments app once it exists) ---------------------------------------


def _assessment(q: Question, k: Knowledge, actor: Access) -> Answer:
    return not_found(
        "kết quả đánh giá, công nhận: hệ thống chưa có dữ liệu đánh giá chuyển đổi số của các đơn vị.",
        "assessment",
        ["Phường Hàm Rồng còn nợ báo cáo nào?", "Xã nào đứng đầu xếp hạng?"],
    )


# ---- cues, in order ------------------------------------------------------------------------------------


def _cue_assessment(q, k):
    # the digital transformation's assessment, not a school's "đạt chuẩn quốc gia"
    return has(
        q.text, "cong nhan", "xep loai", "ket qua danh gia", "dat chuan", "diem danh gia", "tu danh gia", "dbi"
    ) and has(q.text, "chuyen doi so", "dti", "dbi", "so hoa")


def _cue_pending(q, k):
    return has(q.text, "cho duyet", "chua duyet", "cho phe duyet")


def _cue_task(q, k):
    return has(
        q.text, "chu tri", "phoi hop", "ai lam", "ai phu trach", "phu trach", "han hoan thanh", "thoi han", "han chot"
    )


def _cue_owes(q, k):
    return (q.agency is not None or q.unit is not None or q.mine) and has(
        q.text,
        "con no",
        "dang no",
        "no nhung",
        "no bao cao",
        "con thieu",
        "chua nop",
        "phai nop",
        "con phai",
        "chua gui",
        "con ton",
        "no gi",
        "nhung gi",
    )


def _cue_late(q, k):
    if has(q.text, "cham", "tre", "qua han", "thieu") and has(q.text, "bao cao") and not has(q.text, "chi tieu"):
        return True
    return has(
        q.text,
        "cham bao cao",
        "cham nop",
        "nop cham",
        "tre han",
        "nop tre",
        "chua bao cao",
        "chua nop",
        "thieu bao cao",
        "qua han",
        "bao cao cham",
        "bao cao tre",
    )


def _cue_ranking(q, k):
    return has(q.text, "xep hang", "dung dau", "dung cuoi", "thu hang", "top", "cuoi bang", "dan dau") and not has(
        q.text, "dti"
    )


def _cue_counts(q, k):
    return has(
        q.text,
        "bao nhieu chi tieu",
        "may chi tieu",
        "so chi tieu",
        "nhung chi tieu nao",
        "chi tieu nao",
        "cac chi tieu",
    ) and has(q.text, "dat", "nguy co", "cham", "khong dat", "dung tien do", "tang toc")


def _cue_plan(q, k):
    return has(q.text, "noi gi", "de cap", "quy dinh gi", "viet gi", "noi ve", "co gi ve", "neu gi", "ra sao ve") or (
        bool(q.document) and not q.indicator
    )


_STATUS_WORDS = (
    "hien nay",
    "hien tai",
    "dat duoc",
    "da dat",
    "thuc hien",
    "tien do",
    "tinh trang",
    "moi nhat",
    "so lieu",
    "thuc te",
    "dat bao nhieu",
    "dang o",
    "den dau",
)


def _cue_status(q, k):
    if has(q.text, "phai dat", "muc tieu", "yeu cau", "dat ra", "phan dau", "can dat"):
        return False  # what must be reached is the target, not the figure so far
    return bool(q.indicator) and (has(q.text, *_STATUS_WORDS) or ((q.agency or q.unit) is not None and not q.province))


def _cue_target(q, k):
    return bool(q.indicator)


for _intent in (
    Intent("assessment", "Kết quả đánh giá, công nhận", _cue_assessment, _assessment),
    Intent("pending_count", "Số báo cáo chờ duyệt", _cue_pending, _pending, "Có bao nhiêu báo cáo đang chờ duyệt?"),
    Intent(
        "directive",
        "Chỉ đạo của Ban Chỉ đạo",
        directives.cue,
        directives.answer,
        "Sở Tài chính còn những chỉ đạo nào chưa xong?",
    ),
    Intent(
        "task_owner",
        "Ai chủ trì nhiệm vụ",
        _cue_task,
        _task_owner,
        "Ai chủ trì nhiệm vụ xây dựng kho dữ liệu dùng chung?",
    ),
    Intent("owes", "Việc đơn vị còn nợ", _cue_owes, _owes, "Sở Tài chính còn nợ báo cáo nào?"),
    Intent("late", "Báo cáo chậm, thiếu", _cue_late, _late, "Đơn vị nào chậm báo cáo quý 3 năm 2025?"),
    Intent("ranking", "Xếp hạng", _cue_ranking, _ranking, "Xã nào đứng đầu xếp hạng?"),
    Intent(
        "target_counts",
        "Số chỉ tiêu đạt, có nguy cơ",
        _cue_counts,
        _target_counts,
        "Bao nhiêu chỉ tiêu năm 2025 đã đạt?",
    ),
    Intent("plan_says", "Kế hoạch nói gì", _cue_plan, _plan_says, "Quyết định 4216 nói gì về cáp quang?"),
    Intent(
        "indicator_status",
        "Số liệu và tình trạng chỉ tiêu",
        _cue_status,
        _indicator_status,
        "Tỷ lệ hộ gia đình có cáp quang hiện nay?",
    ),
    Intent(
        "target_value",
        "Giá trị chỉ tiêu",
        _cue_target,
        _target_value,
        "Chỉ tiêu hộ gia đình có cáp quang năm 2025 là bao nhiêu?",
    ),
):
    register(_intent)
