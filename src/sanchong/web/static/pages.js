// The menu: one line per page (docs/web.md "Adding a page").
// href: the file in this folder; zh/en: the menu label; perm: the action from services/roles.py the signed-in role
// needs to see the page (a string, or a list meaning "any of"); null means every signed-in user.
export const PAGES = [
  { href: "person.html", zh: "人员查询", en: "Persons", perm: "read.person" },
  { href: "settle.html", zh: "结算", en: "Settle", perm: "settle" },
  { href: "imports.html", zh: "名单导入", en: "List imports", perm: "lists" },
  { href: "worklist.html", zh: "待办", en: "Work lists", perm: ["application.decide", "application.submit", "monitoring", "lists"] },
  { href: "reports.html", zh: "报表", en: "Reports", perm: "reports" },
  { href: "policy.html", zh: "政策", en: "Policies", perm: null },
  { href: "compare.html", zh: "五地比较", en: "Compare regions", perm: null },
];
