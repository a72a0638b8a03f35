"""Real-browser tests with the real data: Debian's Chromium (through playwright) drives the app.

One Streamlit server and one browser serve the whole module; every test gets a fresh browser
context (so a fresh Streamlit session). See tests/browserkit.py for the machinery.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright import sync_api

from geo import settings
from tests.browserkit import (
    N_DISTRICTS,
    PATHS,
    PROBE,
    Witness,
    fill_of,
    href,
    map_frame,
    paths_in,
    query,
    running_app,
    slider_text,
    wait_for,
    wait_for_fill,
    wait_script_idle,
)
from tests.conftest import REPO, shared_boundaries

pytestmark = pytest.mark.browser

DATA = REPO / "data"
PUL_E_HISAR = "AF0912"


def _covers(row: dict[str, str], pcode: str, province: str) -> bool:
    left_out = {x.strip() for x in row.get("except", "").split(";")}
    scope = row.get("scope") or "district"
    if scope == "district":
        return row["district"] == pcode
    if pcode in left_out or pcode[:4] in left_out:
        return False
    return scope == "country" or row["province"] == province


def sources_cited_by(pcode: str, province: str = "Baghlan") -> dict[str, str]:
    """Source id -> URL for every source cited by a claim about ``pcode`` in data/ (broad claims too)."""
    with (DATA / "claims.csv").open(newline="", encoding="utf-8") as fh:
        ids = {
            sid.strip()
            for row in csv.DictReader(fh)
            if _covers(row, pcode, province)
            for sid in row["source_ids"].split(";")
        }
    with (DATA / "sources.csv").open(newline="", encoding="utf-8") as fh:
        return {row["id"]: row["url"] for row in csv.DictReader(fh) if row["id"] in ids}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with the real data."""
    with running_app(tmp_path_factory.mktemp("browser"), DATA) as app:
        yield app.base


# ---------------------------------------------------------------------------------------------
# tests


def test_page_loads_all_districts_without_leaving_localhost(server, page, offsite):
    requested: list[str] = []
    sockets: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.on("websocket", lambda ws: sockets.append(ws.url))

    page.goto(f"{server}/")
    frame = map_frame(page)
    # Loaded = every district path exists and the shim has applied the first per-date styles.
    wait_for(
        lambda: frame.locator("body").get_attribute("data-codes") or "",
        lambda c: len(c) == N_DISTRICTS,
        timeout=20,
        what="the shim to style every district",
    )
    wait_script_idle(page)

    assert frame.locator(PATHS).count() == N_DISTRICTS
    assert frame.locator(f"{PATHS}[data-pcode]").count() == N_DISTRICTS
    pcodes = frame.locator(f"{PATHS}[data-pcode]").evaluate_all("els => els.map(e => e.dataset.pcode)")
    assert len(set(pcodes)) == N_DISTRICTS
    assert PUL_E_HISAR in pcodes

    own = urlsplit(server).netloc
    assert any(urlsplit(u).path.endswith("/leaflet.js") for u in requested), "Leaflet should come from the app"
    foreign = [
        u for u in requested + sockets if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != own
    ]
    assert foreign == []
    assert [r.url for r in offsite.requests] == []


def test_arrow_key_restyles_map_without_reloading_it(server, page):
    page.goto(f"{server}/?date=2021-08-19")
    frame = map_frame(page)
    taliban, resistance = settings.CONTROLLER_COLOURS["taliban"], settings.CONTROLLER_COLOURS["resistance"]
    wait_for_fill(frame, PUL_E_HISAR, taliban)
    wait_script_idle(page)
    slider = page.get_by_role("slider", name="Date")
    assert slider_text(page) == "2021-08-19"
    assert slider.get_attribute("aria-valuetext") == "2021-08-19"
    before = fill_of(frame, PUL_E_HISAR)
    frame.evaluate("window.__marker = 1")

    slider.focus()
    slider.press("ArrowRight")

    after = wait_for(
        lambda: fill_of(frame, PUL_E_HISAR), lambda v: v != before, timeout=10, what="Pul-e-Hisar's fill to change"
    )
    assert (before, after) == (taliban, resistance)
    assert slider_text(page) == "2021-08-20"
    assert slider.get_attribute("aria-valuetext") == "2021-08-20"
    wait_for(lambda: query(page).get("date"), lambda v: v == ["2021-08-20"], timeout=10, what="date=2021-08-20 in URL")
    # The fill follows the slider at once (controlmap.js looks the date up in its table); the caption
    # comes with the server's next render, which may land after the URL is written.
    wait_for(lambda: frame.locator("#cm-caption").inner_text(), lambda t: t == "2021-08-20", timeout=10, what="caption")
    # Same document, same paths: the map was restyled in place, not reloaded.
    assert not frame.is_detached()
    assert frame.evaluate("window.__marker") == 1
    assert frame.locator(PATHS).count() == N_DISTRICTS
    assert sum(paths_in(f) > 100 for f in page.frames) == 1


