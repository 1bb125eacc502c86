"""The demo roles walk the site in Chromium (a Vietnamese browser would hide what an English one
shows, so the browser runs in English): no English on any page, the browser's own messages and
file inputs included; no time in the future; no task title cut short. The API docs render with no
network beyond this server. A mistyped evidence link is explained and costs nothing typed after it."""

import datetime
import re

import pytest
from django.db import OperationalError
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from dxtrack.core.tests import pages
from dxtrack.core.tests.english import english_in_text
from dxtrack.tests_browser.htmx import autosave, fill_and_leave
from dxtrack.tests_browser.offsite import offsite_requests
from dxtrack.tests_browser.session import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I)

# Defects another helper of issue 11 is fixing on their branch; the integrator removes an entry
# once that branch is merged, and the check becomes a plain assertion again.
# In the API docs, Swagger UI shows the schema's own words: JSON types, where a parameter goes, and
# the codes an enum takes (each explained in Vietnamese in its description).
SWAGGER_IDENTIFIERS = ".parameter__type, .parameter__in, .parameter__enum, .prop-type, .prop-format, .prop-enum, select"

# Checks that may report a defect another change fixes, with that defect named; empty now that
# every check of the walk holds.
KNOWN_DEFECTS: dict[str, str] = {}

# What a user reads, as the browser rendered it (after htmx and scripts): text outside identifiers
# (<code>) and the attributes shown or read aloud.
READ_PAGE = """(identifiers) => {
  const skipped = "code, kbd, samp, script, style, template, noscript" + (identifiers ? ", " + identifiers : "");
  const skip = (el) => el.closest(skipped);
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.parentElement || skip(node.parentElement)) continue;
    const text = node.nodeValue.trim();
    if (text) out.push(text);
  }
  const buttons = "input[type=submit], input[type=button], input[type=reset]";
  document.querySelectorAll("[placeholder], [title], [aria-label], img[alt], " + buttons).forEach((el) => {
    if (skip(el)) return;
    for (const name of ["placeholder", "title", "aria-label", "alt"]) {
      if (el.getAttribute(name)) out.push(el.getAttribute(name));
    }
    if (el.matches(buttons) && el.value) out.push(el.value);
  });
  return out;
}"""

# The browser's own texts: the message of every field it would refuse (as it is now, and for a
# required field left empty), and how each file input is shown.
READ_NATIVE = """() => {
  const messages = [];
  document.querySelectorAll("input, select, textarea").forEach((el) => {
    if (!el.willValidate) return;
    if (!el.validity.valid) messages.push(el.validationMessage);
  });
  const files = Array.from(document.querySelectorAll("input[type=file]")).map((el) => {
    const style = getComputedStyle(el);
    return {
      wrapped: !!el.closest("label.file-pick"),
      hidden: style.opacity === "0" || el.getBoundingClientRect().width <= 1,
    };
  });
  return {messages, files};
}"""


# The three reads of a walked page in one round trip to the browser (about 90 pages): the page's
# texts, its texts outside the clause outline, and the browser's own messages and file inputs.
READ_WALKED = (
    "(identifiers) => { const read = "
    + READ_PAGE
    + "; const native = "
    + READ_NATIVE
    + '; return {texts: read(identifiers), outline: read("ul.tree"), native: native()}; }'
)


@pytest.fixture
def page(browser, live_server):
    """A browser set to English (its own messages and controls in English unless the page says
    otherwise), at a phone's width like the other browser tests."""
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _main_pages(user) -> list[str]:
    """The site's pages for this user, the admin's home among the admin's pages (the API docs are
    read by their own test below, unfolded)."""
    return [
        u
        for u in pages.page_urls(user)
        if (not u.startswith("/quan-tri/") or u == "/quan-tri/") and not u.startswith("/api/docs")
    ]


def _truncated(texts, titles) -> list[str]:
    """Texts that end in an ellipsis where a task's title goes on: a title cut short."""
    found = []
    for text in texts:
        if not text.endswith(("…", "...")):
            continue
        if any(t.rstrip().endswith(text[-40:]) for t in titles):
            continue  # a whole title whose plan ends it with "…" (an open list), not a title cut short
        shown = text.rstrip(".…").rstrip()[-40:]
        if len(shown) >= 10 and any(shown in t and not t.rstrip().endswith(shown) for t in titles):
            found.append(text[-80:])
    return found


