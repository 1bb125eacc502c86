"""The walks' check for requests to other servers sees them (it records from the browser's events
and no longer blocks them, so that the browser's cache works)."""

import pytest

from dxtrack.tests_browser.offsite import offsite_requests

pytestmark = [pytest.mark.browser]


def test_a_script_and_an_image_from_elsewhere_are_recorded_and_this_servers_are_not(page, live_server):
    # Given the requests of a browser recorded
    found = offsite_requests(page.context, live_server)
    # When a page of this server loads its own style sheet, a script and an image from elsewhere
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.set_content(
        f'<link rel="stylesheet" href="{live_server.url}/static/css/site.css">'
        '<script src="https://cdn.example.invalid/a.js"></script><img src="http://example.invalid/x.png">'
    )
    # Then the two from elsewhere are recorded, and nothing of this server
    assert sorted(found) == ["http://example.invalid/x.png", "https://cdn.example.invalid/a.js"]
