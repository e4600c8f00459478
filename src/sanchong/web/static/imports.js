// Department-list import: upload (POST /lists/preview), the row-by-row preview with reasons, apply (POST /lists/apply).
import { addStrings, api, ApiError, clearMessage, confirmDialog, el, has, lang, showMessage, start, t, table } from "./common.js";

addStrings({
  zh: {
    "imports.title": "名单导入 · 三重制度综合保障", "imports.heading": "部门名单导入",
    "imports.hint": "上传民政等部门推送的名单（CSV 或 XLSX），先预览逐行结果，再导入。导入在一个事务内完成：全部成功或全部不写入。",
    "imports.department": "推送部门", "imports.received": "接收日期（空为今天）", "imports.file": "名单文件", "imports.preview": "预览",
    "imports.template": "下载模板", "imports.skip": "跳过被拒绝的行，只导入有效行", "imports.apply": "导入",
    "imports.h_preview": "预览：{file}（尚未导入）", "imports.h_applied": "已导入：{file}（导入编号 {id}）",
    "imports.h_refused": "未导入：{file}",
    "imports.counts": "共 {rows} 行：新增 {added}，终止 {ended}，变更 {changed}，拒绝 {rejected}",
    "imports.duplicate": "同一文件已于导入编号 {id} 导入过",
    "imports.added": "新增", "imports.ended": "终止", "imports.changed": "变更", "imports.rejected": "拒绝",
    "imports.adjustments": "补充结算（补差为正，追回为负）",
    "imports.confirm": "导入 {file} 的 {n} 行？身份将写入，受影响人员的已结算单据将补充结算。",
    "imports.confirm_skip": "导入 {file} 的 {n} 个有效行，跳过 {r} 个被拒绝的行？",
    "imports.done": "已导入 {n} 行",
    "col.row": "行号", "col.status": "结果", "col.name": "姓名", "col.id_number": "身份证号", "col.type": "身份类别",
    "col.valid_from": "起始日期", "col.valid_to": "终止日期", "col.psn_no": "人员编号", "col.reason": "原因", "col.deadline": "期限",
    "col.claim_id": "单据号", "col.layer": "层次", "col.amount": "金额", "col.late": "逾期",
  },
  en: {
    "imports.title": "List imports · Three-layer protection", "imports.heading": "Department list import",
    "imports.hint": "Upload a list sent by civil affairs or another department (CSV or XLSX), check the row-by-row preview, then apply. The import is one transaction: all or nothing.",
    "imports.department": "Sending department", "imports.received": "Received on (empty: today)", "imports.file": "List file",
    "imports.preview": "Preview", "imports.template": "Download template", "imports.skip": "Skip the rejected rows and apply the valid ones",
    "imports.apply": "Apply", "imports.h_preview": "Preview: {file} (not applied)", "imports.h_applied": "Applied: {file} (import {id})",
    "imports.h_refused": "Not applied: {file}",
    "imports.counts": "{rows} rows: {added} added, {ended} ended, {changed} changed, {rejected} rejected",
    "imports.duplicate": "The same file was already imported as import {id}",
    "imports.added": "Added", "imports.ended": "Ended", "imports.changed": "Changed", "imports.rejected": "Rejected",
    "imports.adjustments": "Re-settlement (positive: paid on top; negative: recovered)",
    "imports.confirm": "Apply the {n} rows of {file}? The identities are written and affected settled claims re-settled.",
    "imports.confirm_skip": "Apply the {n} valid rows of {file} and skip the {r} rejected rows?",
    "imports.done": "{n} rows applied",
    "col.row": "Row", "col.status": "Outcome", "col.name": "Name", "col.id_number": "ID number", "col.type": "Identity",
    "col.valid_from": "Valid from", "col.valid_to": "Valid to", "col.psn_no": "Person", "col.reason": "Reason", "col.deadline": "Deadline",
    "col.claim_id": "Claim", "col.layer": "Layer", "col.amount": "Amount", "col.late": "Late",
  },
});

const $ = (id) => document.getElementById(id);
const form = $("upload");
let previewed = null; // the preview on screen

function deadline(d) {
  if (!d) return "";
  const late = d.push_late || d.mark_late;
  return [d.push_due && `${d.push_due}`, late ? `⚠ ${t("col.late")}` : null, d.note].filter(Boolean).join(" · ");
}

