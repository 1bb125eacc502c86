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
