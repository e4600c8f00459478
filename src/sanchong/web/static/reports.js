// Reports page (docs/web.md §6): the administration report set (docs/reports.md) with filters, a table with its totals row,
// the API's chart (PNG fetched with the token, shown from a blob URL) and CSV/XLSX downloads. Every figure, total and
// chart comes from the API; the page only formats them (a ratio "0.861878" is shown as 86.1878 % by moving the point).
import { addStrings, api, can, clearMessage, el, has, lang, money, param, showError, start, t } from "./common.js";

addStrings({
  zh: {
    "reports.title": "报表 · 三重制度综合保障", "reports.heading": "报表",
    "reports.view": "报表", "reports.by": "分组", "reports.region": "地区", "reports.year": "年度", "reports.month": "月份",
    "reports.district": "区县", "reports.category": "救助类别", "reports.run": "查询",
    "reports.all_regions": "全部地区", "reports.all_months": "全年", "reports.all_districts": "全部区县", "reports.all_categories": "全部类别",
    "reports.month_n": "{n}月", "reports.category_n": "第{n}类",
    "reports.v.expenditure": "支出统计", "reports.v.beneficiaries": "受益人数与人均负担", "reports.v.ratio": "救助对象实际报销比例",
    "reports.v.indicators": "医疗机构指标与超线名单", "reports.v.out_of_scope": "目录外费用占比（按机构）",
    "reports.v.in_city": "市域内就诊率", "reports.v.unreferred": "未规范转诊就医", "reports.v.funding": "筹资分担表",
    "reports.v.subsidy": "资助参保名单",
    "reports.by.layer": "按层级", "reports.by.category": "按救助类别", "reports.by.district": "按区县", "reports.by.visit": "按就医类型",
    "reports.by.month": "按月份", "reports.by.region": "按地区", "reports.by.hospital": "按医疗机构",
    "reports.csv": "下载 CSV", "reports.xlsx": "下载 XLSX", "reports.png": "下载图表 PNG", "reports.svg": "下载图表 SVG",
    "reports.total": "合计", "reports.yes": "是", "reports.no": "否", "reports.chart_alt": "{title}的图表",
    "reports.need_region": "请选择地区：该报表按地区编制", "reports.need_year": "请填写年度（2000–2100）",
    "reports.f.year": "{year} 年", "reports.f.month": "{month} 月", "reports.f.district": "区县：{district}",
    "reports.no_district": "未填区县",
    "reports.f.category": "第{category}类", "reports.f.all_regions": "全部地区",
    "reports.indicators_hint": "目录外费用占比、市域内就诊率、未规范转诊三张表也可在“报表”中单独选择并下载 CSV/XLSX。",
    "reports.subsidy.count": "第 {from}–{to} 条，共 {total} 条", "reports.subsidy.none": "没有资助记录",
    "reports.prev": "上一页", "reports.next": "下一页",
    "reports.subsidy.title": "资助参保名单", "reports.funding.title": "筹资分担表",
    "reports.s.psn_no": "人员编号", "reports.s.name": "姓名", "reports.s.id_number": "身份证号", "reports.s.district": "区县",
    "reports.s.identity_type": "身份", "reports.s.category": "类别", "reports.s.kind": "资助方式", "reports.s.tier": "缴费档次",
    "reports.s.premium": "个人缴费标准", "reports.s.amount": "资助金额", "reports.s.personal": "个人实缴", "reports.s.article": "依据",
    "reports.kind.full": "全额资助", "reports.kind.fixed": "定额资助", "reports.kind.share": "按比例资助",
    "reports.tier.standard": "标准档", "reports.tier.tier1": "一档", "reports.tier.tier2": "二档", "reports.tier.minor": "未成年人",
    "reports.fu.district": "区县", "reports.fu.headcount": "救助对象人数", "reports.fu.city_share": "市级分担比例",
    "reports.fu.fee": "应筹资金", "reports.fu.city": "市级承担", "reports.fu.district_part": "区县承担", "reports.fu.shortfall": "缺口分担",
    "reports.fu.head": "{article}；每名救助对象 {fee} 元；人数来源：{source}",
    "reports.fu.identities": "按身份记录统计", "reports.fu.entered": "录入",
  },
  en: {
    "reports.title": "Reports · Three-layer protection", "reports.heading": "Reports",
    "reports.view": "Report", "reports.by": "Group by", "reports.region": "Region", "reports.year": "Year", "reports.month": "Month",
    "reports.district": "District", "reports.category": "Category", "reports.run": "Show",
    "reports.all_regions": "All regions", "reports.all_months": "Whole year", "reports.all_districts": "All districts",
    "reports.all_categories": "All categories", "reports.month_n": "Month {n}", "reports.category_n": "Category {n}",
    "reports.v.expenditure": "Expenditure", "reports.v.beneficiaries": "Beneficiaries and average burden",
    "reports.v.ratio": "Effective reimbursement ratio", "reports.v.indicators": "Hospital indicators and the over-the-line list",
    "reports.v.out_of_scope": "Out-of-catalog share by hospital", "reports.v.in_city": "In-city treatment rate",
    "reports.v.unreferred": "Unreferred claims", "reports.v.funding": "Funding statement", "reports.v.subsidy": "Premium subsidy list",
    "reports.by.layer": "by layer", "reports.by.category": "by category", "reports.by.district": "by district", "reports.by.visit": "by visit type",
    "reports.by.month": "by month", "reports.by.region": "by region", "reports.by.hospital": "by hospital",
    "reports.csv": "Download CSV", "reports.xlsx": "Download XLSX", "reports.png": "Chart PNG", "reports.svg": "Chart SVG",
    "reports.total": "Total", "reports.yes": "yes", "reports.no": "no", "reports.chart_alt": "Chart of {title}",
    "reports.need_region": "Choose a region: this report is made per region", "reports.need_year": "Enter a year (2000–2100)",
    "reports.f.year": "{year}", "reports.f.month": "month {month}", "reports.f.district": "district {district}",
    "reports.no_district": "No district given",
    "reports.f.category": "category {category}", "reports.f.all_regions": "all regions",
    "reports.indicators_hint": "The out-of-catalog, in-city and unreferred tables are also reports of their own, with CSV/XLSX downloads.",
    "reports.subsidy.count": "rows {from}–{to} of {total}", "reports.subsidy.none": "No subsidies",
    "reports.prev": "Previous", "reports.next": "Next",
    "reports.subsidy.title": "Premium subsidy list", "reports.funding.title": "Funding statement",
    "reports.s.psn_no": "Person", "reports.s.name": "Name", "reports.s.id_number": "ID number", "reports.s.district": "District",
    "reports.s.identity_type": "Identity", "reports.s.category": "Category", "reports.s.kind": "Kind", "reports.s.tier": "Tier",
    "reports.s.premium": "Premium", "reports.s.amount": "Subsidy", "reports.s.personal": "Person pays", "reports.s.article": "Basis",
    "reports.kind.full": "full", "reports.kind.fixed": "fixed amount", "reports.kind.share": "share",
    "reports.tier.standard": "standard", "reports.tier.tier1": "tier 1", "reports.tier.tier2": "tier 2", "reports.tier.minor": "minor",
    "reports.fu.district": "District", "reports.fu.headcount": "Recipients", "reports.fu.city_share": "City share",
    "reports.fu.fee": "Fee", "reports.fu.city": "City pays", "reports.fu.district_part": "District pays", "reports.fu.shortfall": "Shortfall share",
    "reports.fu.head": "{article}; {fee} yuan per recipient; recipients: {source}",
    "reports.fu.identities": "counted from identities", "reports.fu.entered": "entered",
  },
});

