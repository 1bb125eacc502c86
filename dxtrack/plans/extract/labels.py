"""Targets' labels: one indicator phrase each, never two alike from one sentence."""

from collections import defaultdict

from .model import ExtractedTarget


def label_targets(targets: list[ExtractedTarget]) -> None:
    """A target with no phrase of its own takes its sentence; two targets of one sentence with
    the same phrase (the same indicator for two years, or two readings of one phrase) are told
    apart by their year, then by their value."""
    previous = None
    for target in targets:
        if not target.label:
            # "… trên 25%; đến hết năm 2025 đạt 50%": the same phrase as the quantity before it
            same = previous is not None and (previous.line, previous.text, previous.unit) == (
                target.line,
                target.text,
                target.unit,
            )
            target.label = previous.label if same else target.text[:300]
        previous = target
    by_sentence: dict[tuple[int, str], list[ExtractedTarget]] = defaultdict(list)
    for target in targets:
        by_sentence[(target.line, target.text)].append(target)
    for group in by_sentence.values():
        _distinct(group)


def _distinct(group: list[ExtractedTarget]) -> None:
    seen: dict[str, list[ExtractedTarget]] = defaultdict(list)
    for target in group:
        seen[target.label].append(target)
    for label, same in seen.items():
        if len(same) < 2:
            continue
        years = {t.year for t in same}
        for target in same:
            if len(years) == len(same) and target.year:
                target.label = f"{label} (năm {target.year})"
            else:
                value = f"{target.value:g}".replace(".", ",") if target.value is not None else "?"
                target.label = f"{label} ({value}{target.unit if target.unit == '%' else ' ' + target.unit}"
                target.label += f", năm {target.year})" if target.year else ")"
