"""Load: concurrent Chromium sessions scrub and click on one server; 0 errors, bounded memory.

The run itself is tests/bench/load.py (also runnable on its own, with 20 sessions); here it is
shorter and its summary is printed into the test log. CI runs 6 sessions: on a 2-core machine
with one core busy elsewhere, 20 Chromium renderers take over two minutes to show their first map
and Streamlit's frontend gives up waiting for the map component (its own timeout, logged as a
console error). That measures the browsers, not the app; the headless client in
tests/bench/wsload.py measures the server's capacity.
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.bench import load
from tests.browserkit import running_app
from tests.paths import REPO

SESSIONS = 6
SECONDS = 15.0


@pytest.mark.browser
def test_concurrent_sessions_scrub_and_click_without_errors(tmp_path, capsys):
    # Playwright's async API gets a thread of its own, away from any sync playwright loop.
    with running_app(tmp_path, REPO / "data") as app, ThreadPoolExecutor(1) as pool:
        job = pool.submit(asyncio.run, load.run_load(app.base, app.pid, sessions=SESSIONS, seconds=SECONDS))
        result = job.result(timeout=SECONDS + load.RUN_TIMEOUT + 120)
    with capsys.disabled():
        print("\nload:", json.dumps(result))
    assert result["errors"] == []
    assert result["first_map_ms"]["n"] == SESSIONS
    assert result["step_ms"]["n"] >= SESSIONS * load.MIN_ROUNDS
    assert result["click_ms"]["n"] >= SESSIONS * load.MIN_ROUNDS
    assert result["server_rss_mb"]["peak_VmHWM"] < 690  # Community Cloud's limit