const $ = (id) => document.getElementById(id);
const FIELDS = ["by", "region", "year", "month", "district", "category"];
const ALL = FIELDS;
// The views: a report of GET /reports/{name}, the hospital indicators (GET /indicators), the funding statement and the
// subsidy list. perm: who sees the view (the API checks it again); fields: the filters it takes.
const VIEWS = [
  { id: "expenditure", kind: "report", perm: "reports", fields: ALL },
  { id: "beneficiaries", kind: "report", perm: "reports", fields: ALL },
  { id: "ratio", kind: "report", perm: "reports", fields: ALL },
  { id: "indicators", kind: "indicators", perm: ["indicators", "reports"], fields: ["region", "year", "month"] },
  { id: "out_of_scope", kind: "report", perm: "reports", fields: ALL },
  { id: "in_city", kind: "report", perm: "reports", fields: ALL },
  { id: "unreferred", kind: "report", perm: "reports", fields: ALL },
  { id: "funding", kind: "funding", perm: "funding", fields: ["region", "year"], needsRegion: true },
  { id: "subsidy", kind: "subsidy", perm: "subsidy", fields: ["region", "year", "district", "category"], needsRegion: true },
];
const NUMERIC = new Set(["money", "int", "ratio"]);
const PAGE = 50;
let dims = {}; // report name -> the groupings it accepts (GET /reports), the first being the default
let chartUrl = null;
let subsidyOffset = 0;

