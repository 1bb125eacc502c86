"""The requests a page makes to any server but the test's own."""


def offsite_requests(context, live_server) -> list[str]:
    """Records (not blocks) every request of `context` to another server, from the browser's own
    request events. Not by routing every request through Playwright: routing turns the browser's
    HTTP cache off (Playwright's documented behaviour), and each page then fetched its style sheet
    and scripts again, as no user's browser does: most of a walk's time went there. A request to
    elsewhere is still seen, and with no network here it fails as it would have been aborted."""
    own = live_server.url + "/"
    found: list[str] = []
    context.on("request", lambda request: None if request.url.startswith(own) else found.append(request.url))
    return found
