"""The demo's enterprises (ADR 0040): twelve, labelled, each with this year's complete answer and
the level the 1970 rule gives it; a second run adds nothing; seed 004's target counts them."""

import pytest
from django.utils import timezone

from dxtrack.accounts.access import SYSTEM
from dxtrack.accounts.models import Role, User
from dxtrack.assessments import measures
from dxtrack.assessments.models import EnterpriseResult
from dxtrack.devtools.demo import enterprises
from dxtrack.org.models import Enterprise
from dxtrack.org.taxcode import normalise

pytestmark = pytest.mark.django_db


def test_demo_enterprises_answer_and_count_toward_seed_004():
    # When the demo enterprises are made, twice
    assert enterprises.generate(actor=SYSTEM, password="Demo-mat-khau-2026") == 12
    assert enterprises.generate(actor=SYSTEM, password="Demo-mat-khau-2026") == 0
    # Then each is a labelled demonstration with a valid tax code and an enterprise account
    made = list(Enterprise.objects.all())
    assert len(made) == 12 and all(e.demonstration for e in made)
    assert all(normalise(e.tax_code) == e.tax_code for e in made)
    demo = User.objects.get(username=enterprises.DEMO_ENTERPRISE_USERNAME)
    assert (demo.role, demo.enterprise.admin_unit.code, demo.check_password("Demo-mat-khau-2026")) == (
        Role.ENTERPRISE,
        "14758",
        True,
    )
    # and this year's answers are complete, their levels those of the framework's rule
    year = timezone.localdate().year
    this_year = EnterpriseResult.objects.filter(year=year).select_related("framework")
    assert this_year.count() == 12
    for result in this_year:
        assert result.level == result.framework.enterprise_outcome(result.answers).level
    assert EnterpriseResult.objects.filter(year=year - 1).count() == 9
    # and seed 004's target has a figure for both years
    assert [f.year for f in measures.yearly_figures("dnnvv-su-dung-nen-tang-so")] == [year - 1, year]
