"""Policy page and five-region comparison in headless Chromium (issue 7): an article beside its value; the preset compared."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import Site, shot, sign_in


def cell(page: Page, region: str, key: str) -> str:
    return page.locator(f'#result-grid td[data-region="{region}"][data-key="{key}"] summary, '
                        f'#result-grid td[data-region="{region}"][data-key="{key}"]:not(:has(summary))').first.inner_text()  # fmt: skip


def test_the_policy_page_shows_an_article_beside_its_value_and_unset_local_values(page: Page, site: Site) -> None:
    sign_in(page, site, "auditor", "policy.html?region=urumqi")
    article = page.locator('section.policy-article[data-article="第十一条(二)"]')
    # 000_d4e791206b2fe630.txt 第十一条(二): 第二类 门诊按85%、住院按80%
    expect(article).to_contain_text("住院按80%的比例实行救助")
    expect(article.locator('tr[data-key="assistance.rate.cat2"] td.value')).to_have_text("80%")
    expect(article.locator('tr[data-key="assistance.outpatient_rate.cat2"] td.value')).to_have_text("85%")
    # 第十一条(五): 年度救助限额5万元
    cap = page.locator('section.policy-article[data-article="第十一条(五)"] tr[data-key="assistance.cap.cat1"] td.value')
    expect(cap).to_have_text("50,000 元")
    local = page.locator("#local-grid")
    expect(local.locator("tr", has_text="大病保险 起付标准")).to_contain_text("未设定")
    expect(local.locator("tr", has_text="大病保险 最高支付限额")).to_contain_text("不设封顶")
    shot(page, "policy-urumqi")
    page.get_by_label("地区").select_option("kunyu")
    expect(page.locator("#d-id")).to_have_text("kunyu/2025-08-04")
    expect(page.locator('section.policy-article[data-article="三(二)"] tr[data-key="tilted.cap.cat1"] td.value')).to_have_text("200,000 元")


def test_the_comparison_runs_the_preset_and_marks_the_lowest_personal_share(page: Page, site: Site) -> None:
    sign_in(page, site, "clerk", "compare.html")
    expect(page.locator("#claims-body tr")).to_have_count(2)
    page.locator("#run").click()
    expect(page.locator("#result-grid")).to_be_visible()
    # tests/test_compare.py: Kunyu 003 二(二) 90 % capped at 60000, 三(二) tilted 95 %: personal 40500 + 265 = 40765.00
    assert cell(page, "kunyu", "totals.personal") == "40,765.00"
    expect(page.locator('#result-grid thead th[data-region="kunyu"] .badge.best')).to_be_visible()
    # Ordos 001 二(五): tilted (21000 − 10000) × 80 % = 8800 needs an application, not paid
    expect(page.locator('#result-grid td[data-region="ordos"][data-key="claims.0.tilted"]')).to_contain_text("需申请 8,800.00")
    expect(page.locator('#result-grid thead th[data-region="ordos"] .badge.worst')).to_be_visible()
    # the Kunyu assistance cell is the only 60000 (differs); its article opens on click
    kunyu = page.locator('#result-grid td[data-region="kunyu"][data-key="claims.0.assistance"]')
    expect(kunyu).to_have_class("num differs")
    kunyu.locator("summary").click()
    expect(kunyu.locator(".why")).to_contain_text("003_591d9aeb4a836d53.txt 二(二)")
    shot(page, "compare-preset")


def test_a_date_before_kunyus_policy_errs_in_kunyu_alone(page: Page, site: Site) -> None:
    sign_in(page, site, "auditor", "compare.html")
    page.get_by_label("就医日期 1").fill("2025-07-01")
    page.locator("#run").click()
    expect(page.locator('#result-grid td[data-region="kunyu"][data-key="error"]')).to_contain_text("无法结算")
    expect(page.locator('#result-grid td[data-key="error"]')).to_have_count(1)
    # Urumqi still answers: the same first claim, 000 第十一条(二) capped at 50000 → personal 53250 + 330 = 53580
    assert cell(page, "urumqi", "totals.personal") == "53,580.00"
