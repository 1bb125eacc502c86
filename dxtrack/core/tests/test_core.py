import datetime

import pytest

from dxtrack.core import audit
from dxtrack.core.dates import format_vn_date, parse_vn_date
from dxtrack.core.text import fold, strip_diacritics
from dxtrack.org.models import Agency


def test_fold_removes_diacritics_case_and_punctuation():
    assert strip_diacritics("Đường Lê Lợi") == "Duong Le Loi"
    assert fold("  Sở TT&TT (tỉnh)  ") == "so tttt tinh"
    assert fold("Lao động - Thương binh và Xã hội") == "lao dong thuong binh va xa hoi"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/7/2025", datetime.date(2025, 7, 1)),
        ("01-07-2025", datetime.date(2025, 7, 1)),
        ("2025-07-01", datetime.date(2025, 7, 1)),
        ("29/2/2024", datetime.date(2024, 2, 29)),
        ("29/2/2025", None),
        ("7/2025", None),
        ("", None),
        ("x" * 100, None),
    ],
)
def test_parse_vn_date(text, expected):
    assert parse_vn_date(text) == expected


def test_format_vn_date():
    assert format_vn_date(datetime.date(2026, 1, 5)) == "05/01/2026"


def test_an_audit_event_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        audit.record(actor=None, action="x", target=Agency(code="X", name="X", kind="other"))


@pytest.mark.django_db
def test_health_and_error_pages(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/khong-co-trang-nay").status_code == 404


@pytest.mark.django_db
def test_an_audit_change_reads_as_its_field_or_its_label_never_as_its_key():
    from dxtrack.core.models import AuditEvent
    from dxtrack.org.models import Agency

    # Given an event on an agency changing a field, a labelled count, and an unknown key
    agency = Agency.objects.create(code="SO_THU", name="Sở Thử")
    event = AuditEvent.objects.create(
        action="test.change",
        target_type="org.agency",
        target_id=str(agency.pk),
        changes={
            "name": ["Sở Cũ", "Sở Thử"],
            "closed": [0, 3],
            "mystery": [1, 2],
            "dues": [{}, {"self": "2026-10-31"}],
        },
    )
    # Then the field reads by its name, the count by its label, and only the unknown key is unnamed
    # (a value that is a dict, as a round's dues, reads as it is: it broke the audit page once)
    assert [row[0] for row in event.change_rows()] == ["tên đầy đủ", "số báo cáo được khóa", "mystery", "hạn các bước"]
    assert event.unnamed_change_keys() == ["mystery"]
