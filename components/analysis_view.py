"""Analysis views under the map: control over time, two-date diff, change log, exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components import app_data, controls
from components.app_data import Geometry
from components.i18n import CONTROLLER_LABELS_DA, t
from geo import export, settings
from geo.timeline import Timeline

DIFF_HEADER = (*export.DIFF_HEADER, "sources")  # the CLI's columns plus the later state's sources


def _label(controller: str, lang: str) -> str:
    return CONTROLLER_LABELS_DA[controller] if lang == "da" else settings.CONTROLLER_LABELS[controller]


def _chart(timeline: Timeline, *, date: dt.date, lang: str) -> None:
    metric = st.radio(
        "Measure", ["districts", "area_km2"], horizontal=True, key="chart_metric", label_visibility="collapsed",
        format_func=lambda m: "Number of districts" if m == "districts" else "Area (km², equal-area)",
    )  # fmt: skip
    unit = "districts" if metric == "districts" else "km²"
    colours = alt.Scale(domain=list(settings.CONTROLLERS), range=list(settings.CONTROLLER_COLOURS.values()))
    pick = alt.selection_point(name="pick", fields=["date"], on="click", nearest=True)
    # Dates travel as UTC midnight; a UTC scale shows and returns that calendar day whatever the
    # viewer's time zone (a local scale would shift it a day for viewers west of UTC).
    x = alt.X("date:T", title=None, scale=alt.Scale(type="utc"))
    wide = app_data.chart_series(timeline, timeline.version, metric)
    base = alt.Chart(wide).transform_fold(list(settings.CONTROLLERS), as_=["controller", "value"]).encode(x=x)
    lines = base.mark_line(interpolate="step-after").encode(
        y=alt.Y("value:Q", title=unit),
        color=alt.Color("controller:N", scale=colours, title=None),
        tooltip=[
            alt.Tooltip("utcyearmonthdate(date):T", title="date"),
            "controller:N",
            alt.Tooltip("value:Q", title=unit, format=",.0f"),
        ],
    )
    points = base.mark_point(opacity=0, size=200).encode(y="value:Q").add_params(pick)
    # The marker's one row is inline in the spec (an ISO date, read as UTC), not a second dataset.
    marker = alt.Chart(alt.InlineData(values=[{"date": date.isoformat()}])).mark_rule(color="black", strokeWidth=2)
    marker = marker.encode(x=x)
    chart = (lines + points + marker).properties(height=260)
    event = st.altair_chart(chart, key="over_time", on_select="rerun", selection_mode="pick")
    picked = (event or {}).get("selection", {}).get("pick") or []
    if picked and "date" in picked[0]:
        when = pd.to_datetime(picked[0]["date"], unit="ms").date()
        if when != date and timeline.start <= when <= timeline.end:
            controls.request_view(date=when)
    st.caption(
        "Click the chart to move the date (black line). Areas are computed in an Albers equal-area projection "
        "from the full-resolution boundaries."
    )


def _diff(timeline: Timeline, geometry: Geometry, *, date: dt.date, compare: dt.date | None, lang: str) -> None:
    if compare is None:
        st.info("Pick a compare date above to list and highlight the districts that changed.")
        return
    rows = app_data.diff_rows(timeline, timeline.version, compare, date)
    first, last = sorted((compare, date))
    st.markdown(f"**{len(rows)}** districts changed hands between {first} and {last} (outlined in magenta).")
    if rows:
        table = pd.DataFrame(rows)
        table["from"] = [_label(c, lang) for c in table["from"]]
        table["to"] = [_label(c, lang) for c in table["to"]]
        st.dataframe(table, hide_index=True, key="diff_table")
    left, right = st.columns(2)
    _table_downloads(
        (left, right),
        lambda: app_data.diff_rows(timeline, timeline.version, compare, date),
        DIFF_HEADER,
        geometry,
        name=f"changes_{first}_{last}",
        labels=("Download CSV", "Download GeoJSON"),
        key="diff",
    )


def _table_downloads(
    columns: Sequence[DeltaGenerator],
    rows: Callable[[], list[dict]],
    header: Sequence[str],
    geometry: Geometry,
    *,
    name: str,
    labels: tuple[str, str],
    key: str,
) -> None:
    """A CSV and a GeoJSON download of the same rows; both are built only when clicked."""
    csv_column, geojson_column = columns
    csv_column.download_button(
        labels[0],
        data=lambda: export.rows_to_csv(rows(), header),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
    geojson_column.download_button(
        labels[1],
        data=lambda: export.rows_to_geojson(rows(), geometry.districts_gdf),
        file_name=f"{name}.geojson",
        mime="application/geo+json",
        key=f"{key}_geojson",
        on_click="ignore",
    )


def _log(timeline: Timeline, geometry: Geometry, *, lang: str) -> None:
    events = app_data.change_log_table(timeline, timeline.version)
    shown = events.assign(
        **{"from": [_label(c, lang) for c in events["from"]], "to": [_label(c, lang) for c in events["to"]]}
    )
    picked = st.dataframe(
        shown, hide_index=True, key="change_log", on_select="rerun", selection_mode="single-row", height=320
    )
    rows = picked.selection.rows if picked else []
    if rows:
        row = events.iloc[rows[0]]
        when, pcode = row["date"], row["pcode"]
        if (when, pcode) != (st.session_state[controls.DATE_KEY], st.session_state[controls.DISTRICT_KEY]):
            controls.request_view(date=when, district=pcode)
    st.caption("Pick a row to move the map and the ledger to that change.")


def _exports(timeline: Timeline, geometry: Geometry, *, date: dt.date, lang: str) -> None:
    st.markdown(f"The state of every district on **{date}**, as `python -m geo state --date {date}` prints it.")
    cols = st.columns(3)
    _table_downloads(
        cols[:2],
        lambda: app_data.state_rows(timeline, timeline.version, date),
        export.STATE_HEADER,
        geometry,
        name=f"control_{date}",
        labels=("State CSV", "State GeoJSON"),
        key="state",
    )
    cols[2].download_button(
        "Map PNG (for articles)",
        data=lambda: app_data.snapshot_png(timeline, timeline.version, date, lang),
        file_name=f"control_{date}.png",
        mime="image/png",
        key="state_png",
        on_click="ignore",
    )


def render(timeline: Timeline, geometry: Geometry, *, date: dt.date, compare: dt.date | None, lang: str) -> None:
    """Render the analysis tabs for the chosen date (and compare date, if any)."""
    # Lazy tabs: only the open tab runs and is sent, which keeps a date step small on the wire.
    over_time, changes, log, exports = st.tabs(
        [t("over_time", lang), t("changes", lang), t("log", lang), t("export", lang)],
        key="analysis_tab",
        on_change="rerun",
    )
    if over_time.open:
        with over_time:
            _chart(timeline, date=date, lang=lang)
    if changes.open:
        with changes:
            _diff(timeline, geometry, date=date, compare=compare, lang=lang)
    if log.open:
        with log:
            _log(timeline, geometry, lang=lang)
    if exports.open:
        with exports:
            _exports(timeline, geometry, date=date, lang=lang)
