"""Every write to the organisation registry. Each checks permission and audits in its transaction."""

from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from dxtrack.core import audit
from dxtrack.core.actors import Actor, access_of
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.core.text import clean_text, fold

from .models import (
    AdminLevel,
    AdminUnit,
    AdminUnitChange,
    Agency,
    AgencyChange,
    AgencyGroup,
    ContactPoint,
)
from .reference import (
    ADMIN_DATA_DIR,
    AGENCY_DATA_FILE,
    REFORM_LEGAL_BASIS,
    read_admin_data,
    read_agency_data,
    this_province,
)

_PACKAGE_KINDS = {
    "tỉnh": "Tỉnh",
    "thành phố trung ương": "Thành phố",
    "xã": "Xã",
    "phường": "Phường",
    "đặc khu": "Đặc khu",
}


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    changes_created: int

    def __str__(self) -> str:
        return f"thêm mới {self.created}, cập nhật {self.updated}, thêm {self.changes_created} quan hệ thay đổi"


def _require_reference_admin(access: Actor) -> None:
    # Reference loads run from the command line (the system) or by a superuser.
    if not (access.is_system or access.is_superuser):
        raise NotAllowed("Chỉ quản trị hệ thống được nạp dữ liệu danh mục.")


def _package_units():
    from vietnam_provinces import Province, Ward

    provinces = [(f"{int(p.code):02d}", p.name, _PACKAGE_KINDS[p.division_type.value]) for p in Province.iter_all()]
    communes = [
        (f"{int(w.code):05d}", w.name, _PACKAGE_KINDS[w.division_type.value], f"{int(w.province_code):02d}")
        for w in Ward.iter_all()
    ]
    return provinces, communes


