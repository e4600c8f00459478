// Person page: search; identities over time; the year per layer (deductible and cap, used and left); settlements
// with the article for each amount; warnings and applications where those routes exist.
import { addStrings, api, bar, can, el, fen, money, param, start, subtype, t, table } from "./common.js";

addStrings({
  zh: {
    "person.title": "人员查询 · 三重制度综合保障", "person.heading": "人员查询", "person.q": "姓名、人员编号或身份证号",
    "person.search": "查找", "person.results": "查找结果", "person.none": "没有找到符合条件的人员",
    "person.psn_no": "人员编号", "person.id_number": "身份证号", "person.name": "姓名", "person.region": "统筹地区",
    "person.insurance": "参保类型", "person.district": "区县", "person.category": "当前类别",
    "person.year": "年度累计", "person.year_input": "年度", "person.show": "显示",
    "person.identities": "身份（按时间）", "person.claims": "结算记录", "person.warnings": "预警", "person.applications": "申请",
    "person.claims_hint": "展开一笔结算，查看每个金额的依据条款和算式。",
    "person.cat": "第{n}类", "person.cat_none": "无救助身份", "person.policy": "适用政策：{policy}",
    "person.deductible": "起付线", "person.cap": "年度限额", "person.used": "已用", "person.left": "剩余",
    "person.no_cap": "不设限额", "person.no_deductible": "不设起付线", "person.paid": "本年已支付",
    "id.type": "身份类别", "id.subtype": "子类", "id.category": "类别", "id.department": "认定部门", "id.document_no": "文书编号",
    "id.valid_from": "起始日期", "id.valid_to": "终止日期", "id.status": "状态", "id.long": "长期",
    "claim.date": "就医日期", "claim.id": "单据号", "claim.visit": "就医类型", "claim.total": "医疗费总额",
    "claim.status": "状态", "claim.open": "打开", "claim.total_count": "共 {n} 笔",
    "idstatus.active": "有效", "idstatus.revoked": "已撤销",
    "applications.id": "编号", "applications.kind_name": "申请事项", "applications.identity_name": "身份类别",
    "applications.applied_on": "申请日期", "applications.status_name": "状态", "applications.article": "依据",
    "applications.decided_at": "决定时间", "applications.paid": "已支付",
    "warnings.year": "年度", "warnings.kind_name": "预警类型", "warnings.population_name": "人群", "warnings.burden": "个人负担",
    "warnings.line": "预警线", "warnings.cite": "依据", "warnings.state_name": "状态", "warnings.verify_due": "核查期限",
  },
  en: {
    "person.title": "Persons · Three-layer protection", "person.heading": "Persons", "person.q": "Name, person number or ID number",
    "person.search": "Search", "person.results": "Results", "person.none": "No person matches",
    "person.psn_no": "Person number", "person.id_number": "ID number", "person.name": "Name", "person.region": "Region",
    "person.insurance": "Insurance", "person.district": "District", "person.category": "Category now",
    "person.year": "Year to date", "person.year_input": "Year", "person.show": "Show",
    "person.identities": "Identities over time", "person.claims": "Settlements", "person.warnings": "Warnings",
    "person.applications": "Applications", "person.claims_hint": "Open a settlement to see the article and arithmetic of each amount.",
    "person.cat": "Category {n}", "person.cat_none": "No assistance identity", "person.policy": "Policy: {policy}",
    "person.deductible": "Deductible", "person.cap": "Annual cap", "person.used": "used", "person.left": "left",
    "person.no_cap": "no cap", "person.no_deductible": "No deductible", "person.paid": "Paid this year",
    "id.type": "Identity", "id.subtype": "Subtype", "id.category": "Category", "id.department": "Department",
    "id.document_no": "Document", "id.valid_from": "Valid from", "id.valid_to": "Valid to", "id.status": "Status", "id.long": "open-ended",
    "claim.date": "Date", "claim.id": "Claim", "claim.visit": "Visit", "claim.total": "Total", "claim.status": "Status",
    "claim.open": "Open", "claim.total_count": "{n} in all",
    "idstatus.active": "Active", "idstatus.revoked": "Revoked",
    "applications.id": "No.", "applications.kind_name": "Kind", "applications.identity_name": "Identity",
    "applications.applied_on": "Applied on", "applications.status_name": "Status", "applications.article": "Article",
    "applications.decided_at": "Decided at", "applications.paid": "Paid",
    "warnings.year": "Year", "warnings.kind_name": "Warning", "warnings.population_name": "Group", "warnings.burden": "Burden",
    "warnings.line": "Line", "warnings.cite": "Article", "warnings.state_name": "State", "warnings.verify_due": "Verify by",
  },
});

