from django.shortcuts import render

from dxtrack.org import selectors as org_selectors


def home(request):
    return render(request, "core/home.html", {"counts": org_selectors.registry_counts()})


def healthz(request):
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
