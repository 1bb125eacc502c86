"""What part of the private data a user may read. Every selector of private data filters by it."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    agency_ids: frozenset[int] = frozenset()
    admin_unit_ids: frozenset[int] = frozenset()

    @classmethod
    def for_user(cls, user) -> "Scope":
        if user is None or not user.is_authenticated or not user.is_active:
            return cls()  # the public: approved, published data only
        if user.is_province_wide:
            return cls(everything=True)
        return cls(
            agency_ids=frozenset({user.agency_id} if user.agency_id else ()),
            admin_unit_ids=frozenset({user.admin_unit_id} if user.admin_unit_id else ()),
        )

    def covers(self, *, agency_id: int | None = None, admin_unit_id: int | None = None) -> bool:
        if self.everything:
            return True
        return (agency_id is not None and agency_id in self.agency_ids) or (
            admin_unit_id is not None and admin_unit_id in self.admin_unit_ids
        )

    def filter(self, queryset: QuerySet, *, agency_field: str = "agency", unit_field: str = "admin_unit") -> QuerySet:
        if self.everything:
            return queryset
        return queryset.filter(
            Q(**{f"{agency_field}_id__in": self.agency_ids}) | Q(**{f"{unit_field}_id__in": self.admin_unit_ids})
        )
