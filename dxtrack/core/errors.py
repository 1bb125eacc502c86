"""Domain errors carry a message fit to show the user (Vietnamese)."""


class DomainError(Exception):
    """A rule of the domain refused the operation; `message` says why, for the user."""

    def __init__(self, message: str, *, code: str = "invalid", details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details or []


class NotAllowed(DomainError):
    """The actor may not do this. Kept distinct so views answer 403, not 400."""

    def __init__(self, message: str = "Bạn không có quyền thực hiện thao tác này."):
        super().__init__(message, code="forbidden")


class InvalidData(DomainError):
    """Input data (a file, a form) is wrong; `details` lists each problem with where it is."""


class NotFound(DomainError):
    """The object asked for does not exist, or lies outside what the actor may see (answered
    alike, so that ids cannot be confirmed by trying them): 404 on the web and in the API."""

    def __init__(self, message: str = "Không tìm thấy mục bạn tìm."):
        super().__init__(message, code="not_found")


# How each kind of domain error is answered over HTTP, by the web pages (core.middleware) and the
# JSON API (dxtrack.api) alike; any other code is the caller's mistake, 400.
HTTP_STATUS = {"forbidden": 403, "not_found": 404, "conflict": 409}


def http_status(exc: DomainError) -> int:
    return HTTP_STATUS.get(exc.code, 400)
