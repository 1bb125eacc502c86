# The report fixtures (a commune's obligation, its people) are the reports layer's: shared here.
from dxtrack.reports.tests.conftest import obligation, people  # noqa: F401