def test_clicking_a_district_shows_its_ledger_with_safe_source_links(server, context, page, offsite):
    page.goto(f"{server}/?date=2021-08-20")
    frame = map_frame(page)
    wait_for_fill(frame, PUL_E_HISAR, settings.CONTROLLER_COLOURS["resistance"])
    wait_script_idle(page)
    assert page.locator("div.cm-ledger").count() == 0

    district = frame.locator(f'path[data-pcode="{PUL_E_HISAR}"]')
    district.scroll_into_view_if_needed()
    district.dispatch_event("click")

    ledger = page.locator(f'div.cm-ledger[data-pcode="{PUL_E_HISAR}"]')
    ledger.wait_for(state="visible", timeout=15_000)
    assert "Pul-e-Hisar" in ledger.locator(".cm-h3").inner_text()
    assert "2021-08-20: Resistance" in ledger.locator(".status").inner_text()
    assert ledger.locator("div.claim[data-claim]").count() >= 1
    wait_for(
        lambda: query(page).get("district"), lambda v: v == [PUL_E_HISAR], timeout=10, what="district=AF0912 in the URL"
    )
    # The shim outlines the selected district.
    wait_for(
        lambda: district.get_attribute("stroke-width"),
        lambda v: v == "3",
        timeout=10,
        what="the clicked district to be outlined",
    )

    cited = sources_cited_by(PUL_E_HISAR)
    assert cited, "data/claims.csv should cite sources for Pul-e-Hisar"
    listed = ledger.locator("li[data-source]").evaluate_all("els => els.map(e => e.dataset.source)")
    assert listed and set(listed) <= set(cited)

    # Every link the app wrote (Streamlit's own heading anchors excluded) is an external, isolated link.
    links = ledger.locator("a").evaluate_all(
        """els => els.filter(a => !a.closest('[data-testid="stHeaderActionElements"]'))
                     .map(a => ({href: a.getAttribute('href'), target: a.target, rel: a.rel}))"""
    )
    assert len(links) >= 1
    for link in links:
        assert urlsplit(link["href"]).scheme in ("http", "https"), link
        assert link["target"] == "_blank", link
        assert "noopener" in link["rel"].split(), link
    assert {link["href"] for link in links} <= set(cited.values())
    assert len(links) == len(listed)  # one link per listed source, none elsewhere

    link = ledger.locator("li[data-source] a:visible").first
    href = link.get_attribute("href")
    assert href in cited.values()
    with context.expect_page(timeout=10_000) as new_page:
        link.click()
    popup = new_page.value
    popup.wait_for_load_state("domcontentloaded")
    assert popup.url == href
    assert popup.evaluate("window.opener") is None  # noopener
    assert page.url.startswith(server)  # the app stayed where it was
    hits = [r for r in offsite.requests if r.url == href]
    assert hits, f"the popup never requested {href}; offsite requests: {[r.url for r in offsite.requests]}"
    assert "referer" not in {k.lower() for k in hits[0].headers}  # noreferrer


def test_url_district_opens_its_ledger_without_clicking(server, page):
    page.goto(f"{server}/?date=2021-08-20&district={PUL_E_HISAR}")
    ledger = page.locator(f'div.cm-ledger[data-pcode="{PUL_E_HISAR}"]')
    ledger.wait_for(state="visible", timeout=30_000)
    frame = map_frame(page)
    wait_for_fill(frame, PUL_E_HISAR, settings.CONTROLLER_COLOURS["resistance"])
    wait_script_idle(page)

    assert "2021-08-20: Resistance" in ledger.locator(".status").inner_text()
    assert slider_text(page) == "2021-08-20"
    assert frame.locator(f'path[data-pcode="{PUL_E_HISAR}"]').get_attribute("stroke-width") == "3"
    params = query(page)
    assert params.get("date") == ["2021-08-20"]
    assert params.get("district") == [PUL_E_HISAR]


