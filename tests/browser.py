"""Find (or install) Debian's Chromium and drive it headless with Playwright, network off.

Playwright's own browser downloads are never used: we launch the system
Chromium (``executable_path``). If it is missing and we are root with
apt-get, it is installed once (bounded time, output to a log); only if that
fails are the browser tests skipped, with the reason.

Every page is opened with the network cut three ways: Chromium resolves no
host names and uses a dead proxy, and every request that is not ``file:``,
``data:`` or ``blob:`` is aborted and recorded, so a test can assert that
none was attempted.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
INSTALL_TIMEOUT = 600

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
    "--no-default-browser-check", "--metrics-recording-only", "--disable-dev-shm-usage",
    # no network even if something tries: no DNS, and a proxy that does not answer
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost", "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
]


class BrowserUnavailable(RuntimeError):
    """No Chromium could be found or installed; the message says why."""


def find_chromium() -> str | None:
    for c in (os.environ.get("KG_CHROMIUM"), *CANDIDATES, shutil.which("chromium")):
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return c
    return None


def ensure_chromium(log: Path) -> str:
    """The Chromium executable, installing Debian's package first if needed and possible."""
    found = find_chromium()
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise BrowserUnavailable("Chromium is not installed and we cannot install it (needs root and apt-get); "
                                 "run `apt-get install -y chromium` or set KG_CHROMIUM")
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    with log.open("a", encoding="utf-8") as out:
        for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
            try:
                rc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, env=env,
                                    timeout=INSTALL_TIMEOUT).returncode
            except subprocess.TimeoutExpired:
                raise BrowserUnavailable(f"`{' '.join(cmd)}` took over {INSTALL_TIMEOUT}s; see {log}") from None
            if rc != 0:
                raise BrowserUnavailable(f"`{' '.join(cmd)}` failed with status {rc}; see {log}")
    found = find_chromium()
    if not found:
        raise BrowserUnavailable(f"apt-get installed chromium but no executable was found; see {log}")
    return found


def launch(playwright, executable: str):
    """A headless Chromium with a fresh profile (Playwright makes a temporary user-data-dir)."""
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS,
                                      env={**os.environ, "HOME": tempfile.mkdtemp(prefix="kg-chromium-home-")})


@dataclass
class PageLog:
    """What a page did: console errors, uncaught exceptions, and requests that left the file."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def open_page(browser, url: str, *, viewport=(1400, 900), wait_ready: float = 60.0):
    """Open ``url`` offline; return (page, PageLog) once ``window.kg.ready`` (the layout settled)."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                  service_workers="block", offline=True)
    page = context.new_page()
    log = PageLog()

    def on_route(route):
        req_url = route.request.url
        if req_url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            log.blocked.append(req_url)
            route.abort("internetdisconnected")

    context.route("**/*", on_route)
    page.on("console", lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda err: log.page_errors.append(str(err)))
    page.on("request", lambda req: log.requests.append(req.url))
    page.goto(url, wait_until="load")
    if wait_ready:
        page.wait_for_function("() => window.kg && window.kg.ready === true", timeout=wait_ready * 1000)
    return page, log


def network_requests(log: PageLog, allowed: str) -> list[str]:
    """Every request other than the page itself and inline data."""
    return [u for u in log.requests if u != allowed and not u.startswith(("data:", "blob:", "about:"))]
