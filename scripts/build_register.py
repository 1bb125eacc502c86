"""Rebuilds dxtrack/plans/data/register.json from the five seed plans.

This is the review, written down: every seed goes through the same import pipeline a user's
upload does; the decisions a reviewer made (document facts the text leaves blank, the indicator
each target measures) are applied through the same services; then the register is dumped.
Run in a scratch database:  DXTRACK_VAR_DIR=/tmp/reg .venv/bin/python scripts/build_register.py
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxtrack.settings")

# The document facts a reviewer confirms or fills in (the seeds' README states them).
DOCUMENTS = {
    "000": {
        "code": "qd-4216-2020",
        "number": "4216/QĐ-UBND",
        "type": "Quyết định",
        "date": "06/10/2020",
        "issuer": "UBND tỉnh Thanh Hóa",
        "year": 2020,
        "title": "Kế hoạch chuyển đổi số trên địa bàn tỉnh Thanh Hóa đến năm 2025, định hướng đến năm 2030",
    },
    "001": {
        "code": "nq-06-tu-2021",
        "number": "06-NQ/TU",
        "type": "Nghị quyết",
        "date": "10/11/2021",
        "issuer": "Ban Thường vụ Tỉnh ủy Thanh Hóa",
        "year": 2021,
        "title": "Nghị quyết về chuyển đổi số tỉnh Thanh Hóa đến năm 2025, định hướng đến năm 2030",
    },
    "002": {
        "code": "kh-bcd-cds-2024",
        "number": "",
        "type": "Kế hoạch",
        "date": "",
        "issuer": "Ban Chỉ đạo chuyển đổi số tỉnh Thanh Hóa",
        "year": 2024,
        "title": "Kế hoạch hoạt động của Ban Chỉ đạo chuyển đổi số tỉnh Thanh Hóa năm 2024",
    },
    "003": {
        "code": "kh-cmcn4-2020",
        "number": "",
        "type": "Kế hoạch",
        "date": "",
        "issuer": "UBND tỉnh Thanh Hóa",
        "year": 2020,
        "title": "Kế hoạch thực hiện Nghị quyết 50/NQ-CP và Kế hoạch 178-KH/TU về chủ động tham gia cuộc "
        "Cách mạng công nghiệp lần thứ tư",
    },
    "004": {
        "code": "kh-ktsxhs-2022",
        "number": "",
        "type": "Kế hoạch",
        "date": "",
        "issuer": "UBND tỉnh Thanh Hóa",
        "year": 2022,
        "title": "Kế hoạch triển khai phát triển kinh tế số và xã hội số giai đoạn 2022-2025 trên địa bàn tỉnh "
        "Thanh Hóa",
    },
}
YEAR_CONTEXT = {"000": None, "001": 2021, "002": 2024, "003": 2020, "004": 2022}


def main() -> int:
    import django

    django.setup()
    from django.core.management import call_command

    from dxtrack.accounts.access import SYSTEM
    from dxtrack.plans.models import Indicator, ItemKind
    from dxtrack.plans.register import dump_register
    from dxtrack.plans.services import publication, review, uploads

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    catalogue = json.loads((ROOT / "dxtrack/plans/data/indicators.json").read_text(encoding="utf-8"))
    for ind in catalogue["indicators"]:
        Indicator.objects.update_or_create(code=ind["code"], defaults={k: v for k, v in ind.items() if k != "code"})
    links: dict[tuple, list[str]] = {}
    for link in catalogue["targets"]:
        links.setdefault((link["seed"], link["line"], link["value"], link["year"]), []).append(link["indicator"])

    for prefix, facts in DOCUMENTS.items():
        [path] = SEEDS.glob(f"{prefix}_*.txt")
        plan_import = uploads.plan_import_create(
            actor=SYSTEM, data=path.read_bytes(), filename=path.name, year_context=YEAR_CONTEXT[prefix]
        )
        review.import_meta_update(actor=SYSTEM, plan_import=plan_import, data=facts)
        seen: dict[tuple, int] = {}
        for item in plan_import.items.filter(kind=ItemKind.TARGET).order_by("position"):
            p = item.payload
            key = (prefix, item.line, p["value"], p["year"])
            nth = seen[key] = seen.get(key, 0) + 1
            codes = links.get(key, [])
            data = {
                **p,
                "value": str(p["value"]).replace(".", ",") if p["value"] is not None else "",
                "value_max": str(p["value_max"]).replace(".", ",") if p["value_max"] is not None else "",
                "year": str(p["year"] or ""),
                "indicator": codes[nth - 1] if len(codes) >= nth else "",
            }
            review.import_item_update(actor=SYSTEM, item=item, data=data)
        review.import_accept_all(actor=SYSTEM, plan_import=plan_import)
        document = publication.plan_import_publish(actor=SYSTEM, plan_import=plan_import)
        print(
            f"{prefix}: {document.code} — {document.targets.count()} chỉ tiêu, {document.tasks.count()} nhiệm vụ, "
            f"{document.reporting_rules.count()} quy định báo cáo"
        )
    target = ROOT / "dxtrack/plans/data/register.json"
    target.write_text(json.dumps(dump_register(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