def test_bad_url_parameters_warn_and_inject_nothing(server, page):
    dialogs: list[str] = []

    def on_dialog(dialog: sync_api.Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    payload = "<script>alert(1)</script>"
    page.goto(f"{server}/?date=not-a-date&district={quote(payload)}&lat=91&lon=abc&z=99")
    frame = map_frame(page)
    warnings = page.locator('[data-testid="stAlertContentWarning"]')
    wait_for(lambda: warnings.all_inner_texts(), lambda t: len(t) >= 3, timeout=20, what="three warning notices")
    wait_script_idle(page)

    texts = warnings.all_inner_texts()
    date_notes = [t for t in texts if "not-a-date" in t]
    assert len(date_notes) == 1 and "Ignored date" in date_notes[0]
    assert warnings.filter(has_text="not-a-date").first.is_visible()
    # The district value is shown as inert text, never parsed as markup.
    assert any("Ignored district" in t and payload in t for t in texts), texts  # as typed
    assert page.locator('[data-testid="stAlert"] script').count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    assert frame.locator(PATHS).count() == N_DISTRICTS
    assert page.locator("div.cm-ledger").count() == 0
    # The page fell back to a valid date and dropped the bad district from the URL.
    assert any("Ignored map view" in t for t in texts), texts
    params = query(page)
    assert "district" not in params and "lat" not in params and "z" not in params
    shown = dt.date.fromisoformat(params["date"][0])
    assert slider_text(page) == shown.isoformat()
    assert dialogs == []


NASTY_QUERIES = [
    "date=2021-08-20&date=%3Csvg/onload=alert(1)%3E&district=AF0912&district=AF0908",
    "district=" + quote("![x](https://evil.example/p.png)") + "&lang=" + quote(":material/home:"),
    "shade=" + quote("[x](javascript:alert(1))") + "&compare=0000-00-00&lat=NaN&lon=Infinity&z=1e309",
    "date=" + "9" * 5000 + "&district=%E2%80%AEAF0912&lang=%00",
    "compare=2021-08-20&date=2021-08-20&z=-1&lat=34.5&lon=69.2",
    "%3Cscript%3E=1&date%5B%5D=x&__proto__=1&district=javascript:alert(1)#%3Cimg%20src=x%20onerror=alert(2)%3E",
]


def test_nasty_urls_open_the_map_and_run_nothing(server, context, page, offsite):
    context.add_init_script(PROBE)
    witness = Witness(page)
    for nasty in NASTY_QUERIES:
        page.goto(f"{server}/?{nasty}")
        frame = map_frame(page)
        wait_script_idle(page)
        assert frame.locator(PATHS).count() == N_DISTRICTS, nasty
        assert page.locator('[data-testid="stException"]').count() == 0, nasty
        dt.date.fromisoformat(slider_text(page))  # a real date is shown whatever was asked
        params = query(page)
        assert set(params) <= {"date", "compare", "district", "lat", "lon", "z", "shade", "lang"}, nasty
        assert all(len(v) == 1 and len(v[0]) <= 20 for v in params.values()), (nasty, params)
        alerts = page.locator('[data-testid="stAlert"]')
        assert alerts.locator("img, a, svg, script, [class*='Icon']").count() == 0, nasty
    assert witness.dialogs == [] and witness.probes() == [] and witness.errors == []
    assert [r.url for r in offsite.requests] == []


LEAFLET_VIEW = """() => {
    const m = Object.values(window).find((v) => v instanceof L.Map);
    const c = m.getCenter();
    return [c.lat, c.lng, m.getZoom()];
}"""


def last_date() -> str:
    with (DATA / "claims.csv").open(encoding="utf-8") as fh:
        return max(row["date"] for row in csv.DictReader(fh))


@pytest.mark.browser
def test_share_link_round_trip_restores_date_district_and_view(server, context, page):
    page.goto(f"{server}/?date=2021-09-06&district=AF0801&lat=35.4&lon=69.9&z=9")
    frame = map_frame(page)
    wait_script_idle(page)
    assert slider_text(page) == "2021-09-06"
    assert "Bazarak" in page.locator('div.cm-ledger[data-pcode="AF0801"]').inner_text()
    lat, lon, zoom = wait_for(
        lambda: frame.evaluate(LEAFLET_VIEW), lambda v: v[2] == 9, timeout=10, what="zoom 9 from the link"
    )
    assert (round(lat, 2), round(lon, 2)) == (35.4, 69.9)

    box = page.locator("iframe").first.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 150, y + 80, steps=8)
    page.mouse.up()

    def url_and_map() -> tuple[dict[str, list[str]], list[float]]:
        return query(page), frame.evaluate(LEAFLET_VIEW)

    def settled(state: tuple[dict[str, list[str]], list[float]]) -> bool:
        # The drag has registered (the map moved well away from the link's view), the map has
        # come to rest and the address bar carries exactly the map's view. A state, not a delay.
        params, (lat, lon, zoom) = state
        shown = (params.get("lat", [""])[0], params.get("lon", [""])[0], params.get("z", [""])[0])
        return abs(lon - 69.9) > 0.1 and shown == (f"{lat:.4f}", f"{lon:.4f}", str(zoom))

    moved, _ = wait_for(url_and_map, settled, timeout=15, what="the URL to carry the dragged view")
    assert moved["date"] == ["2021-09-06"] and moved["district"] == ["AF0801"] and moved["z"] == ["9"]
    shared = href(page)

    other = context.new_page()
    other.goto(shared)
    other_frame = map_frame(other)
    wait_script_idle(other)
    got = other_frame.evaluate(LEAFLET_VIEW)
    # Leaflet snaps the centre to whole pixels; at zoom 9 a pixel is about 0.0027 degrees.
    assert got[2] == 9
    assert got[0] == pytest.approx(float(moved["lat"][0]), abs=0.006)
    assert got[1] == pytest.approx(float(moved["lon"][0]), abs=0.006)
    assert abs(got[1] - 69.9) > 0.1  # the new link carries the dragged view, not the original
    assert slider_text(other) == "2021-09-06"
    assert other.locator('div.cm-ledger[data-pcode="AF0801"]').count() == 1


