"""Benchmark: the published static site against the Streamlit app, in the same run (issue 24's target table).

Usage (from the repo root, with ../shared beside it; nginx, wrk and Debian's Chromium installed):

    python3 tests/bench/site.py                  # everything, about 10 minutes on 2 cores
    python3 tests/bench/site.py --skip-100k      # without the 100,000-claims case

It publishes data/ (``python -m geo publish --precompress``) and serves the folder with
deploy/site/serve.py (nginx on loopback), and starts the app behind its own nginx
(``deploy/serve --replicas 1``). Then, in headless Chromium, each in a fresh browser context:

- first visit: bytes on the wire (Chrome DevTools ``encodedDataLength``, headers included, plus
  websocket frames for the app) from opening the page until the map is styled and the network idle;
- first map: from ``page.goto`` until every district is styled (the site: ``<html data-ready>``
  and 399 paths with ``data-controller``; the app: the map frame's ``data-codes`` of 399);
- a date step: ArrowRight on the focused slider, from the key event until the new date is on
  every district (the site: ``<html data-date>`` changes, set after the last path; the app: the map
  frame's ``data-codes`` is written by its optimistic repaint), in the page's own clock; the site
  also "to the next frame", the app also until its slider and URL show the new date (the server's
  round trip, ``browserkit.step_date``);
- click → ledger (the site only): from a click on a district not opened before until
  ``<html data-ledger>`` names it (its ledger file is fetched on this first open);
- 100k claims over 10 years (tests/bench/engine.py's generator): publish time (without and with
  precompression), the site's first map through nginx, and the app's first map (direct);
- page loads per second: ``wrk`` on loopback fetching, in turn, every file of a first visit (with
  ``Accept-Encoding: br``), through the site's nginx; requests/s divided by files per visit.

Prints a table and saves tests/bench/results/site.json (not committed).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from playwright import sync_api

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("CONTROLMAP_BOUNDARIES_DIR", str(ROOT.parent / "shared" / "boundaries"))
os.environ.setdefault("CONTROLMAP_OFFLINE", "1")

from tests.bench import engine  # noqa: E402
from tests.browserkit import CHROMIUM, CHROMIUM_ARGS, N_DISTRICTS, map_frame, running_app, step_date  # noqa: E402
from tests.deploykit import running_stack  # noqa: E402
from tests.sitekit import publish, running_site  # noqa: E402

START_DATE = "2021-08-01"
VIEWPORT = {"width": 1400, "height": 1000}
SITE_STYLED = """n => document.documentElement.dataset.ready === '1'
  && document.querySelectorAll('[data-pcode][data-controller]').length >= n"""
APP_STYLED = f"() => (document.body.getAttribute('data-codes') || '').length === {N_DISTRICTS}"
# Site: the key event's time and, per data-date change, its time and the next frame's (page clock).
SITE_PROBE = """() => {
  const w = window; w.__cmKeys = []; w.__cmDates = [];
  document.addEventListener("keydown", e => w.__cmKeys.push(e.timeStamp), true);
  new MutationObserver(() => {
    const entry = {date: document.documentElement.dataset.date, dom: performance.now(), frame: null};
    w.__cmDates.push(entry);
    requestAnimationFrame(() => { entry.frame = performance.now(); });
  }).observe(document.documentElement, {attributes: true, attributeFilter: ["data-date"]});
  w.__cmLedgers = [];
  new MutationObserver(() => {
    w.__cmLedgers.push({ledger: document.documentElement.dataset.ledger || "", at: performance.now()});
  }).observe(document.documentElement, {attributes: true, attributeFilter: ["data-ledger"]});
}"""
# App: the same, in absolute milliseconds (the key in the page, the codes in the map's own frame).
APP_KEY_PROBE = """() => { window.__cmKeys = [];
  document.addEventListener("keydown", e => window.__cmKeys.push(performance.timeOrigin + e.timeStamp), true); }"""
APP_CODES_PROBE = """() => { window.__cmCodes = [];
  new MutationObserver(() => window.__cmCodes.push(performance.timeOrigin + performance.now()))
    .observe(document.body, {attributes: true, attributeFilter: ["data-codes"]}); }"""


# From the page's start: when the map is first styled, in absolute milliseconds (the site sets
# <html data-ready>). The app's map is in a component frame where this probe does not report, so
# the first map is compared by the wall clock (page.goto until styled) for both.
STYLED_PROBE = f"""(() => {{
  const seen = () => {{
    const ready = document.documentElement.dataset.ready === "1";
    const codes = document.body && (document.body.getAttribute("data-codes") || "").length === {N_DISTRICTS};
    if ((ready || codes) && !window.__cmStyledAt) {{
      window.__cmStyledAt = performance.timeOrigin + performance.now();
    }}
  }};
  // childList too: a body parsed with its codes already set never changes the attribute.
  new MutationObserver(seen).observe(document, {{attributes: true, childList: true, subtree: true,
    attributeFilter: ["data-ready", "data-codes"]}});
}})();"""


def styled_after_start(page: sync_api.Page, frame: sync_api.Frame) -> float:
    """Seconds from the page's navigation start until ``frame`` was first styled (the browser's clocks)."""
    start = page.evaluate("performance.timeOrigin")
    return (frame.evaluate("window.__cmStyledAt") - start) / 1000


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


class Wire:
    """Bytes on the wire seen by the DevTools protocol for one page, and the URLs it fetched."""

    def __init__(self, page: sync_api.Page) -> None:
        self.http = 0
        self.ws = 0
        self.urls: dict[str, str] = {}
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.requestWillBeSent", lambda e: self.urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.on("Network.webSocketFrameSent", self._frame)

    def _finished(self, event: dict) -> None:
        self.http += event["encodedDataLength"]

    def _frame(self, event: dict) -> None:
        self.ws += len(event["response"]["payloadData"])


def new_page(browser: sync_api.Browser) -> sync_api.Page:
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    context.add_init_script(STYLED_PROBE)
    return context.new_page()


def site_first_visit(browser: sync_api.Browser, base: str) -> dict:
    """Bytes, files and seconds of one cold first visit of the site, until the map is styled."""
    page = new_page(browser)
    wire = Wire(page)
    t0 = time.perf_counter()
    page.goto(f"{base}?date={START_DATE}")
    page.wait_for_function(SITE_STYLED, arg=N_DISTRICTS, timeout=120_000)
    wall = time.perf_counter() - t0
    page.wait_for_load_state("networkidle")
    files = sorted({urlsplit(u).path for u in wire.urls.values() if u.startswith(base)})
    first_map = styled_after_start(page, page.main_frame)
    result = {"first_map_page_s": first_map, "first_map_wall_s": wall, "bytes": wire.http, "files": files}
    page.context.close()
    return result


def app_first_visit(browser: sync_api.Browser, base: str) -> dict:
    """Bytes (HTTP and websocket) and seconds of one cold first visit of the app, until the map is styled."""
    page = new_page(browser)
    wire = Wire(page)
    t0 = time.perf_counter()
    page.goto(f"{base}/?date={START_DATE}")
    frame = map_frame(page, timeout=180)
    frame.wait_for_function(APP_STYLED, timeout=180_000)
    wall = time.perf_counter() - t0
    page.wait_for_load_state("networkidle", timeout=90_000)
    result = {"first_map_wall_s": wall, "bytes": wire.http + wire.ws}
    page.context.close()
    return result


def site_steps(browser: sync_api.Browser, base: str, steps: int, clicks: int) -> dict:
    """Date steps (key event → new date on every district) and clicks (→ ledger shown), page clock."""
    page = new_page(browser)
    page.goto(f"{base}?date={START_DATE}")
    page.wait_for_function(SITE_STYLED, arg=N_DISTRICTS, timeout=120_000)
    page.evaluate(SITE_PROBE)
    slider = page.locator("#cm-slider")
    slider.focus()
    dom, frame = [], []
    for _ in range(steps):
        before = page.evaluate("document.documentElement.dataset.date")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "d => document.documentElement.dataset.date !== d && window.__cmDates.length && "
            "window.__cmDates[window.__cmDates.length - 1].frame !== null",
            arg=before,
        )
        key = page.evaluate("window.__cmKeys.splice(0).pop()")
        entry = page.evaluate("window.__cmDates.splice(0).pop()")
        dom.append(entry["dom"] - key)
        frame.append(entry["frame"] - key)
    pcodes = page.evaluate("[...document.querySelectorAll('[data-pcode]')].map(e => e.dataset.pcode)")
    ledger = []
    for pcode in pcodes[:: max(1, len(pcodes) // clicks)][:clicks]:
        t_click = page.evaluate(
            """p => { const el = document.querySelector(`[data-pcode="${p}"]`); const t = performance.now();
                el.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true, view: window}));
                return t; }""",
            pcode,
        )
        page.wait_for_function("p => (document.documentElement.dataset.ledger || '').startsWith(p + '@')", arg=pcode)
        shown = page.evaluate(f"window.__cmLedgers.filter(e => e.ledger.startsWith('{pcode}@')).pop().at")
        ledger.append(shown - t_click)
    page.context.close()
    return {"step_dom_ms": median(dom), "step_frame_ms": median(frame), "click_ledger_ms": median(ledger)}


def app_steps(browser: sync_api.Browser, base: str, steps: int) -> dict:
    """Date steps in the app: key event → the map frame's district codes written (absolute clocks)."""
    page = new_page(browser)
    page.goto(f"{base}/?date={START_DATE}")
    frame = map_frame(page, timeout=180)
    frame.wait_for_function(APP_STYLED, timeout=180_000)
    page.wait_for_load_state("networkidle", timeout=90_000)
    page.evaluate(APP_KEY_PROBE)
    frame.evaluate(APP_CODES_PROBE)
    slider = page.get_by_role("slider", name="Date")
    times = []
    for _ in range(steps):
        slider.focus()
        page.evaluate("window.__cmKeys.length = 0")
        page.keyboard.press("ArrowRight")
        key = page.evaluate("window.__cmKeys[0]")  # the listener ran during the press
        frame.wait_for_function("k => window.__cmCodes.some(w => w > k)", arg=key, timeout=30_000)
        written = frame.evaluate("k => window.__cmCodes.splice(0).filter(w => w > k)", key)
        times.append(written[0] - key)
        page.wait_for_load_state("networkidle", timeout=30_000)  # the run finished before the next key
    # The map above repaints at once from the change points in its frame (the optimistic repaint);
    # the slider's caption and the URL follow when the server's script run returns.
    round_trip = [step_date(page) * 1000 for _ in range(steps)]
    page.context.close()
    return {"step_ms": median(times), "step_url_ms": median(round_trip)}