const LAYERS = ["basic", "critical", "assistance", "tilted"];
const $ = (id) => document.getElementById(id);
let identityNames = ""; // the active identities, shown beside the category

function category(n) {
  return n ? t("person.cat", { n }) : t("person.cat_none");
}

async function search(q) {
  const found = await api(`/persons?q=${encodeURIComponent(q)}`);
  $("results").hidden = false;
  if (!found.length) {
    $("results-table").replaceChildren(el("p", { class: "muted" }, t("person.none")));
    return;
  }
  const columns = [
    { key: "psn_no", label: t("person.psn_no"), format: (v) => el("a", { href: `person.html?psn=${encodeURIComponent(v)}` }, v) },
    { key: "name", label: t("person.name") },
    { key: "id_number", label: t("person.id_number") },
    { key: "region", label: t("person.region"), format: (v) => t("region." + v) },
    { key: "insurance", label: t("person.insurance"), format: (v) => t("insurance." + v) },
    { key: "district", label: t("person.district") },
  ];
  $("results-table").replaceChildren(table(columns, found, { id: "results-grid" }));
  if (found.length === 1) location.href = `person.html?psn=${encodeURIComponent(found[0].psn_no)}`;
}

function identities(rows) {
  const columns = [
    { key: "type", label: t("id.type"), format: (v) => t("type." + v) },
    { key: "subtype", label: t("id.subtype"), format: subtype },
    { key: "category", label: t("id.category") },
    { key: "department", label: t("id.department") },
    { key: "document_no", label: t("id.document_no") },
    { key: "valid_from", label: t("id.valid_from") },
    { key: "valid_to", label: t("id.valid_to"), format: (v) => v || t("id.long") },
    { key: "status", label: t("id.status"), format: (v) => t("idstatus." + v) },
  ];
  return rows.length ? table(columns, rows, { id: "identity-grid" }) : el("p", { class: "muted" }, t("none"));
}

async function year(psn, y) {
  const view = await api(`/persons/${encodeURIComponent(psn)}/years/${y}`);
  $("year").hidden = false;
  $("y-year").textContent = String(y);
  $("year-input").value = String(y);
  $("p-category").textContent = identityNames ? `${category(view.category)}（${identityNames}）` : category(view.category);
  $("y-policy").textContent = t("person.policy", { policy: view.policy || "—" });
  const blocks = [];
  for (const layer of view.layers) {
    const parts = [el("h3", {}, t("layer." + layer.layer))];
    if (layer.deductible !== null && fen(layer.deductible) === 0) {
      parts.push(el("div", { class: "hint" }, t("person.no_deductible")));
    } else if (layer.deductible !== null) {
      // deductible_used counts every base that met the deductible; the bar shows the part of the deductible reached
      const reached = Math.min(fen(layer.deductible_used) || 0, fen(layer.deductible));
      parts.push(bar(reached, fen(layer.deductible), `${t("person.deductible")} ${t("person.used")}`));
      parts.push(el("div", { class: "hint", "data-key": `${layer.layer}.deductible_left` }, `${t("person.left")} ${money(layer.deductible_left)}`));
    }
    if (layer.cap !== null) {
      parts.push(bar(layer.cap_used, layer.cap, `${t("person.cap")} ${t("person.used")}`));
      parts.push(el("div", { class: "hint", "data-key": `${layer.layer}.cap_left` }, `${t("person.left")} ${money(layer.cap_left)}`));
    } else {
      parts.push(el("div", { class: "hint" }, `${t("person.paid")} ${money(layer.cap_used)} · ${t("person.no_cap")}`));
    }
    blocks.push(el("div", { class: "layer-year", "data-layer": layer.layer }, parts));
  }
  const paid = el("dl", { class: "facts" },
    [...LAYERS, "personal"].filter((k) => k in view.paid).flatMap((k) => [el("dt", {}, t("layer." + k)), el("dd", { class: "num" }, money(view.paid[k]))]));
  $("y-layers").replaceChildren(el("h3", {}, t("person.paid")), paid, ...blocks);
}