def test_every_role_reads_only_vietnamese(page, live_server, reference_data):
    # Given the demo world, and a browser whose own language is English
    from dxtrack.accounts.models import User
    from dxtrack.plans.models import Task

    pages.demo_world()
    titles = list(Task.objects.values_list("title", flat=True))
    english, native, files, future, truncated, failed = [], [], [], [], [], []
    external = offsite_requests(page.context, live_server)
    # Every script the policy (Content-Security-Policy) refused, as the browser reports it.
    refused = []
    page.on(
        "console",
        lambda msg: refused.append(f"{page.url}: {msg.text[:160]}") if "Content Security Policy" in msg.text else None,
    )
    # Each page is read in the browser once, as the first role (the most privileged first) that
    # can open it: what each role's own answer says is read for every role, from the server's
    # HTML, by core/tests/test_every_page.py; what only a browser shows (scripts' and htmx's
    # texts, its own messages, the policy's refusals, file inputs) comes from the templates.
    walked = set()
    for username in pages.ROLES:
        user = User.objects.get(username=username) if username else None
        who = username or "khách"
        sign_in(page, live_server, user)
        # When each walks the site's pages not yet walked by another
        for url in _main_pages(user):
            if url in walked:
                continue
            try:
                response = page.goto(f"{live_server.url}{url}")
            except PlaywrightError as exc:  # an answer without a page: Chromium shows its own, in English
                failed.append(f"{who} {url}: {exc.message.splitlines()[0]}")
                continue
            if response is None or response.status >= 500:
                failed.append(f"{who} {url}: {response.status if response else 'không tải được'}")
                continue
            if "text/html" not in (response.headers.get("content-type") or ""):
                continue
            walked.add(url)
            read = page.evaluate(READ_WALKED, "")
            texts, state = read["texts"], read["native"]
            now = datetime.datetime.now(pages.HCM)
            english += [f"{who} {url}: {w} «{t[:80]}»" for t in texts for w in english_in_text(t)]
            native += [
                f"{who} {url}: «{m}»" for m in state["messages"] if english_in_text(m) or not VIETNAMESE.search(m)
            ]
            files += [f"{who} {url}: {f}" for f in state["files"] if not (f["wrapped"] and f["hidden"])]
            # The schedule page says when each job runs next: a time to come by its nature.
            if url not in pages.FUTURE_BY_NATURE:
                future += [f"{who} {url}: {s}" for s in pages.future_stamps(texts, now)]
            # The clause outline (ul.tree) shows each clause's heading as the register keeps it, its
            # first 120 characters (facts, not the plan's prose), linked to the clause's page where
            # its tasks' titles stand whole; it is a table of contents, not a task title.
            truncated += [f"{who} {url}: {s}" for s in _truncated(read["outline"], titles)]
    # Then every page loads, from this server only, and reads in Vietnamese
    assert failed == []
    assert external == []
    # and nothing on them needed what the security policy refuses
    assert refused == []
    # and the browser's own messages for the fields it checks are ours, in Vietnamese
    messages = page.evaluate(READ_NATIVE)["messages"]
    assert [m for m in messages if english_in_text(m) or not VIETNAMESE.search(m)] == []
    assert english == []
    # the browser's own messages for the fields it checks are ours, in Vietnamese
    assert native == []
    # and no native file input ("Choose File") is shown: each is inside our picker
    assert files == []
    # and no time is later than now, no title is cut short
    known = []
    for key, found in (("future", future), ("truncated", truncated)):
        if found and key in KNOWN_DEFECTS:
            known.append(f"{KNOWN_DEFECTS[key]} — {len(found)}, ví dụ {found[:3]}")
        else:
            assert found == [], key
    if known:
        pytest.xfail("; ".join(known))


def test_the_api_docs_render_in_vietnamese_with_no_network(page, live_server, reference_data):
    # Given a browser that may reach nothing but this server
    external = offsite_requests(page.context, live_server)
    refused = []
    page.on("console", lambda msg: refused.append(msg.text[:160]) if "Content Security Policy" in msg.text else None)
    # When the API docs are opened and an operation is unfolded
    page.goto(f"{live_server.url}/api/docs")
    operation = page.locator(".opblock").first
    operation.locator(".opblock-summary").click()
    page.locator(".try-out__btn").first.wait_for()
    # Then they render, Swagger UI's own labels in Vietnamese, and nothing was fetched elsewhere
    expect(page.locator(".opblock-tag").first).to_contain_text("Báo cáo định kỳ")
    expect(page.locator(".try-out__btn").first).to_have_text("Thử gọi")
    expect(page.get_by_role("heading", name="Tham số").first).to_be_visible()
    texts = page.evaluate(READ_PAGE, SWAGGER_IDENTIFIERS)
    assert [f"{w} «{t[:80]}»" for t in texts for w in english_in_text(t)] == []
    assert external == []
    # and nothing on them needed what the security policy refuses
    assert refused == []
    # and the browser's own messages for the fields it checks are ours, in Vietnamese
    messages = page.evaluate(READ_NATIVE)["messages"]
    assert [m for m in messages if english_in_text(m) or not VIETNAMESE.search(m)] == []


