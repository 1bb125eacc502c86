"""`extract(path)` on decisions written in the tests (decisions.py): every criterion with its
group, points, flag and threshold, the tiers and the cycle, exactly (recall and precision 1.0)."""

import pytest

from dxtrack.assessments.extract import extract
from dxtrack.plans.tests.layouts import fonts_available, to_docx, to_pdf

from . import decisions as d


def score(found: list[dict], key: list[dict]) -> tuple[float, float]:
    """Recall and precision of `found` against `key`, each key entry matched once, every field equal."""
    rest = list(found)
    hits = 0
    for entry in key:
        if entry in rest:
            rest.remove(entry)
            hits += 1
    return hits / len(key), (hits / len(found) if found else 0.0)


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def assert_exact(result: dict, framework: dict, criteria: list[dict], recognition: list[dict], cycle: list[dict]):
    assert list(result) == ["framework", "criteria", "recognition", "cycle"]
    assert result["framework"] == framework
    assert score(result["criteria"], criteria) == (1.0, 1.0)
    assert result["criteria"] == criteria  # in the decision's order too
    assert result["recognition"] == recognition
    assert result["cycle"] == cycle


def test_docx_commune_set_with_typed_flags_sub_criteria_and_totals(tmp_path):
    # given the commune decision as a DOCX: prose articles, then the appendix table with group rows
    # carrying their points, a type column in words, a criterion split into a) and b), a total row
    path = write(tmp_path, d.COMMUNE_DOCX.filename, to_docx(d.COMMUNE_DOCX))
    # when it is extracted
    result = extract(path)
    # then every criterion, the two tiers and the four steps come out as the key says
    assert_exact(result, d.COMMUNE_FRAMEWORK, d.key_dicts(d.COMMUNE_KEY), d.COMMUNE_RECOGNITION, d.COMMUNE_CYCLE)


@pytest.mark.skipif(not fonts_available(), reason="DejaVu fonts (make ocr) are needed to draw the PDF")
def test_pdf_commune_set_with_merged_groups_marks_and_restarting_numbers(tmp_path):
    # given the same decision as a text PDF whose table merges group rows across, numbers the
    # criteria again in every group and marks the flag with "x" in two columns
    path = write(tmp_path, d.COMMUNE_PDF.filename, to_pdf(d.COMMUNE_PDF))
    # when it is extracted
    result = extract(path)
    # then the criteria are the same, each code carrying its group's numeral so codes stay unique
    key = d.key_dicts(d.COMMUNE_KEY, d.COMMUNE_PDF_CODES)
    assert_exact(result, d.COMMUNE_FRAMEWORK, key, d.COMMUNE_RECOGNITION, d.COMMUNE_CYCLE)


def test_xlsx_department_appendix_with_bands_and_a_level_scale(tmp_path):
    # given an appendix sent alone as XLSX: the decision named in its "(Kèm theo …)" line, a
    # "Bắt buộc" mark column left empty for extended criteria, a 1–5 level criterion, score bands
    path = write(tmp_path, d.DEPT_XLSX.filename, d.dept_xlsx())
    # when it is extracted
    result = extract(path)
    # then the framework comes from the reference line and every criterion, band and step is exact
    assert_exact(result, d.DEPT_FRAMEWORK, d.key_dicts(d.DEPT_KEY), d.DEPT_RECOGNITION, d.DEPT_CYCLE)
