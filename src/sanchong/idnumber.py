"""Resident ID numbers (公民身份号码, GB 11643-1999): validate, read, mask and make; pure, no clock."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

# GB 11643-1999 §8.2 / ISO 7064 MOD 11-2: weight of position i (1-based from the left) is 2^(18-i) mod 11
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # indexed by Σ(digit × weight) mod 11

# GB/T 2260 地址码: 1–6 mainland regions, 8 Hong Kong/Macau/Taiwan residence permits (810000/820000/830000)
REGION_FIRST_DIGITS = "1234568"
EARLIEST_BIRTH = date(1800, 1, 1)  # no holder of a GB 11643-1999 number was born earlier

MALE = "1"  # GB/T 2261.1 / NHSA gend
FEMALE = "2"

Fault = Literal["old_15", "length", "characters", "region", "birth_date", "future_birth", "check_digit", "sequence"]

_BODY = re.compile(r"[0-9]{17}")
_CHECK = re.compile(r"[0-9X]")
_OLD_15 = re.compile(r"[0-9]{15}")
_REGION = re.compile(r"[0-9]{6}")


class IdNumberError(ValueError):
    """A text that is not a valid 18-character ID number; str() names the fault in Chinese and English."""

    def __init__(self, kind: Fault, cause: str, cause_en: str, expected: str | None = None) -> None:
        self.kind = kind
        self.cause = cause
        self.cause_en = cause_en
        self.expected = expected
        super().__init__(f"公民身份号码无效: {cause} (invalid resident ID number: {cause_en})")


def check_character(body17: str) -> str:
    """The 校验码 for the first 17 digits: Σ(digit × weight) mod 11 → '10X98765432'."""
    if not _BODY.fullmatch(body17):
        raise IdNumberError("characters", "前17位必须是数字", "the first 17 characters must be digits")
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(body17, WEIGHTS, strict=True)) % 11]


def validate(text: str, on: date | None = None) -> str:
    """The normalised 18-character number (upper-case X), or IdNumberError; with `on`, birth may not be later."""
    if not isinstance(text, str):
        raise IdNumberError("characters", "不是文本", f"not a text but {type(text).__name__}")
    number = text.strip().upper()
    if _OLD_15.fullmatch(number):
        # GB 11643-1999 §1: 15-digit numbers (GB 11643-1989) are replaced, not accepted; we do not convert them
        raise IdNumberError("old_15", "15位旧号码不再使用, 请提供18位号码", "old 15-digit number; give the 18-character number")
    if len(number) != 18:
        raise IdNumberError("length", f"应为18位, 实为{len(number)}位", f"must have 18 characters, not {len(number)}")
    if not _BODY.fullmatch(number[:17]) or not _CHECK.fullmatch(number[17]):
        raise IdNumberError("characters", "前17位须为数字, 末位须为数字或X", "the first 17 must be digits, the last a digit or X")
    if number[0] not in REGION_FIRST_DIGITS:
        raise IdNumberError("region", f"地址码首位不能为{number[0]}(应为1–6或8)", f"region code cannot start with {number[0]} (1–6 or 8)")
    birth = _birth(number)
    if on is not None and birth > on:
        raise IdNumberError("future_birth", f"出生日期{birth}晚于{on}", f"birth date {birth} is after {on}")
    expected = check_character(number[:17])
    if number[17] != expected:
        raise IdNumberError("check_digit", f"校验码错误, 应为{expected}", f"wrong check digit, expected {expected}", expected)
    return number


def _birth(number: str) -> date:
    """The 出生日期码 (positions 7–14, YYYYMMDD) as a date, or IdNumberError if no such day."""
    digits = number[6:14]
    try:
        birth = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise IdNumberError("birth_date", f"出生日期{digits}不存在", f"birth date {digits} does not exist") from None
    if birth < EARLIEST_BIRTH:
        raise IdNumberError("birth_date", f"出生日期{digits}早于1800年", f"birth date {digits} is before 1800")
    return birth


def birth_date(number: str) -> date:
    """The birth date encoded in a valid number."""
    return _birth(validate(number))


def gender(number: str) -> str:
    """'1' male when the 17th digit (顺序码 last digit) is odd, '2' female when even (GB 11643-1999 §5.3)."""
    return MALE if int(validate(number)[16]) % 2 else FEMALE


def age_on(number: str, day: date) -> int:
    """Full years (周岁) on `day`; one born on 29 February turns a year older on 1 March in common years."""
    birth = _birth(validate(number, on=day))
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def mask(number: str) -> str:
    """Keep the first 4 and last 4 characters, '*' between; anything under 9 characters is fully masked."""
    if len(number) < 9:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def make(region6: str, birth: date, sequence3: int) -> str:
    """A valid number for demo and test data: 地址码 + 出生日期码 + 顺序码 + computed 校验码."""
    if not isinstance(region6, str) or not _REGION.fullmatch(region6):
        raise IdNumberError("region", "地址码须为6位数字", f"region code must be 6 digits, not {region6!r}")
    if isinstance(sequence3, bool) or not isinstance(sequence3, int) or not 0 <= sequence3 <= 999:
        raise IdNumberError("sequence", "顺序码须为0–999", f"sequence must be 0–999, not {sequence3!r}")
    body = f"{region6}{birth.year:04d}{birth.month:02d}{birth.day:02d}{sequence3:03d}"
    return validate(body + check_character(body))
