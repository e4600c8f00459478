"""China's working-day calendar: statutory holidays and make-up workdays (调休上班) from the State Council's notices.

A working day is Monday to Friday unless a notice gives it as a holiday, and a Saturday or Sunday
that a notice names as a make-up workday. Only years whose notice is in `ARRANGEMENTS` can be
answered; any other year is an error naming it (never a guess from weekends alone). Pure: no clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ONE_DAY = dt.timedelta(days=1)


class CalendarError(ValueError):
    """A date in a year whose holiday arrangement is not in the table."""

    def __init__(self, year: int) -> None:
        self.year = year
        known = "、".join(str(y) for y in sorted(ARRANGEMENTS))
        super().__init__(
            f"工作日历没有 {year} 年的放假安排（已收录 {known} 年）"
            f" (no holiday arrangement for {year} in the working-day calendar; known: {', '.join(map(str, sorted(ARRANGEMENTS)))})"
        )


@dataclass(frozen=True)
class Holiday:
    """One holiday of a notice: its name and the days off, both ends inclusive."""

    name: str
    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class Arrangement:
    """One year's notice (国务院办公厅关于…部分节假日安排的通知): the holidays and the make-up workdays."""

    year: int
    title: str
    document_no: str | None  # None where the number has not been checked against the notice itself (see note)
    issued: dt.date
    holidays: tuple[Holiday, ...]
    workdays: tuple[dt.date, ...]
    note: str = ""

    def days_off(self) -> frozenset[dt.date]:
        days: set[dt.date] = set()
        for holiday in self.holidays:
            day = holiday.first
            while day <= holiday.last:
                days.add(day)
                day += ONE_DAY
        return frozenset(days)


def _d(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)


def _h(name: str, first: tuple[int, int, int], last: tuple[int, int, int]) -> Holiday:
    return Holiday(name, _d(*first), _d(*last))


