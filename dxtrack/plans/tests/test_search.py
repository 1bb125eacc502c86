"""The register's search: Vietnamese with or without diacritics, ranked, on SQLite and on
PostgreSQL (unaccent) through one interface. Run on PostgreSQL with DATABASE_URL set."""

import pytest
from django.urls import reverse

from dxtrack.plans.models import Clause, Document, Indicator, Target, Task
from dxtrack.plans.search import register_search, score, words_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def register_bits():
    document = Document.objects.create(code="kh-tim", doc_type="ke_hoach", title="Kế hoạch thử tìm kiếm", year=2025)
    clause = Clause.objects.create(document=document, path="II.1", heading="Chính quyền số")
    online = Indicator.objects.create(code="dvc-tt", name="Tỷ lệ dịch vụ công trực tuyến toàn trình", unit="%")
    exact = Target.objects.create(
        document=document,
        clause=clause,
        indicator=online,
        label="Dịch vụ công trực tuyến toàn trình đạt 80%",
        year=2025,
    )
    scattered = Target.objects.create(
        document=document, label="Cung cấp dịch vụ số cho người dân; hạ tầng trực tuyến của công sở", year=2025
    )
    task = Task.objects.create(
        document=document, clause=clause, title="Xây dựng nền tảng đô thị thông minh tại phường Đông Hương"
    )
    return {"exact": exact, "scattered": scattered, "indicator": online, "task": task}


def test_words_are_folded_and_cleaned():
    assert words_of("  Hàm Rồng!! ") == ["ham", "rong"]
    assert words_of("Đông Hương") == ["dong", "huong"]
    assert words_of("*:|&") == []


@pytest.mark.parametrize("query", ["ham rong", "Hàm Rồng", "HAM RONG", "hàm rong"])
def test_a_unit_is_found_with_or_without_diacritics(query):
    results = register_search(query, kinds=["don-vi"])
    assert results.groups["don-vi"][0].obj.name == "Phường Hàm Rồng"


def test_the_whole_phrase_in_the_name_ranks_first(register_bits):
    # Given one target that says "dịch vụ công trực tuyến" and one with the same words scattered
    results = register_search("dich vu cong truc tuyen", kinds=["chi-tieu"])
    # Then both are found, the phrase first
    assert [h.obj for h in results.groups["chi-tieu"]] == [register_bits["exact"], register_bits["scattered"]]


def test_the_last_word_may_be_a_beginning(register_bits):
    results = register_search("truc tuy toan", kinds=["chi-tieu", "chi-tieu-theo-doi"])
    assert [h.obj for h in results.groups["chi-tieu"]] == [register_bits["exact"]]
    assert [h.obj for h in results.groups["chi-tieu-theo-doi"]] == [register_bits["indicator"]]


def test_tasks_agencies_and_every_word_must_match(register_bits):
    assert [h.obj for h in register_search("do thi thong minh dong huong").groups["nhiem-vu"]] == [
        register_bits["task"]
    ]
    assert register_search("do thi thong minh ham rong").groups["nhiem-vu"] == []
    agencies = register_search("Sở Tài chính", kinds=["co-quan"]).groups["co-quan"]
    assert agencies[0].obj.code == "SO_TAI_CHINH"


def test_an_empty_query_finds_nothing():
    assert register_search("  ").total == 0
    assert register_search("").groups == {}


def test_score_weights_the_name_over_the_rest():
    assert score(["ham", "rong"], "phuong ham rong", "") > score(["ham", "rong"], "xa ham ninh", "rong")


def test_the_search_page(client, register_bits):
    response = client.get(reverse("plans:search"), {"q": "ham rong"})
    assert response.status_code == 200
    assert "Phường Hàm Rồng" in response.text
    response = client.get(reverse("plans:search"), {"q": "truc tuyen", "loai": "chi-tieu"})
    assert reverse("analytics:target", args=[register_bits["exact"].pk]) in response.text
    assert list(response.context["results"].groups) == ["chi-tieu"]
    # A target's hit names its year: one indicator's 2025 and 2030 targets in one clause read apart
    assert "năm 2025 · " in response.text


def test_the_targets_and_tasks_lists_filter_by_text_and_sort_keeping_the_url(client, register_bits):
    response = client.get(reverse("plans:targets"), {"q": "truc tuyen", "sap-xep": "-chi-tieu"})
    assert list(response.context["page"]) == [register_bits["exact"], register_bits["scattered"]]
    assert response.context["lq"].page_url(2) == "?q=truc+tuyen&sap-xep=-chi-tieu&trang=2"
    tasks = client.get(reverse("plans:tasks"), {"q": "dong huong"})
    assert list(tasks.context["page"]) == [register_bits["task"]]


def test_the_register_lists_read_in_few_queries(client, register_bits, django_assert_max_num_queries):
    for i in range(30):
        Target.objects.create(document=register_bits["exact"].document, label=f"Chỉ tiêu số {i}", year=2025)
    with django_assert_max_num_queries(8):
        client.get(reverse("plans:targets"), {"q": "chi tieu"})
    with django_assert_max_num_queries(8):
        client.get(reverse("plans:tasks"), {"sap-xep": "han"})
