"""The district map: a folium map built once, served as a static component, restyled per date.

``build_map_html`` renders the folium map (districts, province outlines, legend) with Leaflet
loaded from the same folder, not a CDN. ``prepare_component_dir`` writes that page, Leaflet
(from the XStatic-Leaflet package) and the restyling shim into a content-addressed folder in
the cache. ``district_map`` then sends only one character per district on each rerun.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import os
import shutil
import tempfile
import time
from collections import OrderedDict
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import shapely
import xstatic.pkg.leaflet as xleaflet
from branca.element import Element, MacroElement
from jinja2 import Template

from components.i18n import CONFIDENCE_DA, CONTROLLER_LABELS_DA, attribution, t
from geo import settings
from geo._publish import STAGING_PREFIX, publish_dir
from geo.control import DistrictState
from geo.gazetteer import PCODE_RE
from geo.timeline import Timeline

FRONTEND_DIR = Path(__file__).resolve().parent / "frontend"
MAP_HEIGHT = 620
KEEP_COMPONENT_DIRS = 2  # the current map folder and the one before it
BOUNDS = [[29.3, 60.4], [38.6, 75.0]]
# Coordinates sent to the browser: 3 decimals is about 110 m, well inside the coverage's ~500 m
# simplification, and makes the map page (geometry inline) about 15% smaller on the wire.
COORD_DECIMALS = 3

# One palette character per (controller, confidence); "?" is the fallback.
CONFIDENCE_STYLE = {
    "confirmed": {"opacity": 0.8},
    "claimed": {"opacity": 0.38, "dash": "4 3"},
    "disputed": {"opacity": 1.0, "hatch": True},
    "": {"opacity": 0.45},
}
# A status resting only on province- or country-wide claims keeps its colour but gets a dotted
# white outline, so a reader sees at a glance where the evidence is not about the district itself.
BROAD_STYLE = {"stroke": "#ffffff", "weight": 1.8, "dash": "1 3"}
PALETTE_KEYS: list[tuple[str, str, bool]] = [
    (controller, confidence, broad)
    for broad in (False, True)
    for controller in settings.CONTROLLERS
    for confidence in CONFIDENCE_STYLE
]
PALETTE_CHARS = ("abcdefghijklmnopqrstuvwxyz" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ")[: len(PALETTE_KEYS)]
# Age of the newest evidence, in days: (upper bound or None, colour, English, Dari).
STALE_BUCKETS = [
    (3, "#1a9850", "≤3 days", "≤۳ روز"),
    (7, "#91cf60", "4–7 days", "۴–۷ روز"),
    (14, "#d9ef8b", "8–14 days", "۸–۱۴ روز"),
    (30, "#fee08b", "15–30 days", "۱۵–۳۰ روز"),
    (90, "#fc8d59", "31–90 days", "۳۱–۹۰ روز"),
    (None, "#d73027", "over 90 days", "بیش از ۹۰ روز"),
]
# What the shim writes itself (the copy-link control, tooltips, zoom buttons, the scale bar).
SHIM_TEXT_KEYS = (
    "copy_link",
    "copy_title",
    "copied",
    "copy_manual",
    "diff_tip",
    "zoom_in",
    "zoom_out",
    "km",
    "m",
    "legend",
)
STALE_CHARS = "012345"
NO_EVIDENCE = "-"


def json_for_script(value: object) -> str:
    """Serialise ``value`` as JSON that is safe inside an HTML ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def palette() -> dict[str, dict[str, object]]:
    """Return the char -> style table that the shim applies (plain JSON)."""
    table: dict[str, dict[str, object]] = {}
    for char, (controller, confidence, broad) in zip(PALETTE_CHARS, PALETTE_KEYS, strict=True):
        style = CONFIDENCE_STYLE[confidence]
        colour = settings.CONTROLLER_COLOURS[controller]
        label = settings.CONTROLLER_LABELS[controller] + (f" · {confidence}" if confidence else "")
        label_da = CONTROLLER_LABELS_DA[controller] + (f" · {CONFIDENCE_DA[confidence]}" if confidence else "")
        table[char] = {
            "fill": f"url(#hatch-{controller})" if style.get("hatch") else colour,
            "opacity": style["opacity"],
            "dash": style.get("dash"),
            "label": label,
            "label_da": label_da,
        }
        if broad:
            table[char].update(
                BROAD_STYLE,
                label=f"{label} · {t('broad_legend', 'en')}",
                label_da=f"{label_da} · {t('broad_legend', 'da')}",
            )
    for char, (_, colour, en, da) in zip(STALE_CHARS, STALE_BUCKETS, strict=True):
        table[char] = {
            "fill": colour,
            "opacity": 0.85,
            "label": t("age_evidence", "en", age=en),
            "label_da": t("age_evidence", "da", age=da),
        }
    grey = settings.CONTROLLER_COLOURS["unknown"]
    for char, key in ((NO_EVIDENCE, "no_evidence"), ("?", "unknown")):
        table[char] = {"fill": grey, "opacity": 0.45, "label": t(key, "en"), "label_da": t(key, "da")}
    return table


