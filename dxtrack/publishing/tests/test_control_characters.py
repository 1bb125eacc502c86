"""One unit's stray control character cannot stop the province's report: text is cleaned where it
is saved, and again where the document is written."""

import datetime
import io

import pytest
from docx import Document

from dxtrack.core.text import clean_text
from dxtrack.publishing import services
from dxtrack.publishing.models import IssuedReport, IssuedStatus
from dxtrack.reports.services.narrative import narrative_save
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.tests.builders import commune_obligation, unit_people

from .conftest import fake_convert

pytestmark = pytest.mark.django_db

CONTROLS = "Khó\x0bkhăn\x1f về\x08 hạ tầng\x00\x7f\x85\r\nđường truyền"
# What a database can hold already (PostgreSQL refuses NUL in text and JSON outright).
STORED = CONTROLS.replace("\x00", "")


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        (CONTROLS, "Khókhăn về hạ tầng\nđường truyền"),
        ("  a\tb\r\nc\rd  ", "a\tb\nc\nd"),
        ("Ho\u0300a", "Hòa"),  # combining accent → one letter (NFC)
        ("\ud800x\ufffe\uffff", "x"),
        (None, ""),
        ("", ""),
    ],
)
def test_clean_text_keeps_the_words_and_drops_what_no_text_holds(raw, kept):
    assert clean_text(raw) == kept


def test_a_narrative_with_control_characters_is_saved_clean(calendar_2025):
    # Given a unit's reporter
    obligation = commune_obligation()
    reporter, _approver, _secretariat = unit_people(obligation.admin_unit)
    report = report_open(actor=reporter, obligation=obligation)
    # When the narrative is typed (or pasted) with control characters
    narrative_save(actor=reporter, report=report, expected_version=report.version, difficulties=CONTROLS)
    # Then it is stored without them, the words kept
    report.refresh_from_db()
    assert report.difficulties == "Khókhăn về hạ tầng\nđường truyền"


def test_the_periodic_report_issues_even_with_control_characters_already_stored(secretariat, quarter):
    # Given a draft whose text holds control characters stored before the services cleaned text
    draft = services.report_compose(actor=secretariat, period=quarter, scope_kind="programme")
    sections = {**draft.sections, **{k: STORED for k, v in draft.sections.items() if isinstance(v, str)}}
    IssuedReport.objects.filter(pk=draft.pk).update(title="Báo cáo\x0b quý", sections=sections)
    draft.refresh_from_db()
    # When it is issued
    issued = services.report_issue(
        actor=secretariat, report=draft, today=datetime.date(2026, 1, 5), convert=fake_convert
    )
    # Then it is issued, and its document holds the words without the control characters
    assert issued.status == IssuedStatus.ISSUED
    text = "\n".join(p.text for p in Document(io.BytesIO(bytes(issued.docx))).paragraphs)
    assert "Khókhăn về hạ tầng" in text
    assert "\x0b" not in text and "\x1f" not in text


def test_editing_the_draft_with_control_characters_saves_it_clean(secretariat, quarter):
    # Given a draft
    draft = services.report_compose(actor=secretariat, period=quarter, scope_kind="programme")
    # When the secretariat saves a title with a control character
    saved = services.report_update(actor=secretariat, report=draft, data={**draft.sections, "title": "Báo\x0b cáo quý"})
    # Then it is kept clean
    assert saved.title == "Báo cáo quý"