function settlement(c) {
  const amounts = [...LAYERS, "personal"].map((k) => `${t("layer." + k)} ${money(c[k])}`).join(" · ");
  const link = can("cancel") || can("settle") ? el("a", { href: `settle.html?region=${c.person.region}&claim=${encodeURIComponent(c.claim_id)}` }, t("claim.open")) : null;
  return el(
    "details",
    { class: "claim", "data-claim": c.claim_id },
    el("summary", {}, `${c.date} · ${c.claim_id} · ${t("visit." + c.visit)} · ${t("claim.total")} ${money(c.total)} · ${t("status." + c.status)}`),
    el("p", {}, amounts, " ", link),
    el("ul", { class: "explanation" }, c.explanation.map((x) => el("li", {}, el("span", { class: "article" }, x.article), "｜", x.text))),
  );
}

// Warnings and applications are other parts of the service; their sections stay hidden where the route is absent.
const MONEY_KEYS = new Set(["burden", "line", "paid"]);

// The answer may be a list or {items: [...]}; `keys` picks the columns (default: the first 8 plain fields).
async function optionalList(section, path, keys = null) {
  const data = await api(path, { quiet: [403, 404, 405, 422] }).catch(() => null);
  if (data === null) return;
  const items = Array.isArray(data) ? data : data.items || [];
  $(section).hidden = false;
  const shown = keys || (items.length ? Object.keys(items[0]).filter((k) => typeof items[0][k] !== "object").slice(0, 8) : []);
  $(`${section}-list`).replaceChildren(
    items.length
      ? table(shown.map((k) => ({ key: k, label: t(`${section}.${k}`), money: MONEY_KEYS.has(k) })), items, { id: `${section}-grid` })
      : el("p", { class: "muted" }, t("none")),
  );
}

async function show(psn) {
  const person = await api(`/persons/${encodeURIComponent(psn)}`);
  $("person").hidden = false;
  $("p-name").textContent = person.name;
  $("p-psn").textContent = person.psn_no;
  $("p-id").textContent = person.id_number;
  $("p-region").textContent = t("region." + person.region);
  $("p-insurance").textContent = t("insurance." + person.insurance);
  $("p-district").textContent = person.district || "—";
  const today = new Date().toISOString().slice(0, 10);
  const active = person.identities.filter((x) => x.status === "active" && x.valid_from <= today && (!x.valid_to || x.valid_to >= today));
  identityNames = active.map((x) => t("type." + x.type)).join("、");
  $("p-category").textContent = identityNames || t("person.cat_none");
  $("identities").replaceChildren(identities(person.identities));
  if (can("read")) {
    const claims = await api(`/persons/${encodeURIComponent(psn)}/claims?limit=200`);
    const latest = claims.items.length ? Number(claims.items[0].date.slice(0, 4)) : new Date().getFullYear();
    await year(psn, Number(param("year")) || latest);
    $("claims").hidden = false;
    $("claims-list").replaceChildren(el("p", { class: "hint" }, t("claim.total_count", { n: claims.total })), ...claims.items.map(settlement));
  }
  const warnKeys = ["year", "kind_name", "population_name", "burden", "line", "cite", "state_name", "verify_due"];
  await optionalList("warnings", `/monitoring/warnings?psn_no=${encodeURIComponent(psn)}`, warnKeys);
  const appKeys = ["id", "kind_name", "identity_name", "applied_on", "status_name", "article", "decided_at", "paid"];
  await optionalList("applications", `/applications?psn_no=${encodeURIComponent(psn)}`, appKeys);
}

const user = await start({ perm: "read.person" });
if (user) {
  $("search").addEventListener("submit", (event) => {
    event.preventDefault();
    search(event.target.q.value.trim()).catch(() => {});
  });
  $("year-form").addEventListener("submit", (event) => {
    event.preventDefault();
    year(param("psn"), Number(event.target.year.value)).catch(() => {});
  });
  const psn = param("psn");
  if (psn) show(psn).catch(() => {});
  else $("q").focus();
}
