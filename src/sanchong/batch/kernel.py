"""The compiled pass over claims by date, each person with their own tallies (numba): exact integer fen, same rules as the engine.

Every rate is in basis points (rate × 10000, exact for rates of at most four decimals, which the policy
loader enforces). Amounts are int64 fen. The only non-integer quantity, the tilted base "above the cap"
(DESIGN §3.5), is kept as an exact fraction num/den with a small denominator.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from numba import njit

from .memory import huge_pages

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
SPLIT_AT = 200_000  # claims from which the work is split over two threads (here by person, in facts by claim)


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


# a tally is one row of the pool (32 bytes, half a cache line): its tag (line, period key and the person's next
# tally, packed), consumed num/den and paid
S_TAG, S_NUM, S_DEN, S_PAID = 0, 1, 2, 3
KEY_LIMIT = 1 << 24  # period keys: years, or 10 000 000 + a benefit period's first day
NEXT_BITS = 32


@njit(cache=True)
def _slot(head: np.ndarray, person: int, st: np.ndarray, used: np.ndarray, line: int, key: int) -> int:
    """The person's tally for (line, period), created empty on first use (a list per person in one shared pool)."""
    if key < 0 or key >= KEY_LIMIT:
        raise ValueError("accumulator period key out of range")
    want = (line << 24) | key
    i = head[person]
    count = 0
    while i >= 0:
        tag = st[i, S_TAG]
        if tag >> NEXT_BITS == want:
            return i
        i = (tag & 0xFFFFFFFF) - 1
        count += 1
    if count >= SLOTS:
        raise ValueError("too many accumulator periods for one person")
    i = used[0]
    if i + 1 >= 1 << NEXT_BITS:
        raise ValueError("too many accumulators")
    st[i, S_TAG] = (want << NEXT_BITS) | (head[person] + 1)
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


# per-version parameters: columns of the (versions × V_FIELDS) table `per_version`
(
    V_REFERRAL, V_T_KIND, V_T_IN_PROV, V_T_NEEDS, V_T_RATE_ADJ, V_CEIL, V_CRIT_LISTED, V_SD_RATE, V_SD_CAP, V_HAS_SEGMENTS,
    V_GENERIC,
) = range(11)  # fmt: skip
V_FIELDS = 11
# per-(version, category) parameters: the (versions × 5 × C_FIELDS) table `per_category`
C_T_RATE, C_T_CAP, C_CAP_MAIN, C_CAP_GENERAL = 0, 1, 2, 3
C_FIELDS = 4
# problems (the first claim with the lowest code is reported): fixed codes, then the deductible tables' codes
P_GENERIC, P_CRITICAL, P_INSURANCE, P_BASIC = 0, 1, 2, 3
P_FIXED = 4


