"""Domain errors raised in a web page are answered once, by core.middleware.DomainErrorPages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.test import RequestFactory

from dxtrack.core.errors import DomainError, InvalidData, NotAllowed, NotFound, http_status
from dxtrack.core.middleware import DomainErrorPages


def _answer(exception, path="/bao-cao/1/"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return DomainErrorPages(lambda r: None).process_exception(request, exception)


@pytest.mark.parametrize(
    ("exception", "status", "text"),
    [
        (NotAllowed("Chỉ Tổ giúp việc được làm việc này."), 403, "Chỉ Tổ giúp việc được làm việc này."),
        (NotFound(), 404, "Không tìm thấy mục bạn tìm."),
        (ObjectDoesNotExist(), 404, "Trang hoặc mục bạn tìm không tồn tại hoặc đã được chuyển."),
        (DomainError("Người khác vừa sửa báo cáo này.", code="conflict"), 409, "Người khác vừa sửa báo cáo này."),
    ],
)
def test_each_domain_error_has_its_status_and_vietnamese_page(exception, status, text):
    # When a view lets a domain error through, then the page has its status and says why
    response = _answer(exception)
    assert response.status_code == status
    assert text in response.content.decode()


def test_bad_data_answers_400_with_its_message_and_every_detail():
    response = _answer(InvalidData("Tệp chưa hợp lệ.", details=["Dòng 3: thiếu mã.", "Dòng 7: số âm."]))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tệp chưa hợp lệ." in page
    assert "<li>Dòng 3: thiếu mã.</li>" in page and "<li>Dòng 7: số âm.</li>" in page


def test_the_api_and_other_errors_are_left_to_their_own_handlers():
    # The JSON API maps domain errors itself; an error that is no domain error stays a 500
    assert _answer(NotAllowed(), path="/api/reporting/reports/1") is None
    assert _answer(ValueError("bug")) is None


def test_the_pages_and_the_api_share_one_table_of_statuses():
    assert [http_status(e) for e in (NotAllowed(), NotFound(), InvalidData("x"))] == [403, 404, 400]
    assert http_status(DomainError("x", code="conflict")) == 409


@pytest.mark.django_db
def test_a_form_button_address_opened_in_the_browser_gets_a_vietnamese_page(client):
    # Given a signed-in person, when they open the address of a POST-only button directly
    from dxtrack.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get("/thong-bao/da-doc-tat-ca/")
    # Then a Vietnamese page says why, keeping the Allow header, instead of an empty 405
    assert (response.status_code, response["Allow"]) == (405, "POST")
    assert "chỉ nhận thao tác gửi từ nút bấm trên trang" in response.content.decode()