function view() {
  return VIEWS.find((v) => v.id === $("view").value) || VIEWS[0];
}

// "0.861878" -> "86.1878%": the API's exact 6-decimal ratio with the point moved two places (no rounding here).
function percent(v) {
  if (v === null || v === undefined || v === "") return "—";
  const m = /^(-?)(\d+)\.(\d{2})(\d*)$/.exec(String(v));
  if (!m) return String(v);
  return `${m[1]}${Number(m[2]) * 100 + Number(m[3])}.${m[4].replace(/0+$/, "").padEnd(2, "0")}%`;
}

// A text cell: region codes and, in English, group labels the shared strings know; the totals label in either language.
function text(column, value, row, by) {
  if (value === null || value === undefined || value === "") return column.key === "label" || column.key === "region" ? "" : "—";
  const s = String(value);
  if (s.startsWith("合计")) return t("reports.total");
  if (column.key === "region" && has(`region.${s}`)) return t(`region.${s}`);
  if (column.key === "label" && lang() === "en") {
    const code = String(row.group ?? "");
    if (by === "layer" && has(`layer.${code}`)) return t(`layer.${code}`);
    if (by === "visit" && has(`visit.${code}`)) return t(`visit.${code}`);
    if (by === "region" && has(`region.${code}`)) return t(`region.${code}`);
    if (by === "category" && /^[1-4]$/.test(code)) return t("reports.category_n", { n: code });
    if (/ [a-z]/.test(s)) return s.slice(s.indexOf(" ") + 1); // "未填区县 unspecified" -> "unspecified"
  }
  return s;
}

function cell(column, row, by, tag = "td") {
  const value = row[column.key];
  let shown;
  if (column.type === "money") shown = money(value);
  else if (column.type === "ratio") shown = percent(value);
  else if (column.type === "int") shown = value === null || value === undefined ? "—" : String(value);
  else if (column.type === "bool") shown = value === null || value === undefined ? "" : t(value ? "reports.yes" : "reports.no");
  else shown = text(column, value, row, by);
  const classes = [NUMERIC.has(column.type) ? "num" : null, column.type === "bool" && value ? "over" : null].filter(Boolean);
  return el(tag, { class: classes.join(" ") || null, "data-key": column.key, scope: tag === "th" ? "row" : null }, shown);
}

// One table of the API's JSON shape (docs/reports.md §4): columns, rows, totals (a <tfoot> row), notes.
function reportTable(data, caption = null) {
  const hasLabel = data.columns.some((c) => c.key === "label");
  const columns = data.columns.filter((c) => !(hasLabel && c.key === "group")); // the code column stays in CSV/XLSX
  const label = (c) => (lang() === "en" ? c.label_en : c.label);
  const head = el("tr", {}, columns.map((c) => el("th", { scope: "col", class: NUMERIC.has(c.type) ? "num" : null }, label(c))));
  const body = data.rows.map((row) => el("tr", { "data-group": row.group ?? null }, columns.map((c) => cell(c, row, data.by))));
  const foot = data.totals ? el("tfoot", {}, el("tr", { class: "totals" }, columns.map((c) => cell(c, data.totals, data.by)))) : null;
  const notes = (data.notes || []).length ? el("ul", { class: "notes" }, data.notes.map((n) => el("li", {}, n))) : null;
  return [
    el("div", { class: "scroll" },
      el("table", { class: "report-table", "data-report": data.report || null },
        caption ? el("caption", {}, caption) : null, el("thead", {}, head), el("tbody", {}, body), foot)),
    notes,
  ];  // prettier-ignore
}

