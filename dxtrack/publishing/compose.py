"""The Vietnamese text of each part of a periodic report, written from its facts (`facts.gather`),
never from the seeds' wording; the secretariat edits that text before issuing."""

import datetime
import re

from django.conf import settings

from dxtrack.analytics import progress as p
from dxtrack.analytics import selectors as dashboard
from dxtrack.analytics.models import Scorecard
from dxtrack.core.dates import format_vn_date
from dxtrack.core.numbers import PERCENT, format_number
from dxtrack.obligations.calendar import PeriodBounds, bounds_sentence, periods

from .facts import PROGRAMME, UNITS_NAMED

# ---- the generated text --------------------------------------------------------------------------

SECTION_TITLES = {
    "intro": "Mở đầu",
    "overview": "1. Tình hình chung",
    "pillars": "2. Kết quả theo trụ cột",
    "targets": "3. Các chỉ tiêu",
    "tasks": "4. Các nhiệm vụ",
    "reporting": "5. Công tác báo cáo của các đơn vị",
    "difficulties": "II. KHÓ KHĂN, VƯỚNG MẮC",
    "proposals": "III. ĐỀ XUẤT, KIẾN NGHỊ",
    "next": "IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI",
    "recipients": "Nơi nhận",
    "sign_authority": "Thẩm quyền ký (TM./KT.)",
    "sign_title": "Chức vụ người ký",
    "sign_name": "Họ và tên người ký",
}
TEXT_SECTIONS = ["intro", "overview", "pillars", "targets", "tasks", "reporting", "difficulties", "proposals", "next"]


def issuer() -> dict:
    """The issuing body as the header block writes it; settings may name another one."""
    province = settings.DXTRACK_PROVINCE_NAME
    return {
        "parent": getattr(settings, "DXTRACK_REPORT_ISSUER_PARENT", f"UBND TỈNH {province.upper()}"),
        "name": getattr(settings, "DXTRACK_REPORT_ISSUER", "TỔ GIÚP VIỆC BAN CHỈ ĐẠO\nCHUYỂN ĐỔI SỐ TỈNH"),
        # The same body as a sentence names it.
        "name_text": getattr(settings, "DXTRACK_REPORT_ISSUER_TEXT", "Tổ giúp việc Ban Chỉ đạo chuyển đổi số tỉnh"),
        "symbol": getattr(settings, "DXTRACK_REPORT_SYMBOL", "TGV"),
        "place": getattr(settings, "DXTRACK_REPORT_PLACE", province),
    }


def period_words(facts: dict) -> str:
    """'quý III năm 2026', '6 tháng đầu năm 2026', 'năm 2026'."""
    label = facts["period"]["label"]
    match = re.match(r"Quý ([IV]+)/(\d{4})", label)
    if match:
        return f"quý {match.group(1)} năm {match.group(2)}"
    return label[:1].lower() + label[1:]


def period_bounds(facts: dict) -> str:
    """The report's kỳ báo cáo and kỳ số liệu in one sentence (reporting.calendar's names).
    Facts gathered before they carried the data window take it from the calendar."""
    fact = facts["period"]
    day = datetime.date.fromisoformat
    start, end = day(fact["start"]), day(fact["end"])
    if "data_from" in fact:
        data_from, data_to = day(fact["data_from"]), day(fact["data_to"])
    else:
        spec = next(s for s in periods(fact["type"], start.year) if s.start == start)
        data_from, data_to = spec.data_from, spec.data_to
    return bounds_sentence(PeriodBounds(fact["label"], start, end, data_from, data_to))


def title_of(facts: dict) -> str:
    """The summary line under "BÁO CÁO"."""
    words = f"Kết quả thực hiện chuyển đổi số {period_words(facts)}"
    if facts["scope"]["kind"] == PROGRAMME:
        return words
    return f"{words} — {facts['scope']['label']}"


def _share(n: int, total: int) -> str:
    return f"{n} ({format_number(100 * n / total, PERCENT, show_unit=True)})" if total else str(n)


def _status_phrase(counts: dict) -> str:
    parts = [f"{counts[s]} {dashboard.status_label(s).lower()}" for s in dashboard.STATUSES if counts.get(s)]
    return ", ".join(parts)


