"""Recognition: the chairman's decision recognising the subjects whose final scores reach a tier,
numbered and kept; each recognition a dated fact on its unit (ADR 0032).

The decision's official DOCX is rendered by the publishing layer, which sits above this one: it
listens to `signals.decision_issued` (sent inside this transaction) and reads the decision through
`selectors.decision_facts`."""

from __future__ import annotations

import datetime
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.text import clean_text, strip_diacritics

from ..models import Recognition, RecognitionDecision, Round, RoundStatus, SubmissionStatus
from ..selectors import may_see_round


@transaction.atomic
def decision_issue(
    *, actor: Access, round_: Round, number: str, signed_on: datetime.date, signer: str = ""
) -> RecognitionDecision:
    access = Access.of(actor)
    if not access.runs_programme:
        raise NotAllowed("Chỉ Tổ giúp việc được ban hành quyết định công nhận.")
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    number = clean_text(number)[:60] if isinstance(number, str) else ""
    if not number:
        raise InvalidData("Cần ghi số quyết định công nhận.")
    if RecognitionDecision.objects.filter(number=number).exists():
        raise InvalidData(f"Số quyết định “{number}” đã được dùng.")
    if round_.status != RoundStatus.CLOSED:
        raise InvalidData("Chỉ ban hành quyết định công nhận sau khi kết thúc thẩm định.")
    if signed_on.year < round_.year:
        raise InvalidData(f"Ngày ký không thể trước năm đánh giá {round_.year}.")
    if signed_on > timezone.localdate():
        # A recognition is a dated fact: one "signed" ahead would count toward targets early.
        raise InvalidData("Ngày ký không thể sau hôm nay: ghi ngày quyết định đã được ký.")
    passing = list(
        round_.submissions.filter(status=SubmissionStatus.CLOSED, tier__isnull=False, recognition__isnull=True)
    )
    if not passing:
        raise InvalidData("Không có đơn vị nào đạt mức công nhận chưa được công nhận trong đợt này.")
    decision = RecognitionDecision.objects.create(
        round=round_,
        number=number,
        signed_on=signed_on,
        signer=clean_text(signer)[:150] if isinstance(signer, str) else "",
        created_by=access.audit_actor,
    )
    Recognition.objects.bulk_create(
        Recognition(
            decision=decision,
            submission=s,
            tier_id=s.tier_id,
            admin_unit_id=s.admin_unit_id,
            agency_id=s.agency_id,
            recognised_on=signed_on,
            year=round_.year,
        )
        for s in passing
    )
    from ..signals import decision_issued

    decision_issued.send(sender=RecognitionDecision, decision_id=decision.pk)
    decision.refresh_from_db()  # a receiver may have kept the rendered document on it
    audit.record(
        actor=access,
        action="assessments.decision.issue",
        target=decision,
        changes={"recognised": [0, len(passing)]},
    )
    return decision


def decision_stem(decision: RecognitionDecision) -> str:
    """The decision's files' name without extension, from its number (the DOCX and the PDF), in
    ASCII so that every browser keeps it: "123/QĐ-UBND" → "quyet-dinh-cong-nhan-123-qd-ubnd"."""
    ascii_ = "".join(c if c.isascii() and c.isalnum() else "-" for c in strip_diacritics(decision.number))
    return "quyet-dinh-cong-nhan-" + "-".join(p for p in ascii_.lower().split("-") if p)


@transaction.atomic
def decision_pdf_keep(*, actor: Access, decision: RecognitionDecision, data: bytes) -> RecognitionDecision:
    """Keeps the PDF converted from the decision's numbered DOCX (publishing converts it on the
    task queue). Kept once: a second conversion (the job run again, two people at once) leaves the
    first file in place, so every download of the decision is the same document."""
    access = Access.of(actor)
    if not may_see_round(access, decision.round_id):
        raise NotAllowed("Chỉ Tổ giúp việc, lãnh đạo tỉnh và Hội đồng thẩm định tạo được bản PDF của quyết định.")
    locked = RecognitionDecision.objects.select_for_update().get(pk=decision.pk)
    if locked.pdf:
        return locked
    if not isinstance(data, bytes | bytearray) or not bytes(data).startswith(b"%PDF-"):
        raise InvalidData("Bản chuyển đổi không phải tệp PDF; quyết định chưa được lưu bản PDF.")
    name = decision_stem(locked) + ".pdf"
    locked.pdf.save(name, ContentFile(bytes(data)), save=False)
    locked.save(update_fields=["pdf"])
    audit.record(
        actor=access,
        action="assessments.decision.pdf",
        target=locked,
        changes={"pdf": [None, locked.pdf.name], "pdf_sha256": [None, hashlib.sha256(data).hexdigest()]},
    )
    return locked
