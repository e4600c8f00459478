"""The compiled pass over claims by date, each person with their own tallies (numba): exact integer fen, same rules as the engine.

Every rate is in basis points (rate × 10000, exact for rates of at most four decimals, which the policy
loader enforces). Amounts are int64 fen. The only non-integer quantity, the tilted base "above the cap"
(DESIGN §3.5), is kept as an exact fraction num/den with a small denominator.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

Arr = Any  # numpy arrays; numba infers the concrete types at compile time

BP = 10000
NO_CAP = -1
# assistance line
LINE_NONE, LINE_MAIN, LINE_GENERAL = 0, 1, 2
# critical mode
CRIT_GIVEN, CRIT_SPECIAL, CRIT_SEGMENTS, CRIT_ZERO = 0, 1, 2, 3
# tilted base kind
T_NONE, T_ABOVE_CAP, T_REMAINING, T_RETRO = 0, 1, 2, 3
# status
ST_NONE, ST_PAID, ST_PENDING = 0, 1, 2
# tally slots per person: (line, key) → consumed num/den, paid
L_ASSIST, L_GENERAL, L_TILTED, L_CEILING, L_SEG, L_SPECIAL = 0, 1, 2, 3, 4, 5
SLOTS = 64


@njit(cache=True)
def _gcd(a: int, b: int) -> int:
    a, b = abs(a), abs(b)
    while b:
        a, b = b, a % b
    return a if a else 1


@njit(cache=True)
def _round_half_up(num: int, den: int) -> int:
    """Round num/den (num ≥ 0, den > 0) half-up to an integer."""
    return int((2 * num + den) // (2 * den))


@njit(cache=True)
def _cap_left(cap: int, paid: int) -> int:
    """What is left of an annual cap (never below 0); 'no cap' leaves an unlimited amount."""
    if cap == NO_CAP:
        return 2**62
    return max(cap - paid, 0)


# a tally is one row of the pool (one cache line): its line, period key, the next tally of the same person,
# consumed num/den and paid
S_LINE, S_KEY, S_NEXT, S_NUM, S_DEN, S_PAID = 0, 1, 2, 3, 4, 5


@njit(cache=True)
def _slot(head: np.ndarray, person: int, st: np.ndarray, used: np.ndarray, line: int, key: int) -> int:
    """The person's tally for (line, period), created empty on first use (a list per person in one shared pool)."""
    i = head[person]
    count = 0
    while i >= 0:
        if st[i, S_LINE] == line and st[i, S_KEY] == key:
            return i
        i = st[i, S_NEXT]
        count += 1
    if count >= SLOTS:
        raise ValueError("too many accumulator periods for one person")
    i = used[0]
    st[i, S_LINE] = line
    st[i, S_KEY] = key
    st[i, S_NEXT] = head[person]
    st[i, S_NUM] = 0
    st[i, S_DEN] = 1
    st[i, S_PAID] = 0
    head[person] = i
    used[0] = i + 1
    return i


@njit(cache=True)
def _grown(values: np.ndarray, size: int) -> np.ndarray:
    out = np.empty((size, values.shape[1]), values.dtype)
    out[: values.shape[0]] = values
    return out


@njit(cache=True)
def _segments(bands_start: np.ndarray, bands_rate: np.ndarray, count: int, x: int) -> int:
    """g(x) in 1/10000 fen: Σ rate_bp × (min(x, next) − start) over the bands below x."""
    total = 0
    for i in range(count):
        start = bands_start[i]
        if x <= start:
            break
        top = x
        if i + 1 < count and bands_start[i + 1] < top:
            top = bands_start[i + 1]
        total += bands_rate[i] * (top - start)
    return total


