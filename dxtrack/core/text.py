"""Vietnamese text helpers shared by search and the name resolver."""

import re
import unicodedata

_PUNCT = re.compile(r"[\s.,;:()\[\]\"'“”‘’/\\–—-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def strip_diacritics(text: str) -> str:
    # đ/Đ is a letter of its own, not d with a combining mark, so NFD alone misses it.
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower case, no diacritics, punctuation as single spaces; '&' glues (TT&TT == TTTT)."""
    # Control characters (NUL above all, which PostgreSQL refuses) are never part of a name.
    text = strip_diacritics(unicodedata.normalize("NFC", _CONTROL.sub(" ", text or ""))).lower()
    text = re.sub(r"\s*&\s*", "", text)
    return _PUNCT.sub(" ", text).strip()


def sort_key(text: str) -> tuple[str, str]:
    """Orders Vietnamese names the same on every database: by letters first, then by marks."""
    return fold(text), text
