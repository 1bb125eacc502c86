from django.shortcuts import render

from dxtrack.org import selectors as org_selectors


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
