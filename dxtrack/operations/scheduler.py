"""`dxtrack scheduler`: hands each slot of the schedule to the queue, once.

Two schedulers may run (two servers, or one restarted while the old one stops): for each job
they lock its ScheduleState row (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
transactions take the whole file) and only the one that finds the slot not yet queued queues
it. The JobRun row (unique per job and slot) is the second lock: a slot can never be queued twice.

A slot missed while no scheduler ran (a stop for maintenance) is run once when one starts again,
not once per missed day: the latest slot only."""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.tasks import task_backends
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import timezone

from .models import JobRun, ScheduleState
from .schedule import SCHEDULE, Job

logger = logging.getLogger("dxtrack.scheduler")


def _queue(run: JobRun, job: Job) -> None:
    from .tasks import run_scheduled

    run_scheduled.enqueue(run.pk, job.task)


def tick(
    *, now: datetime.datetime | None = None, scheduler_id: str = "", jobs: tuple[Job, ...] = SCHEDULE
) -> list[JobRun]:
    """Queues every job whose latest slot has not been queued yet; returns the runs it queued."""
    now = now or timezone.now()
    queued = []
    for job in jobs:
        slot = job.slot(now)
        try:
            with transaction.atomic():
                ScheduleState.objects.get_or_create(name=job.name)
                state = ScheduleState.objects.select_for_update().get(name=job.name)
                if state.last_slot is not None and state.last_slot >= slot:
                    continue
                state.last_slot = slot
                state.save(update_fields=["last_slot"])
                run = JobRun.objects.create(job=job.name, slot=slot, scheduler=scheduler_id)
                # A persistent queue takes the task in this same transaction (queued if and only if
                # the run is recorded); the in-process one would run it under our lock: after.
                if isinstance(task_backends["default"], ImmediateBackend):
                    transaction.on_commit(lambda run=run, job=job: _queue(run, job))
                else:
                    _queue(run, job)
        except IntegrityError:
            continue  # the other scheduler queued this slot between our read and our write
        logger.info("queued %s for %s", job.name, slot.isoformat())
        queued.append(run)
    return queued
