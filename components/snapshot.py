"""A static PNG of the control map at one date, for articles: matplotlib (Agg), no Streamlit.

The styles follow the web map (``components.district_map.CONFIDENCE_STYLE``), adapted for a
white page: confirmed districts are solid, claimed ones lighter with a dashed edge, disputed
ones hatched in the controller's colour over a light tint, and unknown ones pale grey.

Everything is drawn on a private ``Figure`` with an Agg canvas, never through pyplot, so
concurrent Streamlit sessions share no global figure state. Free text (title, attribution,
labels) is drawn with mathtext and TeX off: a ``$`` in a title is only a dollar sign.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
import textwrap
import unicodedata
from collections.abc import Mapping

import geopandas as gpd
import numpy as np
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.colors import to_rgb, to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path
from matplotlib.text import Text
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from components.i18n import t
from geo import settings
from geo.control import DistrictState

FIGSIZE_IN = (12.0, 8.0)
MAP_BOX = (0.02, 0.07, 0.72, 0.81)  # left, bottom, width, height (figure fractions)
LEGEND_X = 0.755
MIN_DPI, MAX_DPI = 30, 600
TITLE_MAX_CHARS = 90
LABEL_WIDTH, LABEL_MAX_CHARS = 32, 80
ATTRIBUTION_WIDTH, ATTRIBUTION_MAX_LINES = 170, 3
TEXT_COLOUR = "#222222"
DISTRICT_EDGE = "#ffffff"
PROVINCE_EDGE = "#333333"
CONFIDENCE_KEY_COLOUR = "#666666"
# Arabic-script fonts are fallbacks for Dari labels (matplotlib >= 3.11 shapes and orders them).
# Only installed families are named, so a machine without them logs no font-lookup warnings;
# clean_text then turns the characters it cannot draw into U+FFFD.
FONT_PREFERENCE = ("DejaVu Sans", "Noto Sans Arabic", "Noto Naskh Arabic", "Vazirmatn")
CONFIDENCE_LABELS = {c: t(f"png_{c}", "en") for c in settings.CONFIDENCES}  # Dari: the caller's labels
_CLAIMED_ALPHA = 0.4
_DISPUTED_TINT = 0.22  # share of the controller colour in a disputed district's light fill
_UNKNOWN_ALPHA = 0.55


@functools.cache
def _font_families() -> tuple[str, ...]:
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return tuple(name for name in FONT_PREFERENCE if name in installed) or ("sans-serif",)


@functools.cache
def _covered_codepoints() -> frozenset[int]:
    """Return the code points that the snapshot's fonts can draw."""
    covered: set[int] = set()
    for family in _font_families():
        path = font_manager.findfont(FontProperties(family=family))
        covered.update(FT2Font(path).get_charmap())
    return frozenset(covered)


def clean_text(text: str, *, limit: int) -> str:
    """Return ``text`` on one line without control characters, cut to ``limit`` characters.

    Control and format characters (NUL, bidi overrides) are dropped because FreeType and the
    bidi layout would otherwise garble or reorder the surrounding text; line breaks become
    spaces so a hostile title cannot push the layout off the page. Characters no installed font
    can draw (emoji, say) become U+FFFD rather than a per-draw "missing glyph" warning.
    """
    covered = _covered_codepoints()
    replacement = "\ufffd" if ord("\ufffd") in covered else "?"
    kept = []
    for char in str(text):
        category = unicodedata.category(char)
        if char in "\n\r\t\v\f\u2028\u2029":
            kept.append(" ")
        elif category in {"Cc", "Cs", "Co", "Cn"} or (category == "Cf" and char not in "\u200c\u200d"):
            # ZWNJ/ZWJ stay: Dari spelling needs the zero-width non-joiner.
            continue
        else:
            kept.append(char if ord(char) in covered else replacement)
    single = " ".join("".join(kept).split())
    return single if len(single) <= limit else single[: limit - 1].rstrip() + "…"


def _tint(colour: str, share: float) -> tuple[float, float, float]:
    rgb = np.array(to_rgb(colour))
    return tuple(float(v) for v in rgb * share + (1.0 - share))


def _style(colour: str, confidence: str) -> dict[str, object]:
    """Return the Patch/collection keyword arguments for a colour at a confidence ("" = unknown)."""
    if confidence == "claimed":
        return {
            "facecolor": to_rgba(colour, _CLAIMED_ALPHA),
            "edgecolor": colour,
            "linewidth": 0.8,
            "linestyle": (0, (3.0, 2.0)),
        }
    if confidence == "disputed":
        return {
            "facecolor": _tint(colour, _DISPUTED_TINT),
            "edgecolor": colour,
            "hatchcolor": colour,
            "hatch": "///",
            "linewidth": 0.6,
        }
    if confidence == "confirmed":
        return {"facecolor": to_rgba(colour, 1.0), "edgecolor": DISTRICT_EDGE, "linewidth": 0.3}
    return {"facecolor": to_rgba(colour, _UNKNOWN_ALPHA), "edgecolor": DISTRICT_EDGE, "linewidth": 0.3}


