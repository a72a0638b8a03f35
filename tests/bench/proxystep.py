"""A date step in Chromium through nginx and straight to a replica: median milliseconds.

Usage (from the repo root, with ../shared beside it; nginx installed, see .ci/run):

    python3 tests/bench/proxystep.py [--steps 20] [--runs 3]

Starts ``deploy/serve --replicas 1`` on loopback and opens two pages in headless Debian Chromium,
one through nginx and one on the replica's own port, each in its own context. Each step presses
ArrowRight on the date slider and is timed until the slider shows the new date, the page's URL
holds it and the selected district's ledger shows it (``browserkit.step_date``; the page opens with
a district, since the script run writes the URL before the ledger); the two pages alternate, so
both see the same load. It also reads, in the page's own clock, when the URL was written (before
the main thread is free again for the next input). Prints and saves medians per run to
tests/bench/results/proxystep.json (not committed). The issue's target: median ≤ 150 ms through
nginx.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright import sync_api

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browserkit import CHROMIUM, CHROMIUM_ARGS, step_date  # noqa: E402
from tests.deploykit import running_stack  # noqa: E402

START = "date=2021-08-01&district=AF0912"  # with a ledger, which a step must update too
PAUSE = 0.3  # between steps, so one step's rendering does not overlap the next key press
# Records, in the page's clock, when Streamlit writes the URL (history.replaceState/pushState).
URL_PROBE = """() => {
  window.__cmUrlWrites = [];
  for (const name of ["replaceState", "pushState"]) {
    const original = history[name].bind(history);
    history[name] = (...args) => { window.__cmUrlWrites.push(performance.now()); return original(...args); };
  }
}"""


def open_page(browser: sync_api.Browser, base: str) -> sync_api.Page:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, service_workers="block")
    page = ctx.new_page()
    page.goto(f"{base}/?{START}")
    page.wait_for_selector('[data-testid="stSlider"]', timeout=60_000)
    page.wait_for_load_state("networkidle", timeout=90_000)  # a busy machine can take a while
    page.evaluate(URL_PROBE)
    return page


def step(page: sync_api.Page) -> tuple[float, float | None]:
    """One ArrowRight: (ms until slider and URL show the new date, ms until the URL was written)."""
    t_page = page.evaluate("performance.now()")
    total = step_date(page) * 1000
    writes = [w - t_page for w in page.evaluate("window.__cmUrlWrites.splice(0)") if w >= t_page]
    return total, (writes[-1] if writes else None)


def main() -> int:
    """Time ``--runs`` rounds of ``--steps`` steps on each page; print and save the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache-dir", type=Path, default=None, help="default $CONTROLMAP_CACHE_DIR or a temp folder")
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache_dir or Path(os.environ.get("CONTROLMAP_CACHE_DIR") or tmp)
        with running_stack(1, cache_dir=cache) as stack, sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for run in range(args.runs):
                pages = {"nginx": open_page(browser, stack.base), "direct": open_page(browser, stack.replicas[1].base)}
                times: dict[str, list[tuple[float, float | None]]] = {name: [] for name in pages}
                for _ in range(args.steps):
                    for name, page in pages.items():
                        times[name].append(step(page))
                        time.sleep(PAUSE)
                result = {"run": run + 1, "steps": args.steps}
                for name, samples in times.items():
                    written = [w for _, w in samples if w is not None]
                    result[name] = {
                        "median_ms": round(statistics.median(t for t, _ in samples), 1),
                        "url_written_median_ms": round(statistics.median(written), 1) if written else None,
                    }
                print(json.dumps(result), flush=True)
                runs.append(result)
                for page in pages.values():
                    page.context.close()
            browser.close()
    out = ROOT / "tests" / "bench" / "results" / "proxystep.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"runs": runs}, indent=2))
    medians = {name: statistics.median(r[name]["median_ms"] for r in runs) for name in ("nginx", "direct")}
    print("median of run medians (ms):", json.dumps(medians))
    return 0


if __name__ == "__main__":
    sys.exit(main())
