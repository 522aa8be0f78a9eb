"""Resident identity numbers (GB 11643) and unified social credit codes (GB 32100)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onewindow.core.errors import InvalidCreditCode, InvalidIdentityNumber, InvalidInput
from onewindow.core.identity import (
    USCC_CHARSET,
    canonical_number,
    id_check_char,
    mask_identity,
    mask_mobile,
    normalize_credit_code,
    normalize_identity_number,
    normalize_mobile,
    uscc_check_char,
)
from onewindow.core.tests.typed import full_width, with_invisibles


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


# -- one canonical form (issue 10 §2): full-width, spaces, zero-width characters, lower case ----------------------


def test_an_all_full_width_identity_number_with_a_correct_check_digit_is_accepted_as_ascii():
    typed = full_width("11010519491231002x")
    assert typed == "１１０１０５１９４９１２３１００２ｘ"
    assert normalize_identity_number(typed) == "11010519491231002X"


def test_spaces_and_zero_width_characters_are_removed_from_an_identity_number():
    assert normalize_identity_number(with_invisibles("11010519491231002x")) == "11010519491231002X"


def test_a_full_width_identity_number_with_a_wrong_check_digit_still_names_the_check_digit():
    with pytest.raises(InvalidIdentityNumber) as exc:
        normalize_identity_number(full_width("110105194912310021"))
    assert exc.value.fields == {"id_number": "check_digit"}


def test_digits_of_other_scripts_are_not_digits_of_an_identity_number():
    # `\d` takes Arabic-Indic and Devanagari digits too; NFKC leaves them as they are, so the ASCII pattern refuses.
    arabic = "".join(chr(0x0660 + int(c)) if c.isdigit() else c for c in "11010519491231002X")
    with pytest.raises(InvalidIdentityNumber) as exc:
        normalize_identity_number(arabic)
    assert exc.value.fields == {"id_number": "format"}


@pytest.mark.parametrize("typed", ["91350100m000100y43", full_width("91350100M000100Y43"),
                                   full_width("91350100m000100y43"), with_invisibles("91350100m000100y43")])
def test_a_credit_code_typed_in_lower_case_or_full_width_is_normalised(typed):
    assert normalize_credit_code(typed) == "91350100M000100Y43"


def test_a_mobile_of_13_and_nine_full_width_digits_is_stored_as_ascii():
    typed = "13" + full_width("800138000")
    assert typed == "13８００１３８０００"
    assert normalize_mobile(typed) == "13800138000"
    assert normalize_mobile("138 0013 8000") == "13800138000"


@pytest.mark.parametrize("typed", ["13" + full_width("80013800"), "12" + full_width("800138000"), "1380013800a",
                                   "".join(chr(0x0660 + int(c)) for c in "13800138000")])
def test_a_mobile_that_is_not_eleven_ascii_digits_once_normalised_is_refused(typed):
    with pytest.raises(InvalidInput) as exc:
        normalize_mobile(typed, field="applicant.mobile")
    assert exc.value.fields == {"applicant.mobile": "format"}


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.booleans(), st.booleans())
def test_every_way_of_typing_a_number_has_one_canonical_form(first17, wide, invisibles):
    number = first17 + id_check_char(first17)
    typed = number.lower()
    typed = full_width(typed) if wide else typed
    typed = with_invisibles(typed) if invisibles else typed
    assert canonical_number(typed) == number
    assert canonical_number(typed).isascii()