def _district_style(controller: str, confidence: str) -> dict[str, object]:
    if controller not in settings.CONTROLLER_COLOURS or controller == "unknown":
        return _style(settings.CONTROLLER_COLOURS["unknown"], "")
    return _style(settings.CONTROLLER_COLOURS[controller], confidence)


# Draw order: solid fills first, so the dashed and hatched districts' edges are not overpainted.
_LAYER_ORDER = {"": 0, "confirmed": 1, "claimed": 2, "disputed": 3}


def _rings_path(geometry: BaseGeometry | None) -> Path | None:
    """Return one compound path for a (multi)polygon, exteriors CCW and holes CW."""
    if geometry is None or geometry.is_empty:
        return None
    if isinstance(geometry, Polygon):
        polygons = [geometry]
    elif isinstance(geometry, MultiPolygon):
        polygons = list(geometry.geoms)
    else:
        polygons = [g for g in getattr(geometry, "geoms", ()) if isinstance(g, Polygon)]
    vertices: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for polygon in polygons:
        # Consistent winding makes holes render as holes under any fill rule.
        oriented = orient(polygon, 1.0)
        for ring in (oriented.exterior, *oriented.interiors):
            coords = np.asarray(ring.coords)[:, :2]
            if len(coords) < 4:
                continue
            ring_codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
            ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
            vertices.append(coords)
            codes.append(ring_codes)
    if not vertices:
        return None
    return Path(np.concatenate(vertices), np.concatenate(codes))


