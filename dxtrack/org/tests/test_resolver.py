"""The name resolver on the spellings the five seed plans actually use, and on harder input."""

import datetime
import json
from pathlib import Path

import pytest

from dxtrack.core.testing import require_seeds
from dxtrack.org.resolver import NameResolver, canonical

pytestmark = pytest.mark.django_db
SPELLINGS = json.loads((Path(__file__).parent / "data" / "seed_spellings.json").read_text(encoding="utf-8"))
SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"


@pytest.fixture(scope="module", params=["database", "bundled files"])
def resolver(request, django_db_setup, django_db_blocker):
    """Every test runs on both registries: the loaded database, and the bundled files that plan
    extraction reads on a fresh checkout; they must resolve every name alike."""
    if request.param == "bundled files":
        return NameResolver.from_data()
    with django_db_blocker.unblock():
        return NameResolver.from_db()


def test_the_spelling_list_is_taken_from_the_seeds_as_written():
    require_seeds(SEEDS)
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in SEEDS.glob("00*.txt")}
    missing = [s["text"] for s in SPELLINGS if s["text"] not in texts[s["seed"]]]
    assert missing == []
    assert len(SPELLINGS) == 155


@pytest.mark.parametrize("case", SPELLINGS, ids=lambda c: f"{c['seed']}:{c['text'][:40]}")
def test_every_seed_spelling_resolves_surely_to_its_body(resolver, case):
    result = resolver.resolve(case["text"])
    assert (result.match.ref if result.match else None, result.sure) == (case["expect"], True)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("So Thong tin va Truyen thong", "SO_TTTT"),  # no diacritics
        ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "SO_TTTT"),  # upper case
        ("Sở TT & TT", "SO_TTTT"),  # spaced ampersand
        ("Sở Kế hoạch Đầu tư", "SO_KHDT"),  # dropped "và"
        ("Giám đốc Sở Giáo dục và Đào tạo", "SO_GDDT"),  # title before the body
        ("Sở Tài chính tỉnh Thanh Hóa", "SO_TAI_CHINH"),  # province tail
    ],
)
def test_variants_resolve_exactly(resolver, text, code):
    result = resolver.resolve(text)
    assert (result.match.ref, result.how, result.sure) == (code, "exact", True)


def test_a_small_typo_is_matched_and_a_sort_word_is_never_swapped(resolver):
    result = resolver.resolve("Sở Thông tin và Truyền thônh")
    assert (result.match.ref, result.how) == ("SO_TTTT", "fuzzy")


def test_a_loose_match_says_it_is_unsure(resolver):
    result = resolver.resolve("Sở Văn hóa Thể thao")
    assert (result.match.ref, result.sure) == ("SO_VHTTDL", False)
    assert "Cần" in result.message


def test_an_unknown_name_is_reported_not_guessed(resolver):
    result = resolver.resolve("Sở Ngoại giao Mặt Trăng")
    assert (result.match, result.how, result.sure) == (None, "none", False)
    assert result.message == "Không nhận ra tên cơ quan, đơn vị “Sở Ngoại giao Mặt Trăng”."


def test_a_district_committee_resolves_to_the_district(resolver):
    result = resolver.resolve("UBND huyện Thọ Xuân")
    assert (result.match.kind, result.match.name, result.sure) == ("unit", "Huyện Thọ Xuân", True)


def test_a_name_used_before_and_after_the_reform_needs_a_date(resolver):
    undated = resolver.resolve("Phường Hàm Rồng")
    assert undated.how == "ambiguous" and undated.sure is False
    before = resolver.resolve("Phường Hàm Rồng", at=datetime.date(2024, 1, 1))
    after = resolver.resolve("Phường Hàm Rồng", at=datetime.date(2025, 8, 1))
    assert before.sure and after.sure and before.match.ref != after.match.ref


def test_a_cell_with_several_bodies_keeps_commas_inside_names(resolver):
    results = resolver.resolve_list("Sở Văn hóa, Thể thao và Du lịch, Sở TT&TT; UBND cấp huyện")
    assert [(r.match.ref, r.sure) for r in results] == [
        ("SO_VHTTDL", True),
        ("SO_TTTT", True),
        ("UBND_HUYEN", True),
    ]


@pytest.mark.parametrize("text", ["", "   ", ",,,", "\x00", "<script>alert(1)</script>", "x" * 10_000])
def test_hostile_or_empty_input_gives_no_match_without_error(resolver, text):
    result = resolver.resolve(text)
    assert result.match is None or result.sure is False


def test_canonical_form():
    assert canonical("Ủy ban nhân dân Thành phố Thanh Hóa") == "ubnd tp thanh hoa"
    assert canonical("Sở TT&TT") == canonical("sở tt & tt") == "so tttt"