@njit(cache=True, nogil=True)
def settle_claims(
    order: Arr, persons: int,
    person: Arr, year: Arr, total: Arr, in_scope: Arr, basic: Arr, critical_given: Arr, suspended: Arr, category: Arr, assist_key: Arr,
    crit_mode: Arr, seg_table: Arr, sd_rate: Arr, sd_cap: Arr, line: Arr, a_ded: Arr, a_rate: Arr, a_cap: Arr,
    t_kind: Arr, t_cat_ok: Arr, t_ded: Arr, t_rate: Arr, t_cap: Arr, t_needs: Arr, t_approved: Arr, ceil_rate: Arr,
    seg_start: Arr, seg_rate: Arr, seg_count: Arr,
) -> tuple[Arr, Arr, Arr, Arr, Arr, Arr]:  # fmt: skip
    """Settle claims read in `order` (by service date, then arrival; empty: as they come), each person with their own tallies.

    Returns the layer columns in input order. A person's claims are met in the engine's processing order, so
    the tallies (periods consumed, caps paid) evolve exactly as in a pass over claims sorted by person.
    """
    n = total.shape[0]
    out_critical = np.zeros(n, np.int64)
    out_assist = np.zeros(n, np.int64)
    out_tilted = np.zeros(n, np.int64)
    out_pending = np.zeros(n, np.int64)
    out_personal = np.zeros(n, np.int64)
    out_status = np.zeros(n, np.int8)
    head = np.full(persons, -1, np.int64)
    size = 1024 + n // 2
    st = np.empty((size, 8), np.int64)  # 6 fields, padded to 64 bytes
    used = np.zeros(1, np.int64)
    indirect = order.shape[0] > 0
    for j in range(n):
        i = order[j] if indirect else j
        if used[0] + 4 > size:  # a claim opens at most 4 tallies
            size *= 2
            st = _grown(st, size)
        p = person[i]
        if suspended[i]:
            out_personal[i] = total[i]
            continue
        y = year[i]
        base_crit = in_scope[i] - basic[i]
        # -- critical illness (R10) --------------------------------------------------------------
        mode = crit_mode[i]
        crit = 0
        if mode == CRIT_GIVEN:
            crit = critical_given[i]
            if seg_table[i] >= 0:  # covered by a policy that tracks critical (segments line)
                s = _slot(head, p, st, used, L_SEG, y)
                st[s, S_NUM] += base_crit
                st[s, S_PAID] += crit
            elif sd_rate[i] >= 0:
                s = _slot(head, p, st, used, L_SPECIAL, y)
                st[s, S_NUM] += base_crit
                st[s, S_PAID] += crit
        elif mode == CRIT_SPECIAL:
            s = _slot(head, p, st, used, L_SPECIAL, y)
            crit = min(_round_half_up(sd_rate[i] * base_crit, BP), _cap_left(sd_cap[i], st[s, S_PAID]))
            st[s, S_NUM] += base_crit
            st[s, S_PAID] += crit
        elif mode == CRIT_SEGMENTS:
            s = _slot(head, p, st, used, L_SEG, y)
            t = seg_table[i]
            before = st[s, S_NUM]
            after = before + base_crit
            diff = _segments(seg_start[t], seg_rate[t], seg_count[t], after) - _segments(seg_start[t], seg_rate[t], seg_count[t], before)
            crit = _round_half_up(diff, BP)
            st[s, S_NUM] = after
            st[s, S_PAID] += crit
        base = in_scope[i] - basic[i] - crit
        # -- assistance (R2, R6) -------------------------------------------------------------------
        a_pay = 0
        a_slot = -1
        above_num = 0
        above_den = 1
        if line[i] != LINE_NONE:
            a_slot = _slot(head, p, st, used, L_ASSIST if line[i] == LINE_MAIN else L_GENERAL, assist_key[i])
            consumed = st[a_slot, S_NUM]
            d = a_ded[i] - consumed
            if d < 0:
                d = 0
            if d > base:
                d = base
            w = _round_half_up(a_rate[i] * (base - d), BP)
            left = _cap_left(a_cap[i], st[a_slot, S_PAID])
            a_pay = min(w, left)
            if w > left and a_rate[i] > 0:
                # DESIGN §3.5: the base left unpaid because the cap cut the payment, (b − d) − left / r
                g = _gcd(a_rate[i], BP)
                rn, rd = a_rate[i] // g, BP // g
                above_num = (base - d) * rn - left * rd
                above_den = rn
        # -- tilted (R7, R8) -------------------------------------------------------------------------
        t_ent = 0
        kind = t_kind[i]
        t_base_num = 0
        t_base_den = 1
        if kind == T_RETRO:
            t_base_num = base
        elif kind == T_REMAINING:
            t_base_num = base - a_pay
        elif kind == T_ABOVE_CAP:
            if a_slot >= 0 and above_num > 0:
                t_base_num = above_num
                t_base_den = above_den
            else:
                kind = T_NONE
        t_slot = -1
        if kind != T_NONE and t_cat_ok[i]:
            t_slot = _slot(head, p, st, used, L_TILTED, y)
            cn, cd = st[t_slot, S_NUM], st[t_slot, S_DEN]
            # room left of the deductible, D − consumed, as a fraction over cd (not below 0)
            rem = t_ded[i] * cd - cn
            if rem < 0:
                rem = 0
            # d = min(base, rem / cd); x − d over the common denominator t_base_den × cd
            common = t_base_den * cd
            x = t_base_num * cd
            dd = rem * t_base_den
            if dd > x:
                dd = x
            t_ent = min(_round_half_up(t_rate[i] * (x - dd), BP * common), _cap_left(t_cap[i], st[t_slot, S_PAID]))
        approved = t_approved[i] or not t_needs[i]
        t_paid = t_ent if approved else 0
        pending = 0 if approved else t_ent
        # -- Ordos 90 % ceiling (R9) ----------------------------------------------------------------
        if ceil_rate[i] > 0:
            c = _slot(head, p, st, used, L_CEILING, y)
            if a_pay + t_paid + pending > 0:
                limit = (ceil_rate[i] * (st[c, S_NUM] + total[i])) // BP
                room = limit - st[c, S_PAID] - basic[i] - crit
                if room < 0:
                    room = 0
                if a_pay > room:
                    a_pay = room
                if t_paid > room - a_pay:
                    t_paid = room - a_pay
                if pending > room - a_pay - t_paid:
                    pending = room - a_pay - t_paid
            st[c, S_NUM] += total[i]
            st[c, S_PAID] += basic[i] + crit + a_pay + t_paid
        # -- commit --------------------------------------------------------------------------------
        if a_slot >= 0:
            st[a_slot, S_NUM] += base
            st[a_slot, S_PAID] += a_pay
        if t_slot >= 0:
            # consumed += base (a fraction): bring both to the least common denominator
            cd = st[t_slot, S_DEN]
            g = _gcd(cd, t_base_den)
            lcm = cd // g * t_base_den
            st[t_slot, S_NUM] = st[t_slot, S_NUM] * (lcm // cd) + t_base_num * (lcm // t_base_den)
            st[t_slot, S_DEN] = lcm
            g = _gcd(st[t_slot, S_NUM], st[t_slot, S_DEN])
            st[t_slot, S_NUM] //= g
            st[t_slot, S_DEN] //= g
            st[t_slot, S_PAID] += t_paid
        out_critical[i] = crit
        out_assist[i] = a_pay
        out_tilted[i] = t_paid
        out_pending[i] = pending
        out_personal[i] = total[i] - basic[i] - crit - a_pay - t_paid
        out_status[i] = ST_PAID if t_paid > 0 else (ST_PENDING if pending > 0 else ST_NONE)
    return out_critical, out_assist, out_tilted, out_pending, out_personal, out_status
