"""Health, readiness, the Redis cache (and the site without it), logs with a request id."""

import io
import json
import logging

import pytest
from django.core.cache import caches
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from dxtrack.accounts.models import Role
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core import generations
from dxtrack.operations.cache import TolerantRedisCache
from dxtrack.operations.logs import Formatter, RequestId, RequestIdFilter

REDIS_DOWN = {
    "default": {
        "BACKEND": "dxtrack.operations.cache.TolerantRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    },
    "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared-test"},
}


def _redis(db: int) -> dict:
    return {
        "default": {
            "BACKEND": "dxtrack.operations.cache.TolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:6379/{db}",
        },
        "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared-test"},
    }


def _redis_up() -> bool:
    import redis

    try:
        return redis.Redis.from_url("redis://127.0.0.1:6379/5", socket_connect_timeout=0.3).ping()
    except redis.RedisError:
        return False


@pytest.fixture(autouse=True)
def _redis_not_marked_down():
    TolerantRedisCache._down_until = 0.0
    yield
    TolerantRedisCache._down_until = 0.0


@pytest.mark.django_db
def test_readiness_reports_database_cache_queue_and_scheduler(client):
    answer = client.get("/readyz")
    assert answer.status_code == 200
    body = answer.json()
    assert body["ready"] is True
    assert set(body["checks"]) == {"database", "cache", "queue", "scheduler", "workers"}
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is True
    assert body["checks"]["queue"]["backend"] == "immediate"
    assert body["checks"]["scheduler"] == {
        "ok": True,
        "last_seen": None,
        "running": False,
        "ms": body["checks"]["scheduler"]["ms"],
    }


@pytest.mark.django_db
def test_with_redis_down_the_site_serves_and_the_health_page_says_the_cache_is_down(client):
    with override_settings(CACHES=REDIS_DOWN):
        # When Redis cannot be reached, the public dashboard is still served (from the database)
        assert client.get("/tien-do/cong-khai/").status_code == 200
        # And the readiness answer stays ready but reports the cache down
        body = client.get("/readyz").json()
        assert body["ready"] is True
        assert body["checks"]["cache"]["ok"] is False
        assert "ConnectionError" in body["checks"]["cache"]["error"]
        # And the secretariat's page says so in Vietnamese
        client.force_login(UserFactory(role=Role.SECRETARIAT))
        page = client.get("/van-hanh/lich/").content.decode()
        assert "Bộ nhớ đệm: <strong>không hoạt động (trang vẫn chạy bằng cơ sở dữ liệu, chậm hơn)</strong>" in page


def test_a_cache_that_cannot_reach_redis_answers_as_a_miss():
    with override_settings(CACHES=REDIS_DOWN):
        cache = caches["default"]
        assert cache.get("k", "absent") == "absent"
        cache.set("k", 1)
        assert cache.add("k", 1) is False
        assert cache.get_many(["a", "b"]) == {}
        # Until the retry time, Redis is not even asked (no request waits for a timeout)
        assert TolerantRedisCache._down_until > 0


@pytest.mark.skipif(not _redis_up(), reason="Redis is not running on 127.0.0.1:6379")
def test_a_generation_moved_by_one_process_is_seen_by_another_through_redis():
    # Given two processes' caches on the same Redis (two cache objects: nothing kept in memory)
    with override_settings(CACHES=_redis(6)):
        writer = caches.create_connection("default")
        reader = caches.create_connection("default")
        writer.clear()
        before = generations.current("reports:late")
        # When one process bumps the late box's generation (a report written there)
        from unittest import mock

        with mock.patch.object(generations, "cache", writer):
            generations.bump("reports:late")
        # Then the other reads the new generation at once (its kept late box is left behind)
        with mock.patch.object(generations, "cache", reader):
            assert generations.current("reports:late") not in {before, "0"}
        reader.ping()
        writer.clear()


def test_each_request_gets_an_id_sent_back_and_carried_by_its_log_lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(Formatter())
    log = logging.getLogger("dxtrack.test.requestid")
    log.addHandler(handler)
    log.setLevel(logging.INFO)

    def view(request):
        log.info("Đã duyệt báo cáo %s", 42)
        return HttpResponse("ok")

    try:
        given = RequestId(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="nginx-abc123"))
        made = RequestId(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="bad id; DROP"))
    finally:
        log.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert given["X-Request-ID"] == "nginx-abc123"
    assert len(made["X-Request-ID"]) == 32 and made["X-Request-ID"] != "bad id; DROP"
    assert [line["request_id"] for line in lines] == ["nginx-abc123", made["X-Request-ID"]]
    assert lines[0]["message"] == "Đã duyệt báo cáo 42"
    assert lines[0]["levelname"] == "INFO" and "timestamp" in lines[0]