def test_a_mistyped_evidence_link_is_explained_and_the_note_after_it_is_kept(
    page, live_server, reference_data, calendar_2025
):
    # Given a commune reporter on her report's form
    from dxtrack.accounts.models import Role
    from dxtrack.accounts.tests.factories import UserFactory
    from dxtrack.obligations.models import Obligation
    from dxtrack.org.tests.factories import current_commune
    from dxtrack.reports.models import TaskUpdate
    from dxtrack.reports.services.opening import report_open

    unit = current_commune("14758")
    reporter = UserFactory(username="canbo", role=Role.REPORTER, admin_unit=unit, agency=None)
    obligation = Obligation.objects.get(
        admin_unit=unit, period__label="Quý III/2025", rule__document__code="kh-bcd-cds-2024"
    )
    report = report_open(actor=reporter, obligation=obligation)
    sign_in(page, live_server, reporter)
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    row = page.locator("article.trow").filter(has=page.locator(".badge.role-lead")).first
    row_id = row.get_attribute("id")
    task_id = int(row_id.removeprefix("nv-"))
    # When she types a link without its scheme, then a note, and leaves the note
    link = row.get_by_label("Đường dẫn minh chứng")
    link.fill("www.thanhhoa.gov.vn/bien ban.pdf")
    note = "Đã gửi biên bản nghiệm thu cho Sở KH&CN."
    autosave(page, row, lambda: fill_and_leave(row.get_by_label("Ghi chú"), note), url=f"/nhiem-vu/{task_id}/")
    # Then the row was sent and answered: the message sits beside the link, the link as she typed it
    row = page.locator(f"#{row_id}")
    expect(row.locator(f"#{row_id}-evidence_url-msg")).to_have_text(
        "Chưa lưu đường dẫn: Đường dẫn minh chứng phải bắt đầu bằng http:// hoặc https://, "
        "ví dụ https://example.gov.vn/tai-lieu."
    )
    expect(row.get_by_label("Đường dẫn minh chứng")).to_have_value("www.thanhhoa.gov.vn/bien ban.pdf")
    expect(row.get_by_label("Đường dẫn minh chứng")).to_have_attribute("aria-invalid", "true")
    # and her note is kept on the page and saved
    expect(row.get_by_label("Ghi chú")).to_have_value(note)
    expect(row.locator(".save-status")).to_contain_text("Đã lưu lúc")
    # (leaving the link already sent the row once, before the note was typed: the note typed
    # meanwhile is carried over the re-render and sent in turn, so wait for that second save)
    saved = None
    for _ in range(50):
        try:
            saved = (
                TaskUpdate.objects.filter(report=report, task_id=task_id).values_list("note", "evidence_url").first()
            )
        except OperationalError as error:
            # On SQLite the live server's thread shares this in-memory database; a read that meets
            # its write in progress is refused ("database table is locked"): read again after it.
            if "locked" not in str(error):
                raise
        if saved and saved[0] == note:
            break
        page.wait_for_timeout(100)
    assert saved == (note, "")
    # (the second save is in the database before its answer reaches the page: wait until that
    # answer is swapped in, or the correction below is typed into a row being replaced — half into
    # the old input, half into the new one)
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    # When she corrects the link, it is saved and the message goes
    link, corrected = row.get_by_label("Đường dẫn minh chứng"), "https://thanhhoa.gov.vn/bien-ban.pdf"
    autosave(page, row, lambda: fill_and_leave(link, corrected), url=f"/nhiem-vu/{task_id}/")
    expect(page.locator(f"#{row_id}-evidence_url-msg")).to_have_text("")
    update = TaskUpdate.objects.get(report=report, task_id=task_id)
    assert (update.note, update.evidence_url) == (note, "https://thanhhoa.gov.vn/bien-ban.pdf")
