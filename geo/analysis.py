"""Pure analyses over a Timeline: control over time, age of evidence, and the log of changes.

Every function here follows the rules of ``geo.control.district_state``, through the control
index (``geo.intervals``): each district's status at each of its claim dates, derived in one pass
per data version. The daily series costs one step per (district, claim date) plus the days, never
(district × day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import _gc, settings
from geo.control import DistrictState
from geo.intervals import Status
from geo.timeline import Timeline

SERIES_COLUMNS = ("date", "controller", "districts", "area_km2")


def district_areas_km2(districts_gdf: gpd.GeoDataFrame) -> np.ndarray:
    """Return each district's area in km², from ``area_km2`` or else from an equal-area projection.

    ``geo.boundaries`` computes ``area_km2`` from the unsimplified geometry, which is more exact
    than re-measuring the simplified shapes, so the column wins when present.
    """
    if "area_km2" in districts_gdf.columns:
        return districts_gdf["area_km2"].to_numpy(dtype=float)
    if districts_gdf.crs is None:
        # Measuring without a CRS would silently return square degrees.
        raise ValueError("districts_gdf has no CRS and no area_km2 column; cannot measure areas")
    return districts_gdf.geometry.to_crs(settings.AREA_CRS).area.to_numpy(dtype=float) / 1e6


def control_series(
    timeline: Timeline, *, districts_gdf: gpd.GeoDataFrame, start: dt.date, end: dt.date
) -> pd.DataFrame:
    """Count districts and km² held by each controller on every day from ``start`` to ``end``.

    Returns one row per (date, controller) for every controller in ``settings.CONTROLLERS``,
    zeros included, ordered by date then controller, with columns date (``datetime.date``),
    controller, districts (int) and area_km2 (float). Districts without claims count as
    ``unknown``; claims about districts not in ``districts_gdf`` are ignored.
    """
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    n_days = (end - start).days + 1
    column = {c: i for i, c in enumerate(settings.CONTROLLERS)}
    areas = district_areas_km2(districts_gdf)
    counts, km2 = timeline.index.control_series_arrays(list(districts_gdf["pcode"]), areas, start=start, n_days=n_days)
    # Cumulative float sums leave residues like 1e-9 km² where a controller held nothing.
    km2 = np.where(counts == 0, 0.0, km2)
    dates = [start + dt.timedelta(days=i) for i in range(n_days)]
    return pd.DataFrame(
        {
            "date": pd.Series(np.repeat(np.array(dates, dtype=object), len(column)), dtype=object),
            "controller": np.tile(np.array(settings.CONTROLLERS, dtype=object), n_days),
            "districts": counts.reshape(-1),
            "area_km2": km2.reshape(-1),
        },
        columns=list(SERIES_COLUMNS),
    )


def series_steps(series: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One metric of ``control_series`` as a wide table, keeping only the days something changed.

    Returns one row for the first day, the last day and every day on which any controller's
    ``metric`` differs from the day before, with a ``date`` column and one column per controller
    in ``settings.CONTROLLERS`` order. Forward-filling it over the days gives the input back.
    """
    wide = series.pivot(index="date", columns="controller", values=metric)[list(settings.CONTROLLERS)]
    keep = wide.diff().ne(0).any(axis=1).to_numpy(copy=True)
    keep[[0, -1]] = True
    return wide[keep].rename_axis(columns=None).reset_index()


def thin_steps(steps: pd.DataFrame, *, max_rows: int = settings.CHART_MAX_ROWS) -> pd.DataFrame:
    """A ``series_steps`` table cut to about ``max_rows`` rows for a chart, exact at the end of each slice.

    A table of ``max_rows`` rows or fewer is returned as it is. A longer one is cut into slices
    of equal whole days and keeps, besides its first row, the last row of each slice: forward
    filled, it equals the full table on the last day of every slice, while changes that are
    undone within a slice are not drawn. A browser chart of ten years of daily changes (3,600
    rows, 18,000 points) takes seconds to draw and holds the page's main thread meanwhile.
    """
    if len(steps) <= max_rows:
        return steps
    days = pd.Series([(d - steps["date"].iloc[0]).days for d in steps["date"]], index=steps.index)
    width = -(-(days.iloc[-1] + 1) // max_rows)  # whole days per slice, rounded up
    keep = ~(days // width).duplicated(keep="last")
    keep.iloc[0] = True
    return steps[keep.to_numpy()].reset_index(drop=True)


def staleness_days(states: Mapping[str, DistrictState | Status], *, date: dt.date) -> dict[str, int | None]:
    """Return the days from each state's newest evidence to ``date`` (None without evidence)."""
    return {
        pcode: None if state.last_evidence is None else (date - state.last_evidence).days
        for pcode, state in states.items()
    }


class ChangeEvent(NamedTuple):
    """One district passing from one controller to another on one date (a tuple: cheap by the 100,000)."""

    date: dt.date
    pcode: str
    before: str
    after: str
    confidence: str  # the new state's confidence ("" when it becomes unknown)


def change_log(timeline: Timeline, *, pcodes: Iterable[str]) -> list[ChangeEvent]:
    """List every change of controller of the given districts, sorted by (date, pcode).

    Each district starts as ``unknown``; a change of confidence alone is not an event.
    """
    steps = timeline.index.steps
    events: list[ChangeEvent] = []
    with _gc.paused():  # tens of thousands of tuples: no full collections meanwhile (see geo._gc)
        for pcode in dict.fromkeys(pcodes):
            previous = "unknown"
            for step in steps.get(pcode, ()):
                if step.controller != previous:
                    events.append(ChangeEvent(step.date, pcode, previous, step.controller, step.confidence))
                    previous = step.controller
        events.sort()  # by date, then PCODE: a district changes at most once a day
    return events
