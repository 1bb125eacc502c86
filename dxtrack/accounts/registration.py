"""An enterprise registers itself (ADR 0040): the enterprise (org.Enterprise) and its account, in
one transaction, audited as done by the new account (the request's channel: the session)."""

import re
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from dxtrack.core import audit
from dxtrack.core.errors import InvalidData
from dxtrack.core.text import clean_text
from dxtrack.org.models import Enterprise, Sector
from dxtrack.org.selectors import current_communes
from dxtrack.org.taxcode import TaxCodeError, normalise

from .models import Role, User

NAME_MAX = 255
PERSON_MAX = 150
# A commune as the form's search field gives it: "Phường Hàm Rồng — mã 14758" (or the code alone).
_CODE_AT_END = re.compile(r"(\d{5})\s*\)?\s*$")


@dataclass(frozen=True)
class Registration:
    name: str = ""
    tax_code: str = ""
    sector: str = ""
    commune: str = ""
    contact_person: str = ""
    email: str = ""
    phone: str = ""
    password: str = ""
    password_again: str = ""


class RegistrationError(InvalidData):
    """`fields` maps each form field to its message, so that the form shows it where it belongs."""

    def __init__(self, fields: dict[str, str]):
        super().__init__("Chưa đăng ký được: vui lòng sửa các mục được đánh dấu.", details=list(fields.values()))
        self.fields = fields


def commune_of(text: str):
    """The current commune the form's text names: its statistics code (at the end, as the list
    offers it), or its exact name when only one commune bears it. None when neither."""
    text = clean_text(text)
    if not text:
        return None
    communes = current_communes()
    found = _CODE_AT_END.search(text)
    if found:
        return communes.filter(code=found.group(1)).first()
    from dxtrack.core.text import fold

    named = list(communes.filter(search_name=fold(text))[:2])
    return named[0] if len(named) == 1 else None


def _read(data: Registration) -> tuple[dict, dict[str, str]]:
    problems: dict[str, str] = {}
    clean = {}
    name = clean_text(data.name)
    if len(name) < 3:
        problems["name"] = "Nhập tên doanh nghiệp (ít nhất 3 ký tự)."
    elif len(name) > NAME_MAX:
        problems["name"] = f"Tên doanh nghiệp dài quá {NAME_MAX} ký tự."
    clean["name"] = name
    try:
        clean["tax_code"] = normalise(clean_text(data.tax_code)[:40])
    except TaxCodeError as exc:
        problems["tax_code"] = str(exc)
    if data.sector not in Sector.values:
        problems["sector"] = "Chọn ngành kinh tế chính của doanh nghiệp trong danh sách."
    clean["sector"] = data.sector
    commune = commune_of(str(data.commune or "")[:300])
    if commune is None:
        problems["commune"] = "Chọn xã, phường nơi doanh nghiệp đặt trụ sở trong danh sách gợi ý."
    clean["admin_unit"] = commune
    person = clean_text(data.contact_person)
    if len(person) < 2 or len(person) > PERSON_MAX:
        problems["contact_person"] = f"Nhập họ và tên người liên hệ (2–{PERSON_MAX} ký tự)."
    clean["contact_person"] = person
    email = clean_text(data.email).lower()
    try:
        validate_email(email)
        if len(email) > 254:
            raise ValidationError("too long")
    except ValidationError:
        problems["email"] = "Địa chỉ thư điện tử không hợp lệ, ví dụ ten@congty.vn."
    clean["email"] = email
    phone = clean_text(data.phone)
    if phone and not re.fullmatch(r"[0-9 +().-]{8,20}", phone):
        problems["phone"] = "Số điện thoại gồm 8–20 chữ số (có thể có dấu cách, +, -)."
    clean["phone"] = phone
    return clean, problems


def _password_problem(password: str, again: str, user: User) -> str | None:
    if not password:
        return "Nhập mật khẩu."
    if password != again:
        return "Hai lần nhập mật khẩu không khớp."
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return " ".join(str(m) for m in exc.messages)
    return None


@transaction.atomic
def enterprise_register(*, data: Registration) -> User:
    """Anyone (the public page): creates the enterprise and its account, or refuses with every
    problem at once and saves nothing. The tax code is the account's user name."""
    clean, problems = _read(data)
    tax_code = clean.get("tax_code")
    if tax_code and (
        Enterprise.objects.filter(tax_code=tax_code).exists() or User.objects.filter(username=tax_code).exists()
    ):
        problems["tax_code"] = (
            f"Mã số thuế {tax_code} đã được đăng ký. Nếu đây là doanh nghiệp của bạn, hãy đăng nhập "
            "(tên đăng nhập là mã số thuế) hoặc dùng “Quên mật khẩu”."
        )
    user = User(username=tax_code or "", email=clean["email"], full_name=clean["contact_person"], role=Role.ENTERPRISE)
    password_problem = _password_problem(data.password, data.password_again, user)
    if password_problem:
        problems["password"] = password_problem
    if problems:
        raise RegistrationError(problems)
    try:
        with transaction.atomic():
            enterprise = Enterprise.objects.create(
                name=clean["name"],
                tax_code=tax_code,
                sector=clean["sector"],
                admin_unit=clean["admin_unit"],
                contact_person=clean["contact_person"],
                email=clean["email"],
                phone=clean["phone"],
            )
            user.enterprise = enterprise
            user.set_password(data.password)
            user.save()
    except IntegrityError:
        # Two registrations of one code at the same moment: the second is told, as above.
        raise RegistrationError({"tax_code": f"Mã số thuế {tax_code} đã được đăng ký."}) from None
    audit.record(
        actor=user,
        action="org.enterprise.register",
        target=enterprise,
        changes={
            "tax_code": [None, tax_code],
            "name": [None, enterprise.name],
            "sector": [None, enterprise.sector],
            "admin_unit": [None, enterprise.admin_unit_id],
        },
    )
    audit.record(actor=user, action="accounts.user.create", target=user, changes={"role": [None, Role.ENTERPRISE]})
    return user
