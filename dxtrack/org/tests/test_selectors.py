"""Agency succession and collective names at a date; registry search."""

import datetime

import pytest

from dxtrack.org import selectors
from dxtrack.org.models import AdminLevel, AgencyGroup

from .factories import agency

pytestmark = pytest.mark.django_db


def names(successors):
    return [(s.unit.name, s.share) for s in successors]


def test_an_agency_carries_its_own_duties_until_it_is_merged():
    so_tttt = agency("SO_TTTT")
    assert names(selectors.agency_at(so_tttt, datetime.date(2025, 2, 28))) == [("Sở Thông tin và Truyền thông", "full")]
    assert names(selectors.agency_at(so_tttt, datetime.date(2025, 3, 1))) == [("Sở Khoa học và Công nghệ", "full")]


def test_an_agency_split_three_ways_hands_on_part_to_each():
    assert names(selectors.agency_at(agency("SO_LDTBXH"), datetime.date(2026, 1, 1))) == [
        ("Sở Giáo dục và Đào tạo", "partial"),
        ("Sở Nội vụ", "partial"),
        ("Sở Y tế", "partial"),
    ]


def test_two_agencies_merged_into_a_new_one():
    for code in ("SO_TNMT", "SO_NNPTNT"):
        assert names(selectors.agency_at(agency(code), datetime.date(2025, 3, 1))) == [
            ("Sở Nông nghiệp và Môi trường", "full")
        ]
    assert selectors.agency_at(agency("SO_NN_MT"), datetime.date(2025, 2, 1)) == []


def test_district_committees_resolve_to_districts_then_to_communes_after_the_reform():
    group = AgencyGroup.objects.get(code="UBND_HUYEN")
    before = selectors.group_members_at(group, datetime.date(2024, 6, 30))
    after = selectors.group_members_at(group, datetime.date(2025, 7, 1))
    assert len(before) == 26 and {u.level for u in before} == {AdminLevel.DISTRICT}
    assert len(after) == 166 and {u.level for u in after} == {AdminLevel.COMMUNE}


def test_provincial_departments_follow_the_reorganisation():
    group = AgencyGroup.objects.get(code="SO_BAN_NGANH")
    before = {a.code for a in selectors.group_members_at(group, datetime.date(2024, 12, 31))}
    after = {a.code for a in selectors.group_members_at(group, datetime.date(2025, 3, 1))}
    assert {"SO_TTTT", "SO_KHDT", "SO_NNPTNT"} <= before and "SO_NN_MT" not in before
    assert {"SO_TTTT", "SO_KHDT", "SO_NNPTNT"}.isdisjoint(after) and "SO_NN_MT" in after


def test_telecom_group_lists_its_members():
    group = AgencyGroup.objects.get(code="DN_VIEN_THONG")
    assert [a.code for a in selectors.group_members_at(group, datetime.date(2024, 1, 1))] == [
        "MOBIFONE_TH",
        "VIETTEL_TH",
        "VNPT_TH",
    ]


@pytest.mark.parametrize("query", ["Thọ Xuân", "tho xuan", "THO XUAN", "  thọ   xuân "])
def test_search_finds_names_with_or_without_diacritics(query):
    result = selectors.search(query)
    assert "Huyện Thọ Xuân" in [u.name for u in result["units"]]


def test_search_finds_agencies_by_abbreviation():
    assert [a.code for a in selectors.search("Sở TT&TT")["agencies"]] == ["SO_TTTT"]


@pytest.mark.parametrize("query", ["", "   ", "%", "_", "\x00", "a\x00b", "'; DROP TABLE org_agency; --", "x" * 5000])
def test_search_with_odd_input_is_empty_or_safe(query):
    result = selectors.search(query)
    assert set(result) == {"agencies", "groups", "units"}
