"""The national-scale machinery of a recomputation, kept apart from its rules (ADR 0020): worker
processes forked to share the work, the garbage collector paused while many small objects are
built, and each worker's own database connection, opened from Django's own connection
parameters (so `OPTIONS` such as `sslmode` hold for the workers as for Django).

Nothing here knows what a target or a commune is: the rules (analytics.services) hand in a
module-level function and plain data, and get back what it returned in each worker."""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

MAX_WORKERS = 4


@contextmanager
def gc_paused() -> Iterator[None]:
    """Building hundreds of thousands of small dicts and tuples made the cyclic garbage
    collector walk the growing heap again and again: three quarters of the time of reading the
    communes' figures. The callers build nothing that forms a cycle."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def workers_for(requested: int | None = None, *, alias: str = DEFAULT_DB_ALIAS) -> int:
    """How many processes may share a recomputation: more than one only on PostgreSQL, from a
    process with no other thread (forking a threaded server is unsafe), and with no transaction
    of the caller's open (the workers read committed data only)."""
    connection = connections[alias]
    if connection.vendor != "postgresql" or threading.active_count() > 1 or connection.in_atomic_block:
        return 1
    if requested is not None:
        return max(1, requested)
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def connection_params(alias: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """The keyword arguments Django itself connects with (name, user, host, port and every
    `OPTIONS` entry it passes on), for a connection of a worker's own."""
    return connections[alias].get_connection_params()


def connect(alias: str = DEFAULT_DB_ALIAS):
    """A new psycopg connection made as Django makes its own (not Django's shared one: a forked
    process must not use its parent's socket)."""
    import psycopg

    return psycopg.connect(**connection_params(alias))


# Set in the parent just before forking: the workers inherit it instead of receiving a pickle.
_FORKED: tuple | None = None


def _worker(part: int) -> Any:
    """In a forked worker: `work(payload, part, cursor)` over a connection of its own."""
    work, payload, params = _FORKED
    import psycopg

    with psycopg.connect(**params) as conn, conn.cursor() as cursor:
        return work(payload, part, cursor)


def in_workers(
    work: Callable[[Any, int, Any], Any],
    payload: Any,
    workers: int,
    meanwhile: Callable[[], Any],
    *,
    alias: str = DEFAULT_DB_ALIAS,
) -> tuple[list, Any]:
    """Runs `work(payload, part, cursor)` for each part 0…workers-1 in `workers` forked
    processes, each over its own connection, while this process runs `meanwhile()`. Returns
    (what each part returned, in order; what meanwhile returned)."""
    global _FORKED
    # Read in the parent: the children must not touch Django's connection objects.
    _FORKED = (work, payload, connection_params(alias))
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pending = pool.map_async(_worker, range(workers))
            other = meanwhile()
            parts = pending.get()
    finally:
        _FORKED = None
    return parts, other