def wrk_loads(base: str, files: list[str], seconds: int, connections: int, tmp: Path) -> dict:
    """Page loads per second: wrk fetching every file of a first visit in turn, brotli accepted."""
    script = tmp / "visit.lua"
    listed = ", ".join(json.dumps(f) for f in files)
    script.write_text(
        f"local paths = {{{listed}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i], {["Accept-Encoding"] = "br, gzip"})\nend\n'
    )
    done = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script), base],
        capture_output=True,
        text=True,
        check=True,
    )
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))
    transfer = re.search(r"Transfer/sec:\s+([\d.]+\w+)", done.stdout).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    return {
        "requests_per_s": rps,
        "files_per_visit": len(files),
        "page_loads_per_s": round(rps / len(files), 1),
        "transfer_per_s": transfer,
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def app_first_map_100k(browser: sync_api.Browser, data: Path, tmp: Path) -> float:
    """The app's first map on ``data`` (one replica, direct, as tests/bench/engine.py --browser measures it)."""
    tmp.mkdir(parents=True, exist_ok=True)
    with running_app(tmp, data) as app:
        return app_first_visit(browser, app.base)["first_map_wall_s"]


def case_100k(browser: sync_api.Browser, work: Path, cache: Path, runs: int) -> dict:
    """The 100,000 claims over 10 years: publish times, the site's first map, the app's first map."""
    data = work / "100k-10y"
    if not (data / "claims.csv").is_file():
        engine.generate(data, 100_000, 3652, False)
    out = work / "site-100k"
    plain = publish(out, cache, data_dir=data)
    compressed = publish(out, cache, "--precompress", data_dir=data)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file() and p.suffix not in (".br", ".gz"))
    with running_site(out) as base:
        visits = [site_first_visit(browser, base) for _ in range(runs)]
    print(
        json.dumps({"100k_publish_s": plain, "with_precompress_s": compressed, "site_first_visits": visits}), flush=True
    )
    app_first = app_first_map_100k(browser, data, work / "app-100k")
    return {
        "publish_s": round(plain, 1),
        "publish_precompressed_s": round(compressed, 1),
        "site_mb": round(size / 1e6, 1),
        "site_first_map_s": round(statistics.median(v["first_map_wall_s"] for v in visits), 2),
        "site_first_map_page_s": round(statistics.median(v["first_map_page_s"] for v in visits), 2),
        "site_first_visit_kb": round(statistics.median(v["bytes"] for v in visits) / 1024),
        "app_first_map_s": round(app_first, 2),
    }


