"""Hooks for django-axes, which counts failed log-ins."""

USERNAME_LIMIT = 150  # the User model's own limit


def username_for_lockout(request, credentials: dict | None = None) -> str:
    """The user name axes records. Cut to the model's length: a hostile 5,000-character name
    would otherwise overflow axes' column and fail the request on PostgreSQL."""
    source = credentials if credentials else getattr(request, "POST", {})
    value = source.get("username", "") if hasattr(source, "get") else ""
    return str(value or "").replace("\x00", "")[:USERNAME_LIMIT]
