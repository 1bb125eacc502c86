"""Waiting for an autosaving row (htmx) to be saved and re-rendered, for the browser tests."""

# Stamps each element htmx has settled: its settle step (htmx.config.defaultSettleDelay, 20 ms
# after the swap) is when htmx attaches the new element's own triggers.
_STAMP_SETTLED = """() => {
  if (window.__dxtrackStampsSettled) return;
  window.__dxtrackStampsSettled = true;
  document.addEventListener("htmx:afterSettle", (e) => {
    if (e.target instanceof Element) e.target.setAttribute("data-settled", "");
  });
}"""


def autosave(page, row, action, *, url: str) -> None:
    """Runs `action` (which changes a field of `row`, an element with an id) and returns once htmx
    has answered the POST to a URL containing `url`, swapped in the re-rendered row and settled
    it. The old element is marked stale; the new one has the same id and is stamped when settled.
    Returning at the swap alone was not enough: a field changed in the 20 ms before the settle had
    no trigger yet, and its change was never sent (a test that then waited for that save failed
    now and then, more often on a busy machine)."""
    row_id = row.get_attribute("id")
    page.evaluate(_STAMP_SETTLED)
    row.evaluate("el => el.setAttribute('data-stale', '')")
    with page.expect_response(lambda r: r.request.method == "POST" and url in r.url):
        action()
    page.locator(f"#{row_id}[data-settled]:not([data-stale])").wait_for()


def fill_and_leave(field, text: str) -> None:
    """Types `text` into `field` and leaves it (Tab), as a person does: the change that saves."""
    field.fill(text)
    field.press("Tab")
