"""Preparing a session's briefing pack: its facts gathered as of a date (steering.briefing) and
kept, so the document renders from what was true that day and the next pack can compare."""

import datetime

from django.db import transaction

from dxtrack.accounts.access import Access
from dxtrack.core import audit
from dxtrack.core.errors import DomainError, InvalidData

from .. import briefing
from ..models import BriefingPack, Session, SessionStatus
from .sessions import require_secretariat


@transaction.atomic
def pack_prepare(*, actor: Access, session: Session, as_of: datetime.date) -> BriefingPack:
    access = Access.of(actor)
    require_secretariat(access)
    if session.status == SessionStatus.CANCELLED:
        raise DomainError("Phiên họp đã hủy; không chuẩn bị tài liệu được.")
    if not 2000 <= as_of.year <= 2100:
        raise InvalidData("Ngày lấy số liệu không hợp lệ.")
    facts = briefing.gather(actor=access, session=session, at=as_of)
    pack = BriefingPack.objects.create(session=session, as_of=as_of, facts=facts, created_by=access.user)
    audit.record(
        actor=access,
        action="steering.pack.prepare",
        target=session,
        changes={"pack": [None, pack.pk], "as_of": [None, as_of.isoformat()]},
    )
    return pack
