"""A criteria-set decision uploaded, reviewed and published as a new framework (issue 17 item 3).

As for plans (plans/services/uploads.py, review.py): the secretariat uploads the decision; the
extractor (ADR 0034) reads it without refusing what a reviewer can fix (points that do not add
up, a threshold beside a level scale, criteria without points: `problems`); the reviewer edits
the framework's facts, each criterion, the tiers and the cycle, accepts or rejects criteria, and
publishes: one transaction writes the new Framework through `frameworks.framework_import` (which
checks everything again) and closes the draft, with an audit event. Points that do not add up to
a stated total block publishing until they are fixed or explicitly accepted; then the framework
keeps the criteria's own sum and says what the decision stated in `to_fill`.
"""

from __future__ import annotations

import hashlib
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.dates import parse_vn_date
from dxtrack.core.errors import DomainError, InvalidData, NotAllowed
from dxtrack.core.numbers import NumberError, format_number, parse_number
from dxtrack.core.text import clean_text, fold

from ..extract import ExtractError, read_decision
from ..models import CriteriaImport, Framework, ImportStatus, SubjectKind
from .frameworks import GUIDANCE, STEP_NAMES, framework_import, framework_problems

# draft → published | discarded; nothing leaves published or discarded.
TRANSITIONS = {
    ImportStatus.DRAFT: {ImportStatus.PUBLISHED, ImportStatus.DISCARDED},
    ImportStatus.PUBLISHED: set(),
    ImportStatus.DISCARDED: set(),
}
PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
DECISIONS = {PENDING: "Chưa duyệt", ACCEPTED: "Chấp nhận", REJECTED: "Loại bỏ"}
COMPARATORS = {
    "boolean": "Có / không (không có ngưỡng)",
    ">=": "≥",
    "<=": "≤",
    "=": "=",
    "range": "Trong khoảng",
}
# The extractor's cycle steps → the round's steps (Step), as a criteria set's import reads them;
# "guidance" is the secretariat's own step before the round opens, kept in the draft but not in the
# framework's calendar.
CYCLE_STEPS = STEP_NAMES
STEP_LABELS = {GUIDANCE: _("Hướng dẫn, gửi biểu mẫu"), **{k: v.label for k, v in CYCLE_STEPS.items()}}
# What the review's select offers: one entry a step ("self" is the extractor's other name for
# "self_assessment", read as it, never offered twice).
STEP_CHOICES = {k: v for k, v in STEP_LABELS.items() if k != "self"}
MAX_TIERS = 10
MAX_CYCLE = 10
LEVEL_MAX = 5


def _require(access: Access) -> None:
    if not access.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc được nhập và duyệt bộ tiêu chí.")


def _draft(imp: CriteriaImport) -> None:
    if imp.status != ImportStatus.DRAFT:
        raise DomainError("Lần nhập này đã đóng; không sửa được nữa.")


def _transition(imp: CriteriaImport, to: str) -> None:
    if to not in TRANSITIONS[ImportStatus(imp.status)]:
        raise DomainError(
            f"Lần nhập đang ở trạng thái “{imp.get_status_display()}”, "
            f"không thể chuyển sang “{ImportStatus(to).label}”."
        )
    imp.status = to


def _locked(imp: CriteriaImport) -> CriteriaImport:
    return CriteriaImport.objects.select_for_update().get(pk=imp.pk)


def _show(value) -> str:
    return format_number(value, decimals=2) if value is not None else "—"


def suggested_code(meta: dict) -> str:
    """A framework code from the decision's number and subject: "1547-qd-ubnd-xa"."""
    number = re.sub(r"[^a-z0-9]+", "-", fold(meta.get("number") or "")).strip("-")
    subject = {"commune": "xa", "department": "so-nganh", "district": "huyen", "province": "tinh"}.get(
        meta.get("subject") or "", "doanh-nghiep" if meta.get("subject") == "enterprise" else ""
    )
    code = "-".join(p for p in (number if number else "bo-tieu-chi", subject) if p)
    return code[:60]


# ---- upload ---------------------------------------------------------------------------------------


@transaction.atomic
def criteria_import_create(*, actor: Access, data: bytes, filename: str) -> CriteriaImport:
    """Reads a decision into a draft for review. A file that cannot be read, or holds no criteria
    table, raises InvalidData and leaves nothing behind."""
    access = Access.of(actor)
    _require(access)
    try:
        read = read_decision(data, filename, strict=False)
    except ExtractError as exc:
        raise InvalidData(exc.message) from None
    framework = dict(read.data["framework"])
    framework["code"] = suggested_code(framework)
    framework.setdefault("replaces", "")
    criteria = [
        {**c, "levels": bool(levels), "line": line, "decision": PENDING}
        for c, line, levels in zip(read.data["criteria"], read.lines, read.levels, strict=True)
    ]
    for c in criteria:
        if c["levels"] and (c["comparator"], c["value"], c["value_max"]) == ("range", 1, LEVEL_MAX):
            # A 1–5 scale alone: it is the scale, not a threshold.
            c.update(comparator="boolean", value=None, value_max=None, unit="")
    imp = CriteriaImport.objects.create(
        created_by=access.user,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        source_text=read.source.text if read.source else "",
        meta=framework,
        groups=read.groups,
        criteria=criteria,
        recognition=read.data["recognition"],
        cycle=read.data["cycle"],
        warnings=read.warnings,
    )
    audit.record(
        actor=access.audit_actor,
        action="assessments.criteria_import.create",
        target=imp,
        changes={"criteria": [0, len(criteria)], "problems": [0, len(read.problems)]},
    )
    return imp


# ---- what is wrong with the draft as it stands --------------------------------------------------


def _kept(imp: CriteriaImport) -> list[dict]:
    return [c for c in imp.criteria if c.get("decision") != REJECTED]


def _near(a, b) -> bool:
    return abs(float(a) - float(b)) <= 1e-6


def mismatches(imp: CriteriaImport) -> list[str]:
    """Points that do not add up: to the stated total, to a group's stated points. The reviewer
    fixes them, or accepts them explicitly when publishing."""
    kept = _kept(imp)
    if not kept or any(c.get("points") is None for c in kept):
        return []
    out = []
    total = sum(float(c["points"]) for c in kept)
    stated = imp.meta.get("max_points")
    if stated is not None and not _near(total, stated):
        out.append(f"Điểm các tiêu chí cộng lại được {_show(total)}, không bằng tổng điểm {_show(stated)} văn bản ghi.")
    for group in imp.groups:
        if group.get("points") is None:
            continue
        members = [c for c in kept if c.get("group") == group["name"]]
        if not members:
            continue
        sub = sum(float(c["points"]) for c in members)
        if not _near(sub, group["points"]):
            label = f"{group['numeral']}. {group['name']}" if group.get("numeral") else group["name"]
            out.append(
                f"Nhóm “{label}”: các tiêu chí cộng lại được {_show(sub)} điểm, không bằng {_show(group['points'])} "
                "điểm văn bản ghi cho nhóm."
            )
    return out


def criterion_problems(c: dict) -> list[str]:
    """What blocks one criterion, before the framework's own checks."""
    where = f"Tiêu chí {c.get('code') or '(chưa có mã)'}"
    out = []
    if c.get("levels") and c.get("comparator") not in ("boolean", "", None):
        out.append(
            f"{where} vừa đặt ngưỡng vừa chấm theo thang mức; một tiêu chí chỉ được chấm một cách. "
            "Hãy bỏ ngưỡng hoặc bỏ thang mức."
        )
    if c.get("mandatory") is None:
        out.append(f"{where}: chưa rõ là tiêu chí bắt buộc hay mở rộng.")
    return out


