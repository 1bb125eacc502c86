"""`dxtrack progress`: the progress of one series, read as JSON on stdin, printed as JSON.

Input: {"direction", "unit", "baseline_year", "observations", "targets", "limit", "as_of"}; each
target {"year", "value", "comparator", "value_max"}. `as_of` (the assessment year) defaults to
the year of the latest observation; `comparator` defaults to ">=" (to "<=" where the direction is
"decrease": a bare target is met at or beyond it in the indicator's direction)."""

import json
import sys

from django.core.management.base import CommandError

from dxtrack.analytics.progress import COMPARATORS, assess
from dxtrack.core.management.base import ProjectCommand

MAX_INPUT = 1_000_000
FIELDS = {"direction", "unit", "baseline_year", "observations", "targets", "limit", "as_of"}
TARGET_FIELDS = {"year", "value", "comparator", "value_max"}


class Command(ProjectCommand):
    help = (
        "Đánh giá tiến độ một chỉ tiêu: đọc JSON từ đầu vào chuẩn "
        '{"direction", "unit", "baseline_year", "observations", "targets", "limit", "as_of"} và in kết quả '
        'JSON. Mỗi mục tiêu: {"year", "value", "comparator" (>=, <=, = hoặc range; mặc định >=), "value_max"}; '
        '"as_of" là năm đánh giá (mặc định: năm của quan sát mới nhất).'
    )

    def needs_database(self, options: dict) -> bool:
        return False  # one series in, its status out: no stored data

    def handle(self, *args, **options):
        raw = sys.stdin.read(MAX_INPUT + 1)
        if len(raw) > MAX_INPUT:
            raise CommandError("Dữ liệu vào quá lớn (tối đa 1 MB).")
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise CommandError(f"Dữ liệu vào không phải JSON hợp lệ: {exc.msg} (dòng {exc.lineno}).") from exc
        if not isinstance(data, dict):
            raise CommandError("Dữ liệu vào phải là một đối tượng JSON.")
        unknown = sorted(set(data) - FIELDS)
        if unknown:
            raise CommandError(f"Trường không được hỗ trợ: {', '.join(unknown)}.")
        targets = data.get("targets") or []
        if not isinstance(targets, list) or not all(isinstance(t, dict) for t in targets):
            raise CommandError('"targets" phải là danh sách các đối tượng {"year", "value"}.')
        goals = [_goal(i, t) for i, t in enumerate(targets, start=1)]
        observations = data.get("observations") or []
        if not isinstance(observations, list):
            raise CommandError('"observations" phải là danh sách các cặp [năm, giá trị].')
        limit = data.get("limit")
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int | float)):
            raise CommandError('"limit" phải là số hoặc null.')
        baseline = data.get("baseline_year")
        if baseline is not None and (isinstance(baseline, bool) or not isinstance(baseline, int)):
            raise CommandError('"baseline_year" phải là số nguyên hoặc null.')
        as_of = data.get("as_of")
        if as_of is not None and (isinstance(as_of, bool) or not isinstance(as_of, int)):
            raise CommandError('"as_of" phải là một năm (số nguyên) hoặc null.')
        unit = data.get("unit") or ""
        if not isinstance(unit, str):
            raise CommandError('"unit" phải là chuỗi.')
        result = assess(
            direction=data.get("direction", "increase"),
            observations=observations,
            targets=goals,
            baseline_year=baseline,
            unit=unit,
            limit=limit,
            as_of=as_of,
        )
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))


def _number(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float)


def _goal(n: int, target: dict) -> dict:
    """One target of the input, checked: a clear message naming the target, never a traceback."""
    unknown = sorted(set(target) - TARGET_FIELDS)
    if unknown:
        raise CommandError(f"Mục tiêu thứ {n}: trường không được hỗ trợ: {', '.join(unknown)}.")
    missing = [k for k in ("year", "value") if k not in target]
    if missing:
        raise CommandError(f'Mỗi mục tiêu cần "year" và "value" (mục tiêu thứ {n} thiếu {", ".join(missing)}).')
    if isinstance(target["year"], bool) or not isinstance(target["year"], int):
        raise CommandError(f'Mục tiêu thứ {n}: "year" phải là số nguyên.')
    if not _number(target["value"]):
        raise CommandError(f'Mục tiêu thứ {n}: "value" phải là số.')
    comparator = target.get("comparator")
    if comparator is not None and comparator not in COMPARATORS:
        raise CommandError(f'Mục tiêu thứ {n}: "comparator" phải là một trong >=, <=, =, range.')
    value_max = target.get("value_max")
    if value_max is not None and not _number(value_max):
        raise CommandError(f'Mục tiêu thứ {n}: "value_max" phải là số hoặc null.')
    if comparator == "range" and (value_max is None or value_max < target["value"]):
        raise CommandError(f'Mục tiêu thứ {n} là một khoảng: cần "value_max" không nhỏ hơn "value".')
    return {"year": target["year"], "value": target["value"], "comparator": comparator or "", "value_max": value_max}
