"""insert_rows: many derived rows at once, by COPY on PostgreSQL and bulk_create elsewhere."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from dxtrack.analytics.models import PeriodAggregate, Scorecard
from dxtrack.core.bulk import INSERT_UP_TO, Same, insert_columns, insert_rows
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


def _cards(n: int, at) -> list[dict]:
    return [
        {
            "kind": "commune",
            "key": f"{i:05d}",
            "label": f"Xã {i}",
            # JSON of every shape a column may hold, a plain string among them
            "counts": {"on_track": i, "nested": {"list": [i, None, "ở"]}},
            "score": i / 7,
            "status": "on_track",
            "tasks": "chỉ một chuỗi" if i % 2 else [i],
            "reasons": [],
            "computed_at": at,
        }
        for i in range(n)
    ]


@pytest.mark.parametrize("n", [3, INSERT_UP_TO + 5], ids=["one INSERT", "COPY"])
def test_many_dict_rows_read_back_as_written_by_insert_and_by_copy(n):
    # Given rows sharing one moment, with JSON objects, lists and strings (PostgreSQL: a few go by
    # one INSERT, more by COPY)
    at = timezone.make_aware(datetime.datetime(2026, 12, 5, 10, 0, 0, 654321))
    rows = _cards(n, at)
    # When they are inserted
    assert insert_rows(Scorecard, rows) == n
    # Then each reads back as it was given, fields left out at their defaults
    stored = {
        s.key: (s.label, s.counts, s.score, s.tasks, s.reasons, s.computed_at, s.expected_reports, s.rank)
        for s in Scorecard.objects.all()
    }
    assert stored == {r["key"]: (r["label"], r["counts"], r["score"], r["tasks"], [], at, 0, None) for r in rows}


@pytest.mark.parametrize("n", [3, INSERT_UP_TO + 5], ids=["one INSERT", "COPY"])
def test_many_instances_read_back_as_written(n):
    # Given model instances with JSON objects, lists and strings (the demo generator's audit
    # events and values are instances: PostgreSQL takes more than a few by COPY, SQLite by one
    # prepared INSERT per row)
    at = timezone.make_aware(datetime.datetime(2026, 12, 5, 10, 0, 0, 654321))
    cards = [Scorecard(**row) for row in _cards(n, at)]
    # When they are inserted
    assert insert_rows(Scorecard, cards) == n
    # Then each reads back as it was made, fields left out at their defaults
    stored = {
        s.key: (s.label, s.counts, s.score, s.tasks, s.reasons, s.computed_at, s.expected_reports, s.rank)
        for s in Scorecard.objects.all()
    }
    assert stored == {c.key: (c.label, c.counts, c.score, c.tasks, [], at, 0, None) for c in cards}


@pytest.mark.parametrize("n", [2, INSERT_UP_TO + 1], ids=["one INSERT", "COPY"])
def test_columns_with_one_value_for_every_row_read_back_as_rows_would(n):
    at = timezone.make_aware(datetime.datetime(2026, 12, 5, 10, 0, 0))
    # When the columns are given, the shared ones once
    written = insert_columns(
        Scorecard,
        {
            "kind": Same("commune"),
            "key": [f"{i:05d}" for i in range(n)],
            "label": [f"Xã {i}" for i in range(n)],
            "counts": [{"on_track": i} for i in range(n)],
            "computed_at": Same(at),
            "status": Same("off_track"),
            "score": Same(0.5),
        },
        n,
    )
    # Then every row holds its own values, the shared ones and the defaults of the others
    assert written == n
    stored = sorted(Scorecard.objects.values_list("kind", "key", "counts", "computed_at", "status", "score", "tasks"))
    assert stored == [("commune", f"{i:05d}", {"on_track": i}, at, "off_track", 0.5, {}) for i in range(n)]


def test_columns_of_the_wrong_length_or_name_are_refused_before_writing():
    with pytest.raises(ValueError, match="key has 1 values, not 2"):
        insert_columns(Scorecard, {"kind": Same("commune"), "key": ["a"]}, 2)
    with pytest.raises(ValueError, match="no such columns of Scorecard: \\['colour'\\]"):
        insert_columns(Scorecard, {"colour": Same("red")}, 1)
    assert Scorecard.objects.count() == 0
