"""The Excel round trip over HTTP: the template's download and its upload (moved from the reports
layer's view tests with the Excel views)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.reports.models import DataValue
from dxtrack.reports.services.opening import report_open
from dxtrack.reports.tests.builders import unit_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(obligation):
    reporter, approver, secretariat = unit_people(obligation.admin_unit)
    return {
        "reporter": reporter,
        "approver": approver,
        "secretariat": secretariat,
        "leader": UserFactory(role=Role.LEADER),
    }


@pytest.fixture
def report(obligation, people):
    return report_open(actor=people["reporter"], obligation=obligation)


def test_the_excel_template_downloads_with_a_readable_name(client, report, people):
    client.force_login(people["reporter"])
    response = client.get(reverse("exchange:excel_template", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-phuong-ham-rong-quy-iii-2025.xlsx"'
    assert response.content.startswith(b"PK")


def test_the_template_uploads_back_and_a_bad_file_is_explained(client, report, people):
    client.force_login(people["reporter"])
    url = reverse("exchange:excel_upload", args=[report.pk])
    # A file that is no workbook: the reason on the page, nothing saved
    bad = client.post(url, {"file": SimpleUploadedFile("bao-cao.xlsx", b"not a workbook")})
    assert bad.status_code == 400
    assert "Tệp không phải bảng tính Excel .xlsx; hãy dùng biểu mẫu tải từ hệ thống." in bad.content.decode()
    # The downloaded template, sent back untouched: accepted, every value unchanged
    template = client.get(reverse("exchange:excel_template", args=[report.pk])).content
    response = client.post(url, {"file": SimpleUploadedFile("bao-cao.xlsx", template)}, follow=True)
    assert response.redirect_chain == [(reverse("reports:report", args=[report.pk]), 302)]
    assert "Đã nhập tệp Excel. Số liệu: 0 mới, 0 cập nhật, 5 không đổi." in response.content.decode()
    assert DataValue.objects.count() == 0
    # Someone who may not edit the report may not upload to it
    client.force_login(people["leader"])
    assert client.post(url, {"file": SimpleUploadedFile("bao-cao.xlsx", template)}).status_code == 403
