"""Browser tests of the staff pages (docs/web.md): a fresh demo database served by uvicorn, headless Debian chromium.

The server runs in a subprocess (its own event loop and warnings); the browser is Playwright's sync API driving
/usr/bin/chromium (`playwright install` is never needed). Screenshots go to var/screenshots/ at 1366×768.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sanchong.bootstrap import Container
from sanchong.catalog import load_statistics_file, shipped
from sanchong.demo import DEMO_TOKENS, seed, statistics_file
from sanchong.store.db import make_engine

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "var" / "screenshots"
CHROMIUM = os.environ.get("SANCHONG_CHROMIUM", "/usr/bin/chromium")
VIEWPORT = {"width": 1366, "height": 768}

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402


@dataclass(frozen=True)
class Site:
    url: str
    tokens: dict[str, str]  # role -> token; the user of each is demo-<role>
    database: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A fresh demo database (sanchong.demo.seed over examples/*.json) served on a free port."""
    folder = tmp_path_factory.mktemp("web")
    url = f"sqlite:///{folder / 'demo.sqlite3'}"
    stats = folder / "statistics.yaml"
    statistics_file(ROOT / "examples", stats)
    container = Container(make_engine(url), shipped().with_statistics(load_statistics_file(str(stats))))
    seed(container, ROOT / "examples")
    container.engine.dispose()
    port = _free_port()
    env = {**os.environ, "SANCHONG_DATABASE_URL": url, "SANCHONG_STATISTICS_FILE": str(stats)}
    log = (folder / "server.log").open("wb")
    cmd = [sys.executable, "-m", "uvicorn", "sanchong.api.main:app", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    server = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(base + "/health", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError((folder / "server.log").read_text()) from None
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not answer /health within 20 s")
        yield Site(base, dict(DEMO_TOKENS), url)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"chromium is required in CI and missing at {CHROMIUM} (make test installs Debian's chromium)")
        pytest.skip(f"no chromium at {CHROMIUM} (make test installs Debian's chromium)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--lang=zh-CN"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, site: Site) -> Iterator[Page]:
    """A fresh browser context (empty sessionStorage and localStorage) at 1366×768."""
    context = browser.new_context(viewport=VIEWPORT, base_url=site.url, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def shot(page: Page, name: str) -> Path:
    """Save a screenshot of the whole page to var/screenshots/<name>.png (for a reviewer)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Page, site: Site, role: str, then: str | None = None) -> None:
    """Sign in through the form as demo-<role>; then open the page `then` (e.g. 'settle.html') and wait until it is ready."""
    page.goto("/web/")
    page.locator("body[data-ready]").wait_for(state="attached")
    page.get_by_label("用户名").fill(f"demo-{role}")
    page.get_by_label("访问令牌").fill(site.tokens[role])
    page.get_by_label("访问令牌").press("Enter")
    page.locator("#whoami").wait_for()
    if then:
        page.goto(f"/web/{then}")
        page.locator("body[data-ready]").wait_for(state="attached")


def api_get(site: Site, path: str, role: str) -> tuple[int, Any]:
    """The API's answer (status, JSON body) outside the browser, to check what was or was not stored."""
    return _call(urllib.request.Request(site.url + path, headers={"Authorization": f"Bearer {site.tokens[role]}"}))


def api_post(site: Site, path: str, role: str, body: Any) -> tuple[int, Any]:
    """POST a JSON body outside the browser (to prepare what a test needs), the API's answer (status, JSON body)."""
    headers = {"Authorization": f"Bearer {site.tokens[role]}", "Content-Type": "application/json"}
    return _call(urllib.request.Request(site.url + path, data=json.dumps(body).encode(), headers=headers, method="POST"))


def _call(request: urllib.request.Request) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
