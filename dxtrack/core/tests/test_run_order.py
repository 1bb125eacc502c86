"""The order the suite's tests start in (dxtrack/conftest.py: run_order)."""

from dataclasses import dataclass

from dxtrack.conftest import run_order


@dataclass
class _Item:
    name: str
    marks: tuple[str, ...] = ()

    def get_closest_marker(self, name):
        return name if name in self.marks else None


def test_long_tests_start_first_and_committing_and_browser_tests_last():
    # Given tests of each kind, in the order they were collected
    items = [
        _Item("browser", ("browser",)),
        _Item("flushes", ("flushes",)),
        _Item("plain"),
        _Item("long browser", ("browser", "long")),
        _Item("long flushes", ("flushes", "long")),
        _Item("long", ("long",)),
        _Item("plain again"),
    ]
    # When they are put in run order
    ordered = [item.name for item in sorted(items, key=run_order)]
    # Then the long ones start first (the committing one after the other; a browser test stays
    # with the browser's, which share one browser), the committing ones follow the rest, and the
    # browser's end the run; each kind keeps the order it was collected in
    assert ordered == ["long", "long flushes", "plain", "plain again", "flushes", "browser", "long browser"]