def blocking(imp: CriteriaImport) -> list[str]:
    """What must be fixed before publishing (the mismatches aside: those may be accepted)."""
    kept = _kept(imp)
    out = []
    if not kept:
        return ["Chưa có tiêu chí nào được chấp nhận."]
    pending = [c["code"] for c in imp.criteria if c.get("decision") == PENDING]
    if pending:
        out.append(
            f"Còn {len(pending)} tiêu chí chưa duyệt: {', '.join(pending[:10])}{'…' if len(pending) > 10 else ''}."
        )
    for c in kept:
        out += criterion_problems(c)
    without = [c["code"] for c in kept if c.get("points") is None]
    if without and len(without) < len(kept):
        out.append(f"Các tiêu chí sau chưa có điểm: {', '.join(without)}.")
    code = imp.meta.get("code") or ""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,59}", code):
        out.append("Mã bộ tiêu chí chỉ gồm chữ thường không dấu, số và dấu gạch ngang (2–60 ký tự).")
    elif Framework.objects.filter(code=code).exists():
        out.append(f"Đã có bộ tiêu chí mã “{code}”; hãy đặt mã khác cho phiên bản mới.")
    _rows, problems = framework_problems(document(imp, accept_mismatch=True))
    out += [p for p in problems if p not in out]
    return out


# ---- the draft as the framework import's document ------------------------------------------------


def _group_codes(imp: CriteriaImport) -> dict[str, dict]:
    """Group name → {code, name, points}: the numeral when the table has one, else its place."""
    out: dict[str, dict] = {}
    for group in imp.groups:
        if group["name"] not in out:
            out[group["name"]] = {"code": "", "name": group["name"], "points": group.get("points")}
    for c in imp.criteria:
        name = c.get("group") or ""
        if name and name not in out:
            out[name] = {"code": "", "name": name, "points": None}
    used: set[str] = set()
    numerals = {g["name"]: g.get("numeral") or "" for g in imp.groups}
    for n, (name, entry) in enumerate(out.items(), start=1):
        code = numerals.get(name) or str(n)
        while code in used:
            code = f"{code}'"
        used.add(code)
        entry["code"] = code[:20]
    return out


def document(imp: CriteriaImport, *, accept_mismatch: bool = False) -> dict:
    """The draft in the shape `frameworks.framework_import` takes. With the mismatches accepted,
    the framework's total and the mismatched groups' points are the criteria's own sums, and
    what the decision stated is kept in `to_fill`."""
    meta = imp.meta
    kept = _kept(imp)
    groups = _group_codes(imp)
    notes = mismatches(imp) if accept_mismatch else []
    total = meta.get("max_points")
    if notes and total is not None and all(c.get("points") is not None for c in kept):
        total = sum(float(c["points"]) for c in kept)
    group_rows = []
    for name, g in groups.items():
        members = [c for c in kept if c.get("group") == name]
        if not members and name not in {x["name"] for x in imp.groups}:
            continue
        points = g["points"]
        if notes and points is not None and all(c.get("points") is not None for c in members):
            sub = sum(float(c["points"]) for c in members)
            points = sub if not _near(sub, points) else points
        group_rows.append({"code": g["code"], "name": name, "max_points": points if members else None})
    group_rows = [g for g in group_rows if any(c.get("group") == g["name"] for c in kept)]
    criteria = []
    for c in kept:
        entry = {
            "code": c.get("code") or "",
            "group": groups[c["group"]]["code"] if c.get("group") in groups else "",
            "name": c.get("name") or "",
            "requirement": c.get("requirement") or "",
            "comparator": c.get("comparator") or "boolean",
            "value": c.get("value"),
            "value_max": c.get("value_max"),
            "unit": c.get("unit") or "",
            "points": c.get("points") or 0,
            "mandatory": bool(c.get("mandatory")),
            "evidence": c.get("evidence") or "",
            # The decision's evidence column says where the figure is proven: its data source.
            "data_source": (c.get("evidence") or "")[:255],
        }
        if c.get("levels"):
            entry.update(kind="level", level_max=LEVEL_MAX, comparator="", value=None, value_max=None)
        criteria.append(entry)
    date = meta.get("date") or ""
    return {
        "framework": {
            "title": meta.get("title") or "",
            "number": meta.get("number") or "",
            "issuer": meta.get("issuer") or "",
            "date": date,
            "subject": meta.get("subject") or "",
            "max_points": total,
            "first_year": meta.get("first_year"),
            "last_year": meta.get("last_year"),
            "replaces": meta.get("replaces") or "",
            "to_fill": [f"{n} (chấp nhận khi duyệt lần nhập “{imp.filename}”)" for n in notes],
        },
        "groups": [{"code": g["code"], "name": g["name"], "max_points": g["max_points"]} for g in group_rows],
        "criteria": criteria,
        "recognition": [
            {
                "name": t.get("level") or f"Mức {n}",
                "level": n,
                "min_points": t.get("min_points"),
                "mandatory_share": t.get("mandatory_share"),
                "extended_share": t.get("extended_share"),
            }
            for n, t in enumerate(imp.recognition, start=1)
        ],
        "cycle": [{"step": CYCLE_STEPS[s["step"]], "due": s["due"]} for s in imp.cycle if s.get("step") in CYCLE_STEPS],
    }