_CHAR_FOR = dict(zip(PALETTE_KEYS, PALETTE_CHARS, strict=True))


def encode_staleness(days: Mapping[str, int | None], order: Sequence[str]) -> str:
    """Encode each district's age of evidence (days, or None) as one palette character."""

    def char(value: int | None) -> str:
        if value is None:
            return NO_EVIDENCE
        for code, (limit, *_rest) in zip(STALE_CHARS, STALE_BUCKETS, strict=True):
            if limit is None or value <= limit:
                return code
        return STALE_CHARS[-1]

    return "".join(char(days.get(p)) for p in order)


def encode_mask(selected: Collection[str], order: Sequence[str]) -> str:
    """Encode a set of PCODEs as '1'/'0' per district, in map order (for highlighting)."""
    return "".join("1" if p in selected else "0" for p in order)


def encode_states(states: Mapping[str, DistrictState], order: Sequence[str]) -> str:
    """Encode each district's (controller, confidence, broad evidence only) as one palette character."""
    return "".join(
        _CHAR_FOR.get((states[p].controller, states[p].confidence, states[p].precision not in ("", "district")), "?")
        for p in order
    )


_LEGEND_TEMPLATE = """
{% macro html(this, kwargs) %}
<div class="cm-legend" role="region" aria-label="{{ this.aria_label }}">
  {{ this.body }}
</div>
<style>
  .cm-legend { position: absolute; bottom: 22px; left: 10px; z-index: 1000; background: rgba(255,255,255,.92);
    padding: 6px 8px; font: 12px/1.35 system-ui, sans-serif; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
  .cm-legend .sw { display: inline-block; width: 14px; height: 10px; margin-right: 5px; vertical-align: middle;
    border: 1px solid #555; }
  .cm-caption { position: absolute; top: 10px; left: 50px; z-index: 1000; background: rgba(255,255,255,.9);
    padding: 2px 8px; font: 600 14px system-ui, sans-serif; border-radius: 3px; }
  .cm-caption:empty { display: none; }
  .leaflet-control-attribution { font-size: 10px; max-width: 70%; }
  .cm-legend .da, .cm-legend-stale, .cm-legend-diff { display: none; }
  body.cm-lang-da .cm-legend .da { display: inline; } body.cm-lang-da .cm-legend .en { display: none; }
  body.cm-mode-stale .cm-legend-stale { display: block; } body.cm-mode-stale .cm-legend-control { display: none; }
  body.cm-diff .cm-legend-diff { display: block; }
  .cm-copy a { width: auto !important; padding: 0 8px; font: 13px/30px system-ui, sans-serif; }
  .cm-copy-note { font: 12px system-ui, sans-serif; background: #fff; }
  .cm-tip-province { color: #555; } .cm-tip-status { margin-top: 2px; font-weight: 600; }
  /* The scale bar sits bottom right, above the attribution, clear of the legend (bottom left). */
  .leaflet-control-scale { margin-bottom: 2px !important; }
  /* Dari: the page reads right to left, so the legend, the caption and Leaflet's controls mirror. */
  body.cm-lang-da .cm-legend { left: auto; right: 10px; direction: rtl; }
  body.cm-lang-da .cm-legend .sw { margin-right: 0; margin-left: 5px; }
  body.cm-lang-da .cm-caption { left: auto; right: 50px; direction: rtl; }
  body.cm-lang-da .leaflet-tooltip, body.cm-lang-da .leaflet-control-attribution { direction: rtl; }
  body.cm-lang-da .leaflet-left { left: auto; right: 0; }
  body.cm-lang-da .leaflet-right { right: auto; left: 0; }
  body.cm-lang-da .leaflet-left .leaflet-control { float: right; margin-left: 0; margin-right: 10px; }
  body.cm-lang-da .leaflet-right .leaflet-control { float: left; margin-right: 0; margin-left: 10px; }
  @media (max-width: 500px) {
    .cm-legend { font-size: 10px; line-height: 1.25; padding: 3px 5px; bottom: 18px; }
    .cm-legend .sw { width: 10px; height: 8px; }
    .cm-caption { font-size: 12px; }
    .cm-legend { max-width: 56%; }
    .leaflet-control-attribution { max-width: 38%; }
  }
</style>
{% endmacro %}
"""


