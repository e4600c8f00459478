// Policy page: each region's policy as a citizen reads it — the article text beside the values it sets (GET /policies/{region}).
import { addStrings, api, el, lang, param, start, t, table } from "./common.js";

addStrings({
  zh: {
    "policy.title": "政策 · 三重制度综合保障", "policy.heading": "五地政策原文与参数",
    "policy.intro": "左边是政策文件的原文，右边是这一条规定的参数值——结算时使用的就是这些数。未设定的本地参数会在结算时报错，而不是用一个猜测的数。",
    "policy.region": "地区", "policy.on": "施行日期（可选）", "policy.show": "查看", "policy.to_compare": "五地比较",
    "policy.version": "版本", "policy.valid": "有效期", "policy.seed": "政策文件", "policy.versions": "全部版本",
    "policy.articles": "条款与参数", "policy.local": "本地参数（政策文件未规定的数）",
    "policy.local_hint": "这些数不在政策文件里：已设定的注明来源和可信等级（A 官方、B 主流媒体、C 转载），未设定的标为“未设定”。",
    "policy.statistics": "统计数据（上年度人均可支配收入等）", "policy.until_now": "至今",
    "policy.param": "参数", "policy.value": "取值", "policy.source": "来源", "policy.grade": "等级",
    "policy.unset": "未设定", "policy.for_year": "{year}年就医：{value} 元", "policy.no_stats": "统计表中没有所需年份的数，结算时会报错",
    "policy.statistic": "统计指标", "policy.year": "年度", "policy.amount": "数值（元）", "policy.claim_year": "用于就医年度",
    "policy.none": "无",
  },
  en: {
    "policy.title": "Policies · Three-layer protection", "policy.heading": "The five regions' policies and their values",
    "policy.intro": "On the left the article as the document words it; on the right the values it sets — the figures settlement uses. A local value that is not set is an error at settlement, never a guess.",
    "policy.region": "Region", "policy.on": "In force on (optional)", "policy.show": "Show", "policy.to_compare": "Compare regions",
    "policy.version": "Version", "policy.valid": "Valid", "policy.seed": "Document", "policy.versions": "All versions",
    "policy.articles": "Articles and values", "policy.local": "Local values (not given by the document)",
    "policy.local_hint": "Values the document does not give: set ones carry their source and grade (A official, B major media, C copy); the others are marked unset.",
    "policy.statistics": "Statistics (last year's disposable income etc.)", "policy.until_now": "open-ended",
    "policy.param": "Parameter", "policy.value": "Value", "policy.source": "Source", "policy.grade": "Grade",
    "policy.unset": "unset", "policy.for_year": "claims in {year}: {value} yuan", "policy.no_stats": "no figure for the year needed: settlement will say so",
    "policy.statistic": "Statistic", "policy.year": "Year", "policy.amount": "Value (yuan)", "policy.claim_year": "For claims in",
    "policy.none": "None",
  },
});

const $ = (id) => document.getElementById(id);
const en = lang() === "en";

function valid(p) {
  return `${p.effective_from} – ${p.effective_to || t("policy.until_now")}`;
}

// One value: the citizen's reading ("80%", "不设封顶", "未设定"), the key and its English meaning on hover.
function value(p) {
  const unset = p.value === null;
  const parts = [el("strong", { class: unset ? "unset" : null }, unset ? t("policy.unset") : p.display)];
  if (p.value && typeof p.value === "object" && p.value.share) {
    parts.push(p.resolved.length
      ? el("div", { class: "hint" }, p.resolved.map((r) => el("div", { title: r.how }, t("policy.for_year", { year: r.year, value: r.value }))))
      : el("div", { class: "hint" }, t("policy.no_stats")));
  }
  return el("span", { title: `${p.key} — ${p.meaning}` }, parts);
}

function paramName(p) {
  return el("span", { title: p.key }, p.label, en ? el("div", { class: "hint" }, p.meaning) : null);
}

function article(a) {
  const rows = a.params.map((p) => el("tr", { "data-key": p.key }, el("td", {}, paramName(p)), el("td", { class: "value" }, value(p))));
  return el(
    "section",
    { class: "card policy-article", "data-article": a.article },
    el("div", { class: "law" }, el("h3", {}, a.article), el("p", {}, a.text), el("p", { class: "hint" }, a.cite)),
    el("table", { class: "values" }, el("thead", {}, el("tr", {}, el("th", {}, t("policy.param")), el("th", {}, t("policy.value")))), el("tbody", {}, rows)),
  );
}

function local(items) {
  if (!items.length) return el("p", { class: "muted" }, t("policy.none"));
  const columns = [
    { key: "label", label: t("policy.param"), format: (_v, p) => paramName(p) },
    { key: "display", label: t("policy.value"), format: (_v, p) => value(p) },
    { key: "source", label: t("policy.source") },
    { key: "grade", label: t("policy.grade"), format: (v) => v || "—" },
  ];
  return table(columns, items, { id: "local-grid" });
}

function statistics(items) {
  if (!items.length) return el("p", { class: "muted" }, t("policy.none"));
  const columns = [
    { key: "label", label: t("policy.statistic"), format: (v, s) => el("span", { title: s.statistic }, v) },
    { key: "year", label: t("policy.year") },
    { key: "value", label: t("policy.amount"), money: true },
    { key: "for_claim_year", label: t("policy.claim_year") },
    { key: "grade", label: t("policy.grade") },
    { key: "source", label: t("policy.source") },
  ];
  return table(columns, items, { id: "statistics-grid" });
}

async function show(region, on) {
  const query = on ? `?on=${encodeURIComponent(on)}` : "";
  const doc = await api(`/policies/${encodeURIComponent(region)}${query}`);
  $("doc").hidden = false;
  $("d-title").textContent = doc.title;
  $("d-id").textContent = doc.id;
  $("d-valid").textContent = valid(doc);
  $("d-seed").textContent = doc.seed;
  $("d-versions").replaceChildren(...doc.versions.map((v) => el("div", {}, `${v.id} · ${valid(v)}`)));
  $("articles").replaceChildren(...doc.articles.map(article));
  $("local").replaceChildren(local(doc.local));
  $("statistics").replaceChildren(statistics(doc.statistics));
  document.title = `${doc.name} · ${t("policy.title")}`;
}

const user = await start();
if (user) {
  const list = await api("/policies");
  $("region").replaceChildren(...list.regions.map((r) => el("option", { value: r.region }, `${t("region." + r.region)} · ${r.versions.map((v) => v.effective_from).join(", ")}`)));
  const wanted = param("region");
  if (wanted && list.regions.some((r) => r.region === wanted)) $("region").value = wanted;
  if (param("on")) $("on").value = param("on");
  const go = () => {
    const region = $("region").value;
    const on = $("on").value;
    history.replaceState(null, "", `policy.html?region=${region}${on ? `&on=${on}` : ""}`);
    show(region, on).catch(() => {});
  };
  $("choose").addEventListener("submit", (event) => {
    event.preventDefault();
    go();
  });
  $("region").addEventListener("change", go);
  go();
}