# ---- review ---------------------------------------------------------------------------------------


class _Form:
    """A review form's fields read one by one, every problem collected in Vietnamese."""

    def __init__(self, data):
        self.data, self.problems = data, []

    def text(self, name: str, label: str, limit: int, *, required: bool = False) -> str:
        raw = self.data.get(name, "")
        value = clean_text(raw) if isinstance(raw, str) else ""
        if required and not value:
            self.problems.append(f"{label}: không được để trống.")
        if len(value) > limit:
            self.problems.append(f"{label}: dài quá {limit} ký tự.")
        return value[:limit]

    def number(self, name: str, label: str, *, low: float | None = None, high: float | None = None):
        raw = self.text(name, label, 40)
        if not raw:
            return None
        try:
            value = parse_number(raw)
        except NumberError as exc:
            self.problems.append(f"{label}: {exc.message}")
            return None
        if value is None:
            return None
        number = float(value)
        if (low is not None and number < low) or (high is not None and number > high):
            self.problems.append(f"{label}: “{raw}” phải trong khoảng {_show(low)}–{_show(high)}.")
            return None
        return int(number) if number.is_integer() else number

    def year(self, name: str, label: str) -> int | None:
        raw = self.text(name, label, 10)
        if not raw:
            return None
        if not raw.isdigit() or not 1990 <= int(raw) <= 2100:
            self.problems.append(f"{label}: “{raw}” phải là năm trong khoảng 1990–2100.")
            return None
        return int(raw)


