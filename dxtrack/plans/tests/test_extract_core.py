"""Clause structure, header and numbers: the pieces every extractor stands on."""

import datetime
from pathlib import Path

import pytest

from dxtrack.core.testing import require_seeds
from dxtrack.plans.extract.header import read_header
from dxtrack.plans.extract.model import ExtractedDocument, SourceText
from dxtrack.plans.extract.numbers import parse_number
from dxtrack.plans.extract.structure import clause_at, parse_clauses

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"


def seed(prefix: str) -> SourceText:
    require_seeds(SEEDS)
    [path] = SEEDS.glob(f"{prefix}_*.txt")
    return SourceText(path.read_text(encoding="utf-8"), filename=path.name)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("7,0", 7.0),
        ("1.750", 1750.0),
        ("1.234,5", 1234.5),
        ("100", 100.0),
        ("0,5", 0.5),
        ("1.75", None),
        ("abc", None),
        ("", None),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_clause_paths_of_a_constructed_plan():
    source = SourceText(
        "\n".join(
            [
                "KẾ HOẠCH",
                "I. MỤC TIÊU",
                "1. Mục tiêu chung",
                "Nội dung.",
                "2. Mục tiêu cụ thể",
                "2.1. Đến năm 2025",
                "a) Chính quyền số",
                "- 100% hồ sơ",
                "b) Kinh tế số",
                "II. NHIỆM VỤ",
                "1\tBảng\tkhông phải tiêu đề",
                "2025 là năm bản lề",
                "PHỤ LỤC",
                "I. DANH MỤC",
            ]
        )
    )
    clauses = parse_clauses(source)
    assert [c.path for c in clauses] == ["I", "I.1", "I.2", "I.2.1", "I.2.1.a", "I.2.1.b", "II", "PL", "PL.I"]
    assert clause_at(clauses, 8) == "I.2.1.a"
    assert clause_at(clauses, 12) == "II"


@pytest.mark.parametrize(
    ("prefix", "count", "tops"),
    [
        ("000", 140, ["Điều 1", "Điều 2", "I", "II", "III", "IV", "V"]),
        ("001", 19, ["I", "II", "III", "IV"]),
        ("002", 19, ["I", "II", "III", "IV", "V"]),
        ("003", 31, ["1", "2", "3", "4", "5", "PL"]),
        ("004", 166, ["I", "II", "III", "IV", "V"]),
    ],
)
def test_seed_clause_trees(prefix, count, tops):
    clauses = parse_clauses(seed(prefix))
    paths = [c.path for c in clauses]
    assert len(clauses) == count and len(set(paths)) == count
    assert [c.path for c in clauses if c.level == 1] == tops


def test_header_of_a_decision():
    document = ExtractedDocument()
    read_header(seed("000"), document)
    assert (document.number, document.type, document.date) == ("4216/QĐ-UBND", "Quyết định", datetime.date(2020, 10, 6))
    assert document.issuer == "UBND tỉnh Thanh Hóa"


def test_header_with_blank_number_and_day_keeps_the_year_and_warns():
    document = ExtractedDocument()
    read_header(seed("002"), document)
    assert (document.number, document.type, document.date, document.year) == ("", "Kế hoạch", None, 2024)
    assert document.issuer == "Ban Chỉ đạo"
    assert len(document.warnings) == 2