def _overview(facts: dict) -> str:
    counts, total = facts["counts"], len(facts["targets"])
    # The whole programme is the province's: named as its scorecard is ("Toàn tỉnh").
    province = str(dict(Scorecard.KINDS)["province"])
    where = province if facts["scope"]["kind"] == PROGRAMME else facts["scope"]["label"]
    at = format_vn_date(datetime.date.fromisoformat(facts["at"]))
    if not total:
        first = f"{where} chưa có chỉ tiêu nào được theo dõi tiến độ."
    else:
        first = f"{where} có {total} chỉ tiêu được theo dõi tiến độ: {_status_phrase(counts)}."
        risky = sum(counts.get(s, 0) for s in dashboard.AT_RISK)
        if risky:
            first += (
                f" Số chỉ tiêu cần tập trung chỉ đạo (đi lùi, chậm tiến độ, cần đẩy nhanh) là {_share(risky, total)}."
            )
    tasks, tc = facts["tasks"], facts["task_counts"]
    second = (
        f"Về nhiệm vụ, có {len(tasks)} nhiệm vụ: "
        + ", ".join(f"{tc[s]} {p.TASK_LABELS[s].lower()}" for s in dashboard.TASK_STATES if tc.get(s))
        + "."
        if tasks
        else "Chưa có nhiệm vụ nào thuộc phạm vi báo cáo."
    )
    return "\n".join(
        [
            first,
            second,
            f"{period_bounds(facts)} Số liệu tổng hợp đến ngày {at} từ các báo cáo đã được duyệt "
            "của các cơ quan, đơn vị.",
        ]
    )


def _pillar_text(facts: dict) -> str:
    lines = []
    for group in facts["pillars"]:
        counts, total = group["counts"], group["total"]
        achieved = counts.get(p.ACHIEVED, 0) + counts.get(p.ON_TRACK, 0)
        line = f"- {group['label']}: {total} chỉ tiêu, trong đó {_status_phrase(counts)}."
        if total:
            share = format_number(100 * achieved / total, PERCENT, show_unit=True)
            line += f" Tỷ lệ chỉ tiêu đã đạt hoặc đúng tiến độ: {share}."
        lines.append(line)
    return "\n".join(lines) or "Chưa có chỉ tiêu nào được xếp theo trụ cột."


def _targets_text(facts: dict) -> str:
    targets = facts["targets"]
    if not targets:
        return "Không có chỉ tiêu nào thuộc phạm vi báo cáo."
    # One line per indicator: its milestones are separate targets with the same label.
    worst, seen = [], set()
    for t in targets:
        if t["status"] in (p.REGRESSING, p.MISSED, p.OFF_TRACK) and t["label"] not in seen and len(worst) < 5:
            worst.append(t)
            seen.add(t["label"])
    lines = [
        f"Chi tiết {len(targets)} chỉ tiêu (giá trị mới nhất, mốc kế hoạch, tình trạng và dự báo đến năm mục tiêu) "
        "tại Phụ lục I kèm theo báo cáo này."
    ]
    if worst:
        lines.append("Các chỉ tiêu đi lùi, không đạt hoặc chậm tiến độ cần lưu ý:")
        # A missed milestone is past: it has no projection to state.
        lines += [
            f"- {t['label']}: đạt {t['latest']}, mốc {t['milestone']}"
            + (f", dự báo {t['projection']}." if t.get("projected") is not None else f": {t['status_label'].lower()}.")
            for t in worst
        ]
    return "\n".join(lines)


def _tasks_text(facts: dict) -> str:
    tasks, tc = facts["tasks"], facts["task_counts"]
    if not tasks:
        return "Không có nhiệm vụ nào thuộc phạm vi báo cáo."
    line = (
        f"Trong {len(tasks)} nhiệm vụ, {_share(tc.get(p.DONE, 0), len(tasks))} đã hoàn thành; "
        f"{tc.get(p.OVERDUE, 0)} nhiệm vụ quá hạn chưa hoàn thành; {tc.get(p.NOT_STARTED, 0)} nhiệm vụ chưa triển khai."
    )
    return line + "\nTình trạng từng nhiệm vụ tại Phụ lục II kèm theo báo cáo này."


