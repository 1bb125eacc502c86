"""The ranking of a round and the round scored at once (issue 17, Performance): a page of the
ranking reads a fixed number of queries however many subjects the round has, keeps the ranks of
the whole round, and the whole round's scores are recomputed from the stored answers."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dxtrack.accounts.access import SYSTEM
from dxtrack.assessments import selectors, views
from dxtrack.assessments.models import Answer, Submission
from dxtrack.core.errors import NotFound
from dxtrack.org.models import AdminLevel, AdminUnit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_pages(monkeypatch):
    # These tests change the round behind the services' backs and read what the page computes:
    # the kept page (tested on its own below) would hide that.
    monkeypatch.setattr(selectors, "RANKING_SECONDS", 0)


def _grow(round_, count: int) -> list[Submission]:
    """`count` more communes in the round, each with an answer per criterion (self score 1)."""
    taken = round_.submissions.values("admin_unit_id")
    units = AdminUnit.objects.filter(level=AdminLevel.COMMUNE, valid_to__isnull=True).exclude(pk__in=taken)
    added = Submission.objects.bulk_create(
        Submission(round=round_, admin_unit=u) for u in units.order_by("code")[:count]
    )
    criteria = list(round_.framework.criteria.all())
    Answer.objects.bulk_create(Answer(submission=s, criterion=c, self_score=1) for s in added for c in criteria)
    return added


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_page_of_the_ranking_reads_the_same_queries_however_many_subjects(world):
    round_, _submission, people = world
    client = Client()
    client.force_login(people["member"].user)
    url = f"/danh-gia/dot/{round_.pk}/xep-hang/"
    client.get(url)  # the session and the user's first reads, not the page's
    # Given the round of two communes, the page's queries counted
    small = _page_queries(client, url)
    # When 30 more communes join the round, each with its answers
    _grow(round_, 30)
    # Then the page reads exactly as many queries (none per commune nor per criterion)
    assert _page_queries(client, url) == small


def test_the_pages_of_the_ranking_keep_the_ranks_of_the_whole_round(world, monkeypatch):
    round_, submission, people = world
    monkeypatch.setattr(views, "RANKING_PAGE", 2)
    added = _grow(round_, 3)
    # Given five subjects with totals 9, 7, 7, 5 and 0 (one with a final score that wins)
    Submission.objects.filter(pk=added[0].pk).update(self_total=Decimal("7"))
    Submission.objects.filter(pk=added[1].pk).update(self_total=Decimal("1"), final_total=Decimal("9"))
    Submission.objects.filter(pk=added[2].pk).update(self_total=Decimal("5"))
    Submission.objects.filter(pk=submission.pk).update(self_total=Decimal("7"))
    client = Client()
    client.force_login(people["member"].user)
    url = f"/danh-gia/dot/{round_.pk}/xep-hang/"

    def page(n):
        response = client.get(f"{url}?trang={n}")
        assert response.status_code == 200
        return [(r.rank, float(r.score)) for r in response.context["table"]["rows"]]

    # When the ranking is read two by two
    # Then the ranks run across the pages, equal totals sharing theirs
    assert page(1) == [(1, 9.0), (2, 7.0)]
    assert page(2) == [(2, 7.0), (4, 5.0)]
    assert page(3) == [(5, 0.0)]
    # And the contributions of the page's subjects are their criteria's scores, in order
    first = client.get(url).context["table"]["rows"][0]
    assert first.submission.pk == added[1].pk
    assert first.contributions == [Decimal("1.00")] * round_.framework.criteria.count()
    # And the pager names the pages
    assert "Trang 1/3" in client.get(url).content.decode()
    # And a page that is no number, or past the last, shows the first or the last, never an error
    assert page("abc") == [(1, 9.0), (2, 7.0)]
    assert page(99) == [(5, 0.0)]


def test_the_download_holds_the_whole_round_not_a_page(world, monkeypatch):
    round_, _submission, people = world
    monkeypatch.setattr(views, "RANKING_PAGE", 2)
    _grow(round_, 3)
    criteria, rows = selectors.ranking(people["member"], round_)
    assert len(rows) == 5
    assert len(criteria) == round_.framework.criteria.count()
    client = Client()
    client.force_login(people["member"].user)
    csv = client.get(f"/danh-gia/dot/{round_.pk}/xep-hang/?xuat=csv")
    assert csv.status_code == 200
    assert len([line for line in csv.content.decode("utf-8-sig").splitlines() if line.strip()]) == 1 + 5


def test_the_whole_round_is_scored_from_its_stored_answers(world):
    round_, submission, _people = world
    answers = {a.criterion.code: a for a in submission.answers.select_related("criterion")}
    # Given a figure declared on 1.3 (120 of 120: full points) and a yes on 3.5
    Answer.objects.filter(pk=answers["1.3"].pk).update(numerator=120, denominator=120)
    Answer.objects.filter(pk=answers["3.5"].pk).update(flag=True)
    # And the council's score on 3.5 set to 0 (it wins over the answer)
    Answer.objects.filter(pk=answers["3.5"].pk).update(council_score=Decimal("0"))
    # When the round is scored at once
    outcomes = selectors.round_outcomes(SYSTEM, round_)
    # Then every submission has its outcome, and this one counts 1.3 in full and 3.5 as the council said
    assert set(outcomes) == set(round_.submissions.values_list("pk", flat=True))
    scored = outcomes[submission.pk]
    assert scored.scores["1.3"] == float(answers["1.3"].criterion.points)
    assert scored.scores["3.5"] == 0.0
    assert scored.total == float(answers["1.3"].criterion.points)


def test_only_those_who_see_the_round_score_or_rank_it(world):
    round_, _submission, people = world
    with pytest.raises(NotFound):
        selectors.round_outcomes(people["reporter"], round_)
    with pytest.raises(NotFound):
        selectors.ranked(people["reporter"], round_)


@pytest.mark.parametrize("change", ["self", "final"])
def test_a_kept_page_of_the_ranking_is_read_again_once_a_score_changes(world, monkeypatch, change):
    from dxtrack.assessments.services.answers import AnswerInput, answer_save
    from dxtrack.assessments.services.appraisal import final_fix

    round_, submission, people = world
    monkeypatch.setattr(selectors, "RANKING_SECONDS", 60)
    client = Client()
    client.force_login(people["member"].user)
    url = f"/danh-gia/dot/{round_.pk}/xep-hang/"
    client.get("/viec-cua-toi/")  # the session and the user's first reads, not the page's
    # Given the ranking read once, and kept
    with CaptureQueriesContext(connection) as computed:
        first = client.get(url)
    assert [float(r.score) for r in first.context["table"]["rows"]] == [0.0, 0.0]
    with CaptureQueriesContext(connection) as again:
        client.get(url)
    # Then a second read does not compute the table again
    assert len(again) < len(computed)
    # When a score changes through its service (the commune's own, or the council's final)
    answer = submission.answers.get(criterion__code="1.2")
    if change == "self":
        answer_save(actor=people["reporter"], answer=answer, data=AnswerInput(value="95"))
    else:
        Submission.objects.filter(pk=submission.pk).update(status="appraising")
        final_fix(actor=people["chair"], submission=submission, scores={"1.2": "5"})
    # Then the next read shows it (the round's generation moved at commit)
    page = client.get(url)
    top = page.context["table"]["rows"][0]
    assert (top.rank, float(top.score)) == (1, 5.0)