function filtersText(f) {
  const parts = [f.region ? t(`region.${f.region}`) : t("reports.f.all_regions"), t("reports.f.year", { year: f.year })];
  if (f.month) parts.push(t("reports.f.month", { month: f.month }));
  if (f.district) parts.push(t("reports.f.district", { district: f.district === "none" ? t("reports.no_district") : f.district }));
  if (f.category) parts.push(t("reports.f.category", { category: f.category }));
  return parts.join(" · ");
}

// -- fetching with the token: the chart as a blob URL, a download as a blob saved under the API's file name ------------
async function showChart(path, title) {
  const res = await api(path, { raw: true });
  const blob = await res.blob();
  if (chartUrl) URL.revokeObjectURL(chartUrl);
  chartUrl = URL.createObjectURL(blob);
  const img = $("chart");
  img.alt = t("reports.chart_alt", { title });
  img.src = chartUrl;
  $("chart-box").hidden = false;
}

async function download(path, fallback) {
  clearMessage();
  const res = await api(path, { raw: true });
  const blob = await res.blob();
  const named = /filename="?([^";]+)"?/.exec(res.headers.get("content-disposition") || "");
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: named ? named[1] : fallback, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

function downloadButtons(list) {
  $("downloads").replaceChildren(
    ...list.map(([fmt, path, fallback]) =>
      el("button", { type: "button", class: "secondary", id: `download-${fmt}`, onclick: () => download(path, fallback).catch(() => {}) }, t(`reports.${fmt}`)),
    ),
  );
}

// -- the form ---------------------------------------------------------------------------------------------------------
function query(names) {
  const q = new URLSearchParams();
  for (const name of names) {
    const value = $(name).value.trim();
    if (value !== "" && !$(name).disabled) q.set(name, value);
  }
  return q;
}

function fillBy(chosen) {
  const v = view();
  const options = v.kind === "report" ? dims[v.id] || [] : [];
  $("by").replaceChildren(...options.map((b) => el("option", { value: b }, t(`reports.by.${b}`))));
  if (options.includes(chosen)) $("by").value = chosen;
}

function arrange(by = $("by").value) {
  const v = view();
  fillBy(by);
  for (const name of FIELDS) {
    $(name).disabled = !v.fields.includes(name) || (name === "by" && !$("by").options.length);
  }
  $("region").options[0].disabled = Boolean(v.needsRegion);
}

async function loadDistricts(initial = "") {
  const region = $("region").value;
  const found = await api("/reports/filters" + (region ? `?region=${encodeURIComponent(region)}` : ""));
  const chosen = $("district").value || initial; // read after the answer: a choice made meanwhile stays
  $("district").replaceChildren(
    el("option", { value: "" }, t("reports.all_districts")),
    ...found.districts.map((d) => el("option", { value: d }, d)),
    found.without_district ? el("option", { value: "none" }, t("reports.no_district")) : null,  // persons registered without one
  );
  if (found.districts.includes(chosen) || (chosen === "none" && found.without_district)) $("district").value = chosen;
  return found;
}

function begin(title) {
  clearMessage();
  $("result").hidden = false;
  $("result").dataset.state = "loading";
  $("report-title").textContent = title;
  $("report-filters").textContent = "";
  $("tables").replaceChildren(el("p", { class: "hint" }, t("loading")));
  $("downloads").replaceChildren();
  $("chart-box").hidden = true;
  $("chart").removeAttribute("src");
}

async function run() {
  const v = view();
  for (const name of FIELDS) $(name).removeAttribute("aria-invalid");
  if (!/^\d{4}$/.test($("year").value.trim())) return refuse("year", t("reports.need_year"));
  if (v.needsRegion && !$("region").value) return refuse("region", t("reports.need_region"));
  const q = query(v.fields);
  history.replaceState(null, "", `?view=${v.id}&${q}`);
  begin(t(`reports.v.${v.id}`));
  try {
    if (v.kind === "report") await showReport(v.id, q);
    else if (v.kind === "indicators") await showIndicators(q);
    else if (v.kind === "funding") await showFunding(q);
    else await showSubsidy(q);
    $("result").dataset.state = "done";
  } catch (error) {
    $("result").dataset.state = "error";
    $("tables").replaceChildren();
    if (!(error && error.status !== undefined)) showError(error);
  }
}

