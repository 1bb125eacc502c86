"""insert_rows: many derived rows at once, by COPY on PostgreSQL and bulk_create elsewhere."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from dxtrack.analytics.models import PeriodAggregate, Scorecard
from dxtrack.core.bulk import insert_rows
from dxtrack.obligations.models import Period
from dxtrack.plans.models import Indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator_and_period():
    indicator = Indicator.objects.create(code="thu-bulk", name="Chỉ tiêu thử", unit="%")
    quarter = {"start": datetime.date(2025, 7, 1), "end": datetime.date(2025, 9, 30)}
    period = Period.objects.create(
        period_type="quarterly",
        year=2025,
        number=3,
        label="Quý III/2025",
        data_from=quarter["start"],
        data_to=quarter["end"],
        **quarter,
    )
    return indicator, period


def test_instances_and_dicts_are_written_with_their_json_decimals_and_dates(indicator_and_period):
    indicator, period = indicator_and_period
    at = timezone.make_aware(datetime.datetime(2026, 11, 30, 9, 15, 30, 123456))
    card = Scorecard(
        kind="commune",
        key="14758",
        label="Phường Hàm Rồng",
        counts={"on_track": 2, "off_track": 1},
        score=0.6667,
        status="on_track",
        tasks={},
        reasons=["2 chỉ tiêu đúng tiến độ", "báo cáo đúng hạn 3/4"],
        computed_at=at,
    )
    # When
    assert insert_rows(Scorecard, [card]) == 1
    written = insert_rows(
        PeriodAggregate,
        [
            {
                "indicator_id": indicator.pk,
                "period_id": period.pk,
                "kind": "rollup",
                "n": 3,
                "total": Decimal("12.5"),
                "num": Decimal("40"),
                "den": Decimal("100"),
                "mean": None,
            }
        ],
    )
    # Then every field reads back as written; fields a dict leaves out take their defaults
    assert written == 1
    stored = Scorecard.objects.get(kind="commune", key="14758")
    assert (stored.counts, stored.reasons, stored.score, stored.computed_at) == (card.counts, card.reasons, 0.6667, at)
    assert (stored.expected_reports, stored.rank, stored.tasks) == (0, None, {})
    aggregate = PeriodAggregate.objects.get()
    assert (aggregate.n, aggregate.total, aggregate.num, aggregate.den, aggregate.mean) == (
        3,
        Decimal("12.5"),
        Decimal("40"),
        Decimal("100"),
        None,
    )


def test_rows_join_the_callers_transaction(indicator_and_period):
    indicator, period = indicator_and_period
    row = {"indicator_id": indicator.pk, "period_id": period.pk, "kind": "direct", "n": 1}
    with pytest.raises(RuntimeError), transaction.atomic():
        insert_rows(PeriodAggregate, [dict(row, total=None, num=None, den=None, mean=Decimal("7"))])
        raise RuntimeError("rolled back")
    assert PeriodAggregate.objects.count() == 0
    assert insert_rows(PeriodAggregate, []) == 0
