"""Reporting calendars: the four the seeds fix, and sentences other provinces write.

Read by hand from the seeds:
- 000 V.3: the departments, district committees and units report to Sở TT&TT before 30/6 and
  15/12 each year (twice a year).
- 001: "định kỳ báo cáo Ban Thường vụ Tỉnh ủy" names no period or day: no calendar, no rule.
- 002 V.1: the standing body (Sở TT&TT) reports to the steering committee every quarter; V.3: the
  departments and district committees report to Sở TT&TT quarterly, before the 15th of the last
  month of the quarter.
- 003 5.1: the heads of departments report to Sở KH&CN before 30/11 each year.
- 004 V.1.a: Sở TT&TT reports to Bộ TT&TT and UBND tỉnh before 15/12 each year; V.16.d
  ("báo cáo hàng định kỳ") names no period: no rule.
"""

from pathlib import Path

import pytest

from dxtrack.core.testing import require_seeds
from dxtrack.org.resolver import NameResolver
from dxtrack.plans.extract.model import SourceText
from dxtrack.plans.extract.reporting import due_days, find_reporting, period_of
from dxtrack.plans.extract.structure import parse_clauses

pytestmark = pytest.mark.django_db
SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"


@pytest.fixture(scope="module")
def resolver(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return NameResolver.from_db()


def seed(prefix: str) -> SourceText:
    require_seeds(SEEDS)
    [path] = SEEDS.glob(f"{prefix}_*.txt")
    return SourceText(path.read_text(encoding="utf-8"), filename=path.name)


def rules_of(source: SourceText, resolver, year: int | None = 2026):
    return find_reporting(source, parse_clauses(source), year_context=year, resolver=resolver)


def codes(refs) -> list[str]:
    return [r.code if r.code else f"?{r.text}" for r in refs]


def summary(rule) -> tuple:
    return (rule.clause, codes(rule.from_), codes(rule.to), rule.when, rule.due)


@pytest.mark.parametrize(
    ("prefix", "year", "expected"),
    [
        (
            "000",
            2020,
            [("V.3", ["SO_BAN_NGANH", "UBND_HUYEN", "CQ_DON_VI"], ["SO_TTTT"], "semiannual", ["30/6", "15/12"])],
        ),
        ("001", 2021, []),
        (
            "002",
            2024,
            [
                ("V.1", ["SO_TTTT"], ["BCD_CDS"], "quarterly", []),
                ("V.3", ["SO_BAN_NGANH", "UBND_HUYEN"], ["SO_TTTT"], "quarterly", ["15 of last month of quarter"]),
            ],
        ),
        ("003", 2020, [("5.1", ["SO_BAN_NGANH"], ["SO_KHCN"], "yearly", ["30/11"])]),
        ("004", 2022, [("V.1.a", ["SO_TTTT"], ["BO_TTTT", "UBND_TINH"], "yearly", ["15/12"])]),
    ],
    ids=["000", "001", "002", "003", "004"],
)
def test_the_seeds_reporting_calendars(resolver, prefix, year, expected):
    rules = rules_of(seed(prefix), resolver, year)
    assert [summary(r) for r in rules] == expected


def test_a_seed_rule_keeps_its_sentence_and_line(resolver):
    [rule] = rules_of(seed("003"), resolver, 2020)
    assert rule.line == 195
    assert rule.text.startswith("định kỳ trước ngày 30/11 hằng năm, báo cáo tình hình triển khai")


def plan(*lines: str) -> SourceText:
    return SourceText("\n".join(lines))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Định kỳ hằng quý (trước ngày 20 của tháng cuối quý), các sở, ban, ngành cấp tỉnh và UBND cấp xã gửi báo "
            "cáo kết quả thực hiện về Sở Khoa học và Công nghệ để tổng hợp, báo cáo UBND tỉnh.",
            (["SO_BAN_NGANH", "UBND_XA"], ["SO_KHCN"], "quarterly", ["20 of last month of quarter"]),
        ),
        (
            "UBND các xã, phường báo cáo Sở Khoa học và Công nghệ định kỳ 6 tháng (trước ngày 15/06) và hằng năm "
            "(trước ngày 15/12).",
            (["UBND_XA"], ["SO_KHCN"], "semiannual", ["15/6", "15/12"]),
        ),
        (
            "Trước ngày 25 hằng tháng, UBND cấp xã gửi báo cáo về Sở Nội vụ.",
            (["UBND_XA"], ["SO_NOI_VU"], "monthly", ["25 of each month"]),
        ),
        (
            "Sở Tài chính báo cáo UBND tỉnh kết quả rà soát trước ngày 30/9/2026.",
            (["SO_TAI_CHINH"], ["UBND_TINH"], "once", ["30/9/2026"]),
        ),
        (
            "Công an tỉnh báo cáo kết quả triển khai Đề án 06 về Ban Chỉ đạo chuyển đổi số tỉnh trước ngày 10 "
            "tháng đầu của quý sau.",
            (["CONG_AN_TINH"], ["BCD_CDS"], "quarterly", ["10 of first month of next quarter"]),
        ),
    ],
    ids=["quarterly-rule", "semiannual", "monthly", "one-off", "next-quarter"],
)
def test_reporting_sentences_of_other_provinces(resolver, sentence, expected):
    [rule] = rules_of(plan("V. TỔ CHỨC THỰC HIỆN", sentence), resolver)
    assert (codes(rule.from_), codes(rule.to), rule.when, rule.due) == expected
    assert rule.clause == "V"


