"""Demo enterprises (ADR 0040): a dozen enterprises of the province, labelled as demonstrations,
each with an account, this year's complete answer to the enterprise index (1970) and, for most,
last year's. Written in bulk (one audit event each, "assessments.enterprise.demo"), since the
answering service acts only for the enterprise's own account; the levels come from the same rule
(services.enterprises.levels_of). Deterministic: each enterprise draws from its own generator.
Running it again adds nothing."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dxtrack.accounts.access import Access
from dxtrack.accounts.models import Role, User
from dxtrack.assessments.models import EnterpriseResult
from dxtrack.assessments.services.enterprises import enterprise_framework, levels_of
from dxtrack.assessments.services.frameworks import frameworks_load
from dxtrack.core import audit
from dxtrack.org.models import Enterprise
from dxtrack.org.selectors import current_communes
from dxtrack.org.taxcode import check_digit

# The demo enterprise whose account `make demo` prints (its password is the demo's).
DEMO_ENTERPRISE_USERNAME = "2801234564"

# (name, sector, strength 0–1: how far along its digital transformation is)
ENTERPRISES = [
    ("Công ty CP Phần mềm Hàm Rồng (minh họa)", "J", 0.85),
    ("Công ty TNHH May mặc Sông Mã (minh họa)", "C", 0.45),
    ("Công ty CP Chế biến nông sản Lam Sơn (minh họa)", "C", 0.35),
    ("Hợp tác xã Nông nghiệp Hoằng Hóa (minh họa)", "A", 0.15),
    ("Công ty TNHH Du lịch Sầm Sơn (minh họa)", "I", 0.55),
    ("Công ty CP Vận tải Nghi Sơn (minh họa)", "H", 0.4),
    ("Công ty TNHH Thương mại điện tử Đông Sơn (minh họa)", "G", 0.7),
    ("Công ty CP Xây dựng Quảng Xương (minh họa)", "F", 0.25),
    ("Công ty TNHH Giáo dục Thọ Xuân (minh họa)", "P", 0.5),
    ("Phòng khám đa khoa Bỉm Sơn (minh họa)", "Q", 0.3),
    ("Công ty CP Thủy sản Hậu Lộc (minh họa)", "A", 0.2),
    ("Công ty TNHH Cơ khí Triệu Sơn (minh họa)", "C", 0.6),
]


def _rng(seed: int, *parts) -> random.Random:
    return random.Random(":".join(str(p) for p in (seed, *parts)))  # noqa: S311 - demo data


def _tax_code(index: int) -> str:
    """A well-formed code of the province's tax office range (28…), check digit included; codes
    whose nine digits admit no check digit are skipped."""
    number = 280123456 + index
    while check_digit(str(number)) is None:
        number += 1000
    return f"{number}{check_digit(str(number))}"


def _answers(framework, rng: random.Random, strength: float) -> dict[str, int]:
    out = {}
    for criterion in framework.criteria.order_by("position", "pk"):
        centre = 1 + strength * 4
        out[criterion.code] = max(1, min(5, round(rng.gauss(centre, 0.8))))
    return out


def _result(framework, enterprise, user, year: int, answers: dict, at: datetime.datetime) -> EnterpriseResult:
    computed = levels_of(framework, answers)
    outcome = computed["outcome"]
    return EnterpriseResult.objects.create(
        enterprise=enterprise,
        framework=framework,
        year=year,
        answers=answers,
        pillar_points=computed["points"],
        pillar_levels=computed["levels"],
        total=Decimal(str(outcome.total)),
        level=outcome.level,
        started_at=at,
        updated_at=at,
        completed_at=at,
        updated_by=user,
    )


def generate(*, actor: Access, password: str = "", seed: int = 2026, today: datetime.date | None = None) -> int:
    """The demo enterprises and their answers; returns how many were added."""
    today = today or timezone.localdate()
    frameworks_load(actor=actor)
    framework = enterprise_framework(today.year)
    communes = list(current_communes())
    if framework is None or not communes:
        return 0
    added = 0
    for index, (name, sector, strength) in enumerate(ENTERPRISES):
        code = DEMO_ENTERPRISE_USERNAME if index == 0 else _tax_code(index * 7)
        if Enterprise.objects.filter(tax_code=code).exists():
            continue
        rng = _rng(seed, code)
        commune = next((u for u in communes if u.code == "14758"), communes[0]) if index == 0 else rng.choice(communes)
        with transaction.atomic():
            enterprise = Enterprise.objects.create(
                name=name,
                tax_code=code,
                sector=sector,
                admin_unit=commune,
                contact_person=f"Người liên hệ {index + 1} (minh họa)",
                email=f"dn{index + 1}@example.org",
                demonstration=True,
            )
            user = User(
                username=code,
                full_name=name,
                email=enterprise.email,
                role=Role.ENTERPRISE,
                enterprise=enterprise,
            )
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
            at = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=3), datetime.time(9)))
            _result(framework, enterprise, user, today.year, _answers(framework, rng, strength), at)
            if index % 4 != 3:  # most answered last year too, a little less far along
                last = at.replace(year=today.year - 1)
                _result(framework, enterprise, user, today.year - 1, _answers(framework, rng, strength * 0.8), last)
            audit.record(
                actor=actor,
                action="assessments.enterprise.demo",
                target=enterprise,
                changes={"tax_code": [None, code], "demonstration": [None, True]},
            )
        added += 1
    return added
