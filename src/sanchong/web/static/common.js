// Framework of the staff pages (docs/web.md): API calls with the token, zh/en text, the menu, display helpers.
// Plain ES module, no build step, nothing from outside this folder.
import { PAGES } from "./pages.js";

const TOKEN_KEY = "sanchong.token"; // sessionStorage: the token lives as long as the browser tab
const LANG_KEY = "sanchong.lang"; // localStorage: the language choice is remembered

// ---------------------------------------------------------------------------------------------------------
// Text: t(key) looks the key up in the current language, falls back to Chinese, then to the key itself.
// Pages add their own keys with addStrings({zh: {...}, en: {...}}) at the top of their module.
const STRINGS = {
  zh: {
    "app.name": "三重制度综合保障",
    "nav.menu": "主菜单",
    "nav.signout": "退出",
    "nav.lang": "English",
    "nav.signin": "登录",
    "role.clerk": "经办柜员",
    "role.officer": "医保局经办人员",
    "role.liaison": "民政联络员",
    "role.auditor": "审计人员",
    "role.admin": "管理员",
    "layer.basic": "基本医保",
    "layer.critical": "大病保险",
    "layer.assistance": "医疗救助",
    "layer.tilted": "倾斜救助",
    "layer.personal": "个人负担",
    "visit.general_outpatient": "普通门诊",
    "visit.chronic_outpatient": "门诊慢特病",
    "visit.inpatient": "住院",
    "visit.special_drug": "特药",
    "treated.local": "本地就医",
    "treated.referred": "规范转诊",
    "treated.unreferred": "未按规定转诊",
    "insurance.employee": "职工医保",
    "insurance.resident": "居民医保",
    "status.settled": "已结算",
    "status.cancelled": "已撤销",
    "region.urumqi": "乌鲁木齐",
    "region.ordos": "鄂尔多斯",
    "region.yichun": "宜春",
    "region.kunyu": "第十四师昆玉市",
    "region.weihai": "威海",
    "type.destitute": "特困人员", "type.orphan": "孤儿", "type.unsupported_child": "事实无人抚养儿童", "type.dibao": "低保对象",
    "type.relapsed_poor": "返贫致贫人口", "type.near_dibao": "低保边缘家庭成员", "type.poverty_risk": "易返贫致贫人口",
    "type.illness_impoverished": "因病致贫重病患者", "type.special_hardship": "其他特殊困难人员",
    "subtype.needy_worker": "困难职工", "subtype.severe_disability": "重残人员", "subtype.temporary_assistance": "临时救助对象",
    "subtype.severe_mental_disorder": "严重精神障碍患者",
    "ok": "确定",
    "cancel": "取消",
    "confirm.title": "请确认",
    "error.network": "无法连接服务器",
    "error.forbidden": "当前角色无权使用本页面",
    "none": "无",
    "loading": "加载中…",
  },
  en: {
    "app.name": "Three-layer protection",
    "nav.menu": "Main menu",
    "nav.signout": "Sign out",
    "nav.lang": "中文",
    "nav.signin": "Sign in",
    "role.clerk": "Counter clerk",
    "role.officer": "Bureau officer",
    "role.liaison": "Civil-affairs liaison",
    "role.auditor": "Auditor",
    "role.admin": "Administrator",
    "layer.basic": "Basic insurance",
    "layer.critical": "Critical illness",
    "layer.assistance": "Medical assistance",
    "layer.tilted": "Tilted assistance",
    "layer.personal": "Personal share",
    "visit.general_outpatient": "General outpatient",
    "visit.chronic_outpatient": "Chronic outpatient",
    "visit.inpatient": "Inpatient",
    "visit.special_drug": "Special drug",
    "treated.local": "Local",
    "treated.referred": "Referred",
    "treated.unreferred": "Not referred",
    "insurance.employee": "Employee insurance",
    "insurance.resident": "Resident insurance",
    "status.settled": "Settled",
    "status.cancelled": "Cancelled",
    "region.urumqi": "Urumqi",
    "region.ordos": "Ordos",
    "region.yichun": "Yichun",
    "region.kunyu": "Kunyu (14th Division)",
    "region.weihai": "Weihai",
    "type.destitute": "Destitute", "type.orphan": "Orphan", "type.unsupported_child": "Unsupported child", "type.dibao": "Dibao",
    "type.relapsed_poor": "Relapsed into poverty", "type.near_dibao": "Near-dibao", "type.poverty_risk": "At risk of poverty",
    "type.illness_impoverished": "Impoverished by illness", "type.special_hardship": "Special hardship",
    "subtype.needy_worker": "Needy worker", "subtype.severe_disability": "Severe disability (grade 1–2)",
    "subtype.temporary_assistance": "Temporary assistance", "subtype.severe_mental_disorder": "Severe mental disorder",
    "ok": "OK",
    "cancel": "Cancel",
    "confirm.title": "Please confirm",
    "error.network": "Cannot reach the server",
    "error.forbidden": "Your role may not use this page",
    "none": "None",
    "loading": "Loading…",
  },
};

