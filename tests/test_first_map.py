"""What the first map and a date step need, and what they must not wait for.

The first visitor after a server start pays for every import before the map is sent; a date step
redraws whatever depends on the date. These tests pin the two choices made for speed (see
docs/performance.md, "First map and date step, December"): Altair is imported only when the
chart is built (after the map), and the chart's time axis has a fixed domain, so that moving the
date marker redraws only the marker.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from types import SimpleNamespace

import pytest

from tests.paths import REPO, shared_boundaries


def test_the_map_page_does_not_import_altair_before_the_map():
    code = "import sys, components.map_page; print('altair' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr


def _x_encodings(spec: dict) -> list[dict]:
    """The x encoding of every layer (Altair puts a layered chart's layers under ``layer``)."""
    found = []
    for layer in spec.get("layer", []):
        found += _x_encodings(layer)
    if "x" in spec.get("encoding", {}):
        found.append(spec["encoding"]["x"])
    return found


@pytest.mark.parametrize("lang", ["en", "da"])
def test_the_chart_axis_spans_the_timeline_not_the_marker(lang):
    from components.analysis_view import _chart_spec

    timeline = SimpleNamespace(start=dt.date(2021, 6, 1), end=dt.date(2021, 9, 24))
    spec = _chart_spec(timeline, f"test-{lang}", "districts", lang)
    xs = _x_encodings(spec)
    assert len(xs) == 3  # lines, points, marker
    for x in xs:
        domain = x["scale"]["domain"]
        assert [(d["year"], d["month"], d["date"], d["utc"]) for d in domain] == [
            (2021, 6, 1, True),
            (2021, 9, 24, True),
        ]


def test_a_step_writes_the_url_before_the_map_and_the_rest_are_sent(monkeypatch, tmp_path, data_dir):
    """The URL's message goes out as soon as the date is known, ahead of the map, ledger and chart."""
    from streamlit.testing.v1 import AppTest

    from components import controls, map_page

    monkeypatch.setenv("CONTROLMAP_BOUNDARIES_DIR", str(shared_boundaries()))
    monkeypatch.setenv("CONTROLMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CONTROLMAP_OFFLINE", "1")
    monkeypatch.setenv("CONTROLMAP_DATA_DIR", str(data_dir))
    calls: list[str] = []
    sync_url, district_map = controls.sync_url, map_page.district_map

    def record_url(view):  # noqa: ANN001, ANN202
        calls.append(f"url {view.date}")
        return sync_url(view)

    def record_map(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append("map")
        return district_map(*args, **kwargs)

    monkeypatch.setattr(controls, "sync_url", record_url)
    monkeypatch.setattr(map_page, "district_map", record_map)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["date"] = "2021-08-20"
    at.run()
    assert calls[:2] == ["url 2021-08-20", "map"]
    calls.clear()
    at.slider(key="date").set_value(dt.date(2021, 8, 21)).run()
    assert not at.exception
    assert calls[:2] == ["url 2021-08-21", "map"]
    assert at.query_params["date"] == "2021-08-21"
