"""`sanchong policy REGION`: the article text beside the parameter values it sets, as a citizen reads it."""

from __future__ import annotations

import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sanchong.cli", "policy", *args], capture_output=True, text=True, check=False)


def test_each_article_is_printed_with_the_values_it_sets() -> None:
    out = run("urumqi").stdout
    # 000 第十一条(二): 门诊按85%，住院按80%
    article = out.index("【第十一条(二)】")
    assert out.index("assistance.rate.cat2 = 80%") > article
    assert "assistance.outpatient_rate.cat2 = 85%" in out
    assert "assistance.deductible.cat3 = 上年度 per_capita_disposable_income × 10%" in out
    assert "assistance.cap.cat1 = 50000.00" in out
    assert "critical.deductible = 未设置 unset" in out


def test_an_unknown_region_or_a_date_without_a_version_is_one_error_line() -> None:
    for args in (("atlantis",), ("kunyu", "--on", "2025-08-03")):
        result = run(*args)
        assert result.returncode != 0 and result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
