"""The six synthetic plans of other provinces (tests/layouts): each read from its own file format
and extracted, against its hand key: target recall and precision ≥ 0.95, task recall ≥ 0.9."""

import os

import pytest

from dxtrack.core.text import fold
from dxtrack.plans.extract import extract
from dxtrack.plans.extract.readers import NeedsOcr, read_upload
from dxtrack.plans.tests.layouts import LAYOUTS, fonts_available, render

pytestmark = pytest.mark.skipif(not fonts_available(), reason="DejaVu fonts (make ocr) are needed to draw the layouts")


def ocr_available() -> bool:
    from dxtrack.plans.extract import ocr

    available = ocr.available()
    if not available and os.environ.get("DXTRACK_REQUIRE_OCR") == "1":
        pytest.fail("DXTRACK_REQUIRE_OCR=1 but Tesseract with Vietnamese data is missing (make ocr)")
    return available


def read(key: str):
    data, filename = render(key)
    try:
        return read_upload(data, filename)
    except NeedsOcr:
        from dxtrack.plans.extract import ocr

        if not ocr_available():
            pytest.skip("Tesseract with Vietnamese data is not installed (make ocr)")
        return ocr.read_scan(data, filename)


def target_key(t) -> tuple:
    return (round(t.value, 4), t.value_max, t.unit, t.year, t.direction)


def score(found: list[tuple], key: list[tuple]) -> tuple[float, float]:
    """Recall and precision of `found` against `key`, each key entry matched once."""
    rest = list(found)
    hits = 0
    for entry in key:
        if entry in rest:
            rest.remove(entry)
            hits += 1
    return hits / len(key), hits / len(found) if found else 0.0


def task_recall(titles: list[str], key: list[str]) -> float:
    folded = [fold(t) for t in titles]
    return sum(1 for k in key if any(f.startswith(fold(k)) for f in folded)) / len(key)


@pytest.mark.parametrize("key", sorted(LAYOUTS))
def test_synthetic_layout_extracts_its_targets_and_tasks(key):
    # given a plan of another province in one of the layouts plans arrive in
    layout = LAYOUTS[key]
    source = read(key)

    # when it is extracted
    document = extract(source, year_context=layout.year_context)

    # then its targets and tasks are those of its hand key
    found = [target_key(t) for t in document.targets]
    expected = [(float(v), vmax, unit, year, cmp) for v, vmax, unit, year, cmp in layout.targets]
    recall, precision = score(found, expected)
    assert (recall >= 0.95, precision >= 0.95) == (True, True), (recall, precision, found)
    assert task_recall([t.title for t in document.tasks], layout.tasks) >= 0.9, [t.title for t in document.tasks]


def test_table_targets_keep_their_source_cell_and_indicator_phrase():
    # given the text PDF whose targets sit in a table with one column per year
    document = extract(read("hoa_son_pdf"))

    # when one target is looked at
    target = next(t for t in document.targets if t.value == 13.5)

    # then it knows its page, table, row, column and cell, and its label is the indicator phrase
    assert (target.source["page"], target.source["table"], target.source["column"]) == (1, 1, "Năm 2027")
    assert target.source["cell"] == "13,5"
    assert len(target.source["cells"]) == 7
    assert target.label == "Tỷ trọng kinh tế số trong GRDP (năm 2027)"
    assert target.direction == ">="


def test_two_targets_of_one_sentence_never_share_a_label():
    for key in LAYOUTS:
        if key == "ngoc_lam_scan":
            continue
        document = extract(read(key))
        labels = [(t.line, t.text, t.label) for t in document.targets]
        assert len(labels) == len(set(labels)), key


def test_issuer_keeps_its_province():
    document = extract(read("hoa_son_pdf"))
    assert document.issuer == "UBND tỉnh Hòa Sơn"
