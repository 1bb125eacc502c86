"""`POST /api/assistant/ask`: the assistant over the JSON API (added to the root API by exchange).
The public may ask too (public data only); a session caller sends X-CSRFToken, a token caller
its Bearer token, exactly as for the other routers."""

from ninja import Router, Schema
from ninja.security import django_auth
from pydantic import ConfigDict, Field

from dxtrack.accounts.access import Access
from dxtrack.accounts.api_auth import token_auth

from .services.ask import MAX_INPUT, ask


def _public(request):
    """Nobody signed in: asked as the public. A signed-in session that fails its CSRF check is
    refused by django_auth before this is reached."""
    return not request.user.is_authenticated and "HTTP_AUTHORIZATION" not in request.META


class AskIn(Schema):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(max_length=MAX_INPUT, description="Câu hỏi bằng tiếng Việt (có dấu hoặc không dấu)")
    context: dict = Field(
        default_factory=dict, description="`context` của câu trả lời trước, để hỏi tiếp; bỏ trống nếu là câu hỏi mới"
    )


class SourceOut(Schema):
    title: str = Field(description="Tên nguồn: điều khoản của kế hoạch, báo cáo, trang tiến độ")
    url: str = Field(description="Đường dẫn đến nguồn trên hệ thống")


class AskOut(Schema):
    answer: str = Field(description="Câu trả lời; “Không tìm thấy …” khi không có dữ liệu để trả lời")
    intent: str = Field(description="Loại câu hỏi đã nhận ra (target_value, indicator_status, owes, late, …; none)")
    sources: list[SourceOut] = Field(description="Nguồn của câu trả lời")
    suggestions: list[str] = Field(description="Câu hỏi gợi ý khi không trả lời được")
    context: dict = Field(description="Ngữ cảnh để gửi kèm câu hỏi tiếp theo")


router = Router(auth=[token_auth, django_auth, _public], tags=["Trợ lý ảo"])


@router.post("/ask", response=AskOut, summary="Hỏi trợ lý ảo")
def ask_endpoint(request, payload: AskIn):
    """Trả lời một câu hỏi bằng tiếng Việt từ dữ liệu của hệ thống, kèm nguồn. `context` là
    `context` của câu trả lời trước (để hỏi tiếp, ví dụ “còn năm 2030?”)."""
    user = request.auth if request.auth is not True else None
    answer = ask(actor=Access.for_user(user), question=payload.question, context=payload.context)
    return answer.as_json()