function refuse(field, message) {
  showError(new Error(`${message} [${field}]`));
  $(field).setAttribute("aria-invalid", "true");
  $(field).focus();
}

async function showReport(name, q) {
  const data = await api(`/reports/${name}?${q}&format=json`);
  const title = lang() === "en" ? data.title_en : data.title;
  $("report-title").textContent = `${title}${data.by ? " · " + t(`reports.by.${data.by}`) : ""}`;
  $("report-filters").textContent = filtersText(data.filters);
  $("tables").replaceChildren(...reportTable(data));
  const base = `/reports/${name}?${q}`;
  const period = `${data.filters.year}${data.filters.month ? "-" + String(data.filters.month).padStart(2, "0") : ""}`;
  downloadButtons(["csv", "xlsx", "png", "svg"].map((fmt) => [fmt, `${base}&format=${fmt}`, `${name}_${data.by || ""}_${period}.${fmt}`]));
  await showChart(`${base}&format=png&lang=${lang()}`, title);
}

async function showIndicators(q) {
  const data = await api(`/indicators?${q}`);
  const parts = ["over_the_line", "out_of_scope", "in_city", "unreferred"].filter((k) => data[k]);
  $("report-filters").textContent = filtersText(data.out_of_scope.filters);
  $("tables").replaceChildren(
    ...parts.flatMap((k) => {
      const table = reportTable(data[k], lang() === "en" ? data[k].title_en : data[k].title);
      table[0].querySelector("table").id = `ind-${k}`;
      return table;
    }),
    el("p", { class: "hint" }, t("reports.indicators_hint")),
  );
  await showChart(`/reports/out_of_scope?${q}&format=png&lang=${lang()}`, lang() === "en" ? data.out_of_scope.title_en : data.out_of_scope.title);
}

function simpleTable(columns, rows, totals) {
  const head = el("tr", {}, columns.map((c) => el("th", { scope: "col", class: c.num ? "num" : null }, t(c.label))));
  const line = (row) => columns.map((c) => el("td", { class: c.num ? "num" : null, "data-key": c.key }, c.format ? c.format(row[c.key], row) : row[c.key] ?? ""));
  return el("div", { class: "scroll" },
    el("table", { class: "report-table" }, el("thead", {}, head), el("tbody", {}, rows.map((r) => el("tr", {}, line(r)))),
      totals ? el("tfoot", {}, el("tr", { class: "totals" }, line(totals))) : null));  // prettier-ignore
}

// The city's share of the fee as the API gives it (a fraction "7/10") shown as a percentage; the totals row has none.
function share(v) {
  if (v === undefined) return "";
  const m = /^(\d+)\/(\d+)$/.exec(v || "");
  if (m) return `${(Number(m[1]) * 100) / Number(m[2])}%`;
  return v === null || v === undefined ? "—" : v === "1" ? "100%" : v === "0" ? "0%" : v;
}

async function showFunding(q) {
  const data = await api(`/funding/statement?${q}`);
  $("report-title").textContent = t("reports.funding.title");
  const source = has(`reports.fu.${data.headcount_source}`) ? t(`reports.fu.${data.headcount_source}`) : data.headcount_source;
  $("report-filters").textContent = `${filtersText({ region: data.region, year: data.year })} · ${t("reports.fu.head", { article: data.article, fee: money(data.fee_per_recipient), source })}`;
  const m = (v) => money(v);
  const columns = [
    { key: "district", label: "reports.fu.district" },
    { key: "headcount", label: "reports.fu.headcount", num: true },
    { key: "city_share", label: "reports.fu.city_share", num: true, format: share },
    { key: "fee", label: "reports.fu.fee", num: true, format: m },
    { key: "city", label: "reports.fu.city", num: true, format: m },
    { key: "district_part", label: "reports.fu.district_part", num: true, format: m },
    { key: "shortfall", label: "reports.fu.shortfall", num: true, format: m },
  ];
  const totals = { ...data.totals, district: t("reports.total") };
  $("tables").replaceChildren(
    simpleTable(columns, data.lines, totals),
    data.warnings.length ? el("ul", { class: "notes" }, data.warnings.map((w) => el("li", {}, w))) : null,
  );
}

