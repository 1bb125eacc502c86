"""Enterprises (ADR 0040): one registers itself on the public page, answers the enterprise index
of 1970/QĐ-BTTTT pillar by pillar and sees the level the rule gives; bad input is refused field by
field with nothing saved; its account reaches nothing of the province's reporting; the
secretariat sees the levels by sector and commune, and seed 004's target gets a figure."""

import io
import json
import re

import openpyxl
import pytest
from django.test import Client, override_settings
from django.utils import timezone

from dxtrack.accounts.access import SYSTEM, Access
from dxtrack.accounts.models import Role, User
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.assessments.models import EnterpriseResult, Framework
from dxtrack.assessments.services.enterprises import enterprise_answers_save
from dxtrack.assessments.services.frameworks import frameworks_load
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.models import AuditEvent
from dxtrack.org.models import Enterprise
from dxtrack.org.tests.factories import current_commune

pytestmark = pytest.mark.django_db

HAM_RONG = "14758"
PASSWORD = "Doanh-nghiep-so-2026!"


@pytest.fixture
def dbi():
    frameworks_load(actor=SYSTEM)
    return Framework.objects.get(code="dbi-1970-doanh-nghiep")


def _form(**overrides) -> dict:
    unit = current_commune(HAM_RONG)
    data = {
        "name": "Công ty TNHH Chuyển đổi số Hàm Rồng",
        "tax_code": "0101248141",
        "sector": "J",
        "commune": f"{unit.name} — mã {unit.code}",
        "contact_person": "Lê Thị Minh",
        "email": "Minh@CongTy.vn",
        "phone": "0237 385 2222",
        "password": PASSWORD,
        "password_again": PASSWORD,
    }
    data.update(overrides)
    return data


