"""A question as the assistant reads it: folded (no case, no diacritics, no punctuation), the
usual abbreviations spelled out, and tokens. Folding is core.text's, the one the name resolver
uses, so a name typed without marks meets the registry's form."""

import re

from dxtrack.core.text import fold

MAX_QUESTION = 500  # characters read; a longer question is cut, never refused with an error

# Whole-word abbreviations (folded) → what they stand for (folded). Units keep their own
# abbreviations: the org resolver canonicalises those ("Sở TT&TT", "UBND").
ABBREVIATIONS = {
    "cds": "chuyen doi so",
    "dvc": "dich vu cong",
    "dvctt": "dich vu cong truc tuyen",
    "tthc": "thu tuc hanh chinh",
    "cntt": "cong nghe thong tin",
    "csdl": "co so du lieu",
    "httt": "he thong thong tin",
    "tmdt": "thuong mai dien tu",
    "attt": "an toan thong tin",
    "ktso": "kinh te so",
    "dn": "doanh nghiep",
    "dnnvv": "doanh nghiep nho va vua",
    "hgd": "ho gia dinh",
    "qd": "quyet dinh",
    "nq": "nghi quyet",
    "kh": "ke hoach",
    "bcd": "ban chi dao",
    "cq": "co quan",
    "ct": "chi tieu",
    "nv": "nhiem vu",
    "bc": "bao cao",
    "tp": "thanh pho",
    "vb": "van ban",
    "grdp": "grdp",
}
_WORD = re.compile(r"[a-z0-9]+")


def normalise(text: str) -> str:
    """Folded, abbreviations spelled out, at most MAX_QUESTION characters read."""
    folded = fold((text or "")[:MAX_QUESTION])
    return " ".join(ABBREVIATIONS.get(w, w) for w in _WORD.findall(folded))


def tokens(text: str) -> list[str]:
    return _WORD.findall(text)


def has(text: str, *phrases: str) -> bool:
    """Whether the normalised `text` holds any of the folded phrases as whole words."""
    padded = f" {text} "
    return any(f" {p} " in padded for p in phrases)
