"""The demo's assessment rounds: a closed 2025 round with recognitions, a 2026 round in progress."""

import datetime

import pytest

from dxtrack.accounts.access import SYSTEM
from dxtrack.assessments.models import Comment, Recognition, Round, RoundStatus, SubmissionStatus
from dxtrack.assessments.selectors import recognised_units
from dxtrack.devtools.demo import assessments

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 5)


def test_the_demo_rounds_once():
    # When the demo rounds are generated, twice
    first = assessments.generate(actor=SYSTEM, today=TODAY)
    second = assessments.generate(actor=SYSTEM, today=TODAY)
    # Then there are two demonstration rounds, once
    assert second == {"rounds": 0, "recognised": 0, "ranks": 0}
    assert (first["rounds"], first["ranks"]) == (2, 4)
    # And the province's published DTI ranks of 2021–2024 are entered, as the secretariat would
    from dxtrack.assessments.models import ProvinceResult

    assert sorted(ProvinceResult.objects.values_list("year", "rank", "ranked_of", "origin")) == [
        (2021, 12, 63, "published"),
        (2022, 15, 63, "published"),
        (2023, 11, 63, "published"),
        (2024, 5, 34, "published"),
    ]
    last, current = Round.objects.order_by("year")
    assert (last.year, last.status, last.demonstration) == (2025, RoundStatus.CLOSED, True)
    assert (current.year, current.status) == (2026, RoundStatus.OPEN)
    # And 2025's recognitions count for the communes' target, unless only public results are asked
    assert first["recognised"] == Recognition.objects.count() > 0
    assert recognised_units(as_of=TODAY).recognised == first["recognised"]
    assert recognised_units(as_of=TODAY, public_only=True).recognised == 0
    # And 2026 has drafts, submissions (some late), an appraisal in progress (Hàm Rồng's) with its thread
    statuses = set(current.submissions.values_list("status", flat=True))
    assert statuses == {s.value for s in SubmissionStatus if s != SubmissionStatus.CLOSED}
    ham_rong = current.submissions.get(admin_unit__code="14758")
    assert ham_rong.status == SubmissionStatus.APPRAISING
    assert current.submissions.filter(late=True).exists()
    assert Comment.objects.filter(answer__submission__round=current, kind="explanation").exists()
