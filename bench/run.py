"""`make bench`: runs every benchmark and writes bench/results.json (name → value, unit, ratio).

Each benchmark reports the median of repeated runs, measured here, on this machine; nothing is
estimated. docs/benchmarks.md explains the figures.
"""

import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results.json"
ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


def _median_seconds(fn, repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def bench_extract_largest_seed(results: dict) -> None:
    """Plan extraction of the largest seed, from bytes to the JSON the CLI prints."""
    from dxtrack.org.resolver import NameResolver
    from dxtrack.plans.extract import extract
    from dxtrack.plans.extract.readers import read_upload

    if not SEEDS.exists():
        print("bench: ../shared/seeds not found; skipping plan extraction")
        return
    largest = max(SEEDS.glob("00*.txt"), key=lambda p: p.stat().st_size)
    data = largest.read_bytes()
    resolver = NameResolver.from_db()

    def run():
        document = extract(read_upload(data, largest.name), resolver=resolver)
        json.dumps(document.to_json(), ensure_ascii=False, default=str)

    run()  # warm caches (regexes, resolver index)
    median, times = _median_seconds(run, 7)
    results["plan_extract_largest_seed"] = {
        "value": round(median * 1000, 1),
        "unit": "ms",
        "detail": f"{largest.name}, {len(data):,} bytes; median of {len(times)} runs; "
        f"min {min(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms",
    }


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxtrack.settings")
    os.environ.setdefault("DXTRACK_VAR_DIR", str(ROOT / "var" / "bench"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    results: dict[str, dict] = {}
    bench_extract_largest_seed(results)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": f"{platform.platform()}, {os.cpu_count()} cores",
                "python": sys.version.split()[0],
                "results": results,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )
    for name, figure in results.items():
        print(f"bench: {name} = {figure['value']} {figure['unit']} ({figure['detail']})")
    print(f"bench: wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
