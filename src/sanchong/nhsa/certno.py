"""Sex, birth date and age read from an 18-digit resident ID number (GB 11643), when it is not masked."""

from __future__ import annotations

import datetime as dt
import re

_ID18 = re.compile(r"[0-9]{17}[0-9Xx]")


def birth_date(id_number: str) -> dt.date | None:
    """Positions 7-14 as a date; None for a masked, short or malformed number."""
    if not _ID18.fullmatch(id_number):
        return None
    try:
        return dt.datetime.strptime(id_number[6:14], "%Y%m%d").date()
    except ValueError:
        return None


def gender(id_number: str) -> str | None:
    """GB/T 2261.1 gend: '1' male when the 17th digit is odd, '2' female when even; None when unreadable."""
    if birth_date(id_number) is None:
        return None
    return "1" if int(id_number[16]) % 2 else "2"


def age_on(birth: dt.date | None, day: dt.date) -> int | None:
    """Completed years on the day; None when the birth date is unknown or after the day."""
    if birth is None or birth > day:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
