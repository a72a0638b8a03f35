"""Analysis views under the map: control over time, two-date diff, change log, exports."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components import app_data, controls
from components.app_data import Geometry
from components.i18n import confidence_label, controller_label, date_text, t
from geo import export, settings
from geo.solar import AFGHAN_MONTHS, persian_digits, solar_month_starts, to_solar
from geo.timeline import Timeline

if TYPE_CHECKING:
    import altair as alt

DIFF_HEADER = (*export.DIFF_HEADER, "sources")  # the CLI's columns plus the later state's sources


def _label(controller: str, lang: str) -> str:
    return controller_label(controller, lang)


def _solar_axis(start: dt.date, end: dt.date) -> alt.Axis:
    """A time axis labelled at the first of each Afghan solar month (``اسد ۱۴۰۰``)."""
    import altair as alt

    firsts = solar_month_starts(start, end) or [start]
    labels = {}
    for day in firsts:
        year, month, _ = to_solar(day)
        stamp = int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp() * 1000)
        labels[str(stamp)] = persian_digits(f"{AFGHAN_MONTHS[month - 1]} {year}")
    values = [alt.DateTime(year=d.year, month=d.month, date=d.day, utc=True) for d in firsts]
    return alt.Axis(values=values, labelExpr=f"{json.dumps(labels, ensure_ascii=False)}[toString(datum.value)]")


SERIES_DATA, MARKER_DATA = "series", "marker"  # the chart's named datasets, filled on each run


def _utc_day(day: dt.date, shift: int) -> alt.DateTime:
    """``day`` moved by ``shift`` days, as the UTC midnight the chart's dates are."""
    import altair as alt

    moved = day + dt.timedelta(days=shift)
    return alt.DateTime(year=moved.year, month=moved.month, date=moved.day, utc=True)


@st.cache_data(show_spinner=False, max_entries=8)
def _chart_spec(_timeline: Timeline, version: str, metric: str, lang: str) -> dict:
    """The chart's Vega-Lite spec, built with Altair once per data version, metric and language.

    Building and validating an Altair chart costs about 100 ms of CPU, most of a date step, and
    only the date marker changes with the date. So the spec is made once, with the series and the
    marker's one row as named datasets (``SERIES_DATA``, ``MARKER_DATA``) that ``_chart`` fills in
    on each run; Streamlit sends them as Arrow, as it does an Altair chart's DataFrames. The spec
    then stays the same from date to date, and the browser swaps the marker's row into the chart
    it has instead of building a new one (which took it about 100 ms per step).
    """
    import altair as alt  # half a second to import: only here, after the map has been sent

    unit = t("u_districts" if metric == "districts" else "u_area", lang)
    series = list(settings.CONTROLLERS)
    tooltip_date: alt.Tooltip | str = alt.Tooltip("utcyearmonthdate(date):T", title="date")
    axis = alt.Axis() if lang != "da" else _solar_axis(_timeline.start, _timeline.end)
    if lang == "da":
        # Dari: the series carry their Dari names, and the tooltip the solar date.
        series = [_label(c, lang) for c in settings.CONTROLLERS]
        tooltip_date = alt.Tooltip("day:N", title=t("col_date", lang))
    colours = alt.Scale(domain=series, range=list(settings.CONTROLLER_COLOURS.values()))
    pick = alt.selection_point(name="pick", fields=["date"], on="click", nearest=True)
    # Dates travel as UTC midnight; a UTC scale shows and returns that calendar day whatever the
    # viewer's time zone (a local scale would shift it a day for viewers west of UTC).
    # A fixed domain (the timeline's span), so that moving the marker only redraws the marker: with
    # the domain taken from the data, the marker's row was part of it, and every date step re-ran
    # the scale and so every line, point and the nearest-point (Voronoi) layer in the browser.
    # A line needs two days: with one, each controller is a dot, on an axis a day either side.
    one_day = _timeline.start == _timeline.end
    shift = 1 if one_day else 0
    ends = [_utc_day(_timeline.start, -shift), _utc_day(_timeline.end, shift)]
    x = alt.X("date:T", title=None, scale=alt.Scale(type="utc", domain=ends), axis=axis)
    base = alt.Chart(alt.NamedData(name=SERIES_DATA)).transform_fold(series, as_=["controller", "value"]).encode(x=x)
    drawn = base.mark_point(filled=True, size=120, opacity=1) if one_day else base.mark_line(interpolate="step-after")
    lines = drawn.encode(
        y=alt.Y("value:Q", title=unit),
        color=alt.Color("controller:N", scale=colours, title=None),
        tooltip=[
            tooltip_date,
            alt.Tooltip("controller:N", title=t("controller", lang)),
            alt.Tooltip("value:Q", title=unit, format=",.0f"),
        ],
    )
    points = base.mark_point(opacity=0, size=200).encode(y="value:Q").add_params(pick)
    # The marker's one row: the date as an ISO string, which the chart reads as UTC midnight.
    marker = alt.Chart(alt.NamedData(name=MARKER_DATA)).mark_rule(color="black", strokeWidth=2).encode(x=x)
    spec = (lines + points + marker).properties(height=260).to_dict()
    spec.pop("config", None)  # Altair's default theme (a 300 px view); Streamlit's theme applies instead
    return spec


