"""What a user reads on a page, and the English in it: shared by the page-by-page test (Django's
test client) and the browser's walk through the same pages.

A page is read as its user sees it: its text without scripts, styles and templates, and the
attributes shown on screen or read aloud (placeholder, title, aria-label, alt, a button's value).
Words are matched whole and with their case, so a Vietnamese sentence never matches by accident."""

import re
from html.parser import HTMLParser

# What leaked on the demo, and what Django, its widgets, its admin and Chromium show by default.
ENGLISH = (
    # the reporting calendar's codes and describe-functions
    "once",
    "quarterly",
    "continuous",
    "semiannual",
    "yearly",
    "monthly",
    "of last month",
    "last month of quarter",
    "of quarter",
    "of month",
    "days after",
    # widgets and native controls
    "Select an option",
    "Choose File",
    "Choose Files",
    "No file chosen",
    "Please fill out",
    "Please select",
    "Please enter",
    "Please match",
    "Currently",
    "Clear",
    "Unknown",
    # Django's defaults (forms, models, paginators, the admin)
    "This field is required",
    "Enter a valid",
    "Ensure this value",
    "Select a valid choice",
    "Submit",
    "Save",
    "Delete",
    "Cancel",
    "Search",
    "Filter",
    "None",
    "True",
    "False",
    "Yes",
    "Page",
    "Next",
    "Previous",
    "Show all",
    "Log in",
    "Log out",
    "Username",
    "Password",
    "View site",
    "Welcome",
    "Home",
    "Add",
    "Change",
    "History",
    "Go",
    "Action",
    "Recent actions",
    "Can add",
    "Can change",
    "Can delete",
    "Can view",
    "My actions",
    "Documentation",
    "Loading",
    "Error",
    "required",
    "results",
    "of",
    "the",
    "and",
    "to",
    # the kinds of a column or field
    "string",
    "integer",
    "number",
    "boolean",
    "datetime",
)
_PATTERN = re.compile(r"(?<![\w/.:#@-])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w/-])")

HIDDEN = {"script", "style", "template", "noscript", "head"}
# Identifiers a program reads (a CSV column, a code a file carries, an API path), shown as such:
# they are spelled as the machine needs them, and the page explains them beside in Vietnamese.
IDENTIFIERS = {"code", "kbd", "samp"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SHOWN_ATTRS = ("placeholder", "title", "aria-label", "alt")
BUTTON_TYPES = {"submit", "button", "reset"}


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.stack: list[str] = []
        self.hidden = 0
        self.file_pickers = 0  # open <label class="file-pick">: a native file input inside is hidden
        self.bare_file_inputs = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in HIDDEN or tag in IDENTIFIERS:
            self.hidden += 1
        if not self.hidden:
            self.texts += [a[name] for name in SHOWN_ATTRS if a.get(name)]
            if tag == "input" and (a.get("type") or "").lower() in BUTTON_TYPES and a.get("value"):
                self.texts.append(a["value"])
            if tag == "input" and (a.get("type") or "").lower() == "file" and not self.file_pickers:
                # Chromium labels a bare file input in its own language ("Choose File").
                self.bare_file_inputs += 1
        if tag == "label" and "file-pick" in (a.get("class") or "").split():
            self.file_pickers += 1
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID or tag not in self.stack:
            return
        while self.stack:
            open_tag = self.stack.pop()
            if open_tag in HIDDEN or open_tag in IDENTIFIERS:
                self.hidden -= 1
            if open_tag == "label" and self.file_pickers:
                self.file_pickers -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append(data)


def visible_texts(html: str) -> tuple[list[str], int]:
    """(the texts a user reads, the number of native file inputs not wrapped in our picker)."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.texts, reader.bare_file_inputs


def english_in_text(text: str) -> list[str]:
    return [m.group(1) for m in _PATTERN.finditer(text)]


def english_in(html: str, read: tuple[list[str], int] | None = None) -> list[str]:
    """Every English word or phrase of the list that a user of this page reads, with a little of
    its context: ["quarterly  «Kỳ: quarterly, hạn …»", …]. `read` is visible_texts(html) when
    the caller has it already (parsing a page costs more than the search)."""
    texts, bare_files = read if read is not None else visible_texts(html)
    found = []
    for text in texts:
        for m in _PATTERN.finditer(text):
            start, end = max(m.start() - 40, 0), min(m.end() + 40, len(text))
            context = " ".join(text[start:end].split())
            found.append(f"{m.group(1)}  «{context}»")
    found += ["Choose File  «a native file input outside a .file-pick label»"] * bare_files
    return found
