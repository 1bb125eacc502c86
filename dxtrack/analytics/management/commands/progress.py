"""`dxtrack progress`: the progress of one series, read as JSON on stdin, printed as JSON."""

import json
import sys

from django.core.management.base import CommandError

from dxtrack.analytics.progress import assess
from dxtrack.core.management.base import ProjectCommand

MAX_INPUT = 1_000_000
FIELDS = {"direction", "unit", "baseline_year", "observations", "targets", "limit"}


class Command(ProjectCommand):
    help = (
        "Đánh giá tiến độ một chỉ tiêu: đọc JSON từ đầu vào chuẩn "
        '{"direction", "unit", "baseline_year", "observations", "targets", "limit"} và in kết quả JSON.'
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
        try:
            pairs = [(t["year"], t["value"]) for t in targets]
        except KeyError as exc:
            raise CommandError(f'Mỗi mục tiêu cần "year" và "value" (thiếu {exc}).') from exc
        observations = data.get("observations") or []
        if not isinstance(observations, list):
            raise CommandError('"observations" phải là danh sách các cặp [năm, giá trị].')
        limit = data.get("limit")
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int | float)):
            raise CommandError('"limit" phải là số hoặc null.')
        baseline = data.get("baseline_year")
        if baseline is not None and (isinstance(baseline, bool) or not isinstance(baseline, int)):
            raise CommandError('"baseline_year" phải là số nguyên hoặc null.')
        unit = data.get("unit") or ""
        if not isinstance(unit, str):
            raise CommandError('"unit" phải là chuỗi.')
        result = assess(
            direction=data.get("direction", "increase"),
            observations=observations,
            targets=pairs,
            baseline_year=baseline,
            unit=unit,
            limit=limit,
        )
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