def _geographic(gdf: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        raise ValueError(f"{name} has no CRS; set it (the boundaries are {settings.CRS})")
    return gdf if gdf.crs == settings.CRS else gdf.to_crs(settings.CRS)


def _draw_map(
    ax: Axes, districts_gdf: gpd.GeoDataFrame, provinces_gdf: gpd.GeoDataFrame, states: Mapping[str, DistrictState]
) -> None:
    groups: dict[tuple[str, str], list[PathPatch]] = {}
    for pcode, geometry in zip(districts_gdf["pcode"], districts_gdf.geometry, strict=True):
        path = _rings_path(geometry)
        if path is None:
            continue
        state = states.get(pcode)
        key = (state.controller, state.confidence) if state is not None else ("unknown", "")
        groups.setdefault(key, []).append(PathPatch(path))
    for (controller, confidence), patches in sorted(groups.items(), key=lambda item: _LAYER_ORDER.get(item[0][1], 1)):
        collection = PatchCollection(patches, **_district_style(controller, confidence))
        ax.add_collection(collection, autolim=False)
    province_paths = [PathPatch(p) for p in map(_rings_path, provinces_gdf.geometry) if p is not None]
    ax.add_collection(
        PatchCollection(province_paths, facecolor="none", edgecolor=PROVINCE_EDGE, linewidth=1.1), autolim=False
    )
    minx, miny, maxx, maxy = districts_gdf.total_bounds
    pad_x, pad_y = (maxx - minx) * 0.015, (maxy - miny) * 0.015
    ax.set_xlim(minx - pad_x, maxx + pad_x)
    ax.set_ylim(miny - pad_y, maxy + pad_y)
    # Degrees of longitude shrink with latitude; this keeps shapes true at the map's centre.
    ax.set_aspect(1.0 / math.cos(math.radians((miny + maxy) / 2)), adjustable="box", anchor="C")
    ax.set_axis_off()


def _legend_entries(labels: Mapping[str, str]) -> list[tuple[list[Patch], list[str]]]:
    """Return (handles, labels) for the controller key and for the confidence key."""
    controllers = [Patch(**_district_style(c, "confirmed")) for c in settings.CONTROLLERS]
    for handle in controllers:
        # A thin dark frame keeps the pale swatches (unknown) visible on white.
        handle.set_edgecolor("#555555")
        handle.set_linewidth(0.5)
    confidences = [Patch(**_style(CONFIDENCE_KEY_COLOUR, c)) for c in settings.CONFIDENCES]
    defaults = {**settings.CONTROLLER_LABELS, **CONFIDENCE_LABELS}

    def names(keys: tuple[str, ...]) -> list[str]:
        # Wrapped, because the key column is narrow and long labels would run off the page.
        texts = (clean_text(labels.get(k, defaults[k]), limit=LABEL_MAX_CHARS) for k in keys)
        return ["\n".join(textwrap.wrap(text, width=LABEL_WIDTH)) for text in texts]

    return [(controllers, names(settings.CONTROLLERS)), (confidences, names(settings.CONFIDENCES))]


def _shrink_to_width(figure: Figure, text: Text, *, fraction: float) -> None:
    """Reduce ``text``'s font size until it spans at most ``fraction`` of the figure's width.

    Clipping at a character count is not enough: 90 wide glyphs (W, CJK) run off the page.
    """
    renderer = figure.canvas.get_renderer()
    limit = figure.bbox.width * fraction
    width = text.get_window_extent(renderer).width
    if width > limit:
        text.set_fontsize(max(text.get_fontsize() * limit / width, 4.0))


def _plain_text(texts: list[Text]) -> None:
    for text in texts:
        text.set_parse_math(False)
        text.set_usetex(False)


def snapshot_figure(
    districts_gdf: gpd.GeoDataFrame,
    provinces_gdf: gpd.GeoDataFrame,
    states: Mapping[str, DistrictState],
    *,
    date: dt.date,
    title: str,
    attribution: str,
    labels: Mapping[str, str] | None = None,
    date_label: str | None = None,
    dpi: int = 150,
) -> Figure:
    """Build the snapshot as a matplotlib Figure on its own Agg canvas (see ``render_png``).

    The map is the figure's first axes, in EPSG:4326 coordinates. Districts missing from
    ``states`` are drawn as unknown.
    """
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise ValueError(f"dpi must be between {MIN_DPI} and {MAX_DPI}, not {dpi}")
    labels = settings.CONTROLLER_LABELS if labels is None else labels
    fonts = list(_font_families())
    figure = Figure(figsize=FIGSIZE_IN, dpi=dpi, facecolor="white")
    FigureCanvasAgg(figure)
    ax = figure.add_axes(MAP_BOX)
    _draw_map(ax, _geographic(districts_gdf, "districts_gdf"), _geographic(provinces_gdf, "provinces_gdf"), states)
    plain = {"parse_math": False, "usetex": False, "fontfamily": fonts, "color": TEXT_COLOUR}
    title_text = figure.text(0.02, 0.975, clean_text(title, limit=TITLE_MAX_CHARS), fontsize=15, va="top", **plain)
    shown_date = clean_text(date_label, limit=TITLE_MAX_CHARS) if date_label else date.isoformat()
    date_text = figure.text(0.02, 0.935, shown_date, fontsize=26, fontweight="bold", va="top", **plain)
    _shrink_to_width(figure, date_text, fraction=0.7)
    wrapped = textwrap.wrap(
        clean_text(attribution, limit=ATTRIBUTION_WIDTH * ATTRIBUTION_MAX_LINES), width=ATTRIBUTION_WIDTH
    )
    attribution_text = figure.text(0.02, 0.012, "\n".join(wrapped), fontsize=7.5, va="bottom", **plain)
    _shrink_to_width(figure, title_text, fraction=0.96)
    _shrink_to_width(figure, attribution_text, fraction=0.96)
    for (handles, names), top in zip(_legend_entries(labels), (0.86, 0.55), strict=True):
        legend = figure.legend(
            handles,
            names,
            loc="upper left",
            bbox_to_anchor=(LEGEND_X, top),
            frameon=False,
            handlelength=2.4,
            handleheight=1.6,
            prop={"family": fonts, "size": 9},
        )
        _plain_text(legend.get_texts())
    return figure


def render_png(
    districts_gdf: gpd.GeoDataFrame,
    provinces_gdf: gpd.GeoDataFrame,
    states: Mapping[str, DistrictState],
    *,
    date: dt.date,
    title: str,
    attribution: str,
    labels: Mapping[str, str] | None = None,
    date_label: str | None = None,
    dpi: int = 150,
) -> bytes:
    """Render the control map at ``date`` as PNG bytes, for articles.

    ``states`` maps PCODE to the state at ``date`` (``geo.control.state_at``). ``labels`` maps
    controller (and optionally confidence) keys to display labels, for instance Dari ones;
    missing keys fall back to English. ``date_label`` is the date as the reader's calendar writes
    it (the solar date in Dari); the ISO date by default. The output is byte-for-byte reproducible: no
    software or time stamp is written into the file.
    """
    figure = snapshot_figure(
        districts_gdf,
        provinces_gdf,
        states,
        date=date,
        title=title,
        attribution=attribution,
        labels=labels,
        date_label=date_label,
        dpi=dpi,
    )
    buffer = io.BytesIO()
    try:
        figure.savefig(buffer, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
    finally:
        # No pyplot manager holds this figure; clearing drops its artists' memory right away.
        figure.clear()
    return buffer.getvalue()
