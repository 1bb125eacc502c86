"""The answer of a batch of rows (values or task updates): one result per row, and the summary."""

from dataclasses import dataclass, field

from dxtrack.reports import validation as v


@dataclass
class RowResult:
    indicator: str
    result: str  # imported | updated | ignored | error | conflict
    reason: str = ""
    where: str = ""
    findings: list[v.Finding] = field(default_factory=list)


@dataclass
class ImportSummary:
    status: str  # ok | error
    dry_run: bool
    rows: list[RowResult]

    def count(self, result: str) -> int:
        return sum(1 for r in self.rows if r.result == result)

    @property
    def imported(self) -> int:
        return self.count("imported")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def ignored(self) -> int:
        return self.count("ignored")

    @property
    def errors(self) -> list[RowResult]:
        return [r for r in self.rows if r.result in ("error", "conflict")]

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "dryRun": self.dry_run,
            "imported": self.imported,
            "updated": self.updated,
            "ignored": self.ignored,
            "rows": [
                {
                    "indicator": r.indicator,
                    "result": r.result,
                    "reason": r.reason,
                    "where": r.where,
                    "findings": [{"level": f.level, "field": f.field, "message": f.message} for f in r.findings],
                }
                for r in self.rows
            ],
        }