def _both(key: str, **fmt: object) -> str:
    """A legend text in both languages; the page shows the one its language asks for."""
    return (
        f'<span class="en">{html.escape(t(key, "en", **fmt))}</span>'
        f'<span class="da" dir="rtl" lang="fa">{html.escape(t(key, "da", **fmt))}</span>'
    )


def _legend_body() -> str:
    rows = ['<div class="cm-legend-control">']
    for controller in settings.CONTROLLERS:
        colour = html.escape(settings.CONTROLLER_COLOURS[controller])
        en = html.escape(settings.CONTROLLER_LABELS[controller])
        da = html.escape(CONTROLLER_LABELS_DA[controller])
        rows.append(
            f'<div><span class="sw" style="background:{colour}"></span>'
            f'<span class="en">{en}</span><span class="da" dir="rtl" lang="fa">{da}</span></div>'
        )
    grey = html.escape(settings.CONTROLLER_COLOURS["taliban"])

    def confidence(name: str) -> str:
        return f'<span class="en">{name}</span><span class="da" dir="rtl" lang="fa">{CONFIDENCE_DA[name]}</span> '

    rows.append(
        '<div style="margin-top:4px"><span class="sw" style="background:'
        + grey
        + '"></span>'
        + confidence("confirmed")
        + '<span class="sw" style="background:'
        + grey
        + ';opacity:.38;border-style:dashed"></span>'
        + confidence("claimed")
        + '<span class="sw" style="background:repeating-linear-gradient(45deg,'
        + grey
        + ' 0 3px,#fff 3px 6px)"></span>'
        + confidence("disputed").rstrip()
        + "</div>"
    )
    rows.append(
        '<div class="cm-legend-broad"><span class="sw" style="background:' + grey + ";border:2px dotted #fff;"
        'outline:1px solid #555"></span>' + _both("broad_legend") + "</div>"
    )
    rows.append(f'</div><div class="cm-legend-stale"><div><strong>{_both("age_title")}</strong></div>')
    for _, colour, en, da in STALE_BUCKETS:
        rows.append(
            f'<div><span class="sw" style="background:{html.escape(colour)}"></span>'
            f'<span class="en">{html.escape(en)}</span>'
            f'<span class="da" dir="rtl" lang="fa">{html.escape(da)}</span></div>'
        )
    rows.append(f'<div><span class="sw" style="background:#bdbdbd"></span>{_both("no_evidence_legend")}</div></div>')
    rows.append(
        '<div class="cm-legend-diff"><span class="sw" style="border:2px solid #d400d4"></span>'
        + _both("diff_legend")
        + "</div>"
    )
    return "\n".join(rows)


