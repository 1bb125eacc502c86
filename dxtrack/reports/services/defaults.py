"""The defaults of reporting: who reports which indicator, and the checks between values."""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import InvalidData
from dxtrack.obligations.services import require_programme
from dxtrack.org.models import Agency

DEFAULTS_PATH = Path(__file__).parent.parent / "data" / "defaults.json"


@dataclass(frozen=True)
class DefaultsResult:
    reporters_added: int
    rules_added: int


@transaction.atomic
def defaults_load(*, actor: Access, path: Path = DEFAULTS_PATH) -> DefaultsResult:
    """Assigns every indicator of the register to the agency that reports its provincial figure
    and loads the checks between values. Adds what is missing; keeps the secretariat's edits."""
    import json

    from dxtrack.obligations.models import IndicatorReporter
    from dxtrack.plans.models import Indicator
    from dxtrack.reports.models import ValidationRule

    access = Access.of(actor)
    require_programme(access)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        reporters, rules = data["reporters"], data["rules"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidData(f"Tệp cấu hình báo cáo không đọc được: {exc}") from exc
    agencies = {a.code: a for a in Agency.objects.all()}
    indicators = {i.code: i for i in Indicator.objects.all()}
    problems = [
        f"Không có cơ quan mã '{code}'."
        for code in {reporters["default"], *reporters["by_sector"].values(), *reporters["by_indicator"].values()}
        if code not in agencies
    ]
    problems += [
        f"Quy tắc '{rule.get('name')}': không có chỉ tiêu '{rule.get(side)}'."
        for rule in rules
        for side in ("left", "right")
        if rule.get(side) not in indicators
    ]
    if problems:
        raise InvalidData("Tệp cấu hình báo cáo có lỗi; chưa nạp gì.", details=problems)
    assigned = set(IndicatorReporter.objects.values_list("indicator_id", flat=True))
    fresh = []
    for code, indicator in indicators.items():
        if indicator.pk in assigned:
            continue
        agency_code = (
            reporters["by_indicator"].get(code) or reporters["by_sector"].get(indicator.sector) or reporters["default"]
        )
        fresh.append(IndicatorReporter(indicator=indicator, agency=agencies[agency_code]))
    IndicatorReporter.objects.bulk_create(fresh)
    have = set(ValidationRule.objects.values_list("name", flat=True))
    new_rules = [
        ValidationRule(
            name=r["name"],
            message=r["message"],
            left=indicators[r["left"]],
            left_part=r.get("left_part", "value"),
            operator=r["operator"],
            right=indicators[r["right"]],
            right_part=r.get("right_part", "value"),
            importance=r.get("importance", "medium"),
        )
        for r in rules
        if r["name"] not in have
    ]
    ValidationRule.objects.bulk_create(new_rules)
    for rule in new_rules:
        audit.record(actor=access, action="reporting.rule.create", target=rule, changes={"name": [None, rule.name]})
    if fresh:
        audit.record(
            actor=access,
            action="reporting.indicator_reporters.load",
            target=fresh[0].indicator,
            changes={"assigned": [0, len(fresh)]},
        )
    return DefaultsResult(len(fresh), len(new_rules))
