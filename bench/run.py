"""`make bench`: runs every benchmark and writes bench/results.json (name → value, unit, ratio)."""

import json
import platform
import sys
from pathlib import Path

RESULTS = Path(__file__).parent / "results.json"


def main() -> int:
    results: dict[str, dict] = {}
    # Benchmarks arrive with the issues that name speed targets (plan extraction, API import,
    # calendar, scorecards, report generation); none is defined yet.
    RESULTS.write_text(
        json.dumps(
            {"machine": platform.platform(), "python": sys.version.split()[0], "results": results},
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )
    print(f"bench: no benchmarks defined yet; wrote an empty {RESULTS.relative_to(Path.cwd())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
