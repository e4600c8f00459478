"""Per-claim facts from the person's suspensions and identities, in one compiled pass over claims (numba).

The rules are plan.build's former vectorised joins (and the engine's): a claim is suspended when a
suspension of its person covers its date (R11); its category is the lowest category among the person's
identities whose window covers the date, the identity listed first among equals; that identity's benefit
period keys the assistance tally (Weihai R13); Weihai's critical-illness groups (R10) and Yichun's
retroactive tilted category (R8) likewise. Each claim reads only its own person's few items (CSR lists).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from numba import njit

from . import kernel

Arr = Any
BENEFIT_PERIOD = 10_000_000  # assistance tally keys of benefit periods: this + the period's first day (years stay below)


@njit(cache=True, nogil=True)
def _facts_part(
    start: int, stop: int, suspended: Arr, category: Arr, assist_key: Arr, group: Arr, retro_cat: Arr, holds: Arr,
    pid: Arr, date: Arr, version: Arr, day0: int, year_of_day: Arr,
    s_start: Arr, s_items: Arr, s_from: Arr, s_to: Arr,
    i_start: Arr, i_items: Arr, i_cat: Arr, w_from: Arr, w_to: Arr, is_bp: Arr,
    i_type: Arr, i_from: Arr, i_to: Arr, group_type: Arr, back: Arr, retro_on: Arr,
    want_suspended: bool, want_key: bool, want_group: bool, want_retro: bool,
) -> None:  # fmt: skip
    """Claims start … stop − 1: their suspended, category, assist_key, group, retro_cat (written in place)."""
    for i in range(start, stop):
        p = pid[i]
        d = date[i]
        v = version[i]
        if holds[p] == 0:  # most persons have neither a suspension nor an identity: one look-up in a small table
            if want_key:
                assist_key[i] = year_of_day[d - day0]
            continue
        if want_suspended:
            for k in range(s_start[p], s_start[p + 1]):
                item = s_items[k]
                if s_from[item] <= d <= s_to[item]:
                    suspended[i] = True
                    break
        lo, hi = i_start[p], i_start[p + 1]
        if lo == hi:
            if want_key:
                assist_key[i] = year_of_day[d - day0]
            continue
        best = 2**62
        chosen = -1
        for k in range(lo, hi):  # the person's identities in input order: the first listed wins among equals
            item = i_items[k]
            cat = i_cat[v, item]
            if cat > 0 and cat < best and w_from[v, item] <= d <= w_to[v, item]:
                best = cat
                chosen = item
        if chosen >= 0:
            category[i] = best
        if want_key:
            if chosen >= 0 and is_bp[v, chosen]:
                assist_key[i] = BENEFIT_PERIOD + w_from[v, chosen]
            else:
                assist_key[i] = year_of_day[d - day0]
        if want_group:
            for k in range(lo, hi):
                item = i_items[k]
                if group_type[v, i_type[item]] and i_from[item] <= d <= i_to[item]:
                    group[i] = True
                    break
        if want_retro and chosen < 0 and retro_on[v]:
            near = 9
            for k in range(lo, hi):
                item = i_items[k]
                cat = i_cat[v, item]
                if cat > 0 and back[v, item] <= d < i_from[item] and cat < near:
                    near = cat
            if near < 9:
                retro_cat[i] = near


def claim_facts(pid: Arr, *rest: Any) -> tuple[Arr, Arr, Arr, Arr, Arr]:
    """suspended, category, assist_key, group, retro_cat per claim (an unwanted column comes back empty); the
    claims are independent here, so large sets are done in two halves on two threads. Arguments as _facts_part."""
    n = pid.shape[0]
    want_suspended, want_key, want_group, want_retro = rest[-4:]
    suspended = np.zeros(n if want_suspended else 0, np.bool_)
    category = np.zeros(n, np.int8)
    assist_key = np.zeros(n if want_key else 0, np.int64)
    group = np.zeros(n if want_group else 0, np.bool_)
    retro_cat = np.zeros(n if want_retro else 0, np.int64)
    outputs = (suspended, category, assist_key, group, retro_cat)
    s_start, i_start = rest[4], rest[8]
    holds = (np.diff(s_start) > 0) | (np.diff(i_start) > 0)  # per person (1 byte, not two 8-byte list bounds)
    part: Any = _facts_part
    args: tuple[Any, ...] = (*outputs, holds, pid, *rest)
    if n < kernel.SPLIT_AT:
        part(0, n, *args)
    else:
        with ThreadPoolExecutor(2) as pool:
            for done in [pool.submit(part, lo, hi, *args) for lo, hi in ((0, n // 2), (n // 2, n))]:
                done.result()
    return outputs
