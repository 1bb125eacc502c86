"""The reviewed register of the five seed plans, as carried in the fixture and loaded by the demo."""

import json

import pytest

from dxtrack.accounts.access import PUBLIC, SYSTEM
from dxtrack.core.errors import InvalidData, NotAllowed
from dxtrack.plans import selectors
from dxtrack.plans.extract.tasks import _SENTENCE_END
from dxtrack.plans.models import Document, Indicator, Target, Task, TaskParty
from dxtrack.plans.register import REGISTER_FILE, register_load, short, whole_title

pytestmark = pytest.mark.django_db
# Counted by hand in the seeds (see test_extract_targets.py / test_extract_tasks.py for the tallies).
EXPECTED = {
    "qd-4216-2020": (36, 111),
    "nq-06-tu-2021": (31, 10),
    "kh-bcd-cds-2024": (12, 48),
    "kh-cmcn4-2020": (48, 20),
    "kh-ktsxhs-2022": (18, 149),
}


@pytest.fixture
def loaded():
    assert register_load(actor=SYSTEM) == 5
    return {d.code: d for d in Document.objects.all()}


def test_every_target_and_task_of_the_five_plans_is_in_the_register(loaded):
    assert {code: (d.targets.count(), d.tasks.count()) for code, d in loaded.items()} == EXPECTED
    assert Target.objects.filter(indicator__isnull=True).count() == 0


def test_hand_checked_facts(loaded):
    decision = loaded["qd-4216-2020"]
    assert (decision.number, decision.doc_type, str(decision.issued_on)) == ("4216/QĐ-UBND", "quyet_dinh", "2020-10-06")
    fibre = decision.targets.filter(indicator__code="ho-gia-dinh-cap-quang").order_by("year")
    assert [(t.clause.path, t.value, t.year, t.comparator) for t in fibre] == [
        ("II.2.1.c", 50.0, 2022, ">="),
        ("II.2.1.c", 80.0, 2025, ">="),
    ]
    plan_2024 = loaded["kh-bcd-cds-2024"]
    meetings = plan_2024.tasks.get(title="Tổ chức các phiên họp thường kỳ hoặc đột xuất")
    assert (meetings.deadline_text, meetings.recurrence, meetings.group) == (
        "Hàng Quý",
        "quarterly",
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH, KIỂM TRA",
    )
    assert [p.agency.code for p in meetings.parties.filter(role="lead")] == ["SO_TTTT"]
    rule = loaded["qd-4216-2020"].reporting_rules.get()
    assert (rule.period_type, rule.due, rule.recipient.code) == ("semiannual", ["30/6", "15/12"], "SO_TTTT")


def test_one_indicator_carries_targets_of_several_plans(loaded):
    grdp = Indicator.objects.get(code="kinh-te-so-ty-trong-grdp")
    documents = set(grdp.targets.values_list("document__code", flat=True))
    assert documents == {"qd-4216-2020", "nq-06-tu-2021", "kh-cmcn4-2020", "kh-ktsxhs-2022"}


def test_the_fixture_carries_whole_titles_not_passages():
    raw = json.loads(REGISTER_FILE.read_text(encoding="utf-8"))
    titles = [t["title"] for d in raw["documents"] for t in d["tasks"]]
    # A title is the task's first sentence, whole: never cut to a length ("…" only where the
    # plan's own sentence ends so, after a list: "bệnh viện,…")…
    assert not [t for t in titles if t.endswith("…") and not t.endswith((",…", ";…"))]
    assert max(len(t) for t in titles) > 300
    # …and never more than that sentence: no passage
    assert not [t for t in titles if _SENTENCE_END.search(t)]


def test_loading_again_adds_nothing(loaded):
    counts = (Document.objects.count(), Task.objects.count(), TaskParty.objects.count())
    assert register_load(actor=SYSTEM) == 0
    assert (Document.objects.count(), Task.objects.count(), TaskParty.objects.count()) == counts


def test_a_bad_register_file_loads_nothing(tmp_path):
    raw = json.loads(REGISTER_FILE.read_text(encoding="utf-8"))
    raw["documents"][0]["tasks"][0]["lead"] = [{"text": "Sở Mặt Trăng", "agency": "SO_MAT_TRANG", "group": None}]
    raw["documents"][1]["targets"][0]["comparator"] = "gần bằng"
    bad = tmp_path / "register.json"
    bad.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InvalidData) as caught:
        register_load(actor=SYSTEM, path=bad)
    assert len(caught.value.details) == 2
    assert Document.objects.count() == 0 and Indicator.objects.count() == 0


def test_only_the_programme_loads_the_register():
    # Given the public (no one signed in)
    # When it asks to load the register
    with pytest.raises(NotAllowed) as caught:
        register_load(actor=PUBLIC)
    # Then it is refused in Vietnamese and nothing is loaded
    assert caught.value.message == "Chỉ Tổ giúp việc được nạp danh mục kế hoạch."
    assert (Document.objects.count(), Indicator.objects.count()) == (0, 0)


def test_a_register_read_names_its_reader(loaded):
    # Given the register, public to everyone
    # When the public reads its targets, and a caller names no reader at all
    public = selectors.targets(actor=PUBLIC, document="kh-bcd-cds-2024")
    # Then the public sees every target in force, and the nameless read is refused
    assert public.count() == 12
    with pytest.raises(TypeError):
        selectors.targets(actor=None)


def test_a_dumped_title_is_its_first_sentence_whole():
    long = "Triển khai " + "nền tảng số, " * 40 + "phục vụ người dân"
    assert whole_title(f"  {long}. Mỗi quý một lần báo cáo. ") == long
    meeting = "Tổ chức các phiên họp thường kỳ hoặc đột xuất"
    assert whole_title(f"{meeting};") == meeting


def test_short_keeps_titles_and_cuts_passages():
    assert short("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH") == "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"
    assert short("Tổ chức các phiên họp thường kỳ hoặc đột xuất. Mỗi quý một lần") == (
        "Tổ chức các phiên họp thường kỳ hoặc đột xuất"
    )
    assert len(short("chuyển đổi " * 50)) <= 161


def test_tasks_carry_a_pillar_and_sector_from_their_headings(loaded, client):
    # 000 III.2 is "Nhiệm vụ và giải pháp xây dựng Chính quyền số": its items are government tasks,
    # but for III.2.b, which is about restructuring the agencies' IT infrastructure
    decision = loaded["qd-4216-2020"]
    pillars = dict(decision.tasks.filter(clause__path__startswith="III.2.").values_list("clause__path", "pillar"))
    assert pillars.pop("III.2.b") == "ha_tang_so"
    assert len(pillars) == 9 and set(pillars.values()) == {"chinh_quyen_so"}
    # 004 II.2.2 is the health sector
    health = loaded["kh-ktsxhs-2022"].tasks.filter(clause__path__startswith="II.2.2.")
    assert health.count() == 8 and set(health.values_list("sector", flat=True)) == {"y tế"}
    # and the task list filters by both
    expected = Task.objects.filter(pillar="xa_hoi_so", sector="y tế").count()
    body = client.get("/ke-hoach/nhiem-vu/", {"tru_cot": "xa_hoi_so", "linh_vuc": "y tế"}).content.decode()
    assert expected > 0 and f"{expected} nhiệm vụ" in body
