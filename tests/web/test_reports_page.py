"""The reports page in headless Chromium (issue 7 "Reports"; docs/web.md §6, docs/reports.md): filters, the table with its
totals row as the API gives it, the chart image, CSV/XLSX downloads, who sees the page.

The hand-derived figures are Urumqi 2024 of the demo database (sanchong.demo.seed): examples/urumqi.json (URU-P1, URU-P2,
worked in README.md) plus URU-F1-C1 of demo_monitoring.py, a dibao inpatient claim whose assistance was recovered.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from .conftest import Site, api_get, shot, sign_in


def _get(site: Site, path: str, role: str) -> Any:
    status, body = api_get(site, path, role)
    assert status == 200, body
    return body


def _shown(yuan: str) -> str:
    """The page's money format (common.js money): '54320.00' -> '54,320.00'."""
    whole, cents = yuan.split(".")
    return f"{int(whole):,}.{cents}"


def _show(page: Page, view: str, by: str | None = None, **filters: str) -> None:
    """Choose the report and the filters in the form, submit with Enter, wait for the answer."""
    page.get_by_label("报表", exact=True).select_option(view)
    if by:
        page.get_by_label("分组").select_option(by)
    for label, name in (("地区", "region"), ("月份", "month"), ("区县", "district"), ("救助类别", "category")):
        if name in filters:
            page.get_by_label(label).select_option(filters[name])
    year = page.get_by_label("年度")
    year.fill(filters.get("year", "2024"))
    expect(page.locator("#result")).to_have_attribute("data-state", "done")  # the first (default) view has loaded
    page.evaluate("document.getElementById('result').dataset.state = 'submitted'")
    year.press("Enter")
    expect(page.locator("#result")).to_have_attribute("data-state", "done")


def test_an_auditor_reads_the_expenditure_report_its_chart_and_the_csv(page: Page, site: Site) -> None:
    sign_in(page, site, "auditor", "reports.html")
    _show(page, "expenditure", "layer", region="urumqi", year="2024")
    api = _get(site, "/reports/expenditure?year=2024&region=urumqi&by=layer", "auditor")
    table = page.locator("table.report-table")
    for row in api["rows"]:
        expect(table.locator(f'tr[data-group="{row["group"]}"] td[data-key="amount"]')).to_have_text(_shown(row["amount"]))
    expect(table.locator('tfoot td[data-key="amount"]')).to_have_text(_shown(api["totals"]["amount"]))
    # By hand (README.md "示例：乌鲁木齐", 000_d4e791206b2fe630.txt 第十一条(二)(三)、第十二条、第二十一条):
    # medical assistance = C1 12000.00 + C2 2550.00 + C3 35450.00 + C4 4320.00 + C5 0.00 (unreferred)
    #                      + URU-F1-C1 (24000 − 15000) × 80% = 7200.00 − 7200.00 recovered (第二十六条(二)) = 54320.00;
    # tilted = C3 only: (50000 − 35450 ÷ 80%) × 90% = 5687.50 × 90% = 5118.75.
    expect(table.locator('tr[data-group="assistance"] td[data-key="amount"]')).to_have_text("54,320.00")
    expect(table.locator('tr[data-group="tilted"] td[data-key="amount"]')).to_have_text("5,118.75")
    expect(table.locator('tr[data-group="assistance"] td[data-key="amount"]')).to_have_css("text-align", "right")
    expect(page.locator("#report-filters")).to_have_text("乌鲁木齐 · 2024 年")

    # by category: the totals row is the API's, and the same 54320.00 / 5118.75
    _show(page, "expenditure", "category", region="urumqi", year="2024")
    api = _get(site, "/reports/expenditure?year=2024&region=urumqi&by=category", "auditor")
    for key in ("claims", "total", "basic", "critical", "assistance", "tilted", "personal"):
        want = str(api["totals"][key]) if key == "claims" else _shown(api["totals"][key])
        expect(table.locator(f'tfoot td[data-key="{key}"]')).to_have_text(want)
    expect(table.locator('tfoot td[data-key="assistance"]')).to_have_text("54,320.00")
    expect(table.locator('tfoot td[data-key="tilted"]')).to_have_text("5,118.75")
    expect(table.locator("tfoot td").first).to_have_text("合计")

    # the chart: the API's PNG fetched with the token, shown from a blob URL
    page.wait_for_function("() => { const img = document.getElementById('chart'); return img.complete && img.naturalWidth > 0; }")
    assert page.eval_on_selector("#chart", "img => img.src").startswith("blob:")
    shot(page, "reports-expenditure")

    # CSV: fetched with the token, saved under the API's file name; the header row is 中文(key)
    with page.expect_download() as info:
        page.locator("#download-csv").click()
    download = info.value
    assert download.suggested_filename == "expenditure_category_2024.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][:4] == ["救助类别代码(group)", "救助类别(label)", "结算笔数(claims)", "医疗费总额(total)"]
    assert rows[-1][rows[0].index("医疗救助(assistance)")] == "54320.00"
    with page.expect_download() as info:
        page.locator("#download-xlsx").click()
    assert info.value.suggested_filename == "expenditure_category_2024.xlsx"
    assert Path(info.value.path()).read_bytes()[:2] == b"PK"  # a zip: an XLSX workbook


