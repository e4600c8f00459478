"""Per-claim plan for the kernel: the claim's keys (person, version, category, visit, period …) and small tables.

Everything here is vectorised over claims (numpy, Arrow); Python loops run over policy versions,
categories, visit types and years only. The parameters themselves (line, rates, caps, deductibles, tilted
kind, critical mode) live in small per-(version, category, visit, year) tables the kernel looks up per claim.
The rules are the engine's (sanchong.engine): this module
encodes the same decisions as arrays, and tests prove batch equals online row by row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..engine.errors import SettlementError
from ..engine.model import IDENTITY_TYPES, INSURANCE, OUTPATIENT_VISITS, TREATED, VISITS
from ..engine.money import parse_rate
from ..engine.params import Params
from ..policy.model import Policy, Statistics
from . import kernel as k
from .columns import FAR, ClaimTables, add_months, codes, days, fen, flat, month_start, year_of
from .facts import claim_facts
from .join import Index

BP = 10000


def bp(rate: Any) -> int:
    """A rate (Fraction) in basis points; exact for the at most four decimals the loader allows."""
    value = rate * BP
    assert value.denominator == 1, rate
    return int(value)


@dataclass
class Plan:
    """Kernel inputs in input order, and the order the kernel reads them in (service date, then arrival).

    Each person's claims come in the engine's processing order (service date, then arrival) whatever the
    other persons' claims in between: the kernel keeps every person's tallies apart, so reading the claims
    by date gives each person the same sequence as sorting by person first, without moving any column.
    `order` is None when the claims already come by date (the usual file: claims arrive as they happen).
    """

    order: np.ndarray | None
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    segments: tuple[np.ndarray, np.ndarray, np.ndarray] = (np.zeros((1, 1), np.int64), np.zeros((1, 1), np.int64), np.zeros(1, np.int64))
    version: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    category: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    tables: dict[str, Any] = field(default_factory=dict)
    messages: list[Any] = field(default_factory=list)
    fail: Any = None
    ranking: Any = None


def _fail(tables: ClaimTables, index: int, field: str, cause: str, cause_en: str) -> SettlementError:
    return SettlementError(str(tables.claims["claim_id"][int(index)].as_py()), field, cause, cause_en)


def _names(policy: Policy, key: str) -> tuple[str, ...]:
    value = policy.value(key, ())
    return value if isinstance(value, tuple) else ()


def _index(column: Any, persons: pa.Table, index: Index | None = None) -> np.ndarray:
    """Row of each psn_no in persons; a row about an unknown person is an error."""
    found = None if index is None else index.rows(column)
    if found is not None:
        if (found < 0).any():
            raise SettlementError(None, "psn_no", f"未知人员 {column[int(np.flatnonzero(found < 0)[0])].as_py()}", "unknown person")
        return found
    if 4 * len(column) < persons.num_rows:  # a small table (identities, suspensions): hash its few names, probe persons
        names = pc.unique(column)
        slot = pc.index_in(persons["psn_no"], value_set=names)
        held = np.asarray(pc.is_valid(slot).to_numpy(zero_copy_only=False), dtype=bool)
        row_of = np.full(len(names), -1, np.int64)
        row_of[np.asarray(pc.drop_null(slot).to_numpy(zero_copy_only=False), dtype=np.int64)] = np.flatnonzero(held)
        rows = row_of[np.asarray(pc.index_in(column, value_set=names).to_numpy(zero_copy_only=False), dtype=np.int64)]
        if (rows < 0).any():
            raise SettlementError(None, "psn_no", f"未知人员 {column[int(np.flatnonzero(rows < 0)[0])].as_py()}", "unknown person")
        return rows
    found = pc.index_in(column, value_set=persons["psn_no"])
    if found.null_count:
        raise SettlementError(None, "psn_no", f"未知人员 {pc.filter(column, pc.is_null(found))[0].as_py()}", "unknown person")
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int64)


def _lists(owner: np.ndarray, owners: int) -> tuple[np.ndarray, np.ndarray]:
    """Each owner's items in input order, as lists: items[start[o]:start[o + 1]] (compressed sparse rows)."""
    start = np.zeros(owners + 1, np.int64)
    if owner.shape[0]:
        np.cumsum(np.bincount(owner, minlength=owners), out=start[1:])
    return start, np.argsort(owner, kind="stable")


