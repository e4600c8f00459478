"""Every parameter key a policy file may set, with its value type (the strict loader's table)."""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction

from ..engine.model import IDENTITY_TYPES, INSURANCE, TREATED, VISITS
from ..engine.money import AmountError, parse_rate, parse_yuan
from .model import NO_CAP, StatShare

CATS = ("cat1", "cat2", "cat3", "cat4")
STATISTICS = (
    "per_capita_disposable_income",
    "per_capita_disposable_income_rural",
    "province_per_capita_disposable_income",
)


def _alt(names: tuple[str, ...]) -> str:
    return "(" + "|".join(names) + ")"


def amount(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        raise AmountError(f"expected an amount of yuan, got {raw!r}")
    return parse_yuan(str(raw))


def cap(raw: object) -> object:
    return NO_CAP if raw == "none" else amount(raw)


def rate(raw: object) -> Fraction:
    if not isinstance(raw, str):
        raise AmountError(f'write rates as quoted decimals like "0.85", got {raw!r}')
    return parse_rate(raw)


def amount_or_share(raw: object) -> object:
    if isinstance(raw, dict):
        if set(raw) != {"share", "of"} or raw["of"] not in STATISTICS:
            raise AmountError(f'expected {{share: "0.10", of: <one of {", ".join(STATISTICS)}>}}, got {raw!r}')
        return StatShare(rate(raw["share"]), str(raw["of"]))
    return amount(raw)


def line_amount(raw: object) -> object:
    """A monitoring line: an amount of yuan, or {share, of} where the share may exceed 1 (Weihai 150 %)."""
    if isinstance(raw, dict):
        share = raw.get("share")
        if set(raw) != {"share", "of"} or raw["of"] not in STATISTICS or not isinstance(share, str):
            raise AmountError(f'expected {{share: "1.50", of: <one of {", ".join(STATISTICS)}>}}, got {raw!r}')
        if not re.fullmatch(r"[0-9](\.[0-9]{1,4})?", share):
            raise AmountError(f'write a share as a quoted decimal like "1.50", got {share!r}')
        return StatShare(Fraction(share), str(raw["of"]))
    return amount(raw)


def boolean(raw: object) -> bool:
    if not isinstance(raw, bool):
        raise AmountError(f"expected true or false, got {raw!r}")
    return raw


def names(allowed: tuple[str, ...]) -> Callable[[object], tuple[str, ...]]:
    def parse(raw: object) -> tuple[str, ...]:
        if not isinstance(raw, list) or not all(isinstance(x, str) and x in allowed for x in raw):
            raise AmountError(f"expected a list of {', '.join(allowed)}, got {raw!r}")
        return tuple(raw)

    return parse


def one_of(allowed: tuple[str, ...]) -> Callable[[object], str]:
    def parse(raw: object) -> str:
        if raw not in allowed:
            raise AmountError(f"expected one of {', '.join(allowed)}, got {raw!r}")
        return str(raw)

    return parse


def category(raw: object) -> int:
    if isinstance(raw, bool) or raw not in (1, 2, 3, 4):
        raise AmountError(f"expected a category 1-4, got {raw!r}")
    assert isinstance(raw, int)
    return raw


def months(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 < raw <= 24:
        raise AmountError(f"expected a number of months 1-24, got {raw!r}")
    return raw


def workday_count(raw: object) -> int:
    """A number of working days, 1 to 60 (counted on the working-day calendar, sanchong.workdays)."""
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 < raw <= 60:
        raise AmountError(f"expected a number of working days 1-60, got {raw!r}")
    return raw


def day_of_month(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 < raw <= 28:
        raise AmountError(f"expected a day of the month 1-28, got {raw!r}")
    return raw


def fund_code(raw: object) -> str:
    """A fund_pay_type code (基金支付类型) as quoted text of 6 to 8 digits, e.g. "610100"."""
    if not isinstance(raw, str) or not re.fullmatch(r"[0-9]{6,8}", raw):
        raise AmountError(f'write a fund code as quoted digits like "610100", got {raw!r}')
    return raw


def text(raw: object) -> str:
    """A line of the seed's words (1-200 characters), e.g. who certifies an application."""
    if not isinstance(raw, str) or not raw.strip() or len(raw) > 200:
        raise AmountError(f"expected a line of text, got {raw!r}")
    return raw.strip()


def texts(raw: object) -> tuple[str, ...]:
    """A non-empty list of lines of the seed's words, e.g. an evidence list (材料清单)."""
    if not isinstance(raw, list) or not raw:
        raise AmountError(f"expected a list of lines of text, got {raw!r}")
    return tuple(text(x) for x in raw)


def segments(raw: object) -> tuple[tuple[int, Fraction], ...]:
    """[[from_yuan, rate], ...] ascending: the payout rate of each band of the cumulative base."""
    if not isinstance(raw, list) or not raw:
        raise AmountError(f"expected a list of [from, rate] bands, got {raw!r}")
    bands: list[tuple[int, Fraction]] = []
    for band in raw:
        if not isinstance(band, list) or len(band) != 2:
            raise AmountError(f"expected [from, rate], got {band!r}")
        bands.append((amount(band[0]), rate(band[1])))
    if [b[0] for b in bands] != sorted({b[0] for b in bands}):
        raise AmountError("bands must start at strictly increasing amounts")
    return tuple(bands)


def tier_name(raw: object) -> str:
    """A premium tier (缴费档次) name: standard, tier1, tier2, minor … (lower-case letters, digits, _)."""
    if not isinstance(raw, str) or not re.fullmatch(r"[a-z][a-z0-9_]{0,19}", raw):
        raise AmountError(f"expected a tier name like tier1, got {raw!r}")
    return raw


def district_shares(raw: object) -> dict[str, Fraction]:
    """{district name: "0.60"}: the city's share of the pooling fee per district (乌鲁木齐 第五条)."""
    if not isinstance(raw, dict) or not raw or not all(isinstance(k, str) and k.strip() for k in raw):
        raise AmountError(f"expected a mapping of district names to rates, got {raw!r}")
    return {str(k): rate(v) for k, v in raw.items()}


def district_aliases(raw: object) -> dict[str, str]:
    """{other name: district name as in the share table}, e.g. 头屯河区: 经济技术开发区（头屯河区）."""
    if not isinstance(raw, dict) or not all(isinstance(k, str) and isinstance(v, str) and k and v for k, v in raw.items()):
        raise AmountError(f"expected a mapping of names to district names, got {raw!r}")
    return dict(raw)


CAT, VISIT, IDENT, INS = _alt(CATS), _alt(VISITS), _alt(IDENTITY_TYPES), _alt(INSURANCE)

# key pattern -> (parser, what it means)
KEYS: tuple[tuple[str, Callable[[object], object], str], ...] = (
    (rf"categories\.{IDENT}", category, "category an identity type gives (DESIGN §3.4)"),
    ("categories.fixed_by_rule", names(IDENTITY_TYPES), "identity types whose category the rule fixes, whatever the identity names"),
    ("assistance.visits", names(VISITS), "visit types the assistance line covers"),
    (rf"assistance\.as_visit\.{VISIT}", one_of(VISITS), "a visit type settled as another"),
    ("assistance.shared_line", names(VISITS), "outpatient visits settled on the inpatient deductible, rate and cap"),
    ("assistance.requires_referral", boolean, "unreferred claims get no assistance"),
    (rf"assistance\.deductible\.{CAT}", amount_or_share, "annual deductible (起付标准)"),
    (rf"assistance\.rate\.{CAT}", rate, "rate (救助比例)"),
    (rf"assistance\.outpatient_rate\.{CAT}", rate, "rate for outpatient visits where it differs"),
    (rf"assistance\.cap\.{CAT}", cap, "annual cap (年度救助限额); none = no cap"),
    ("assistance.benefit_period.identity", one_of(IDENTITY_TYPES), "identity with a benefit period"),
    ("assistance.benefit_period.lookback_months", months, "months before the application month"),
    ("general_outpatient.visits", names(VISITS), "visit types of the separate outpatient line"),
    (rf"general_outpatient\.deductible\.{CAT}", amount_or_share, "outpatient line deductible"),
    (rf"general_outpatient\.rate\.{CAT}", rate, "outpatient line rate"),
    (rf"general_outpatient\.cap\.{CAT}", cap, "outpatient line cap"),
    ("tilted.base", one_of(("above_cap", "remaining_burden")), "what the tilted base is (DESIGN §3.5)"),
    ("tilted.visits", names(VISITS), "visit types tilted assistance covers"),
    ("tilted.treated", names(TREATED), "where treatment must happen for tilted"),
    ("tilted.in_province", boolean, "tilted only for treatment inside the province"),
    ("tilted.approval", boolean, "tilted is paid only on approval (依申请)"),
    (rf"tilted\.deductible\.{CAT}", amount_or_share, "tilted deductible"),
    (rf"tilted\.rate\.{CAT}", rate, "tilted rate"),
    (rf"tilted\.cap\.{CAT}", cap, "tilted annual cap"),
    ("tilted.rate_max", rate, "highest rate an approver may set (一事一议)"),
    ("tilted.retro_months", months, "months before identification that count for tilted"),
    ("applications.identify.types", names(IDENTITY_TYPES), "identity types (category 4) a person may apply to be identified as (依申请)"),
    ("applications.identify.subtypes", texts, "subtypes of other special hardship the rule names; an application names one"),
    ("applications.identify.department", text, "who accepts and certifies an identification applied for"),
    (rf"applications\.evidence\.{IDENT}", texts, "what an identification application must show, in the seed's words (材料清单)"),
    (r"applications\.evidence\.special_hardship\.\w+", texts, "what an application for one subtype of other special hardship must show"),
    ("applications.evidence.tilted", texts, "what a tilted-assistance application must show, in the seed's words"),
    ("ceiling.ratio", rate, "highest actual reimbursement ratio of a recipient's year"),
    ("critical.visits", names(VISITS), "visit types critical illness insurance covers"),
    ("critical.special_drug.deductible", amount, "special-drug critical deductible"),
    ("critical.special_drug.rate", rate, "special-drug critical rate"),
    ("critical.special_drug.cap", cap, "special-drug critical annual cap"),
    ("critical.groups", names(IDENTITY_TYPES), "identities with the tilted critical-illness bands"),
    (rf"critical\.segments\.{INS}", segments, "bands of the cumulative base for those groups"),
    ("critical.deductible", amount_or_share, "general critical-illness deductible (local)"),
    ("critical.rate", rate, "general critical-illness rate (local)"),
    ("critical.cap", cap, "general critical-illness cap (local)"),
    ("critical.tilt.groups", names(IDENTITY_TYPES), "identities with the halved deductible etc."),
    ("critical.tilt.deductible_factor", rate, "share of the deductible the tilt groups pay"),
    ("critical.tilt.rate_add", rate, "points added to the rate for the tilt groups"),
    ("critical.tilt.no_cap", boolean, "the tilt groups have no critical cap"),
    ("lists.push_within_workdays", workday_count, "a department pushes a new or ended recipient within N working days of certification"),
    ("lists.monthly_due_day", day_of_month, "departments push the month's list by this day of the month"),
    ("lists.supplement_within_workdays", workday_count, "working days after the monthly due day for a supplementary list with reasons"),
    ("lists.mark_within_workdays", workday_count, "the bureau marks the identities of a received list within N working days"),
    ("suspension.applies", boolean, "suspension of all layers after fraud"),
    (rf"subsidy\.kind\.{IDENT}", one_of(("full", "fixed", "share")), "premium subsidy (资助参保) of an identity: full, fixed or share"),
    (rf"subsidy\.tier\.{IDENT}", tier_name, "premium tier the subsidy is measured on (威海 二档 full / 一档 fixed)"),
    (rf"subsidy\.share\.{IDENT}", rate, "share of the individual premium (a fixed amount may not be lower)"),
    ("funding.fee_per_recipient", amount, "medical-assistance pooling fee per recipient per year (统筹费标准)"),
    ("funding.city_share", district_shares, "city's share of the pooling fee by district; the district pays the rest"),
    ("funding.district_aliases", district_aliases, "other names of a district in person records"),
    ("funding.shortfall", one_of(("headcount",)), "how districts share a budget shortfall (按救助对象人数占比)"),
    ("monitoring.burden_after", names(("basic", "critical", "assistance", "tilted")), "layers paid before the monitored burden"),
    (r"monitoring\.line\.(cat1|cat2|cat3|cat4|ordinary)", line_amount, "monitoring line: a year's burden above it is a warning (预警线)"),
    (r"monitoring\.kind\.(cat1|cat2|cat3|cat4|ordinary)", one_of(("relapse", "impoverishment")), "因病返贫 relapse or 因病致贫 warning"),
    ("monitoring.verify_within_workdays", workday_count, "working days after the push for the verification (核查) of a warning"),
    ("fraud.suspension_months", months, "months every layer is suspended from a fraud decision (取消资格)"),
    ("fraud.recover", names(("assistance", "tilted")), "layers whose money on the claims concerned is recovered (追回)"),
    (r"indicators\.out_of_scope_share\.(level1|level2|level3|any)", rate, "highest out-of-catalog share (目录外费用占比) at a level"),
    ("indicators.in_city_rate", rate, "lowest share of recipients' claims treated in the city (市域内就诊率)"),
    (r"nhsa\.med_type\.[0-9]{2,6}", one_of(VISITS), "visit type of a national med_type code (医疗类别, nhsa_interface.md §5.2)"),
    (r"nhsa\.psn_idet_type\.[0-9]{2,6}", one_of(IDENTITY_TYPES), "identity type of a psn_idet_type code (人员身份类别, §5.4)"),
    (r"nhsa\.tilted_fund_code", fund_code, "fund_pay_type reported for tilted assistance (no national code, §7)"),
)

_COMPILED = tuple((re.compile(pattern + r"\Z"), parse, doc) for pattern, parse, doc in KEYS)


def parser_for(key: str) -> Callable[[object], object] | None:
    """The value parser for a key, or None when the key is unknown."""
    for pattern, parse, _doc in _COMPILED:
        if pattern.match(key):
            return parse
    return None


def describe(key: str) -> str:
    for pattern, _parse, doc in _COMPILED:
        if pattern.match(key):
            return doc
    return ""