@transaction.atomic
def admin_units_load(*, actor: Actor, source: Path = ADMIN_DATA_DIR, province_code: str = "") -> LoadResult:
    """Loads the current units of the country and the province's former units with the 2025
    change records. Safe to run again: existing units are matched by (level, code, start)."""
    access = access_of(actor)
    _require_reference_admin(access)
    province_code = this_province(province_code)
    provinces, communes = _package_units()
    data = read_admin_data(provinces, communes, source, province_code)

    existing = {(u.level, u.code, u.valid_from): u for u in AdminUnit.objects.all()}
    by_key: dict[str, AdminUnit] = {}
    created = updated = 0
    for level in (AdminLevel.PROVINCE, AdminLevel.DISTRICT, AdminLevel.COMMUNE):
        fresh, stale = [], []
        for row in (r for r in data.units if r.level == level):
            parent = by_key[row.parent_key] if row.parent_key else None
            unit = existing.get((row.level, row.code, row.valid_from))
            values = {
                "name": row.name,
                "kind": row.kind,
                "parent": parent,
                "valid_to": row.valid_to,
                "search_name": fold(row.name),
            }
            if unit is None:
                unit = AdminUnit(code=row.code, level=row.level, valid_from=row.valid_from, **values)
                fresh.append(unit)
            elif any(getattr(unit, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(unit, k, v)
                stale.append(unit)
            by_key[row.key] = unit
        AdminUnit.objects.bulk_create(fresh, batch_size=500)
        AdminUnit.objects.bulk_update(stale, ["name", "kind", "parent", "valid_to", "search_name"], batch_size=500)
        created, updated = created + len(fresh), updated + len(stale)

    known = set(AdminUnitChange.objects.values_list("old_id", "new_id", "date"))
    new_changes = [
        AdminUnitChange(
            kind=c.kind,
            date=c.date,
            old=by_key[c.old_key],
            new=by_key[c.new_key],
            share=c.share,
            legal_basis=REFORM_LEGAL_BASIS,
        )
        for c in data.changes
        if (by_key[c.old_key].pk, by_key[c.new_key].pk, c.date) not in known
    ]
    AdminUnitChange.objects.bulk_create(new_changes, batch_size=500)
    result = LoadResult(created, updated, len(new_changes))
    audit.record(
        actor=access,
        action="org.admin_units.load",
        target=by_key[f"province:{province_code}"],
        changes={"created": [0, created], "updated": [0, updated], "changes": [0, len(new_changes)]},
    )
    return result


@transaction.atomic
def agencies_load(*, actor: Actor, path: Path = AGENCY_DATA_FILE) -> LoadResult:
    """Loads agencies, their succession and the collective names from agencies.json (by code)."""
    access = access_of(actor)
    _require_reference_admin(access)
    data = read_agency_data(path)
    existing = {a.code: a for a in Agency.objects.all()}
    created = updated = 0
    agencies: dict[str, Agency] = {}
    for row in data["agencies"]:
        values = {
            "name": row["name"],
            "kind": row["kind"],
            "aliases": row["aliases"],
            "valid_from": row["valid_from"],
            "valid_to": row["valid_to"],
        }
        agency = existing.get(row["code"])
        if agency is None:
            agency = Agency(code=row["code"], **values)
            created += 1
        elif any(getattr(agency, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(agency, k, v)
            updated += 1
        else:
            agencies[row["code"]] = agency
            continue
        agency.save()
        agencies[row["code"]] = agency

    known = set(AgencyChange.objects.values_list("old__code", "new__code", "date"))
    fresh = [
        AgencyChange(old=agencies[c["old"]], new=agencies[c["new"]], date=c["date"], share=c["share"], note=c["note"])
        for c in data["changes"]
        if (c["old"], c["new"], c["date"]) not in known
    ]
    AgencyChange.objects.bulk_create(fresh)

    groups: dict[str, AgencyGroup] = {}
    for row in data["groups"]:
        group, made = AgencyGroup.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "aliases": row["aliases"],
                "member_kinds": row["kinds"],
                "member_level": row["level"],
                "valid_from": row["valid_from"],
                "valid_to": row["valid_to"],
            },
        )
        created += made
        group.members.set([agencies[m] for m in row["members"]])
        groups[row["code"]] = group
    for row in data["groups"]:
        successor = groups.get(row["successor"]) if row["successor"] else None
        if groups[row["code"]].successor_id != (successor.pk if successor else None):
            groups[row["code"]].successor = successor
            groups[row["code"]].save(update_fields=["successor"])

    result = LoadResult(created, updated, len(fresh))
    if agencies:
        audit.record(
            actor=access,
            action="org.agencies.load",
            target=next(iter(agencies.values())),
            changes={"created": [0, created], "updated": [0, updated], "changes": [0, len(fresh)]},
        )
    return result


CONTACT_FIELDS = ("person", "position", "phone", "email", "note")
_LIMITS = {"person": 150, "position": 150, "phone": 20, "email": 254, "note": 2000}


def may_edit_contact(actor: Actor, *, agency: Agency | None, admin_unit: AdminUnit | None) -> bool:
    """The secretariat (or the system), or the approver of that very agency or unit."""
    access = access_of(actor)
    return access.runs_programme or access.signs_for(
        agency_id=agency.pk if agency else None, admin_unit_id=admin_unit.pk if admin_unit else None
    )


def clean_contact(data: dict) -> dict[str, str]:
    """Trims and checks a contact form; raises InvalidData with one message per bad field."""
    cleaned, problems = {}, []
    for name in CONTACT_FIELDS:
        value = data.get(name, "")
        if not isinstance(value, str):
            problems.append(f"{name}: phải là văn bản.")
            continue
        value = clean_text(value)
        if len(value) > _LIMITS[name]:
            problems.append(f"{name}: dài quá {_LIMITS[name]} ký tự.")
        cleaned[name] = value
    if cleaned.get("phone") and not all(ch.isdigit() or ch in " +.()-" for ch in cleaned["phone"]):
        problems.append("phone: số điện thoại chỉ gồm chữ số, dấu cách và các ký tự + . ( ) -.")
    if cleaned.get("email"):
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            problems.append("email: địa chỉ thư điện tử không hợp lệ.")
    if problems:
        raise InvalidData("Thông tin đầu mối chưa hợp lệ; chưa lưu.", details=problems)
    return cleaned


@transaction.atomic
def contact_point_update(
    *, actor: Actor, agency: Agency | None = None, admin_unit: AdminUnit | None = None, data: dict
) -> ContactPoint:
    if (agency is None) == (admin_unit is None):
        raise ValueError("exactly one of agency or admin_unit")
    access = access_of(actor)
    if not may_edit_contact(access, agency=agency, admin_unit=admin_unit):
        raise NotAllowed("Chỉ lãnh đạo của chính đơn vị hoặc Tổ giúp việc được sửa thông tin đầu mối.")
    cleaned = clean_contact(data)
    contact, _ = ContactPoint.objects.select_for_update().get_or_create(agency=agency, admin_unit=admin_unit)
    before = {k: getattr(contact, k) for k in CONTACT_FIELDS}
    changes = audit.diff(before, cleaned)
    if changes:
        for k, v in cleaned.items():
            setattr(contact, k, v)
        contact.save()
        audit.record(actor=access, action="org.contact_point.update", target=contact, changes=changes)
    return contact