def _registered(client=None, **overrides) -> Client:
    client = client or Client()
    response = client.post("/doanh-nghiep/dang-ky/", _form(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/doanh-nghiep/"
    return client


def _answer_all(client, framework, level, **by_pillar):
    """Posts each pillar's form as htmx does, every criterion at the pillar's level."""
    last = None
    for group in framework.groups.order_by("position"):
        answers = {f"c_{c.code}": str(by_pillar.get(group.code, level)) for c in group.criteria.all()}
        last = client.post("/doanh-nghiep/tra-loi/", answers, HTTP_HX_REQUEST="true")
        assert last.status_code == 200, last.content.decode()[:1000]
    return last


# ---- registration ----------------------------------------------------------------------------------


def test_an_enterprise_registers_itself_and_is_signed_in(dbi):
    # Given a visitor, not signed in
    client = Client()
    assert client.get("/doanh-nghiep/dang-ky/").status_code == 200
    # When they register their enterprise
    _registered(client)
    # Then the enterprise exists in Hàm Rồng, its account is an enterprise account named by the code
    enterprise = Enterprise.objects.get()
    assert (enterprise.tax_code, enterprise.sector, enterprise.admin_unit.code, enterprise.email) == (
        "0101248141",
        "J",
        HAM_RONG,
        "minh@congty.vn",
    )
    user = User.objects.get(username="0101248141")
    assert (user.role, user.enterprise_id, user.agency_id, user.admin_unit_id) == (
        Role.ENTERPRISE,
        enterprise.pk,
        None,
        None,
    )
    assert user.check_password(PASSWORD)
    # and both writes are audited as done by the new account, through its session
    events = AuditEvent.objects.filter(action__in=["org.enterprise.register", "accounts.user.create"])
    assert sorted((e.action, e.actor_id, e.via) for e in events) == [
        ("accounts.user.create", user.pk, "session"),
        ("org.enterprise.register", user.pk, "session"),
    ]
    # and the visitor is now signed in on their enterprise's page
    page = client.get("/doanh-nghiep/")
    assert page.status_code == 200
    assert "Công ty TNHH Chuyển đổi số Hàm Rồng" in page.content.decode()


def test_a_branch_registers_with_its_ten_three_code(dbi):
    _registered(tax_code="0101248141 001")
    assert Enterprise.objects.get().tax_code == "0101248141-001"


def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(dbi):
    # Given a form with every field wrong
    before = (User.objects.count(), Enterprise.objects.count(), AuditEvent.objects.count())
    response = Client().post(
        "/doanh-nghiep/dang-ky/",
        _form(
            name=" ",
            tax_code="0101248142",
            sector="Z",
            commune="Phường Không Có",
            contact_person="",
            email="minh@",
            phone="gọi tôi",
            password_again="khác",
        ),
    )
    # Then the form comes back with one Vietnamese message per field
    html = response.content.decode()
    assert response.status_code == 400
    for message in (
        "Nhập tên doanh nghiệp (ít nhất 3 ký tự).",
        "Mã số thuế 0101248142 không hợp lệ: chữ số kiểm tra (chữ số thứ 10) không đúng.",
        "Chọn ngành kinh tế chính của doanh nghiệp trong danh sách.",
        "Chọn xã, phường nơi doanh nghiệp đặt trụ sở trong danh sách gợi ý.",
        "Nhập họ và tên người liên hệ (2–150 ký tự).",
        "Địa chỉ thư điện tử không hợp lệ, ví dụ ten@congty.vn.",
        "Số điện thoại gồm 8–20 chữ số (có thể có dấu cách, +, -).",
        "Hai lần nhập mật khẩu không khớp.",
    ):
        assert message in html
    # and nothing was saved, nor audited
    assert (User.objects.count(), Enterprise.objects.count(), AuditEvent.objects.count()) == before


def test_a_weak_password_is_refused_in_vietnamese(dbi):
    response = Client().post("/doanh-nghiep/dang-ky/", _form(password="12345678", password_again="12345678"))
    assert response.status_code == 400
    assert "Mật khẩu này quá phổ biến." in response.content.decode() or "quá phổ biến" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_a_tax_code_registers_once(dbi):
    # Given an enterprise registered with its code
    _registered()
    # When someone registers the same code again (typed with a dash and spaces)
    response = Client().post("/doanh-nghiep/dang-ky/", _form(tax_code="0101 248 141", email="khac@congty.vn"))
    # Then they are told, and nothing more is saved
    assert response.status_code == 400
    assert "Mã số thuế 0101248141 đã được đăng ký." in response.content.decode()
    assert (Enterprise.objects.count(), User.objects.filter(role=Role.ENTERPRISE).count()) == (1, 1)


def test_hostile_input_is_escaped_or_refused_never_a_server_error(dbi):
    # Given markup in the name, a NUL byte, and 10 000 characters
    client = Client()
    refused = client.post(
        "/doanh-nghiep/dang-ky/",
        _form(name="<script>alert(1)</script>", contact_person="A\x00" * 5000, tax_code="9" * 10_000),
    )
    # Then the form answers 400 with the markup shown as text, and nothing is saved
    html = refused.content.decode()
    assert refused.status_code == 400
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not Enterprise.objects.exists()
    # and markup in an accepted name is stored as typed and shown as text
    _registered(client, name="Công ty <b>In đậm</b>")
    assert "Công ty &lt;b&gt;In đậm&lt;/b&gt;" in client.get("/doanh-nghiep/").content.decode()


@override_settings(DXTRACK_ENTERPRISE_REGISTER_PER_IP_HOUR=2)
def test_registrations_from_one_address_are_limited(dbi):
    # Given two attempts from one address this hour (one refused, one accepted)
    Client().post("/doanh-nghiep/dang-ky/", _form(tax_code="sai"))
    _registered()
    # When a third comes, even a correct one
    response = Client().post("/doanh-nghiep/dang-ky/", _form(tax_code="0300588569", email="b@congty.vn"))
    # Then it is refused with the reason, and nothing is saved
    assert response.status_code == 429
    assert "Có quá nhiều lượt đăng ký từ địa chỉ mạng này trong một giờ." in response.content.decode()
    assert list(Enterprise.objects.values_list("tax_code", flat=True)) == ["0101248141"]


# ---- the questionnaire: 1970's worked examples through the pages -----------------------------------


@pytest.mark.parametrize(
    ("level", "pillars", "total", "expected", "name"),
    [
        (1, {}, "64.00", 1, "Khởi động"),  # every pillar at 20% → 1; > 20 with six pillars at ≥ 1
        (3, {}, "192.00", 3, "Hình thành"),  # every pillar at 60% → 3; > 128 with six at ≥ 3
        (5, {"6": 1}, "292.00", 4, "Nâng cao"),  # five pillars at 5, data at 1: > 192 with five at ≥ 4
        (2, {"1": 4, "3": 4}, "186.00", 2, "Bắt đầu"),  # > 128 but only two pillars at ≥ 3 (1 and 3 at 80% → 4)
    ],
)
def test_the_level_the_1970_rule_gives_through_the_pages(dbi, level, pillars, total, expected, name):
    # Given a registered enterprise
    client = _registered()
    # When it answers every pillar
    last = _answer_all(client, dbi, level, **pillars)
    # Then its result carries the 1970 level, and the page shows it at once
    result = EnterpriseResult.objects.get()
    assert (str(result.total), result.level, result.year) == (total, expected, timezone.localdate().year)
    assert result.completed_at is not None
    assert f"Mức {expected} — {name}" in last.content.decode()
    assert f"Mức {expected} — {name}" in client.get("/doanh-nghiep/").content.decode()


def test_pillar_levels_show_as_each_pillar_is_answered(dbi):
    client = _registered()
    # When only pillar 2 (strategy: one criterion ×5) is answered at 4
    page = client.post("/doanh-nghiep/tra-loi/", {"c_2.01": "4"}, HTTP_HX_REQUEST="true")
    # Then its level shows (20 of 25 points = 80% → 4), the overall level waits for the rest
    result = EnterpriseResult.objects.get()
    assert (result.pillar_points, result.pillar_levels, result.level) == ({"2": 20.0}, {"2": 4}, None)
    html = page.content.decode()
    assert "Còn 59 tiêu chí chưa trả lời" in html
    assert 'id="bieu-do-2"' in html and 'id="bieu-do-2-data"' in html
    # and its chart reads the criterion's level on the 1–5 scale
    chart = re.search(r'<script id="bieu-do-2-data" type="application/json">(.*?)</script>', html).group(1)
    assert {k: v for k, v in json.loads(chart).items() if k in ("categories", "data", "max")} == {
        "categories": ["2.01"],
        "data": [4],
        "max": 5,
    }
    # and the answer is the page's results part alone, with no questionnaire (64 choices) again
    assert html.strip().startswith('<section id="ket-qua"') and html.strip().endswith("</section>")
    assert "<select" not in html and "<html" not in html
    # and each save is audited as the enterprise's account
    event = AuditEvent.objects.get(action="assessments.enterprise.answer")
    assert (event.actor.username, event.changes) == ("0101248141", {"2.01": [None, 4]})


def test_an_answer_out_of_the_scale_saves_nothing(dbi):
    client = _registered()
    client.post("/doanh-nghiep/tra-loi/", {"c_2.01": "4"}, HTTP_HX_REQUEST="true")
    # When a level of 6 (or a word) comes in one batch with a good answer
    response = client.post("/doanh-nghiep/tra-loi/", {"c_1.01": "3", "c_1.02": "6"}, HTTP_HX_REQUEST="true")
    # Then it is refused with the reason and none of the batch is saved
    assert response.status_code == 400
    assert "Tiêu chí 1.02: chọn mức từ 1 đến 5." in response.content.decode()
    assert EnterpriseResult.objects.get().answers == {"2.01": 4}
    words = client.post("/doanh-nghiep/tra-loi/", {"c_9.99": "3"}, HTTP_HX_REQUEST="true")
    assert words.status_code == 400
    assert "Không có tiêu chí 9.99 trong bộ chỉ số." in words.content.decode()


def test_only_the_enterprise_itself_answers_and_only_for_this_year(dbi):
    _registered()
    enterprise = Enterprise.objects.get()
    this_year = timezone.localdate().year
    # Given the secretariat and another enterprise
    _registered(tax_code="0300588569", email="b@congty.vn")
    other = Access.for_user(User.objects.get(username="0300588569"))
    secretariat = Access.for_user(UserFactory(role=Role.SECRETARIAT))
    for actor in (secretariat, other, SYSTEM):
        with pytest.raises(NotAllowed):
            enterprise_answers_save(
                actor=actor, enterprise=enterprise, framework=dbi, year=this_year, answers={"2.01": "3"}
            )
    # and a past year's answer is a record: not rewritten
    own = Access.for_user(User.objects.get(username="0101248141"))
    with pytest.raises(InvalidData, match="kết quả các năm trước được giữ nguyên"):
        enterprise_answers_save(
            actor=own, enterprise=enterprise, framework=dbi, year=this_year - 1, answers={"2.01": "3"}
        )
    assert not EnterpriseResult.objects.exists()


# ---- what an enterprise account reaches ------------------------------------------------------------


PROVINCE_PAGES = [
    "/bao-cao/",
    "/bao-cao/tong-hop/",
    "/bao-cao/cho-duyet/",
    "/bao-cao/1/",
    "/tien-do/",
    "/danh-gia/",
    "/ban-chi-dao/",
    "/bao-cao-dinh-ky/",
    "/nhat-ky/",
    "/quan-tri/",
    "/tai-khoan/nguoi-dung/",
    "/tai-khoan/token/",
]


def test_an_enterprise_account_reaches_nothing_of_the_province(dbi):
    client = _registered()
    # When the enterprise opens the province's pages
    answers = {url: client.get(url).status_code for url in PROVINCE_PAGES}
    # Then each is forbidden
    assert answers == {url: 403 for url in PROVINCE_PAGES}
    # and the secretariat's distribution is not found for it
    assert client.get("/doanh-nghiep/thong-ke/").status_code == 404
    # and the start pages lead to its own page
    assert client.get("/")["Location"] == "/doanh-nghiep/"
    # and its access reads no unit's private data
    access = Access.for_user(User.objects.get(username="0101248141"))
    assert (access.is_enterprise, access.is_province_wide, access.scope.agency_ids, access.scope.admin_unit_ids) == (
        True,
        False,
        frozenset(),
        frozenset(),
    )


def test_an_enterprise_reads_the_public_pages_as_the_public_does(dbi):
    # Given a signed-in enterprise and a visitor who is not signed in
    client, visitor = _registered(), Client()
    for url in (
        "/du-lieu-mo/",
        "/tien-do/cong-khai/",
        "/danh-gia/cong-khai/",
        "/tro-giup/",
        "/ke-hoach/",
        "/danh-muc/",
    ):
        # When both open a public page, then the enterprise gets it as the public does
        assert (client.get(url).status_code, visitor.get(url).status_code) == (200, 200), url
    # and it still writes nothing outside its own pages
    assert client.post("/du-lieu-mo/").status_code == 403


def test_an_enterprise_sees_only_its_own_results(dbi):
    first = _registered()
    _answer_all(first, dbi, 3)
    second = _registered(tax_code="0300588569", email="b@congty.vn", name="Công ty Sữa Thứ Hai")
    page = second.get("/doanh-nghiep/").content.decode()
    assert "Công ty Sữa Thứ Hai" in page
    assert "Công ty TNHH Chuyển đổi số Hàm Rồng" not in page
    assert "Mức 3 — Hình thành" not in page


def test_officials_do_not_use_the_enterprise_pages(dbi):
    reporter = Client()
    reporter.force_login(UserFactory(role=Role.REPORTER))
    assert reporter.get("/doanh-nghiep/").status_code == 403
    assert reporter.post("/doanh-nghiep/tra-loi/", {"c_2.01": "3"}).status_code == 403
    assert reporter.get("/doanh-nghiep/thong-ke/").status_code == 404
    assert not EnterpriseResult.objects.exists()


# ---- the secretariat's view, and seed 004's target -------------------------------------------------


def test_the_secretariat_sees_levels_by_sector_and_commune_with_excel(dbi):
    _answer_all(_registered(), dbi, 3)  # J, Hàm Rồng: level 3
    _answer_all(_registered(tax_code="0300588569", email="b@congty.vn", sector="C"), dbi, 1)  # C: level 1
    _registered(tax_code="0100109106", email="c@congty.vn", sector="C")  # registered, not answered
    client = Client()
    client.force_login(UserFactory(role=Role.SECRETARIAT))
    page = client.get("/doanh-nghiep/thong-ke/")
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        "2 doanh nghiệp đã trả lời đủ bộ chỉ số trong năm; 0 doanh nghiệp đang trả lời; 3 doanh nghiệp đã đăng ký."
        in html
    )
    assert 'data-chart="phan-bo-nganh-data"' in html and 'data-chart="phan-bo-xa-data"' in html
    # the Excel of the sectors' table
    xlsx = client.get("/doanh-nghiep/thong-ke/", {"xuat": "xlsx", "bang": "nganh"})
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
    header = next(r for r in rows if r[0] == "Ngành kinh tế")
    assert header[1:] == (
        "Mức 0 — Chưa khởi động",
        "Mức 1 — Khởi động",
        "Mức 2 — Bắt đầu",
        "Mức 3 — Hình thành",
        "Mức 4 — Nâng cao",
        "Mức 5 — Dẫn dắt",
        "Tổng số",
    )
    body = {r[0]: tuple(r[1:]) for r in rows[rows.index(header) + 1 :]}
    assert body["Thông tin và truyền thông"] == (0, 0, 0, 1, 0, 0, 1)
    assert body["Công nghiệp chế biến, chế tạo"] == (0, 1, 0, 0, 0, 0, 1)
    # and by commune
    by_commune = client.get("/doanh-nghiep/thong-ke/", {"xuat": "xlsx", "bang": "xa"})
    sheet = openpyxl.load_workbook(io.BytesIO(by_commune.content)).active
    values = [r for r in sheet.iter_rows(values_only=True) if r and r[0] == current_commune(HAM_RONG).name]
    assert values == [(current_commune(HAM_RONG).name, 0, 1, 0, 1, 0, 0, 2)]


def test_seed_004s_target_on_smes_gets_its_figure_from_the_enterprises_levels(register, dbi):
    from dxtrack.analytics import rollup
    from dxtrack.analytics.models import TargetProgress
    from dxtrack.analytics.services.targets import target_progress_recompute
    from dxtrack.assessments import measures
    from dxtrack.plans.models import Indicator, Target

    # Given seed 004's target "Tỷ lệ doanh nghiệp nhỏ và vừa sử dụng nền tảng số ≥ 50% by 2025"
    indicator = Indicator.objects.get(code="dnnvv-su-dung-nen-tang-so")
    target = Target.objects.get(indicator=indicator, document__code="kh-ktsxhs-2022")
    assert (float(target.value), target.year) == (50.0, 2025)
    assert measures.yearly_figures(indicator.code) == []
    # When two enterprises answer the index this year: one at level 3, one at level 1, and a third
    # has not answered everything yet
    _answer_all(_registered(), dbi, 3)
    _answer_all(_registered(tax_code="0300588569", email="b@congty.vn"), dbi, 1)
    _registered(tax_code="0100109106", email="c@congty.vn").post(
        "/doanh-nghiep/tra-loi/", {"c_2.01": "5"}, HTTP_HX_REQUEST="true"
    )
    # Then the year's figure is the share at level 2 or more of those that answered: 1 of 2
    year = timezone.localdate().year
    [figure] = measures.yearly_figures(indicator.code)
    assert (figure.year, figure.value, figure.units, figure.source) == (year, 50.0, 2, "dbi")
    series = rollup.province_series([indicator])[indicator.pk]
    assert [(o.year, o.value, o.source) for o in series] == [(year, 50.0, rollup.ENTERPRISES)]
    # and the target gets that value and a status from it
    target_progress_recompute(indicator_ids=[indicator.pk], as_of=year)
    progress = TargetProgress.objects.get(target=target)
    assert (progress.latest_year, progress.latest_value, progress.source) == (year, 50.0, "dbi")
    assert progress.status == "target_achieved"
    assert rollup.SOURCE_LABELS["dbi"].startswith("Đếm từ kết quả tự đánh giá của doanh nghiệp")


@pytest.mark.parametrize("typed", ["²", "٣", "3.0", " 3 4", "-1", "0", "99999999999999999999"])
def test_levels_that_are_no_plain_digit_are_refused(dbi, typed):
    client = _registered()
    response = client.post("/doanh-nghiep/tra-loi/", {"c_1.01": typed}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "Tiêu chí 1.01: chọn mức từ 1 đến 5." in response.content.decode()
    assert not EnterpriseResult.objects.exists()


def test_the_enterprise_account_page_names_its_enterprise(dbi):
    html = _registered().get("/tai-khoan/cua-toi/").content.decode()
    assert '<a href="/doanh-nghiep/">Công ty TNHH Chuyển đổi số Hàm Rồng</a>' in html
    assert "Toàn tỉnh" not in html
    assert "/tai-khoan/token/" not in html


def test_a_signed_in_official_registers_no_enterprise(dbi):
    # Given a reporter signed in
    client = Client()
    client.force_login(UserFactory(role=Role.REPORTER))
    # When the registration form is posted from their session
    response = client.post("/doanh-nghiep/dang-ky/", _form())
    # Then they are told to sign out first, and nothing is made
    assert response.status_code == 200
    assert "hãy đăng xuất trước khi đăng ký doanh nghiệp" in response.content.decode()
    assert not Enterprise.objects.exists()
    assert not User.objects.filter(role=Role.ENTERPRISE).exists()
