"""Side effects at most once, however often a task runs (a retry, a worker killed and restarted).

    with transaction.atomic():
        if once("notify:report:42:approved"):
            ... write what the effect is about ...
            transaction.on_commit(send_the_email)

The key is inserted in the caller's transaction: if that transaction rolls back (the worker died
before the commit), the key goes too and the next run does the work; if it committed, the next
run finds the key and skips. The effect outside the database leaves only after the commit, so a
crash can lose it (logged) but never send it twice — the same rule as the reports' reminders."""

from django.db import IntegrityError, transaction

from .models import SideEffect


def once(key: str) -> bool:
    """True the first time `key` is claimed (the caller does the effect), False ever after.
    Must run inside a transaction: the claim commits or rolls back with the caller's work."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("once() must run inside transaction.atomic(): the claim commits with the work")
    try:
        with transaction.atomic():
            SideEffect.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def done(key: str) -> bool:
    return SideEffect.objects.filter(key=key).exists()
