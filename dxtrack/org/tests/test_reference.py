"""The 549 → 166 reform as loaded, and refusal of bad reference data (nothing loaded)."""

import datetime
import shutil

import pytest

from dxtrack.accounts.access import SYSTEM
from dxtrack.core.errors import InvalidData
from dxtrack.core.models import AuditEvent
from dxtrack.org import selectors, services
from dxtrack.org.models import AdminLevel, AdminUnit, AdminUnitChange, Agency, AgencyChange
from dxtrack.org.reference import ADMIN_DATA_DIR, AdminData, UnitRow, check_admin_data

from .factories import agency, current_commune, former_commune, former_district

pytestmark = pytest.mark.django_db
BEFORE = datetime.date(2025, 6, 30)
AFTER = datetime.date(2025, 7, 1)


def test_country_and_province_counts():
    assert AdminUnit.objects.filter(level=AdminLevel.PROVINCE).count() == 34
    assert selectors.units_valid_at(AFTER).filter(level=AdminLevel.COMMUNE).count() == 3321
    thanh_hoa = selectors.province("38")
    assert thanh_hoa.name == "Tỉnh Thanh Hóa" and thanh_hoa.valid_from is None
    assert selectors.unit_children(thanh_hoa, at=AFTER).count() == 166
    assert selectors.unit_children(thanh_hoa, at=BEFORE).count() == 26
    former_communes = AdminUnit.objects.filter(level=AdminLevel.COMMUNE, parent__parent=thanh_hoa)
    assert former_communes.count() == 549
    assert set(former_communes.values_list("valid_to", flat=True)) == {BEFORE}


def test_every_former_commune_lives_on_in_exactly_the_units_its_change_records_name():
    olds = AdminUnit.objects.filter(level=AdminLevel.COMMUNE, valid_to=BEFORE)
    news = {s.unit.pk for old in olds for s in selectors.unit_successors_at(old, AFTER)}
    assert len(news) == 166
    split = [old for old in olds if len(selectors.unit_successors_at(old, AFTER)) > 1]
    assert len(split) == 12


def test_a_split_commune_lives_on_in_two_units_each_partly():
    # Given Phường Đông Thọ (14758), split on 1/7/2025
    dong_tho = former_commune("14758")
    assert dong_tho.name == "Phường Đông Thọ"
    # When asked where it lives on after the reform
    successors = selectors.unit_successors_at(dong_tho, datetime.date(2026, 1, 1))
    # Then two units, each holding part of it
    assert [(s.unit.name, s.unit.code, s.share) for s in successors] == [
        ("Phường Hạc Thành", "14797", "partial"),
        ("Phường Hàm Rồng", "14758", "partial"),
    ]
    assert AdminUnitChange.objects.filter(old=dong_tho).values_list("kind", flat=True).distinct().get() == "split"


def test_before_the_reform_a_former_commune_is_itself():
    dong_tho = former_commune("14758")
    assert [(s.unit, s.share) for s in selectors.unit_successors_at(dong_tho, BEFORE)] == [(dong_tho, "full")]


def test_a_current_unit_lists_the_former_units_that_made_it_up():
    ham_rong = current_commune("14758")
    parts = [(c.old.name, c.old.code, c.share) for c in selectors.unit_predecessors(ham_rong)]
    assert parts == [
        ("Phường Đông Cương", "14791", "full"),
        ("Phường Đông Thọ", "14758", "partial"),
        ("Phường Hàm Rồng", "14755", "full"),
        ("Phường Nam Ngạn", "14761", "full"),
        ("Phường Thiệu Dương", "15859", "full"),
    ]


def test_the_same_code_names_two_units_in_two_eras():
    assert former_commune("14758").name == "Phường Đông Thọ"
    assert current_commune("14758").name == "Phường Hàm Rồng"


