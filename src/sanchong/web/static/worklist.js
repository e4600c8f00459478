// Work lists (issue 7): applications to review (evidence, the computed entitlement, decide), monitoring warnings to
// verify (push → verify → close, export), late department-list rows. Every figure and every refusal comes from the API;
// each tab appears only for the roles that may use it, and every state change asks for confirmation first.
import { addStrings, api, can, clearMessage, confirmDialog, el, formObject, has, lang, money, showError, showMessage, start, subtype, t, table } from "./common.js";

addStrings({
  zh: {
    "worklist.title": "待办 · 三重制度综合保障", "worklist.heading": "待办工作",
    "worklist.tab_apps": "申请待审", "worklist.tab_warnings": "预警核查", "worklist.tab_late": "名单逾期",
    "worklist.status": "状态", "worklist.region": "地区", "worklist.kind": "申请事项", "worklist.year": "年度", "worklist.all": "全部",
    "worklist.search": "查询", "worklist.app_open": "待处理（已提交、审核中）", "worklist.apps": "申请",
    "worklist.app_pick": "打开一件申请，查看材料清单和批准后应支付的金额，再作决定。",
    "worklist.count": "共 {n} 件", "worklist.count_more": "共 {n} 件，显示前 {shown} 件", "worklist.none": "没有符合条件的记录",
    "worklist.open": "打开", "worklist.open_n": "打开申请 {id}",
    "worklist.evidence_ok": "材料齐全", "worklist.evidence_missing": "缺 {n} 项",
    "worklist.provided": "已提供", "worklist.missing": "缺少", "worklist.mark_missing": "标记缺少", "worklist.mark_provided": "标记已提供",
    "worklist.add_item": "其他材料", "worklist.add": "添加",
    "col.id": "编号", "col.person": "人员", "col.psn_no": "人员编号", "col.name": "姓名", "col.id_number": "身份证号", "col.region": "地区",
    "col.kind": "申请事项", "col.applied_on": "申请日期", "col.status": "状态", "col.evidence": "材料", "col.actions": "操作",
    "col.item": "序号", "col.text": "材料（认定条件）", "col.article": "依据", "col.provided": "情况", "col.note": "备注",
    "col.claim_id": "单据号", "col.layer": "层次", "col.amount": "金额", "col.year": "年度", "col.warning": "预警",
    "col.burden": "个人负担", "col.line": "预警线", "col.pushed": "推送", "col.verify_due": "核查期限", "col.done": "核查 / 办结",
    "col.department": "推送部门", "col.file": "名单文件", "col.received_on": "接收日期", "col.row": "行号", "col.type": "身份类别",
    "col.action": "变动", "col.certified_on": "认定日期", "col.push_due": "推送期限", "col.push_late": "推送逾期",
    "col.mark_due": "标识期限", "col.mark_late": "标识逾期",
    "app.heading": "申请 {id} · {kind}", "app.person": "人员", "app.id_number": "身份证号", "app.region": "地区", "app.identity": "申请身份",
    "app.claim": "单据 / 年度", "app.applied_on": "申请日期", "app.article": "依据", "app.note": "说明", "app.department": "认定部门",
    "app.lookback": "回溯起点", "app.submitted": "提交", "app.reviewed": "受理审核", "app.decided": "决定",
    "app.evidence": "材料清单", "app.entitlement": "批准后应支付（测算）", "app.entitlement_hint":
      "按批准本身的处理（写入身份或审批、重新结算该人员的全部单据）测算后回滚；只要其间没有其他变化，批准时支付的正是这个金额。",
    "app.no_adjust": "批准后没有应补付的金额", "app.by_layer": "按层次", "app.recompute": "重新测算",
    "app.rate": "倾斜救助比例（{min}–{max}，一事一议；空为 {min}）", "app.valid_from": "身份起始日期（空为决定当日）",
    "app.valid_to": "身份终止日期（空为长期）", "app.document_no": "认定文书编号",
    "app.decision": "决定", "app.reason": "理由", "app.rate_used": "比例", "app.valid": "身份有效期", "app.paid": "已支付",
    "app.adjustments": "补充结算（补差）", "app.review": "受理审核", "app.approve": "批准", "app.reject": "不予批准", "app.withdraw": "撤回",
    "app.incomplete": "材料未齐，不能批准（先登记缺少的材料）",
    "app.confirm_review": "受理申请 {id}（{name}，{kind}），转入审核？",
    "app.confirm_approve": "批准申请 {id}（{name}，{kind}）？批准后应支付 {amount} 元，将写入并重新结算该人员的单据。",
    "app.confirm_reject": "不予批准申请 {id}（{name}，{kind}）？请填写理由，理由将告知申请人。",
    "app.confirm_withdraw": "撤回申请 {id}（{name}，{kind}）？",
    "app.done_review": "申请 {id} 已受理，转入审核", "app.done_approve": "申请 {id} 已批准，支付 {paid} 元",
    "app.done_reject": "申请 {id} 未批准", "app.done_withdraw": "申请 {id} 已撤回",
    "appstate.submitted": "已提交", "appstate.under_review": "审核中", "appstate.approved": "已批准", "appstate.rejected": "未批准",
    "appstate.withdrawn": "已撤回",
    "appkind.identification": "身份认定（第四类）", "appkind.tilted": "倾斜救助",
    "worklist.only_late": "只看逾期", "worklist.export_csv": "导出 CSV", "worklist.export_xlsx": "导出 XLSX", "worklist.warnings": "预警",
    "worklist.warn_hint": "新预警 → 推送民政 → 核查 → 已帮扶救助或不符合条件。每个预警只显示它当前状态允许的下一步。",
    "worklist.prev": "上一页", "worklist.next": "下一页", "worklist.page": "第 {from}–{to} 条，共 {n} 条",
    "warn.push": "推送民政", "warn.verify": "核查", "warn.assisted": "已帮扶救助", "warn.not_eligible": "不符合条件",
    "warn.no_due": "未设期限", "warn.late": "逾期 {n} 个工作日", "warn.on_time": "未逾期", "warn.to": "接收部门",
    "warn.note": "核查情况", "warn.close_note": "说明（可空）",
    "warn.confirm_push": "把预警 {id}（{name}，{year} 年{kind}，负担 {burden} 元，预警线 {line} 元）推送给民政部门核查？",
    "warn.confirm_verify": "登记预警 {id}（{name}）已核查？",
    "warn.confirm_close": "预警 {id}（{name}）办结为“{outcome}”？办结后不能再改。",
    "warn.done_push": "预警 {id} 已推送至 {to}", "warn.done_verify": "预警 {id} 已核查", "warn.done_close": "预警 {id} 已办结：{outcome}",
    "warn.need_to": "请填写接收部门", "warn.exported": "已导出 {file}",
    "warn.push_selected": "推送所选（{n}）", "warn.pick_all": "选择本页全部新预警", "warn.pick": "选择预警 {id}（{name}）",
    "warn.confirm_push_many": "把所选 {n} 条新预警（{ids}）一并推送给民政部门核查？任何一条不能推送时全部不推送。",
    "warn.done_push_many": "已推送 {n} 条预警至 {to}",
    "wstate.new": "新预警", "wstate.pushed": "已推送民政", "wstate.verified": "已核查", "wstate.assisted": "已帮扶救助",
    "wstate.not_eligible": "不符合条件", "wstate.withdrawn": "已撤回",
    "wkind.relapse": "因病返贫", "wkind.impoverishment": "因病致贫",
    "wpop.cat1": "第一类救助对象", "wpop.cat2": "第二类救助对象", "wpop.cat3": "第三类救助对象", "wpop.cat4": "第四类救助对象", "wpop.ordinary": "一般参保人",
    "worklist.department": "推送部门", "worklist.since": "接收日期从", "worklist.until": "接收日期至", "worklist.late": "逾期的名单行",
    "worklist.late_hint": "推送期限按认定日期起算的工作日（宜春 第二十条）或每月推送日（昆玉 四(一)）；标识期限为收到后的工作日（昆玉 四(二)）。逾期天数为工作日，已扣除法定节假日并计入调休上班日。",
    "worklist.late_count": "共 {n} 行逾期", "worklist.workdays": "{n} 个工作日",
    "listaction.add": "新增", "listaction.end": "终止", "listaction.change": "变更",
  },
  en: {
    "worklist.title": "Work lists · Three-layer protection", "worklist.heading": "Work lists",
    "worklist.tab_apps": "Applications", "worklist.tab_warnings": "Warnings", "worklist.tab_late": "Late lists",
    "worklist.status": "State", "worklist.region": "Region", "worklist.kind": "Kind", "worklist.year": "Year", "worklist.all": "All",
    "worklist.search": "Search", "worklist.app_open": "Open (submitted, under review)", "worklist.apps": "Applications",
    "worklist.app_pick": "Open an application to see its evidence list and what approving it would pay, then decide.",
    "worklist.count": "{n} in all", "worklist.count_more": "{n} in all, first {shown} shown", "worklist.none": "Nothing matches",
    "worklist.open": "Open", "worklist.open_n": "Open application {id}",
    "worklist.evidence_ok": "Complete", "worklist.evidence_missing": "{n} missing",
    "worklist.provided": "Provided", "worklist.missing": "Missing", "worklist.mark_missing": "Mark missing",
    "worklist.mark_provided": "Mark provided", "worklist.add_item": "Other document", "worklist.add": "Add",
    "col.id": "No.", "col.person": "Person", "col.psn_no": "Person", "col.name": "Name", "col.id_number": "ID number", "col.region": "Region",
    "col.kind": "Kind", "col.applied_on": "Applied on", "col.status": "State", "col.evidence": "Evidence", "col.actions": "Actions",
    "col.item": "No.", "col.text": "Evidence (condition)", "col.article": "Article", "col.provided": "Status", "col.note": "Note",
    "col.claim_id": "Claim", "col.layer": "Layer", "col.amount": "Amount", "col.year": "Year", "col.warning": "Warning",
    "col.burden": "Burden", "col.line": "Line", "col.pushed": "Pushed", "col.verify_due": "Verify by", "col.done": "Verified / closed",
    "col.department": "Department", "col.file": "List file", "col.received_on": "Received", "col.row": "Row", "col.type": "Identity",
    "col.action": "Change", "col.certified_on": "Certified", "col.push_due": "Push due", "col.push_late": "Pushed late",
    "col.mark_due": "Mark due", "col.mark_late": "Marked late",
    "app.heading": "Application {id} · {kind}", "app.person": "Person", "app.id_number": "ID number", "app.region": "Region",
    "app.identity": "Identity applied for", "app.claim": "Claim / year", "app.applied_on": "Applied on", "app.article": "Article",
    "app.note": "Note", "app.department": "Certifying department", "app.lookback": "Look-back from", "app.submitted": "Submitted",
    "app.reviewed": "Taken into review", "app.decided": "Decided", "app.evidence": "Evidence list",
    "app.entitlement": "Approval would pay (computed)", "app.entitlement_hint":
      "Computed by the approval's own work (identity or approval written, every claim of the person re-settled) and rolled back: unless something else changes first, approving pays exactly this.",
    "app.no_adjust": "Approving pays nothing more", "app.by_layer": "By layer", "app.recompute": "Recompute",
    "app.rate": "Tilted rate ({min}–{max}, case by case; empty: {min})", "app.valid_from": "Identity from (empty: the decision day)",
    "app.valid_to": "Identity to (empty: open-ended)", "app.document_no": "Certification document",
    "app.decision": "Decision", "app.reason": "Reason", "app.rate_used": "Rate", "app.valid": "Identity valid", "app.paid": "Paid",
    "app.adjustments": "Re-settlement (paid on top)", "app.review": "Take into review", "app.approve": "Approve", "app.reject": "Reject",
    "app.withdraw": "Withdraw", "app.incomplete": "Evidence incomplete: record the missing items before approving",
    "app.confirm_review": "Take application {id} ({name}, {kind}) into review?",
    "app.confirm_approve": "Approve application {id} ({name}, {kind})? Approving pays {amount} yuan; the person's claims are re-settled.",
    "app.confirm_reject": "Reject application {id} ({name}, {kind})? Give the reason; the applicant is told.",
    "app.confirm_withdraw": "Withdraw application {id} ({name}, {kind})?",
    "app.done_review": "Application {id} taken into review", "app.done_approve": "Application {id} approved, {paid} yuan paid",
    "app.done_reject": "Application {id} rejected", "app.done_withdraw": "Application {id} withdrawn",
    "appstate.submitted": "Submitted", "appstate.under_review": "Under review", "appstate.approved": "Approved",
    "appstate.rejected": "Rejected", "appstate.withdrawn": "Withdrawn",
    "appkind.identification": "Identification (category 4)", "appkind.tilted": "Tilted assistance",
    "worklist.only_late": "Late only", "worklist.export_csv": "Export CSV", "worklist.export_xlsx": "Export XLSX", "worklist.warnings": "Warnings",
    "worklist.warn_hint": "New → pushed to civil affairs → verified → assisted or not eligible. Each warning offers only the next steps its state allows.",
    "worklist.prev": "Previous", "worklist.next": "Next", "worklist.page": "{from}–{to} of {n}",
    "warn.push": "Push", "warn.verify": "Verified", "warn.assisted": "Assisted", "warn.not_eligible": "Not eligible",
    "warn.no_due": "no deadline set", "warn.late": "{n} working days late", "warn.on_time": "not late", "warn.to": "Receiving department",
    "warn.note": "Verification findings", "warn.close_note": "Note (optional)",
    "warn.confirm_push": "Push warning {id} ({name}, {year} {kind}, burden {burden} yuan, line {line} yuan) to civil affairs for verification?",
    "warn.confirm_verify": "Record warning {id} ({name}) as verified?",
    "warn.confirm_close": "Close warning {id} ({name}) as “{outcome}”? This cannot be changed afterwards.",
    "warn.done_push": "Warning {id} pushed to {to}", "warn.done_verify": "Warning {id} verified", "warn.done_close": "Warning {id} closed: {outcome}",
    "warn.need_to": "Give the receiving department", "warn.exported": "Exported {file}",
    "warn.push_selected": "Push selected ({n})", "warn.pick_all": "Select every new warning on this page", "warn.pick": "Select warning {id} ({name})",
    "warn.confirm_push_many": "Push the {n} selected new warnings ({ids}) to civil affairs for verification? If any one cannot be pushed, none is.",
    "warn.done_push_many": "{n} warnings pushed to {to}",
    "wstate.new": "New", "wstate.pushed": "Pushed to civil affairs", "wstate.verified": "Verified", "wstate.assisted": "Assisted",
    "wstate.not_eligible": "Not eligible", "wstate.withdrawn": "Withdrawn",
    "wkind.relapse": "Relapse into poverty", "wkind.impoverishment": "Impoverishment",
    "wpop.cat1": "Category 1", "wpop.cat2": "Category 2", "wpop.cat3": "Category 3", "wpop.cat4": "Category 4", "wpop.ordinary": "Ordinary insured",
    "worklist.department": "Department", "worklist.since": "Received from", "worklist.until": "Received to", "worklist.late": "Late list rows",
    "worklist.late_hint": "Push deadlines count working days from certification (Yichun art. 20) or the monthly due day (Kunyu 4(1)); the marking deadline counts working days after receipt (Kunyu 4(2)). Days late are working days, statutory holidays and make-up workdays included.",
    "worklist.late_count": "{n} late rows", "worklist.workdays": "{n} working days",
    "listaction.add": "Add", "listaction.end": "End", "listaction.change": "Change",
  },
});

