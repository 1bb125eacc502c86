"""Answers one question for one party. Reads only: every figure comes through the selectors the
pages use, with the asking party's Access, so the assistant shows nothing its pages would not."""

import datetime
import logging
import re

from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.core.text import clean_text

from ..answers import Answer, not_found
from ..intents import REGISTRY, indicator_name
from ..knowledge import knowledge
from ..normalize import MAX_QUESTION, has
from ..periods import When
from ..understand import Question, read

log = logging.getLogger(__name__)

MAX_INPUT = 10_000  # characters accepted at all; only the first MAX_QUESTION are read
_CONTEXT_KEYS = {
    "intent": str,
    "indicator": str,
    "year": int,
    "body": str,
    "period": str,
    "number": int,
    "document": str,
    "kind": str,
    "task": int,
    "session": int,
}
_TAGS = re.compile(r"<[^>]*>")
_BODY_INTENTS = {"owes", "task_owner", "indicator_status", "directive"}
_FOLLOW = ("con", "the con", "vay con", "con voi", "con nam", "con cua")


def clean_context(context) -> dict:
    """Only the known keys with values of their type: the context comes back from the client."""
    if not isinstance(context, dict):
        return {}
    out = {}
    for key, kind in _CONTEXT_KEYS.items():
        value = context.get(key)
        if isinstance(value, kind) and not isinstance(value, bool) and (kind is not str or len(value) <= 80):
            out[key] = value
    return out if out.get("intent") in REGISTRY else {}


def _follows(q: Question, ctx: dict) -> bool:
    if not ctx:
        return False
    words = q.text.split()
    return bool(words) and (words[0] in ("con", "vay", "the") or len(words) <= 4 or has(q.text, *_FOLLOW))


def _apply(q: Question, ctx: dict) -> None:
    from dxtrack.org.models import AdminUnit, Agency

    q.follow_up = True
    if not q.indicator and ctx.get("indicator"):
        q.indicator = ctx["indicator"]
    if q.when.year is None and ctx.get("year"):
        q.when = When(ctx["year"], q.when.period_type, q.when.number)
    if q.agency is None and q.unit is None and not q.province and ctx.get("body"):
        kind, _, ref = ctx["body"].partition(":")
        if kind == "agency":
            q.agency = Agency.objects.filter(code=ref).first()
        elif kind == "unit" and ref.isdigit():
            q.unit = AdminUnit.objects.filter(pk=int(ref)).first()
    if not q.document and ctx.get("document"):
        q.document = ctx["document"]


def _choose(q: Question, k, ctx: dict):
    for intent in REGISTRY.values():
        if intent.cue(q, k):
            if q.follow_up and intent.name in ("target_value", "indicator_status") and ctx.get("intent") in REGISTRY:
                previous = REGISTRY[ctx["intent"]]
                if previous.name in ("target_value", "indicator_status"):
                    return previous
            return intent
    if q.follow_up and ctx.get("intent") in REGISTRY:
        return REGISTRY[ctx["intent"]]
    return None


def _suggestions() -> list[str]:
    return [i.example for i in REGISTRY.values() if i.example][:4]


def ask(*, actor: Access, question, context=None, today: datetime.date | None = None) -> Answer:
    access = Access.of(actor)
    today = today or timezone.localdate()
    text = clean_text(question if isinstance(question, str) else "")[:MAX_INPUT]
    text = _TAGS.sub(" ", text)
    if not text.strip():
        return Answer("Hãy nhập một câu hỏi, ví dụ: “" + _suggestions()[0] + "”", "empty", [], {}, _suggestions())
    k = knowledge()
    q = read(text[:MAX_QUESTION], k, today)
    ctx = clean_context(context)
    if _follows(q, ctx):
        _apply(q, ctx)
    intent = _choose(q, k, ctx)
    if intent is None:
        # no loosely matching indicator is answered; the nearest are offered as questions instead
        near = [f"Chỉ tiêu {indicator_name(c).lower()} năm {today.year} là bao nhiêu?" for c in q.indicator_near[:2]]
        return not_found(
            "câu trả lời trong dữ liệu của hệ thống cho câu hỏi này.", "none", [*near, *_suggestions()][:4]
        )
    try:
        answer = intent.answer(q, k, access)
        body = q.agency or q.unit
        if q.former and body is not None and intent.name in _BODY_INTENTS:
            answer.text = f"{q.former} nay là {body}. {answer.text}"
        return answer
    except Exception:  # a question must never become a server error; the log keeps the cause
        log.exception("assistant: intent %s failed", intent.name)
        return not_found("câu trả lời: có lỗi khi đọc dữ liệu cho câu hỏi này.", intent.name, _suggestions())
