"""Registry pages: public reading, private contact, bad query input never a 500."""

import pytest
from django.urls import reverse

from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.models import AuditEvent
from dxtrack.org import services
from dxtrack.org.models import ContactPoint

from .factories import agency, current_commune, former_commune

pytestmark = pytest.mark.django_db


def test_the_registry_index_shows_agencies_and_both_eras(client):
    response = client.get(reverse("org:index"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sở Khoa học và Công nghệ" in body
    assert "Phường Hàm Rồng" in body and "Huyện Bá Thước" in body
    assert "Sở Thông tin và Truyền thông" not in body.split('id="nhom"')[0]  # ceased before today


def test_the_index_at_a_past_date_lists_the_agencies_of_that_date(client):
    body = client.get(reverse("org:index"), {"ngay": "01/01/2024"}).content.decode()
    assert "Sở Thông tin và Truyền thông" in body.split('id="nhom"')[0]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2024", "không phải là ngày có thật; ghi theo dạng ngày/tháng/năm"),
        ("hôm qua", "không phải là ngày có thật; ghi theo dạng ngày/tháng/năm"),
        ("<script>", "không phải là ngày có thật; ghi theo dạng ngày/tháng/năm"),
        ("9" * 500, "không phải là ngày có thật; ghi theo dạng ngày/tháng/năm"),
        ("2024-13-01", "không phải là ngày có thật; ghi theo dạng ngày/tháng/năm"),
        ("1/7/25", "có năm hai chữ số, không rõ là năm nào"),
        ("1/7", "thiếu năm; ghi theo dạng ngày/tháng/năm"),
        ("7/31/2025", "ghi tháng trước ngày"),
    ],
)
def test_a_bad_date_gets_a_vietnamese_message(client, value, message):
    response = client.get(reverse("org:index"), {"ngay": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "<script>" not in response.content.decode().split("</header>")[1]


def test_unit_page_shows_history_and_where_it_lives_on(client):
    dong_tho = former_commune("14758")
    body = client.get(reverse("org:unit", args=[dong_tho.pk]), {"ngay": "01/01/2026"}).content.decode()
    assert "Phường Hạc Thành" in body and "Phường Hàm Rồng" in body and "chia tách" in body


def test_agency_page_shows_succession(client):
    body = client.get(reverse("org:agency", args=["SO_TTTT"])).content.decode()
    assert "Sở Khoa học và Công nghệ" in body and "01/03/2025" in body


def test_group_page_lists_members_at_a_date(client):
    body = client.get(reverse("org:group", args=["UBND_HUYEN"]), {"ngay": "30/06/2025"}).content.decode()
    assert "Thành viên ngày 30/06/2025 (26)" in body


@pytest.mark.parametrize("q", ["tho xuan", "Thọ Xuân"])
def test_search_page_and_htmx_partial(client, q):
    full = client.get(reverse("org:search"), {"q": q})
    partial = client.get(reverse("org:search"), {"q": q}, headers={"HX-Request": "true"})
    assert "Huyện Thọ Xuân" in full.content.decode() and "<html" in full.content.decode()
    assert "Huyện Thọ Xuân" in partial.content.decode() and "<html" not in partial.content.decode()


def test_search_escapes_hostile_input(client):
    body = client.get(reverse("org:search"), {"q": "<img src=x onerror=alert(1)>"}).content.decode()
    assert "<img src=x" not in body and "&lt;img src=x" in body


def test_unknown_objects_give_a_vietnamese_404(client):
    response = client.get(reverse("org:agency", args=["KHONG_CO"]))
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_contact_is_hidden_from_the_public_and_other_units(client):
    ham_rong = current_commune("14758")
    services.contact_point_update(
        actor=UserFactory(role="approver", admin_unit=ham_rong),
        admin_unit=ham_rong,
        data={"person": "Lê Thị Bình", "phone": "0237 3852 123"},
    )
    url = reverse("org:unit", args=[ham_rong.pk])
    assert "Lê Thị Bình" not in client.get(url).content.decode()
    client.force_login(UserFactory(role="reporter", admin_unit=current_commune("14797")))
    assert "Lê Thị Bình" not in client.get(url).content.decode()
    client.force_login(UserFactory(role="reporter", admin_unit=ham_rong))
    assert "Lê Thị Bình" in client.get(url).content.decode()


def test_posting_another_units_contact_is_forbidden_and_changes_nothing(client):
    hac_thanh = current_commune("14797")
    client.force_login(UserFactory(role="approver", admin_unit=current_commune("14758")))
    events = AuditEvent.objects.count()
    response = client.post(reverse("org:unit_contact", args=[hac_thanh.pk]), {"person": "Kẻ lạ"})
    assert response.status_code == 403
    assert ContactPoint.objects.count() == 0 and AuditEvent.objects.count() == events


def test_the_approver_saves_the_contact_from_the_page(client):
    so_tc = agency("SO_TAI_CHINH")
    client.force_login(UserFactory(role="approver", agency=so_tc))
    response = client.post(
        reverse("org:agency_contact", args=["SO_TAI_CHINH"]),
        {"person": "Trần Văn Cường", "email": "sai-email"},
        follow=True,
    )
    assert "địa chỉ thư điện tử không hợp lệ" in response.content.decode()
    assert ContactPoint.objects.count() == 0
    response = client.post(
        reverse("org:agency_contact", args=["SO_TAI_CHINH"]),
        {"person": "Trần Văn Cường", "email": "cuong@stc.thanhhoa.gov.vn"},
        follow=True,
    )
    assert "Đã lưu thông tin đầu mối." in response.content.decode()
    assert ContactPoint.objects.get(agency=so_tc).person == "Trần Văn Cường"


def test_anonymous_post_is_sent_to_log_in(client):
    response = client.post(reverse("org:agency_contact", args=["SO_TAI_CHINH"]), {"person": "x"})
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
