"""The plan extractor: a document in, proposed targets, tasks and reporting rules out.

`extract(source, year_context=…, resolver=…)` runs the pieces in order; each piece is a pure
function of the source text and the clause tree, tested on the five seed plans and on
constructed variants, so other provinces' plans (same conventions, other layouts) parse too.
"""

from .model import ExtractedDocument, SourceText
from .structure import parse_clauses


def extract(source: SourceText, *, year_context: int | None = None, resolver=None) -> ExtractedDocument:
    from . import classify, crossref, directives, header, labels, reporting, target_tables, targets, tasks

    document = ExtractedDocument()
    header.read_header(source, document)
    document.clauses = parse_clauses(source)
    year = year_context or document.year
    tabled = target_tables.find_table_targets(source, document.clauses, task_header=tasks.header_roles)
    document.warnings += tabled.warnings
    document.targets = tabled.targets + targets.find_targets(
        source,
        document.clauses,
        year_context=year,
        horizon=targets.title_horizon(document.title),
        skip=frozenset(tabled.consumed),
    )
    document.targets.sort(key=lambda t: t.line)
    labels.label_targets(document.targets)
    document.tasks = tasks.find_tasks(
        source, document.clauses, year_context=year, resolver=resolver, warnings=document.warnings
    )
    if directives.is_conclusions(document):
        directives.read_directives(document, resolver=resolver)
    crossref.assign_by_reference(document.tasks)
    classify.classify_tasks(document.tasks, document.clauses)
    document.reporting = reporting.find_reporting(source, document.clauses, year_context=year, resolver=resolver)
    document.tasks = [t for t in document.tasks if not _is_reporting_duty(t, document.reporting)]
    for task in document.tasks:
        document.unresolved += [ref.text for ref in (*task.lead, *task.coordinating) if ref.code is None]
    for rule in document.reporting:
        document.unresolved += [ref.text for ref in (*rule.from_, *rule.to) if ref.code is None]
    return document


def _is_reporting_duty(task, rules) -> bool:
    """A duty that is itself a reporting rule ("Báo cáo định kỳ hàng quý (trước ngày 15 …)") is
    proposed as that rule only, not also as a task every reporting unit must update. A duty that
    only ends with a reporting clause ("Chủ trì …; định kỳ trước ngày 15/12 báo cáo …") stays a task."""
    from dxtrack.core.text import fold

    title = fold(task.title)[:60]
    return any(rule.line == task.line and fold(rule.text)[:60] == title for rule in rules)