def _processing_order(pid: np.ndarray, date: np.ndarray) -> np.ndarray:
    """Claims by person, then service date, then arrival (as np.lexsort), by stable 16-bit radix passes: O(n)."""
    if pid.shape[0] == 0:
        return np.zeros(0, np.int64)
    offset = date - date.min()
    if int(offset.max()) >= 2**16:
        return np.lexsort((np.arange(pid.shape[0]), date, pid))
    order = np.argsort(offset.astype(np.uint16), kind="stable")  # numpy sorts 16-bit keys by radix
    shift, top = 0, int(pid.max())
    while True:
        digit = ((pid[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
        shift += 16
        if top >> shift == 0:
            return order


def _date_order(date: np.ndarray) -> np.ndarray | None:
    """Claims by service date, then arrival (stable); None when they already are (no sort, no copy)."""
    if date.shape[0] < 2 or bool((date[1:] >= date[:-1]).all()):
        return None
    offset = date - date.min()
    if int(offset.max()) < 2**16:
        return np.argsort(offset.astype(np.uint16), kind="stable")  # radix
    return np.argsort(date, kind="stable")


class Ranking:
    """The processing order (person, service date, arrival), sorted only when an error must name its first claim."""

    def __init__(self, pid: np.ndarray, date: np.ndarray) -> None:
        self.pid, self.date = pid, date
        self._order: np.ndarray | None = None

    @property
    def order(self) -> np.ndarray:
        if self._order is None:
            self._order = _processing_order(self.pid, self.date)
        return self._order


def _first(mask: np.ndarray, ranking: Ranking) -> int:
    """The first claim (in processing order) where mask holds."""
    order = ranking.order
    ranked = np.flatnonzero(mask[order])
    return int(order[ranked[0]])


def build(tables: ClaimTables, versions: list[Policy], statistics: Statistics) -> Plan:
    c = tables.claims
    n = c.num_rows
    persons = tables.persons
    person_index = Index(persons["psn_no"])
    joined = person_index.rows(c["psn_no"])
    if joined is None:  # codes of mixed or long widths: pyarrow's hash join
        found = pc.index_in(c["psn_no"], value_set=persons["psn_no"])
        joined = np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    if (joined < 0).any():
        bad = int(np.flatnonzero(joined < 0)[0])
        raise _fail(tables, bad, "person", f"未知人员 {c['psn_no'][bad].as_py()}", "unknown person")
    pid = joined
    npersons = persons.num_rows
    date = days(c["date"], dtype=np.int32)
    day0 = int(date.min()) if n else 0
    day_range = np.arange(day0, (int(date.max()) if n else 0) + 1, dtype=np.int64)
    year_of_day = year_of(day_range)
    visit = codes(c["visit"], VISITS, "visit")
    treated = codes(c["treated"], TREATED, "treated")
    in_province = flat(c["in_province"], np.bool_, True)
    total, in_scope, basic, critical = fen(c["total"]), fen(c["in_scope"]), fen(c["basic"]), fen(c["critical"])
    insurance = codes(persons["insurance"], INSURANCE, "insurance", unknown=-1)  # −1: not given (needed only by R10 bands)
    order = Ranking(pid, date)
    year_cache: list[np.ndarray] = []

    def year() -> np.ndarray:
        """Each claim's year (computed only where a step needs it per claim)."""
        if not year_cache:
            year_cache.append(year_of_day[date - day0])
        return year_cache[0]

    # -- policy version by service date (DESIGN §4): a table by day, gathered once ---------------------
    version_of_day = np.full(day_range.shape[0], -1, np.int8)
    for index, policy in enumerate(versions):
        start = (np.datetime64(policy.effective_from) - np.datetime64("1970-01-01")).astype(np.int64)
        end = FAR if policy.effective_to is None else (np.datetime64(policy.effective_to) - np.datetime64("1970-01-01")).astype(np.int64)
        version_of_day[(day_range >= start) & (day_range <= end)] = index
    single = bool((version_of_day == version_of_day[0]).all())  # one version covers every day of the claims: no gather
    vidx = np.full(n, version_of_day[0], np.int8) if single else version_of_day[date - day0]
    if (version_of_day < 0).any() and (vidx < 0).any():
        bad = _first(vidx < 0, order)
        raise _fail(
            tables, bad, "date", f"服务日期 {c['date'][bad].as_py()} 不在任何政策版本有效期内", "no policy version on the service date"
        )

    # -- suspensions (R11) and identities: the person's items as lists (CSR), read per claim by facts.claim_facts --
    s = tables.suspensions
    s_pid = _index(s["psn_no"], persons, person_index) if s.num_rows else np.zeros(0, np.int64)
    s_start, s_items = _lists(s_pid, npersons)
    s_from, s_to = (days(s["valid_from"]), days(s["valid_to"])) if s.num_rows else (np.zeros(0, np.int64), np.zeros(0, np.int64))

    # -- identities: category by version, windows (benefit periods), best per claim ----------------------
    ids = tables.identities
    m = ids.num_rows
    i_pid = _index(ids["psn_no"], persons, person_index) if m else np.zeros(0, np.int64)
    i_type = codes(ids["type"], IDENTITY_TYPES, "identities.type") if m else np.zeros(0, np.int8)
    i_own = fen(ids["category"], 0) if m else np.zeros(0, np.int64)
    i_from = days(ids["valid_from"]) if m else np.zeros(0, np.int64)
    i_to = days(ids["valid_to"], FAR) if m else np.zeros(0, np.int64)
    i_applied = days(ids["applied_on"], np.int64(-(2**40))) if m else np.zeros(0, np.int64)
    nv = len(versions)
    i_cat = np.zeros((nv, m), np.int64)
    w_from = np.tile(i_from, (nv, 1))
    w_to = np.tile(i_to, (nv, 1))
    is_bp = np.zeros((nv, m), bool)
    group_type = np.zeros((nv, len(IDENTITY_TYPES)), bool)
    back = np.zeros((nv, m), np.int64)
    retro_on = np.zeros(nv, bool)
    for v, policy in enumerate(versions):
        fixed = set(_names(policy, "categories.fixed_by_rule"))
        for t, name in enumerate(IDENTITY_TYPES):
            value: Any = policy.value(f"categories.{name}")
            if value is None:
                continue
            sel = i_type == t
            own = i_own[sel]
            i_cat[v, sel] = value if name in fixed else np.where(own > 0, own, value)
        bp_type = policy.value("assistance.benefit_period.identity")
        if bp_type is not None:
            sel = i_type == IDENTITY_TYPES.index(str(bp_type))
            if (i_applied[sel] < -(2**39)).any():
                raise SettlementError(None, "identities.applied_on", f"{policy.name}因病致贫重病患者须给出申请日期", "applied_on required")
            lookback = int(policy.value("assistance.benefit_period.lookback_months", 12))  # type: ignore[call-overload]
            w_from[v, sel] = add_months(month_start(i_applied[sel]), -lookback)
            w_to[v, sel] = np.where(i_to[sel] < FAR, i_to[sel], add_months(i_from[sel], 12) - 1)
            is_bp[v, sel] = True
        for g in _names(policy, "critical.groups"):  # Weihai: the identities with the critical-illness bands (R10)
            group_type[v, IDENTITY_TYPES.index(g)] = True
        months = policy.value("tilted.retro_months")
        if months:  # Yichun: claims within N months before an identification (R8)
            back[v] = add_months(i_from, -int(months))  # type: ignore[call-overload]
            retro_on[v] = True
    i_start, i_items = _lists(i_pid, npersons)
    suspended, category, assist_key, group, retro_cat = claim_facts(
        pid, date, vidx, day0, year_of_day, s_start, s_items, s_from, s_to, i_start, i_items, i_cat, w_from, w_to, is_bp,
        i_type, i_from, i_to, group_type, back, retro_on, s.num_rows > 0, bool(is_bp.any()), bool(group_type.any()),
        bool(retro_on.any()),
    )  # fmt: skip

    # -- approvals (first matching approval, as engine.run.approval_for) ------------------------------
    approved_rate = np.zeros(0, np.int64)  # per claim −2: no approval, −1: approved without a rate, else the rate; empty: none
    a = tables.approvals
    if a is not None and a.num_rows:
        a_pid = _index(a["psn_no"], persons, person_index)
        a_claim = a["claim_id"].to_pylist()
        a_year = fen(a["year"], 0)
        a_rate = [None if r is None else bp(parse_rate(r)) for r in a["rate"].to_pylist()]
        first: dict[tuple[int, str], int] = {}
        first_year: dict[tuple[int, int], int] = {}
        for index in range(a.num_rows):
            if a_claim[index] is not None:
                first.setdefault((int(a_pid[index]), a_claim[index]), index)
            else:
                first_year.setdefault((int(a_pid[index]), int(a_year[index])), index)
        by_claim = np.full(n, -1, np.int64)
        if first:
            keys = pa.array([f"{p}\x00{cid}" for p, cid in first])
            probe = pc.binary_join_element_wise(pc.cast(pa.array(pid), pa.string()), c["claim_id"], "\x00")
            hit = pc.fill_null(pc.index_in(probe, value_set=keys), -1).to_numpy(zero_copy_only=False).astype(np.int64)
            values = np.array(list(first.values()), np.int64)
            by_claim = np.where(hit >= 0, values[np.maximum(hit, 0)], -1)
        by_year = np.full(n, -1, np.int64)
        if first_year:
            lookup = {p * 10000 + y: i for (p, y), i in first_year.items()}
            ykeys = np.array(list(lookup.keys()), np.int64)
            yvals = np.array(list(lookup.values()), np.int64)
            sorter = np.argsort(ykeys)
            probe_year = pid * 10000 + year()
            pos = np.searchsorted(ykeys, probe_year, sorter=sorter)
            pos = np.minimum(pos, len(ykeys) - 1)
            match = ykeys[sorter[pos]] == probe_year
            by_year = np.where(match, yvals[sorter[pos]], -1)
        both = np.where((by_claim >= 0) & (by_year >= 0), np.minimum(by_claim, by_year), np.maximum(by_claim, by_year))
        rates = np.array([-1 if r is None else r for r in a_rate], np.int64)
        approved_rate = np.where(both >= 0, rates[np.maximum(both, 0)], -2)

    plan = Plan(_date_order(date))
    plan.version = vidx
    plan.category = category
    year0, years = (int(year_of_day[0]), int(year_of_day[-1] - year_of_day[0]) + 1) if n else (0, 1)
    small, plan.messages = _tables(versions, statistics, year0, years)
    plan.columns = dict(
        person=pid, date=date, total=total, in_scope=in_scope, basic_raw=basic, critical_raw=critical, suspended=suspended,
        category=category, retro_cat=retro_cat, assist_key=assist_key, version=vidx, visit=visit, treated=treated,
        in_province=in_province, group=group, approved_rate=approved_rate,
    )  # fmt: skip
    plan.tables = dict(insurance=insurance, day0=day0, year_of_day=year_of_day, **small)
    plan.segments = _segment_tables(versions)
    plan.fail = lambda index, field, cause, cause_en: _fail(tables, index, field, cause, cause_en)
    plan.ranking = order
    return plan


def _segment_tables(versions: list[Policy]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Critical-illness bands per (version, insurance): table index = version × 2 + insurance."""
    width = max([1] + [len(_names(p, f"critical.segments.{ins}")) for p in versions for ins in INSURANCE])
    start = np.zeros((len(versions) * 2, width), np.int64)
    rate = np.zeros((len(versions) * 2, width), np.int64)
    count = np.zeros(len(versions) * 2, np.int64)
    for v, policy in enumerate(versions):
        for j, ins in enumerate(INSURANCE):
            bands: Any = policy.value(f"critical.segments.{ins}") or ()
            for b, (from_fen, band_rate) in enumerate(bands):
                start[v * 2 + j, b] = from_fen
                rate[v * 2 + j, b] = bp(band_rate)
            count[v * 2 + j] = len(bands)
    return start, rate, count


def _cap(policy: Policy, key: str) -> int:
    value = policy.value(key)
    return k.NO_CAP if value is None or not isinstance(value, int) else value


Message = tuple[str, str, str] | BaseException | None


def _tables(versions: list[Policy], statistics: Statistics, year0: int, years: int) -> tuple[dict[str, Any], list[Message]]:
    """The small per-(version, category, visit, year) tables the kernel looks each claim's parameters up in.

    Also the problem messages by code (kernel.P_* first, then each deductible that cannot be resolved, then
    inconsistent amounts): a claim meets a problem only when it needs that entry, so every entry is tried here
    and its error kept for the kernel to report against the first claim (in processing order) that needs it.
    """
    nv, nvis = len(versions), len(VISITS)
    line_t = np.zeros((nv, 5, nvis), np.int64)
    rate_t = np.zeros((nv, 5, nvis), np.int64)
    per_category = np.zeros((nv, 5, k.C_FIELDS), np.int64)
    per_category[:, :, k.C_T_RATE] = -1
    per_category[:, :, [k.C_T_CAP, k.C_CAP_MAIN, k.C_CAP_GENERAL]] = k.NO_CAP
    per_version = np.zeros((nv, k.V_FIELDS), np.int64)
    t_visit = np.zeros((nv, nvis), bool)
    t_treated = np.zeros((nv, len(TREATED)), bool)
    crit_visit = np.zeros((nv, nvis), bool)
    for v, p in enumerate(versions):
        pv = per_version[v]
        pv[k.V_REFERRAL] = bool(p.value("assistance.requires_referral", False))
        assist_visits = p.value("assistance.visits", ()) or ()
        general_visits = p.value("general_outpatient.visits", ()) or ()
        for cat in range(1, 5):
            per_category[v, cat, k.C_CAP_MAIN] = _cap(p, f"assistance.cap.cat{cat}")
            per_category[v, cat, k.C_CAP_GENERAL] = _cap(p, f"general_outpatient.cap.cat{cat}")
            for x, name in enumerate(VISITS):
                mapped = str(p.value(f"assistance.as_visit.{name}", name))
                if mapped in general_visits:  # type: ignore[operator]
                    if p.value(f"general_outpatient.rate.cat{cat}") is not None:
                        line_t[v, cat, x] = k.LINE_GENERAL
                        rate_t[v, cat, x] = bp(p.value(f"general_outpatient.rate.cat{cat}"))
                elif mapped in assist_visits and p.value(f"assistance.rate.cat{cat}") is not None:  # type: ignore[operator]
                    line_t[v, cat, x] = k.LINE_MAIN
                    key = f"assistance.outpatient_rate.cat{cat}"
                    use = key if mapped in OUTPATIENT_VISITS and p.value(key) is not None else f"assistance.rate.cat{cat}"
                    rate_t[v, cat, x] = bp(p.value(use))
            if p.value(f"tilted.rate.cat{cat}") is not None:
                per_category[v, cat, k.C_T_RATE] = bp(p.value(f"tilted.rate.cat{cat}"))
                per_category[v, cat, k.C_T_CAP] = _cap(p, f"tilted.cap.cat{cat}")
        base = p.value("tilted.base")
        pv[k.V_T_KIND] = {None: k.T_NONE, "above_cap": k.T_ABOVE_CAP, "remaining_burden": k.T_REMAINING}[base]  # type: ignore[index]
        for x, name in enumerate(VISITS):
            t_visit[v, x] = name in (p.value("tilted.visits", ()) or ())  # type: ignore[operator]
            crit_visit[v, x] = name in (p.value("critical.visits", ("inpatient", "chronic_outpatient", "special_drug")) or ())  # type: ignore[operator]
        for x, name in enumerate(TREATED):
            t_treated[v, x] = name in (p.value("tilted.treated", ()) or ())  # type: ignore[operator]
        pv[k.V_T_IN_PROV] = bool(p.value("tilted.in_province", False))
        pv[k.V_T_NEEDS] = bool(p.value("tilted.approval", False))
        pv[k.V_T_RATE_ADJ] = p.value("tilted.rate_max") is not None
        pv[k.V_CEIL] = bp(p.value("ceiling.ratio")) if p.value("ceiling.ratio") is not None else 0
        pv[k.V_CRIT_LISTED] = p.value("critical.visits") is not None
        pv[k.V_SD_RATE], pv[k.V_SD_CAP] = -1, k.NO_CAP
        if p.value("critical.special_drug.rate") is not None:
            if p.value("critical.special_drug.deductible") not in (None, 0):
                raise NotImplementedError("batch engine: a special-drug critical deductible is not supported yet")
            pv[k.V_SD_RATE] = bp(p.value("critical.special_drug.rate"))
            pv[k.V_SD_CAP] = _cap(p, "critical.special_drug.cap")
        pv[k.V_HAS_SEGMENTS] = p.value("critical.segments.resident") is not None
        pv[k.V_GENERIC] = p.value("critical.deductible") is not None and p.value("critical.rate") is not None

    messages: list[Message] = [
        ("critical", "批量引擎暂不支持通用大病保险参数", "generic critical parameters not supported in batch"),
        ("critical", "未提供大病保险支付额，且政策对此类费用未规定大病保险参数（本地参数）", "critical not given"),
        ("insurance", "需要参保类型以确定大病保险分段比例", "insurance type needed"),
        ("basic", "未提供基本医保统筹支付额", "basic not given"),
    ]
    # deductibles by (version, category, year): fixed, published or X % of last year's statistic (DESIGN §3.7)
    size = nv * 5 * years
    ded = np.zeros((3, size), np.int64)
    ded_err = np.full((3, size), -1, np.int64)
    for which, key_of in enumerate(("assistance.deductible.cat{}", "general_outpatient.deductible.cat{}", "tilted.deductible.cat{}")):
        for v in range(nv):
            for cat in range(1, 5):
                for y in range(years):
                    slot = (v * 5 + cat) * years + y
                    try:
                        ded[which, slot] = Params(versions[v], statistics, "").amount(key_of.format(cat), year0 + y).value
                    except SettlementError as error:
                        ded_err[which, slot] = len(messages)
                        messages.append((error.field, error.cause, error.cause_en))
                    except Exception as error:  # raised only if a claim needs this entry, as before
                        ded_err[which, slot] = len(messages)
                        messages.append(error)
    amounts = len(messages)
    messages.append(("in_scope", "金额不一致：基本医保、大病保险或政策范围内费用超出上限", "amounts inconsistent"))
    small = dict(
        per_version=per_version, per_category=per_category, line_t=line_t, rate_t=rate_t, t_visit=t_visit, t_treated=t_treated,
        crit_visit=crit_visit, ded=ded, ded_err=ded_err, year0=year0, years=years, special_drug=VISITS.index("special_drug"),
        unreferred=TREATED.index("unreferred"), amounts_code=amounts,
    )  # fmt: skip
    return small, messages
