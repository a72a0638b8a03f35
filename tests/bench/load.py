"""Load: many concurrent browser sessions scrub the slider and click districts on one server.

Usage (from the repo root, with ../shared beside it):

    python3 tests/bench/load.py [--sessions 20] [--seconds 30]

Starts the app on loopback, opens ``--sessions`` pages in headless Debian Chromium (one browser
context, so one Streamlit session, each), and has every session alternate for ``--seconds``
between a slider step (ArrowRight, or Home at the end) and a click on a district. It times each
action from input to the server's answer: for a step, the new date in the page's URL (which the
script run writes); for a click, that district's ledger on screen. It counts every error (page
errors, console errors, Streamlit exceptions, HTTP errors from the app, timed-out actions) and
samples the server's memory. The run is bounded: a session stops at the deadline (after at least
three rounds), and the whole run is cancelled after ``seconds + RUN_TIMEOUT``
seconds. tests/test_load.py runs it in CI.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import functools
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright import async_api

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browserkit import CHROMIUM, CHROMIUM_ARGS, running_app  # noqa: E402
from tests.paths import REPO  # noqa: E402

# Districts with evidence in Baghlan and Panjshir, near each other in the default view.
DISTRICTS = ("AF0912", "AF0908", "AF0907", "AF0801", "AF0803", "AF0805", "AF0901", "AF0101")
with (REPO / "data" / "claims.csv").open(encoding="utf-8", newline="") as _fh:
    END = max(row["date"] for row in csv.DictReader(_fh))  # the slider's last date
ACTION_TIMEOUT = 30.0
MIN_ROUNDS = 3  # every session scrubs and clicks at least this often, however slow its start
LOAD_TIMEOUT = 180.0
# The whole run's bound must cover what one session may take by its own timeouts: a slow first map,
# then MIN_ROUNDS rounds of a step and a click. It was seconds + 180, shorter than that, so on a
# busy 2-core machine (first maps take over a minute) a healthy run could be cancelled midway.
RUN_TIMEOUT = LOAD_TIMEOUT + MIN_ROUNDS * 2 * ACTION_TIMEOUT


@dataclass
class Stats:
    step_ms: list[float] = field(default_factory=list)
    click_ms: list[float] = field(default_factory=list)
    load_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _status_mb(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _wait(probe, timeout: float = ACTION_TIMEOUT, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not await probe():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no answer after {timeout:.0f} s: {what}")
        await asyncio.sleep(0.02)


async def _stepped(page: async_api.Page, slider: async_api.Locator, step_from: str) -> bool:
    now = await slider.get_attribute("aria-valuetext")
    return now != step_from and f"date={now}" in await page.evaluate("location.search")


async def _session(n: int, browser: async_api.Browser, base: str, stats: Stats, deadline: float) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, service_workers="block")
    own = base.split("//", 1)[1]

    async def offsite(route: async_api.Route) -> None:
        stats.errors.append(f"session {n}: off-host request {route.request.url}")
        await route.abort()

    await context.route(lambda url: own not in url.split("/")[2:3], offsite)
    page = await context.new_page()
    page.on("pageerror", lambda e: stats.errors.append(f"session {n}: page error {e}"))
    page.on(
        "console",
        lambda m: stats.errors.append(f"session {n}: console {m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on(
        "response",
        lambda r: stats.errors.append(f"session {n}: HTTP {r.status} {r.url}") if r.status >= 400 else None,
    )
    try:
        start = time.monotonic()
        await page.goto(f"{base}/?date=2021-08-19", timeout=LOAD_TIMEOUT * 1000)
        frame = None

        async def map_ready() -> bool:
            nonlocal frame
            for f in page.frames:
                try:
                    if len(await f.eval_on_selector("body", "b => b.dataset.codes || ''")) == 399:
                        frame = f
                        return True
                except async_api.Error:
                    continue
            return False

        await _wait(map_ready, LOAD_TIMEOUT, what="the map")
        stats.load_ms.append((time.monotonic() - start) * 1000)
        slider = page.get_by_role("slider", name="Date")
        i = n  # sessions start on different districts
        rounds = 0
        while rounds < MIN_ROUNDS or time.monotonic() < deadline:
            rounds += 1
            # A slider step, answered when the script run has written the new date to the URL.
            step_from = await slider.get_attribute("aria-valuetext")
            await slider.focus()
            t0 = time.monotonic()
            await page.keyboard.press("Home" if step_from == END else "ArrowRight")
            await _wait(functools.partial(_stepped, page, slider, step_from), what=f"a step from {step_from}")
            stats.step_ms.append((time.monotonic() - t0) * 1000)
            # A click on a district, answered when its ledger is on screen.
            pcode = DISTRICTS[i % len(DISTRICTS)]
            i += 1
            t0 = time.monotonic()
            await frame.locator(f'path[data-pcode="{pcode}"]').dispatch_event("click")
            await page.locator(f'div.cm-ledger[data-pcode="{pcode}"]').wait_for(timeout=ACTION_TIMEOUT * 1000)
            stats.click_ms.append((time.monotonic() - t0) * 1000)
            if await page.locator('[data-testid="stException"]').count():
                stats.errors.append(f"session {n}: Streamlit exception on screen")
                break
    except (TimeoutError, async_api.Error) as exc:
        stats.errors.append(f"session {n}: {type(exc).__name__}: {str(exc)[:200]}")
    finally:
        await context.close()


async def _sample_memory(pid: int, stats: Stats, stop: asyncio.Event) -> None:
    while not stop.is_set():
        stats.rss_mb.append(_status_mb(pid, "VmRSS"))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)


async def run_load(base: str, pid: int, *, sessions: int = 20, seconds: float = 30.0) -> dict:
    """Run the load and return a summary (times in ms, memory in MB, error messages)."""
    stats = Stats()
    stop = asyncio.Event()
    cpu0, wall0 = _cpu_seconds(pid), time.monotonic()
    async with async_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        sampler = asyncio.create_task(_sample_memory(pid, stats, stop))
        try:
            # Sessions arrive over two seconds; each scrubs and clicks until the common deadline.
            deadline = time.monotonic() + seconds

            async def staggered(n: int) -> None:
                await asyncio.sleep(2.0 * n / sessions)
                await _session(n, browser, base, stats, deadline)

            everyone = asyncio.gather(*(staggered(n) for n in range(sessions)))
            await asyncio.wait_for(everyone, timeout=seconds + RUN_TIMEOUT)
        finally:
            stop.set()
            await sampler
            await browser.close()
    cpu, wall = _cpu_seconds(pid) - cpu0, time.monotonic() - wall0
    summary = summarise(stats, sessions=sessions, seconds=seconds, peak_mb=_status_mb(pid, "VmHWM"))
    # How busy the server was: well under one core means the browsers, not the app, set the pace.
    summary["server_cpu"] = {"seconds": round(cpu, 1), "wall_seconds": round(wall, 1), "cores": round(cpu / wall, 2)}
    return summary


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def summarise(stats: Stats, *, sessions: int, seconds: float, peak_mb: float) -> dict:
    def times(values: list[float]) -> dict:
        median = round(statistics.median(values), 1) if values else None
        return {"n": len(values), "median": median, "p95": _pct(values, 0.95), "max": _pct(values, 1.0)}

    return {
        "sessions": sessions,
        "seconds": seconds,
        "first_map_ms": times(stats.load_ms),
        "step_ms": times(stats.step_ms),
        "click_ms": times(stats.click_ms),
        "errors": stats.errors,
        "server_rss_mb": {
            "start": round(stats.rss_mb[0], 1) if stats.rss_mb else None,
            "max_sampled": round(max(stats.rss_mb), 1) if stats.rss_mb else None,
            "peak_VmHWM": round(peak_mb, 1),
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, running_app(Path(tmp), REPO / "data") as app:
        result = asyncio.run(run_load(app.base, app.pid, sessions=args.sessions, seconds=args.seconds))
    print(json.dumps(result, indent=2))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
