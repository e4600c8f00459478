// Five-region comparison: one patient's year settled under every region's rules (POST /compare), side by side.
// Every amount, the best/worst personal share and the cells that differ come from the API; the page only shows them.
import { addStrings, api, clearMessage, el, lang, money, start, t } from "./common.js";

addStrings({
  zh: {
    "compare.title": "五地比较 · 三重制度综合保障", "compare.heading": "同一位患者，五地政策下的一年",
    "compare.patient": "患者", "compare.type": "救助对象身份", "compare.subtype": "子类（可选）",
    "compare.category": "指定类别（仅其他特殊困难人员）", "compare.insurance": "参保类型", "compare.valid_from": "身份起始日（可选）",
    "compare.applied_on": "申请日期（威海因病致贫，可选）", "compare.claims": "一年中的费用", "compare.no_identity": "无救助对象身份",
    "compare.c.date": "就医日期", "compare.c.visit": "就医类型", "compare.c.total": "医疗费总额", "compare.c.in_scope": "政策范围内",
    "compare.c.basic": "基本医保支付", "compare.c.critical": "大病保险支付（可空）", "compare.c.treated": "就医方式", "compare.c.in_province": "省内",
    "compare.remove": "删除", "compare.add": "增加一笔", "compare.example": "载入示例", "compare.run": "五地比较",
    "compare.range": "五地政策共同覆盖的日期：{from} 至 {to}。示例是一位低保对象（居民医保）2025 年的两笔费用。",
    "compare.result": "比较结果", "compare.row": "项目", "compare.category_row": "救助对象类别", "compare.status_row": "结算",
    "compare.cat": "第{n}类", "compare.unnamed": "未列入", "compare.ok": "已按 {policy} 试算", "compare.error": "无法结算",
    "compare.claim_error": "第 {n} 笔（{date}）",
    "compare.year": "全年合计", "compare.total": "医疗费总额", "compare.pending": "倾斜救助·需申请（未支付）",
    "compare.reimbursed": "实际报销比例", "compare.personal_ratio": "个人负担占比", "compare.claim_head": "第 {n} 笔 · {date} · {visit} · 总额 {total}",
    "compare.best": "个人负担最低", "compare.worst": "个人负担最高", "compare.pending_cell": "需申请 {amount}",
    "compare.intro": "输入一位患者一年的就医费用（基本医保、大病保险由上游结算给定），按乌鲁木齐、鄂尔多斯、宜春、第十四师昆玉市、威海五地的政策分别试算医疗救助与倾斜救助，并排比较。只在内存中计算，不保存任何数据。",
    "compare.critical_hint": "大病保险留空时：政策规定了大病保险计算方法的地区（如威海对特困、低保、返贫致贫人口的分段补偿）自行计算，其余地区会说明缺少该数。",
    "compare.legend.differs": "与其他地区都不同", "compare.legend.best": "个人负担最低", "compare.legend.worst": "个人负担最高",
    "compare.legend.why": "点击金额旁的 ⓘ 查看依据条款与算式",
  },
  en: {
    "compare.title": "Compare regions · Three-layer protection", "compare.heading": "One patient's year under the five regions' rules",
    "compare.patient": "Patient", "compare.type": "Recipient identity", "compare.subtype": "Subtype (optional)",
    "compare.category": "Category (special hardship only)", "compare.insurance": "Insurance", "compare.valid_from": "Identity from (optional)",
    "compare.applied_on": "Applied on (Weihai, optional)", "compare.claims": "The year's claims", "compare.no_identity": "No recipient identity",
    "compare.c.date": "Date", "compare.c.visit": "Visit", "compare.c.total": "Total", "compare.c.in_scope": "In scope",
    "compare.c.basic": "Basic paid", "compare.c.critical": "Critical paid (may be empty)", "compare.c.treated": "Treated", "compare.c.in_province": "In province",
    "compare.remove": "Remove", "compare.add": "Add a claim", "compare.example": "Load the example", "compare.run": "Compare",
    "compare.range": "Days all five policies cover: {from} to {to}. The example is a dibao recipient (resident insurance) with two claims in 2025.",
    "compare.result": "Result", "compare.row": "Item", "compare.category_row": "Recipient category", "compare.status_row": "Settlement",
    "compare.cat": "Category {n}", "compare.unnamed": "not named", "compare.ok": "settled under {policy}", "compare.error": "Cannot settle",
    "compare.claim_error": "claim {n} ({date})",
    "compare.year": "The year", "compare.total": "Total cost", "compare.pending": "Tilted · on application (not paid)",
    "compare.reimbursed": "Reimbursed ratio", "compare.personal_ratio": "Personal share ratio", "compare.claim_head": "Claim {n} · {date} · {visit} · total {total}",
    "compare.best": "lowest personal share", "compare.worst": "highest personal share", "compare.pending_cell": "on application {amount}",
    "compare.intro": "Enter one patient's claims of a year (basic and critical illness insurance as upstream settled them); each of Urumqi, Ordos, Yichun, Kunyu (14th Division) and Weihai settles medical and tilted assistance under its own rules, side by side. Computed in memory; nothing is stored.",
    "compare.critical_hint": "Critical left empty: a region whose policy defines critical illness insurance (e.g. Weihai's bands for destitute, dibao and relapsed-poor) computes it; the others say it is missing.",
    "compare.legend.differs": "differs from every other region", "compare.legend.best": "lowest personal share", "compare.legend.worst": "highest personal share",
    "compare.legend.why": "click ⓘ beside an amount for its article and arithmetic",
  },
});

