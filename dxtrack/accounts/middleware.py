"""`request.access`: the Access of whoever sent the request (ADR 0018)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .access import Access
from .models import Role


class AccessMiddleware:
    """Sets `request.access` from `request.user`, lazily (most public pages never read it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.access = SimpleLazyObject(lambda: Access.for_user(getattr(request, "user", None)))
        return self.get_response(request)


class EnterpriseConfined:
    """An enterprise's account reaches its own pages and its account's pages, nothing else
    (ADR 0040): not the province's dashboards, reports, drafts, registry or assistant, whatever a
    page would otherwise show to any signed-in person. Its start page is its enterprise's page."""

    # Path prefixes an enterprise's account may open (the enterprise pages check the rest).
    ALLOWED = (
        "/doanh-nghiep/",
        "/tai-khoan/dang-xuat/",
        "/tai-khoan/doi-mat-khau/",
        "/tai-khoan/cua-toi/",
        "/tai-khoan/phien-dang-nhap/",
        "/static/",
        "/healthz",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "role", None) == Role.ENTERPRISE:
            # the site's start pages (and where a log-in lands) lead to the enterprise's own page
            if request.path in ("/", reverse("site:my_work")):
                return HttpResponseRedirect(reverse("enterprises:home"))
            if not request.path.startswith(self.ALLOWED):
                raise PermissionDenied("enterprise account")
        return self.get_response(request)
