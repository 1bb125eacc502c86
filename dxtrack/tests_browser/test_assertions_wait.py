"""Browser assertions must wait for the page: a bare `assert locator.is_visible()` reads the DOM
once, so it fails whenever the server answers a little slower than usual (CI, stop 12)."""

import re
from pathlib import Path

INSTANT = re.compile(r"assert\s+[^\n]*\.(is_visible|is_hidden|is_checked|is_enabled|is_disabled)\(\)")


def test_no_browser_test_asserts_on_an_instant_read():
    # Given every browser test module
    offenders = []
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        if path.name == Path(__file__).name:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            # Then none asserts on a one-shot read; expect(...) retries until its timeout
            if INSTANT.search(line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []
