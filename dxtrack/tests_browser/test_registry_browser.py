"""A person's path through the registry, in headless Chromium on a phone-sized screen."""

import pytest
from playwright.sync_api import expect

from dxtrack.accounts import services as account_services
from dxtrack.accounts.access import SYSTEM
from dxtrack.accounts.tests.factories import PASSWORD
from dxtrack.org import services as org_services
from dxtrack.org.tests.factories import current_commune

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reporter_logs_in_browses_the_registry_and_sees_only_its_own_contact(page, live_server, reference_data):
    # Given a commune reporter, and focal points set for its commune and for a neighbour
    ham_rong, hac_thanh = current_commune("14758"), current_commune("14797")
    account_services.user_create(
        actor=SYSTEM,
        username="hamrong.baocao",
        password=PASSWORD,
        role="reporter",
        full_name="Đầu mối Hàm Rồng",
        admin_unit=ham_rong,
    )
    for unit, person in ((ham_rong, "Lê Thị Bình"), (hac_thanh, "Phạm Văn Dũng")):
        approver = account_services.user_create(
            actor=SYSTEM, username=f"duyet{unit.code}", password=PASSWORD, role="approver", admin_unit=unit
        )
        org_services.contact_point_update(actor=approver, admin_unit=unit, data={"person": person})

    # When they log in
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("hamrong.baocao")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/viec-cua-toi/")  # the start page after log-in (ADR 0028)
    expect(page.get_by_role("link", name="Đầu mối Hàm Rồng")).to_be_visible()

    # And open the registry and search without diacritics (htmx live results)
    page.get_by_role("link", name="Danh mục tổ chức").click()
    expect(page.get_by_role("heading", name="Danh mục cơ quan và đơn vị hành chính")).to_be_visible()
    page.get_by_role("searchbox").fill("ham rong")
    page.locator("#search-results").get_by_role("link", name="Phường Hàm Rồng").first.wait_for()

    # Then their own commune shows its history and its contact
    page.goto(f"{live_server.url}/danh-muc/don-vi/{ham_rong.pk}/")
    expect(page.get_by_role("heading", name="Hình thành từ 5 đơn vị")).to_be_visible()
    expect(page.get_by_text("Lê Thị Bình")).to_be_visible()

    # But the neighbour's contact stays hidden
    page.goto(f"{live_server.url}/danh-muc/don-vi/{hac_thanh.pk}/")
    assert page.get_by_text("Phạm Văn Dũng").count() == 0
    expect(page.get_by_text("Thông tin đầu mối chỉ hiển thị cho chính đơn vị")).to_be_visible()


def test_wrong_password_shows_a_vietnamese_message(page, live_server, reference_data):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("khongco")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    assert page.get_by_role("alert").inner_text().startswith("Tên đăng nhập hoặc mật khẩu không đúng")