const $ = (id) => document.getElementById(id);
const VISITS = ["inpatient", "chronic_outpatient", "special_drug", "general_outpatient"];
const TREATED = ["local", "referred", "unreferred"];
const AMOUNTS = ["total", "in_scope", "basic", "critical"];
let example = null;

function select(name, values, chosen, label) {
  return el("select", { name, "aria-label": label }, values.map((v) => el("option", { value: v, selected: v === chosen }, t(`${name}.${v}`))));
}

function claimRow(c = {}) {
  const n = $("claims-body").children.length + 1;
  const label = (key) => `${t("compare.c." + key)} ${n}`;
  const row = el(
    "tr",
    { class: "claim-row" },
    el("td", {}, el("input", { type: "date", name: "date", value: c.date || "", required: true, "aria-label": label("date") })),
    el("td", {}, select("visit", VISITS, c.visit || "inpatient", label("visit"))),
    AMOUNTS.map((k) =>
      el("td", { class: "num" }, el("input", { name: k, class: "amount", inputmode: "decimal", value: c[k] ?? "", "aria-label": label(k), placeholder: k === "critical" ? "—" : "0.00" })),
    ),
    el("td", {}, select("treated", TREATED, c.treated || "local", label("treated"))),
    el("td", {}, el("input", { type: "checkbox", name: "in_province", checked: c.in_province !== false, "aria-label": label("in_province") })),
    el("td", {}, el("button", { type: "button", class: "secondary", onclick: () => row.remove() }, t("compare.remove"))),
  );
  $("claims-body").append(row);
}

function fill(patient) {
  $("type").value = patient.identity.type || "";
  $("subtype").value = patient.identity.subtype || "";
  $("category").value = patient.identity.category || "";
  $("category").disabled = $("type").value !== "special_hardship";
  $("insurance").value = patient.insurance;
  $("valid_from").value = patient.identity.valid_from || "";
  $("applied_on").value = patient.identity.applied_on || "";
  $("claims-body").replaceChildren();
  for (const c of patient.claims) claimRow(c);
}

function read() {
  const optional = (id) => $(id).value.trim() || null;
  const identity = { type: optional("type"), subtype: optional("subtype"), valid_from: optional("valid_from"), applied_on: optional("applied_on") };
  if (!$("category").disabled && $("category").value) identity.category = Number($("category").value);
  const claims = [...$("claims-body").querySelectorAll("tr")].map((row) => {
    const f = (name) => row.querySelector(`[name="${name}"]`);
    const claim = { date: f("date").value, visit: f("visit").value, treated: f("treated").value, in_province: f("in_province").checked };
    for (const k of AMOUNTS) if (f(k).value.trim() !== "") claim[k] = f(k).value.trim();
    return claim;
  });
  return { identity, insurance: $("insurance").value, claims };
}

// One amount: the API's figure, and on expanding, the article and arithmetic of every line of that layer.
function amountCell(text, lines, classes, region, key) {
  const td = el("td", { class: ["num", ...classes].join(" "), "data-region": region, "data-key": key });
  if (!lines || !lines.length) {
    td.append(text);
    return td;
  }
  td.append(
    el("details", {}, el("summary", {}, text),
      el("ul", { class: "why" }, lines.map((x) => el("li", {}, el("span", { class: "article" }, x.article), "｜", x.text)))),
  );
  return td;
}

