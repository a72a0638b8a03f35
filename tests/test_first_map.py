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

from tests.paths import REPO


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
