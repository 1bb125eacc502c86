"""What the extractor reads and what it proposes. Plain data, no Django."""

import datetime
import re
from dataclasses import asdict, dataclass, field

# Noise some exports leave at a line's start: "[bookmark: dieu_1]".
_NOISE = re.compile(r"^\s*\[bookmark:[^\]]*\]")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line number in the source text
    text: str  # the line as read, without its line break
    offset: int  # character offset of the line's start in the source text

    @property
    def clean(self) -> str:
        """The text without export noise and surrounding white space."""
        return _NOISE.sub("", self.text).strip()

    @property
    def cells(self) -> list[str]:
        """A table row's cells (tables arrive as tab-separated lines)."""
        return [c.strip() for c in self.clean.split("\t")]

    @property
    def is_table_row(self) -> bool:
        # A tab after some content, trailing tabs included ("I CÔNG TÁC…\t" is a group row whose
        # other cells are empty); leading tabs alone are indentation, not cells.
        return "\t" in _NOISE.sub("", self.text).lstrip()


@dataclass
class SourceText:
    """A document as text lines. DOCX tables and PDF tables become tab-separated lines."""

    text: str
    filename: str = ""
    lines: list[Line] = field(default_factory=list)
    # Where a line came from when it is a table row of a PDF, DOCX, XLSX or a scan, by line number:
    # {"page": 3, "table": 1, "row": 4, "cells": [[x0, top, x1, bottom] | "B5", …], "confidence": [..]}
    # so the review page can show the source cell of a proposal.
    origins: dict[int, dict] = field(default_factory=dict)
    ocr: bool = False  # read by OCR from a scan: its confidences are in `origins`

    def __post_init__(self):
        if not self.lines:
            offset = 0
            for number, raw in enumerate(self.text.split("\n"), start=1):
                self.lines.append(Line(number, raw.rstrip("\r"), offset))
                offset += len(raw) + 1


@dataclass(frozen=True)
class Clause:
    path: str  # "II.2.1.a"; "" for text before the first heading; "PL" for an appendix
    heading: str  # the heading line's text, as written
    level: int
    start: int  # line number of the heading
    end: int  # last line number that belongs to this clause (before the next heading at any level)


@dataclass
class AgencyRef:
    text: str  # as written
    kind: str | None = None  # agency, group, unit; None when unresolved
    code: str | None = None  # agency or group code, or unit id
    name: str | None = None
    sure: bool = False


@dataclass
class ExtractedTarget:
    clause: str
    text: str  # the sentence or bullet the target was read from
    value: float | None
    value_max: float | None
    unit: str  # "%", "doanh nghiệp", "tỷ đồng", "" …
    year: int | None
    direction: str  # ">=", "<=", "=", "range"
    pillar: str  # chinh_quyen_so, kinh_te_so, xa_hoi_so, ha_tang_so, an_toan_thong_tin, nhan_luc_so, ""
    sector: str = ""
    line: int = 0  # source line number (for highlighting in review)
    label: str = ""  # the indicator phrase ("Tỷ lệ hồ sơ … trực tuyến"), not the whole sentence
    source: dict = field(default_factory=dict)  # the source cell: table, row, column, cell text, confidence


@dataclass
class ExtractedTask:
    clause: str
    title: str
    lead: list[AgencyRef] = field(default_factory=list)
    coordinating: list[AgencyRef] = field(default_factory=list)
    output: str = ""
    deadline_text: str = ""
    deadline: datetime.date | None = None
    recurrence: str | None = None  # quarterly, semiannual, yearly, continuous, once
    group: str = ""  # the table's group heading, if any
    line: int = 0
    pillar: str = ""
    sector: str = ""


@dataclass
class ExtractedReporting:
    text: str
    from_: list[AgencyRef] = field(default_factory=list)
    to: list[AgencyRef] = field(default_factory=list)
    when: str = ""  # quarterly, semiannual, yearly … with the due rule in `due`
    due: list[str] = field(default_factory=list)  # "15/6", "15/12", "15 of last month of quarter" as dd/mm or rule
    clause: str = ""
    line: int = 0


@dataclass
class ExtractedDocument:
    number: str = ""
    type: str = ""
    issuer: str = ""
    date: datetime.date | None = None
    year: int | None = None  # from the date line even when day and month are left blank
    title: str = ""
    clauses: list[Clause] = field(default_factory=list)
    targets: list[ExtractedTarget] = field(default_factory=list)
    tasks: list[ExtractedTask] = field(default_factory=list)
    reporting: list[ExtractedReporting] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # agency names the resolver did not know
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        def refs(items: list[AgencyRef]) -> list[dict]:
            return [asdict(r) for r in items]

        return {
            "document": {
                "number": self.number,
                "type": self.type,
                "issuer": self.issuer,
                "date": self.date.isoformat() if self.date else None,
                "title": self.title,
            },
            "targets": [{k: v for k, v in asdict(t).items() if k != "line"} | {"line": t.line} for t in self.targets],
            "tasks": [
                {
                    "clause": t.clause,
                    "title": t.title,
                    "lead": refs(t.lead),
                    "coordinating": refs(t.coordinating),
                    "output": t.output,
                    "deadline_text": t.deadline_text,
                    "deadline": t.deadline.isoformat() if t.deadline else None,
                    "recurrence": t.recurrence,
                    "group": t.group,
                    "pillar": t.pillar,
                    "sector": t.sector,
                    "line": t.line,
                }
                for t in self.tasks
            ],
            "reporting": [
                {
                    "text": r.text,
                    "from": refs(r.from_),
                    "to": refs(r.to),
                    "when": r.when,
                    "due": r.due,
                    "clause": r.clause,
                    "line": r.line,
                }
                for r in self.reporting
            ],
            "unresolved": sorted(set(self.unresolved)),
            "warnings": self.warnings,
        }
