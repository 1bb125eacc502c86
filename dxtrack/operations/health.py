"""What the health and readiness endpoints check: the database, the cache, the queue, the
scheduler. Each check answers in bounded time and never raises."""

from __future__ import annotations

import datetime
import time

from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from .models import ProcessBeat
from .worker import queue_depth


def _timed(check) -> dict:
    start = time.perf_counter()
    try:
        out = {"ok": True, **(check() or {})}
    except Exception as exc:  # a health check reports every failure instead of raising it
        out = {"ok": False, "error": f"{type(exc).__name__}: {str(exc).strip()[:200]}"}
    out["ms"] = round((time.perf_counter() - start) * 1000, 1)
    return out


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _cache() -> dict:
    cache = caches["default"]
    ping = getattr(cache, "ping", None)
    if ping is not None:
        ping()
        return {"backend": "redis"}
    cache.set("health:probe", 1, 5)
    return {"backend": type(cache).__name__}


def _scheduler() -> dict:
    last = ProcessBeat.objects.filter(kind=ProcessBeat.SCHEDULER).order_by("-seen_at").first()
    if last is None:
        return {"last_seen": None, "running": False}
    age = (timezone.now() - last.seen_at).total_seconds()
    return {"last_seen": last.seen_at.isoformat(), "running": age < 120}


def _workers() -> dict:
    since = timezone.now() - datetime.timedelta(seconds=60)
    return {"alive": ProcessBeat.objects.filter(kind=ProcessBeat.WORKER, seen_at__gte=since).count()}


def readiness() -> dict:
    """Ready means: the database answers. The cache, the queue and the scheduler are reported
    (the site serves without Redis; late work waits for a worker) but do not make it unready."""
    database = _timed(_database)
    checks = {"database": database, "cache": _timed(_cache)}
    if database["ok"]:
        checks["queue"] = _timed(queue_depth)
        checks["scheduler"] = _timed(_scheduler)
        checks["workers"] = _timed(_workers)
    return {"ready": database["ok"], "checks": checks}
