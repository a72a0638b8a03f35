"""Benchmark: this app against the naive peer, in one run, in headless Debian Chromium.

Usage (from the repo root, with ../shared beside it):

    python3 tests/bench/run_bench.py [--runs 3] [--steps 12]

For each app it starts a Streamlit server on loopback and, per run, calls
``../shared/bench/scrub_latency.py`` (key press -> repainted district fills). For this app it also
measures, with the Chrome DevTools protocol, the bytes transferred for the first page load and the
websocket bytes per slider step, and reads the server's peak RSS (VmHWM). Prints medians and the
speed-up, and writes ``tests/bench/results/latest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.browserkit import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

FLAGS = CHROMIUM_ARGS

SHARED = REPO.parent / "shared"
HARNESS = SHARED / "bench" / "scrub_latency.py"
PEER = SHARED / "bench" / "peer_naive_app.py"
BOUNDARIES = Path(os.environ.get("CONTROLMAP_BOUNDARIES_DIR", SHARED / "boundaries"))
START_DATE = "2021-08-15"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(script: Path, cwd: Path, env: dict[str, str], log: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true"]
    cmd += ["--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    cmd += ["--server.fileWatcherType", "none", "--server.enableStaticServing", "true"]
    proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **env}, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return proc, port
        except OSError:
            time.sleep(0.3)
    proc.kill()
    sys.exit(f"{script} did not start; see {log}")


def peak_rss_mb(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", text).group(1)) / 1024


def scrub(url: str, steps: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, str(HARNESS), url, str(steps)], capture_output=True, text=True, timeout=900
    ).stdout
    median = re.search(r"scrub median ms (\d+)", out)
    paint = re.search(r"first map paint s ([\d.]+)", out)
    if not median or not paint:
        sys.exit(f"harness output not understood:\n{out}")
    return {"scrub_median_ms": float(median.group(1)), "first_paint_s": float(paint.group(1))}


def transfer(url: str, steps: int) -> dict[str, float]:
    """Bytes on the wire for the first load, and websocket bytes per slider step."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        totals = {"http": 0, "ws_in": 0, "ws_out": 0}
        cdp.on("Network.loadingFinished", lambda e: totals.__setitem__("http", totals["http"] + e["encodedDataLength"]))
        cdp.on(
            "Network.webSocketFrameReceived",
            lambda e: totals.__setitem__("ws_in", totals["ws_in"] + len(e["response"]["payloadData"])),
        )
        cdp.on(
            "Network.webSocketFrameSent",
            lambda e: totals.__setitem__("ws_out", totals["ws_out"] + len(e["response"]["payloadData"])),
        )
        page.goto(url)
        deadline = time.time() + 60
        while time.time() < deadline and not any(
            f.evaluate("document.querySelectorAll('path.leaflet-interactive').length") >= 399
            for f in page.frames
            if not f.is_detached()
        ):
            page.wait_for_timeout(50)
        page.wait_for_timeout(3000)
        first_load = totals["http"] + totals["ws_in"]
        before = totals["ws_in"] + totals["ws_out"] + totals["http"]
        page.get_by_role("slider", name="Date").focus()
        for _ in range(steps):
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(700)
        per_step = (totals["ws_in"] + totals["ws_out"] + totals["http"] - before) / steps
        browser.close()
    return {"first_load_kb": first_load / 1024, "per_step_kb": per_step / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--steps", type=int, default=12)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="controlmap-bench-"))
    shutil.copy(PEER, scratch / "peer_naive_app.py")
    ours_env = {
        "CONTROLMAP_BOUNDARIES_DIR": str(BOUNDARIES),
        "CONTROLMAP_CACHE_DIR": str(scratch / "cache"),
        "CONTROLMAP_OFFLINE": "1",
    }
    peer_env = {"AFG_ADM2_ZIP": str(BOUNDARIES / "afg_admbnda_adm2_agcho_20180522.zip")}
    ours, ours_port = start(REPO / "app.py", REPO, ours_env, scratch / "ours.log")
    peer, peer_port = start(scratch / "peer_naive_app.py", scratch, peer_env, scratch / "peer.log")
    results: dict[str, list[dict[str, float]]] = {"ours": [], "peer": []}
    try:
        for run in range(args.runs):
            for name, port in (("ours", ours_port), ("peer", peer_port)):
                got = scrub(f"http://127.0.0.1:{port}/?date={START_DATE}", args.steps)
                results[name].append(got)
                print(f"run {run + 1} {name}: {got}", flush=True)
        wire = transfer(f"http://127.0.0.1:{ours_port}/?date={START_DATE}", args.steps)
        rss = {"ours": peak_rss_mb(ours.pid), "peer": peak_rss_mb(peer.pid)}
    finally:
        for proc in (ours, peer):
            proc.terminate()
            proc.wait(timeout=20)

    def med(name: str, key: str) -> float:
        return statistics.median(r[key] for r in results[name])

    summary = {
        "scrub_median_ms": {n: med(n, "scrub_median_ms") for n in results},
        "first_paint_s": {n: med(n, "first_paint_s") for n in results},
        "speedup": med("peer", "scrub_median_ms") / med("ours", "scrub_median_ms"),
        "first_load_kb_ours": round(wire["first_load_kb"]),
        "per_step_kb_ours": round(wire["per_step_kb"], 1),
        "peak_rss_mb": {n: round(v) for n, v in rss.items()},
        "runs": args.runs,
        "steps": args.steps,
    }
    out = REPO / "tests" / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps({"summary": summary, "runs": results}, indent=2))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
