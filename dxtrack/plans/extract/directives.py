"""Directives of a conclusions notice (thông báo kết luận) read out of its duty sentences.

A steering committee's conclusions are written as sentences, not as a task table:

    "Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với Văn phòng UBND tỉnh, Công an tỉnh hoàn
    thành kết nối …; thời hạn: trước ngày 30/9/2025."
    "Sở Tài chính chủ trì tham mưu bố trí kinh phí …, hoàn thành trong Quý IV năm 2025."

The task finder proposes each numbered sentence as a task (its clause and line); this piece fills
in what a directive needs and the sentence carries: the lead agency (after "Giao", before "chủ
trì"), the coordinating agencies (after "phối hợp với"), the deadline as written and as a date,
and the directive's own words without the deadline phrase. Agency names are resolved as of the
notice's date, so a name that has since been merged away still resolves to the body it named;
following it to its successor is the caller's business (steering, through the dated registry).
"""

import datetime
import re

from .deadlines import parse_deadline
from .model import ExtractedDocument
from .tasks import Names, one_line

# "Giao X chủ trì", "X chủ trì", "Đề nghị X chủ trì", "Yêu cầu X chủ trì".
_LEAD = re.compile(r"^(?:(?:Giao|Đề nghị|Yêu cầu|Chỉ đạo)\s+)?(?P<lead>[^;:]{3,200}?)\s*,?\s+chủ trì\b\s*,?\s*")
# "…, phối hợp với Y, Z <verb> …"
_COORD = re.compile(r"^(?:và\s+)?phối hợp\s+(?:chặt chẽ\s+)?với\s+", re.IGNORECASE)
# The deadline phrase at the sentence's end: "; thời hạn: …", ", hoàn thành trước ngày …",
# "(thời hạn hoàn thành: …)", ", xong trong Quý IV năm 2025".
_DEADLINE = re.compile(
    r"[,;.(]?\s*(?:thời hạn(?:\s+hoàn thành)?\s*:?\s*"
    r"|(?:hoàn thành|xong|báo cáo kết quả)\s+(?=(?:trước|trong|chậm nhất)\b))"
    r"(?P<when>(?:trước|trong|chậm nhất|trước ngày|ngày|tháng|quý|năm|\d)[^;()]*?)\s*[).]?\s*$",
    re.IGNORECASE,
)


def is_conclusions(document: ExtractedDocument) -> bool:
    """A notice ("THÔNG BÁO", "…/TB-…") whose title or body says it gives conclusions."""
    return document.type == "Thông báo" and "kết luận" in (document.title or "").lower()


def split_deadline(sentence: str) -> tuple[str, str]:
    """(the sentence without its deadline phrase, the deadline as written)."""
    if m := _DEADLINE.search(sentence):
        return sentence[: m.start()].rstrip(" ,;."), m["when"].strip(" .;")
    return sentence.rstrip(" ."), ""


def read_directives(document: ExtractedDocument, *, resolver=None) -> None:
    """Fills lead, coordinating agencies and the deadline of each task of a conclusions notice
    whose sentence names them; a task the task finder already gave a lead keeps it."""
    at = document.date or (datetime.date(document.year, 1, 1) if document.year else None)
    names = Names(resolver, at=at)
    year = document.year
    for task in document.tasks:
        sentence = one_line(task.title)
        body, when = split_deadline(sentence)
        if when and not task.deadline:
            task.deadline_text = when[:200]
            task.deadline, task.recurrence = parse_deadline(when, year)
        m = _LEAD.match(body)
        if m is None or task.lead:
            task.title = body[:1000] or task.title
            continue
        task.lead = names.refs(m["lead"])
        rest = body[m.end() :]
        if c := _COORD.match(rest):
            task.coordinating = names.coordinating(rest[c.end() :])
        task.title = body[:1000]
