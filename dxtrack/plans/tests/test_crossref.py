"""Duties citing clauses give the cited tasks their lead or coordinators."""

import pytest

from dxtrack.plans.extract.crossref import assign_by_reference, referenced_paths
from dxtrack.plans.extract.model import AgencyRef, ExtractedTask


@pytest.mark.parametrize(
    ("text", "paths"),
    [
        ("tại điểm a, điểm b nội dung 1.2, điểm b nội dung 1.4 khoản 1 Mục II", ["II.1.2.a", "II.1.2.b", "II.1.4.b"]),
        ("các nhiệm vụ tại khoản 6 Mục III theo chức năng", ["III.6"]),
        ("tại điểm c, d khoản 3 Mục III", ["III.3.c", "III.3.d"]),
        ("tại nội dung 2.4 khoản 2 Mục II", ["II.2.4"]),
        ("tại mục 3, phần V; được nêu tại điểm 5.1, mục 5, phần III", ["V.3", "III.5.1"]),
        ("tại điểm c, điểm d, mục 4; điểm 5.2, mục 5 phần III", ["III.4.c", "III.4.d", "III.5.2"]),
        ("theo phân công tại Phụ lục", []),
    ],
)
def test_referenced_paths(text, paths):
    assert referenced_paths(text) == paths


def _task(clause, title="", lead=()):
    return ExtractedTask(clause=clause, title=title, lead=[AgencyRef(c, "agency", c, c, True) for c in lead])


def test_a_lead_duty_fills_only_tasks_without_a_lead():
    duty = _task("V.7.a", "Chủ trì thực hiện các nhiệm vụ tại nội dung 2.1 khoản 2 Mục II", ["SO_NN"])
    open_task, named, elsewhere = _task("II.2.1.a"), _task("II.2.1.b", lead=["SO_KHCN"]), _task("II.2.2.a")
    assert assign_by_reference([open_task, named, elsewhere, duty]) == 1
    assert [r.code for r in open_task.lead] == ["SO_NN"]
    assert [r.code for r in named.lead] == ["SO_KHCN"] and elsewhere.lead == []


def test_a_coordinating_duty_adds_coordinators():
    duty = _task(
        "V.2.b", "Phối hợp với Sở TT&TT thực hiện các nhiệm vụ tại điểm a nội dung 1.7 khoản 1 Mục II", ["SO_KHDT"]
    )
    task = _task("II.1.7.a", lead=["SO_TTTT"])
    assign_by_reference([task, duty])
    assert [r.code for r in task.lead] == ["SO_TTTT"] and [r.code for r in task.coordinating] == ["SO_KHDT"]
