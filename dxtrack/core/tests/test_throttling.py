"""The API's rate limit is one count for all server processes, not one per process."""

import pytest
from django.core.cache import cache, caches

from dxtrack.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_rate_limit_is_counted_once_for_every_server_process(client, settings):
    # Given a limit of two requests a minute per user
    settings.DXTRACK_API_RATE_USER = "2/min"
    client.force_login(UserFactory())
    assert [client.get("/api/reporting/obligations").status_code for _ in range(2)] == [200, 200]
    # When the next request reaches another server process (whose own memory holds no count)
    cache.clear()
    response = client.get("/api/reporting/obligations")
    # Then it is refused all the same: the count lives in the shared cache (the database's table)
    assert response.status_code == 429
    assert settings.CACHES["shared"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert any(key.startswith(":1:throttle_user_") for key in _shared_keys())


def _shared_keys() -> list[str]:
    from django.db import connection

    table = settings_table()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {connection.ops.quote_name(table)}")  # noqa: S608 — our table name
        return [row[0] for row in cursor.fetchall()]


def settings_table() -> str:
    return caches["shared"]._table