@njit(cache=True, nogil=True)
def _settle_part(
    order: Arr, persons: int, first_person: int, stop_person: int, head: Arr,
    out_critical: Arr, out_assist: Arr, out_tilted: Arr, out_pending: Arr, out_personal: Arr, out_status: Arr, problem: Arr,
    person: Arr, date: Arr, total: Arr, in_scope: Arr, basic_raw: Arr, critical_raw: Arr, suspended: Arr, category: Arr,
    retro_cat: Arr, assist_key: Arr, version: Arr, visit: Arr, treated: Arr, in_province: Arr, group: Arr, approved_rate: Arr,
    insurance: Arr, day0: int, year_of_day: Arr,
    per_version: Arr, per_category: Arr, line_t: Arr, rate_t: Arr, t_visit: Arr, t_treated: Arr, crit_visit: Arr,
    ded: Arr, ded_err: Arr, first_year: int, years: int, special_drug: int, unreferred: int, amounts_code: int,
    seg_start: Arr, seg_rate: Arr, seg_count: Arr,
) -> int:  # fmt: skip
    """Settle the claims of persons first_person ≤ p < stop_person, read in `order` (by service date, then arrival;
    empty: as they come), each person with their own tallies.

    Per claim it derives the line, rates, caps, deductibles, tilted kind and critical mode from the small
    per-version tables and the claim's keys (version, category, visit, treated, …), exactly as the engine's rules.
    Optional per-claim columns (suspended, retro_cat, assist_key, group, approved_rate) may be empty: all default.
    Writes the layer columns in input order, and per claim problem code + 1 (0: none); returns the lowest code
    met (−1: none; the outputs are then meaningless). A person's claims are met in the engine's processing
    order, so the tallies evolve exactly as in a pass over claims sorted by person.
    """
    n = total.shape[0]
    lowest = -1
    size = 1024 + n // 2  # pages are touched only as tallies are made
    st = np.empty((size, 4), np.int64)
    used = np.zeros(1, np.int64)
    indirect = order.shape[0] > 0
    has_suspended = suspended.shape[0] > 0
    has_retro = retro_cat.shape[0] > 0
    has_key = assist_key.shape[0] > 0
    has_group = group.shape[0] > 0
    has_approvals = approved_rate.shape[0] > 0
    # given critical amounts are tallied only for a later claim settled by segments (R10): none without segments
    any_segments = False
    for v in range(per_version.shape[0]):
        any_segments = any_segments or per_version[v, V_HAS_SEGMENTS] != 0
    for j in range(n):
        i = order[j] if indirect else j
        p = person[i]
        if p < first_person or p >= stop_person:
            continue
        if used[0] + 4 > size:  # a claim opens at most 4 tallies
            size *= 2
            st = _grown(st, size)
        if has_suspended and suspended[i]:  # R11: the person bears it all (the outputs may be the input columns)
            out_personal[i] = total[i]
            out_critical[i] = 0
            out_assist[i] = 0
            continue
        y = year_of_day[date[i] - day0]
        v = version[i]
        x = visit[i]
        cat = category[i]
        basic_i = basic_raw[i]
        given_i = critical_raw[i]
        pv = per_version[v]
        # -- static parameters of the claim (the plan's former columns) ----------------------------
        code = -1
        special = x == special_drug and pv[V_SD_RATE] >= 0
        covered = crit_visit[v, x]
        track_seg = False
        track_special = False
        seg_t = -1
        if given_i >= 0:
            mode = CRIT_GIVEN
            track_seg = any_segments and covered and not special
            track_special = special
        elif pv[V_CRIT_LISTED] and not covered:
            mode = CRIT_ZERO
        elif special:
            mode = CRIT_SPECIAL
        elif has_group and group[i] and pv[V_HAS_SEGMENTS]:
            mode = CRIT_SEGMENTS
            ins = insurance[p]
            if ins < 0:
                code = P_INSURANCE
            seg_t = v * 2 + max(ins, 0)
        else:
            mode = CRIT_GIVEN
            code = P_GENERIC if pv[V_GENERIC] else P_CRITICAL
        if basic_i < 0 and code < 0:
            code = P_BASIC
        line_i = LINE_NONE
        if cat > 0 and not (pv[V_REFERRAL] and treated[i] == unreferred):
            line_i = line_t[v, cat, x]
        yk = y - first_year
        a_ded = 0
        if line_i != LINE_NONE:
            which = 0 if line_i == LINE_MAIN else 1
            key = (v * 5 + cat) * years + yk
            a_ded = ded[which, key]
            if ded_err[which, key] >= 0 and code < 0:
                code = ded_err[which, key]
        tcat = cat
        if cat == 0 and has_retro:
            tcat = retro_cat[i]
        kind = pv[V_T_KIND]
        if cat == 0:
            kind = T_RETRO if tcat > 0 else T_NONE
        if pv[V_T_KIND] == T_NONE or tcat == 0:
            kind = T_NONE
        pcat = per_category[v, tcat]
        if kind != T_NONE:
            eligible = pcat[C_T_RATE] >= 0 and t_visit[v, x] and t_treated[v, treated[i]] and (in_province[i] or not pv[V_T_IN_PROV])
            if not eligible or (kind == T_ABOVE_CAP and line_i == LINE_NONE):
                kind = T_NONE
        t_ded_i = 0
        if kind != T_NONE:
            key = (v * 5 + tcat) * years + yk
            t_ded_i = ded[2, key]
            if ded_err[2, key] >= 0 and code < 0:
                code = ded_err[2, key]
        if code < 0 and (
            basic_i > in_scope[i] or max(basic_i, 0) + max(given_i, 0) > in_scope[i] or in_scope[i] > total[i]
        ):  # fmt: skip
            code = amounts_code
        if code >= 0:
            problem[i] = code + 1
            if lowest < 0 or code < lowest:
                lowest = code
            continue
        if lowest >= 0:
            continue  # the run fails: only the problems matter now
        approved_i = False
        t_rate_i = pcat[C_T_RATE]
        if has_approvals and approved_rate[i] >= -1:  # −2: no approval; −1: approved without a rate
            approved_i = True
            if pv[V_T_RATE_ADJ] and approved_rate[i] >= 0:
                t_rate_i = approved_rate[i]
        a_rate_i = rate_t[v, cat, x]
        a_cap_i = NO_CAP
        if line_i != LINE_NONE:
            a_cap_i = per_category[v, cat, C_CAP_MAIN] if line_i == LINE_MAIN else per_category[v, cat, C_CAP_GENERAL]
        t_cap_i = pcat[C_T_CAP]
        ceil_i = pv[V_CEIL]
        basic_v = basic_i
        base_crit = in_scope[i] - basic_v
        akey = assist_key[i] if has_key else y
        # -- critical illness (R10) --------------------------------------------------------------
        crit = 0
        if mode == CRIT_GIVEN:
            crit = given_i
            if track_seg:  # covered by a policy that tracks critical (segments line)
                s = _slot(head, p, st, used, L_SEG, y)
                st[s, S_NUM] += base_crit
                st[s, S_PAID] += crit
            elif track_special:
                s = _slot(head, p, st, used, L_SPECIAL, y)
                st[s, S_NUM] += base_crit
                st[s, S_PAID] += crit
        elif mode == CRIT_SPECIAL:
            s = _slot(head, p, st, used, L_SPECIAL, y)
            crit = min(_round_half_up(pv[V_SD_RATE] * base_crit, BP), _cap_left(pv[V_SD_CAP], st[s, S_PAID]))
            st[s, S_NUM] += base_crit
            st[s, S_PAID] += crit
        elif mode == CRIT_SEGMENTS:
            s = _slot(head, p, st, used, L_SEG, y)
            t = seg_t
            before = st[s, S_NUM]
            after = before + base_crit
            diff = _segments(seg_start[t], seg_rate[t], seg_count[t], after) - _segments(seg_start[t], seg_rate[t], seg_count[t], before)
            crit = _round_half_up(diff, BP)
            st[s, S_NUM] = after
            st[s, S_PAID] += crit
        base = in_scope[i] - basic_v - crit
        # -- assistance (R2, R6) -------------------------------------------------------------------
        a_pay = 0
        a_slot = -1
        above_num = 0
        above_den = 1
        if line_i != LINE_NONE:
            a_slot = _slot(head, p, st, used, L_ASSIST if line_i == LINE_MAIN else L_GENERAL, akey)
            consumed = st[a_slot, S_NUM]
            d = a_ded - consumed
            if d < 0:
                d = 0
            if d > base:
                d = base
            w = _round_half_up(a_rate_i * (base - d), BP)
            left = _cap_left(a_cap_i, st[a_slot, S_PAID])
            a_pay = min(w, left)
            if w > left and a_rate_i > 0:
                # DESIGN §3.5: the base left unpaid because the cap cut the payment, (b − d) − left / r
                g = _gcd(a_rate_i, BP)
                rn, rd = a_rate_i // g, BP // g
                above_num = (base - d) * rn - left * rd
                above_den = rn
        # -- tilted (R7, R8) -------------------------------------------------------------------------
        t_ent = 0
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
        if kind != T_NONE:
            t_slot = _slot(head, p, st, used, L_TILTED, y)
            cn, cd = st[t_slot, S_NUM], st[t_slot, S_DEN]
            # room left of the deductible, D − consumed, as a fraction over cd (not below 0)
            rem = t_ded_i * cd - cn
            if rem < 0:
                rem = 0
            # d = min(base, rem / cd); x − d over the common denominator t_base_den × cd
            common = t_base_den * cd
            x = t_base_num * cd
            dd = rem * t_base_den
            if dd > x:
                dd = x
            t_ent = min(_round_half_up(t_rate_i * (x - dd), BP * common), _cap_left(t_cap_i, st[t_slot, S_PAID]))
        approved = approved_i or not pv[V_T_NEEDS]
        t_paid = t_ent if approved else 0
        pending = 0 if approved else t_ent
        # -- Ordos 90 % ceiling (R9) ----------------------------------------------------------------
        if ceil_i > 0:
            c = _slot(head, p, st, used, L_CEILING, y)
            if a_pay + t_paid + pending > 0:
                limit = (ceil_i * (st[c, S_NUM] + total[i])) // BP
                room = limit - st[c, S_PAID] - basic_v - crit
                if room < 0:
                    room = 0
                if a_pay > room:
                    a_pay = room
                if t_paid > room - a_pay:
                    t_paid = room - a_pay
                if pending > room - a_pay - t_paid:
                    pending = room - a_pay - t_paid
            st[c, S_NUM] += total[i]
            st[c, S_PAID] += basic_v + crit + a_pay + t_paid
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
        out_personal[i] = total[i] - basic_v - crit - a_pay - t_paid
        # tilted, pending and status start at 0 (fresh zeroed arrays, never the inputs): most claims leave them so,
        # and their pages are then never touched
        if t_paid > 0:
            out_tilted[i] = t_paid
            out_status[i] = ST_PAID
        elif pending > 0:
            out_status[i] = ST_PENDING
        if pending > 0:
            out_pending[i] = pending
    return lowest