def _reporting_text(facts: dict) -> str:
    r = facts["reporting"]
    total, late = r["total"], r["late"]
    if not total["expected"]:
        return f"Trong {facts['period']['label']} không có đơn vị nào phải gửi báo cáo thuộc phạm vi này."
    missing = sum(1 for x in late if x["status"] != "late_submitted")
    rate = format_number(total["reporting_rate"], PERCENT, show_unit=True)
    on_time = format_number(total["on_time_rate"], PERCENT, show_unit=True)
    lines = [
        f"Kỳ {facts['period']['label']} có {total['expected']} báo cáo phải gửi; đã gửi {total['reported']} "
        f"(đạt {rate}), trong đó {total['on_time']} báo cáo gửi đúng hạn (đạt {on_time})."
    ]
    if late:
        lines.append(
            f"Còn {missing} đơn vị chưa gửi báo cáo và {len(late) - missing} đơn vị gửi muộn "
            "(danh sách tại Phụ lục III)."
        )
    return "\n".join(lines)


def _named(units: list[str]) -> str:
    if len(units) <= UNITS_NAMED:
        return ", ".join(units)
    return ", ".join(units[:UNITS_NAMED]) + f" và {len(units) - UNITS_NAMED} đơn vị khác"


def _narrative_text(items: list[dict], empty: str) -> str:
    if not items:
        return empty
    return "\n".join(f"- {i['text']} ({_named(i['units'])})" for i in items)


def _next_text(facts: dict) -> str:
    counts, tc = facts["counts"], facts["task_counts"]
    lines = []
    risky = sum(counts.get(s, 0) for s in dashboard.AT_RISK)
    if risky:
        lines.append(
            f"- Tập trung chỉ đạo, đẩy nhanh tiến độ {risky} chỉ tiêu đi lùi, chậm tiến độ hoặc cần đẩy nhanh."
        )
    if tc.get(p.OVERDUE):
        lines.append(f"- Đôn đốc hoàn thành {tc[p.OVERDUE]} nhiệm vụ đã quá hạn.")
    if tc.get(p.NOT_STARTED):
        lines.append(f"- Triển khai {tc[p.NOT_STARTED]} nhiệm vụ chưa triển khai.")
    missing = sum(1 for x in facts["reporting"]["late"] if x["status"] != "late_submitted")
    if missing:
        lines.append(f"- Nhắc {missing} đơn vị chưa gửi báo cáo hoàn thành báo cáo kỳ {facts['period']['label']}.")
    lines.append("- Tiếp tục cập nhật số liệu, bảo đảm báo cáo đúng hạn, đầy đủ, chính xác.")
    return "\n".join(lines)


def sections(facts: dict) -> dict[str, str]:
    """The editable text of every part, written from the facts."""
    who = issuer()
    scope = facts["scope"]["label"]
    return {
        "intro": (
            f"{who['name_text']} báo cáo kết quả thực hiện {period_words(facts)} "
            f"của {scope[:1].lower()}{scope[1:]} như sau:"
        ),
        "overview": _overview(facts),
        "pillars": _pillar_text(facts),
        "targets": _targets_text(facts),
        "tasks": _tasks_text(facts),
        "reporting": _reporting_text(facts),
        "difficulties": _narrative_text(
            facts["narratives"]["difficulties"], "Các đơn vị không báo cáo khó khăn, vướng mắc trong kỳ."
        ),
        "proposals": _narrative_text(
            facts["narratives"]["proposals"], "Các đơn vị không có đề xuất, kiến nghị trong kỳ."
        ),
        "next": _next_text(facts),
        "recipients": "\n".join(
            [
                "- Ban Chỉ đạo chuyển đổi số tỉnh (để b/c);",
                f"- UBND tỉnh {settings.DXTRACK_PROVINCE_NAME} (để b/c);",
                "- Các sở, ban, ngành cấp tỉnh;",
                "- UBND các xã, phường;",
                f"- Lưu: VT, {who['symbol']}.",
            ]
        ),
        "sign_authority": "TM. TỔ GIÚP VIỆC",
        "sign_title": "TỔ TRƯỞNG",
        "sign_name": "",
    }


def summary_of(facts: dict) -> str:
    """One line for the list of reports."""
    total = len(facts["targets"])
    counts = facts["counts"]
    r = facts["reporting"]["total"]
    return (
        f"{total} chỉ tiêu ({counts.get(p.ACHIEVED, 0)} đã đạt, {counts.get(p.ON_TRACK, 0)} đúng tiến độ); "
        f"{len(facts['tasks'])} nhiệm vụ; báo cáo đã gửi {r['reported']}/{r['expected']}."
    )
