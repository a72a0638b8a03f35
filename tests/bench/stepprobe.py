"""A date step in the page's own clock: key press to slider label, map repaint, render message, URL.

Usage (an app already running; from the repo root):

    python3 tests/bench/stepprobe.py "http://127.0.0.1:8501/?date=2021-08-08" [STEPS] [TRACE.json]

Opens the page in headless Debian Chromium, waits for the map, then presses ArrowRight on the date
slider STEPS times (default 12). Probes in the page and in the map's frame record, in absolute page
time, the ``keydown``, the slider's ``aria-valuetext`` change, the first change of a district's
``fill`` (the optimistic repaint), the frame's first ``streamlit:render`` message and the URL write.
Prints each step's offsets from the key press and their medians. With TRACE.json it also records
a Chrome trace of the steps (``Tracing`` over CDP) for the main thread's tasks. Unlike
``../shared/bench/scrub_latency.py`` it does not wait on the main thread to read the time.
"""

import json
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.browserkit import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

URL = sys.argv[1]
STEPS = int(sys.argv[2]) if len(sys.argv) > 2 else 12
TRACE = sys.argv[3] if len(sys.argv) > 3 else None

PARENT = """() => {
  const now = () => performance.timeOrigin + performance.now();
  window.__t = {key: [], aria: [], url: []};
  window.addEventListener('keydown', () => window.__t.key.push(now()), true);
  const input = document.querySelector('[data-testid="stSlider"] input[type="range"]');
  new MutationObserver(() => window.__t.aria.push(now()))
    .observe(input, {attributes: true, attributeFilter: ['aria-valuetext']});
  for (const name of ['replaceState', 'pushState']) {
    const orig = history[name].bind(history);
    history[name] = (...a) => { window.__t.url.push(now()); return orig(...a); };
  }
}"""
FRAME = """() => {
  const now = () => performance.timeOrigin + performance.now();
  window.__t = {fill: [], render: []};
  const svg = document.querySelector('.leaflet-overlay-pane svg');
  new MutationObserver(() => window.__t.fill.push(now()))
    .observe(svg, {attributes: true, subtree: true, attributeFilter: ['fill']});
  window.addEventListener('message', (e) => {
    if (e.data && e.data.type === 'streamlit:render') window.__t.render.push(now());
  });
}"""


def map_frame(page):
    for f in page.frames:
        try:
            if f.evaluate("document.querySelectorAll('path.leaflet-interactive').length") > 100:
                return f
        except PlaywrightError:  # a frame detached or not ready yet
            pass
    return None


with sync_playwright() as pw:
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    t0 = time.perf_counter()
    page.goto(URL)
    frame = None
    while frame is None:
        frame = map_frame(page)
        page.wait_for_timeout(20)
    frame.wait_for_function("(document.body.getAttribute('data-codes')||'').length === 399")
    print("first map s", round(time.perf_counter() - t0, 2))
    page.wait_for_timeout(2500)
    page.evaluate(PARENT)
    frame.evaluate(FRAME)
    slider = page.locator('[data-testid="stSlider"] input[type="range"]').first
    slider.focus()
    cdp = None
    if TRACE:
        cdp = page.context.new_cdp_session(page)
        cdp.send(
            "Tracing.start",
            {
                "categories": "devtools.timeline,v8.execute,disabled-by-default-devtools.timeline",
                "transferMode": "ReturnAsStream",
            },
        )
    rows = []
    for i in range(STEPS):
        page.evaluate("Object.values(window.__t).forEach(a => a.length = 0)")
        frame.evaluate("Object.values(window.__t).forEach(a => a.length = 0)")
        before = page.evaluate("location.search")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"location.search !== {json.dumps(before)}", timeout=20000)
        page.wait_for_timeout(500)
        p = page.evaluate("window.__t")
        f = frame.evaluate("window.__t")
        k = p["key"][0]
        row = {
            "aria": p["aria"][0] - k if p["aria"] else None,
            "fill1": f["fill"][0] - k if f["fill"] else None,
            "render": f["render"][0] - k if f["render"] else None,
            "fill_last": f["fill"][-1] - k if f["fill"] else None,
            "url": p["url"][-1] - k if p["url"] else None,
        }
        rows.append(row)
        print(i, {a: (round(b) if b is not None else None) for a, b in row.items()}, flush=True)
    if TRACE:
        done = {}
        cdp.on("Tracing.tracingComplete", lambda e: done.update(e))
        cdp.send("Tracing.end")
        while not done:
            page.wait_for_timeout(100)
        handle = done["stream"]
        chunks = []
        while True:
            r = cdp.send("IO.read", {"handle": handle})
            chunks.append(r["data"])
            if r.get("eof"):
                break
        Path(TRACE).write_text("".join(chunks))
    for key in rows[0]:
        vals = [r[key] for r in rows if r[key] is not None]
        if vals:
            print(key, "median ms", round(statistics.median(vals), 1), "n", len(vals))
    browser.close()
