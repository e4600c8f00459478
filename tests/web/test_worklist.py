"""Work-list page (issue 7, worklist.html): applications to review, monitoring warnings to verify, late department lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from playwright.sync_api import Page, expect

from sanchong.idnumber import make
from sanchong.lists.layout import render

from .conftest import Site, api_get, api_post, shot, sign_in


def _tabs(page: Page) -> list[str]:
    return [x for x in page.locator('[role="tab"]:visible').all_inner_texts()]


# -- applications ----------------------------------------------------------------------------------------------------------------
def test_an_officer_approves_a_tilted_application_and_sees_the_amount_paid(page: Page, site: Site) -> None:
    """ORD-P2's application for tilted assistance on ORD-C3 (demo_applications.py; docs/applications.md).

    ORD-P2 因病致贫乙 is category 4 (001_99de24bfc0872d42.txt 二(一): illness_impoverished). ORD-C3 of examples/ordos.json,
    2024-03-20, inpatient, in scope 55,000, basic 33,000, critical 2,000:
      in-scope remaining 55,000 − 33,000 − 2,000 = 20,000
      assistance (001 二(五)): deductible 25 % × 52,000 (2023 per-capita disposable income, examples/ordos.json) = 13,000;
        (20,000 − 13,000) × 60 % = 4,200 (paid at settlement)
      tilted (001 二(五), on application): remaining 20,000 − 4,200 = 15,800; above the 10,000 deductible 5,800;
        × 80 % (the rule's floor; no rate given) = 4,640.00
      90 % ceiling (001 二(五)): (33,000 + 2,000 + 4,200 + 4,640) / 60,000 = 73 % — not cut.
    """
    sign_in(page, site, "officer", "worklist.html")
    expect(page.locator("#tab-apps")).to_have_attribute("aria-selected", "true")
    row = page.locator("#app-grid tbody tr", has_text="ORD-P2")
    expect(row.locator('[data-key="status"] > .badge')).to_have_text("审核中")
    expect(row.locator('[data-key="evidence"]')).to_have_text("材料齐全")
    row.get_by_role("button", name="打开").click()
    detail = page.locator("#app-detail")
    expect(detail.locator("#app-heading")).to_contain_text("倾斜救助")
    expect(detail.locator('[data-key="claim"]')).to_have_text("ORD-C3")
    expect(page.locator("#evidence-grid tbody tr")).to_have_count(3)  # the three conditions of 001 二(五)
    expect(page.locator('#evidence-grid [data-key="provided"]')).to_have_text(["已提供", "已提供", "已提供"])
    expect(page.locator("#ent-total")).to_have_text("4,640.00")
    expect(page.locator("#ent-adjustments tbody tr")).to_have_text(["ORD-C3倾斜救助4,640.00"])
    expect(page.get_by_label("倾斜救助比例（80%–100%，一事一议；空为 80%）")).to_be_visible()
    shot(page, "worklist-applications")

    # the confirmation names the amount; Esc decides nothing
    page.locator("#app-approve").click()
    dialog = page.locator("dialog.confirm")
    expect(dialog).to_contain_text("应支付 4,640.00 元")
    expect(page.locator("#confirm-cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert api_get(site, "/applications/1", "officer")[1]["status"] == "under_review"

    page.locator("#app-approve").click()
    page.locator("#confirm-ok").click()
    expect(page.locator("#msg .ok")).to_have_text("申请 1 已批准，支付 4,640.00 元")
    expect(detail.locator("#app-heading .badge")).to_have_text("已批准")
    expect(detail.locator('[data-key="paid"]')).to_have_text("4,640.00")
    expect(page.locator("#app-adjustments tbody tr")).to_have_text(["ORD-C3倾斜救助4,640.00"])
    expect(page.locator("#app-approve")).to_have_count(0)  # decided: no more actions
    status, stored = api_get(site, "/applications/1", "officer")
    assert (status, stored["status"], stored["paid"]) == (200, "approved", "4640.00")
    # the list follows: the default filter shows open applications only, so ORD-P2 has left it
    expect(page.locator("#app-grid tbody tr", has_text="ORD-P2")).to_have_count(0)
    page.locator("#app-status").select_option("approved")  # 状态 (the warnings tab has a field of that name too)
    page.locator("#app-search").click()
    expect(page.locator("#app-grid tbody tr", has_text="ORD-P2").locator('[data-key="status"] > .badge')).to_have_text("已批准")


def test_a_rejection_needs_a_reason_from_the_api_and_missing_evidence_blocks_approval(page: Page, site: Site) -> None:
    # WEI-P3's identification (demo_applications.py): submitted, one of the two conditions of 004 二(三)1 checked
    sign_in(page, site, "officer", "worklist.html")
    page.locator("#app-grid tbody tr", has_text="WEI-P3").get_by_role("button", name="打开").click()
    expect(page.locator('#evidence-grid [data-key="provided"]')).to_have_text(["已提供", "缺少"])
    expect(page.locator("#app-approve")).to_have_count(0)  # submitted: only review (and withdraw)
    page.locator("#app-review").click()
    page.locator("#confirm-ok").click()
    expect(page.locator("#msg .ok")).to_have_text("申请 3 已受理，转入审核")
    expect(page.locator("#app-approve")).to_be_disabled()  # item 2 is missing
    expect(page.locator("#app-actions")).to_contain_text("材料未齐，不能批准")
    page.locator("#app-reject").click()
    page.locator("#confirm-ok").click()  # no reason typed
    expect(page.locator("#msg .error")).to_have_text("不予批准须说明理由 [reason]")
    assert api_get(site, "/applications/3", "officer")[1]["status"] == "under_review"  # refused: nothing changed
    # the clerk's part: mark the missing item provided, and the approve button becomes usable
    page.locator("#evidence-grid tbody tr").nth(1).get_by_role("button", name="标记已提供").click()
    expect(page.locator('#evidence-grid [data-key="provided"]')).to_have_text(["已提供", "已提供"])
    expect(page.locator("#app-approve")).to_be_enabled()


# -- warnings --------------------------------------------------------------------------------------------------------------------
def test_an_officer_pushes_a_new_warning_after_confirmation(page: Page, site: Site) -> None:
    sign_in(page, site, "officer", "worklist.html#warnings")
    expect(page.locator("#tab-warnings")).to_have_attribute("aria-selected", "true")
    page.locator("#warn-region").select_option("urumqi")
    page.get_by_label("年度").fill("2024")
    page.get_by_label("年度").press("Enter")
    grid = page.locator("#warn-grid tbody tr")
    p2 = grid.filter(has_text="URU-P2")
    p1 = grid.filter(has_text="URU-P1")
    # URU-P2 is category 3 in Urumqi: relapse line 2,000.00 (000_d4e791206b2fe630.txt 第十三条)
    expect(p2.locator('[data-key="line"]')).to_have_text("2,000.00")
    expect(p2.locator('[data-key="state"]')).to_have_text("新预警")
    expect(p2.locator("[data-action]")).to_have_text(["推送民政"])  # new: push is the only next step
    # URU-P1's warning was pushed and verified by demo_monitoring.py: only the two ways to close it
    expect(p1.locator('[data-key="state"]')).to_have_text("已核查")
    expect(p1.locator("[data-action]")).to_have_text(["已帮扶救助", "不符合条件"])
    expect(p1.locator('[data-key="pushed_on"]')).to_contain_text("2024-12-02乌鲁木齐市天山区民政局")
    # no seed sets the verification period (docs/monitoring.md M7): the deadline says so
    expect(p1.locator('[data-key="verify_due"]')).to_have_text("未设期限")

    p2.get_by_role("button", name="推送民政").click()
    expect(page.locator("dialog.confirm")).to_contain_text("URU-P2")
    page.keyboard.press("Escape")  # cancelled: still new
    expect(page.locator("dialog.confirm")).to_have_count(0)
    expect(p2.locator('[data-key="state"]')).to_have_text("新预警")
    p2.get_by_role("button", name="推送民政").click()
    page.get_by_label("接收部门").fill("乌鲁木齐市天山区民政局")
    shot(page, "worklist-push-dialog")
    page.locator("#confirm-ok").click()
    expect(page.locator("#msg .ok")).to_contain_text("已推送至 乌鲁木齐市天山区民政局")
    expect(p2.locator('[data-key="state"]')).to_have_text("已推送民政")
    expect(p2.locator('[data-key="pushed_on"]')).to_contain_text("乌鲁木齐市天山区民政局")
    expect(p2.locator("[data-action]")).to_have_text(["核查"])  # pushed: verify is the only next step
    shot(page, "worklist-warnings")
    warning_id = int(p2.get_attribute("data-id") or 0)
    stored = api_get(site, f"/monitoring/warnings/{warning_id}", "officer")[1]
    assert (stored["state"], stored["pushed_to"]) == ("pushed", "乌鲁木齐市天山区民政局")

    # export with the filters on screen
    with page.expect_download() as download:
        page.get_by_role("button", name="导出 XLSX").click()
    assert download.value.suggested_filename == "monitoring_urumqi_2024.xlsx"
    expect(page.locator("#msg .ok")).to_have_text("已导出 monitoring_urumqi_2024.xlsx")


def test_an_officer_pushes_several_new_warnings_at_once(page: Page, site: Site) -> None:
    # two ordinary Weihai residents, each with one claim of 80,000.00 of which basic pays 20,000.00 and critical 0.00:
    # burden 60,000.00 > 59,835.00 = 150 % of Shandong's 2023 per-capita disposable income 39,890.00 (004 二(四)) → a new
    # impoverishment warning each, raised by the settlement itself
    for n in (1, 2):
        person = {"psn_no": f"WEI-B{n}", "id_number": make("371002", dt.date(1990, 1, 1), 900 + n), "name": f"批量推送{n}",
                  "region": "weihai", "insurance": "resident"}  # fmt: skip
        assert api_post(site, "/persons", "clerk", person)[0] == 201
        claim = {"claim_id": f"WEI-B{n}-C1", "psn_no": f"WEI-B{n}", "date": "2024-06-03", "visit": "inpatient", "total": "80000.00",
                 "in_scope": "70000.00", "basic": "20000.00", "critical": "0.00"}  # fmt: skip
        assert api_post(site, "/claims", "clerk", claim)[0] in (200, 201)
    sign_in(page, site, "officer", "worklist.html#warnings")
    page.locator("#warn-region").select_option("weihai")
    page.locator("#warn-state").select_option("new")
    page.get_by_label("年度").fill("2024")
    page.get_by_label("年度").press("Enter")
    rows = page.locator("#warn-grid tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.locator('[data-key="line"]')).to_have_text(["59,835.00", "59,835.00"])
    expect(rows.locator('[data-key="burden"]')).to_have_text(["60,000.00", "60,000.00"])
    button = page.locator("#warn-push-selected")
    expect(button).to_be_disabled()
    page.get_by_label("选择本页全部新预警").check()
    expect(button).to_have_text("推送所选（2）")
    button.click()
    expect(page.locator("dialog.confirm")).to_contain_text("所选 2 条新预警")
    page.keyboard.press("Escape")  # cancelled: both still new
    expect(rows.locator('[data-key="state"]')).to_have_text(["新预警", "新预警"])
    button.click()
    page.get_by_label("接收部门").fill("威海市环翠区民政局")
    page.locator("#confirm-ok").click()
    expect(page.locator("#msg .ok")).to_have_text("已推送 2 条预警至 威海市环翠区民政局")
    expect(rows).to_have_count(0)  # the filter shows new warnings only: none left
    for n in (1, 2):
        stored = api_get(site, f"/monitoring/warnings?region=weihai&year=2024&psn_no=WEI-B{n}", "officer")[1]["items"]
        assert [(w["state"], w["pushed_to"]) for w in stored] == [("pushed", "威海市环翠区民政局")]


# -- late department lists ---------------------------------------------------------------------------------------------------------
# YIC-P1 of examples/yichun.json (特困人员甲): demo number make("360902", 1967-01-11, 101) (sanchong.demo.seed, n = 1).
YIC_P1_ID = make("360902", dt.date(1967, 1, 11), 101)


def test_late_list_rows_show_the_due_date_and_the_working_days_late(page: Page, site: Site, tmp_path: Path) -> None:
    """宜春 002_*.txt 第二十条: pushed within 7 working days of certification (docs/department_lists.md L1).

    Certified Friday 2025-04-25. 2025 calendar (国办发明电〔2024〕12号): 5月1日至5日放假, 4月27日（周日）上班.
    Working days after the certification: 4-27 (1), 4-28 (2), 4-29 (3), 4-30 (4), 5-06 (5), 5-07 (6), 5-08 (7) → due 2025-05-08.
    Received Tuesday 2025-05-13: working days after the due day 5-09 (1), 5-12 (2), 5-13 (3) → 3 working days late.
    The identity starts in 2025-06, after every demo claim of YIC-P1 (2024): nothing is re-settled.
    """
    row = {"id_number": YIC_P1_ID, "name": "特困人员甲", "type": "低保对象", "certified_on": "2025-04-25",
           "valid_from": "2025-06-01", "action": "新增"}  # fmt: skip
    path = tmp_path / "yichun-2025-05.csv"
    path.write_bytes(render([row], "csv"))
    sign_in(page, site, "liaison", "imports.html")
    page.get_by_label("推送部门").fill("宜春市民政局")
    page.get_by_label("接收日期（空为今天）").fill("2025-05-13")
    page.get_by_label("名单文件").set_input_files(str(path))
    page.locator("#preview").click()
    page.locator("#apply").click()
    page.locator("#confirm-ok").click()
    expect(page.locator("#msg .ok")).to_have_text("已导入 1 行")

    page.goto("/web/worklist.html#late")
    page.locator("body[data-ready]").wait_for(state="attached")
    expect(page.locator("#tab-late")).to_have_attribute("aria-selected", "true")
    late = page.locator("#late-grid tbody tr", has_text="YIC-P1")
    expect(late).to_have_count(1)
    expect(late.locator('[data-key="received_on"]')).to_have_text("2025-05-13")
    expect(late.locator('[data-key="certified_on"]')).to_have_text("2025-04-25")
    expect(late.locator('[data-key="push_due"]')).to_have_text("2025-05-08")
    expect(late.locator('[data-key="push_late"]')).to_have_text("3 个工作日")
    expect(late.locator('[data-key="department"]')).to_have_text("宜春市民政局")
    # the demo's own late list (sanchong/demo_lists.py): certified 2024-09-27, due 2024-10-12 across National Day
    # (make-up workdays 9-29 and 10-12), received 2024-10-15 → 10-14, 10-15: 2 working days late
    demo = page.locator("#late-grid tbody tr", has_text="YIC-L1")
    expect(demo.locator('[data-key="push_due"]')).to_have_text("2024-10-12")
    expect(demo.locator('[data-key="push_late"]')).to_have_text("2 个工作日")
    shot(page, "worklist-late")


# -- roles, keyboard, English ----------------------------------------------------------------------------------------------------
def test_each_role_sees_only_the_tabs_it_may_use(page: Page, site: Site) -> None:
    sign_in(page, site, "liaison", "worklist.html")  # monitoring and lists, no applications
    assert _tabs(page) == ["预警核查", "名单逾期"]
    expect(page.locator("#panel-apps")).to_have_count(0)
    expect(page.locator("#tab-warnings")).to_have_attribute("aria-selected", "true")
    page.locator("#signout").click()

    sign_in(page, site, "clerk", "worklist.html#warnings")  # application.submit only
    assert _tabs(page) == ["申请待审"]
    expect(page.locator("#panel-warnings")).to_have_count(0)
    expect(page.locator("#panel-late")).to_have_count(0)
    page.locator("#app-grid tbody tr", has_text="WEI-P3").get_by_role("button", name="打开").click()
    expect(page.locator("#app-withdraw")).to_be_visible()  # the clerk may withdraw and record evidence …
    expect(page.locator("#evidence-grid button").first).to_be_visible()
    expect(page.locator("#app-review, #app-approve, #app-reject")).to_have_count(0)  # … but not review or decide
    page.locator("#signout").click()

    sign_in(page, site, "auditor", "worklist.html")  # none of the four rights
    expect(page.locator("main .error")).to_have_text("当前角色无权使用本页面")
    expect(page.locator("#top nav a", has_text="待办")).to_have_count(0)


def test_the_tabs_work_with_the_keyboard_and_in_english(page: Page, site: Site) -> None:
    sign_in(page, site, "officer", "worklist.html")
    page.locator("#tab-apps").focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#tab-warnings")).to_be_focused()
    expect(page.locator("#panel-warnings")).to_be_visible()
    expect(page.locator("#panel-apps")).to_be_hidden()
    page.keyboard.press("End")
    expect(page.locator("#tab-late")).to_be_focused()
    page.keyboard.press("ArrowRight")  # wraps round
    expect(page.locator("#tab-apps")).to_have_attribute("aria-selected", "true")
    page.locator("#lang").click()
    page.locator("body[data-ready]").wait_for(state="attached")
    assert _tabs(page) == ["Applications", "Warnings", "Late lists"]
    expect(page.locator("h1")).to_have_text("Work lists")
    page.locator("#tab-warnings").click()
    expect(page.locator("#warn-grid thead")).to_contain_text("Verify by")
    page.locator("#lang").click()  # back to Chinese for the other tests' contexts (each has its own storage anyway)