ARRANGEMENTS: dict[int, Arrangement] = {
    2023: Arrangement(
        2023, "国务院办公厅关于2023年部分节假日安排的通知", "国办发明电〔2022〕16号", _d(2022, 12, 8),
        (
            _h("元旦", (2022, 12, 31), (2023, 1, 2)),  # 2022年12月31日至2023年1月2日放假调休，共3天
            _h("春节", (2023, 1, 21), (2023, 1, 27)),  # 1月21日至27日放假调休，共7天
            _h("清明节", (2023, 4, 5), (2023, 4, 5)),  # 4月5日放假，共1天
            _h("劳动节", (2023, 4, 29), (2023, 5, 3)),  # 4月29日至5月3日放假调休，共5天
            _h("端午节", (2023, 6, 22), (2023, 6, 24)),  # 6月22日至24日放假调休，共3天
            _h("中秋节、国庆节", (2023, 9, 29), (2023, 10, 6)),  # 9月29日至10月6日放假调休，共8天
        ),
        # 1月28日（星期六）、1月29日（星期日）；4月23日（星期日）、5月6日（星期六）；6月25日（星期日）；
        # 10月7日（星期六）、10月8日（星期日）上班
        (_d(2023, 1, 28), _d(2023, 1, 29), _d(2023, 4, 23), _d(2023, 5, 6), _d(2023, 6, 25), _d(2023, 10, 7), _d(2023, 10, 8)),
    ),
    2024: Arrangement(
        2024, "国务院办公厅关于2024年部分节假日安排的通知", "国办发明电〔2023〕7号", _d(2023, 10, 25),
        (
            _h("元旦", (2024, 1, 1), (2024, 1, 1)),  # 1月1日放假，与周末连休
            _h("春节", (2024, 2, 10), (2024, 2, 17)),  # 2月10日至17日放假调休，共8天
            _h("清明节", (2024, 4, 4), (2024, 4, 6)),  # 4月4日至6日放假调休，共3天
            _h("劳动节", (2024, 5, 1), (2024, 5, 5)),  # 5月1日至5日放假调休，共5天
            _h("端午节", (2024, 6, 10), (2024, 6, 10)),  # 6月10日放假，与周末连休
            _h("中秋节", (2024, 9, 15), (2024, 9, 17)),  # 9月15日至17日放假调休，共3天
            _h("国庆节", (2024, 10, 1), (2024, 10, 7)),  # 10月1日至7日放假调休，共7天
        ),
        # 2月4日（星期日）、2月18日（星期日）；4月7日（星期日）；4月28日（星期日）、5月11日（星期六）；9月14日（星期六）；
        # 9月29日（星期日）、10月12日（星期六）上班
        (_d(2024, 2, 4), _d(2024, 2, 18), _d(2024, 4, 7), _d(2024, 4, 28), _d(2024, 5, 11), _d(2024, 9, 14), _d(2024, 9, 29),
         _d(2024, 10, 12)),
        "2月9日（除夕）为工作日；通知只鼓励各单位安排职工休息。",
    ),
    2025: Arrangement(
        2025, "国务院办公厅关于2025年部分节假日安排的通知", "国办发明电〔2024〕12号", _d(2024, 11, 12),
        (
            _h("元旦", (2025, 1, 1), (2025, 1, 1)),  # 1月1日（周三）放假1天，不调休
            _h("春节", (2025, 1, 28), (2025, 2, 4)),  # 1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天
            _h("清明节", (2025, 4, 4), (2025, 4, 6)),  # 4月4日（周五）至6日（周日）放假，共3天
            _h("劳动节", (2025, 5, 1), (2025, 5, 5)),  # 5月1日（周四）至5日（周一）放假调休，共5天
            _h("端午节", (2025, 5, 31), (2025, 6, 2)),  # 5月31日（周六）至6月2日（周一）放假，共3天
            _h("国庆节、中秋节", (2025, 10, 1), (2025, 10, 8)),  # 10月1日（周三）至8日（周三）放假调休，共8天
        ),
        # 1月26日（周日）、2月8日（周六）；4月27日（周日）；9月28日（周日）、10月11日（周六）上班
        (_d(2025, 1, 26), _d(2025, 2, 8), _d(2025, 4, 27), _d(2025, 9, 28), _d(2025, 10, 11)),
        "首个按2024年11月修订的《全国年节及纪念日放假办法》（除夕、5月2日为新增假日）安排的年度。",
    ),
    2026: Arrangement(
        2026, "国务院办公厅关于2026年部分节假日安排的通知", None, _d(2025, 11, 4),
        (
            _h("元旦", (2026, 1, 1), (2026, 1, 3)),  # 1月1日（周四）至3日（周六）放假调休，共3天
            _h("春节", (2026, 2, 15), (2026, 2, 23)),  # 2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天
            _h("清明节", (2026, 4, 4), (2026, 4, 6)),  # 4月4日（周六）至6日（周一）放假，共3天
            _h("劳动节", (2026, 5, 1), (2026, 5, 5)),  # 5月1日（周五）至5日（周二）放假调休，共5天
            _h("端午节", (2026, 6, 19), (2026, 6, 21)),  # 6月19日（周五）至21日（周日）放假，共3天
            _h("中秋节", (2026, 9, 25), (2026, 9, 27)),  # 9月25日（周五）至27日（周日）放假，共3天
            _h("国庆节", (2026, 10, 1), (2026, 10, 7)),  # 10月1日（周四）至7日（周三）放假调休，共7天
        ),
        # 1月4日（周日）；2月14日（周六）、2月28日（周六）；5月9日（周六）；9月20日（周日）、10月10日（周六）上班
        (_d(2026, 1, 4), _d(2026, 2, 14), _d(2026, 2, 28), _d(2026, 5, 9), _d(2026, 9, 20), _d(2026, 10, 10)),
        "文号未核实：所见全文（新华社2025年11月4日电）不载文号，故不填。"
        "2027年通知若调整2026年12月下旬的日期（如2012年通知调整2011年12月31日），须随2027年一并更新。",
    ),
}  # fmt: skip

_OFF = frozenset().union(*(a.days_off() for a in ARRANGEMENTS.values()))
_ON = frozenset(day for a in ARRANGEMENTS.values() for day in a.workdays)


def arrangement(year: int) -> Arrangement:
    """The notice that fixes a year's holidays, or CalendarError naming the year."""
    found = ARRANGEMENTS.get(year)
    if found is None:
        raise CalendarError(year)
    return found


def is_workday(day: dt.date) -> bool:
    """Whether a day is a working day: a make-up workday, or Monday–Friday outside every holiday."""
    arrangement(day.year)
    if day in _ON:
        return True
    return day.weekday() < 5 and day not in _OFF


def add_workdays(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (n < 0: before it; n = 0: the day itself)."""
    step = ONE_DAY if n >= 0 else -ONE_DAY
    left = abs(n)
    while left:
        day += step
        if is_workday(day):
            left -= 1
    return day


def workdays_between(a: dt.date, b: dt.date) -> int:
    """The working days after `a` up to and including `b` (negative when b is before a); add_workdays' inverse."""
    if b < a:
        return -workdays_between(b, a)
    count, day = 0, a
    while day < b:
        day += ONE_DAY
        count += is_workday(day)
    return count


def first_workday_from(day: dt.date) -> dt.date:
    """`day` if it is a working day, else the next working day (民法典 第二百零三条: a period ending on a day off ends after it)."""
    while not is_workday(day):
        day += ONE_DAY
    return day
