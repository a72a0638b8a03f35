"""Capacity without a browser: how many sessions can step the date through nginx, p95 ≤ 1 s?

Usage (from the repo root, with ../shared beside it; nginx installed, see .ci/run):

    python3 tests/bench/wsload.py [--replicas 1 2] [--sessions 10 20 30 40 50 60 80 100] [--seconds 20]

For each replica count it starts ``deploy/serve`` on loopback and, for each session count in
turn (stopping at the first that fails), opens that many headless sessions through nginx
(``deploy/stclient.py``: Streamlit's own protobuf messages over the websocket, with the
affinity cookie nginx sets). Each session steps the date slider once a second, as Play does
at normal speed (the next step waits for the previous one's answer if that is late), for
``--seconds``. A step is timed from sending the rerun to the server's ``script_finished``.
A count passes when the p95 step is at most 1 s with no error. It reports, per count, the
step times, errors, how the sessions spread over the replicas, and each replica's RSS and CPU
(from /proc). Everything is on loopback and bounded: at most ``--seconds`` plus a minute per
count. Twenty Chromium renderers saturate this 2-core machine long before the server does;
this client costs about a millisecond of CPU per step. Results go to
tests/bench/results/wsload.json (not committed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy.stclient import Session, first_cookie  # noqa: E402
from tests.bench.load import _cpu_seconds, _pct, _status_mb  # noqa: E402
from tests.deploykit import Stack, running_stack  # noqa: E402

P95_LIMIT_MS = 1000.0
STEP_INTERVAL = 1.0  # Play's normal speed
CONNECT_SPREAD = 2.0  # sessions arrive over this many seconds
GRACE = 60.0  # a run may overrun its seconds by this much before it is cancelled
START_DATES = ("2021-07-01", "2021-08-01", "2021-08-15", "2021-06-01")


@dataclass
class Load:
    """Everything one run measured."""

    steps_ms: list[float] = field(default_factory=list)
    open_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    routes: list[str] = field(default_factory=list)
    bytes_per_step: list[int] = field(default_factory=list)


async def _session(n: int, sessions: int, base: str, load: Load, deadline: float) -> None:
    await asyncio.sleep(CONNECT_SPREAD * n / sessions)
    try:
        cookie = await asyncio.to_thread(first_cookie, base)
        if cookie:
            load.routes.append(cookie.split("=", 1)[1])
        session = Session(base, cookie=cookie)
        t0 = time.monotonic()
        await session.open(f"date={START_DATES[n % len(START_DATES)]}")
        load.open_ms.append((time.monotonic() - t0) * 1000)
        try:
            while time.monotonic() < deadline:
                began = time.monotonic()
                result = await session.step_date()
                load.steps_ms.append(result.seconds * 1000)
                load.bytes_per_step.append(result.bytes)
                await asyncio.sleep(max(0.0, began + STEP_INTERVAL - time.monotonic()))
        finally:
            await session.close()
    except Exception as exc:  # noqa: BLE001 - every failure is an error of the run, counted and shown
        load.errors.append(f"session {n}: {type(exc).__name__}: {str(exc)[:200]}")


async def run_sessions(base: str, sessions: int, seconds: float) -> Load:
    """Drive ``sessions`` headless sessions through ``base`` for ``seconds``; return what happened."""
    load = Load()
    deadline = time.monotonic() + CONNECT_SPREAD + seconds
    tasks = [_session(n, sessions, base, load, deadline) for n in range(sessions)]
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=CONNECT_SPREAD + seconds + GRACE)
    except TimeoutError:
        load.errors.append(f"run cancelled after {CONNECT_SPREAD + seconds + GRACE:.0f} s")
    return load


def measure(stack: Stack, sessions: int, seconds: float) -> dict:
    """One run against a running stack, with each replica's CPU and memory over it."""
    pids = {n: r.pid for n, r in stack.replicas.items()}
    cpu0 = {n: _cpu_seconds(p) for n, p in pids.items()}
    wall0 = time.monotonic()
    load = asyncio.run(run_sessions(stack.base, sessions, seconds))
    wall = time.monotonic() - wall0
    spread: dict[str, int] = {}
    for route in load.routes:
        for replica in stack.replica_for(route) or {"?"}:
            spread[replica] = spread.get(replica, 0) + 1
    p95 = _pct(load.steps_ms, 0.95)
    return {
        "sessions": sessions,
        "seconds": seconds,
        "steps": len(load.steps_ms),
        "step_ms": {
            "median": round(statistics.median(load.steps_ms), 1) if load.steps_ms else None,
            "p95": p95,
            "max": _pct(load.steps_ms, 1.0),
        },
        "open_ms_median": round(statistics.median(load.open_ms), 1) if load.open_ms else None,
        "kb_per_step_median": round(statistics.median(load.bytes_per_step) / 1024, 1) if load.bytes_per_step else None,
        "errors": load.errors[:20],
        "error_count": len(load.errors),
        "sessions_per_replica": spread,
        "replicas": {
            str(n): {
                "cpu_cores": round((_cpu_seconds(p) - cpu0[n]) / wall, 2),
                "rss_mb": round(_status_mb(p, "VmRSS"), 1),
                "peak_rss_mb": round(_status_mb(p, "VmHWM"), 1),
            }
            for n, p in pids.items()
        },
        "passed": not load.errors and p95 is not None and p95 <= P95_LIMIT_MS,
    }


def main() -> int:
    """Run the ramp for each replica count; print and save the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 20, 30, 40, 50, 60, 80, 100])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--cache-dir", type=Path, default=None, help="default $CONTROLMAP_CACHE_DIR or a temp folder")
    args = parser.parse_args()
    results: dict[str, object] = {"p95_limit_ms": P95_LIMIT_MS, "step_interval_s": STEP_INTERVAL, "runs": {}}
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache_dir or Path(os.environ.get("CONTROLMAP_CACHE_DIR") or tmp)
        for replicas in args.replicas:
            runs = []
            with running_stack(replicas, cache_dir=cache) as stack:
                for sessions in args.sessions:
                    run = measure(stack, sessions, args.seconds)
                    print(json.dumps({"replicas": replicas, **run}), flush=True)
                    runs.append(run)
                    if not run["passed"]:
                        break
            passing = [r["sessions"] for r in runs if r["passed"]]
            results["runs"][str(replicas)] = {"max_sessions_passing": max(passing, default=0), "ramp": runs}
    out = ROOT / "tests" / "bench" / "results" / "wsload.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    summary = {k: v["max_sessions_passing"] for k, v in results["runs"].items()}
    print("sessions with p95 step <= 1 s and no error, by replicas:", json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
