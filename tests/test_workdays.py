"""The working-day calendar against the State Council's notices, with the dates worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanchong.workdays import ARRANGEMENTS, CalendarError, add_workdays, first_workday_from, is_workday, workdays_between

D = dt.date


def test_every_make_up_workday_is_a_weekend_day_and_every_notice_is_cited() -> None:
    for year, notice in ARRANGEMENTS.items():
        assert notice.title == f"国务院办公厅关于{year}年部分节假日安排的通知"
        assert all(day.weekday() >= 5 for day in notice.workdays), year
        assert notice.document_no or "未核实" in notice.note, "an unknown document number is said to be unknown"


def test_the_2025_national_day_holiday_and_its_make_up_days() -> None:
    # 国办发明电〔2024〕12号 六: 10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
    assert is_workday(D(2025, 9, 28)) and is_workday(D(2025, 10, 11))
    assert not any(is_workday(D(2025, 10, d)) for d in range(1, 9))
    assert is_workday(D(2025, 10, 9)) and not is_workday(D(2025, 10, 12))  # Thursday after; an ordinary Sunday


def test_seven_working_days_across_the_2025_national_day() -> None:
    # From Friday 26 September: 27 Sat off; 28 Sun make-up = 1; 29 Mon = 2; 30 Tue = 3; 1–8 October holiday;
    # 9 Thu = 4; 10 Fri = 5; 11 Sat make-up = 6; 12 Sun off; 13 Mon = 7.
    assert add_workdays(D(2025, 9, 26), 7) == D(2025, 10, 13)
    assert workdays_between(D(2025, 9, 26), D(2025, 10, 13)) == 7
    assert workdays_between(D(2025, 9, 30), D(2025, 10, 9)) == 1  # eight days off in between


def test_seven_working_days_across_the_2024_and_2023_national_days() -> None:
    # 国办发明电〔2023〕7号: 10月1日至7日放假, 9月29日（星期日）、10月12日（星期六）上班. From Friday 27 September 2024:
    # 28 Sat off; 29 Sun = 1; 30 Mon = 2; 1–7 October off; 8 Tue = 3; 9 = 4; 10 = 5; 11 Fri = 6; 12 Sat = 7.
    assert add_workdays(D(2024, 9, 27), 7) == D(2024, 10, 12)
    # 国办发明电〔2022〕16号: 9月29日至10月6日放假, 10月7日（星期六）、10月8日（星期日）上班. From Thursday 28 September 2023:
    # 29 September – 6 October off; 7 Sat = 1; 8 Sun = 2.
    assert add_workdays(D(2023, 9, 28), 2) == D(2023, 10, 8)


def test_seven_working_days_across_the_2026_spring_festival() -> None:
    # 2026 notice 二: 2月15日至23日放假调休，共9天。2月14日（周六）、2月28日（周六）上班. From Thursday 12 February:
    # 13 Fri = 1; 14 Sat make-up = 2; 15–23 off; 24 Tue = 3; 25 = 4; 26 = 5; 27 Fri = 6; 28 Sat make-up = 7.
    assert add_workdays(D(2026, 2, 12), 7) == D(2026, 2, 28)
    assert workdays_between(D(2026, 2, 28), D(2026, 3, 2)) == 1  # 1 March is a Sunday


def test_three_working_days_across_the_2025_spring_festival() -> None:
    # 国办发明电〔2024〕12号 二: 1月28日至2月4日放假调休，共8天。1月26日（周日）、2月8日（周六）上班. From Friday 24 January:
    # 25 Sat off; 26 Sun make-up = 1; 27 Mon = 2; 28 January – 4 February off; 5 Wed = 3.
    assert add_workdays(D(2025, 1, 24), 3) == D(2025, 2, 5)
    assert add_workdays(D(2025, 2, 5), -3) == D(2025, 1, 24)


def test_2024_has_251_working_days() -> None:
    # 366 days, 104 of them Saturdays and Sundays → 262 weekdays. Weekday holidays: 1 Jan (1), 12–16 Feb (5), 4–5 Apr (2),
    # 1–3 May (3), 10 Jun (1), 16–17 Sep (2), 1–4 and 7 Oct (5) = 19. Make-up days: 8. 262 − 19 + 8 = 251.
    days = [D(2024, 1, 1) + dt.timedelta(days=i) for i in range(366)]
    assert sum(is_workday(day) for day in days) == 251


def test_a_due_day_that_falls_on_a_holiday_moves_to_the_next_working_day() -> None:
    # 5 October 2025 is inside the National Day holiday (1–8 October): the next working day is Thursday 9 October.
    assert first_workday_from(D(2025, 10, 5)) == D(2025, 10, 9)
    assert first_workday_from(D(2025, 10, 9)) == D(2025, 10, 9)


@pytest.mark.parametrize("call", [lambda: is_workday(D(2027, 1, 4)), lambda: add_workdays(D(2026, 12, 30), 5),
                                  lambda: workdays_between(D(2022, 12, 30), D(2023, 1, 3))])  # fmt: skip
def test_a_year_outside_the_table_is_an_error_naming_the_year(call: object) -> None:
    with pytest.raises(CalendarError) as caught:
        call()  # type: ignore[operator]
    assert str(caught.value.year) in str(caught.value)
    assert caught.value.year in (2022, 2027)


@given(st.dates(D(2023, 1, 1), D(2026, 11, 30)), st.integers(0, 20))
def test_workdays_between_counts_back_what_add_workdays_added(day: dt.date, n: int) -> None:
    later = add_workdays(day, n)
    assert workdays_between(day, later) == n
    assert is_workday(later) or n == 0
    assert workdays_between(later, day) == -n
