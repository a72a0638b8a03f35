"""Load everything the page needs, cached at the Streamlit boundary, or show why it cannot."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from components.district_map import (
    build_map_html,
    change_points_table,
    encode_mask,
    encode_staleness,
    encode_states,
    prepare_component_dir,
    publish_codes,
)
from components.i18n import CONFIDENCE_DA, CONTROLLER_LABELS_DA, attribution, date_text, t
from geo import analysis, boundaries, control, export, settings
from geo.errors import BoundaryError, ValidationError
from geo.timeline import Timeline, load_timeline


@dataclass(frozen=True)
class Geometry:
    """Boundary layers and the prepared map component folder.

    ``pcodes`` (map order) and ``labels`` ("district, province" by PCODE, per language) are derived
    once here rather than on every rerun, where pandas string work cost a few ms per date step.
    Shared by every session: read them, never change them.
    """

    districts_gdf: gpd.GeoDataFrame
    provinces_gdf: gpd.GeoDataFrame
    component_dir: Path
    pcodes: list[str] = field(default_factory=list)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)


def _district_labels(districts_gdf: gpd.GeoDataFrame) -> dict[str, dict[str, str]]:
    labels = {}
    for lang, suffix, separator in (("en", "en", ", "), ("da", "da", "، ")):
        text = districts_gdf[f"name_{suffix}"] + separator + districts_gdf[f"province_{suffix}"]
        labels[lang] = dict(zip(districts_gdf["pcode"], text, strict=True))
    return labels


def _lang() -> str:
    from components.controls import session_lang

    return session_lang()


def _stop(title: str, message: str, *, note: str | None = None) -> None:
    """Stop the page with a title (in the reader's language) and the details for whoever fixes it.

    The details are what the checker or the loader wrote (file:line, checksums, commands): they
    stay as written, in a code block, for the editors who act on them.
    """
    st.error(f"**{title}**")
    if note:
        st.caption(note)
    st.code(message, language=None)
    st.stop()


@st.cache_resource(show_spinner=False, max_entries=2)
def _geometry(config_dir: str | None, cache_dir: str) -> Geometry:
    lang = _lang()
    bar = st.progress(0.0, text=t("preparing", lang))

    def progress(done: int, total: int | None) -> None:
        frac = min(done / total, 1.0) if total else 0.0
        bar.progress(frac, text=t("downloading", lang, mb=round(done / 1e6, 1)))

    where = {"config_dir": Path(config_dir) if config_dir else None, "cache_dir": Path(cache_dir)}
    districts_gdf = boundaries.load_districts(progress=progress, **where)
    provinces_gdf = boundaries.load_provinces(progress=progress, **where)
    html = build_map_html(districts_gdf, provinces_gdf)
    component_dir = prepare_component_dir(html, boundaries.usable_cache_dir(Path(cache_dir)))
    bar.empty()
    return Geometry(
        districts_gdf, provinces_gdf, component_dir, list(districts_gdf["pcode"]), _district_labels(districts_gdf)
    )


def geometry() -> Geometry:
    """Return the boundary layers and map folder, or stop the page with a clear message."""
    configured = settings.boundaries_dir()
    try:
        return _geometry(str(configured) if configured else None, str(settings.cache_dir()))
    except BoundaryError as exc:
        lang = _lang()
        _stop(t("no_boundaries", lang), str(exc), note=t("problems_note", lang) if lang == "da" else None)
        raise  # unreachable: st.stop() raises


def _file_stamp(path: Path) -> tuple[object, ...]:
    """(name, mtime and size of the link itself, mtime and size of its target) with -1 for missing.

    Never raises: a dangling symlink or a file deleted meanwhile is for validation to report
    with file:line, not a reason for a traceback on every page.
    """
    stamps: list[object] = []
    for stat in (path.lstat, path.stat):
        try:
            info = stat()
        except OSError:
            stamps += [-1.0, -1]
        else:
            stamps += [info.st_mtime, info.st_size]
    return (path.name, *stamps)


@st.cache_data(show_spinner=False, max_entries=4)
def place_names(lang: str) -> dict[str, str]:
    """District and province names by PCODE in ``lang`` (for broad claims' labels in the ledger)."""
    gdf = geometry().districts_gdf
    suffix = "da" if lang == "da" else "en"
    names = dict(zip(gdf["province_pcode"], gdf[f"province_{suffix}"], strict=False))
    names.update(zip(gdf["pcode"], gdf[f"name_{suffix}"], strict=True))
    return names


def _data_stamp(data_dir: Path) -> tuple[tuple[object, ...], ...]:
    try:
        files = sorted(data_dir.glob("*.csv")) if data_dir.is_dir() else []
    except OSError:
        files = []
    return tuple(_file_stamp(f) for f in files)


MAX_PROBLEMS_SHOWN, MAX_PROBLEM_CHARS = 50, 240
_JOINERS = "\u200c\u200d"  # Dari spelling needs the zero-width (non-)joiner


def problems_text(message: str, data_dir: Path, *, lang: str = "en") -> str:
    """The validation message as shown to every visitor: short, printable, no absolute paths.

    Problems already name files relative to the data folder; any absolute path that slipped in is
    replaced, each line is cut to a short excerpt with invisible and control characters shown as
    "?", and the list is capped (``python -m geo validate`` prints it whole).
    """
    for folder in {str(data_dir.resolve()), str(data_dir.absolute()), str(data_dir)}:
        if folder not in (".", ""):
            message = message.replace(folder, "<data folder>")
    lines = message.splitlines()
    shown = []
    for line in lines[: MAX_PROBLEMS_SHOWN + 1]:
        line = "".join(ch if ch.isprintable() or ch in _JOINERS else "?" for ch in line)
        shown.append(line if len(line) <= MAX_PROBLEM_CHARS else line[: MAX_PROBLEM_CHARS - 1] + "…")
    if len(lines) > len(shown):
        shown.append(t("more_problems", lang, n=len(lines) - len(shown)))
    return "\n".join(shown)


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(data_dir: str, stamp: tuple) -> Timeline | ValidationError:
    """The folder's timeline, or why it was refused: a refusal is cached too (per stamp).

    Otherwise every rerun of every reader would check the same broken files again while an
    editor fixes them.
    """
    try:
        return load_timeline(Path(data_dir), geometry().districts_gdf)
    except ValidationError as exc:
        return ValidationError(exc.problems)  # without the traceback, which holds the half-read rows


@dataclass(frozen=True)
class LastGood:
    """A timeline that passed validation, and when this process first loaded that version."""

    timeline: Timeline
    loaded_at: dt.datetime


@dataclass(frozen=True)
class Fallback:
    """What the page shows while the files on disk have problems: the last good version, and why."""

    shown: LastGood
    problems: str  # problems_text: relative paths, at most MAX_PROBLEMS_SHOWN lines
    count: int  # problems in all


class _LastGoodStore:
    """The last timeline of each data folder that passed validation, shared by every session.

    Held in memory only (per server process): the app never writes to, moves or repairs the
    editor's files, and after a restart the files on disk are the only truth.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_folder: dict[str, LastGood] = {}

    def remember(self, data_dir: str, loaded: Timeline) -> None:
        with self._lock:
            held = self._by_folder.get(data_dir)
            if held is None or held.timeline.version != loaded.version:
                self._by_folder[data_dir] = LastGood(loaded, dt.datetime.now(dt.UTC))

    def get(self, data_dir: str) -> LastGood | None:
        with self._lock:
            return self._by_folder.get(data_dir)


@st.cache_resource(show_spinner=False)
def _last_good_store() -> _LastGoodStore:
    return _LastGoodStore()


FALLBACK_KEY = "cm_data_fallback"


def timeline() -> Timeline:
    """Return the validated timeline (reloaded when a data file changes), or stop with its problems.

    When the files have problems but this process has loaded a valid version of the folder
    before, that version is returned instead and ``fallback()`` says so: a half-saved edit never
    takes the map down. With no valid version to fall back on, the page stops with the problems.
    """
    data_dir = settings.data_dir()
    folder = str(data_dir)
    outcome = _load(folder, _data_stamp(data_dir))
    store = _last_good_store()
    if isinstance(outcome, ValidationError):
        lang = _lang()
        held = store.get(folder)
        text = problems_text(str(outcome), data_dir, lang=lang)
        if held is None:
            _stop(
                t("bad_data", lang),
                text + ("" if lang == "da" else f"\n\n{t('fix_data', lang)}"),
                note=f"{t('fix_data', lang)} {t('problems_note', lang)}" if lang == "da" else None,
            )
            raise outcome
        st.session_state[FALLBACK_KEY] = Fallback(held, text, len(outcome.problems))
        return held.timeline
    st.session_state.pop(FALLBACK_KEY, None)
    if not outcome.claims:
        lang = _lang()
        _stop(t("empty", lang), t("add_claims", lang))
    store.remember(folder, outcome)
    return outcome


def fallback() -> Fallback | None:
    """The last good version this run shows instead of the files on disk, or None when they are valid."""
    return st.session_state.get(FALLBACK_KEY)


def show_fallback_banner(lang: str) -> None:
    """Say that the map shows the last valid data, which version, and what is wrong with the files.

    Editors and readers both see it. There is no editor login, and a reader deserves to know the
    map is not the newest edit; the banner is short and its problem list is folded away (the
    list is for the editors). The container exists on every run, so the elements below keep
    their places and the map iframe is not remounted when the banner comes or goes.
    """
    box = st.container(key="cm_data_banner")
    shown = fallback()
    if shown is None:
        return
    loaded = shown.shown.loaded_at
    box.warning(
        t(
            "stale_data",
            lang,
            n=shown.count,
            version=shown.shown.timeline.version[:8],
            loaded=f"{loaded:%Y-%m-%d %H:%M} UTC",
        ),
        icon="⚠️",
    )
    with box.expander(t("stale_problems", lang)):
        st.code(shown.problems, language=None)


@st.cache_data(show_spinner=False, max_entries=512)
def map_codes(_timeline: Timeline, version: str, date: dt.date) -> str:
    """Return the per-district palette string for ``date`` (a lookup in the control index)."""
    pcodes = geometry().pcodes
    return encode_states(_timeline.index.states(date=date, pcodes=pcodes), pcodes)


@st.cache_resource(show_spinner=False)
def change_dates(_timeline: Timeline, version: str) -> list[dt.date]:
    """Return the dates on which anything changes (cached per data version)."""
    return control.change_dates(_timeline)


@st.cache_resource(show_spinner=False, max_entries=4)
def codes_table_file(_timeline: Timeline, version: str) -> str:
    """Publish each district's change points beside the map (once per data version); return the file name.

    The browser looks any date up itself, so the file grows with the number of changes, not days.
    """
    geo = geometry()
    pcodes = geo.pcodes
    return publish_codes(geo.component_dir, version, change_points_table(_timeline, pcodes))


def _pcodes() -> list[str]:
    return geometry().pcodes


@st.cache_data(show_spinner=False, max_entries=512)
def stale_codes(_timeline: Timeline, version: str, date: dt.date) -> str:
    """Return the per-district palette string for the age of evidence at ``date``."""
    pcodes = _pcodes()
    days = analysis.staleness_days(_timeline.index.states(date=date, pcodes=pcodes), date=date)
    return encode_staleness(days, pcodes)


@st.cache_data(show_spinner=False, max_entries=256)
def diff_rows(_timeline: Timeline, version: str, start: dt.date, end: dt.date) -> list[dict[str, str]]:
    """Return the districts that changed between two dates, with the sources of the later state."""
    gdf = geometry().districts_gdf
    changes = control.diff_states(_timeline, start=start, end=end, pcodes=gdf["pcode"])
    later = control.state_at(_timeline, date=max(start, end), pcodes=[c.pcode for c in changes])
    rows = export.diff_rows(changes, gdf)
    for row in rows:
        row["sources"] = ";".join(later[row["pcode"]].source_ids)
    return rows


@st.cache_data(show_spinner=False, max_entries=256)
def diff_mask(_timeline: Timeline, version: str, start: dt.date, end: dt.date) -> str:
    """Return '1'/'0' per district: changed between the two dates."""
    return encode_mask({r["pcode"] for r in diff_rows(_timeline, version, start, end)}, _pcodes())


@st.cache_data(show_spinner=False, max_entries=4)
def series(_timeline: Timeline, version: str) -> pd.DataFrame:
    """Return districts and km² per controller for every day of the timeline."""
    return analysis.control_series(
        _timeline, districts_gdf=geometry().districts_gdf, start=_timeline.start, end=_timeline.end
    )


@st.cache_data(show_spinner=False, max_entries=8)
def chart_series(_timeline: Timeline, version: str, metric: str) -> pd.DataFrame:
    """The chart's table: one metric, wide, only on the days it changed (see analysis.series_steps).

    The chart is sent again on every date step (its date marker moves), so it is kept small:
    38 of 145 days for the real data, in narrow integer columns.
    """
    wide = analysis.thin_steps(analysis.series_steps(series(_timeline, version), metric))  # ≤ CHART_MAX_ROWS
    for controller in settings.CONTROLLERS:
        wide[controller] = wide[controller].round().astype("int32")
    wide["date"] = pd.to_datetime(wide["date"])  # naive, so sent as UTC midnight
    return wide


@st.cache_data(show_spinner=False, max_entries=4)
def change_log_table(_timeline: Timeline, version: str) -> pd.DataFrame:
    """Return every change of controller as a table: date, pcode, district, province, from, to, confidence."""
    gdf = geometry().districts_gdf.set_index("pcode")
    events = analysis.change_log(_timeline, pcodes=gdf.index)
    return pd.DataFrame(
        {
            "date": [e.date for e in events],
            "pcode": [e.pcode for e in events],
            "district": [gdf.at[e.pcode, "name_en"] for e in events],
            "province": [gdf.at[e.pcode, "province_en"] for e in events],
            "from": [e.before for e in events],
            "to": [e.after for e in events],
            "confidence": [e.confidence for e in events],
        }
    )


def state_rows(_timeline: Timeline, version: str, date: dt.date) -> list[dict[str, str]]:
    """Return the export rows (same as ``python -m geo state``) for ``date``."""
    gdf = geometry().districts_gdf
    return export.state_rows(control.state_at(_timeline, date=date, pcodes=gdf["pcode"]), gdf)


@st.cache_data(show_spinner=False, max_entries=32)
def snapshot_png(_timeline: Timeline, version: str, date: dt.date, lang: str) -> bytes:
    """Render the static PNG of the map at ``date`` (only when a download is asked for)."""
    from components.snapshot import render_png

    geo = geometry()
    states = control.state_at(_timeline, date=date, pcodes=geo.districts_gdf["pcode"])
    labels = None
    if lang == "da":
        labels = {**CONTROLLER_LABELS_DA, **{c: t(f"png_{c}", lang) for c in CONFIDENCE_DA}}
    return render_png(
        geo.districts_gdf, geo.provinces_gdf, states, date=date, title=t("title", lang), attribution=attribution(lang),
        labels=labels, date_label=date_text(date, lang),
    )  # fmt: skip
