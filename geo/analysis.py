"""Pure analyses over a Timeline: control over time, age of evidence, and the log of changes.

Every function here follows the rules of ``geo.control.district_state``. A district's state
can only change on a day that one of its own claims is dated, so each district is evaluated at
its own distinct claim dates and the result is carried forward; the daily series costs one
``district_state`` call per (district, claim date), not one per (district, day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import settings
from geo.control import DistrictState, district_state
from geo.timeline import Claim, Timeline

SERIES_COLUMNS = ("date", "controller", "districts", "area_km2")


def _state_steps(pcode: str, claims: Sequence[Claim]) -> list[tuple[dt.date, DistrictState]]:
    """Return the district's state at each of its distinct claim dates, oldest first."""
    return [(day, district_state(pcode, claims, date=day)) for day in sorted({c.date for c in claims})]


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
    unknown = column["unknown"]
    areas = district_areas_km2(districts_gdf)
    grouped = timeline.by_district
    # Difference arrays over days: +x where a run of a controller begins, -x the day after it
    # ends; a cumulative sum then gives the daily totals without touching each day per district.
    count_steps = np.zeros((n_days + 1, len(column)), dtype=np.int64)
    area_steps = np.zeros((n_days + 1, len(column)), dtype=float)
    for pcode, area in zip(districts_gdf["pcode"], areas, strict=True):
        previous, begin = unknown, 0
        for day, state in _state_steps(pcode, grouped.get(pcode, ())):
            index = min(max((day - start).days, 0), n_days)
            current = column[state.controller]
            if current == previous:
                continue
            count_steps[begin, previous] += 1
            count_steps[index, previous] -= 1
            area_steps[begin, previous] += area
            area_steps[index, previous] -= area
            previous, begin = current, index
        count_steps[begin, previous] += 1
        area_steps[begin, previous] += area
    counts = count_steps.cumsum(axis=0)[:n_days]
    km2 = area_steps.cumsum(axis=0)[:n_days]
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


def staleness_days(states: Mapping[str, DistrictState], *, date: dt.date) -> dict[str, int | None]:
    """Return the days from each state's newest evidence to ``date`` (None without evidence)."""
    return {
        pcode: None if state.last_evidence is None else (date - state.last_evidence).days
        for pcode, state in states.items()
    }


@dataclass(frozen=True)
class ChangeEvent:
    """One district passing from one controller to another on one date."""

    date: dt.date
    pcode: str
    before: str
    after: str
    confidence: str  # the new state's confidence ("" when it becomes unknown)


def change_log(timeline: Timeline, *, pcodes: Iterable[str]) -> list[ChangeEvent]:
    """List every change of controller of the given districts, sorted by (date, pcode).

    Each district starts as ``unknown``; a change of confidence alone is not an event.
    """
    grouped = timeline.by_district
    events: list[ChangeEvent] = []
    for pcode in dict.fromkeys(pcodes):
        previous = "unknown"
        for day, state in _state_steps(pcode, grouped.get(pcode, ())):
            if state.controller != previous:
                events.append(ChangeEvent(day, pcode, previous, state.controller, state.confidence))
                previous = state.controller
    return sorted(events, key=lambda e: (e.date, e.pcode))
