"""The read part of CKAN's action API: a real CKAN client against the live server, and the errors
CKAN gives for what it cannot answer (always 4xx with a Vietnamese message)."""

import json

import ckanapi
import pytest

from dxtrack.opendata import catalogue

SLUGS = [
    "chi-tieu-tien-do",
    "so-lieu-da-duyet",
    "nhiem-vu-tinh-trang",
    "ty-le-bao-cao",
    "ket-qua-danh-gia-chuyen-doi-so",
]


@pytest.fixture
def remote(live_server):
    with ckanapi.RemoteCKAN(f"{live_server.url}/du-lieu-mo") as site:
        yield site


@pytest.mark.flushes
@pytest.mark.django_db(transaction=True)
def test_a_ckan_client_lists_shows_and_searches_the_datasets(remote, live_server, reference_data, data):
    # When a CKAN client asks for the list of packages
    assert remote.action.package_list() == SLUGS
    # Then each one can be shown with CKAN's fields
    package = remote.action.package_show(id="so-lieu-da-duyet")
    assert package["name"] == "so-lieu-da-duyet"
    assert package["title"] == catalogue.datasets()["so-lieu-da-duyet"].title
    assert package["license_id"] == "cc-by"
    assert package["license_title"] == "Creative Commons Ghi công 4.0 Quốc tế (CC BY 4.0)"
    assert package["organization"]["title"] == "Tổ giúp việc Ban Chỉ đạo chuyển đổi số tỉnh Thanh Hóa"
    assert package["metadata_modified"] == "2025-01-15T03:30:00.000000"  # CKAN's naive UTC
    assert package["num_resources"] == 2
    assert [(r["format"], r["mimetype"], r["url"]) for r in package["resources"]] == [
        ("CSV", "text/csv", f"{live_server.url}/du-lieu-mo/so-lieu-da-duyet.csv"),
        ("JSON", "application/json", f"{live_server.url}/du-lieu-mo/so-lieu-da-duyet.json"),
    ]
    assert {"name": "số liệu"}.items() <= next(t for t in package["tags"] if t["name"] == "số liệu").items()
    # by its id as well as its name
    assert remote.action.package_show(id=package["id"])["name"] == "so-lieu-da-duyet"
    # And a search without diacritics finds the tasks dataset
    found = remote.action.package_search(q="nhiem vu", rows=5)
    assert (found["count"], [p["name"] for p in found["results"]]) == (1, ["nhiem-vu-tinh-trang"])
    # paging and GET-only clients work the same
    page = remote.action.package_search(q="*:*", sort="name asc", rows=2, start=2)
    assert (page["count"], [p["name"] for p in page["results"]]) == (5, ["nhiem-vu-tinh-trang", "so-lieu-da-duyet"])
    with ckanapi.RemoteCKAN(f"{live_server.url}/du-lieu-mo", get_only=True) as getter:
        assert getter.action.package_search(fq='res_format:CSV tags:"báo cáo"')["count"] == 1
    # And an unknown id raises CKAN's NotFound
    with pytest.raises(ckanapi.NotFound) as missing:
        remote.action.package_show(id="khong-co")
    assert str(missing.value) == "Không tìm thấy tập dữ liệu “khong-co”."
    # And an oversized page is a validation error
    with pytest.raises(ckanapi.ValidationError) as caught:
        remote.action.package_search(rows=10**9)
    assert caught.value.error_dict["rows"] == ["Không được lớn hơn 1000."]
    assert remote.action.status_show()["ckan_version"] == "2.10.0"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "status", "kind", "message"),
    [
        ("package_show", 409, "Validation Error", "id: Thiếu giá trị."),
        ("package_show?id=khong-co", 404, "Not Found Error", "Không tìm thấy tập dữ liệu “khong-co”."),
        ("package_search?rows=1000000000", 409, "Validation Error", "rows: Không được lớn hơn 1000."),
        ("package_search?rows=-1", 409, "Validation Error", "rows: Phải là số nguyên không âm."),
        ("package_search?start=abc", 409, "Validation Error", "start: Phải là số nguyên không âm."),
        ("package_search?q=a&q=b", 409, "Validation Error", "q: Phải là một chuỗi ký tự."),
        ("package_search?fq=owner:x", 409, "Search Query Error", "Không tìm được theo trường “owner”."),
        ("package_search?sort=random+asc", 409, "Search Query Error", "Không sắp xếp được theo “random asc”."),
        (
            "package_search?fq=metadata_modified:[hôm-qua TO *]",
            409,
            "Search Query Error",
            "Không đọc được thời điểm “hôm-qua”.",
        ),
        ("package_list?limit=5000", 409, "Validation Error", "limit: Không được lớn hơn 1000."),
        ("package_create", 403, "Authorization Error", "Cổng dữ liệu mở chỉ cho đọc."),
        ("khong_co_thao_tac", 400, "Bad request", "Không có thao tác “khong_co_thao_tac”."),
    ],
)
def test_bad_api_calls_are_refused_as_ckan_refuses_them(client, query, status, kind, message):
    response = client.get(f"/du-lieu-mo/api/3/action/{query}")
    assert response.status_code == status
    body = response.json()
    assert (body["success"], body["error"]["__type"], body["error"]["message"]) == (False, kind, message)
    assert body["help"].startswith("http://testserver/du-lieu-mo/api/3/action/help_show?name=")


@pytest.mark.django_db
@pytest.mark.parametrize("payload", [b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_a_malformed_json_body_is_a_bad_request(client, payload):
    response = client.post("/du-lieu-mo/api/action/package_show", data=payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["__type"] == "Bad request"


@pytest.mark.django_db
def test_a_json_post_is_read_like_ckan_reads_it(client, data):
    response = client.post(
        "/du-lieu-mo/api/3/action/package_search",
        data=json.dumps({"q": "đúng hạn", "rows": 10}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert [p["name"] for p in response.json()["result"]["results"]] == ["ty-le-bao-cao"]


@pytest.mark.django_db
def test_search_filters_by_modification_time_as_incremental_harvesters_ask(client, data):
    after = client.get(
        "/du-lieu-mo/api/3/action/package_search", {"fq": "metadata_modified:[2025-01-15T03:00:00Z TO *]"}
    )
    names = {p["name"] for p in after.json()["result"]["results"]}
    assert "so-lieu-da-duyet" in names
    before = client.get(
        "/du-lieu-mo/api/3/action/package_search", {"fq": "metadata_modified:[* TO 2025-01-15T03:00:00Z]"}
    )
    assert "so-lieu-da-duyet" not in {p["name"] for p in before.json()["result"]["results"]}


@pytest.mark.django_db
def test_the_api_root_reports_version_3(client):
    assert client.get("/du-lieu-mo/api/3").json() == {"version": 3}


@pytest.mark.django_db
def test_the_filters_ckan_and_its_harvester_add_match_every_public_dataset(client, data):
    response = client.get(
        "/du-lieu-mo/api/3/action/package_search", {"fq": "+dataset_type:dataset -groups:x capacity:public"}
    )
    assert response.json()["result"]["count"] == 5
