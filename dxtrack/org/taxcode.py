"""Vietnamese tax codes (mã số thuế): 10 digits for an enterprise, 10-3 for a dependent unit
(branch, representative office). The tenth digit is a check digit (Thông tư 105/2020/TT-BTC and
the older 80/2012): N10 = 10 − (31·N1 + 29·N2 + 23·N3 + 19·N4 + 17·N5 + 13·N6 + 7·N7 + 5·N8 +
3·N9) mod 11; a remainder of 0 would need a check digit of 10, so no code has it."""

import re

WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_SHAPE = re.compile(r"^(\d{10})(?:-?(\d{3}))?$")


class TaxCodeError(ValueError):
    """The message says, in Vietnamese, what is wrong with the code."""


def check_digit(first_nine: str) -> int | None:
    """The tenth digit the first nine call for; None when no digit can be right."""
    remainder = sum(int(d) * w for d, w in zip(first_nine, WEIGHTS, strict=True)) % 11
    digit = 10 - remainder
    return None if digit == 10 else digit


def normalise(raw: str) -> str:
    """The code as stored ("0101248141" or "0101248141-001"), or TaxCodeError. Spaces, dots and
    the dash people type are tolerated; letters are not."""
    text = re.sub(r"[\s.]", "", str(raw or ""))
    if not text:
        raise TaxCodeError("Chưa nhập mã số thuế.")
    found = _SHAPE.match(text)
    if found is None:
        raise TaxCodeError(
            "Mã số thuế gồm 10 chữ số (doanh nghiệp) hoặc 10 chữ số, dấu gạch ngang và 3 chữ số "
            "(chi nhánh, đơn vị phụ thuộc), ví dụ 0101248141 hoặc 0101248141-001."
        )
    main, branch = found.group(1), found.group(2)
    if check_digit(main[:9]) != int(main[9]):
        raise TaxCodeError(f"Mã số thuế {main} không hợp lệ: chữ số kiểm tra (chữ số thứ 10) không đúng.")
    if branch == "000":
        raise TaxCodeError("Ba chữ số của đơn vị phụ thuộc phải từ 001 đến 999.")
    return f"{main}-{branch}" if branch else main
