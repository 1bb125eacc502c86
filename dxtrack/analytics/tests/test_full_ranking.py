"""The full rankings of communes and agencies: every place, searchable without diacritics,
sorted and paged, each linking to its page."""

import pytest
from django.test import Client
from django.urls import reverse

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.analytics.models import Scorecard
from dxtrack.org.models import AdminLevel, AdminUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def cards():
    """Scorecards of 60 current communes, ranked by code (Phường Hàm Rồng among them)."""
    units = list(AdminUnit.objects.filter(level=AdminLevel.COMMUNE, valid_to__isnull=True).order_by("code")[:59])
    ham_rong = AdminUnit.objects.get(level=AdminLevel.COMMUNE, code="14758", valid_to__isnull=True)
    if ham_rong not in units:
        units.append(ham_rong)
    return [
        Scorecard.objects.create(
            kind="commune", key=str(u.pk), label=u.name, rank=i + 1, score=5 - i / 10, status="on_track", reasons=["r"]
        )
        for i, u in enumerate(units)
    ]


@pytest.fixture
def leader_client(client):
    client.force_login(UserFactory(role=Role.LEADER))
    return client


def test_the_whole_ranking_is_paged_not_only_the_ends(leader_client, cards):
    response = leader_client.get(reverse("analytics:ranking", args=["xa"]))
    assert response.status_code == 200
    assert [c.rank for c in response.context["cards"]] == list(range(1, 51))
    second = leader_client.get(reverse("analytics:ranking", args=["xa"]), {"trang": 2})
    assert [c.rank for c in second.context["cards"]] == list(range(51, 61))


def test_a_commune_is_found_without_diacritics_and_links_to_its_page(leader_client, cards):
    ham_rong = next(c for c in cards if c.label == "Phường Hàm Rồng")
    response = leader_client.get(reverse("analytics:ranking", args=["xa"]), {"q": "ham rong"})
    assert [c.label for c in response.context["cards"]] == ["Phường Hàm Rồng"]
    assert reverse("analytics:commune", args=[int(ham_rong.key)]) in response.text


def test_sorting_by_score_and_few_queries(leader_client, cards, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = leader_client.get(reverse("analytics:ranking", args=["xa"]), {"sap-xep": "-diem"})
    scores = [c.score for c in response.context["cards"]]
    assert scores == sorted(scores)


def test_an_unknown_kind_is_not_found_and_the_public_is_sent_to_log_in(leader_client, cards):
    assert leader_client.get(reverse("analytics:ranking", args=["tinh"])).status_code == 404
    assert Client().get(reverse("analytics:ranking", args=["xa"])).status_code == 302
