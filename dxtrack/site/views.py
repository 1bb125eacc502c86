from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from dxtrack.org import selectors as org_selectors

from . import selectors


def home(request):
    return render(request, "site/home.html", {"counts": org_selectors.registry_counts()})


@login_required
def my_work(request):
    """The start page after log-in: what waits for this person, each item linking to where it is done."""
    work = selectors.my_work(actor=request.access)
    return render(request, "site/my_work.html", {"work": work, "today": timezone.localdate()})