def test_the_reporter_is_the_heading_the_duty_sits_under(resolver):
    source = plan(
        "IV. TỔ CHỨC THỰC HIỆN",
        "1. Sở Khoa học và Công nghệ",
        "- Tổng hợp, báo cáo UBND tỉnh theo quy định.",
        "2. Các sở, ban, ngành cấp tỉnh; UBND cấp xã",
        "- Triển khai các nhiệm vụ được giao; định kỳ hằng năm báo cáo kết quả về Sở Khoa học và Công nghệ trước "
        "ngày 10/12./.",
    )
    [rule] = rules_of(source, resolver)
    assert summary(rule) == ("IV.2", ["SO_BAN_NGANH", "UBND_XA"], ["SO_KHCN"], "yearly", ["10/12"])
    assert rule.text.startswith("định kỳ hằng năm báo cáo kết quả")


@pytest.mark.parametrize(
    "sentence",
    [
        "Các đơn vị báo cáo đột xuất theo yêu cầu của UBND tỉnh.",
        "Ban Tuyên giáo chủ trì theo dõi, định kỳ báo cáo Ban Thường vụ Tỉnh ủy.",
        "80% báo cáo định kỳ của các cơ quan nhà nước được cập nhật trên Hệ thống thông tin báo cáo quốc gia.",
        "Xây dựng kế hoạch hằng năm về chuyển đổi số.",
    ],
)
def test_no_calendar_no_rule(resolver, sentence):
    assert rules_of(plan("V. TỔ CHỨC THỰC HIỆN", sentence), resolver) == []


def test_due_days_and_periods():
    assert due_days("trước ngày 30/06 và 15/12 hằng năm") == ["30/6", "15/12"]
    assert due_days("theo Kế hoạch số 106/KH-UBND ngày 12/4/2022, trước ngày 5 tháng 7") == ["5/7"]
    assert due_days("trước ngày 31/6") == []
    assert period_of("hằng năm", ["30/6", "15/12"]) == "semiannual"
    assert period_of("trước các ngày", ["15/3", "15/6", "15/9", "15/12"]) == "quarterly"
    assert period_of("trước ngày", ["15/12"]) == "yearly"
    assert period_of("định kỳ", []) == ""


# --- a reporting duty is a rule, not also a task ----------------------------------------------------


def test_the_seeds_reporting_duties_are_rules_only_and_mixed_duties_stay_tasks(resolver):
    from dxtrack.plans.extract import extract

    document = extract(seed("002"), year_context=2024, resolver=resolver)
    rule_lines = [r.line for r in document.reporting]
    assert rule_lines == [178, 194]
    assert [t.line for t in document.tasks if t.line in rule_lines] == []
    # 004 V.1.a guides and monitors, then reports by 15/12: the duty stays a task, the report is its rule.
    document = extract(seed("004"), year_context=2022, resolver=resolver)
    [rule] = document.reporting
    [task] = [t for t in document.tasks if t.line == rule.line]
    assert task.title.startswith("Chủ trì, phối hợp với các đơn vị có liên quan hướng dẫn")


def test_a_reporting_duty_of_another_layout_is_not_also_a_task(resolver):
    from dxtrack.plans.extract import extract

    source = plan(
        "V. TỔ CHỨC THỰC HIỆN",
        "1. Các sở, ban, ngành cấp tỉnh",
        "- Triển khai các nhiệm vụ được giao tại Kế hoạch.",
        "- Báo cáo kết quả thực hiện về Sở Thông tin và Truyền thông trước ngày 20/6 và 20/12 hằng năm.",
    )
    document = extract(source, year_context=2026, resolver=resolver)
    assert [r.due for r in document.reporting] == [["20/6", "20/12"]]
    assert [t.title for t in document.tasks] == ["Triển khai các nhiệm vụ được giao tại Kế hoạch"]
