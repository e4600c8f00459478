"""The deadlines a region's rule sets for department lists, counted in working days (docs/department_lists.md L1–L4).

- push (宜春 第二十条): a new or ended recipient reaches the bureau within N working days of certification;
- monthly (昆玉 四(一)): the month's list by day D of the month, or the next working day when D is a day off
  (民法典 第二百零三条); a late list may still come within S working days as a supplement (补报) with reasons;
- mark (昆玉 四(二)): the bureau marks the identities within M working days of receipt.

Lateness is the number of working days after the due day up to the day it happened (0: on time). Pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..policy.model import Policy
from ..workdays import CalendarError, add_workdays, first_workday_from, workdays_between


@dataclass(frozen=True)
class Deadline:
    push_due: dt.date | None = None
    push_late: int | None = None  # working days late; None: no rule, or not assessable (see note)
    mark_due: dt.date | None = None
    mark_late: int | None = None
    note: str = ""


def _int(policy: Policy, key: str) -> int | None:
    value = policy.value(key)
    return value if isinstance(value, int) else None


def _late(due: dt.date, done: dt.date) -> int:
    return max(0, workdays_between(due, done))


def assess(policy: Policy | None, certified_on: dt.date, received_on: dt.date, marked_on: dt.date | None) -> Deadline:
    """Due days and lateness of one row under the region's policy in force on the day the list was received."""
    if policy is None:
        return Deadline(note=f"{received_on} 无生效的政策版本，不判断期限 (no policy in force: deadlines not assessed)")
    push_due = push_late = mark_due = mark_late = None
    notes: list[str] = []
    try:
        within = _int(policy, "lists.push_within_workdays")
        due_day = _int(policy, "lists.monthly_due_day")
        if within is not None:
            push_due = add_workdays(certified_on, within)
            push_late = _late(push_due, received_on)
            notes.append(f"{policy.cite('lists.push_within_workdays')}：认定后{within}个工作日内推送，{certified_on} 认定，最迟 {push_due}")
        elif due_day is not None:
            push_due = first_workday_from(received_on.replace(day=due_day))
            push_late = _late(push_due, received_on)
            notes.append(f"{policy.cite('lists.monthly_due_day')}：每月{due_day}日前推送，本月到期 {push_due}")
            extra = _int(policy, "lists.supplement_within_workdays")
            if push_late and extra is not None:
                until = add_workdays(push_due, extra)
                within_window = "在补报期限内，须说明原因" if received_on <= until else "已超过补报期限"
                notes.append(f"补报期限 {until}（{extra}个工作日），{within_window}")
        marks = _int(policy, "lists.mark_within_workdays")
        if marks is not None:
            mark_due = add_workdays(received_on, marks)
            mark_late = None if marked_on is None else _late(mark_due, marked_on)
            notes.append(f"{policy.cite('lists.mark_within_workdays')}：收到后{marks}个工作日内标识，最迟 {mark_due}")
    except CalendarError as error:
        return Deadline(note=f"期限无法判断 (deadline not assessable): {error}")
    return Deadline(push_due, push_late, mark_due, mark_late, "；".join(notes))