export function addStrings(dict) {
  for (const l of ["zh", "en"]) Object.assign(STRINGS[l], dict[l] || {});
}

export function lang() {
  return localStorage.getItem(LANG_KEY) === "en" ? "en" : "zh";
}

export function setLang(l) {
  localStorage.setItem(LANG_KEY, l === "en" ? "en" : "zh");
  location.reload();
}

// has(key): whether a text exists (e.g. to translate a code when known, else show the value as it came).
export function has(key) {
  return key in STRINGS.zh;
}

// subtype(code): a special-hardship subtype's name (the seeds' word), or the text as stored when no seed names it.
export function subtype(code) {
  return code ? (has("subtype." + code) ? t("subtype." + code) : code) : "";
}

export function t(key, vars = {}) {
  const s = STRINGS[lang()][key] ?? STRINGS.zh[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

// Translate the static HTML: data-i18n (text), data-i18n-placeholder, data-i18n-title, data-i18n-label (aria-label).
export function applyI18n(root = document) {
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const node of root.querySelectorAll("[data-i18n-title]")) node.title = t(node.dataset.i18nTitle);
  for (const node of root.querySelectorAll("[data-i18n-label]")) node.setAttribute("aria-label", t(node.dataset.i18nLabel));
}

// ---------------------------------------------------------------------------------------------------------
// Token and the API.
export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
  ME = null;
}

export function signOut() {
  setToken(null);
  location.href = "index.html";
}

// An error answer of the API: {error: {code, field, message, message_en}} (the whole body is kept in .body).
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.code = e.code || "http";
    this.field = e.field || "";
    this.message_zh = e.message || `HTTP ${status}`;
    this.message_en = e.message_en || e.message || `HTTP ${status}`;
  }
  text() {
    const m = lang() === "en" ? this.message_en : this.message_zh;
    return this.field ? `${m} [${this.field}]` : m;
  }
}

// api(path, {method, body, form, quiet, raw}) -> parsed JSON (or text; or the Response when raw).
//   body: an object sent as JSON; form: a FormData sent as multipart; method defaults to POST when either is given.
//   quiet: statuses that return null instead of showing an error (e.g. [404] for a route that may not exist).
//   Any other error is shown in the page's message area (#msg) and thrown as ApiError; 401 signs out.
export async function api(path, options = {}) {
  const { body, form, quiet = [], raw = false } = options;
  const method = options.method || (body !== undefined || form ? "POST" : "GET");
  const headers = { Accept: "application/json" };
  const tok = options.token ?? token();
  if (tok) headers.Authorization = `Bearer ${tok}`;
  let payload;
  if (form) payload = form;
  else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload });
  } catch (error) {
    const err = new ApiError(0, { error: { code: "network", message: t("error.network"), message_en: "Cannot reach the server" } });
    showError(err);
    throw err;
  }
  if (!res.ok) {
    let data = null;
    try {
      data = await res.json();
    } catch {
      data = null;
    }
    if (quiet.includes(res.status)) return null;
    const err = new ApiError(res.status, data);
    if (res.status === 401 && !options.token) {
      setToken(null);
      location.href = "index.html?next=" + encodeURIComponent(here());
    }
    showError(err);
    throw err;
  }
  if (raw) return res;
  const type = res.headers.get("content-type") || "";
  return type.includes("json") ? res.json() : res.text();
}