async function showSubsidy(q) {
  q.set("limit", PAGE);
  q.set("offset", subsidyOffset);
  const data = await api(`/subsidy/list?${q}`);
  $("report-title").textContent = t("reports.subsidy.title");
  const region = $("region").value;
  const year = $("year").value.trim();
  $("report-filters").textContent = filtersText({ region, year, district: $("district").value, category: $("category").value });
  const m = (v) => money(v);
  const columns = [
    { key: "psn_no", label: "reports.s.psn_no" },
    { key: "name", label: "reports.s.name" },
    { key: "id_number", label: "reports.s.id_number" },
    { key: "district", label: "reports.s.district", format: (v) => v || "—" },
    { key: "identity_type", label: "reports.s.identity_type", format: (v) => (has(`type.${v}`) ? t(`type.${v}`) : v) },
    { key: "category", label: "reports.s.category", format: (v) => (v ? t("reports.category_n", { n: v }) : "—") },
    { key: "kind", label: "reports.s.kind", format: (v) => (has(`reports.kind.${v}`) ? t(`reports.kind.${v}`) : v) },
    { key: "tier", label: "reports.s.tier", format: (v) => (has(`reports.tier.${v}`) ? t(`reports.tier.${v}`) : v) },
    { key: "premium", label: "reports.s.premium", num: true, format: m },
    { key: "amount", label: "reports.s.amount", num: true, format: m },
    { key: "personal", label: "reports.s.personal", num: true, format: m },
    { key: "article", label: "reports.s.article" },
  ];
  const shownTo = Math.min(subsidyOffset + PAGE, data.total);
  const move = (delta) => {
    subsidyOffset = Math.max(0, subsidyOffset + delta);
    run().catch(() => {});
  };
  $("tables").replaceChildren(
    data.total ? simpleTable(columns, data.items, null) : el("p", { class: "hint" }, t("reports.subsidy.none")),
    el("div", { id: "paging" },
      el("button", { type: "button", class: "secondary", disabled: subsidyOffset === 0, onclick: () => move(-PAGE) }, t("reports.prev")),
      el("span", {}, t("reports.subsidy.count", { from: data.total ? subsidyOffset + 1 : 0, to: shownTo, total: data.total })),
      el("button", { type: "button", class: "secondary", disabled: shownTo >= data.total, onclick: () => move(PAGE) }, t("reports.next"))),
  );  // prettier-ignore
  const base = `/subsidy/export?region=${encodeURIComponent(region)}&year=${encodeURIComponent(year)}`;
  downloadButtons(["csv", "xlsx"].map((fmt) => [fmt, `${base}&format=${fmt}`, `subsidy_${region}_${year}.${fmt}`]));
}

// -- start ------------------------------------------------------------------------------------------------------------
const user = await start({ perm: "reports" });
if (user) {
  const views = VIEWS.filter((v) => can(v.perm));
  $("view").replaceChildren(...views.map((v) => el("option", { value: v.id }, t(`reports.v.${v.id}`))));
  $("month").append(...Array.from({ length: 12 }, (_, i) => el("option", { value: i + 1 }, t("reports.month_n", { n: i + 1 }))));
  $("category").append(...[1, 2, 3, 4].map((n) => el("option", { value: n }, t("reports.category_n", { n }))));
  $("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    subsidyOffset = 0;
    run().catch(() => {});
  });
  $("view").addEventListener("change", () => arrange());
  $("region").addEventListener("change", () => loadDistricts().catch(() => {}));
  const [list, choices] = await Promise.all([api("/reports"), api("/reports/filters")]);
  dims = Object.fromEntries(list.map((r) => [r.name, r.by]));
  $("region").append(...choices.regions.map((r) => el("option", { value: r.code }, has(`region.${r.code}`) ? t(`region.${r.code}`) : r.name)));
  $("years").replaceChildren(...choices.years.map((y) => el("option", { value: y })));
  // the state from the address (a bookmark, or the page reloaded), else the newest year with claims
  if (views.some((v) => v.id === param("view"))) $("view").value = param("view");
  for (const name of ["region", "month", "category"]) if (param(name)) $(name).value = param(name);
  $("year").value = param("year") || choices.years[0] || new Date().getFullYear();
  arrange(param("by"));
  await loadDistricts(param("district") || "");
  await run();
}
