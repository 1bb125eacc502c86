"""Generations: a name whose value changes whenever what it stands for changes.

A kept result is stored under a key holding its generation; moving the generation makes every
kept copy unreachable at once. The generation lives in the default cache, so with a shared cache
(Redis: DXTRACK_REDIS_URL) a commit in one server process is seen by every other at once; with
the zero-setup per-process cache, each process keeps its own, as before."""

import uuid

from django.core.cache import cache


def _key(name: str) -> str:
    return f"generation:{name}"


def current(name: str) -> str:
    return cache.get(_key(name)) or "0"


def bump(name: str) -> None:
    cache.set(_key(name), uuid.uuid4().hex, None)
