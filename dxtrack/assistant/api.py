"""`POST /api/assistant/ask`: the assistant over the JSON API (added to the root API by exchange).
The public may ask too (public data only); a session caller sends X-CSRFToken, a token caller
its Bearer token, exactly as for the other routers."""

from ninja import Router, Schema
from ninja.security import django_auth
from pydantic import Field

from dxtrack.accounts.access import Access
from dxtrack.accounts.api_auth import token_auth

from .services.ask import MAX_INPUT, ask


def _public(request):
    """Nobody signed in: asked as the public. A signed-in session that fails its CSRF check is
    refused by django_auth before this is reached."""
    return not request.user.is_authenticated and "HTTP_AUTHORIZATION" not in request.META


class AskIn(Schema):
    question: str = Field(max_length=MAX_INPUT)
    context: dict = Field(default_factory=dict)


class SourceOut(Schema):
    title: str
    url: str


class AskOut(Schema):
    answer: str
    intent: str
    sources: list[SourceOut]
    suggestions: list[str]
    context: dict


router = Router(auth=[token_auth, django_auth, _public], tags=["Trợ lý ảo"])


@router.post("/ask", response=AskOut, summary="Hỏi trợ lý ảo")
def ask_endpoint(request, payload: AskIn):
    """Trả lời một câu hỏi bằng tiếng Việt từ dữ liệu của hệ thống, kèm nguồn. `context` là
    `context` của câu trả lời trước (để hỏi tiếp, ví dụ “còn năm 2030?”)."""
    user = request.auth if request.auth is not True else None
    answer = ask(actor=Access.for_user(user), question=payload.question, context=payload.context)
    return answer.as_json()
