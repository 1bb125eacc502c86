"""`request.access`: the Access of whoever sent the request (ADR 0018)."""

from django.utils.functional import SimpleLazyObject

from .access import Access


class AccessMiddleware:
    """Sets `request.access` from `request.user`, lazily (most public pages never read it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.access = SimpleLazyObject(lambda: Access.for_user(getattr(request, "user", None)))
        return self.get_response(request)
