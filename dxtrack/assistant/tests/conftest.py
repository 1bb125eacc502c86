# The demo world (register, 2024–2025 calendars, the demo's reports as on 30/11/2025, progress
# recomputed) is built once per session by the publishing tests' fixture; reused here by name.
from dxtrack.publishing.tests.conftest import demo_world, demo_world_rows  # noqa: F401
