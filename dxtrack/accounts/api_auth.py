"""API authentication for other systems: `Authorization: Bearer <token>` (or DHIS2's spelling,
`Authorization: ApiToken <token>`), tried before the browser's session on every endpoint."""

from ninja.errors import HttpError
from ninja.security import HttpBearer

from dxtrack.core import audit
from dxtrack.core.models import Via

from . import services

INVALID_TOKEN = "Mã truy cập API không hợp lệ, đã hết hạn hoặc đã bị thu hồi."  # noqa: S105 - a message
_SCHEMES = ("bearer", "apitoken")


class TokenAuth(HttpBearer):
    def __call__(self, request):
        header = request.headers.get("Authorization")
        if not header:
            return None  # no token: let the session authenticate (or refuse) the request
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() not in _SCHEMES:
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request, token):
        found = services.token_lookup(token)
        if found is None:
            # A token was offered and is no good: say so, rather than falling back to the session
            # and answering as someone else.
            raise HttpError(401, INVALID_TOKEN)
        # Every audit event of this request names the token; where another person minted it, that
        # person too.
        minted_by = found.created_by_id if found.created_by_id not in (None, found.user_id) else None
        audit.set_channel(Via.TOKEN, token_id=found.pk, real_actor_id=minted_by)
        return found.user


token_auth = TokenAuth()