def build_map_html(districts_gdf: gpd.GeoDataFrame, provinces_gdf: gpd.GeoDataFrame) -> str:
    """Render the static folium page: districts (in ``districts_gdf`` order), provinces, legend.

    Folium inlines GeoJSON in a ``<script>`` without escaping ``</``, so the features carry only
    an index and a checked PCODE. Names travel in a JSON data block with ``<``, ``>`` and ``&``
    escaped, and the shim renders them with textContent, so no name is ever parsed as HTML.
    """
    bad = [p for p in districts_gdf["pcode"] if not PCODE_RE.match(str(p))]
    if bad:
        raise ValueError(f"district PCODEs must look like AF0912; got {bad[:3]!r}")
    # The scale bar (kilometres only) is added by the shim, where the legend does not cover it.
    fmap = folium.Map(location=settings.MAP_CENTER, zoom_start=settings.MAP_ZOOM, tiles=None, control_scale=False)
    fmap.default_js = [("leaflet", "leaflet.js"), ("controlmap", "controlmap.js")]
    fmap.default_css = [("leaflet_css", "leaflet.css")]
    districts = districts_gdf[["pcode", "geometry"]].reset_index(drop=True)
    districts.insert(0, "i", range(len(districts)))
    names = [
        [str(r.name_en), str(r.name_da), str(r.province_en), str(r.province_da)]
        for r in districts_gdf[["name_en", "name_da", "province_en", "province_da"]].itertuples(index=False)
    ]
    fmap.get_root().header.add_child(
        Element(f'<script type="application/json" id="cm-names">{json_for_script(names)}</script>')
    )
    unknown = settings.CONTROLLER_COLOURS["unknown"]
    layer = folium.GeoJson(
        _page_geojson(districts),
        name="districts",
        style_function=lambda _f: {"fillColor": unknown, "fillOpacity": 0.45, "color": "#555555", "weight": 0.6},
        zoom_on_click=False,
        control=False,
    )
    layer.add_to(fmap)
    folium.GeoJson(
        _page_geojson(provinces_gdf[["province_pcode", "geometry"]]),
        name="provinces",
        style_function=lambda _f: {"fill": False, "color": "#222222", "weight": 1.6, "interactive": False},
        interactive=False,
        control=False,
    ).add_to(fmap)
    legend = MacroElement()
    legend._template = Template(_LEGEND_TEMPLATE)
    legend.body = _legend_body()
    legend.aria_label = f"{t('legend', 'en')} / {t('legend', 'da')}"
    legend.add_to(fmap)
    fmap.fit_bounds(BOUNDS)
    options = {
        "colours": settings.CONTROLLER_COLOURS,
        "attribution": html.escape(settings.ATTRIBUTION),
        "attribution_da": html.escape(attribution("da")),
        "text": {key: [t(key, "en"), t(key, "da")] for key in SHIM_TEXT_KEYS},
        "height": MAP_HEIGHT,
        "bounds": BOUNDS,
        "palette": palette(),
    }
    init = MacroElement()
    init.layer, init.cm_options = layer, json.dumps(options)
    # A map child renders after the layers added before it, so both JS variables exist by then.
    # The names are looked up at render time, after _number_elements has fixed them.
    init._template = Template(
        "{% macro script(this, kwargs) %}controlmapInit("
        "{{ this._parent.get_name() }}, {{ this.layer.get_name() }}, {{ this.cm_options }});{% endmacro %}"
    )
    init.add_to(fmap)
    root = fmap.get_root()
    _number_elements(root)
    return root.render()


def _page_geojson(gdf: gpd.GeoDataFrame) -> dict:
    """``gdf`` as GeoJSON for the page: coordinates rounded to COORD_DECIMALS, no bounding boxes.

    Every vertex is rounded on its own, so neighbours that share a border still share it exactly.
    """
    rounded = shapely.transform(np.asarray(gdf.geometry.values), lambda xy: np.round(xy, COORD_DECIMALS))
    return gdf.assign(geometry=gpd.GeoSeries(rounded, index=gdf.index, crs=gdf.crs)).to_geo_dict(show_bbox=False)


