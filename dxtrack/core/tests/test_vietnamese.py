"""Vietnamese everywhere: every page, as every role, shows none of the English that leaked or that
Django and the browser show by default; the catalogue that translates Django's own texts is
complete and compiled."""

import gettext
import re
from pathlib import Path

import django
import pytest
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation

from dxtrack.core.tests.english import english_in, english_in_text, visible_texts
from dxtrack.plans import labels
from dxtrack.plans.models import PeriodType, Recurrence

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "vi" / "LC_MESSAGES"
DJANGO = Path(django.__file__).parent


# ---- the scanner itself --------------------------------------------------------------------------


def test_the_scanner_reads_text_and_the_attributes_a_user_sees():
    html = """<html><head><title>Select an option</title><style>.Save{}</style></head><body>
      <script>var Submit = 1;</script>
      <p>Kỳ: quarterly, hạn 15 of last month of quarter</p>
      <input type="text" placeholder="Search"><input type="submit" value="Save">
      <input type="hidden" name="x" value="None"><a title="Next" aria-label="Previous">›</a>
      <img alt="True"><code>quarterly</code><input type="file" name="f">
      <label class="file-pick"><input type="file" name="g"><span>Chọn tệp</span></label></body></html>"""
    found = [hit.split()[0] for hit in english_in(html)]
    assert found == [
        "quarterly",
        "of",  # "of last month" and "of quarter" are matched as the longest phrases first
        "of",
        "Search",
        "Save",
        "Next",
        "Previous",
        "True",
        "Choose",
    ]


def test_the_scanner_never_matches_vietnamese():
    text = "Đã lưu lúc 21:05 · Trang 2/5 · Tiếp · Chọn tệp · Sở Tài chính · Phường Hàm Rồng · UBND tỉnh"
    assert english_in_text(text) == []
    texts, bare = visible_texts("<p>Tỷ lệ: 81,25%</p>")
    assert (texts, bare) == (["Tỷ lệ: 81,25%"], 0)


# ---- the codes a plan's schedule is stored as ----------------------------------------------------


@pytest.mark.parametrize("code", [*Recurrence.values, *PeriodType.values, "monthly"])
def test_every_schedule_code_has_a_vietnamese_label(code):
    label = labels.schedule_label(code)
    assert label != code and english_in_text(label) == []


@pytest.mark.parametrize(
    ("rule", "label"),
    [
        ("15 of last month of quarter", "ngày 15 tháng cuối quý"),
        ("10 of first month of next quarter", "ngày 10 tháng đầu quý sau"),
        ("5 of each month", "ngày 5 hằng tháng"),
        ("30/6", "30/6"),
        ("15/12/2025", "15/12/2025"),
    ],
)
def test_due_rules_read_in_vietnamese(rule, label):
    assert labels.due_label(rule) == label


def test_the_bundled_register_schedules_all_read_in_vietnamese():
    import json

    register = json.loads((Path(labels.__file__).parent / "data" / "register.json").read_text(encoding="utf-8"))
    texts = []

    def walk(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif key in ("recurrence", "period_type", "when") and node:
            texts.append(labels.schedule_label(node))
        elif key == "due" and isinstance(node, str):
            texts.append(labels.due_label(node))

    walk(register)
    assert texts
    assert [t for t in texts if english_in_text(t)] == []


# ---- Django's own texts --------------------------------------------------------------------------

# Texts of Django's catalogues no page of the project can show (language names, Django's welcome
# page, CSRF details shown only with DEBUG) or that read the same in Vietnamese.
NOT_SHOWN = re.compile(
    r"^(?:[A-Z][a-z]+(?: [A-Z][a-z]+)*(?: \(.*\))?|Norwegian Bokmål|Django.*|.*docs\.djangoproject.*|"
    r"Tutorial: A Polling App|Get started with Django|Topics, references.*|Connect, get help.*|"
    r"The install worked.*|\{\}(?:st|nd|rd|th)|%\(delta\)s.*)$"
)
SAME_IN_VIETNAMESE = {
    ", ",
    "…",
    ":?.!",
    ":",
    "IPv4",
    "IPv6",
    "%(truncated_text)s…",
    "%(class_name)s %(instance)s",
    "%(size)d byte",
    "%s KB",
    "%s MB",
    "%s GB",
    "%s TB",
    "%s PB",
}


def _msgids(po: Path):
    text = po.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        ctx = re.search(r'^msgctxt "(.*)"$', block, re.M)
        mid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not mid:
            continue
        msgid = "".join(re.findall(r'"(.*)"', mid.group(1))).encode().decode("unicode_escape").encode("latin-1")
        msgid = msgid.decode("utf-8")
        if msgid:
            yield (ctx.group(1) if ctx else None), msgid, "msgid_plural" in block


@pytest.mark.parametrize(
    ("catalogue", "domain"),
    [
        ("contrib/admin", "django"),
        ("contrib/admin", "djangojs"),
        ("contrib/auth", "django"),
        ("contrib/contenttypes", "django"),
        ("contrib/sessions", "django"),
        ("conf", "django"),
    ],
)
def test_every_text_of_django_that_a_page_can_show_is_in_vietnamese(catalogue, domain):
    # Django's English catalogue lists every text of this version; each must read in Vietnamese
    # (Django's own catalogue, or the project's for what it lacks).
    vi = DjangoTranslation("vi", domain=domain)
    untranslated = []
    for ctx, msgid, plural in _msgids(DJANGO / catalogue / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"):
        if msgid in SAME_IN_VIETNAMESE or (catalogue == "conf" and NOT_SHOWN.match(msgid)):
            continue
        key = f"{ctx}\x04{msgid}" if ctx else msgid
        found = vi._catalog.get((key, 0) if plural else key)
        if found is None or found == msgid:
            untranslated.append(msgid)
    assert untranslated == []


def test_the_widgets_texts_are_in_vietnamese():
    from django.db.models.fields import BLANK_CHOICE_LABEL

    with translation.override("vi"):
        assert str(BLANK_CHOICE_LABEL) == "— Chọn —"
        assert translation.gettext("Skip to main content") == "Bỏ qua, đến nội dung chính"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_committed_catalogue_is_compiled_from_its_source(domain):
    # The .mo is committed (no GNU gettext needed on a fresh machine); it must say what the .po says.
    with open(LOCALE / f"{domain}.mo", "rb") as f:
        compiled = gettext.GNUTranslations(f)._catalog
    source = {}
    text = (LOCALE / f"{domain}.po").read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        ctx = re.search(r'^msgctxt (".*")$', block, re.M)
        mid = re.search(r'^msgid (".*")$', block, re.M)
        one = re.search(r'^msgstr (".*")$', block, re.M) or re.search(r'^msgstr\[0\] (".*")$', block, re.M)
        if not mid or mid.group(1) == '""':
            continue
        import json

        key = json.loads(mid.group(1))
        if ctx:
            key = f"{json.loads(ctx.group(1))}\x04{key}"
        source[(key, 0) if "msgid_plural" in block else key] = json.loads(one.group(1))
    compiled.pop("", None)
    assert compiled == source
