"""Resident identity numbers (GB 11643) and unified social credit codes (GB 32100)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onewindow.core.errors import InvalidCreditCode, InvalidIdentityNumber
from onewindow.core.identity import (
    USCC_CHARSET,
    id_check_char,
    mask_identity,
    mask_mobile,
    normalize_credit_code,
    normalize_identity_number,
    uscc_check_char,
)


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014", "11010519491231002x"])
def test_valid_identity_numbers_are_accepted_and_upper_cased(number):
    assert normalize_identity_number(number) == number.upper()


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("110105194912310021", "check_digit"),
        ("11010519491331002X", "birth_date"),
        ("11010518000101002X", "birth_date"),
        ("11010520990101002X", "birth_date"),
        ("1101051949123100", "format"),
        ("11010519491231002Y", "format"),
        ("", "format"),
    ],
)
def test_invalid_identity_numbers_are_refused_with_the_reason(number, problem):
    with pytest.raises(InvalidIdentityNumber) as exc:
        normalize_identity_number(number)
    assert exc.value.fields == {"id_number": problem}


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", "91440300708461136T"])
def test_valid_credit_codes_are_accepted(code):
    assert normalize_credit_code(code.lower()) == code


@pytest.mark.parametrize(
    ("code", "problem"),
    [("91350100M000100Y44", "check_digit"), ("91350100M000100YI3", "format"), ("9135010", "format")],
)
def test_invalid_credit_codes_are_refused_with_the_reason(code, problem):
    with pytest.raises(InvalidCreditCode) as exc:
        normalize_credit_code(code)
    assert exc.value.fields == {"credit_code": problem}


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_changing_one_digit_of_an_identity_number_breaks_its_check(first17):
    check = id_check_char(first17)
    flipped = str((int(first17[-1]) + 1) % 10)
    assert id_check_char(first17[:-1] + flipped) != check


@given(st.text(alphabet=USCC_CHARSET, min_size=17, max_size=17))
def test_every_credit_code_body_has_exactly_one_check_character(body):
    check = uscc_check_char(body)
    assert check in USCC_CHARSET
    assert sum(uscc_check_char(body) == c for c in USCC_CHARSET) == 1


def test_masking_keeps_four_characters_at_each_end():
    assert mask_identity("50010319800101123X") == "5001**********123X"
    assert mask_identity("91350100M000100Y43") == "9135**********0Y43"
    assert mask_mobile("13800138000") == "138****8000"
