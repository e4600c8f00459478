"""The strict policy loader: every defect names the file and the key (DESIGN §4)."""

from __future__ import annotations

import pytest

from sanchong.catalog import Catalog
from sanchong.policy.loader import load_policy, load_statistics
from sanchong.policy.model import NO_CAP, PolicyError, StatShare

GOOD = """
region: testland
name: 测试市
seed: 999_test.txt
title: 测试细则
effective: {from: 2024-01-01, article: 第九条}
chapters:
  - chapter: 第一章
    articles:
      - article: 第二条
        text: 第一类救助对象按100%救助。
        set:
          assistance.rate.cat1: "1.00"
          assistance.cap.cat1: none
          assistance.deductible.cat3: {share: "0.10", of: per_capita_disposable_income}
"""


def test_a_good_file_loads_with_every_parameter_cited() -> None:
    policy = load_policy(GOOD, "testland.yaml")
    assert policy.id == "testland/2024-01-01"
    assert policy.cite("assistance.rate.cat1") == "999_test.txt 第二条"
    assert policy.value("assistance.cap.cat1") is NO_CAP
    assert policy.value("assistance.deductible.cat3") == StatShare(
        policy.value("assistance.rate.cat1") / 10, "per_capita_disposable_income"
    )  # type: ignore[operator]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (("assistance.rate.cat1", "assistance.rte.cat1"), "assistance.rte.cat1"),
        (('"1.00"', '"1.5"'), "assistance.rate.cat1"),
        (('"1.00"', "1"), "assistance.rate.cat1"),
        (("from: 2024-01-01", "from: 2024-13-01"), "effective.from"),
        (("      - article: 第二条\n", "      - article: ''\n"), "article"),
        (("title: 测试细则", "title: 测试细则\nauthor: x"), "author"),
        (("        text:", "        txt:"), "txt"),
        (("of: per_capita_disposable_income", "of: gdp"), "assistance.deductible.cat3"),
    ],
)
def test_a_defect_is_an_error_naming_file_and_key(change: tuple[str, str], named: str) -> None:
    broken = GOOD.replace(*change)
    assert broken != GOOD
    with pytest.raises(PolicyError) as caught:
        load_policy(broken, "testland.yaml")
    assert "testland.yaml" in str(caught.value)
    assert named in str(caught.value)


def test_a_parameter_set_twice_is_an_error() -> None:
    twice = GOOD + '      - article: 第三条\n        set:\n          assistance.rate.cat1: "0.90"\n'
    with pytest.raises(PolicyError, match=r"set twice \(first in 999_test.txt 第二条\)"):
        load_policy(twice, "testland.yaml")


def test_a_local_parameter_needs_a_source() -> None:
    with pytest.raises(PolicyError, match=r"local\[0\]\.source: missing"):
        load_policy(GOOD + "local:\n  - key: critical.rate\n    value: null\n", "testland.yaml")


def test_a_statistic_without_a_source_is_refused() -> None:
    text = "figures:\n  - {area: x, statistic: per_capita_disposable_income, year: 2023, value: '100', grade: A}\n"
    with pytest.raises(PolicyError, match=r"figures\[0\]\.source: missing"):
        load_statistics(text, "stats.yaml")


def test_every_shipped_parameter_cites_its_seed_and_article(catalog: Catalog) -> None:
    seeds = {
        "urumqi": "000_d4e791206b2fe630.txt",
        "ordos": "001_99de24bfc0872d42.txt",
        "yichun": "002_6a683430150b9286.txt",
        "kunyu": "003_591d9aeb4a836d53.txt",
        "weihai": "004_6b1094bb68544086.txt",
    }
    assert set(catalog.policies) == set(seeds)
    for region, versions in catalog.policies.items():
        for policy in versions:
            local = {p.key for p in policy.local}
            for key, param in policy.params.items():
                if key in local:
                    assert any(src in param.cite for src in ("REFERENCE_DATA", "nhsa_interface.md", "国办发")), key
                else:
                    assert param.cite.startswith(seeds[region] + " "), (key, param.cite)


def test_every_shipped_statistic_has_source_and_grade(catalog: Catalog) -> None:
    assert catalog.statistics.figures
    for figure in catalog.statistics.figures.values():
        assert figure.source and figure.grade in {"A", "B", "C", "B/C"}