const $ = (id) => document.getElementById(id);
const REGIONS = ["urumqi", "ordos", "yichun", "kunyu", "weihai"];
const TABS = [
  { name: "apps", perm: ["application.decide", "application.submit"], load: () => loadApps() },
  { name: "warnings", perm: "monitoring", load: () => loadWarnings(0) },
  { name: "late", perm: "lists", load: () => loadLate() },
];
const PAGE_PERMS = TABS.flatMap((x) => x.perm);
const loaded = new Set();

// A code's name in the current language: our own text when we have it (English), else the API's Chinese name.
function named(prefix, code, apiName) {
  if (lang() === "en" && has(prefix + code)) return t(prefix + code);
  return apiName || (has(prefix + code) ? t(prefix + code) : code);
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "" && v !== false) q.set(k, String(v));
  const s = q.toString();
  return s ? "?" + s : "";
}

function badge(text, kind) {
  return el("span", { class: `badge ${kind || ""}` }, text);
}

function personLink(psn, name) {
  return el("span", {}, el("a", { href: `person.html?psn=${encodeURIComponent(psn)}` }, psn), " ", name || "");
}

function facts(pairs) {
  return el("dl", { class: "facts" }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== "").flatMap(([k, v, key]) => [
    el("dt", {}, k),
    el("dd", key ? { "data-key": key } : {}, v),
  ]));
}

