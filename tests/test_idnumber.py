"""Resident ID numbers (GB 11643-1999): check digit, birth date, region, gender, age, masking, making."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sanchong.idnumber import IdNumberError, age_on, birth_date, check_character, gender, make, mask, validate

# Weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; Σ(digit×weight) mod 11 → "10X98765432"[remainder]


def test_the_standards_own_example_with_an_x_check_digit_is_valid() -> None:
    # 1101051949123100 2 → 1×7+1×9+0×10+1×5+0×8+5×4+1×2+9×1+4×6+9×3+1×7+2×9+3×10+1×5+0×8+0×4+2×2
    #   = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 → "X"
    assert validate("11010519491231002X") == "11010519491231002X"
    assert birth_date("11010519491231002X") == date(1949, 12, 31)


def test_a_number_with_a_digit_check_character_is_valid() -> None:
    # 44052418800101001 → 4×7+4×9+0×10+5×5+2×8+4×4+1×2+8×1+8×6+0×3+0×7+1×9+0×10+1×5+0×8+0×4+1×2
    #   = 28+36+0+25+16+16+2+8+48+0+0+9+0+5+0+0+2 = 195; 195 mod 11 = 8 → "4"
    assert validate("440524188001010014") == "440524188001010014"
    assert birth_date("440524188001010014") == date(1880, 1, 1)


def test_the_brief_example_for_masking_has_a_wrong_check_digit_and_the_error_names_the_right_one() -> None:
    # 65010219900101123 → 6×7+5×9+0×10+1×5+0×8+2×4+1×2+9×1+9×6+0×3+0×7+1×9+0×10+1×5+1×8+2×4+3×2
    #   = 42+45+0+5+0+8+2+9+54+0+0+9+0+5+8+8+6 = 201; 201 mod 11 = 3 → "9"
    assert validate("650102199001011239") == "650102199001011239"
    with pytest.raises(IdNumberError, match=r"应为9.*expected 9") as caught:
        validate("650102199001011234")
    assert caught.value.kind == "check_digit"
    assert caught.value.expected == "9"


def test_a_lower_case_x_and_surrounding_spaces_are_normalised() -> None:
    assert validate(" 11010519491231002x\n") == "11010519491231002X"


@pytest.mark.parametrize("text", ["", "1101051949123100", "11010519491231002", "11010519491231002X0", "11010519491231 002X"])
def test_a_number_of_the_wrong_length_is_rejected_and_the_length_named(text: str) -> None:
    with pytest.raises(IdNumberError, match=f"实为{len(text.strip())}位.*not {len(text.strip())}") as caught:
        validate(text)
    assert caught.value.kind == "length"


def test_an_old_15_digit_number_is_rejected_not_converted() -> None:
    with pytest.raises(IdNumberError, match=r"15位.*15-digit") as caught:
        validate("110105491231002")
    assert caught.value.kind == "old_15"


@pytest.mark.parametrize(
    "text",
    [
        "11010519491231A02X",  # a letter in the body
        "1101051949123100X2",  # X anywhere but last
        "11010519491231002Y",  # a check character that is neither digit nor X
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits
        "11010519491231-02X",
    ],
)
def test_characters_other_than_digits_and_a_final_x_are_rejected(text: str) -> None:
    with pytest.raises(IdNumberError, match=r"数字.*digit") as caught:
        validate(text)
    assert caught.value.kind == "characters"


def test_a_value_that_is_not_text_is_rejected_as_an_id_number_error() -> None:
    with pytest.raises(IdNumberError) as caught:
        validate(110105194912310021)  # type: ignore[arg-type]
    assert caught.value.kind == "characters"


def _with_check(body17: str) -> str:
    return body17 + check_character(body17)


@pytest.mark.parametrize("first", ["0", "7", "9"])
def test_a_region_code_starting_with_0_7_or_9_is_rejected(first: str) -> None:
    with pytest.raises(IdNumberError, match=f"地址码首位不能为{first}.*region code cannot start with {first}") as caught:
        validate(_with_check(first + "1010519900101001"))
    assert caught.value.kind == "region"


@pytest.mark.parametrize("region", ["110105", "230102", "370102", "440524", "510104", "650102", "810000", "820000", "830000"])
def test_mainland_and_hong_kong_macau_taiwan_region_codes_are_accepted(region: str) -> None:
    assert validate(_with_check(region + "19900101001"))[:6] == region


@pytest.mark.parametrize(
    ("digits", "leap"),
    [("20000229", True), ("19960229", True), ("20240229", True), ("19000229", False), ("19970229", False), ("21000229", False)],
)
def test_29_february_exists_only_in_leap_years(digits: str, leap: bool) -> None:
    number = _with_check("110105" + digits + "002")
    if leap:
        assert birth_date(number) == date(int(digits[:4]), 2, 29)
    else:
        with pytest.raises(IdNumberError, match=f"出生日期{digits}不存在.*birth date {digits} does not exist") as caught:
            validate(number)
        assert caught.value.kind == "birth_date"


def test_a_leap_day_number_built_by_hand_is_valid_and_female() -> None:
    # 11010520000229002 → 1×7+1×9+0×10+1×5+0×8+5×4+2×2+0×1+0×6+0×3+0×7+2×9+2×10+9×5+0×8+0×4+2×2
    #   = 7+9+0+5+0+20+4+0+0+0+0+18+20+45+0+0+4 = 132; 132 mod 11 = 0 → "1"
    assert validate("110105200002290021") == "110105200002290021"
    assert gender("110105200002290021") == "2"


@pytest.mark.parametrize("digits", ["19900230", "19901301", "19900001", "19900100", "00000000", "17991231"])
def test_impossible_birth_dates_are_rejected(digits: str) -> None:
    with pytest.raises(IdNumberError, match=f"出生日期{digits}.*birth date {digits}") as caught:
        validate(_with_check("110105" + digits + "002"))
    assert caught.value.kind == "birth_date"


def test_a_birth_date_after_the_given_day_is_rejected_but_the_same_day_is_not() -> None:
    number = _with_check("110105" + "20240502" + "003")
    assert validate(number) == number
    assert validate(number, on=date(2024, 5, 2)) == number
    with pytest.raises(IdNumberError, match=r"出生日期2024-05-02晚于2024-05-01.*birth date 2024-05-02 is after 2024-05-01") as caught:
        validate(number, on=date(2024, 5, 1))
    assert caught.value.kind == "future_birth"


def test_gender_follows_the_parity_of_the_17th_digit() -> None:
    assert gender("440524188001010014") == "1"  # 17th digit 1: odd, male
    assert gender("11010519491231002X") == "2"  # 17th digit 2: even, female
    assert gender(_with_check("11010519491231009")) == "1"
    assert gender(_with_check("11010519491231000")) == "2"


def test_reading_an_invalid_number_raises() -> None:
    for read in (birth_date, gender):
        with pytest.raises(IdNumberError):
            read("650102199001011234")


@pytest.mark.parametrize(
    ("day", "age"),
    [
        (date(1990, 1, 1), 0),
        (date(2000, 12, 31), 10),  # the day before the 11th birthday
        (date(2001, 1, 1), 11),  # the birthday itself
        (date(2024, 6, 30), 34),
    ],
)
def test_age_counts_full_years_from_the_birthday(day: date, age: int) -> None:
    assert age_on("650102199001011239", day) == age


@pytest.mark.parametrize(
    ("day", "age"),
    [
        (date(2001, 2, 28), 0),  # common year: no 29 February yet
        (date(2001, 3, 1), 1),  # 1 March counts as the birthday
        (date(2004, 2, 28), 3),
        (date(2004, 2, 29), 4),  # leap year: the birthday itself
        (date(2018, 2, 28), 17),
        (date(2018, 3, 1), 18),
    ],
)
def test_one_born_on_29_february_ages_on_1_march_in_common_years(day: date, age: int) -> None:
    assert age_on("110105200002290021", day) == age


def test_age_before_birth_is_an_error() -> None:
    with pytest.raises(IdNumberError) as caught:
        age_on("110105200002290021", date(2000, 2, 28))
    assert caught.value.kind == "future_birth"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("650102199001011234", "6501**********1234"),
        ("11010519491231002X", "1101**********002X"),
        ("6501**********1234", "6501**********1234"),  # already masked: unchanged
        ("110105491231002", "1101*******1002"),  # an old 15-digit number is masked too
        ("123456789", "1234*6789"),
        ("12345678", "********"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_masking_keeps_four_characters_at_each_end_and_hides_short_values_entirely(value: str, masked: str) -> None:
    assert mask(value) == masked


def test_masking_hides_the_birth_date() -> None:
    assert "19491231" not in mask("11010519491231002X")


def test_make_builds_the_hand_computed_numbers() -> None:
    assert make("110105", date(1949, 12, 31), 2) == "11010519491231002X"
    assert make("440524", date(1880, 1, 1), 1) == "440524188001010014"
    assert make("110105", date(2000, 2, 29), 2) == "110105200002290021"


@pytest.mark.parametrize(
    ("region", "birth", "sequence", "kind"),
    [
        ("11010", date(1990, 1, 1), 1, "region"),
        ("1101050", date(1990, 1, 1), 1, "region"),
        ("11010a", date(1990, 1, 1), 1, "region"),
        ("910105", date(1990, 1, 1), 1, "region"),
        ("110105", date(1990, 1, 1), 1000, "sequence"),
        ("110105", date(1990, 1, 1), -1, "sequence"),
        ("110105", date(1990, 1, 1), True, "sequence"),
        ("110105", date(1799, 12, 31), 1, "birth_date"),
        ("110105", date(999, 1, 1), 1, "birth_date"),
    ],
)
def test_make_refuses_parts_that_cannot_form_a_number(region: str, birth: date, sequence: int, kind: str) -> None:
    with pytest.raises(IdNumberError) as caught:
        make(region, birth, sequence)
    assert caught.value.kind == kind


regions = st.builds(lambda first, rest: first + rest, st.sampled_from("1234568"), st.text("0123456789", min_size=5, max_size=5))
births = st.dates(min_value=date(1800, 1, 1))
sequences = st.integers(min_value=0, max_value=999)


@given(regions, births, sequences)
@example("110105", date(2000, 2, 29), 2)
@example("830000", date(9999, 12, 31), 999)
def test_a_made_number_validates_and_reads_back_its_parts(region: str, birth: date, sequence: int) -> None:
    number = make(region, birth, sequence)
    assert len(number) == 18
    assert validate(number) == number
    assert validate(number, on=birth) == number
    assert number[:6] == region
    assert birth_date(number) == birth
    assert gender(number) == ("1" if sequence % 2 else "2")
    assert age_on(number, birth) == 0


@given(st.text("0123456789", min_size=17, max_size=17))
def test_the_check_character_satisfies_iso_7064_mod_11_2(body: str) -> None:
    # ISO 7064 MOD 11-2: with X = 10 and weights 2^(17-i) mod 11 (the check character's weight is 1),
    # the weighted sum of all 18 characters is 1 mod 11
    values = [int(d) for d in body] + [10 if check_character(body) == "X" else int(check_character(body))]
    assert sum(v * pow(2, 17 - i, 11) for i, v in enumerate(values)) % 11 == 1


@given(regions, births, sequences, st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
@example("110105", date(1949, 12, 31), 2, 17, "0")
def test_changing_any_single_character_of_a_valid_number_is_detected(
    region: str, birth: date, sequence: int, position: int, replacement: str
) -> None:
    number = make(region, birth, sequence)
    changed = number[:position] + replacement + number[position + 1 :]
    if changed != number:
        with pytest.raises(IdNumberError):
            validate(changed)
