"""The one list helper every long list uses (ADR 0030): its filters, sort and page read from the
URL and written back into every link, so a list can be bookmarked, shared and paged without
losing what was chosen.

A view declares the filters it knows and the orders it offers, builds a `ListQuery` from
`request.GET`, gives `lq.values` to its selector, then `lq.order(qs)` and `lq.page(qs)`. Templates
use `core/_pager.html`, `{% sort_header %}` (core/templatetags/lists.py) and `lq.url(...)`.
Values that cannot be read are dropped (the list shows unfiltered), never a 500.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import CharField, F, Func, Q, QuerySet

from .text import fold

PAGE = "trang"
SORT = "sap-xep"
MAX_TEXT = 100


def text(value: str) -> str | None:
    """A free-text filter: trimmed, bounded; empty is no filter."""
    value = (value or "").strip()[:MAX_TEXT]
    return value or None


def integer(value: str) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def one_of(choices: Iterable[str]) -> Callable[[str], str | None]:
    allowed = frozenset(choices)
    return lambda value: value if value in allowed else None


@dataclass(frozen=True)
class Order:
    """One way to sort a list: field names (a leading '-' reverses one) or expressions."""

    label: str
    fields: tuple


class ListQuery:
    """Filters, sort and page of one list, parsed from a query string."""

    def __init__(
        self,
        params,
        *,
        filters: dict[str, Callable[[str], object]],
        orders: dict[str, Order] | None = None,
        default_order: str = "",
        per_page: int = 50,
        tiebreak: tuple[str, ...] = ("pk",),
    ):
        self.orders = orders or {}
        self.per_page = per_page
        self.tiebreak = tiebreak
        self.values: dict[str, object] = {}
        self.raw: dict[str, str] = {}
        for name, parse in filters.items():
            raw = params.get(name, "")
            value = parse(raw) if raw != "" else None
            if value is not None:
                self.values[name] = value
                self.raw[name] = raw.strip()
        requested = params.get(SORT, "")
        key = requested.lstrip("-")
        if key in self.orders:
            self.sort, self.descending = key, requested.startswith("-")
        else:
            self.sort, self.descending = default_order.lstrip("-"), default_order.startswith("-")
        self.page_number = params.get(PAGE, "1")
        self.current: Page | None = None

    # ---- reading --------------------------------------------------------------------------------

    def get(self, name: str, default=None):
        return self.values.get(name, default)

    @property
    def active(self) -> bool:
        """Whether any filter is set (the page offers to clear them)."""
        return bool(self.values)

    def order(self, qs: QuerySet) -> QuerySet:
        order = self.orders.get(self.sort)
        if order is None:
            return qs.order_by(*self.tiebreak)
        fields = [_flip(f) if self.descending else _ascending(f) for f in order.fields]
        return qs.order_by(*fields, *self.tiebreak)

    def page(self, qs) -> Page:
        self.current = Paginator(qs, self.per_page).get_page(self.page_number)
        return self.current

    @property
    def previous_url(self) -> str:
        page = self.current
        return self.page_url(page.previous_page_number()) if page.has_previous() else ""

    @property
    def next_url(self) -> str:
        page = self.current
        return self.page_url(page.next_page_number()) if page.has_next() else ""

    @property
    def first_url(self) -> str:
        return self.page_url(1)

    @property
    def last_url(self) -> str:
        return self.page_url(self.current.paginator.num_pages)

    # ---- writing links --------------------------------------------------------------------------

    def _state(self) -> dict[str, str]:
        state = dict(self.raw)
        if self.sort:
            state[SORT] = ("-" if self.descending else "") + self.sort
        return state

    def url(self, **changes) -> str:
        """The query string of this list with `changes` (None removes); a changed filter or sort
        goes back to the first page."""
        state = self._state()
        for name, value in changes.items():
            name = name.replace("_", "-")
            if value is None or value == "":
                state.pop(name, None)
            else:
                state[name] = str(value)
        return "?" + urlencode(state)

    def page_url(self, number: int) -> str:
        return self.url() + ("&" if self._state() else "") + urlencode({PAGE: number})

    def sort_url(self, key: str) -> str:
        """Sorting by `key`; asked again, the other way round."""
        descending = self.sort == key and not self.descending
        return self.url(sap_xep=("-" if descending else "") + key)

    def hidden(self, *, without: Iterable[str] = ()) -> list[tuple[str, str]]:
        """The state as hidden inputs, for forms that change one part of it."""
        skip = set(without)
        return [(k, v) for k, v in self._state().items() if k not in skip]


def _ascending(field):
    return field if isinstance(field, str) else field.asc(nulls_last=True)


def _flip(field):
    if not isinstance(field, str):
        return field.desc(nulls_last=True)
    return field[1:] if field.startswith("-") else "-" + field


# ---- names, with or without diacritics -----------------------------------------------------------


class Folded(Func):
    """A text column lower-cased and without diacritics, as `core.text.fold` makes it: on
    PostgreSQL through `unaccent` (the extension made by core's migration), on SQLite through the
    same Python function registered on each connection (core.apps)."""

    function = "dxtrack_fold"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="lower(unaccent(%(expressions)s))", **extra)


def folded_match(fields: Iterable[str], query: str) -> Q:
    """Rows where every word of `query` (folded) is in one of the already folded `fields`
    (`search_name` columns)."""
    match = Q()
    for word in fold(query).split():
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__contains": word})
        match &= any_field
    return match


def folded_annotation(field: str) -> Folded:
    return Folded(F(field))
