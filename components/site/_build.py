"""Write the static viewer: index.html, methodology.html and content-hashed assets.

Data reaches the browser as JavaScript files that call one function (``cmMap(…)``,
``cmLedger(…)``), not as JSON fetched with ``fetch``: inside ``<iframe sandbox="allow-scripts">``
the page has an opaque origin, and a fetch of its own files would be a cross-origin request that
most static hosts refuse, while a script element loads from any host. Every name in assets/
carries a hash of its bytes, so a host may cache it forever; index.html has no hash and is small.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
from pathlib import Path

import geopandas as gpd
import xstatic.pkg.leaflet as xleaflet
from markdown_it import MarkdownIt

from components.district_map import _LEGEND_TEMPLATE, _legend_body
from components.i18n import TEXT, attribution, t
from components.ledger import LEDGER_CSS
from components.methodology_text import methodology_text
from components.site._ledger import district_ledger
from components.site._mapdata import evidence_days, map_data
from geo import audit
from geo.timeline import Timeline

HERE = Path(__file__).resolve().parent
HASH_CHARS = 12


def _js_call(function: str, *args: object) -> bytes:
    """``function(arg, …);`` with each argument as compact JSON (valid JavaScript)."""
    text = ",".join(json.dumps(a, ensure_ascii=False, separators=(",", ":")) for a in args)
    # U+2028/2029 are valid in JSON and in ES2019 strings, but escaped they are safe in any engine.
    return f"{function}({text});\n".replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode("utf-8")


class Assets:
    """Writes files as ``assets/<stem>.<hash>.<ext>`` and remembers their relative URLs."""

    def __init__(self, out: Path) -> None:
        """Write under ``out/assets``."""
        self.root = out / "assets"
        self.root.mkdir(parents=True, exist_ok=True)
        self.urls: dict[str, str] = {}

    def add(self, name: str, data: bytes, folder: str = "") -> str:
        """Write ``data`` under a content-hashed name; return its URL relative to the site's root."""
        stem, _, ext = name.partition(".")
        hashed = f"{stem}.{hashlib.sha256(data).hexdigest()[:HASH_CHARS]}.{ext}"
        target = self.root / folder / hashed if folder else self.root / hashed
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        url = f"./assets/{folder + '/' if folder else ''}{hashed}"
        self.urls[f"{folder}/{name}" if folder else name] = url
        return url


def _style_of(template: str) -> str:
    """The CSS inside a template's ``<style>`` element (the app's own legend and ledger styles)."""
    return template.split("<style>", 1)[1].split("</style>", 1)[0].strip()


def _both(key: str) -> str:
    """A static label in both languages; the page shows the one its language asks for."""
    en, da = (html.escape(x) for x in TEXT[key])
    return f'<span class="en">{en}</span><span class="da" lang="fa">{da}</span>'


def _ledgers(assets: Assets, timeline: Timeline, districts_gdf: gpd.GeoDataFrame) -> dict[str, str]:
    names = {}
    for lang, suffix in (("en", "en"), ("da", "da")):
        found = dict(zip(districts_gdf["province_pcode"], districts_gdf[f"province_{suffix}"], strict=False))
        found.update(zip(districts_gdf["pcode"], districts_gdf[f"name_{suffix}"], strict=True))
        names[lang] = found
    files = {}
    for row in districts_gdf.drop(columns="geometry").to_dict("records"):
        pcode = str(row["pcode"])
        payload = district_ledger(pcode, row, timeline, names)
        url = assets.add(f"{pcode}.js", _js_call("cmLedger", pcode, payload), folder="ledger")
        files[pcode] = url.rsplit("/", 1)[1]
    return files