def test_a_former_district_lives_on_partly_in_the_units_its_communes_went_to():
    district = former_district("386")  # Huyện Bá Thước
    assert district.name == "Huyện Bá Thước"
    successors = selectors.unit_successors_at(district, AFTER)
    expected = {s.unit.pk for c in district.children.all() for s in selectors.unit_successors_at(c, AFTER)}
    assert {s.unit.pk for s in successors} == expected
    assert {s.share for s in successors} == {"partial"}


def test_loading_twice_changes_nothing():
    units, changes = AdminUnit.objects.count(), AdminUnitChange.objects.count()
    result = services.admin_units_load(actor=SYSTEM)
    assert (result.created, result.updated, result.changes_created) == (0, 0, 0)
    assert (AdminUnit.objects.count(), AdminUnitChange.objects.count()) == (units, changes)


@pytest.fixture
def bad_source(tmp_path):
    target = tmp_path / "units"
    shutil.copytree(ADMIN_DATA_DIR, target)
    return target


def _assert_refused(source, *expected_fragments):
    units, changes, events = (
        AdminUnit.objects.count(),
        AdminUnitChange.objects.count(),
        AuditEvent.objects.count(),
    )
    with pytest.raises(InvalidData) as caught:
        services.admin_units_load(actor=SYSTEM, source=source)
    text = "\n".join(caught.value.details)
    for fragment in expected_fragments:
        assert fragment in text
    assert (AdminUnit.objects.count(), AdminUnitChange.objects.count(), AuditEvent.objects.count()) == (
        units,
        changes,
        events,
    )


def test_an_unknown_code_in_the_change_records_is_named_with_its_row(bad_source):
    path = bad_source / "thanhhoa-changes-2025-07.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + "14758,Phường Hàm Rồng,99999,Xã Không Có,full\n", encoding="utf-8"
    )
    _assert_refused(bad_source, "thanhhoa-changes-2025-07.csv, dòng 565: mã cũ 99999 không có")


def test_a_missing_column_refuses_the_file(bad_source):
    path = bad_source / "thanhhoa-before-2025-07.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")
    _assert_refused(bad_source, "thanhhoa-before-2025-07.csv: thiếu cột commune_type")


def test_a_malformed_code_and_a_ragged_row_are_each_named(bad_source):
    path = bad_source / "thanhhoa-before-2025-07.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("14944", "14A44")
    lines[2] = lines[2] + ",thừa"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _assert_refused(bad_source, "dòng 2: mã '14A44' không hợp lệ", "dòng 3: số cột không khớp")


def test_a_binary_or_legacy_encoded_file_is_refused(bad_source):
    # TCVN3 (ABC) bytes, as old Vietnamese office files carry them: not UTF-8.
    (bad_source / "thanhhoa-before-2025-07.csv").write_bytes(b"38,Thanh H\xe5a,386,Huy\xd6n B\xb8 Th\xad\xedc\n")
    _assert_refused(bad_source, "không ở mã UTF-8")
    (bad_source / "thanhhoa-before-2025-07.csv").write_bytes(b"\x00\x01\x02")
    _assert_refused(bad_source, "dữ liệu nhị phân")


def test_an_empty_file_is_refused(bad_source):
    (bad_source / "thanhhoa-changes-2025-07.csv").write_text("", encoding="utf-8")
    _assert_refused(bad_source, "thanhhoa-changes-2025-07.csv: thiếu cột new_code")


def _row(key, parent, level="commune", valid_to=None, valid_from=None):
    return UnitRow(key, key[-3:], f"Đơn vị {key}", "Xã", level, parent, valid_from, valid_to, f"hàng {key}")


def test_a_cycle_in_a_parent_chain_is_refused():
    data = AdminData(
        units=[
            _row("district:a", "district:b", "district"),
            _row("district:b", "district:a", "district"),
        ]
    )
    with pytest.raises(InvalidData) as caught:
        check_admin_data(data)
    assert any("vòng lặp trong quan hệ trực thuộc" in d for d in caught.value.details)


