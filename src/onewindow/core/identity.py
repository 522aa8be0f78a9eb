"""Numbers people type: resident ID (GB 11643, ISO 7064 MOD 11-2), unified social credit code (GB 32100) and
mainland mobile numbers, each in one canonical form.

Every such number goes through `canonical_number` before it is checked, stored, compared or hashed: a number typed
in full-width digits (１１０１…), with spaces, with a zero-width character pasted from a chat, or with a lower-case
`x` is the same number as its plain ASCII form. The checks then use ASCII-only patterns (`[0-9]`, never `\\d`, which
also matches full-width and other Unicode digits).

Pure functions; no framework import.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import unicodedata

from onewindow.core.errors import InvalidCreditCode, InvalidIdentityNumber, InvalidInput

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"[0-9]{17}[0-9X]")

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_USCC_RE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")
# 中国大陆手机号码: 11 digits, 1 then 3–9 (the rule the pages and the API have always applied).
_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")


def canonical_number(value: str) -> str:
    """The canonical form of a typed number or code (证件号码、统一社会信用代码、手机号码、查询码).

    Unicode NFKC (full-width digits and letters become ASCII: `１３８` → `138`, `ｘ` → `x`), then every space and
    every invisible format character removed (U+200B–U+200D zero-width, U+2060 word joiner, U+FEFF, bidi marks:
    Unicode category Cf), then upper-cased (`x` → `X`). Nothing is validated here; a value that is not text is
    returned as it is, for the caller's type check to refuse.
    """
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf").upper()


def _invisible(c: str) -> bool:
    return c.isspace() or unicodedata.category(c) == "Cf"


def clean_text(value: str) -> str:
    """A typed free text (a name, an answer) without the spaces and invisible format characters at its ends
    (U+200B–U+200D zero-width, U+2060 word joiner, U+FEFF, bidi marks: Unicode category Cf): a text made only of
    them is "" — not answered — however it was pasted. Characters inside the text are kept. A value that is not
    text is returned as it is."""
    if not isinstance(value, str):
        return value
    start, end = 0, len(value)
    while start < end and _invisible(value[start]):
        start += 1
    while end > start and _invisible(value[end - 1]):
        end -= 1
    return value[start:end]


_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def same_code(stored: str, typed: str | None) -> bool:
    """Whether a typed code (取件码, 查询码, 验证码) is the stored one, in constant time: the typed code is taken in
    its canonical form first (full-width digits, spaces and invisible characters as a person types them), and the
    two are compared as UTF-8 bytes, so that no character a person can send raises (a TypeError once gave a 500).
    An empty stored code matches nothing."""
    if not stored:
        return False
    return hmac.compare_digest(stored.encode(), canonical_number(typed or "").encode())


def id_check_char(first17: str) -> str:
    """Check character of a resident identity number from its first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalize_identity_number(value: str, field: str = "id_number") -> str:
    """Validate a resident identity number (居民身份证号码, GB 11643) and return its canonical ASCII form, else raise
    InvalidIdentityNumber naming `field` (as the request named it) with the problem (`format`, `birth_date`,
    `check_digit`)."""
    number = canonical_number(value or "")
    if not _ID_RE.fullmatch(number):
        raise InvalidIdentityNumber(
            "身份证号码应为18位：17位数字加1位校验码（数字或X）", fields={field: "format"}
        )
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdentityNumber("身份证号码中的出生日期不存在", fields={field: "birth_date"}) from None
    if born.year < 1850 or born > dt.date.today():
        raise InvalidIdentityNumber("身份证号码中的出生日期不合理", fields={field: "birth_date"})
    if id_check_char(number[:17]) != number[17]:
        raise InvalidIdentityNumber("身份证号码校验码错误", fields={field: "check_digit"})
    return number


def is_valid_identity_number(value: str) -> bool:
    try:
        normalize_identity_number(value)
    except InvalidIdentityNumber:
        return False
    return True


def uscc_check_char(first17: str) -> str:
    """Check character of a unified social credit code from its first 17 characters."""
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    """Validate a unified social credit code (统一社会信用代码, GB 32100-2015) and return its canonical ASCII form,
    else raise InvalidCreditCode naming the problem (`format`, `check_digit`)."""
    code = canonical_number(value or "")
    if not _USCC_RE.fullmatch(code):
        raise InvalidCreditCode(
            "统一社会信用代码应为18位，由数字和除I、O、S、V、Z外的大写字母组成",
            fields={"credit_code": "format"},
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise InvalidCreditCode("统一社会信用代码校验码错误", fields={"credit_code": "check_digit"})
    return code


def is_valid_credit_code(value: str) -> bool:
    try:
        normalize_credit_code(value)
    except InvalidCreditCode:
        return False
    return True


def is_mobile(value: str) -> bool:
    """Whether `value`, already canonical, is a mainland mobile number (11 ASCII digits, 1 then 3–9)."""
    return bool(_MOBILE_RE.fullmatch(value))


def normalize_mobile(value: str, field: str = "mobile") -> str:
    """Validate a mainland mobile number (手机号码) and return its canonical ASCII form (`138 0013 8000`,
    `１３８００１３８０００` → `13800138000`), else raise InvalidInput naming `field`."""
    mobile = canonical_number(value or "")
    if not is_mobile(mobile):
        raise InvalidInput("手机号码应为11位，以1开头", fields={field: "format"})
    return mobile


def mask_identity(value: str) -> str:
    """Mask an identity number or credit code for lists, logs and exports: 5001**********123X."""
    value = (value or "").strip()
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_mobile(value: str) -> str:
    value = (value or "").strip()
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "****" + value[-4:]
