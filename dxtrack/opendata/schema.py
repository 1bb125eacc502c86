"""The shape of an open dataset: its columns (machine name, Vietnamese label, kind, codes), the
filters its files accept, and the dataset itself (metadata and how its rows are read)."""

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

KIND_LABELS = {
    "string": "văn bản",
    "integer": "số nguyên",
    "number": "số",
    "date": "ngày (YYYY-MM-DD)",
    "datetime": "thời điểm (ISO 8601)",
    "boolean": "đúng/sai (true/false)",
}


@dataclass(frozen=True)
class Column:
    name: str  # machine key: CSV header and JSON key
    label: str  # Vietnamese, for people
    kind: str = "string"  # string | integer | number | date | datetime | boolean
    # A column of codes: each code (as the files carry it) and what it means, for people.
    codes: tuple[tuple[str, str], ...] = ()

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def description(self) -> str:
        """The label, and the meaning of each code, in one line (for the machine-readable catalogues)."""
        if not self.codes:
            return self.label
        return f"{self.label}; mã: " + ", ".join(f"{code} = {label}" for code, label in self.codes)


def _codes(choices) -> tuple[tuple[str, str], ...]:
    return tuple((str(value), str(label)) for value, label in choices)


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    indicator: str = ""

    def suffix(self) -> str:
        """Part of the file name, so two filtered downloads never overwrite each other."""
        return "".join(f"-{x}" for x in (self.year, self.indicator) if x)


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    keywords: tuple[str, ...]
    themes: tuple[str, ...]
    columns: tuple[Column, ...]
    read: Callable[[Filters], Iterable[tuple]]
    modified: Callable[[], datetime.datetime | None]
    filters: tuple[str, ...] = ()  # query parameters the files accept
    frequency: str = "Cập nhật khi có số liệu được duyệt"

    def rows(self, filters: Filters | None = None) -> Iterator[tuple]:
        return iter(self.read(filters or Filters()))