def clean_criterion(data) -> dict:
    """A criterion's form to its proposal; InvalidData lists every bad field."""
    f = _Form(data)
    out = {
        "code": f.text("code", "Mã", 20, required=True),
        "group": f.text("group", "Nhóm", 300),
        "name": f.text("name", "Tên tiêu chí", 500, required=True),
        "requirement": f.text("requirement", "Yêu cầu cần đạt", 2000),
        "comparator": f.text("comparator", "So sánh", 10) or "boolean",
        "value": f.number("value", "Giá trị ngưỡng"),
        "value_max": f.number("value_max", "Giá trị trên"),
        "unit": f.text("unit", "Đơn vị tính", 40),
        "points": f.number("points", "Điểm", low=0, high=10_000),
        "evidence": f.text("evidence", "Minh chứng", 255),
        "levels": data.get("levels") in ("1", "on", "true"),
    }
    mandatory = data.get("mandatory", "")
    out["mandatory"] = {"1": True, "0": False}.get(mandatory)
    if out["comparator"] not in COMPARATORS:
        f.problems.append("So sánh: chọn ≥, ≤, =, trong khoảng, hoặc có / không.")
    if out["comparator"] == "boolean":
        if out["value"] is not None or out["value_max"] is not None:
            f.problems.append("Tiêu chí có / không không có giá trị ngưỡng; hãy chọn phép so sánh hoặc xóa giá trị.")
    elif out["comparator"] in COMPARATORS:
        if out["value"] is None:
            f.problems.append("Giá trị ngưỡng: cần một số cho phép so sánh đã chọn.")
        if out["comparator"] == "range" and (
            out["value_max"] is None or (out["value"] is not None and out["value_max"] < out["value"])
        ):
            f.problems.append("Giá trị trên: khoảng cần giá trị trên không nhỏ hơn giá trị ngưỡng.")
        if out["comparator"] != "range" and out["value_max"] is not None:
            f.problems.append("Giá trị trên: chỉ dùng cho phép so sánh “trong khoảng”.")
    if out["levels"] and out["comparator"] != "boolean":
        f.problems.append(
            "Một tiêu chí không thể vừa có ngưỡng vừa chấm theo thang mức 1–5; hãy bỏ ngưỡng hoặc bỏ thang mức."
        )
    if mandatory not in ("1", "0"):
        f.problems.append("Phân loại: chọn bắt buộc hoặc mở rộng.")
    if f.problems:
        raise InvalidData("Chưa lưu được tiêu chí: dữ liệu chưa hợp lệ.", details=f.problems)
    return out


@transaction.atomic
def criterion_decide(*, actor: Access, imp: CriteriaImport, index: int, decision: str) -> CriteriaImport:
    access = Access.of(actor)
    _require(access)
    imp = _locked(imp)
    _draft(imp)
    if decision not in DECISIONS or not 0 <= index < len(imp.criteria):
        raise InvalidData("Thao tác không hợp lệ.")
    old = imp.criteria[index].get("decision")
    imp.criteria[index]["decision"] = decision
    imp.save(update_fields=["criteria"])
    audit.record(
        actor=access.audit_actor,
        action="assessments.criteria_import.decide",
        target=imp,
        changes={f"tiêu chí {imp.criteria[index]['code']}": [old, decision]},
    )
    return imp


@transaction.atomic
def criterion_update(*, actor: Access, imp: CriteriaImport, index: int, data) -> CriteriaImport:
    """Saves the reviewer's edit of one criterion and accepts it; a bad form saves nothing."""
    access = Access.of(actor)
    _require(access)
    imp = _locked(imp)
    _draft(imp)
    if not 0 <= index < len(imp.criteria):
        raise InvalidData("Thao tác không hợp lệ.")
    cleaned = clean_criterion(data)
    others = {c["code"] for n, c in enumerate(imp.criteria) if n != index and c.get("decision") != REJECTED}
    if cleaned["code"] in others:
        raise InvalidData("Chưa lưu được tiêu chí.", details=[f"Mã: đã có tiêu chí mã {cleaned['code']}."])
    before = imp.criteria[index]
    after = {**before, **cleaned, "decision": ACCEPTED}
    imp.criteria[index] = after
    imp.save(update_fields=["criteria"])
    audit.record(
        actor=access.audit_actor,
        action="assessments.criteria_import.edit",
        target=imp,
        changes=audit.diff(before, after),
    )
    return imp


@transaction.atomic
def criteria_accept_all(*, actor: Access, imp: CriteriaImport) -> int:
    access = Access.of(actor)
    _require(access)
    imp = _locked(imp)
    _draft(imp)
    count = 0
    for c in imp.criteria:
        if c.get("decision") == PENDING:
            c["decision"] = ACCEPTED
            count += 1
    imp.save(update_fields=["criteria"])
    audit.record(
        actor=access.audit_actor,
        action="assessments.criteria_import.accept_all",
        target=imp,
        changes={"accepted": [0, count]},
    )
    return count


