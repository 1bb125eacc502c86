"""The Excel round trip of a report: a pre-filled template to download, and its upload.

The template names its report in a token signed with `django.core.signing`, kept on a very hidden
sheet. Sheet protection only guides the user (anyone can lift it); the signature and the checks
made on upload are what count. An upload is applied all or nothing: every problem is listed with
its cell, and nothing is saved until the whole file passes.

One module per use case: `layout` (the fixed texts and rows both sides share), `template`
(writing), `signing` (the signature and its check), `reading` (the upload's workbook within
bounds) and `importing` (applying it through the reports' services).
"""

from .importing import ImportResult, import_file
from .layout import SALT, SHEET, TASK_COLUMNS, VALUE_COLUMNS, WIDTHS, Layout
from .reading import _open
from .template import LINE_HEIGHT, template_for

__all__ = [
    "LINE_HEIGHT",
    "SALT",
    "SHEET",
    "TASK_COLUMNS",
    "VALUE_COLUMNS",
    "WIDTHS",
    "ImportResult",
    "Layout",
    "_open",
    "import_file",
    "template_for",
]