async function download(path, fallback) {
  const res = await api(path, { raw: true });
  const disposition = res.headers.get("content-disposition") || "";
  const name = (/filename="?([^";]+)"?/.exec(disposition) || [])[1] || fallback;
  const link = el("a", { href: URL.createObjectURL(await res.blob()), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  return name;
}

// ---------------------------------------------------------------------------------------------------------------
// Tabs: role="tablist", arrow keys / Home / End move between the visible tabs; the choice is kept in the URL (#warnings).
function visibleTabs() {
  return TABS.filter((x) => !$(`tab-${x.name}`).hidden);
}

function select(name, focus = false) {
  for (const x of visibleTabs()) {
    const tab = $(`tab-${x.name}`);
    const on = x.name === name;
    tab.setAttribute("aria-selected", on ? "true" : "false");
    tab.tabIndex = on ? 0 : -1;
    $(`panel-${x.name}`).hidden = !on;
    if (on && focus) tab.focus();
  }
  history.replaceState(null, "", "#" + name);
  const tab = TABS.find((x) => x.name === name);
  if (!loaded.has(name)) {
    loaded.add(name);
    tab.load().catch(() => {}); // errors are shown in #msg by api()
  }
}

function setUpTabs() {
  for (const x of TABS) {
    const tab = $(`tab-${x.name}`);
    tab.hidden = !can(x.perm);
    if (tab.hidden) $(`panel-${x.name}`).remove(); // nothing of a tab the role may not use stays in the page
    else tab.addEventListener("click", () => select(x.name));
  }
  $("tabs").addEventListener("keydown", (event) => {
    const shown = visibleTabs();
    const at = shown.findIndex((x) => $(`tab-${x.name}`) === document.activeElement);
    if (at < 0) return;
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: shown.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    select(shown[(to + shown.length) % shown.length].name, true);
  });
  const wanted = location.hash.slice(1);
  const shown = visibleTabs();
  select((shown.find((x) => x.name === wanted) || shown[0]).name);
}

function fillRegions() {
  for (const box of document.querySelectorAll("select.regions")) {
    box.replaceChildren(el("option", { value: "" }, t("worklist.all")), ...REGIONS.map((r) => el("option", { value: r }, t("region." + r))));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Applications (docs/applications.md): the list, one application with its evidence and entitlement, the decision.
let current = null; // the application on screen
let rules = {}; // region -> GET /applications/rules/{region} (the tilted rate range)

async function loadApps() {
  const f = formObject($("app-filter"));
  const statuses = f.status === "open" ? ["submitted", "under_review"] : [f.status || null];
  const pages = await Promise.all(statuses.map((s) => api("/applications" + query({ status: s, region: f.region, kind: f.kind, limit: 100 }))));
  const items = pages.flatMap((p) => p.items).sort((a, b) => b.id - a.id);
  const total = pages.reduce((n, p) => n + p.total, 0);
  $("app-count").textContent = `${t("worklist.apps")} · ${total > items.length ? t("worklist.count_more", { n: total, shown: items.length }) : t("worklist.count", { n: total })}`;
  if (!items.length) {
    $("app-list").replaceChildren(el("p", { class: "hint" }, t("worklist.none")));
    return;
  }
  const columns = [
    { key: "id", label: t("col.id") },
    { key: "psn_no", label: t("col.person"), format: (v, r) => personLink(v, r.name) },
    { key: "kind", label: t("col.kind"), format: (v, r) => [named("appkind.", v, r.kind_name), el("div", { class: "muted" }, t("region." + r.region))] },
    { key: "applied_on", label: t("col.applied_on") },
    { key: "status", label: t("col.status"), format: (v, r) => [
      badge(named("appstate.", v, r.status_name), v === "submitted" || v === "under_review" ? "open" : ""), el("div", { "data-key": "evidence" }, evidenceBadge(r)),
    ] },
    { key: "open", label: t("col.actions"), format: (v, r) =>
      el("button", { type: "button", class: "secondary", "aria-label": t("worklist.open_n", { id: r.id }), onclick: () => openApp(r.id) }, t("worklist.open")) },
  ];
  const grid = table(columns, items, { id: "app-grid" });
  [...grid.tBodies[0].rows].forEach((tr, i) => {
    tr.dataset.id = items[i].id;
    if (current && current.id === items[i].id) tr.classList.add("current");
  });
  $("app-list").replaceChildren(grid);
}

function evidenceBadge(a) {
  const missing = a.evidence.filter((e) => !e.provided).length;
  return missing ? badge(t("worklist.evidence_missing", { n: missing }), "missing") : badge(t("worklist.evidence_ok"), "ok");
}

function isOpen(a) {
  return a.status === "submitted" || a.status === "under_review";
}

async function openApp(id) {
  clearMessage();
  const a = await api(`/applications/${id}`);
  if (isOpen(a) && a.kind === "tilted" && !(a.region in rules)) rules[a.region] = await api(`/applications/rules/${a.region}`);
  await renderApp(a);
  for (const tr of document.querySelectorAll("#app-grid tbody tr")) tr.classList.toggle("current", tr.dataset.id === String(id));
  $("app-detail").focus();
}

// The decision's parameters from the form under the entitlement (only the fields the application's kind uses).
function decisionParams() {
  const form = $("decide-form");
  return form ? formObject(form) : {};
}

async function renderApp(a) {
  current = a;
  const kind = named("appkind.", a.kind, a.kind_name);
  const parts = [
    el("h2", { id: "app-heading" }, t("app.heading", { id: a.id, kind }), " ",
      badge(named("appstate.", a.status, a.status_name), isOpen(a) ? "open" : ""),
    ),
    facts([
      [t("app.person"), personLink(a.psn_no, a.name), "psn_no"],
      [t("app.id_number"), a.id_number, "id_number"],
      [t("app.region"), t("region." + a.region)],
      [t("app.identity"), a.identity_type ? [named("type.", a.identity_type, a.identity_name), a.subtype ? ` · ${subtype(a.subtype)}` : ""] : null],
      [t("app.claim"), a.claim_id || a.year, "claim"],
      [t("app.applied_on"), a.applied_on],
      [t("app.article"), el("span", { class: "article" }, a.article)],
      [t("app.department"), a.department],
      [t("app.lookback"), a.lookback_from],
      [t("app.note"), a.note],
      [t("app.submitted"), a.submitted_at && `${a.submitted_at.slice(0, 16).replace("T", " ")} ${a.submitted_by}`],
      [t("app.reviewed"), a.reviewed_at && `${a.reviewed_at.slice(0, 16).replace("T", " ")} ${a.reviewed_by}`],
    ]),
    el("h3", {}, t("app.evidence"), " ", evidenceBadge(a)),
    a.evidence_note ? el("p", { class: "hint", id: "evidence-note" }, a.evidence_note) : null,
    evidenceTable(a),
  ];
  if (isOpen(a) && can("application.submit")) parts.push(addItemForm(a));
  if (isOpen(a)) parts.push(...(await entitlementPart(a)));
  else parts.push(...decisionPart(a));
  parts.push(actionsPart(a));
  $("app-detail").replaceChildren(...parts.filter(Boolean));
}

function evidenceTable(a) {
  const edit = isOpen(a) && can("application.submit");
  const columns = [
    { key: "item_no", label: t("col.item") },
    { key: "text", label: t("col.text") },
    { key: "article", label: t("col.article"), format: (v) => v || "—" },
    { key: "provided", label: t("col.provided"), format: (v) => (v ? badge(t("worklist.provided"), "ok") : badge(t("worklist.missing"), "missing")) },
    { key: "note", label: t("col.note"), format: (v) => v || "" },
  ];
  if (edit) {
    columns.push({ key: "edit", label: t("col.actions"), format: (v, e) =>
      el("button", { type: "button", class: "secondary", onclick: () => markEvidence(a, e.item_no, !e.provided) },
        e.provided ? t("worklist.mark_missing") : t("worklist.mark_provided")) });
  }
  return table(columns, a.evidence, { id: "evidence-grid" });
}

function addItemForm(a) {
  const form = el("form", { class: "inline", id: "add-item" },
    el("div", { class: "field" }, el("label", { for: "add-text" }, t("worklist.add_item")), el("input", { id: "add-text", name: "add", maxlength: 200, required: true })),
    el("button", { type: "submit", class: "secondary" }, t("worklist.add")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await renderApp(await api(`/applications/${a.id}/evidence`, { body: formObject(form) }));
      loadApps().catch(() => {});
    } catch {
      /* shown */
    }
  });
  return form;
}

async function markEvidence(a, item, provided) {
  clearMessage();
  try {
    await renderApp(await api(`/applications/${a.id}/evidence`, { body: { item_no: item, provided } }));
    loadApps().catch(() => {});
  } catch {
    /* shown */
  }
}

async function entitlementPart(a) {
  const fields = [];
  const bounds = a.kind === "tilted" && rules[a.region] ? rules[a.region].tilted_rate : null;
  if (bounds) {
    fields.push(el("div", { class: "field" }, el("label", { for: "d-rate" }, t("app.rate", bounds)),
      el("input", { id: "d-rate", name: "rate", type: "number", min: "0", max: "1", step: "0.01", placeholder: "0.80", style: "width: 8em" })));
  }
  if (a.kind === "identification") {
    fields.push(
      el("div", { class: "field" }, el("label", { for: "d-valid-from" }, t("app.valid_from")), el("input", { id: "d-valid-from", name: "valid_from", type: "date" })),
      el("div", { class: "field" }, el("label", { for: "d-valid-to" }, t("app.valid_to")), el("input", { id: "d-valid-to", name: "valid_to", type: "date" })),
    );
  }
  const box = el("div", { id: "entitlement" });
  const form = fields.length ? el("form", { class: "inline", id: "decide-form" }, ...fields, el("button", { type: "submit", class: "secondary" }, t("app.recompute"))) : null;
  if (a.kind === "identification") {
    form.insertBefore(el("div", { class: "field" }, el("label", { for: "d-document" }, t("app.document_no")),
      el("input", { id: "d-document", name: "document_no", maxlength: 60 })), form.lastChild);
  }
  const show = async () => {
    const p = decisionParams();
    const e = await api(`/applications/${a.id}/entitlement` + query({ rate: p.rate, valid_from: p.valid_from, valid_to: p.valid_to }));
    box.replaceChildren(...entitlementView(e));
  };
  if (form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      clearMessage();
      show().catch(() => {});
    });
  }
  try {
    await show();
  } catch {
    box.replaceChildren(); // the reason is in #msg
  }
  return [el("h3", {}, t("app.entitlement")), el("p", { class: "hint" }, t("app.entitlement_hint")), form, box];
}

