"""`request.access`: the Access of whoever sent the request (ADR 0018)."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .access import PUBLIC, Access
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
                return self._as_the_public(request)
        return self.get_response(request)

    def _as_the_public(self, request):
        """Elsewhere the enterprise reads what the public reads, nothing more: the page runs as
        for a visitor who is not signed in, and a page the public may not open is refused (the
        open data, the public dashboard and results, the help were refused to it before)."""
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied("enterprise account")
        request.user = AnonymousUser()
        request.access = PUBLIC
        response = self.get_response(request)
        where = response.get("Location", "")
        # to the log-in page (the site's, or the admin's own): a page for signed-in people only
        to_login = response.status_code in (301, 302) and (
            where.startswith(resolve_url(settings.LOGIN_URL)) or "next=" in where
        )
        if to_login or response.status_code == 403:
            raise PermissionDenied("enterprise account")
        return response