@st.cache_data(show_spinner=False, max_entries=8)
def _chart_table(_timeline: Timeline, version: str, metric: str, lang: str) -> pd.DataFrame:
    """The chart's series, with Dari names and solar dates in Dari: once per data version, not per step."""
    wide = app_data.chart_series(_timeline, version, metric)
    if lang == "da":
        wide = wide.rename(columns={c: _label(c, lang) for c in settings.CONTROLLERS})
        wide["day"] = [date_text(d.date(), lang) for d in wide["date"]]
    return wide


def _chart(timeline: Timeline, *, date: dt.date, lang: str) -> None:
    metric = st.radio(
        t("measure", lang), ["districts", "area_km2"], horizontal=True, key="chart_metric",
        label_visibility="collapsed", format_func=lambda m: t("m_districts" if m == "districts" else "m_area", lang),
    )  # fmt: skip
    spec = _chart_spec(timeline, timeline.version, metric, lang)  # a fresh copy on each call
    spec["datasets"] = {
        SERIES_DATA: _chart_table(timeline, timeline.version, metric, lang),
        MARKER_DATA: pd.DataFrame({"date": [date.isoformat()]}),
    }
    event = st.vega_lite_chart(spec, key="over_time", on_select="rerun", selection_mode="pick")
    picked = (event or {}).get("selection", {}).get("pick") or []
    if picked and "date" in picked[0]:
        when = pd.to_datetime(picked[0]["date"], unit="ms").date()
        if when != date and timeline.start <= when <= timeline.end:
            controls.request_view(date=when)
    st.caption(t("chart_caption", lang))


def _diff(timeline: Timeline, geometry: Geometry, *, date: dt.date, compare: dt.date | None, lang: str) -> None:
    if compare is None:
        st.info(t("pick_compare", lang))
        return
    rows = app_data.diff_rows(timeline, timeline.version, compare, date)
    first, last = sorted((compare, date))
    st.markdown(t("changed_hands", lang, n=len(rows), first=first, last=last))
    if rows:
        table = pd.DataFrame(rows)
        table["from"] = [_label(c, lang) for c in table["from"]]
        table["to"] = [_label(c, lang) for c in table["to"]]
        st.dataframe(_localised(table, lang), hide_index=True, key="diff_table")
    left, right = st.columns(2)
    _table_downloads(
        (left, right),
        lambda: app_data.diff_rows(timeline, timeline.version, compare, date),
        DIFF_HEADER,
        geometry,
        name=f"changes_{first}_{last}",
        labels=(t("download_csv", lang), t("download_geojson", lang)),
        key="diff",
    )


def _localised(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table as shown in Dari: Dari place names, solar dates, Dari headers (English unchanged)."""
    if lang != "da":
        return table
    table = table.copy()
    names = app_data.place_names("da")
    if "pcode" in table:
        if "district" in table:
            table["district"] = [names.get(p, p) for p in table["pcode"]]
        if "province" in table:
            table["province"] = [names.get(p[:4], p[:4]) for p in table["pcode"]]
    for column in ("date", "changed_on"):
        if column in table:
            table[column] = [
                date_text(d if isinstance(d, dt.date) else dt.date.fromisoformat(d), lang) for d in table[column]
            ]
    if "confidence" in table:
        table["confidence"] = [confidence_label(c, lang) for c in table["confidence"]]
    return table.rename(columns={c: t(f"col_{c}", lang) for c in table.columns if f"col_{c}" in _COLUMN_KEYS})


_COLUMN_KEYS = {
    f"col_{c}" for c in ("pcode", "date", "district", "province", "from", "to", "confidence", "changed_on", "sources")
}


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
    shown = _localised(shown, lang)
    picked = st.dataframe(
        shown, hide_index=True, key="change_log", on_select="rerun", selection_mode="single-row", height=320
    )
    rows = picked.selection.rows if picked else []
    if rows:
        row = events.iloc[rows[0]]
        when, pcode = row["date"], row["pcode"]
        if (when, pcode) != (st.session_state[controls.DATE_KEY], st.session_state[controls.DISTRICT_KEY]):
            controls.request_view(date=when, district=pcode)
    st.caption(t("log_caption", lang))


def _exports(timeline: Timeline, geometry: Geometry, *, date: dt.date, lang: str) -> None:
    st.markdown(t("export_intro", lang, date=date, iso=date.isoformat()))
    cols = st.columns(3)
    _table_downloads(
        cols[:2],
        lambda: app_data.state_rows(timeline, timeline.version, date),
        export.STATE_HEADER,
        geometry,
        name=f"control_{date}",
        labels=(t("state_csv", lang), t("state_geojson", lang)),
        key="state",
    )
    cols[2].download_button(
        t("map_png", lang),
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