function entitlementView(e) {
  const layers = Object.entries(e.by_layer).map(([layer, amount]) => `${t("layer." + layer)} ${money(amount)}`).join("；");
  const out = [el("p", {}, el("span", { class: "entitlement", id: "ent-total" }, money(e.total)), " ", lang() === "en" ? "yuan" : "元",
    layers ? el("span", { class: "muted" }, ` （${t("app.by_layer")}：${layers}）`) : null)];
  if (e.adjustments.length) out.push(adjustmentTable(e.adjustments, "ent-adjustments"));
  else out.push(el("p", { class: "hint" }, t("app.no_adjust")));
  return out;
}

function adjustmentTable(rows, id) {
  return table([
    { key: "claim_id", label: t("col.claim_id") },
    { key: "layer", label: t("col.layer"), format: (v) => t("layer." + v) },
    { key: "amount", label: t("col.amount"), money: true },
  ], rows, { id });
}

function decisionPart(a) {
  if (!a.decided_at) return [];
  const valid = a.valid_from ? `${a.valid_from} – ${a.valid_to || ""}` : null;
  return [
    el("h3", {}, t("app.decision")),
    facts([
      [t("app.decided"), `${a.decided_at.slice(0, 16).replace("T", " ")} ${a.decided_by}`],
      [t("app.reason"), a.reason, "reason"],
      [t("app.rate_used"), a.rate],
      [t("app.valid"), valid],
      [t("app.document_no"), a.document_no],
      [t("app.paid"), a.paid === null ? null : money(a.paid), "paid"],
    ]),
    a.adjustments.length ? el("h3", {}, t("app.adjustments")) : null,
    a.adjustments.length ? adjustmentTable(a.adjustments, "app-adjustments") : null,
  ];
}