function rows(kind, items) {
  const columns = [
    { key: "row", label: t("col.row") },
    { key: "name", label: t("col.name") },
    { key: "id_number", label: t("col.id_number") },
    { key: "type", label: t("col.type"), format: (v) => (has(`type.${v}`) ? t(`type.${v}`) : v) },
    { key: "valid_from", label: t("col.valid_from") },
    { key: "valid_to", label: t("col.valid_to") },
    { key: "psn_no", label: t("col.psn_no") },
    kind === "rejected"
      ? { key: "reason", label: t("col.reason"), format: (v, r) => (lang() === "en" ? r.reason_en || v : v) }
      : { key: "deadline", label: t("col.deadline"), format: (v) => deadline(v) },
  ];
  const grid = table(columns, items, { id: `rows-${kind}` });
  if (kind === "rejected") for (const tr of grid.tBodies[0].rows) tr.classList.add("rejected");
  return el("section", { class: "card" }, el("h2", {}, `${t("imports." + kind)} (${items.length})`), el("div", { class: "scroll" }, grid));
}

function render(p, state) {
  previewed = p;
  $("result").hidden = false;
  const file = p.file_name;
  $("r-heading").textContent =
    state === "applied" ? t("imports.h_applied", { file, id: p.import_id }) : state === "refused" ? t("imports.h_refused", { file }) : t("imports.h_preview", { file });
  $("r-counts").textContent = t("imports.counts", p.counts);
  $("r-duplicate").hidden = !p.duplicate_of;
  $("r-duplicate").textContent = p.duplicate_of ? t("imports.duplicate", { id: p.duplicate_of }) : "";
  const parts = ["rejected", "added", "ended", "changed"].filter((k) => p[k].length).map((k) => rows(k, p[k]));
  if (p.adjustments.length) {
    const columns = [
      { key: "psn_no", label: t("col.psn_no") },
      { key: "claim_id", label: t("col.claim_id") },
      { key: "layer", label: t("col.layer"), format: (v) => t("layer." + v) },
      { key: "amount", label: t("col.amount"), money: true },
      { key: "reason", label: t("col.reason") },
    ];
    parts.push(el("section", { class: "card" }, el("h2", {}, t("imports.adjustments")), table(columns, p.adjustments, { id: "adjustments" })));
  }
  $("r-tables").replaceChildren(...parts);
  updateApply();
}

function updateApply() {
  const p = previewed;
  const valid = p ? p.counts.rows - p.counts.rejected : 0;
  $("apply").disabled = !p || p.import_id !== null || valid === 0 || (p.counts.rejected > 0 && !$("skip_invalid").checked);
}

function upload() {
  const data = new FormData();
  data.append("file", $("file").files[0]);
  data.append("department", $("department").value.trim());
  if ($("received").value) data.append("received", $("received").value);
  return data;
}

const user = await start({ perm: "lists" });
if (user) {
  $("department").focus();
  form.addEventListener("input", () => {
    previewed = null;
    updateApply();
  });
  $("skip_invalid").addEventListener("change", updateApply);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearMessage();
    try {
      render(await api("/lists/preview", { form: upload() }), "preview");
    } catch {
      /* shown */
    }
  });
  $("apply").addEventListener("click", async () => {
    const p = previewed;
    const skip = $("skip_invalid").checked;
    const valid = p.counts.rows - p.counts.rejected;
    const question = p.counts.rejected
      ? t("imports.confirm_skip", { file: p.file_name, n: valid, r: p.counts.rejected })
      : t("imports.confirm", { file: p.file_name, n: valid });
    if ((await confirmDialog(question, { ok: t("imports.apply") })) === null) return;
    const data = upload();
    data.append("skip_invalid", skip ? "true" : "false");
    try {
      const done = await api("/lists/apply", { form: data });
      render(done, "applied");
      showMessage(t("imports.done", { n: done.counts.added + done.counts.ended + done.counts.changed }));
    } catch (error) {
      if (error instanceof ApiError && error.body && error.body.preview) render(error.body.preview, "refused");
    }
  });
  $("template").addEventListener("click", async () => {
    const res = await api("/lists/template?format=xlsx", { raw: true });
    const link = el("a", { href: URL.createObjectURL(await res.blob()), download: "department_list_template.xlsx" });
    document.body.append(link);
    link.click();
    link.remove();
  });
}
