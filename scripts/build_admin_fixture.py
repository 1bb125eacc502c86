"""Rebuilds dxtrack/org/data/admin-units-2025/ from ../shared/data/admin-units-2025/.

Run by hand when the shared reference data changes; the project loads the files it writes.
Keeps Thanh Hóa's former units and their 1/7/2025 change records, and every province's
level-1 merge list (to date the 34 current provinces).
"""

import csv
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "data" / "admin-units-2025"
TARGET = ROOT / "dxtrack" / "org" / "data" / "admin-units-2025"
PROVINCE = "38"


def main() -> int:
    merges = json.loads((SOURCE / "merges.json").read_text(encoding="utf-8"))["data"]
    TARGET.mkdir(parents=True, exist_ok=True)
    shutil.copy(SOURCE / "LICENSE", TARGET / "LICENSE")
    shutil.copy(SOURCE / "thanhhoa-before-2025-07.csv", TARGET / "thanhhoa-before-2025-07.csv")

    with (TARGET / "provinces-2025-07.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["province_code", "province", "old_code", "old_name", "share"])
        for province in merges:
            for old in province["merges"]:
                writer.writerow([province["level1_id"], province["name"], old["old_id"], old["name"], old["type"]])

    [province] = [p for p in merges if p["level1_id"] == PROVINCE]
    with (TARGET / "thanhhoa-changes-2025-07.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["new_code", "new_name", "old_code", "old_name", "share"])
        for unit in province["level2s"]:
            for old in unit["merges"]:
                writer.writerow([unit["level2_id"], unit["name"], old["old_id"], old["name"], old["type"]])
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
