"""The compiled per-person pass over sorted claims (numba): exact integer fen, same rules as the engine.

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


@njit(cache=True)
def _slot(
    lines: np.ndarray, keys: np.ndarray, used: np.ndarray, num: np.ndarray, den: np.ndarray, paid: np.ndarray, line: int, key: int
) -> int:
    """The person's tally for (line, period), created empty on first use."""
    for i in range(used[0]):
        if lines[i] == line and keys[i] == key:
            return i
    i = used[0]
    if i >= SLOTS:
        raise ValueError("too many accumulator periods for one person")
    lines[i] = line
    keys[i] = key
    num[i] = 0
    den[i] = 1
    paid[i] = 0
    used[0] = i + 1
    return i


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


@njit(cache=True)
def settle_sorted(
    person: Arr, year: Arr, total: Arr, in_scope: Arr, basic: Arr, critical_given: Arr, suspended: Arr, category: Arr, assist_key: Arr,
    crit_mode: Arr, seg_table: Arr, sd_rate: Arr, sd_cap: Arr, line: Arr, a_ded: Arr, a_rate: Arr, a_cap: Arr,
    t_kind: Arr, t_cat_ok: Arr, t_ded: Arr, t_rate: Arr, t_cap: Arr, t_needs: Arr, t_approved: Arr, ceil_rate: Arr,
    seg_start: Arr, seg_rate: Arr, seg_count: Arr,
) -> tuple[Arr, Arr, Arr, Arr, Arr, Arr]:  # fmt: skip
    """Settle claims already sorted by person, service date and arrival; returns the layer columns."""
    n = total.shape[0]
    out_critical = np.zeros(n, np.int64)
    out_assist = np.zeros(n, np.int64)
    out_tilted = np.zeros(n, np.int64)
    out_pending = np.zeros(n, np.int64)
    out_personal = np.zeros(n, np.int64)
    out_status = np.zeros(n, np.int8)
    lines = np.zeros(SLOTS, np.int64)
    keys = np.zeros(SLOTS, np.int64)
    num = np.zeros(SLOTS, np.int64)
    den = np.ones(SLOTS, np.int64)
    paid = np.zeros(SLOTS, np.int64)
    used = np.zeros(1, np.int64)
    current = -1
    for i in range(n):
        if person[i] != current:
            current = person[i]
            used[0] = 0
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
                s = _slot(lines, keys, used, num, den, paid, L_SEG, y)
                num[s] += base_crit
                paid[s] += crit
            elif sd_rate[i] >= 0:
                s = _slot(lines, keys, used, num, den, paid, L_SPECIAL, y)
                num[s] += base_crit
                paid[s] += crit
        elif mode == CRIT_SPECIAL:
            s = _slot(lines, keys, used, num, den, paid, L_SPECIAL, y)
            crit = min(_round_half_up(sd_rate[i] * base_crit, BP), _cap_left(sd_cap[i], paid[s]))
            num[s] += base_crit
            paid[s] += crit
        elif mode == CRIT_SEGMENTS:
            s = _slot(lines, keys, used, num, den, paid, L_SEG, y)
            t = seg_table[i]
            before = num[s]
            after = before + base_crit
            diff = _segments(seg_start[t], seg_rate[t], seg_count[t], after) - _segments(seg_start[t], seg_rate[t], seg_count[t], before)
            crit = _round_half_up(diff, BP)
            num[s] = after
            paid[s] += crit
        base = in_scope[i] - basic[i] - crit
        # -- assistance (R2, R6) -------------------------------------------------------------------
        a_pay = 0
        a_slot = -1
        above_num = 0
        above_den = 1
        if line[i] != LINE_NONE:
            a_slot = _slot(lines, keys, used, num, den, paid, L_ASSIST if line[i] == LINE_MAIN else L_GENERAL, assist_key[i])
            consumed = num[a_slot]
            d = a_ded[i] - consumed
            if d < 0:
                d = 0
            if d > base:
                d = base
            w = _round_half_up(a_rate[i] * (base - d), BP)
            left = _cap_left(a_cap[i], paid[a_slot])
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
            t_slot = _slot(lines, keys, used, num, den, paid, L_TILTED, y)
            cn, cd = num[t_slot], den[t_slot]
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
            t_ent = min(_round_half_up(t_rate[i] * (x - dd), BP * common), _cap_left(t_cap[i], paid[t_slot]))
        approved = t_approved[i] or not t_needs[i]
        t_paid = t_ent if approved else 0
        pending = 0 if approved else t_ent
        # -- Ordos 90 % ceiling (R9) ----------------------------------------------------------------
        if ceil_rate[i] > 0:
            c = _slot(lines, keys, used, num, den, paid, L_CEILING, y)
            if a_pay + t_paid + pending > 0:
                limit = (ceil_rate[i] * (num[c] + total[i])) // BP
                room = limit - paid[c] - basic[i] - crit
                if room < 0:
                    room = 0
                if a_pay > room:
                    a_pay = room
                if t_paid > room - a_pay:
                    t_paid = room - a_pay
                if pending > room - a_pay - t_paid:
                    pending = room - a_pay - t_paid
            num[c] += total[i]
            paid[c] += basic[i] + crit + a_pay + t_paid
        # -- commit --------------------------------------------------------------------------------
        if a_slot >= 0:
            num[a_slot] += base
            paid[a_slot] += a_pay
        if t_slot >= 0:
            # consumed += base (a fraction): bring both to the least common denominator
            cd = den[t_slot]
            g = _gcd(cd, t_base_den)
            lcm = cd // g * t_base_den
            num[t_slot] = num[t_slot] * (lcm // cd) + t_base_num * (lcm // t_base_den)
            den[t_slot] = lcm
            g = _gcd(num[t_slot], den[t_slot])
            num[t_slot] //= g
            den[t_slot] //= g
            paid[t_slot] += t_paid
        out_critical[i] = crit
        out_assist[i] = a_pay
        out_tilted[i] = t_paid
        out_pending[i] = pending
        out_personal[i] = total[i] - basic[i] - crit - a_pay - t_paid
        out_status[i] = ST_PAID if t_paid > 0 else (ST_PENDING if pending > 0 else ST_NONE)
    return out_critical, out_assist, out_tilted, out_pending, out_personal, out_status
