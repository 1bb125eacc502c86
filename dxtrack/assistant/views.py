"""The chat panel (htmx): one question in, one answer fragment out. The conversation's context
is kept in the session, so a follow-up ("còn năm 2030?") reads the previous question's."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import throttling
from .answers import Answer
from .services.ask import MAX_INPUT, ask

SESSION_KEY = "assistant_context"


@require_POST
def ask_view(request):
    question = request.POST.get("q", "")[:MAX_INPUT]
    if not throttling.allowed(request):
        # answered inside the panel (assistant.js swaps a 429 in), the conversation kept as it was
        busy = Answer(
            str(_("Bạn đã hỏi quá nhiều câu trong thời gian ngắn. Vui lòng đợi một phút rồi hỏi tiếp.")), "throttled"
        )
        return render(request, "assistant/_answer.html", {"question": question, "answer": busy}, status=429)
    answer = ask(actor=request.access, question=question, context=request.session.get(SESSION_KEY))
    request.session[SESSION_KEY] = answer.context
    return render(request, "assistant/_answer.html", {"question": question, "answer": answer})