def build(
    out: Path, *, timeline: Timeline, districts_gdf: gpd.GeoDataFrame, provinces_gdf: gpd.GeoDataFrame, release: dict
) -> None:
    """Write index.html, methodology.html and assets/ into ``out`` (see ``components.site.build_viewer``)."""
    out = Path(out)
    assets = Assets(out)
    leaflet = Path(xleaflet.BASE_DIR)
    urls = {
        "leaflet_js": assets.add("leaflet.js", (leaflet / "leaflet.js").read_bytes()),
        "leaflet_css": assets.add("leaflet.css", (leaflet / "leaflet.css").read_bytes()),
    }
    css = "\n".join(
        [
            _style_of(_LEGEND_TEMPLATE),
            _style_of(LEDGER_CSS),
            (HERE / "viewer.css").read_text(encoding="utf-8"),
        ]
    )
    urls["viewer_css"] = assets.add("viewer.css", css.encode("utf-8"))
    # An icon of our own, so the browser does not ask the host for /favicon.ico (a 404 on most hosts).
    icon = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" fill="#b03a2e"/>'
    icon += "</svg>"
    urls["icon"] = assets.add("icon.svg", icon.encode("utf-8"))
    urls["viewer_js"] = assets.add("viewer.js", (HERE / "viewer.js").read_bytes())
    data = map_data(timeline, districts_gdf, provinces_gdf, release)
    pcodes = data["pcodes"]
    start = dt.date.fromisoformat(data["start"])
    data["ledgers"] = _ledgers(assets, timeline, districts_gdf)
    urls["evidence"] = assets.add("evidence.js", _js_call("cmEvidence", evidence_days(timeline, pcodes, start)))
    data["evidence"] = urls["evidence"]
    urls["map"] = assets.add("map.js", _js_call("cmMap", data))
    page = (HERE / "index.html").read_text(encoding="utf-8")
    fill = {
        **urls,
        "legend": _legend_body(),
        "title": html.escape(t("title", "en")),
        "version": html.escape(str(release.get("version", ""))),
        "citation": html.escape(str(release.get("citation", ""))),
        "attribution_en": html.escape(attribution("en")),
        "attribution_da": html.escape(attribution("da")),
    }
    for key in ("subtitle", "nav_methodology", "stale", "pick_info", "embed", "release_version", "release_cite"):
        fill[f"t_{key}"] = _both(key)
    fill["t_release_data"] = _both("release_data")
    for key, value in fill.items():
        page = page.replace("{{" + key + "}}", value)
    (out / "index.html").write_text(page, encoding="utf-8")
    (out / "methodology.html").write_text(_methodology_page(timeline, urls, release), encoding="utf-8")


def _methodology_page(timeline: Timeline, urls: dict[str, str], release: dict) -> str:
    """The Methodology text (the app's, rendered from its markdown) in English, then in Dari."""
    md = MarkdownIt("commonmark", {"html": False})
    parts = []
    figures = audit.status_figures(timeline)  # the same "Known gaps" figures as the app's page
    for lang in ("en", "da"):
        counts = t(
            "m_counts",
            lang,
            claims=len(timeline.claims),
            sources=len(timeline.sources),
            districts=len(timeline.by_district),
            start=timeline.start or dt.date(2021, 1, 1),
            end=timeline.end or dt.date(2021, 1, 1),
        )
        body = md.render(counts + "\n\n" + methodology_text(lang, figures))
        direction = ' dir="rtl" lang="fa"' if lang == "da" else ' lang="en"'
        parts.append(
            f'<section id="{lang}"{direction}><h1>{html.escape(t("m_title", lang))}</h1>{body}'
            f"<p>{html.escape(t('release_version', lang))}: {html.escape(str(release.get('version', '')))}</p>"
            "</section>"
        )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{html.escape(t('m_title', 'en'))} · {html.escape(t('title', 'en'))}</title>"
        f'<link rel="icon" href="{urls["icon"]}" type="image/svg+xml">'
        f'<link rel="stylesheet" href="{urls["viewer_css"]}"></head>'
        '<body class="cm-doc"><nav><a href="./index.html">'
        f'{html.escape(t("nav_map", "en"))}</a> · <a href="./index.html?lang=da">{html.escape(t("nav_map", "da"))}'
        '</a> · <a href="#da">دری</a></nav>' + "".join(parts) + "</body></html>\n"
    )
