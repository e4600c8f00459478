// Counter settlement: enter a claim, trial (POST /claims/trial), read the four layers and the personal share with
// the explanation, then commit (POST /claims); cancel with confirmation (POST /claims/{region}/{claim_id}/cancel).
import { addStrings, api, can, confirmDialog, el, formObject, money, param, showMessage, clearMessage, start, t } from "./common.js";

addStrings({
  zh: {
    "settle.title": "结算 · 三重制度综合保障", "settle.heading": "一站式结算", "settle.psn_no": "人员编号", "settle.claim_id": "单据号",
    "settle.date": "就医日期", "settle.visit": "就医类型", "settle.total": "医疗费总额（元）", "settle.in_scope": "政策范围内费用（元）",
    "settle.basic": "基本医保支付（元，可空）", "settle.critical": "大病保险支付（元，可空）", "settle.treated": "就医方式",
    "settle.hospital": "医疗机构（可空）", "settle.in_province": "省（区）内就医",
    "settle.hint": "先预结算，核对四层金额和个人负担后再确认结算。", "settle.trial": "预结算", "settle.commit": "确认结算",
    "settle.cancel": "撤销结算", "settle.person": "人员", "settle.policy": "适用政策", "settle.category": "类别",
    "settle.explanation": "说明（每笔金额的依据条款与计算）", "settle.h_trial": "预结算结果（未保存）",
    "settle.h_settled": "已结算 {id}", "settle.h_cancelled": "已撤销 {id}", "settle.cat": "第{n}类", "settle.cat_none": "无救助身份",
    "settle.committed": "结算成功：{id}", "settle.cancelled": "已撤销单据 {id}",
    "settle.confirm_cancel": "撤销单据 {id}？该人员本年度其后的单据将重新结算，差额记入补差或追回。",
    "settle.reason": "撤销原因（可空）", "settle.do_cancel": "撤销", "settle.adjustments": "因此产生的补差或追回",
    "settle.tilted_pending": "待审批的倾斜救助 {amount} 元（依申请，审批后支付）",
  },
  en: {
    "settle.title": "Settle · Three-layer protection", "settle.heading": "One-stop settlement", "settle.psn_no": "Person number",
    "settle.claim_id": "Claim id", "settle.date": "Date of service", "settle.visit": "Visit", "settle.total": "Total cost (yuan)",
    "settle.in_scope": "In-scope cost (yuan)", "settle.basic": "Basic insurance paid (yuan, optional)",
    "settle.critical": "Critical illness paid (yuan, optional)", "settle.treated": "Treatment", "settle.hospital": "Hospital (optional)",
    "settle.in_province": "Treated in the province", "settle.hint": "Run a trial first; check the four layers and the personal share, then commit.",
    "settle.trial": "Trial", "settle.commit": "Commit settlement", "settle.cancel": "Cancel settlement", "settle.person": "Person",
    "settle.policy": "Policy", "settle.category": "Category", "settle.explanation": "Explanation (the article and arithmetic of each amount)",
    "settle.h_trial": "Trial result (not stored)", "settle.h_settled": "Settled {id}", "settle.h_cancelled": "Cancelled {id}",
    "settle.cat": "Category {n}", "settle.cat_none": "No assistance identity", "settle.committed": "Settled: {id}",
    "settle.cancelled": "Claim {id} cancelled",
    "settle.confirm_cancel": "Cancel claim {id}? The person's later claims this year are re-settled and the differences booked.",
    "settle.reason": "Reason (optional)", "settle.do_cancel": "Cancel the settlement", "settle.adjustments": "Resulting adjustments",
    "settle.tilted_pending": "Tilted assistance {amount} yuan awaits approval (on application)",
  },
});

const $ = (id) => document.getElementById(id);
const form = $("claim");
let trialled = null; // the claim (as sent) of the last trial; commit is enabled only for that exact content
let shown = null; // the settlement on screen (for cancel)

function claimBody() {
  const data = formObject(form);
  return { ...data, in_province: $("in_province").checked };
}

function render(view, kind) {
  shown = view;
  $("result").hidden = false;
  const id = view.settlement_id || view.claim_id;
  $("r-heading").textContent =
    kind === "trial" ? t("settle.h_trial") : view.status === "cancelled" ? t("settle.h_cancelled", { id: view.claim_id }) : t("settle.h_settled", { id });
  $("r-person").textContent = `${view.person.name} · ${view.psn_no} · ${view.person.id_number}`;
  $("r-policy").textContent = view.policy;
  $("r-category").textContent = view.category ? t("settle.cat", { n: view.category }) : t("settle.cat_none");
  $("r-total").textContent = money(view.total);
  $("r-in_scope").textContent = money(view.in_scope);
  $("r-layers").replaceChildren(
    ...["basic", "critical", "assistance", "tilted", "personal"].map((k) =>
      el("div", { class: `layer ${k}`, "data-layer": k }, el("div", { class: "name" }, t("layer." + k)), el("div", { class: "amount" }, money(view[k]))),
    ),
  );
  $("r-tilted").textContent = view.tilted_status === "pending" ? t("settle.tilted_pending", { amount: money(view.tilted_pending) }) : "";
  $("r-explanation").replaceChildren(
    ...view.explanation.map((x) => el("li", {}, el("span", { class: "article" }, x.article), "｜", x.text)),
  );
  const adj = view.adjustments || [];
  $("r-adjustments").replaceChildren(
    ...(adj.length
      ? [el("h3", {}, t("settle.adjustments")), el("ul", {}, adj.map((a) => el("li", {}, `${a.claim_id} · ${t("layer." + a.layer)} ${money(a.amount)} · ${a.reason}`)))]
      : []),
  );
  $("cancel").hidden = !(kind !== "trial" && view.status === "settled" && can("cancel"));
}

function newClaimId() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, "0");
  return `W${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

const user = await start({ perm: ["settle", "cancel"] });
if (user) {
  $("claim_id").value = newClaimId();
  $("date").value = new Date().toISOString().slice(0, 10);
  if (param("psn")) $("psn_no").value = param("psn");
  if (!can("settle")) form.hidden = true;

  form.addEventListener("input", () => {
    trialled = null;
    $("commit").disabled = true;
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearMessage();
    const body = claimBody();
    try {
      render(await api("/claims/trial", { body }), "trial");
    } catch {
      return;
    }
    trialled = JSON.stringify(body);
    $("commit").disabled = false;
    $("commit").focus();
  });
  $("commit").addEventListener("click", async () => {
    const body = claimBody();
    if (trialled !== JSON.stringify(body)) return;
    try {
      const view = await api("/claims", { body });
      render(view, "settled");
      showMessage(t("settle.committed", { id: view.settlement_id }));
    } catch {
      return;
    }
    trialled = null;
    $("commit").disabled = true;
    $("claim_id").value = newClaimId();
  });
  $("cancel").addEventListener("click", async () => {
    const view = shown;
    const reason = await confirmDialog(t("settle.confirm_cancel", { id: view.claim_id }), { input: t("settle.reason"), ok: t("settle.do_cancel") });
    if (reason === null) return;
    const path = `/claims/${encodeURIComponent(view.person.region)}/${encodeURIComponent(view.claim_id)}/cancel`;
    try {
      render(await api(path, { body: { reason } }), "cancelled");
      showMessage(t("settle.cancelled", { id: view.claim_id }));
    } catch {
      /* shown */
    }
  });
  if (param("claim") && param("region")) {
    api(`/claims/${encodeURIComponent(param("region"))}/${encodeURIComponent(param("claim"))}`).then((v) => render(v, "stored"), () => {});
  } else {
    $("psn_no").focus();
  }
}
