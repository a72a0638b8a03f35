"""Benchmark: the first map for the first visitor after a server start, and for later visitors.

Usage (from the repo root, with ../shared beside it):

    python3 tests/bench/firstmap.py [--rounds 3] [--visits 3] [--baseline REV]

Each round starts a fresh ``streamlit run app.py`` on loopback (the boundary cache already built,
as after a restart) and opens the page ``--visits`` times in headless Debian Chromium, each visit
in a new browser context (an empty browser cache, as a new reader). A visit is timed from
``page.goto`` until the map's frame has applied every district's code (``data-codes`` holds 399
characters). The first visit of a round is "the first visitor after the server starts"; the
others are "later visitors". With ``--baseline`` each round also runs the same on another git
revision (checked out into a temporary worktree), alternating, so both see the same load.
Prints medians and writes tests/bench/results/firstmap.json (not committed).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright import sync_api

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.browserkit import CHROMIUM, CHROMIUM_ARGS, N_DISTRICTS, running_app  # noqa: E402

CODES_SET = f"(document.body && document.body.getAttribute('data-codes') || '').length === {N_DISTRICTS}"


def first_map(browser: sync_api.Browser, url: str, timeout: float = 120.0) -> float:
    """Seconds from opening ``url`` in a new context until the map shows every district's code."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, service_workers="block")
    try:
        page = ctx.new_page()
        t0 = time.perf_counter()
        page.goto(url)
        while time.perf_counter() - t0 < timeout:
            for frame in page.frames:
                try:
                    if frame.evaluate(CODES_SET):
                        return time.perf_counter() - t0
                except sync_api.Error:  # a frame detached or not ready yet
                    pass
            page.wait_for_timeout(20)
        raise SystemExit(f"no map with {N_DISTRICTS} codes within {timeout:.0f} s at {url}")
    finally:
        ctx.close()


def one_round(browser: sync_api.Browser, tree: Path, cache: Path, visits: int) -> list[float]:
    """Start the app of ``tree`` afresh and time ``visits`` visitors one after another."""
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_app(Path(tmp), tree / "data", cwd=tree, CONTROLMAP_CACHE_DIR=str(cache)) as app,
    ):
        return [first_map(browser, f"{app.base}/") for _ in range(visits)]


def main() -> int:
    """Run the rounds; print and save the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--visits", type=int, default=3)
    parser.add_argument("--baseline", help="a git revision to time in the same run, alternating")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="controlmap-firstmap-"))
    trees = {"this": REPO}
    if args.baseline:
        base = root / "baseline-tree"
        subprocess.run(["git", "worktree", "add", "-f", "--detach", str(base), args.baseline], cwd=REPO, check=True)
        trees[args.baseline] = base
    results: dict[str, list[list[float]]] = {name: [] for name in trees}
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, tree in trees.items():  # build each tree's boundary cache once, untimed
                one_round(browser, tree, root / f"cache-{name}", 1)
            for number in range(args.rounds):
                for name, tree in trees.items():
                    times = one_round(browser, tree, root / f"cache-{name}", args.visits)
                    results[name].append(times)
                    print(f"round {number + 1} {name}: " + ", ".join(f"{t:.2f}" for t in times), flush=True)
        finally:
            browser.close()
            if args.baseline:
                subprocess.run(
                    ["git", "worktree", "remove", "--force", str(trees[args.baseline])], cwd=REPO, check=False
                )
    later = args.visits > 1
    summary = {
        name: {
            "first_visitor_s": round(statistics.median(r[0] for r in rounds), 2),
            "later_visitors_s": round(statistics.median(t for r in rounds for t in r[1:]), 2) if later else None,
        }
        for name, rounds in results.items()
    }
    print("medians:", json.dumps(summary))
    out = REPO / "tests" / "bench" / "results" / "firstmap.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"summary": summary, "rounds": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
