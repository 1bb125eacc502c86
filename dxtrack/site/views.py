from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from dxtrack.org import selectors as org_selectors

from . import selectors


def home(request):
    return render(request, "site/home.html", {"counts": org_selectors.registry_counts()})


ROLES_IN_ORDER = ("reporter", "approver", "secretariat", "leader", "public")


def help_page(request):
    """/tro-giup/: a short help per role; the reader's own role first and open."""
    role = getattr(request.user, "role", "") if request.user.is_authenticated else "public"
    if request.user.is_authenticated and request.user.is_superuser:
        role = "secretariat"
    order = [role, *[r for r in ROLES_IN_ORDER if r != role]] if role in ROLES_IN_ORDER else list(ROLES_IN_ORDER)
    return render(request, "site/help.html", {"roles": order, "mine": role})


@login_required
def my_work(request):
    """The start page after log-in: what waits for this person, each item linking to where it is done."""
    work = selectors.my_work(actor=request.access)
    return render(request, "site/my_work.html", {"work": work, "today": timezone.localdate()})
