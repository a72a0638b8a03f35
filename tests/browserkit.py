"""Shared real-browser machinery: run the app, drive Debian's Chromium, wait for things.

The fixtures here (``browser``, ``offsite``, ``context``, ``page``) are registered through
conftest.py; a test module supplies its own module-scoped ``server`` fixture (see ``running_app``).
Nothing may leave the machine: any request that is not for the app's own origin is answered by a
local stub and recorded, so tests can assert on it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright import sync_api  # a missing package fails the run; it never skips

from tests.paths import REPO, shared_boundaries

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
N_DISTRICTS = 399
PATHS = "path.leaflet-interactive"
SLIDER = '[data-testid="stSlider"]'
STARTUP_TIMEOUT = 60.0
T = TypeVar("T")

# Wraps the dialog functions in every frame so that a call is logged even where a sandbox
# would swallow the dialog itself.
PROBE = """
for (const name of ["alert", "confirm", "prompt", "print"]) {
  const original = window[name];
  window[name] = function (...args) {
    console.error("XSS-PROBE " + name + " " + args.join(" "));
    return original && original.apply(this, args);
  };
}
"""


# ---------------------------------------------------------------------------------------------
# helpers


def wait_for(probe: Callable[[], T], ok: Callable[[T], bool], *, timeout: float, what: str) -> T:
    """Poll ``probe`` until ``ok(value)``; fail with the last value seen after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last: object = "<never probed>"
    while True:
        try:
            value = probe()
        except sync_api.Error as exc:  # e.g. a frame detached mid-probe
            last = f"error: {exc}"
        else:
            if ok(value):
                return value
            last = value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}; last value: {last!r}")
        time.sleep(0.1)


def paths_in(frame: sync_api.Frame) -> int:
    try:
        return frame.locator(PATHS).count()
    except sync_api.Error:
        return 0


def map_frame(page: sync_api.Page, timeout: float = STARTUP_TIMEOUT) -> sync_api.Frame:
    """Return the frame holding the Leaflet map (the one with more than 100 district paths)."""

    def find() -> sync_api.Frame | None:
        return next((f for f in page.frames if paths_in(f) > 100), None)

    return wait_for(find, lambda f: f is not None, timeout=timeout, what="the map frame with >100 district paths")


def fill_of(frame: sync_api.Frame, pcode: str) -> str | None:
    return frame.locator(f'path[data-pcode="{pcode}"]').get_attribute("fill")


def wait_for_fill(frame: sync_api.Frame, pcode: str, colour: str, timeout: float = 15.0) -> None:
    wait_for(lambda: fill_of(frame, pcode), lambda v: v == colour, timeout=timeout, what=f"{pcode} filled {colour}")


def slider_text(page: sync_api.Page) -> str:
    return page.locator(f'{SLIDER} [data-testid="stSliderThumbValue"]').first.inner_text().strip()


def step_date(page: sync_api.Page, timeout: float = 20.0) -> float:
    """Press ArrowRight on the date slider; seconds until the slider, the URL and the ledger show the new date.

    The ledger counts only when a district's ledger is on the page (English): the app writes the
    URL early in its script run, so the URL alone would not say that the reader's view has followed.
    """
    slider = page.get_by_role("slider", name="Date")
    before = slider.get_attribute("aria-valuetext")
    ledger = page.locator(".cm-ledger:not([dir='rtl']) .status")
    slider.focus()
    t0 = time.monotonic()
    page.keyboard.press("ArrowRight")

    def shown() -> tuple:
        status = ledger.first.inner_text() if ledger.count() else None
        return slider.get_attribute("aria-valuetext"), page.evaluate("location.search"), status

    wait_for(
        shown,
        lambda v: v[0] != before and f"date={v[0]}" in v[1] and (v[2] is None or v[0] in v[2]),
        timeout=timeout,
        what=f"a step from {before}",
    )
    return time.monotonic() - t0


def wait_script_idle(page: sync_api.Page, timeout: float = 20.0) -> None:
    """Wait until Streamlit is connected and the script run has finished."""
    app = page.locator('[data-testid="stApp"]')
    wait_for(
        lambda: (app.get_attribute("data-test-connection-state"), app.get_attribute("data-test-script-state")),
        lambda v: v == ("CONNECTED", "notRunning"),
        timeout=timeout,
        what="the script run to finish",
    )


def href(page: sync_api.Page) -> str:
    """The address bar as the browser has it now (``page.url`` only updates as events are pumped)."""
    return page.evaluate("() => location.href")


def query(page: sync_api.Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href(page)).query)


# ---------------------------------------------------------------------------------------------
# fixtures


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(base: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    try:
        with opener.open(f"{base}/_stcore/health", timeout=2) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except OSError:
        return False


@dataclass(frozen=True)
class App:
    """A running app: its base URL, its process id and its log file."""

    base: str
    pid: int
    log: Path


@contextlib.contextmanager
def running_app(tmp: Path, data_dir: Path, *, cwd: Path = REPO, **env_extra: str) -> Iterator[App]:
    """Run ``streamlit run app.py`` (of the tree ``cwd``) on a free port with ``data_dir``; yield it, then stop it."""
    port = _free_port()
    env = {
        **os.environ,
        "CONTROLMAP_BOUNDARIES_DIR": str(shared_boundaries()),
        "CONTROLMAP_OFFLINE": "1",
        "CONTROLMAP_CACHE_DIR": str(tmp / "cache"),
        "CONTROLMAP_DATA_DIR": str(data_dir),
        **env_extra,
    }
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    cmd += ["--server.address", "127.0.0.1", "--server.port", str(port)]
    cmd += ["--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    log = tmp / "server.log"
    with log.open("wb") as out:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not _healthy(base):
            if proc.poll() is not None or time.monotonic() > deadline:
                text = log.read_text(encoding="utf-8", errors="replace")
                pytest.fail(f"streamlit did not become healthy (exit code {proc.poll()}); log:\n{text}")
            time.sleep(0.25)
        yield App(base, proc.pid, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is not installed (apt-get install chromium); playwright never downloads one")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Offsite:
    """Answers every request that is not for the app with a local stub, and remembers it."""

    def __init__(self, base: str) -> None:
        self.netloc = urlsplit(base).netloc
        self.requests: list[sync_api.Request] = []

    def is_offsite(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != self.netloc

    def handle(self, route: sync_api.Route) -> None:
        self.requests.append(route.request)
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>offline stub</title>")


@pytest.fixture
def offsite(server: str) -> Offsite:
    return Offsite(server)


@pytest.fixture
def context(browser: sync_api.Browser, offsite: Offsite) -> Iterator[sync_api.BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, service_workers="block")
    ctx.set_default_timeout(20_000)
    ctx.route(offsite.is_offsite, offsite.handle)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: sync_api.BrowserContext) -> sync_api.Page:
    return context.new_page()


class Witness:
    """Everything a running script could leave behind: dialogs, console lines, page errors."""

    def __init__(self, page: sync_api.Page) -> None:
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _dialog(self, dialog: sync_api.Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def probes(self) -> list[str]:
        return [line for line in self.console if "XSS-PROBE" in line]
