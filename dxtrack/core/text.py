"""Vietnamese text helpers: free text cleaned where it enters, and the folding shared by search
and the name resolver."""

import functools
import re
import unicodedata

_PUNCT = re.compile(r"[\s.,;:()\[\]\"'“”‘’/\\–—-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# What no text of ours holds: C0 controls but tab and line feed, DEL, C1 controls, and the
# noncharacters and lone surrogates XML 1.0 refuses. python-docx raises on any of them, so one
# unit's stray \x0b stopped the province's periodic report.
_UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value) -> str:
    """Free text as it is kept: NFC (Vietnamese typed on different keyboards compares equal), line
    ends as \\n, no control characters, no surrounding blanks. Every service that stores text a
    person typed or a file carried calls this, and the document writers call it again."""
    if value is None or value == "":  # most comments of a bulk import: nothing to clean
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return xml_safe(text).strip()


def xml_safe(text: str) -> str:
    """`text` without the characters an XML document (DOCX, XLSX) cannot hold."""
    return _UNWANTED.sub("", text)


def strip_diacritics(text: str) -> str:
    # đ/Đ is a letter of its own, not d with a combining mark, so NFD alone misses it.
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# A name up to this long is remembered once folded: a page sorts the same names on every request
# (the province's tree some 800 of them), as the SQLite function dxtrack_fold remembers them.
# Longer text (a question, a document's title or body) is folded each time, so that the memory
# the remembered results take stays bounded by their number.
_FOLD_REMEMBERED_UP_TO = 200


def fold(text: str) -> str:
    """Lower case, no diacritics, punctuation as single spaces; '&' glues (TT&TT == TTTT)."""
    if text and len(text) <= _FOLD_REMEMBERED_UP_TO:
        return _fold_remembered(text)
    return _fold(text)


@functools.lru_cache(maxsize=65536)
def _fold_remembered(text: str) -> str:
    # (the result is a str: a remembered one cannot be changed by its caller)
    return _fold(text)


def _fold(text: str) -> str:
    # Control characters (NUL above all, which PostgreSQL refuses) are never part of a name.
    text = strip_diacritics(unicodedata.normalize("NFC", _CONTROL.sub(" ", text or ""))).lower()
    text = re.sub(r"\s*&\s*", "", text)
    return _PUNCT.sub(" ", text).strip()


def sort_key(text: str) -> tuple[str, str]:
    """Orders Vietnamese names the same on every database: by letters first, then by marks."""
    return fold(text), text
