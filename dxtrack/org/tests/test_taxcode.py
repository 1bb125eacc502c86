"""Vietnamese tax codes: 10 digits with a check digit, or 10-3 for a dependent unit."""

import pytest

from dxtrack.org.taxcode import TaxCodeError, check_digit, normalise


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0300588569", "0300588569"),  # Vinamilk
        ("0101248141", "0101248141"),  # FPT
        ("0100109106", "0100109106"),  # Viettel
        (" 0100 109 106 ", "0100109106"),
        ("0100109106-001", "0100109106-001"),
        ("0100109106001", "0100109106-001"),
    ],
)
def test_real_codes_are_accepted_and_written_one_way(typed, stored):
    # Given a published tax code as people type it / Then it is stored in one form
    assert normalise(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Chưa nhập mã số thuế."),
        ("0100109107", "Mã số thuế 0100109107 không hợp lệ: chữ số kiểm tra (chữ số thứ 10) không đúng."),
        ("010010910", "Mã số thuế gồm 10 chữ số"),
        ("01001091061", "Mã số thuế gồm 10 chữ số"),
        ("0100109106-01", "Mã số thuế gồm 10 chữ số"),
        ("O100109106", "Mã số thuế gồm 10 chữ số"),
        ("0100109106-000", "Ba chữ số của đơn vị phụ thuộc phải từ 001 đến 999."),
        ("<script>0100109106", "Mã số thuế gồm 10 chữ số"),
    ],
)
def test_wrong_codes_are_refused_with_the_reason(typed, message):
    with pytest.raises(TaxCodeError) as caught:
        normalise(typed)
    assert str(caught.value).startswith(message)


def test_a_remainder_of_zero_has_no_check_digit():
    # Given nine digits whose weighted sum is 0 mod 11 (all zeros)
    # Then no tenth digit makes a valid code
    assert check_digit("000000000") is None
    assert check_digit("010010910") == 6