function actionsPart(a) {
  const bar = el("div", { class: "actions", id: "app-actions" });
  const who = { id: a.id, name: `${a.psn_no} ${a.name}`, kind: named("appkind.", a.kind, a.kind_name) };
  if (a.status === "submitted" && can("application.decide")) {
    bar.append(el("button", { type: "button", id: "app-review", onclick: () => act(a, "review", t("app.confirm_review", who), t("app.review")) }, t("app.review")));
  }
  if (a.status === "under_review" && can("application.decide")) {
    const approve = el("button", { type: "button", id: "app-approve", onclick: () => approveApp(a, who) }, t("app.approve"));
    if (!a.evidence_complete) {
      approve.disabled = true;
      approve.title = t("app.incomplete");
    }
    bar.append(approve, el("button", { type: "button", class: "danger", id: "app-reject",
      onclick: () => act(a, "reject", t("app.confirm_reject", who), t("app.reject"), t("app.reason")) }, t("app.reject")));
  }
  if (isOpen(a) && can("application.submit")) {
    bar.append(el("button", { type: "button", class: "secondary", id: "app-withdraw",
      onclick: () => act(a, "withdraw", t("app.confirm_withdraw", who), t("app.withdraw"), t("app.reason")) }, t("app.withdraw")));
  }
  if (a.status === "under_review" && !a.evidence_complete && can("application.decide")) bar.append(el("span", { class: "hint" }, t("app.incomplete")));
  return bar;
}

