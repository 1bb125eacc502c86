"""One status per target wherever it is shown: the overview (every year of its selector), the
target's page, the public dashboard, the open-data file and the periodic report's appendix all
show the stored progress, assessed as of one year, with one label."""

import csv
import datetime
import html
import io
import re
from collections import Counter

import pytest
from django.urls import reverse
from docx import Document

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.analytics import selectors
from dxtrack.analytics.models import Scorecard, TargetProgress
from dxtrack.analytics.services.communes import NOT_REPORTED, PROVINCE_ONLY, commune_targets
from dxtrack.analytics.services.targets import progress_label
from dxtrack.plans.models import Target
from dxtrack.publishing import services as publishing

TODAY = datetime.date(2025, 11, 30)  # the demo_world's recomputation date: assessed as of 2025
STATUS_SPAN = re.compile(r'<span class="status status-(\w+)">([^<]*)</span>')


def _spans(fragment: str) -> list[tuple[str, str]]:
    return [(s, html.unescape(label)) for s, label in STATUS_SPAN.findall(fragment)]


def _table(page: str, table_id: str) -> str:
    start = page.index(f'id="{table_id}"')
    return page[start : page.index("</table>", start)]


@pytest.fixture
def expected(demo_world):
    """Each target's stored status and label: what every place must show."""
    rows = TargetProgress.objects.select_related("target")
    assert {tp.as_of for tp in rows} == {2025}
    return {tp.target_id: (tp.status, progress_label(tp)) for tp in rows}


def test_the_demo_has_past_milestones_met_late_and_missed(expected):
    # the statuses this test compares include the outcomes of past milestones
    outcomes = Counter(TargetProgress.objects.values_list("outcome", flat=True))
    assert outcomes["met"] and outcomes["met_late"] and outcomes["missed"]
    assert any(label.startswith("Đạt muộn (năm ") for _, label in expected.values())
    # and no past milestone carries a ratio or a projection
    past = TargetProgress.objects.exclude(outcome="")
    assert not past.filter(ratio__isnull=False).exists()
    assert not past.filter(projected__isnull=False).exists()


def test_each_target_has_one_status_on_every_page_file_and_report(expected, client, secretariat):
    leader = UserFactory(role=Role.LEADER)
    client.force_login(leader)

    # the overview, for each year of its selector: the cards count the stored statuses of that
    # year's targets, and every target at risk shows its stored status and label
    for year in selectors.filter_choices()["years"]:
        page = client.get(reverse("analytics:overview"), {"nam": year})
        of_year = Counter(s for pk, (s, _) in expected.items() if Target.objects.get(pk=pk).year == year)
        assert {c.status: c.count for c in page.context["summary"].cards if c.count} == dict(of_year)
        at_risk = page.content.decode()
        shown = _spans(_table(at_risk, "at-risk"))
        assert shown == [expected[r.target.pk] for r in page.context["at_risk"]]

    # a target's page: its status, and each of its plan's milestones as its own row shows it
    for pk, (status, label) in expected.items():
        page = client.get(reverse("analytics:target", args=[pk]))
        body = page.content.decode()
        facts = body[body.index("<dt>Tình trạng</dt>") : body.index("</dd>", body.index("<dt>Tình trạng</dt>"))]
        assert _spans(facts) == [(status, label)], pk
        for m in page.context["page"].milestones:
            if m["target"].pk in expected:
                assert m["status_label"] == expected[m["target"].pk][1], (pk, m["year"])
    client.logout()

    # the public dashboard lists every target with the same status and label
    public = client.get(reverse("analytics:public")).content.decode()
    order = [r.target.pk for r in selectors.target_rows()]
    assert _spans(_table(public, "targets")) == [expected[pk] for pk in order]

    # the open-data file carries the same code and label, and the year assessed as of
    response = client.get(reverse("opendata:file", args=["chi-tieu-tien-do", "csv"]))
    body = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body)))
    targets = list(Target.objects.order_by("document__code", "position", "pk").values_list("pk", flat=True))
    assert len(rows) == len(targets)
    for row, pk in zip(rows, targets, strict=True):
        if pk in expected:
            assert (row["ma_tinh_trang"], row["tinh_trang"], row["nam_danh_gia"]) == (*expected[pk], "2025")

    # the periodic report: its facts and its appendix I
    report = publishing.report_compose(actor=secretariat, period=demo_world_period(), scope_kind="programme", at=TODAY)
    assert report.facts["as_of"] == 2025
    assert {t["id"]: (t["status"], t["status_label"]) for t in report.facts["targets"]} == expected
    document = Document(io.BytesIO(publishing.render_docx(report)))
    appendix = next(t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == ["STT", "Chỉ tiêu"])
    labels = [row.cells[5].text for row in appendix.rows[1:]]
    assert labels == [expected[t["id"]][1] for t in report.facts["targets"]]
    assert any("Tình trạng đánh giá tính đến năm 2025" in p.text for p in document.paragraphs)
    # and its page shows the appendix's labels beside the legend of the year it states
    client.force_login(secretariat)
    draft = client.get(reverse("publishing:detail", args=[report.pk])).content.decode()
    assert "tính đến năm 2025" in draft[draft.index('<details class="legend">') :]
    for label in {t["status_label"] for t in report.facts["targets"]}:
        assert f"<td>{html.escape(label)}</td>" in draft


def demo_world_period():
    from dxtrack.obligations.models import Period

    return Period.objects.get(label="Quý III/2025", period_type="quarterly")


def test_a_communes_page_judges_the_targets_it_reports_and_says_why_not_the_others(demo_world, client):
    # Given the demo's communes, whose tables hold 2025 values
    client.force_login(UserFactory(role=Role.LEADER))
    card = Scorecard.objects.filter(kind="commune").exclude(counts={}).order_by("rank").first()
    unit_id = int(card.key)
    # When its targets are judged as of the scorecard's year
    rows = commune_targets(unit_id, at=TODAY)
    judged = [r for r in rows if r.status]
    # Then the statuses are exactly the scorecard's counts, not all "not available"
    assert dict(Counter(r.status for r in judged)) == card.counts
    assert set(card.counts) - {"not_available"}
    # and every other target says plainly why it has no status
    others = [r for r in rows if not r.status]
    assert others
    assert {str(r.reason) for r in others} <= {str(NOT_REPORTED), str(PROVINCE_ONLY)}
    assert {r.target.pk for r in rows} == set(
        Target.objects.filter(indicator__isnull=False).values_list("pk", flat=True)
    )
    # And the page states both
    page = client.get(reverse("analytics:commune", args=[unit_id])).content.decode()
    assert "Các chỉ tiêu xã báo cáo" in page
    assert "Xã không báo cáo chỉ tiêu này" in page or "không đánh giá cho từng xã" in page
    assert _spans(_table(page, "unit-targets"))