def test_the_district_and_month_filters_reach_the_api(page: Page, site: Site) -> None:
    sign_in(page, site, "auditor", "reports.html")
    _show(page, "expenditure", "visit", region="urumqi", district="天山区", year="2024")
    # 天山区 in Urumqi 2024: URU-F1-C1 only (the example persons have no district): total 26000.00, basic 15000.00,
    # assistance 7200.00 − 7200.00 recovered = 0.00, personal 26000 − 15000 − 0 = 11000.00; the claim still counts.
    foot = page.locator("table.report-table tfoot")
    expect(foot.locator('td[data-key="total"]')).to_have_text("26,000.00")
    expect(foot.locator('td[data-key="assistance"]')).to_have_text("0.00")
    expect(foot.locator('td[data-key="personal"]')).to_have_text("11,000.00")
    expect(foot.locator('td[data-key="claims"]')).to_have_text("1")
    # one month: August 2024 is URU-C3 alone (README): assistance 35450.00, tilted 5118.75
    _show(page, "expenditure", "layer", region="urumqi", district="", month="8", year="2024")
    expect(page.locator('tr[data-group="assistance"] td[data-key="amount"]')).to_have_text("35,450.00")
    expect(page.locator('tr[data-group="tilted"] td[data-key="amount"]')).to_have_text("5,118.75")
    expect(page).to_have_url(re.compile(r"reports\.html\?view=expenditure&by=layer&region=urumqi&year=2024&month=8$"))


def test_an_officer_sees_the_over_the_line_list_and_the_funding_statement(page: Page, site: Site) -> None:
    sign_in(page, site, "officer", "reports.html")
    _show(page, "indicators", year="2024")
    over = page.locator("#ind-over_the_line tbody tr")
    # docs/reports.md §6: ORD-2A 6 % > 5 % (001 二(七)), YIC-2A 12.5 % > 10 % (002 第十八条); ORD-2B at exactly 5 % complies
    expect(over.filter(has_text="ORD-2A")).to_have_count(1)
    expect(over.filter(has_text="YIC-2A")).to_have_count(1)
    expect(over.filter(has_text="ORD-2B")).to_have_count(0)
    expect(over.filter(has_text="ORD-2A").locator('td[data-key="value"]')).to_have_text("6.00%")
    expect(over.filter(has_text="YIC-2A").locator('td[data-key="value"]')).to_have_text("12.50%")
    shot(page, "reports-indicators")

    _show(page, "funding", region="urumqi", year="2024")
    api = _get(site, "/funding/statement?region=urumqi&year=2024", "officer")
    foot = page.locator("table.report-table tfoot")
    expect(foot.locator('td[data-key="fee"]')).to_have_text(_shown(api["totals"]["fee"]))
    expect(foot.locator('td[data-key="headcount"]')).to_have_text(str(api["totals"]["headcount"]))
    # 000 第五条: 天山区 city share 60 %, so each 180.00 fee splits 108.00 / 72.00
    tianshan = page.locator("table.report-table tbody tr").filter(has_text="天山区")
    expect(tianshan.locator('td[data-key="city_share"]')).to_have_text("60%")

    _show(page, "subsidy", region="urumqi", year="2024")
    api = _get(site, "/subsidy/list?region=urumqi&year=2024&limit=50", "officer")
    expect(page.locator("#paging span")).to_have_text(f"第 1–{min(50, api['total'])} 条，共 {api['total']} 条")
    first = page.locator("table.report-table tbody tr").first
    expect(first.locator('td[data-key="psn_no"]')).to_have_text(api["items"][0]["psn_no"])
    expect(first.locator('td[data-key="amount"]')).to_have_text(_shown(api["items"][0]["amount"]))
    expect(page.locator("#download-xlsx")).to_be_visible()
    shot(page, "reports-subsidy")


def test_a_clerk_has_no_reports_and_the_auditor_no_funding(page: Page, site: Site) -> None:
    sign_in(page, site, "clerk")
    expect(page.locator("#top nav a", has_text="报表")).to_have_count(0)
    page.goto("/web/reports.html")
    page.locator("body[data-ready]").wait_for(state="attached")
    expect(page.locator("main .error")).to_have_text("当前角色无权使用本页面")
    page.locator("#signout").click()
    sign_in(page, site, "auditor", "reports.html")
    options = page.locator("#view option")
    expect(options).to_have_count(7)  # the six reports and the indicators; funding and subsidy need `funding` / `subsidy`
    expect(page.locator('#view option[value="funding"]')).to_have_count(0)


def test_the_report_page_in_english(page: Page, site: Site) -> None:
    sign_in(page, site, "auditor", "reports.html")
    page.locator("#lang").click()
    page.locator("body[data-ready]").wait_for(state="attached")
    expect(page.locator("h1")).to_have_text("Reports")
    expect(page.locator("#result")).to_have_attribute("data-state", "done")
    page.get_by_label("Report", exact=True).select_option("expenditure")
    page.get_by_label("Group by").select_option("layer")
    page.get_by_label("Region").select_option("urumqi")
    page.get_by_label("Year").fill("2024")
    page.evaluate("document.getElementById('result').dataset.state = 'submitted'")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#result")).to_have_attribute("data-state", "done")
    expect(page.locator('tr[data-group="tilted"] td[data-key="label"]')).to_have_text("Tilted assistance")
    expect(page.locator("table.report-table tfoot td").first).to_have_text("Total")
