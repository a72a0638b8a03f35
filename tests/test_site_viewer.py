"""The static viewer's files (components/site): reproducible, hashed, relative, small; and the app's Embed control."""

from __future__ import annotations

import bisect
import datetime as dt
import gzip
import hashlib
import html
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from components.district_map import COORD_DECIMALS
from components.embed import embed_snippet, site_url
from components.i18n import METHODOLOGY, attribution
from components.site import build_viewer
from components.site._ledger import step_state
from components.site._mapdata import encode_rings, solar_months
from components.view_state import ViewState
from geo import boundaries
from geo.control import district_state
from geo.solar import to_solar
from geo.timeline import Timeline, load_timeline
from tests.conftest import REPO, TEST_DATA, shared_boundaries

RELEASE = {"version": "2021-09-24+0123456789ab", "citation": "Cite <b>me</b> & co", "license": "x", "created": "2021"}
FIRST_VISIT_LIMIT = 300_000  # issue 24: bytes on the wire for a first visit (gzip here; nginx adds brotli)


@pytest.fixture(scope="module")
def provinces(tmp_path_factory: pytest.TempPathFactory) -> gpd.GeoDataFrame:
    cache = tmp_path_factory.mktemp("provinces-cache")
    return boundaries.load_provinces(config_dir=shared_boundaries(), cache_dir=cache, allow_download=False)


@pytest.fixture(scope="module")
def timeline(real_districts: gpd.GeoDataFrame) -> Timeline:
    return load_timeline(REPO / "data", real_districts)


def build(out: Path, timeline: Timeline, districts: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame) -> Path:
    (out / "data").mkdir(parents=True)
    build_viewer(out, timeline=timeline, districts_gdf=districts, provinces_gdf=provinces, release=RELEASE)
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory, timeline, real_districts, provinces) -> Path:
    return build(tmp_path_factory.mktemp("viewer") / "site", timeline, real_districts, provinces)


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_same_input_gives_byte_identical_output(site, tmp_path, timeline, real_districts, provinces):
    again = build(tmp_path / "again", timeline, real_districts, provinces)
    first, second = files_of(site), files_of(again)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    assert len([n for n in first if n.startswith("assets/ledger/")]) == len(real_districts)


def test_asset_names_carry_the_hash_of_their_bytes(site):
    for name, data in files_of(site / "assets").items():
        found = re.fullmatch(r"(?:ledger/)?[A-Za-z0-9_-]+\.([0-9a-f]{12})\.(js|css|svg)", name)
        assert found, name
        assert found.group(1) == hashlib.sha256(data).hexdigest()[:12], name


def test_every_url_is_relative_and_nothing_is_requested_from_another_host(site):
    for page in ("index.html", "methodology.html"):
        text = (site / page).read_text(encoding="utf-8")
        for attr, url in re.findall(r'\b(src|href)="([^"]*)"', text):
            assert url.startswith(("./", "?", "#")), (page, attr, url)
    viewer = next((site / "assets").glob("viewer.*.js")).read_text(encoding="utf-8")
    # the one absolute URL in the script is the SVG namespace (an identifier, never fetched)
    assert set(re.findall(r"https?://[^\s\"']+", viewer)) == {"http://www.w3.org/2000/svg"}
    assert "fetch(" not in viewer and "XMLHttpRequest" not in viewer and "localStorage" not in viewer
    for css in (site / "assets").glob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css.name


