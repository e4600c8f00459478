"""Reading a policy's parameters for one claim: unset → error, statistics-derived → resolved."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..policy.model import NO_CAP, Policy, Statistics, StatShare
from .errors import SettlementError
from .money import Fen, percent, round_yuan, yuan

STATISTIC_NAMES = {
    "per_capita_disposable_income": "居民人均可支配收入",
    "per_capita_disposable_income_rural": "农村牧区常住居民人均可支配收入",
    "province_per_capita_disposable_income": "全省居民人均可支配收入",
}


@dataclass(frozen=True)
class Resolved:
    """A resolved amount with how it was obtained (for the explanation)."""

    value: Fen
    how: str


@dataclass(frozen=True)
class Params:
    """One policy version plus the statistics table, read for one claim."""

    policy: Policy
    statistics: Statistics
    claim: str

    def has(self, key: str) -> bool:
        param = self.policy.param(key)
        return param is not None and param.value is not None

    def cite(self, key: str) -> str:
        return self.policy.cite(key)

    def _require(self, key: str) -> object:
        param = self.policy.param(key)
        if param is None or param.value is None:
            raise SettlementError(
                self.claim,
                key,
                f"政策 {self.policy.id} 未设置该参数（本地参数，需由经办机构按来源配置）",
                f"policy {self.policy.id} leaves this local parameter unset",
            )
        return param.value

    def rate(self, key: str) -> Fraction:
        value = self._require(key)
        assert isinstance(value, Fraction), key
        return value

    def flag(self, key: str) -> bool:
        return bool(self.policy.value(key, False))

    def names(self, key: str) -> tuple[str, ...]:
        value = self.policy.value(key, ())
        assert isinstance(value, tuple), key
        return value

    def cap(self, key: str) -> Fen | None:
        """An annual cap in fen, or None for 'no cap'."""
        value = self._require(key)
        if value is NO_CAP:
            return None
        assert isinstance(value, int), key
        return value

    def amount(self, key: str, year: int) -> Resolved:
        """An amount, resolving "X % of last year's statistic" (DESIGN §3.7) for a claim year."""
        published = self.policy.published.get((key, year))
        if published is not None:
            assert isinstance(published.value, int)
            return Resolved(published.value, f"公布数 {yuan(published.value)}（{published.cite}）")
        value = self._require(key)
        if isinstance(value, StatShare):
            return self._share(key, value, year)
        assert isinstance(value, int), key
        return Resolved(value, yuan(value))

    def _share(self, key: str, share: StatShare, year: int) -> Resolved:
        figure = self.statistics.get(self.policy.region, share.statistic, year - 1)
        label = STATISTIC_NAMES.get(share.statistic, share.statistic)
        if figure is None:
            raise SettlementError(
                self.claim,
                f"statistics.{share.statistic}.{year - 1}",
                f"{key} 需要 {self.policy.name}{year - 1}年{label}，统计表中没有该数（请在 statistics 中提供）",
                f"{key} needs {share.statistic} of {self.policy.region} for {year - 1}, which is not in the statistics table",
            )
        value = round_yuan(share.share * figure.value)
        how = f"{year - 1}年{label} {yuan(figure.value)} × {percent(share.share)} = {yuan(value)}（取整到元）"
        return Resolved(value, how)
