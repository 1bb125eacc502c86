"""Test data from the loaded reference: real units and agencies, looked up by code."""

from dxtrack.org.models import AdminLevel, AdminUnit, Agency


def current_commune(code: str) -> AdminUnit:
    return AdminUnit.objects.get(level=AdminLevel.COMMUNE, code=code, valid_to__isnull=True)


def former_commune(code: str) -> AdminUnit:
    return AdminUnit.objects.get(level=AdminLevel.COMMUNE, code=code, valid_to__isnull=False)


def former_district(code: str) -> AdminUnit:
    return AdminUnit.objects.get(level=AdminLevel.DISTRICT, code=code)


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)
