"""An answer: its text (Vietnamese, composed from templates), the intent that answered, its
sources as links, and the context a follow-up question reads."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max
from django.urls import NoReverseMatch, reverse

from dxtrack.core.dates import format_vn_date, local_date
from dxtrack.core.numbers import format_number
from dxtrack.reports.models import Report

NOT_FOUND = "Không tìm thấy"


@dataclass
class Answer:
    text: str
    intent: str
    sources: list[dict] = field(default_factory=list)
    context: dict = field(default_factory=dict)
    suggestions: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "answer": self.text,
            "intent": self.intent,
            "sources": [{"title": s["title"], "url": s["url"]} for s in self.sources],
            "suggestions": list(self.suggestions),
            "context": dict(self.context),
        }


def link(title: str, name: str, *args) -> dict | None:
    try:
        return {"title": title, "url": reverse(name, args=args)}
    except NoReverseMatch:
        return None


def sources(*links) -> list[dict]:
    seen, out = set(), []
    for item in links:
        if item and item["url"] not in seen:
            seen.add(item["url"])
            out.append(item)
    return out


def number(value, unit: str = "") -> str:
    if value is None:
        return "—"
    return format_number(value, unit, show_unit=bool(unit))


def approved_until() -> datetime.date | None:
    """The day of the latest approval: what "số liệu đã duyệt đến" names."""
    last = Report.objects.approved().aggregate(m=Max("decided_at"))["m"]
    return local_date(last) if last else None


def data_date_sentence() -> str:
    day = approved_until()
    return f"Số liệu đã duyệt đến {format_vn_date(day)}." if day else "Chưa có số liệu nào được duyệt."


def not_found(what: str, intent: str = "none", suggestions: list[str] | None = None, context=None) -> Answer:
    text = f"{NOT_FOUND} {what}"
    if suggestions:
        text += " Bạn có thể hỏi: " + "; ".join(f"“{s}”" for s in suggestions) + "."
    return Answer(text, intent, [], context or {}, suggestions or [])
