"""The chat panel (htmx): one question in, one answer fragment out. The conversation's context
is kept in the session, so a follow-up ("còn năm 2030?") reads the previous question's."""

from django.shortcuts import render
from django.views.decorators.http import require_POST

from .services.ask import MAX_INPUT, ask

SESSION_KEY = "assistant_context"


@require_POST
def ask_view(request):
    question = request.POST.get("q", "")[:MAX_INPUT]
    answer = ask(actor=request.access, question=question, context=request.session.get(SESSION_KEY))
    request.session[SESSION_KEY] = answer.context
    return render(request, "assistant/_answer.html", {"question": question, "answer": answer})