def test_a_first_visit_stays_under_300_kb_compressed(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    wanted = ["index.html", *(u.removeprefix("./") for u in re.findall(r'(?:src|href)="(\./assets/[^"]+)"', index))]
    assert any(w.startswith("assets/map.") for w in wanted) and any(w.startswith("assets/leaflet.") for w in wanted)
    sizes = {name: len(gzip.compress((site / name).read_bytes(), 9)) for name in wanted}
    assert sum(sizes.values()) <= FIRST_VISIT_LIMIT, sizes
    assert len((site / "index.html").read_bytes()) < 20_000


def test_the_page_shows_the_release_and_the_attribution_escaped(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    assert html.escape(RELEASE["citation"]) in index and "<b>me</b>" not in index
    assert RELEASE["version"] in index
    assert html.escape(attribution("en")) in index and html.escape(attribution("da")) in index
    assert "./data/datapackage.json" in index


def test_methodology_page_has_both_languages(site):
    page = (site / "methodology.html").read_text(encoding="utf-8")
    for lang in ("en", "da"):
        heading = next(line for line in METHODOLOGY[lang].splitlines() if line.startswith("### "))
        assert f"<h3>{html.escape(heading[4:])}</h3>".replace("&#x27;", "&#39;") in page
    assert 'dir="rtl"' in page and "AGCHO" in page and "<script" not in page
    # the "Known gaps" figures computed from the data, as on the app's page
    assert "computed from the data" in page and "محاسبه‌شده از داده‌ها" in page


def test_rings_decode_to_the_apps_rounded_geometry(real_districts):
    for geometry in real_districts.geometry.iloc[::37]:
        rings = encode_rings(geometry)
        rounded = shapely.transform(geometry, lambda xy: np.round(xy, COORD_DECIMALS))
        polygons = list(rounded.geoms) if rounded.geom_type == "MultiPolygon" else [rounded]
        expected = [ring for p in polygons for ring in (p.exterior, *p.interiors)]
        assert len(rings) == len(expected)
        for encoded, ring in zip(rings, expected, strict=True):
            xy = np.cumsum(np.array(encoded[1:]).reshape(-1, 2), axis=0) / 10**COORD_DECIMALS
            assert np.allclose(xy, np.asarray(ring.coords)[:, :2], atol=1e-9)


def test_solar_month_table_matches_geo_solar_on_every_day():
    start, end = dt.date(2020, 12, 1), dt.date(2022, 4, 1)
    months = solar_months(start, end)
    for offset in range((end - start).days + 1):
        row = max((m for m in months if m[0] <= offset), key=lambda m: m[0])
        assert (row[1], row[2], offset - row[0] + 1) == to_solar(start + dt.timedelta(days=offset))


def test_embed_snippet_carries_the_view_and_the_sandbox(monkeypatch):
    view = ViewState(dt.date(2021, 8, 20), "AF0912", (35.5, 69.2), 8, None, False, "da")
    snippet = embed_snippet("https://example.org/map/", view, title='A "map"')
    assert snippet.startswith('<iframe src="https://example.org/map/?date=2021-08-20&amp;district=AF0912')
    assert "lat=35.5000&amp;lon=69.2000&amp;z=8&amp;lang=da&amp;embed=1" in snippet
    assert 'sandbox="allow-scripts allow-popups"' in snippet and 'title="A &quot;map&quot;"' in snippet
    for bad in ("javascript:alert(1)", "ftp://x/", "https://a b/", ""):
        monkeypatch.setenv("CONTROLMAP_SITE_URL", bad)
        assert site_url() is None, bad
    monkeypatch.setenv("CONTROLMAP_SITE_URL", " https://example.org/map/?x=1 ")
    assert site_url() == "https://example.org/map/"


def test_the_app_offers_the_embed_snippet_when_the_site_url_is_set(monkeypatch, tmp_path):
    monkeypatch.setenv("CONTROLMAP_BOUNDARIES_DIR", str(shared_boundaries()))
    monkeypatch.setenv("CONTROLMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CONTROLMAP_OFFLINE", "1")
    monkeypatch.setenv("CONTROLMAP_DATA_DIR", str(TEST_DATA / "valid"))
    monkeypatch.setenv("CONTROLMAP_SITE_URL", "https://example.org/map/")
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["date"] = "2021-08-21"
    at.query_params["district"] = "AF0912"
    at.run()
    assert not at.exception
    snippets = [c.value for c in at.code if "<iframe" in c.value]
    assert len(snippets) == 1
    assert "https://example.org/map/?date=2021-08-21&amp;district=AF0912" in snippets[0]
    assert "embed=1" in snippets[0]
    monkeypatch.delenv("CONTROLMAP_SITE_URL")
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not [c for c in at.code if "<iframe" in c.value]


@pytest.mark.parametrize("folder", ["real", "graded", "hostile", "dense"])
def test_step_state_equals_district_state_at_every_step(folder, real_districts, tmp_path):
    if folder == "dense":  # many claims per district over few days: denials, opposing claims, runs
        from tests.bench.engine import generate

        data = tmp_path / "dense"
        generate(data, 4000, 40, True)
    else:
        data = REPO / "data" if folder == "real" else TEST_DATA / folder
    timeline = load_timeline(data, real_districts)
    checked = 0
    for pcode, claims in timeline.by_district.items():
        history = sorted(claims, key=lambda c: (c.date, c.id))
        dates = [c.date for c in history]
        steps = timeline.index.steps[pcode]
        at_first = step_state(pcode, history, dates, 0, None)
        assert at_first == district_state(pcode, history, date=dates[0] - dt.timedelta(days=1))
        for step in steps:
            k = bisect.bisect_right(dates, step.date)
            assert step_state(pcode, history, dates, k, step) == district_state(pcode, history, date=step.date), (
                pcode,
                step.date,
            )
            checked += 1
    assert checked >= len(timeline.by_district)
