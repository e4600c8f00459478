"""National codes the translation uses (shared/reference/nhsa_interface.md); regional tables live in the policies."""

from __future__ import annotations

# §1/§3: supported transactions and what each one asks for
OPERATIONS = {
    "2303": "trial",  # 住院预结算
    "2304": "settle",  # 住院结算
    "2207": "settle",  # 门诊结算
    "2305": "cancel",  # 住院结算撤销
    "2208": "cancel",  # 门诊结算撤销
}
INPATIENT_INFNOS = frozenset({"2303", "2304", "2305"})

# §5.5 clr_type 清算类别: 11 门诊, 21 住院
CLR_TYPE_OUTPATIENT = "11"
CLR_TYPE_INPATIENT = "21"

# §5.1 insutype 险种类型; DESIGN §2: 职工医保 / 居民医保
INSURANCE_OF_INSUTYPE = {"310": "employee", "390": "resident"}
INSUTYPE_OF_INSURANCE = {"employee": "310", "resident": "390"}

# §5.5 psn_cert_type 01 居民身份证（户口簿）
PSN_CERT_TYPE_ID_CARD = "01"

# §4.1 fund_pay_type, first level (national)
BASIC_FUND = {
    "resident": ("390100", "城乡居民基本医疗保险基金"),
    "employee": ("310100", "职工基本医疗保险统筹基金"),
}
CRITICAL_FUND = {
    "resident": ("390200", "城乡居民大病医疗保险基金"),
    "employee": ("330100", "大额医疗费用补助基金"),
}
ASSISTANCE_FUND = ("610100", "医疗救助基金")
TILTED_FUND_NAME = "倾斜救助"  # §7: no national code; the code is regional (nhsa.tilted_fund_code)

# §5.2: the national med_type to echo when a cancellation does not carry the original one
DEFAULT_MED_TYPE = {"general_outpatient": "11", "chronic_outpatient": "14", "inpatient": "21"}

SETL_PROC_INFO_MAX = 4000  # §4: setl_proc_info 字符4000