SUBJECTS = {str(k): str(v) for k, v in SubjectKind.choices}


@transaction.atomic
def facts_update(*, actor: Access, imp: CriteriaImport, data) -> CriteriaImport:
    """The framework's facts: number, date, issuer, title, subject, total, code, replaces, years."""
    access = Access.of(actor)
    _require(access)
    imp = _locked(imp)
    _draft(imp)
    f = _Form(data)
    meta = dict(imp.meta)
    meta["number"] = f.text("number", "Số, ký hiệu", 60)
    meta["issuer"] = f.text("issuer", "Cơ quan ban hành", 255)
    meta["title"] = f.text("title", "Tên bộ tiêu chí", 300, required=True)
    raw_date = f.text("date", "Ngày ban hành", 20)
    if raw_date:
        day = parse_vn_date(raw_date)
        if day is None:
            f.problems.append(f"Ngày ban hành: “{raw_date}” không hợp lệ; nhập dạng ngày/tháng/năm.")
        else:
            meta["date"] = day.isoformat()
    else:
        meta["date"] = None
    subject = f.text("subject", "Đối tượng đánh giá", 20)
    if subject not in SUBJECTS:
        f.problems.append("Đối tượng đánh giá: chọn sở, ban, ngành / cấp huyện / cấp xã / doanh nghiệp / cấp tỉnh.")
    meta["subject"] = subject
    meta["max_points"] = f.number("max_points", "Tổng điểm tối đa", low=0, high=100_000)
    meta["code"] = f.text("code", "Mã bộ tiêu chí", 60, required=True)
    if meta["code"] and not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,59}", meta["code"]):
        f.problems.append("Mã bộ tiêu chí: chỉ gồm chữ thường không dấu, số và dấu gạch ngang.")
    replaces = f.text("replaces", "Thay thế bộ", 60)
    if replaces and not Framework.objects.filter(code=replaces).exists():
        f.problems.append("Thay thế bộ: không có bộ tiêu chí này.")
    meta["replaces"] = replaces
    meta["first_year"] = f.year("first_year", "Áp dụng từ năm")
    meta["last_year"] = f.year("last_year", "Áp dụng đến năm")
    if meta["first_year"] and meta["last_year"] and meta["last_year"] < meta["first_year"]:
        f.problems.append("Áp dụng đến năm: không được trước năm bắt đầu áp dụng.")
    if f.problems:
        raise InvalidData("Chưa lưu được thông tin bộ tiêu chí.", details=f.problems)
    changes = audit.diff(imp.meta, meta)
    imp.meta = meta
    imp.save(update_fields=["meta"])
    audit.record(actor=access.audit_actor, action="assessments.criteria_import.facts", target=imp, changes=changes)
    return imp


