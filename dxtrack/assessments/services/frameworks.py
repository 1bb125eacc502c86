"""Putting a criteria set into the register: from the JSON shape the decision's extractor prints
(`dxtrack assess extract`, issue 17 item 3), or from the data the project ships (data/frameworks.json),
which is that shape with a few more keys (groups, kinds, completeness).

Everything is checked before anything is written: a criterion with both a threshold and a level
scale, points that do not add up to the stated total, a tier share outside 0–100% are refused
with the list of problems, and nothing is saved. A framework that already has results (a round
was opened under it) is never changed: a new decision is a new framework that replaces it.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.dates import parse_vn_date
from dxtrack.core.errors import InvalidData, NotAllowed

from .. import scoring as engine
from ..models import (
    Completeness,
    Criterion,
    CriterionGroup,
    CriterionKind,
    Framework,
    RecognitionTier,
    ScoreBand,
    Scoring,
    Step,
    SubjectKind,
)

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "frameworks.json"
MAX_CRITERIA = 1000

_SUBJECTS = {
    "department": SubjectKind.DEPARTMENT,
    "sở": SubjectKind.DEPARTMENT,
    "sở, ban, ngành": SubjectKind.DEPARTMENT,
    "district": SubjectKind.DISTRICT,
    "huyện": SubjectKind.DISTRICT,
    "commune": SubjectKind.COMMUNE,
    "xã": SubjectKind.COMMUNE,
    "enterprise": SubjectKind.ENTERPRISE,
    "doanh nghiệp": SubjectKind.ENTERPRISE,
    "province": SubjectKind.PROVINCE,
    "tỉnh": SubjectKind.PROVINCE,
}


def _date(text) -> datetime.date | None:
    if not text:
        return None
    day = parse_vn_date(str(text))
    if day is None:
        raise InvalidData(f"Ngày “{str(text)[:40]}” không đúng dạng dd/mm/yyyy.")
    return day


def _decimal(value, where: str, problems: list[str]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        problems.append(f"{where}: “{value}” không phải là số.")
        return None


def _float(value, where: str, problems: list[str]) -> float | None:
    number = _decimal(value, where, problems)
    return float(number) if number is not None else None


def _kind(raw: dict) -> str:
    """The criterion's kind: given, or read from the extractor's comparator."""
    if raw.get("kind"):
        return raw["kind"]
    comparator = raw.get("comparator") or ""
    if comparator == "boolean":
        return engine.BOOLEAN
    if comparator:
        return engine.THRESHOLD
    return engine.BOOLEAN if raw.get("points") else engine.DECLARED


def _criteria(document: dict, problems: list[str]) -> list[dict]:
    """The criteria as rows ready to save, each checked as a scoring rule."""
    rows = []
    for n, raw in enumerate(document.get("criteria") or [], start=1):
        where = f"Tiêu chí thứ {n}"
        code = str(raw.get("code") or "").strip()
        name = str(raw.get("name") or "").strip()
        if not code or not name:
            problems.append(f"{where}: thiếu mã hoặc tên tiêu chí.")
            continue
        where = f"Tiêu chí {code}"
        kind = _kind(raw)
        comparator = raw.get("comparator") or ""
        row = {
            "code": code[:20],
            "group": str(raw.get("group") or "").strip(),
            "name": name[:500],
            "requirement": str(raw.get("requirement") or ""),
            "kind": kind,
            "comparator": "" if comparator == "boolean" else comparator,
            "value": _float(raw.get("value"), where, problems),
            "value_max": _float(raw.get("value_max"), where, problems),
            "unit": str(raw.get("unit") or "")[:40],
            "steps": [[float(a), float(p)] for a, p in raw.get("steps") or []],
            "level_max": raw.get("level_max"),
            "points": _decimal(raw.get("points") or 0, where, problems) or Decimal(0),
            "mandatory": bool(raw.get("mandatory")),
            "evidence_required": bool(raw.get("evidence")),
            "data_source": str(raw.get("data_source") or "")[:255],
            "indicator": raw.get("indicator") or "",
        }
        if kind not in CriterionKind.values:
            problems.append(f"{where}: loại tiêu chí “{kind}” không hợp lệ.")
            continue
        row["rule"] = engine.CriterionRule(
            code=row["code"],
            kind=kind,
            points=float(row["points"]),
            group=row["group"],
            mandatory=row["mandatory"],
            comparator=row["comparator"],
            value=row["value"],
            value_max=row["value_max"],
            steps=tuple(tuple(s) for s in row["steps"]),
            level_max=row["level_max"],
        )
        rows.append(row)
    return rows


def _groups(document: dict, criteria: list[dict], problems: list[str]) -> list[dict]:
    """The groups as given, then any group a criterion names that is not listed."""
    groups, known = [], set()
    for raw in document.get("groups") or []:
        code = str(raw.get("code") or "").strip()
        if not code or code in known:
            problems.append(f"Nhóm tiêu chí “{code}” thiếu mã hoặc bị trùng.")
            continue
        known.add(code)
        groups.append(
            {
                "code": code[:20],
                "name": str(raw.get("name") or code)[:300],
                "max_points": _decimal(raw.get("max_points"), f"Nhóm {code}", problems),
                "expected_criteria": raw.get("criteria_count"),
            }
        )
    for row in criteria:
        if row["group"] and row["group"] not in known:
            known.add(row["group"])
            groups.append(
                {"code": row["group"][:20], "name": row["group"], "max_points": None, "expected_criteria": None}
            )
    if criteria and any(not row["group"] for row in criteria):
        if "" not in known:
            groups.append({"code": "-", "name": "Chung", "max_points": None, "expected_criteria": None})
        for row in criteria:
            row["group"] = row["group"] or "-"
    return groups


def _tiers(document: dict, problems: list[str]) -> list[dict]:
    tiers = []
    for n, raw in enumerate(document.get("recognition") or [], start=1):
        level = raw.get("level")
        name = raw.get("name") or (level if isinstance(level, str) else f"Mức {n}")
        where = f"Mức công nhận “{name}”"
        tiers.append(
            {
                "level": level if isinstance(level, int) else n,
                "name": str(name)[:120],
                "min_points": _decimal(raw.get("min_points"), where, problems),
                "mandatory_share": _decimal(raw.get("mandatory_share") or 0, where, problems) or Decimal(0),
                "extended_share": _decimal(raw.get("extended_share") or 0, where, problems) or Decimal(0),
            }
        )
    return tiers


# A calendar step by each name a decision's calendar gives it: the round's steps by their values,
# and "self_assessment", the extractor's name for the self-assessment (the criteria review reads
# the same names: criteria_import.CYCLE_STEPS).
STEP_NAMES = {"self_assessment": Step.SELF_ASSESSMENT, **{step.value: step for step in Step}}
# The sending of the forms, as the extractor names it: a step of the decision that no round tracks,
# left out of the calendar here as the criteria review leaves it out.
GUIDANCE = "guidance"
_STEP_VALUES_LISTED = ", ".join(Step.values[:-1]) + f" hoặc {Step.values[-1]}"  # the names a problem suggests
MAX_CYCLE_STEPS = 20  # a decision's calendar has a handful; more is not a calendar (bounded work)


def _cycle(document: dict, problems: list[str]) -> list[dict]:
    """The yearly calendar as the decision gives it: steps with a "dd/mm" due day. A step that is
    none of a round's steps, or a step given twice, is a problem, not read as another step: a
    round takes each step's due day from here, and a sentence the extractor could not name (or a
    typo) read as the self-assessment would have moved its deadline without a word."""
    cycle: list[dict] = []
    given_cycle = document.get("cycle") or []
    if not isinstance(given_cycle, list) or not all(isinstance(raw, dict) for raw in given_cycle):
        problems.append("Lịch hằng năm (cycle) phải là danh sách các bước, mỗi bước có tên (step) và hạn (due).")
        return cycle
    if len(given_cycle) > MAX_CYCLE_STEPS:
        problems.append(f"Lịch hằng năm có {len(given_cycle)} bước, quá {MAX_CYCLE_STEPS} bước.")
        return cycle
    for raw in given_cycle:
        given, due = str(raw.get("step") or "").strip(), str(raw.get("due") or "")
        if given == GUIDANCE:
            continue
        step = STEP_NAMES.get(given)
        if step is None:
            problems.append(
                f"Bước “{given[:80]}” không phải một bước của đợt đánh giá "
                f"({_STEP_VALUES_LISTED}): sửa tên bước hoặc bỏ dòng này."
            )
            continue
        # (the review page lists these problems too: the step's words, not its code)
        if parse_vn_date(f"{due}/2024") is None:  # a leap year: 29/02 is a day
            problems.append(f"Hạn “{due[:20]}” của bước “{step.label}” không đúng dạng dd/mm.")
            continue
        if any(item["step"] == step.value for item in cycle):
            problems.append(f"Bước “{step.label}” có hơn một hạn trong lịch hằng năm.")
            continue
        cycle.append({"step": step.value, "due": due})
    return cycle


def framework_problems(document: dict) -> tuple[dict, list[str]]:
    """The document read into rows to save, and everything wrong with it (Vietnamese)."""
    problems: list[str] = []
    head = document.get("framework") or {}
    if not isinstance(head, dict) or not (head.get("title") or head.get("name")):
        problems.append("Thiếu tên bộ tiêu chí (framework.title).")
        head = head if isinstance(head, dict) else {}
    if len(document.get("criteria") or []) > MAX_CRITERIA:
        return {}, [f"Bộ tiêu chí có quá {MAX_CRITERIA} tiêu chí."]
    criteria = _criteria(document, problems)
    groups = _groups(document, criteria, problems)
    tiers = _tiers(document, problems)
    max_points = _decimal(head.get("max_points"), "Tổng điểm tối đa", problems)
    subject = _SUBJECTS.get(str(head.get("subject_kind") or head.get("subject") or "").strip().lower())
    if subject is None:
        problems.append("Không rõ đối tượng đánh giá (sở, ban, ngành / huyện / xã / doanh nghiệp / tỉnh).")
    scoring = head.get("scoring") or Scoring.POINTS
    if scoring not in Scoring.values:
        problems.append(f"Cách tính “{scoring}” không hợp lệ.")
    completeness = head.get("completeness") or Completeness.OFFICIAL
    if completeness not in Completeness.values:
        problems.append(f"Mức đầy đủ “{completeness}” không hợp lệ.")
    # Totals are checked where the criteria are all there: a partial set states its groups'
    # points before their criteria are entered.
    complete = bool(criteria) and all(
        g["expected_criteria"] is None or g["expected_criteria"] == sum(1 for c in criteria if c["group"] == g["code"])
        for g in groups
    )
    problems += engine.framework_problems(
        [c["rule"] for c in criteria],
        max_points=float(max_points) if max_points is not None and complete else None,
        group_max={g["code"]: float(g["max_points"]) for g in groups if g["max_points"] is not None}
        if complete
        else None,
        tiers=[
            engine.Tier(t["level"], t["name"], None, float(t["mandatory_share"]), float(t["extended_share"]))
            for t in tiers
        ],
    )
    if max_points is not None and groups and all(g["max_points"] is not None for g in groups):
        group_sum = sum(g["max_points"] for g in groups)
        if group_sum != max_points:
            problems.append(f"Tổng điểm các nhóm là {group_sum:g}, không khớp tổng điểm tối đa {max_points:g}.")
    try:
        issued_on = _date(head.get("date"))
    except InvalidData as exc:
        problems.append(exc.message)
        issued_on = None
    rows = {
        "head": {
            "name": str(head.get("title") or head.get("name") or "")[:300],
            "number": str(head.get("number") or "")[:60],
            "issuer": str(head.get("issuer") or "")[:255],
            "issued_on": issued_on,
            "subject_kind": subject,
            "scoring": scoring,
            "first_year": head.get("first_year"),
            "last_year": head.get("last_year"),
            "max_points": max_points,
            "completeness": completeness,
            "to_fill": list(head.get("to_fill") or []),
            "rule": head.get("rule") or {},
            "cycle": _cycle(document, problems),
        },
        "groups": groups,
        "criteria": criteria,
        "tiers": tiers,
        "bands": document.get("bands") or [],
        "replaces": head.get("replaces") or "",
    }
    return rows, problems


def _write(framework: Framework, rows: dict) -> None:
    from dxtrack.plans.models import Indicator

    indicators = dict(
        Indicator.objects.filter(code__in=[c["indicator"] for c in rows["criteria"] if c["indicator"]]).values_list(
            "code", "pk"
        )
    )
    groups = {}
    for position, g in enumerate(rows["groups"]):
        groups[g["code"]] = CriterionGroup.objects.create(framework=framework, position=position, **g)
    Criterion.objects.bulk_create(
        Criterion(
            framework=framework,
            group=groups[c["group"]],
            position=position,
            indicator_id=indicators.get(c["indicator"]),
            **{k: v for k, v in c.items() if k not in {"group", "indicator", "rule"}},
        )
        for position, c in enumerate(rows["criteria"])
    )
    RecognitionTier.objects.bulk_create(RecognitionTier(framework=framework, **t) for t in rows["tiers"])
    ScoreBand.objects.bulk_create(
        ScoreBand(framework=framework, name=b["name"], min_points=Decimal(str(b["min_points"]))) for b in rows["bands"]
    )


@transaction.atomic
def framework_import(*, actor: Access, code: str, document: dict) -> Framework:
    """Creates the framework `code` from `document`, or rewrites it while it has no results."""
    access = Access.of(actor)
    if not access.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc được nhập bộ tiêu chí.")
    rows, problems = framework_problems(document)
    if problems:
        raise InvalidData("Bộ tiêu chí chưa nhập được: còn lỗi cần sửa.", details=problems)
    framework = Framework.objects.select_for_update().filter(code=code).first()
    replaces = Framework.objects.filter(code=rows["replaces"]).first() if rows["replaces"] else None
    if framework is not None:
        if framework.in_use:
            raise InvalidData(
                f"Bộ tiêu chí “{framework.name}” đã có kết quả đánh giá nên không sửa được; "
                "hãy nhập phiên bản mới thay thế."
            )
        before = {"criteria": framework.criteria.count()}
        framework.groups.all().delete()
        framework.tiers.all().delete()
        framework.bands.all().delete()
        for key, value in rows["head"].items():
            setattr(framework, key, value)
        framework.replaces = replaces
        framework.save()
    else:
        before = {}
        framework = Framework.objects.create(code=code, replaces=replaces, **rows["head"])
    _write(framework, rows)
    audit.record(
        actor=access,
        action="assessments.framework.import",
        target=framework,
        changes=audit.diff(before, {"criteria": len(rows["criteria"])}),
    )
    return framework


def _expanded(entry: dict) -> dict:
    """A shipped entry with its generated criteria (1970's 60 criteria on a 1–5 scale: their
    structure is official, their wording is to be entered)."""
    document = dict(entry)
    criteria = list(document.get("criteria") or [])
    for group in document.get("groups") or []:
        spec = group.get("level_criteria")
        if not spec:
            continue
        for i in range(1, spec["count"] + 1):
            criteria.append(
                {
                    "code": f"{group['code']}.{i:02d}",
                    "group": group["code"],
                    "name": f"Tiêu chí {group['code']}.{i} của trụ cột {group['name']}",
                    "kind": engine.LEVEL,
                    "level_max": 5,
                    "points": spec["points_each"],
                }
            )
    document["criteria"] = criteria
    return document


def frameworks_load(*, actor: Access, path: Path = DATA_FILE) -> dict[str, str]:
    """Loads the shipped frameworks; each one that already has results is left as it is.
    Returns code → "created" | "updated" | "kept"."""
    access = Access.of(actor)
    if not access.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc được nạp bộ tiêu chí.")
    entries = json.loads(path.read_text(encoding="utf-8"))["frameworks"]
    outcome = {}
    for entry in entries:
        code = entry["code"]
        existing = Framework.objects.filter(code=code).first()
        if existing is not None and existing.in_use:
            outcome[code] = "kept"
            continue
        framework_import(actor=access, code=code, document=_expanded(entry))
        outcome[code] = "updated" if existing else "created"
    return outcome