def body_number(frame: sync_api.Frame, name: str) -> int:
    return int(frame.locator("body").get_attribute(f"data-{name}") or 0)


@pytest.mark.browser
def test_a_resize_does_not_rewrite_the_link_view(server, page):
    """Leaflet re-derives the centre from whole pixels after a resize (69.9 -> 69.9005 at zoom 9);
    that "moveend" is not the user's move and must not change the address bar."""
    page.goto(f"{server}/?date=2021-09-06&lat=35.4&lon=69.9&z=9")
    frame = map_frame(page)
    wait_script_idle(page)
    wait_for(lambda: frame.evaluate(LEAFLET_VIEW)[2], lambda z: z == 9, timeout=10, what="zoom 9 from the link")
    moves = body_number(frame, "moves")

    page.set_viewport_size({"width": 1111, "height": 977})
    wait_for(lambda: body_number(frame, "moves"), lambda n: n > moves, timeout=10, what="the map to follow the resize")
    wait_script_idle(page)

    assert body_number(frame, "reports") == 0
    params = query(page)
    assert (params["lat"], params["lon"], params["z"]) == (["35.4000"], ["69.9000"], ["9"])


@pytest.mark.browser
def test_copy_link_offers_the_current_share_link(server, page):
    page.goto(f"{server}/?date=2021-08-20&district={PUL_E_HISAR}")
    frame = map_frame(page)
    wait_script_idle(page)
    frame.get_by_role("button", name="Copy link").click()
    copied = wait_for(
        lambda: frame.locator(".cm-copy").get_attribute("data-url"), bool, timeout=5, what="the copied link"
    )
    assert copied == href(page)
    assert parse_qs(urlsplit(copied).query)["district"] == [PUL_E_HISAR]