@transaction.atomic
def rules_update(*, actor: Access, imp: CriteriaImport, data) -> CriteriaImport:
    """The recognition tiers (name, minimum points, shares in %) and the yearly cycle (step, dd/mm);
    a row left without a name (a tier) or a day (a step) is removed."""
    access = Access.of(actor)
    _require(access)
    imp = _locked(imp)
    _draft(imp)
    f = _Form(data)
    tiers = []
    for n in range(MAX_TIERS):
        name = f.text(f"tier_{n}_level", f"Mức công nhận {n + 1}", 120)
        if not name:
            continue
        where = f"Mức “{name}”"
        mandatory = f.number(f"tier_{n}_mandatory", f"{where} — tỷ lệ tiêu chí bắt buộc (%)", low=0, high=100)
        extended = f.number(f"tier_{n}_extended", f"{where} — tỷ lệ tiêu chí mở rộng (%)", low=0, high=100)
        tiers.append(
            {
                "level": name,
                "min_points": f.number(f"tier_{n}_min_points", f"{where} — điểm tối thiểu", low=0, high=100_000),
                "mandatory_share": None if mandatory is None else round(mandatory / 100, 4),
                "extended_share": None if extended is None else round(extended / 100, 4),
            }
        )
    cycle = []
    for n in range(MAX_CYCLE):
        due = f.text(f"step_{n}_due", f"Bước {n + 1} — hạn", 10)
        if not due:
            continue
        step = f.text(f"step_{n}_step", f"Bước {n + 1}", 200)
        if step not in STEP_LABELS:
            f.problems.append(f"Bước {n + 1}: chọn một bước của chu trình đánh giá.")
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})", due)
        if not m or parse_vn_date(f"{m[1]}/{m[2]}/2024") is None:
            f.problems.append(f"Bước {n + 1} — hạn: “{due}” phải là ngày/tháng, ví dụ 15/10.")
            continue
        cycle.append({"step": step, "due": f"{int(m[1]):02d}/{int(m[2]):02d}"})
    if f.problems:
        raise InvalidData("Chưa lưu được mức công nhận và lịch đánh giá.", details=f.problems)
    changes = audit.diff({"recognition": imp.recognition, "cycle": imp.cycle}, {"recognition": tiers, "cycle": cycle})
    imp.recognition, imp.cycle = tiers, cycle
    imp.save(update_fields=["recognition", "cycle"])
    audit.record(actor=access.audit_actor, action="assessments.criteria_import.rules", target=imp, changes=changes)
    return imp


@transaction.atomic
def criteria_import_discard(*, actor: Access, imp: CriteriaImport) -> CriteriaImport:
    access = Access.of(actor)
    _require(access)
    imp = _locked(imp)
    _transition(imp, ImportStatus.DISCARDED)
    imp.save(update_fields=["status"])
    audit.record(
        actor=access.audit_actor,
        action="assessments.criteria_import.discard",
        target=imp,
        changes={"status": [ImportStatus.DRAFT, ImportStatus.DISCARDED]},
    )
    return imp


@transaction.atomic
def criteria_import_publish(*, actor: Access, imp: CriteriaImport, accept_mismatch: bool = False) -> Framework:
    """Publishes the reviewed draft as a new framework (replacing the one chosen), in one
    transaction with the draft's closing and its audit event; anything wrong saves nothing."""
    access = Access.of(actor)
    _require(access)
    imp = _locked(imp)
    _draft(imp)
    problems = blocking(imp)
    if problems:
        raise InvalidData("Chưa ban hành được bộ tiêu chí: còn lỗi cần sửa.", details=problems)
    notes = mismatches(imp)
    if notes and not accept_mismatch:
        raise InvalidData(
            "Điểm chưa khớp với tổng văn bản ghi: hãy sửa điểm các tiêu chí, hoặc đánh dấu “Chấp nhận điểm chưa "
            "khớp” nếu văn bản đúng là như vậy.",
            details=notes,
        )
    framework = framework_import(
        actor=access, code=imp.meta["code"], document=document(imp, accept_mismatch=accept_mismatch)
    )
    _transition(imp, ImportStatus.PUBLISHED)
    imp.framework = framework
    imp.published_at = timezone.now()
    imp.outcome = {
        "framework": framework.code,
        "criteria": framework.criteria.count(),
        "groups": framework.groups.count(),
        "tiers": framework.tiers.count(),
        "cycle": len(framework.cycle),
        "rejected": sum(1 for c in imp.criteria if c.get("decision") == REJECTED),
        "replaces": framework.replaces.code if framework.replaces_id else "",
        "mismatch_accepted": notes,
        "max_points": float(framework.max_points) if framework.max_points is not None else None,
    }
    imp.save(update_fields=["status", "framework", "published_at", "outcome"])
    audit.record(
        actor=access.audit_actor,
        action="assessments.criteria_import.publish",
        target=imp,
        changes={"status": [ImportStatus.DRAFT, ImportStatus.PUBLISHED], "framework": [None, framework.code]},
        reason="; ".join(notes),
    )
    return framework
