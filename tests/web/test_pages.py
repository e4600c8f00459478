"""Staff pages in headless Chromium (issue 7): sign-in and menus per role, settle and cancel, imports, English, masking."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from sanchong.idnumber import make
from sanchong.lists.layout import render

from .conftest import Site, api_get, shot, sign_in

# The menu each demo role sees (web/static/pages.js, permissions of services/roles.py).
MENUS = {
    "clerk": ["人员查询", "结算", "待办", "政策", "五地比较"],
    "officer": ["人员查询", "名单导入", "待办", "报表", "政策", "五地比较"],
    "liaison": ["人员查询", "名单导入", "待办", "政策", "五地比较"],
    "auditor": ["人员查询", "报表", "政策", "五地比较"],
    "admin": ["人员查询", "结算", "名单导入", "待办", "报表", "政策", "五地比较"],
}
ROLE_NAMES = {"clerk": "经办柜员", "officer": "医保局经办人员", "liaison": "民政联络员", "auditor": "审计人员", "admin": "管理员"}


@pytest.mark.parametrize("role", list(MENUS))
def test_each_role_signs_in_and_sees_its_menu(page: Page, site: Site, role: str) -> None:
    sign_in(page, site, role)
    expect(page.locator("#whoami")).to_have_text(f"demo-{role} · {ROLE_NAMES[role]}")
    expect(page.locator("#w-role")).to_have_text(f"{ROLE_NAMES[role]} ({role})")
    expect(page.locator("#top nav a")).to_have_text(MENUS[role])
    shot(page, f"signin-{role}")
    page.locator("#signout").click()
    expect(page.get_by_label("用户名")).to_be_visible()


def test_a_wrong_token_is_refused_with_the_reason(page: Page, site: Site) -> None:
    page.goto("/web/")
    page.get_by_label("用户名").fill("demo-clerk")
    page.get_by_label("访问令牌").fill("not-a-token")
    page.get_by_label("访问令牌").press("Enter")
    expect(page.locator("#msg .error")).to_have_text("令牌无效 [Authorization]")
    page.get_by_label("访问令牌").fill(site.tokens["officer"])  # a real token of another user
    page.get_by_label("访问令牌").press("Enter")
    expect(page.locator("#msg .error")).to_have_text("用户名与令牌不符")
    expect(page.locator("#whoami")).to_have_count(0)


# -- person page --------------------------------------------------------------------------------------------------------------
# URU-P1 of examples/urumqi.json, demo number: make("650102", 1967-01-11, 101) (sanchong.demo.seed, n = 1).
URU_P1_ID = make("650102", dt.date(1967, 1, 11), 101)


def test_the_person_page_shows_identities_the_year_per_layer_and_the_articles(page: Page, site: Site) -> None:
    sign_in(page, site, "clerk", "person.html")
    page.get_by_label("姓名、人员编号或身份证号").fill("低保对象甲")
    page.get_by_label("姓名、人员编号或身份证号").press("Enter")
    expect(page.locator("#results-grid")).to_contain_text("URU-P1")
    page.locator("#results-grid a", has_text="URU-P1").click()
    expect(page.locator("#p-name")).to_have_text("低保对象甲")
    # the clerk has no read.id_number: first 4 and last 4 characters kept (idnumber.mask)
    expect(page.locator("#p-id")).to_have_text(URU_P1_ID[:4] + "*" * 10 + URU_P1_ID[-4:])
    expect(page.locator("#identity-grid")).to_contain_text("低保对象")
    expect(page.locator("#identity-grid")).to_contain_text("民政局")
    expect(page.locator("#identity-grid")).to_contain_text("2024-01-01")
    # dibao is category 2 in Urumqi (000_d4e791206b2fe630.txt 第三条, worked example README)
    expect(page.locator("#p-category")).to_have_text("第2类（低保对象）")
    expect(page.locator("#y-year")).to_have_text("2024")
    # 000 第十一条(五): cap 50000; paid C1 12000 + C2 2550 + C3 35450 = 50000 (README table) → left 0.00
    cap = page.locator('[data-layer="assistance"]')
    expect(cap.locator(".bar").last).to_have_attribute("aria-label", "年度限额 已用: 50,000.00 / 50,000.00")
    expect(cap.locator('[data-key="assistance.cap_left"]')).to_have_text("剩余 0.00")
    # 000 第十二条: tilted cap 50000; paid C3 5118.75 → left 50000 − 5118.75 = 44881.25
    tilted = page.locator('[data-layer="tilted"]')
    expect(tilted.locator(".bar").last).to_have_attribute("aria-label", "年度限额 已用: 5,118.75 / 50,000.00")
    expect(tilted.locator('[data-key="tilted.cap_left"]')).to_have_text("剩余 44,881.25")
    # three settlements, newest first; C3's explanation cites 第十二条 with the README arithmetic
    expect(page.locator("details.claim")).to_have_count(3)
    c3 = page.locator('details.claim[data-claim="URU-C3"]')
    c3.locator("summary").click()
    expect(c3).to_contain_text("医疗救助 35,450.00")
    expect(c3).to_contain_text("倾斜救助 5,118.75")
    expect(c3).to_contain_text("个人负担 29,431.25")  # 180000 − 80000 − 30000 − 35450 − 5118.75
    expect(c3.locator(".article", has_text="第十二条")).to_have_count(1)
    # applications (GET /applications?psn_no=, role with read) have their section; monitoring warnings are for the roles
    # with monitoring or audit (api/monitoring_routes.py), so the clerk's page hides that section (403)
    expect(page.locator("#applications")).to_be_visible()
    expect(page.locator("#warnings")).to_be_hidden()
    shot(page, "person")


def test_the_officer_sees_the_full_id_number_and_the_liaison_no_settlements(page: Page, site: Site) -> None:
    sign_in(page, site, "officer", "person.html?psn=URU-P1")
    expect(page.locator("#p-id")).to_have_text(URU_P1_ID)
    expect(page.locator("#warnings")).to_be_visible()  # the officer has monitoring
    # category 2 has no deductible (000_d4e791206b2fe630.txt 第十一条(二))
    expect(page.locator('[data-layer="assistance"]')).to_contain_text("不设起付线")
    page.goto("/web/person.html?psn=URU-P2")
    # category 3: deductible 46000 × 10% = 4600 (第十一条(三)), reached by C4's base 28000 − 18000 = 10000 → left 0.00;
    # cap 50000 (第十一条(五)) used by C4 (10000 − 4600) × 80% = 4320 → left 45680.00 (C5 unreferred pays nothing, 第二十一条)
    assistance = page.locator('[data-layer="assistance"]')
    expect(assistance.locator(".bar").first).to_have_attribute("aria-label", "起付线 已用: 4,600.00 / 4,600.00")
    expect(assistance.locator('[data-key="assistance.deductible_left"]')).to_have_text("剩余 0.00")
    expect(assistance.locator('[data-key="assistance.cap_left"]')).to_have_text("剩余 45,680.00")
    page.locator("#signout").click()
    sign_in(page, site, "liaison", "person.html?psn=URU-P1")
    expect(page.locator("#p-id")).to_have_text(URU_P1_ID)
    expect(page.locator("#identity-grid")).to_contain_text("低保对象")
    expect(page.locator("#claims")).to_be_hidden()  # the liaison has read.person, not read
    expect(page.locator("#year")).to_be_hidden()
    # KUN-P1 of examples/kunyu.json: special_hardship / severe_disability, shown in the seed's words (003 一)
    page.goto("/web/person.html?psn=KUN-P1")
    expect(page.locator("#identity-grid")).to_contain_text("其他特殊困难人员")
    expect(page.locator("#identity-grid")).to_contain_text("重残人员")


# -- settlement form ----------------------------------------------------------------------------------------------------------
def test_a_clerk_trials_settles_and_cancels_a_claim(page: Page, site: Site) -> None:
    sign_in(page, site, "clerk", "settle.html")
    form = {"人员编号": "URU-P2", "单据号": "WEB-1", "就医日期": "2024-09-10", "医疗费总额（元）": "20000.00",
            "政策范围内费用（元）": "19000.00", "基本医保支付（元，可空）": "12000.00", "大病保险支付（元，可空）": "0.00"}  # fmt: skip
    for label, value in form.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("就医类型").select_option("inpatient")
    page.get_by_label("基本医保支付（元，可空）").press("Enter")  # Enter submits: the trial
    expect(page.locator("#r-heading")).to_have_text("预结算结果（未保存）")
    # URU-P2 is near-dibao, category 3 (000_d4e791206b2fe630.txt 第十一条(三)); the deductible 4600 was used up by C4
    # (README: 46000 × 10%). Base 19000 − 12000 − 0 = 7000; (7000 − 0) × 80% = 5600.00, inside the cap 50000 − 4320
    # (第十一条(五)); nothing above the cap, so no tilted (第十二条); personal 20000 − 12000 − 0 − 5600 = 2400.00.
    amounts = {"basic": "12,000.00", "critical": "0.00", "assistance": "5,600.00", "tilted": "0.00", "personal": "2,400.00"}
    for layer, amount in amounts.items():
        expect(page.locator(f'#r-layers [data-layer="{layer}"] .amount')).to_have_text(amount)
    expect(page.locator("#r-category")).to_have_text("第3类")
    expect(page.locator("#r-explanation")).to_contain_text("第十一条(三)")
    expect(page.locator("#r-person")).to_contain_text("*" * 10)  # masked for the clerk
    shot(page, "settle-trial")
    # nothing was stored by the trial
    assert api_get(site, "/claims/urumqi/WEB-1", "clerk")[0] == 404
    page.locator("#commit").click()
    expect(page.locator("#msg .ok")).to_contain_text("结算成功")
    expect(page.locator('#r-layers [data-layer="assistance"] .amount')).to_have_text("5,600.00")
    status, stored = api_get(site, "/claims/urumqi/WEB-1", "clerk")
    assert (status, stored["assistance"], stored["personal"]) == (200, "5600.00", "2400.00")
    shot(page, "settle-committed")
    # cancel: the dialog first; Esc keeps the settlement
    page.locator("#cancel").click()
    expect(page.locator("dialog.confirm")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("dialog.confirm")).to_have_count(0)
    assert api_get(site, "/claims/urumqi/WEB-1", "clerk")[1]["status"] == "settled"
    page.locator("#cancel").click()
    page.get_by_label("撤销原因（可空）").fill("录入错误")
    shot(page, "settle-cancel-dialog")
    page.locator("#confirm-ok").click()
    expect(page.locator("#r-heading")).to_have_text("已撤销 WEB-1")
    expect(page.locator("#cancel")).to_be_hidden()
    assert api_get(site, "/claims/urumqi/WEB-1", "clerk")[1]["status"] == "cancelled"


def test_a_bad_amount_is_named_and_nothing_is_stored(page: Page, site: Site) -> None:
    sign_in(page, site, "clerk", "settle.html")
    page.get_by_label("人员编号").fill("URU-P2")
    page.get_by_label("单据号").fill("WEB-BAD")
    page.get_by_label("就医日期").fill("2024-09-11")
    page.get_by_label("医疗费总额（元）").fill("12,3")
    page.get_by_label("政策范围内费用（元）").fill("100.00")
    page.get_by_label("政策范围内费用（元）").press("Enter")
    expect(page.locator("#msg .error")).to_contain_text("[total]")
    expect(page.locator("#msg .error")).to_contain_text("金额应为非负的元")
    expect(page.locator("#commit")).to_be_disabled()
    assert api_get(site, "/claims/urumqi/WEB-BAD", "clerk")[0] == 404


# -- imports ------------------------------------------------------------------------------------------------------------------
# WEI-P3 of examples/weihai.json (普通参保丙, no identity): demo number make("371002", 1981-03-13, 103).
WEI_P3_ID = make("371002", dt.date(1981, 3, 13), 103)


def test_an_import_with_a_bad_row_shows_the_rejection_and_changes_nothing(page: Page, site: Site, tmp_path: Path) -> None:
    good = {"id_number": WEI_P3_ID, "name": "普通参保丙", "type": "低保对象", "certified_on": "2025-01-02",
            "valid_from": "2025-01-01", "action": "新增"}  # fmt: skip
    broken = WEI_P3_ID[:-1] + ("0" if WEI_P3_ID[-1] != "0" else "1")  # wrong GB 11643 check character
    bad = {**good, "id_number": broken, "name": "某某"}
    path = tmp_path / "weihai-2025-01.csv"
    path.write_bytes(render([good, bad], "csv"))
    sign_in(page, site, "liaison", "imports.html")
    page.get_by_label("推送部门").fill("威海市民政局")
    page.get_by_label("接收日期（空为今天）").fill("2025-01-10")
    page.get_by_label("名单文件").set_input_files(str(path))
    page.locator("#preview").click()
    expect(page.locator("#r-counts")).to_have_text("共 2 行：新增 1，终止 0，变更 0，拒绝 1")
    rejected = page.locator("#rows-rejected tbody tr")
    expect(rejected).to_have_count(1)
    expect(rejected.locator('[data-key="row"]')).to_have_text("3")  # the header is row 1
    expect(rejected.locator('[data-key="reason"]')).to_contain_text("校验码")
    expect(page.locator("#rows-added tbody tr")).to_have_count(1)
    expect(page.locator("#apply")).to_be_disabled()  # a rejected row: all or nothing
    shot(page, "imports-preview")
    assert api_get(site, "/persons/WEI-P3", "officer")[1]["identities"] == []  # the preview changed nothing
    # apply the valid row only, after confirmation
    page.get_by_label("跳过被拒绝的行，只导入有效行").check()
    page.locator("#apply").click()
    page.locator("#confirm-ok").click()
    expect(page.locator("#msg .ok")).to_have_text("已导入 1 行")
    identities = api_get(site, "/persons/WEI-P3", "officer")[1]["identities"]
    assert [(x["type"], x["valid_from"], x["department"]) for x in identities] == [("dibao", "2025-01-01", "威海市民政局")]


# -- language, permissions -------------------------------------------------------------------------------------------------------
def test_the_english_switch_translates_the_pages_and_is_remembered(page: Page, site: Site) -> None:
    sign_in(page, site, "clerk", "settle.html")
    page.locator("#lang").click()
    expect(page.locator("h1")).to_have_text("One-stop settlement")
    expect(page.locator("#top nav a")).to_have_text(["Persons", "Settle", "Work lists", "Policies", "Compare regions"])
    expect(page.locator("#whoami")).to_have_text("demo-clerk · Counter clerk")
    page.get_by_label("Person number").fill("NOBODY")
    page.get_by_label("Total cost (yuan)").fill("100.00")
    page.get_by_label("In-scope cost (yuan)").fill("100.00")
    page.get_by_label("In-scope cost (yuan)").press("Enter")
    expect(page.locator("#msg .error")).to_have_text("no person NOBODY [person]")  # message_en of the API
    page.goto("/web/person.html?psn=URU-P1")
    expect(page.locator("h1")).to_have_text("Persons")
    expect(page.locator("#p-category")).to_have_text("Category 2（Dibao）")
    shot(page, "person-en")
    page.locator("#lang").click()
    expect(page.locator("h1")).to_have_text("人员查询")


def test_the_keyboard_alone_signs_in_and_runs_a_trial_with_visible_focus(page: Page, site: Site) -> None:
    page.goto("/web/")
    expect(page.get_by_label("用户名")).to_be_focused()  # the first field has the focus
    page.keyboard.type("demo-clerk")
    page.keyboard.press("Tab")
    expect(page.get_by_label("访问令牌")).to_be_focused()  # logical tab order
    page.keyboard.type(site.tokens["clerk"])
    page.keyboard.press("Enter")
    expect(page.locator("#whoami")).to_have_text("demo-clerk · 经办柜员")
    page.goto("/web/settle.html?psn=URU-P1")
    expect(page.get_by_label("人员编号")).to_be_focused()  # the page puts the focus on its first field
    page.keyboard.press("Tab")  # from the prefilled person number to the claim id
    expect(page.get_by_label("单据号")).to_be_focused()
    outline = page.get_by_label("单据号").evaluate("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth")
    assert outline == "solid 3px"  # the focus is visible (style.css :focus-visible)
    visited = []  # the date field takes one Tab per part (year, month, day), so collapse repeats
    for _ in range(8):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
        if not visited or visited[-1] != focused:
            visited.append(focused)
    assert visited[:4] == ["date", "visit", "total", "in_scope"]


def test_a_page_the_role_may_not_use_says_so(page: Page, site: Site) -> None:
    sign_in(page, site, "auditor", "settle.html")
    expect(page.locator("main .error")).to_have_text("当前角色无权使用本页面")
    expect(page.locator("#claim")).to_have_count(0)


def test_a_page_without_a_token_goes_to_sign_in_and_comes_back(page: Page, site: Site) -> None:
    page.goto("/")
    expect(page).to_have_url(f"{site.url}/web/")
    page.goto("/web/person.html?psn=URU-P1")
    expect(page).to_have_url(re.compile(r"index\.html\?next="))
    page.get_by_label("用户名").fill("demo-auditor")
    page.get_by_label("访问令牌").fill(site.tokens["auditor"])
    page.get_by_label("访问令牌").press("Enter")
    expect(page.locator("#p-name")).to_have_text("低保对象甲")