function render(result) {
  const regions = result.regions;
  const differs = (key, r) => (result.differs[key] || []).includes(r.region);
  const mark = (r) => (result.best.includes(r.region) ? "best" : result.worst.includes(r.region) ? "worst" : null);
  const head = el("tr", {}, el("th", { class: "rowname", scope: "col" }, t("compare.row")),
    regions.map((r) => el("th", { scope: "col", class: mark(r), "data-region": r.region },
      el("a", { href: `policy.html?region=${r.region}` }, t("region." + r.region)),
      el("div", { class: "hint" }, r.policy),
      mark(r) ? el("div", {}, el("span", { class: `badge ${mark(r)}` }, t("compare." + mark(r)))) : null)));
  const rows = [];
  const row = (label, cells, cls = null) => rows.push(el("tr", { class: cls }, el("th", { scope: "row" }, label), cells));
  row(t("compare.category_row"), regions.map((r) => {
    const id = r.identity;
    if (!id.type) return el("td", {}, t("compare.no_identity"));
    if (!id.named) return el("td", { class: "unnamed", title: id.article || "" }, `${t("compare.unnamed")}：${lang() === "en" ? id.reason_en : id.reason}`);
    const name = lang() === "en" ? id.type : id.name;
    return el("td", { class: differs("category", r) ? "differs" : null, title: id.article, "data-region": r.region, "data-key": "category" }, `${t("compare.cat", { n: id.category })}（${name}）`);
  }));
  row(t("compare.status_row"), regions.map((r) => {
    if (!r.error) return el("td", { class: "hint" }, t("compare.ok", { policy: r.policy }));
    const where = r.error.claim ? t("compare.claim_error", { n: r.error.claim, date: r.error.date }) + " " : "";
    const message = lang() === "en" ? r.error.message_en || r.error.message : r.error.message;
    return el("td", { class: "err", role: "note", "data-region": r.region, "data-key": "error" }, `${t("compare.error")}：${where}${message} [${r.error.field}]`);
  }));
  // the year
  rows.push(el("tr", { class: "group" }, el("th", { colspan: regions.length + 1 }, t("compare.year"))));
  const lines = (r, layer) => r.claims.flatMap((c) => c.explanation.filter((x) => x.layer === layer));
  const totalRow = (key, label, layer, cls) =>
    row(label, regions.map((r) => {
      if (!r.totals) return el("td", { class: "num" }, "—");
      const classes = [differs(`totals.${key}`, r) ? "differs" : null, key === "personal" ? mark(r) : null].filter(Boolean);
      return amountCell(key.endsWith("ratio") ? r.totals[key] : money(r.totals[key]), layer ? lines(r, layer) : null, classes, r.region, `totals.${key}`);
    }), cls);
  totalRow("total", t("compare.total"));
  for (const layer of ["basic", "critical", "assistance", "tilted"]) totalRow(layer, t("layer." + layer), layer);
  totalRow("tilted_pending", t("compare.pending"));
  totalRow("personal", t("layer.personal"), null, "key");
  totalRow("reimbursed_ratio", t("compare.reimbursed"));
  totalRow("personal_ratio", t("compare.personal_ratio"), null, "key");
  // each claim
  const first = regions.find((r) => r.totals);
  (first ? first.claims : []).forEach((c0, i) => {
    const title = t("compare.claim_head", { n: i + 1, date: c0.date, visit: t("visit." + c0.visit), total: money(c0.total) });
    rows.push(el("tr", { class: "group" }, el("th", { colspan: regions.length + 1 }, title)));
    for (const layer of ["critical", "assistance", "tilted", "personal"]) {
      row(t("layer." + layer), regions.map((r) => {
        if (!r.totals) return el("td", { class: "num" }, "—");
        const c = r.claims[i];
        const classes = [differs(`claims.${i}.${layer}`, r) ? "differs" : null];
        let text = money(c[layer]);
        if (layer === "tilted" && c.tilted_status === "needs_approval") {
          text = el("span", {}, money(c.tilted), el("div", { class: "pending" }, t("compare.pending_cell", { amount: money(c.tilted_pending) })));
          if (differs(`claims.${i}.tilted_status`, r)) classes.push("differs");
        }
        const why = layer === "personal" ? null : c.explanation.filter((x) => x.layer === layer);
        return amountCell(text, why, classes.filter(Boolean), r.region, `claims.${i}.${layer}`);
      }), layer === "personal" ? "key" : null);
    }
  });
  $("result").hidden = false;
  $("result-table").replaceChildren(el("table", { id: "result-grid" }, el("thead", {}, head), el("tbody", {}, rows)));
}

async function run() {
  clearMessage();
  const result = await api("/compare", { body: read() });
  render(result);
  $("result").scrollIntoView({ block: "start" });
}

const user = await start();
if (user) {
  example = await api("/compare/example");
  $("type").replaceChildren(
    el("option", { value: "" }, t("compare.no_identity")),
    ...Object.entries(example.identities).map(([k, zh]) => el("option", { value: k }, lang() === "en" ? `${zh} ${k}` : zh)),
  );
  $("range").textContent = t("compare.range", { from: example.common_range.from, to: example.common_range.to || "—" });
  $("type").addEventListener("change", () => {
    $("category").disabled = $("type").value !== "special_hardship";
  });
  $("add-claim").addEventListener("click", () => claimRow({ date: example.patient.claims[0].date }));
  $("example").addEventListener("click", () => fill(example.patient));
  $("patient").addEventListener("submit", (event) => {
    event.preventDefault();
    run().catch(() => {});
  });
  fill(example.patient);
}