def settle_claims(order: Arr, persons: int, *columns: Arr, in_place: bool = False) -> tuple[Arr, Arr, Arr, Arr, Arr, Arr, Arr, int]:
    """Settle claims (see _settle_part for the arguments), the persons split in two halves settled on two threads.

    Each person's tallies stay within one thread and every claim is written by its person's thread only.
    Returns critical, assistance, tilted, pending, personal, status, problem (per claim) and the lowest problem code.

    in_place: critical, assistance and personal are written over the critical_raw, in_scope and total columns
    (a claim's inputs are all read before its outputs are written, and no other claim reads them), which spares
    three fresh 80 MB arrays at 10 million claims; the columns then hold the results, so only a caller that owns
    them and will not settle them again may ask for it.
    """
    n = columns[2].shape[0]  # total
    replaced = (0, 1, 4) if in_place else ()  # critical, assistance, personal
    outputs: list[Any] = [None if k in replaced else np.zeros(n, np.int64) for k in range(5)]
    outputs += [np.zeros(n, np.int8), np.zeros(n, np.int32)]
    if in_place:  # critical over critical_raw, assistance over in_scope, personal over total
        outputs[0], outputs[1], outputs[4] = columns[5], columns[3], columns[2]
    part: Any = _settle_part
    with huge_pages():  # read at random: fewer TLB misses
        head = np.full(persons, -1, np.int64)
    parts = [(0, persons // 2), (persons // 2, persons)] if n >= SPLIT_AT else [(0, persons)]
    if len(parts) == 1:
        lowest = [part(order, persons, 0, persons, head, *outputs, *columns)]
    else:
        with ThreadPoolExecutor(len(parts)) as pool:
            runs = [pool.submit(part, order, persons, lo, hi, head, *outputs, *columns) for lo, hi in parts]
            lowest = [run.result() for run in runs]
    met = [code for code in lowest if code >= 0]
    critical, assistance, tilted, pending, personal, status, problem = outputs
    return critical, assistance, tilted, pending, personal, status, problem, min(met) if met else -1
