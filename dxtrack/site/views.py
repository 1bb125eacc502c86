from django.shortcuts import render

from dxtrack.org import selectors as org_selectors


def home(request):
    return render(request, "site/home.html", {"counts": org_selectors.registry_counts()})