def table(r: dict) -> str:
    site, app, big = r.get("site"), r.get("app"), r.get("100k")
    rows = [] if site is None else [
        ("first visit, bytes on the wire through nginx", "≤ 300 KB",
         f"{site['first_visit_kb']} KB ({site['files_per_visit']} files)", f"{app['first_visit_kb']} KB"),
        ("first map, page open until every district is styled", "≤ 1.0 s",
         f"{site['first_map_wall_s']} s (page clock {site['first_map_page_s']} s)", f"{app['first_map_wall_s']} s"),
        ("a date step, key press until every district shows the new date", "≤ 16 ms median",
         f"{site['step_dom_ms']} ms (next frame {site['step_frame_ms']} ms)",
         f"{app['step_ms']} ms (map; slider and URL: {app['step_url_ms']} ms)"),
        ("a district click until its ledger shows", "≤ 150 ms", f"{site['click_ledger_ms']} ms", "—"),
    ]  # fmt: skip
    if big:
        rows.append(
            ("100k claims over 10 years: publish time", "≤ 60 s",
             f"{big['publish_s']} s ({big['publish_precompressed_s']} s with .br/.gz; {big['site_mb']} MB)", "—")
        )  # fmt: skip
        rows.append(
            ("100k claims over 10 years: first map", "≤ 2 s",
             f"{big['site_first_map_s']} s (page clock {big['site_first_map_page_s']} s; "
             f"{big['site_first_visit_kb']} KB)",
             f"{big['app_first_map_s']} s (direct, no nginx)")
        )  # fmt: skip
    w = r.get("wrk")
    rows += [] if w is None else [
        ("page loads per second through nginx on loopback (wrk)", "report",
         f"{w['page_loads_per_s']}/s ({w['requests_per_s']:.0f} requests/s, {w['transfer_per_s']}/s, "
         f"{w['connections']} connections)", "40–80 concurrent readers (wsload)")
    ]  # fmt: skip
    lines = ["| measure | target | site | app |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


def main() -> int:
    """Run every measure, print the table, save the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold first visits per page (median)")
    parser.add_argument("--steps", type=int, default=20, help="date steps (median)")
    parser.add_argument("--clicks", type=int, default=10, help="district clicks (median)")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--skip-100k", action="store_true")
    parser.add_argument("--only-100k", action="store_true", help="only the 100,000-claims case")
    parser.add_argument("--work", type=Path, help="folder for the sites and the generated data (default: temp)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="controlmap-site-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    cache = Path(os.environ.get("CONTROLMAP_CACHE_DIR") or work / "cache")
    os.environ["CONTROLMAP_CACHE_DIR"] = str(cache)
    result: dict = {}
    site_dir = work / "site"
    if not args.only_100k:
        result["publish_real_s"] = round(publish(site_dir, cache, "--precompress"), 1)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        if not args.only_100k:
            with running_site(site_dir) as base:
                visits = [site_first_visit(browser, base) for _ in range(args.runs)]
                site = {
                    "first_visit_kb": round(statistics.median(v["bytes"] for v in visits) / 1024),
                    "first_map_page_s": round(statistics.median(v["first_map_page_s"] for v in visits), 2),
                    "first_map_wall_s": round(statistics.median(v["first_map_wall_s"] for v in visits), 2),
                    "files_per_visit": len(visits[0]["files"]),
                    **site_steps(browser, base, args.steps, args.clicks),
                }
                result["wrk"] = {
                    **wrk_loads(base, visits[0]["files"], args.wrk_seconds, args.connections, work),
                    "connections": args.connections,
                }
            result["site"] = site
            print(json.dumps({"site": site, "wrk": result["wrk"]}), flush=True)
            with running_stack(1, cache_dir=cache) as stack:
                visits = [app_first_visit(browser, stack.base) for _ in range(args.runs)]
                result["app"] = {
                    "first_visit_kb": round(statistics.median(v["bytes"] for v in visits) / 1024),
                    "first_map_wall_s": round(statistics.median(v["first_map_wall_s"] for v in visits), 2),
                    **app_steps(browser, stack.base, args.steps),
                }
            print(json.dumps({"app": result["app"]}), flush=True)
        if not args.skip_100k:
            result["100k"] = case_100k(browser, work, cache, args.runs)
            print(json.dumps({"100k": result["100k"]}), flush=True)
        browser.close()
    out = ROOT / "tests" / "bench" / "results" / "site.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(table(result))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