def _number_elements(root: Element) -> None:
    """Give every element of the page a sequential id in place of branca's random one.

    Branca names each element (and so each JavaScript variable and the map's div) after 16
    random bytes, so the page, and the content-addressed folder it is served from, would differ
    on every server start. Numbered in tree order, the same input renders the same bytes.
    """
    count = 0

    def visit(element: Element) -> None:
        nonlocal count
        count += 1
        element._id = f"{count:04d}"
        children = list(element._children.values())
        for child in children:
            visit(child)
        element._children = OrderedDict((child.get_name(), child) for child in children)

    visit(root)
    for part in ("header", "html", "script"):  # a Figure's sections are not among its children
        if isinstance(getattr(root, part, None), Element):
            visit(getattr(root, part))


def change_points_table(timeline: Timeline, pcodes: Sequence[str]) -> dict[str, object]:
    """Each district's palette code at each of its change points, for the browser to look dates up.

    ``points[i]`` lists ``[iso date, code]`` for district ``pcodes[i]`` whenever its code changes;
    before the first point a district is ``unknown``. The size follows the changes, not the days.
    """
    return {
        "unknown": _CHAR_FOR[("unknown", "", False)],
        "points": timeline.index.change_points(pcodes, _CHAR_FOR),
    }


def publish_codes(component_dir: Path, version: str, table: Mapping[str, object]) -> str:
    """Write the codes table (change points) beside the map page; return its file name.

    The shim loads it once and can then repaint a slider step without waiting for the server.
    The name carries the data version, so a changed timeline is never read from a stale file.
    """
    name = f"codes-{version}.json"
    target = component_dir / name
    # Tables of earlier data versions are not read again (each page names its own); keep the
    # newest other one for a replica that may still serve the previous version.
    others = sorted((p for p in component_dir.glob("codes-*.json") if p.name != name), key=lambda p: p.stat().st_mtime)
    for old in others[:-1]:
        with contextlib.suppress(OSError):
            old.unlink()
    if not target.is_file():
        fd, tmp = tempfile.mkstemp(dir=component_dir, prefix=".codes-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(table, separators=(",", ":")))  # dumps is C; dump streams through Python
        os.replace(tmp, target)
    return name


def prepare_component_dir(page_html: str, cache_dir: Path) -> Path:
    """Write the page, Leaflet and the shim to ``cache_dir/component/<hash>``; return that folder.

    The folder name is a hash of everything in it, so a changed map never reuses stale files,
    and it is written to a temp folder first and renamed, so a half-written folder is never served.
    """
    shim = (FRONTEND_DIR / "controlmap.js").read_bytes()
    leaflet_dir = Path(xleaflet.BASE_DIR)
    files = {
        "index.html": page_html.encode("utf-8"),
        "controlmap.js": shim,
        "leaflet.js": (leaflet_dir / "leaflet.js").read_bytes(),
        "leaflet.css": (leaflet_dir / "leaflet.css").read_bytes(),
    }
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name])
    target = cache_dir / "component" / digest.hexdigest()[:16]

    def fill(staging: Path) -> None:
        for name, data in files.items():
            (staging / name).write_bytes(data)

    if not publish_dir(target, fill, complete="index.html"):
        _touch(target)
    prune_component_dirs(target)
    return target


def _touch(folder: Path) -> None:
    with contextlib.suppress(OSError):  # a read-only cache still serves
        os.utime(folder)


def prune_component_dirs(current: Path, *, keep: int = KEEP_COMPONENT_DIRS, stale_after: float = 3600.0) -> list[Path]:
    """Remove old map folders beside ``current``; return the ones removed.

    ``current`` and the ``keep - 1`` most recently used others stay (a server still running the
    previous build may serve from it), as does a staging folder younger than ``stale_after``
    seconds (another process may be writing it).
    """
    try:
        entries = list(current.parent.iterdir())
    except OSError:
        return []
    now = time.time()

    def mtime(path: Path) -> float:
        try:
            return path.lstat().st_mtime
        except OSError:
            return now

    others = sorted(
        (p for p in entries if p != current and not p.name.startswith(".") and p.is_dir() and not p.is_symlink()),
        key=mtime,
        reverse=True,
    )
    doomed = others[max(keep - 1, 0) :]
    doomed += [p for p in entries if p.name.startswith(STAGING_PREFIX) and now - mtime(p) > stale_after]
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
    return [p for p in doomed if not p.exists()]