// ---------------------------------------------------------------------------------------------------------
// Who is signed in, and what the role may do (GET /me: username, role, permissions).
let ME = null;

export async function me() {
  if (!ME) ME = await api("/me");
  return ME;
}

export function can(perm) {
  if (perm === null || perm === undefined) return true;
  if (!ME) return false;
  const wanted = Array.isArray(perm) ? perm : [perm];
  return wanted.some((p) => ME.permissions.includes(p));
}

function here() {
  return (location.pathname.split("/").pop() || "index.html") + location.search;
}

// nav(): the header with the menu of the pages the role may open, the user and role, the language switch, sign out.
export function nav(user = ME) {
  const header = document.getElementById("top") || document.body.insertBefore(el("header", { id: "top" }), document.body.firstChild);
  header.replaceChildren();
  header.append(el("a", { class: "brand", href: "index.html" }, t("app.name")));
  const current = location.pathname.split("/").pop() || "index.html";
  const menu = el("nav", { "aria-label": t("nav.menu") });
  for (const page of PAGES) {
    if (!user && page.perm !== null) continue;
    if (user && !can(page.perm)) continue;
    const link = el("a", { href: page.href }, lang() === "en" ? page.en : page.zh);
    if (page.href === current) link.setAttribute("aria-current", "page");
    menu.append(link);
  }
  header.append(menu);
  const right = el("div", { class: "who" });
  if (user) right.append(el("span", { id: "whoami" }, `${user.username} · ${t("role." + user.role)}`));
  right.append(el("button", { type: "button", id: "lang", onclick: () => setLang(lang() === "en" ? "zh" : "en") }, t("nav.lang")));
  if (user) right.append(el("button", { type: "button", id: "signout", onclick: signOut }, t("nav.signout")));
  else right.append(el("a", { href: "index.html", class: "button" }, t("nav.signin")));
  header.append(right);
}

// start({perm, optional}): every page's first call. Translates the HTML, sends a visitor without a token to the
// sign-in page (unless optional), draws the menu, and returns the user, or null when the role lacks `perm`
// (the page body is then replaced by a "no permission" notice).
export async function start(options = {}) {
  document.documentElement.lang = lang() === "en" ? "en" : "zh-CN";
  applyI18n();
  if (!token()) {
    if (options.optional) {
      nav(null);
      markReady();
      return null;
    }
    location.replace("index.html?next=" + encodeURIComponent(here()));
    return new Promise(() => {}); // never resolves: the page is leaving
  }
  const user = await me();
  nav(user);
  markReady();
  if (options.perm !== undefined && !can(options.perm)) {
    const main = document.querySelector("main");
    main.replaceChildren(el("p", { class: "error", role: "alert" }, t("error.forbidden")));
    return null;
  }
  return user;
}

// <body data-ready> once the page's own code after `await start()` has run its synchronous part (listeners attached);
// the browser tests wait for it.
function markReady() {
  setTimeout(() => {
    document.body.dataset.ready = "true";
  }, 0);
}

// ---------------------------------------------------------------------------------------------------------
// Messages: one area per page, <div id="msg" role="status" aria-live="polite"> (created if missing).
function messageArea() {
  let area = document.getElementById("msg");
  if (!area) {
    area = el("div", { id: "msg", role: "status", "aria-live": "polite" });
    (document.querySelector("main") || document.body).prepend(area);
  }
  return area;
}

export function showError(err) {
  const text = err instanceof ApiError ? err.text() : String(err && err.message ? err.message : err);
  messageArea().replaceChildren(el("p", { class: "error", role: "alert" }, text));
}

export function showMessage(text) {
  messageArea().replaceChildren(el("p", { class: "ok" }, text));
}

export function clearMessage() {
  messageArea().replaceChildren();
}

// ---------------------------------------------------------------------------------------------------------
// Display helpers.

// money(12345) (int fen) or money("123.45") (yuan string from the API) -> "123.45" with thousands separators.
export function money(v) {
  if (v === null || v === undefined || v === "") return "—";
  let s = String(v);
  if (typeof v === "number") {
    const f = Math.abs(Math.trunc(v));
    s = (v < 0 ? "-" : "") + Math.floor(f / 100) + "." + String(f % 100).padStart(2, "0");
  }
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return s;
  return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." + (m[3] || "").padEnd(2, "0");
}