@pytest.mark.browser
def test_play_steps_the_map_and_stops_at_the_end(server, page):
    end = dt.date.fromisoformat(last_date())
    start = end - dt.timedelta(days=3)
    page.goto(f"{server}/?date={start}")
    frame = map_frame(page)
    wait_script_idle(page)
    toggle = page.locator('[data-testid="stCheckbox"]', has_text="Play")
    toggle.locator("label").first.click()
    seen = []

    def probe():
        seen.append(slider_text(page))
        return toggle.locator("input").is_checked(), seen[-1]

    wait_for(probe, lambda v: v == (False, end.isoformat()), timeout=30, what="play to reach the end and stop")
    dates = sorted(set(seen))
    assert dates[0] >= start.isoformat() and dates[-1] == end.isoformat()
    assert len(dates) >= 3  # it stepped, not jumped
    wait_for(
        lambda: frame.locator("#cm-caption").inner_text(), lambda t: t == end.isoformat(), timeout=10, what="caption"
    )


def real_timeline():
    from geo import boundaries
    from geo.timeline import load_timeline

    districts_gdf = boundaries.load_districts(config_dir=shared_boundaries(), allow_download=False)
    return districts_gdf, load_timeline(DATA, districts_gdf)


def marker_label(page: sync_api.Page) -> str | None:
    rule = page.locator('[data-testid="stVegaLiteChart"] svg [aria-roledescription="rule mark"]')
    return rule.first.get_attribute("aria-label") if rule.count() else None


@pytest.mark.browser
def test_compare_date_outlines_exactly_the_changed_districts(server, page):
    from geo import control

    districts_gdf, timeline = real_timeline()
    expected = {
        c.pcode
        for c in control.diff_states(
            timeline, start=dt.date(2021, 8, 10), end=dt.date(2021, 8, 20), pcodes=districts_gdf["pcode"]
        )
    }
    assert PUL_E_HISAR in expected and len(expected) > 10
    page.goto(f"{server}/?date=2021-08-20&compare=2021-08-10")
    frame = map_frame(page)
    wait_script_idle(page)
    changed = wait_for(
        lambda: set(frame.locator('path[data-changed="1"]').evaluate_all("els => els.map(e => e.dataset.pcode)")),
        lambda v: len(v) > 0,
        timeout=15,
        what="outlined districts",
    )
    assert changed == expected
    assert frame.locator(f'path[data-pcode="{PUL_E_HISAR}"]').get_attribute("stroke") == "#d400d4"
    assert query(page)["compare"] == ["2021-08-10"]
    page.get_by_role("tab", name="Changes between dates").click()  # a lazy tab: its content runs on opening
    page.get_by_text(f"{len(expected)} districts changed hands").wait_for(timeout=15_000)


@pytest.mark.browser
def test_chart_marks_the_date_and_a_click_moves_it(server, page):
    page.goto(f"{server}/?date=2021-08-20")
    map_frame(page)
    wait_script_idle(page)
    wait_for(lambda: marker_label(page), lambda v: v == "date: Aug 20, 2021", timeout=15, what="the chart's marker")
    page.get_by_role("slider", name="Date").press("ArrowRight")
    wait_for(lambda: marker_label(page), lambda v: v == "date: Aug 21, 2021", timeout=15, what="the marker to follow")

    chart = page.locator('[data-testid="stVegaLiteChart"] svg').first
    chart.scroll_into_view_if_needed()
    plot = chart.bounding_box()
    page.mouse.click(plot["x"] + plot["width"] * 0.3, plot["y"] + plot["height"] * 0.5)
    moved = wait_for(
        lambda: query(page)["date"][0], lambda d: d < "2021-08-01", timeout=15, what="a chart click to move the date"
    )
    # The URL is written as its message arrives, the slider when React next renders: wait for it.
    wait_for(lambda: slider_text(page), lambda v: v == moved, timeout=15, what="the slider at the picked date")
    wait_for(
        lambda: marker_label(page),
        lambda v: v == "date: " + dt.date.fromisoformat(moved).strftime("%b %d, %Y"),
        timeout=15,
        what="the marker at the picked date",
    )


