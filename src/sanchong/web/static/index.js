// Sign-in: username + API token (the service authenticates tokens; the username must match the token's user).
import { PAGES } from "./pages.js";
import { addStrings, api, can, el, lang, me, param, setToken, showError, start, t } from "./common.js";

addStrings({
  zh: {
    "signin.title": "登录 · 三重制度综合保障", "signin.heading": "登录", "signin.hint": "请输入用户名和管理员发放的访问令牌。",
    "signin.username": "用户名", "signin.token": "访问令牌", "signin.submit": "登录", "signin.welcome": "欢迎",
    "signin.user": "用户", "signin.role": "角色", "signin.pages": "可用页面",
    "signin.mismatch": "用户名与令牌不符",
  },
  en: {
    "signin.title": "Sign in · Three-layer protection", "signin.heading": "Sign in",
    "signin.hint": "Enter your username and the access token the administrator gave you.",
    "signin.username": "Username", "signin.token": "Access token", "signin.submit": "Sign in", "signin.welcome": "Welcome",
    "signin.user": "User", "signin.role": "Role", "signin.pages": "Your pages",
    "signin.mismatch": "The username does not match the token",
  },
});

function welcome(user) {
  document.getElementById("signin").hidden = true;
  document.getElementById("welcome").hidden = false;
  document.getElementById("w-user").textContent = user.username;
  document.getElementById("w-role").textContent = `${t("role." + user.role)} (${user.role})`;
  const list = document.getElementById("w-pages");
  list.replaceChildren(...PAGES.filter((p) => can(p.perm)).map((p) => el("li", {}, el("a", { href: p.href }, lang() === "en" ? p.en : p.zh))));
}

const user = await start({ optional: true });
if (user) welcome(user);
else {
  document.getElementById("signin").hidden = false;
  document.getElementById("username").focus();
}

document.getElementById("signin-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const username = event.target.username.value.trim();
  const tok = event.target.token.value.trim();
  let who;
  try {
    who = await api("/me", { token: tok });
  } catch {
    return; // the error is shown
  }
  if (who.username !== username) {
    showError(new Error(t("signin.mismatch")));
    return;
  }
  setToken(tok);
  const next = param("next");
  if (next && /^[a-z_]+\.html(\?.*)?$/.test(next) && !next.startsWith("index.html")) {
    location.href = next;
    return;
  }
  const signed = await start();
  welcome(signed || (await me()));
});