// fen("123.45") -> 12345: yuan strings to integer fen, for comparing and for bar widths (never for sums shown).
export function fen(v) {
  if (v === null || v === undefined || v === "") return null;
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(v));
  if (!m) return null;
  const n = Number(m[2]) * 100 + Number((m[3] || "").padEnd(2, "0"));
  return m[1] ? -n : n;
}

// mask("650102196701101017") -> "6501**********1017", as sanchong.idnumber.mask (the API already masks per role).
export function mask(number) {
  if (!number) return "";
  if (number.length < 9) return "*".repeat(number.length);
  return number.slice(0, 4) + "*".repeat(number.length - 8) + number.slice(-4);
}

// el("a", {href: "x", class: "y", onclick: f}, "text", child, ...) -> element. null/false children are skipped.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// table(columns, rows): columns = [{key, label, money?, format?(value, row)}]; money columns are right-aligned.
export function table(columns, rows, attrs = {}) {
  const head = el("tr", {}, columns.map((c) => el("th", { scope: "col", class: c.money ? "num" : null }, c.label)));
  const body = rows.map((row) =>
    el(
      "tr",
      {},
      columns.map((c) => {
        const value = row[c.key];
        const shown = c.format ? c.format(value, row) : c.money ? money(value) : value ?? "";
        return el("td", { class: c.money ? "num" : null, "data-key": c.key }, shown);
      }),
    ),
  );
  return el("table", attrs, el("thead", {}, head), el("tbody", {}, body));
}

// bar(used, total, label): a labelled bar "used / total" (yuan strings or fen); total null = no limit (no bar).
export function bar(used, total, label) {
  const u = typeof used === "number" ? used : fen(used) || 0;
  const tt = typeof total === "number" ? total : fen(total);
  const text = tt === null ? `${label}: ${money(used)}` : `${label}: ${money(used)} / ${money(total)}`;
  const pct = tt ? Math.min(100, Math.round((u * 100) / tt)) : 0;
  return el(
    "div",
    { class: "bar", role: "img", "aria-label": text },
    el("span", { class: "bar-label" }, text),
    tt === null ? null : el("span", { class: "bar-track" }, el("span", { class: "bar-fill", style: `width:${pct}%` })),
  );
}

// formObject(form): the form's named fields as an object; empty fields are left out, checkboxes give true/false.
export function formObject(form) {
  const out = {};
  for (const field of form.elements) {
    if (!field.name || field.disabled) continue;
    if (field.type === "checkbox") out[field.name] = field.checked;
    else if (field.value !== "") out[field.name] = field.value.trim();
  }
  return out;
}

export function param(name) {
  return new URLSearchParams(location.search).get(name);
}

// confirmDialog(message, {ok, input}) -> Promise: null when cancelled (button or Esc), else the text typed in the
// optional input (or "" without one). Focus starts on Cancel, so Enter alone never confirms a destructive action.
export function confirmDialog(message, options = {}) {
  return new Promise((resolve) => {
    const field = options.input ? el("input", { type: "text", id: "confirm-input", name: "confirm-input", maxlength: 200 }) : null;
    const okButton = el("button", { type: "submit", value: "ok", class: "danger", id: "confirm-ok" }, options.ok || t("ok"));
    const cancelButton = el("button", { type: "submit", value: "cancel", id: "confirm-cancel" }, t("cancel"));
    const dialog = el(
      "dialog",
      { class: "confirm", "aria-labelledby": "confirm-title" },
      el(
        "form",
        { method: "dialog" },
        el("h2", { id: "confirm-title" }, options.title || t("confirm.title")),
        el("p", {}, message),
        field ? el("label", { for: "confirm-input" }, options.input) : null,
        field,
        el("div", { class: "actions" }, cancelButton, okButton),
      ),
    );
    document.body.append(dialog);
    dialog.addEventListener("close", () => {
      const value = dialog.returnValue === "ok" ? (field ? field.value.trim() : "") : null;
      dialog.remove();
      resolve(value);
    });
    dialog.showModal();
    cancelButton.focus();
  });
}