@pytest.mark.browser
def test_downloads_match_the_cli_and_the_png_is_an_image(server, page):
    from geo import control, export

    districts_gdf, timeline = real_timeline()
    states = control.state_at(timeline, date=dt.date(2021, 9, 6), pcodes=districts_gdf["pcode"])
    expected_csv = export.rows_to_csv(export.state_rows(states, districts_gdf), export.STATE_HEADER)

    page.goto(f"{server}/?date=2021-09-06")
    map_frame(page)
    wait_script_idle(page)
    page.get_by_role("tab", name="Export").click()
    with page.expect_download() as csv_download:
        page.get_by_role("button", name="State CSV").click()
    assert csv_download.value.suggested_filename == "control_2021-09-06.csv"
    assert csv_download.value.path().read_text(encoding="utf-8") == expected_csv

    with page.expect_download() as geojson_download:
        page.get_by_role("button", name="State GeoJSON").click()
    features = json.loads(geojson_download.value.path().read_text(encoding="utf-8"))["features"]
    assert len(features) == N_DISTRICTS
    assert {f["properties"]["pcode"]: f["properties"]["controller"] for f in features}["AF0801"] == "taliban"

    with page.expect_download() as png_download:
        page.get_by_role("button", name="Map PNG (for articles)").click()
    png = png_download.value.path().read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and 50_000 < len(png) < 3_000_000


def parse_download(download: sync_api.Download) -> object:
    """Read a downloaded file by its extension; fail if it does not parse."""
    data = download.path().read_bytes()
    name = download.suggested_filename
    if name.endswith(".csv"):
        rows = list(csv.DictReader(data.decode("utf-8").splitlines()))
        assert rows and all(row["pcode"].startswith("AF") for row in rows), name
        return rows
    if name.endswith(".geojson"):
        collection = json.loads(data)
        assert collection["type"] == "FeatureCollection" and collection["features"], name
        return collection
    assert name.endswith(".png") and data[:8] == b"\x89PNG\r\n\x1a\n", name
    return data


@pytest.mark.browser
def test_every_download_button_delivers_a_file_that_parses(server, page):
    page.goto(f"{server}/?date=2021-08-20&compare=2021-08-10")
    map_frame(page)
    wait_script_idle(page)
    got: dict[str, object] = {}
    for tab, count in (("Changes between dates", 2), ("Export", 3)):
        page.get_by_role("tab", name=tab).click()
        panel = page.locator('[role="tabpanel"]:visible')
        buttons = panel.locator('[data-testid="stDownloadButton"] button')
        wait_for(buttons.count, lambda n, count=count: n == count, timeout=20, what=f"{count} buttons in {tab}")
        for i in range(count):
            with page.expect_download(timeout=30_000) as download:
                buttons.nth(i).click()
            got[download.value.suggested_filename] = parse_download(download.value)
    assert set(got) == {
        "changes_2021-08-10_2021-08-20.csv",
        "changes_2021-08-10_2021-08-20.geojson",
        "control_2021-08-20.csv",
        "control_2021-08-20.geojson",
        "control_2021-08-20.png",
    }
    changes = got["changes_2021-08-10_2021-08-20.csv"]
    assert PUL_E_HISAR in {row["pcode"] for row in changes}
    assert all(row["sources"] for row in changes)  # the later state's sources, as the table shows


@pytest.mark.browser
def test_forged_map_events_are_checked_on_the_server(server, page):
    page.goto(f"{server}/?date=2021-08-20")
    frame = map_frame(page)
    wait_script_idle(page)

    def forge(value: dict) -> None:
        frame.evaluate(
            """(value) => window.parent.postMessage(
                {isStreamlitMessage: true, type: "streamlit:setComponentValue", value, dataType: "json"}, "*")""",
            value,
        )

    # An unknown district with a valid view: the view is taken (a state to wait for), the click is not.
    forge({"click": "AF9999", "seq": 101, "view": [35.5, 70.1, 8]})
    params = wait_for(lambda: query(page), lambda q: q.get("lat") == ["35.5000"], timeout=15, what="lat=35.5000")
    assert "district" not in params
    # A known district with an absurd view: the click is taken, the view is not.
    forge({"click": PUL_E_HISAR, "seq": 102, "view": [1e300, 69.9, 9]})
    params = wait_for(
        lambda: query(page), lambda q: q.get("district") == [PUL_E_HISAR], timeout=15, what="district=AF0912"
    )
    assert (params["lat"], params["lon"], params["z"]) == (["35.5000"], ["70.1000"], ["8"])
    assert page.locator('[data-testid="stException"]').count() == 0
