"""Readiness for load balancers and monitors (liveness is core's /healthz); the schedule page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from dxtrack.core.errors import NotAllowed

from . import health, selectors


@never_cache
def readyz(request):
    """Readiness: 200 while the database answers, 503 otherwise; the cache, the queue's depth and
    the scheduler's last beat are reported beside it."""
    state = health.readiness()
    return JsonResponse(state, status=200 if state["ready"] else 503, json_dumps_params={"ensure_ascii": False})


@login_required
@never_cache
def schedule(request):
    try:
        rows = selectors.schedule_rows(actor=request.access)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    return render(request, "operations/schedule.html", {"rows": rows, "health": health.readiness()})
