"""The assessment results file: the final results of closed rounds only, with the recognitions
signed; never a score of a round still open."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from dxtrack.assessments.tests.conftest import DECISION_NUMBER, HAM_RONG, OTHER
from dxtrack.opendata import catalogue

pytestmark = pytest.mark.django_db

HEADER = [
    "ma_bo_tieu_chi",
    "bo_tieu_chi",
    "so_hieu_bo_tieu_chi",
    "nam_danh_gia",
    "minh_hoa",
    "doi_tuong",
    "ma_don_vi",
    "ten_don_vi",
    "hang",
    "diem_dat_duoc",
    "diem_toi_da",
    "bac_dat",
    "muc_dat",
    "duoc_cong_nhan",
    "muc_cong_nhan",
    "so_quyet_dinh_cong_nhan",
    "ngay_cong_nhan",
]


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def test_the_results_csv_has_each_subjects_final_result_and_its_recognition(client, decided):
    decision, _ = decided
    round_ = decision.round
    # When the results file is downloaded (anonymously)
    response = client.get("/du-lieu-mo/ket-qua-danh-gia-chuyen-doi-so.csv")
    # Then it has the header and one row per subject of the closed round, ranked by final score
    assert response.status_code == 200
    rows = _csv(response)
    assert rows[0] == HEADER
    framework = round_.framework
    unit = round_.submissions.get(admin_unit__code=HAM_RONG).admin_unit
    other = round_.submissions.get(admin_unit__code=OTHER).admin_unit
    common = [
        framework.code,
        framework.name,
        framework.number,
        str(round_.year),
        "1",
    ]  # the demonstration set: "minh họa"
    today = timezone.localdate().isoformat()
    assert rows[1:] == [
        [*common, "commune", HAM_RONG, unit.name, "1", "70", "100", "1", "Đạt chuẩn chuyển đổi số", "1",
         "Đạt chuẩn chuyển đổi số", DECISION_NUMBER, today],
        [*common, "commune", OTHER, other.name, "2", "0", "100", "", "", "0", "", "", ""],
    ]  # fmt: skip
    # And the year filter leaves other years out
    assert len(_csv(client.get(f"/du-lieu-mo/ket-qua-danh-gia-chuyen-doi-so.csv?nam={round_.year - 1}"))) == 1
    # And the dataset's modified date is when the decision was recorded
    meta = catalogue.metadata(catalogue.datasets()["ket-qua-danh-gia-chuyen-doi-so"])
    assert meta["modified"] == decision.created_at
    assert meta["modified"] > timezone.now() - datetime.timedelta(minutes=5)


def test_an_open_round_gives_an_empty_file(client, world):
    # Given only the shared round of 2026, open
    rows = _csv(client.get("/du-lieu-mo/ket-qua-danh-gia-chuyen-doi-so.csv"))
    assert rows == [HEADER]