def test_a_unit_valid_after_its_successor_is_refused(bad_source):
    from dxtrack.org.reference import ChangeRow

    data = AdminData(
        units=[
            _row("commune:old", None, valid_to=datetime.date(2025, 12, 31)),
            _row("commune:new", None, valid_from=AFTER),
        ],
        changes=[ChangeRow("commune:old", "commune:new", "full", "merge", AFTER, "dòng 2")],
    )
    with pytest.raises(InvalidData) as caught:
        check_admin_data(data)
    assert caught.value.details == [
        "dòng 2: Đơn vị commune:old vẫn còn hiệu lực sau ngày 01/07/2025, khi đã được thay bởi Đơn vị commune:new."
    ]


def test_a_bad_agency_file_loads_nothing(tmp_path):
    path = tmp_path / "agencies.json"
    path.write_text(
        '{"agencies": [{"code": "A", "name": "Sở A", "kind": "department", "valid_to": "2025-02-28"},'
        '{"code": "A", "name": "Sở A2", "kind": "department"},'
        '{"code": "B", "name": "Sở B", "kind": "khong-co"}],'
        '"changes": [{"old": "A", "new": "Z", "date": "2025-03-01", "share": "full"},'
        '{"old": "B", "new": "A", "date": "2025-03-01", "share": "full"}]}',
        encoding="utf-8",
    )
    before = (Agency.objects.count(), AgencyChange.objects.count())
    with pytest.raises(InvalidData) as caught:
        services.agencies_load(actor=SYSTEM, path=path)
    assert caught.value.details == [
        "agencies.json, cơ quan A: mã bị trùng.",
        "agencies.json, cơ quan B: loại 'khong-co' không hợp lệ.",
        "agencies.json, thay đổi thứ 1: mã cơ quan 'Z' không có trong danh mục.",
        "agencies.json, thay đổi thứ 2: Sở B vẫn còn hiệu lực sau ngày 01/03/2025, khi đã chuyển cho Sở A2.",
    ]
    assert (Agency.objects.count(), AgencyChange.objects.count()) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "không đọc được JSON (dòng 1, cột 1)"),
        (b"\xff\xfe\x00", "không ở mã UTF-8"),
        (b"[1, 2]", "cần một đối tượng JSON có danh sách 'agencies'"),
        (b'{"agencies": [', "không đọc được JSON"),
    ],
)
def test_a_malformed_agency_file_says_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "agencies.json"
    path.write_bytes(content)
    with pytest.raises(InvalidData) as caught:
        services.agencies_load(actor=SYSTEM, path=path)
    assert message in caught.value.message


def test_a_succession_cycle_is_refused(tmp_path):
    path = tmp_path / "agencies.json"
    path.write_text(
        '{"agencies": [{"code": "A", "name": "Sở A", "kind": "department", "valid_to": "2020-01-01"},'
        '{"code": "B", "name": "Sở B", "kind": "department", "valid_to": "2020-01-01"}],'
        '"changes": [{"old": "A", "new": "B", "date": "2021-01-01", "share": "full"},'
        '{"old": "B", "new": "A", "date": "2021-01-01", "share": "full"}]}',
        encoding="utf-8",
    )
    with pytest.raises(InvalidData) as caught:
        services.agencies_load(actor=SYSTEM, path=path)
    assert "Vòng lặp kế thừa giữa các cơ quan: A → B → A." in caught.value.details


def test_only_a_superuser_or_the_command_line_loads_reference_data():
    from dxtrack.accounts.tests.factories import UserFactory
    from dxtrack.core.errors import NotAllowed

    secretariat = UserFactory(role="secretariat", agency=agency("SO_KHCN"))
    events = AuditEvent.objects.count()
    with pytest.raises(NotAllowed):
        services.admin_units_load(actor=secretariat)
    assert AuditEvent.objects.count() == events


def test_the_province_is_the_installations_unless_named(settings):
    # Given an installation set up for another province
    from dxtrack.org.reference import this_province

    settings.DXTRACK_PROVINCE_CODE = "01"
    # Then a registry function left without a province code serves that province, not Thanh Hóa
    assert this_province() == "01"
    assert this_province("38") == "38"
