"""A round's scores changed: every kept copy of its ranking becomes unreachable once the change
commits (core.generations; shared by every server process when the cache is Redis).

Called by each service that changes a submission's scores, status or tier; the ranking page keeps
its rendered table under the round's generation (issue 17: the national round's 3,321 communes
× 40 criteria, p95 under 300 ms with 20 clients)."""

from django.db import transaction

from dxtrack.core import generations


def generation_name(round_id: int) -> str:
    return f"assessments.round:{round_id}"


def round_changed(round_id: int) -> None:
    transaction.on_commit(lambda: generations.bump(generation_name(round_id)))