// Approve: the entitlement is asked again with the parameters on screen, so the dialog names what will really be paid.
async function approveApp(a, who) {
  clearMessage();
  try {
    const p = decisionParams();
    const e = await api(`/applications/${a.id}/entitlement` + query({ rate: p.rate, valid_from: p.valid_from, valid_to: p.valid_to }));
    if ((await confirmDialog(t("app.confirm_approve", { ...who, amount: money(e.total) }), { ok: t("app.approve") })) === null) return;
    const done = await api(`/applications/${a.id}/decide`, { body: { approve: true, ...p } });
    await renderApp(done);
    showMessage(t("app.done_approve", { id: a.id, paid: money(done.paid) }));
    loadApps().catch(() => {});
  } catch {
    /* shown */
  }
}

async function act(a, step, question, ok, input) {
  clearMessage();
  const text = await confirmDialog(question, { ok, input });
  if (text === null) return;
  const call = {
    review: () => api(`/applications/${a.id}/review`, { method: "POST" }),
    reject: () => api(`/applications/${a.id}/decide`, { body: { approve: false, reason: text } }),
    withdraw: () => api(`/applications/${a.id}/withdraw`, { body: { reason: text } }),
  }[step];
  try {
    const done = await call();
    if (isOpen(done) && done.kind === "tilted" && !(done.region in rules)) rules[done.region] = await api(`/applications/rules/${done.region}`);
    await renderApp(done);
    showMessage(t(`app.done_${step}`, { id: a.id }));
    loadApps().catch(() => {});
  } catch {
    /* shown */
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Monitoring warnings (docs/monitoring.md): filters, paging, the next steps each state allows, export.
const PAGE = 50;
let warnOffset = 0;

function warnFilter() {
  const f = formObject($("warn-filter"));
  return { region: f.region, year: f.year, state: f.state, late: f.late || null };
}

async function loadWarnings(offset = warnOffset) {
  warnOffset = offset;
  const answer = await api("/monitoring/warnings" + query({ ...warnFilter(), offset, limit: PAGE }));
  const items = answer.items;
  $("warn-count").textContent = `${t("worklist.warnings")} · ${t("worklist.count", { n: answer.total })}`;
  if (!items.length) {
    $("warn-list").replaceChildren(el("p", { class: "hint" }, t("worklist.none")));
    $("warn-pages").replaceChildren();
    return;
  }
  // a box per new warning, to push several at once (the API takes a list and pushes all or none)
  const anyNew = items.some((r) => r.state === "new");
  const pickAll = el("input", { type: "checkbox", id: "warn-pick-all", "aria-label": t("warn.pick_all"), onchange: (event) => {
    for (const box of document.querySelectorAll("#warn-grid input.pick")) box.checked = event.target.checked;
    updatePushSelected();
  } });
  const pick = (v, r) => (r.state === "new"
    ? el("input", { type: "checkbox", class: "pick", value: r.id, "aria-label": t("warn.pick", { id: r.id, name: `${r.psn_no} ${r.name}` }), onchange: updatePushSelected })
    : "");
  const columns = [
    ...(anyNew ? [{ key: "pick", label: pickAll, format: pick }] : []),
    { key: "id", label: t("col.id") },
    { key: "psn_no", label: t("col.person"), format: (v, r) => [personLink(v, r.name), el("div", { class: "muted" }, r.id_number)] },
    { key: "year", label: t("col.year"), format: (v, r) => [el("span", { class: "nowrap" }, `${t("region." + r.region)} ${v}`), r.district ? el("div", { class: "muted" }, r.district) : null] },
    { key: "kind", label: t("col.warning"), format: (v, r) => [named("wkind.", v, r.kind_name), el("div", { class: "muted" }, named("wpop.", r.population, r.population_name))] },
    { key: "burden", label: t("col.burden"), money: true },
    { key: "line", label: t("col.line"), money: true },
    // the article; the reading that follows it in brackets is in the tooltip
    { key: "cite", label: t("col.article"), format: (v) => el("span", { class: "article", title: v }, v.split("（")[0]) },
    { key: "state", label: t("col.status"), format: (v, r) => badge(named("wstate.", v, r.state_name), v === "new" || v === "pushed" ? "open" : "") },
    { key: "pushed_on", label: t("col.pushed"), format: (v, r) => (v ? [el("span", { class: "nowrap" }, v), el("div", { class: "muted" }, r.pushed_to)] : "") },
    { key: "verify_due", label: t("col.verify_due"), format: (v, r) => deadline(v, r) },
    { key: "verified_on", label: t("col.done"), format: (v, r) => [el("span", { class: "nowrap" }, v || ""), r.closed_on ? el("div", { class: "nowrap" }, r.closed_on) : null, r.note ? el("div", { class: "muted" }, r.note) : null] },
    { key: "actions", label: t("col.actions"), format: (v, r) => warnActions(r) },
  ];
  const grid = table(columns, items, { id: "warn-grid" });
  [...grid.tBodies[0].rows].forEach((tr, i) => {
    tr.dataset.id = items[i].id;
    tr.dataset.psn = items[i].psn_no;
  });
  $("warn-list").replaceChildren(grid);
  $("warn-push-selected").hidden = !anyNew;
  updatePushSelected();
  const to = offset + items.length;
  $("warn-pages").replaceChildren(
    el("span", { class: "hint" }, t("worklist.page", { from: offset + 1, to, n: answer.total })),
    el("button", { type: "button", class: "secondary", disabled: offset === 0, onclick: () => loadWarnings(Math.max(0, offset - PAGE)).catch(() => {}) }, t("worklist.prev")),
    el("button", { type: "button", class: "secondary", disabled: to >= answer.total, onclick: () => loadWarnings(to).catch(() => {}) }, t("worklist.next")),
  );
}

function selectedWarnings() {
  return [...document.querySelectorAll("#warn-grid input.pick:checked")].map((box) => Number(box.value));
}

function updatePushSelected() {
  const n = selectedWarnings().length;
  $("warn-push-selected").disabled = n === 0;
  $("warn-push-selected").textContent = t("warn.push_selected", { n });
}

async function pushSelected() {
  clearMessage();
  const ids = selectedWarnings();
  if (!ids.length) return;
  const to = await confirmDialog(t("warn.confirm_push_many", { n: ids.length, ids: ids.map((id) => `#${id}`).join("、") }),
    { ok: t("warn.push"), input: t("warn.to") });
  if (to === null) return;
  if (!to) {
    showError(t("warn.need_to"));
    return;
  }
  try {
    await api("/monitoring/warnings/push", { body: { ids, to } });
    showMessage(t("warn.done_push_many", { n: ids.length, to }));
    await loadWarnings();
  } catch {
    /* shown */
  }
}

function deadline(due, r) {
  if (!due) return el("span", { class: "muted" }, t("warn.no_due"));
  const late = r.late_workdays || 0;
  return [due, " ", late > 0 ? badge(t("warn.late", { n: late }), "late") : r.state === "pushed" ? null : badge(t("warn.on_time"), "ok")];
}

function warnActions(r) {
  const who = { id: r.id, name: `${r.psn_no} ${r.name}`, year: r.year, kind: named("wkind.", r.kind, r.kind_name), burden: money(r.burden), line: money(r.line) };
  const button = (label, handler, cls) => el("button", { type: "button", class: cls || null, "data-action": label, onclick: handler }, t(label));
  const out = el("div", { class: "actions" });
  if (r.state === "new") out.append(button("warn.push", () => warnStep(r, "push", who)));
  if (r.state === "pushed") out.append(button("warn.verify", () => warnStep(r, "verify", who)));
  if (r.state === "verified") {
    out.append(button("warn.assisted", () => warnStep(r, "assisted", who)), button("warn.not_eligible", () => warnStep(r, "not_eligible", who), "secondary"));
  }
  return out;
}

async function warnStep(r, step, who) {
  clearMessage();
  const outcome = step === "assisted" || step === "not_eligible" ? t(`wstate.${step}`) : "";
  const ask = {
    push: [t("warn.confirm_push", who), t("warn.push"), t("warn.to")],
    verify: [t("warn.confirm_verify", who), t("warn.verify"), t("warn.note")],
    assisted: [t("warn.confirm_close", { ...who, outcome }), t("warn.assisted"), t("warn.close_note")],
    not_eligible: [t("warn.confirm_close", { ...who, outcome }), t("warn.not_eligible"), t("warn.close_note")],
  }[step];
  const text = await confirmDialog(ask[0], { ok: ask[1], input: ask[2] });
  if (text === null) return;
  try {
    if (step === "push") {
      if (!text) {
        showError(t("warn.need_to"));
        return;
      }
      await api("/monitoring/warnings/push", { body: { ids: [r.id], to: text } });
      showMessage(t("warn.done_push", { id: r.id, to: text }));
    } else if (step === "verify") {
      await api(`/monitoring/warnings/${r.id}/verify`, { body: { note: text } });
      showMessage(t("warn.done_verify", { id: r.id }));
    } else {
      await api(`/monitoring/warnings/${r.id}/close`, { body: { outcome: step, note: text } });
      showMessage(t("warn.done_close", { id: r.id, outcome }));
    }
    await loadWarnings();
  } catch {
    /* shown */
  }
}

async function exportWarnings(format) {
  clearMessage();
  const f = warnFilter();
  try {
    const name = await download("/monitoring/export" + query({ format, region: f.region, year: f.year, state: f.state }), `monitoring.${format}`);
    showMessage(t("warn.exported", { file: name }));
  } catch {
    /* shown */
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Late department-list rows (docs/department_lists.md §7): due dates and working days late.
async function loadLate() {
  const rows = await api("/lists/late" + query(formObject($("late-filter"))));
  $("late-count").textContent = `${t("worklist.late")} · ${t("worklist.late_count", { n: rows.length })}`;
  if (!rows.length) {
    $("late-list").replaceChildren(el("p", { class: "hint" }, t("worklist.none")));
    return;
  }
  const lateCell = (n) => (n > 0 ? badge(t("worklist.workdays", { n }), "late") : "");
  const columns = [
    { key: "department", label: t("col.department") },
    { key: "file_name", label: t("col.file"), format: (v, r) => [v, el("div", { class: "muted" }, `#${r.import_id}`)] },
    { key: "received_on", label: t("col.received_on") },
    { key: "row", label: t("col.row") },
    { key: "psn_no", label: t("col.person"), format: (v, r) => [v ? personLink(v, r.name) : r.name, el("div", { class: "muted" }, r.id_number)] },
    { key: "type", label: t("col.type"), format: (v) => (has("type." + v) ? t("type." + v) : v) },
    { key: "action", label: t("col.action"), format: (v) => (has("listaction." + v) ? t("listaction." + v) : v) },
    { key: "certified_on", label: t("col.certified_on") },
    { key: "push_due", label: t("col.push_due"), format: (v) => v || "—" },
    { key: "push_late", label: t("col.push_late"), format: lateCell },
    { key: "mark_due", label: t("col.mark_due"), format: (v) => v || "—" },
    { key: "mark_late", label: t("col.mark_late"), format: lateCell },
    { key: "note", label: t("col.note") },
  ];
  $("late-list").replaceChildren(table(columns, rows, { id: "late-grid" }));
}

// ---------------------------------------------------------------------------------------------------------------
const user = await start({ perm: PAGE_PERMS });
if (user) {
  fillRegions();
  for (const [form, load] of [["app-filter", () => loadApps()], ["warn-filter", () => loadWarnings(0)], ["late-filter", () => loadLate()]]) {
    const node = $(form);
    if (!node) continue; // the tab was removed: the role may not use it
    node.addEventListener("submit", (event) => {
      event.preventDefault();
      clearMessage();
      load().catch(() => {});
    });
  }
  if ($("warn-csv")) {
    $("warn-push-selected").addEventListener("click", () => pushSelected());
    $("warn-csv").addEventListener("click", () => exportWarnings("csv"));
    $("warn-xlsx").addEventListener("click", () => exportWarnings("xlsx"));
  }
  setUpTabs();
}
