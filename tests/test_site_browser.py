"""The published static site in Chromium: the map equals ``geo state``, the ledger equals the app's.

The real data is published once with ``python -m geo publish`` and served by Python's http.server
on loopback (nginx is tested in tests/test_site_deploy.py). Every request to another host is
answered by a local stub and recorded (tests/browserkit.py), so a test can assert there was none.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from playwright import sync_api

from components.district_map import encode_staleness, palette
from components.i18n import t
from components.ledger import ledger_html
from components.view_state import parse_view
from geo import analysis, control
from geo.solar import dual_text
from geo.timeline import Timeline, load_timeline
from tests.browserkit import N_DISTRICTS, PROBE, Witness, running_app, slider_text, wait_for, wait_script_idle
from tests.conftest import REPO, TEST_DATA, shared_boundaries
from tests.sitekit import static_server

pytestmark = pytest.mark.browser

DATA = REPO / "data"
PUL_E_HISAR = "AF0912"
READY = "document.documentElement.dataset.ready === '1'"

# The ledger as a reader sees it: per section its heading and claim ids, each claim's source ids,
# the status line and badge. Run on the site's panel and on the app's ledger_html alike.
LEDGER_SHAPE = """
(root) => {
  const ledger = root.querySelector('.cm-ledger');
  const status = ledger.querySelector('.status');
  const badge = status.querySelector('.badge');
  const sections = [];
  let current = null;
  for (const child of ledger.children) {
    if (child.matches('.cm-h4')) { current = {title: child.textContent, claims: []}; sections.push(current); }
    else if (child.matches('details')) {
      current = {title: child.querySelector('summary').textContent, claims: []}; sections.push(current);
      child.querySelectorAll(':scope > .claim').forEach(c => current.claims.push(c.dataset.claim));
    }
    else if (child.matches('.claim')) { current.claims.push(child.dataset.claim); }
  }
  const sources = {};
  ledger.querySelectorAll('.claim').forEach(c => {
    sources[c.dataset.claim + (c.classList.contains('counter') ? ' counter' : '')] =
      [...c.querySelectorAll('li[data-source]')].map(li => li.dataset.source);
  });
  return {
    pcode: ledger.dataset.pcode,
    status: status.querySelector('strong').textContent,
    confidence: badge ? badge.dataset.confidence : '',
    voices: (status.querySelector('.voices') || {dataset: {}}).dataset.voices || '',
    sections, sources, text: ledger.textContent,
  };
}
"""


@functools.cache
def _env() -> dict[str, str]:
    return {
        **os.environ,
        "CONTROLMAP_BOUNDARIES_DIR": str(shared_boundaries()),
        "CONTROLMAP_OFFLINE": "1",
        "CONTROLMAP_CACHE_DIR": os.environ.get("CONTROLMAP_CACHE_DIR", "/tmp/controlmap-site-tests"),
    }


def publish(data_dir: Path, out: Path) -> Path:
    """Run ``python -m geo publish`` as a reader of the docs would; fail with its output."""
    done = subprocess.run(
        [sys.executable, "-m", "geo", "publish", "--out", str(out), "--data-dir", str(data_dir)],
        cwd=REPO,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return publish(DATA, tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with static_server(site) as root:
        base = root.rstrip("/")
        yield base


@pytest.fixture(scope="module")
def timeline(real_districts) -> Timeline:
    return load_timeline(DATA, real_districts)


def open_site(page: sync_api.Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(READY)


def district_attributes(page: sync_api.Page) -> dict[str, tuple[str, str]]:
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('path[data-pcode]')].map(
             p => [p.dataset.pcode, [p.dataset.controller, p.dataset.confidence]]))"""
    )


def set_day(page: sync_api.Page, day: int) -> None:
    """Move the slider as a drag does (an input event), then wait until every district shows the date."""
    page.evaluate(
        "(d) => { const s = document.getElementById('cm-slider'); s.value = String(d);"
        " s.dispatchEvent(new Event('input', {bubbles: true})); }",
        day,
    )


# ---------------------------------------------------------------------------------------------
# tests


def test_thirty_dates_every_district_equals_geo_state(server, page, offsite, timeline, real_districts):
    witness = Witness(page)
    open_site(page, f"{server}/index.html")
    pcodes = list(real_districts["pcode"])
    span = (timeline.end - timeline.start).days
    days = sorted({round(i * span / 29) for i in range(30)})
    assert len(days) == 30
    for day in days:
        date = timeline.start + dt.timedelta(days=day)
        set_day(page, day)
        page.wait_for_function("(d) => document.documentElement.dataset.date === d", arg=date.isoformat())
        shown = district_attributes(page)
        assert len(shown) == N_DISTRICTS
        states = control.state_at(timeline, date=date, pcodes=pcodes)
        expected = {p: [s.controller, s.confidence] for p, s in states.items()}
        wrong = {p: (shown[p], expected[p]) for p in pcodes if shown[p] != expected[p]}
        assert not wrong, f"{date}: {len(wrong)} districts differ from geo state, e.g. {list(wrong.items())[:3]}"
    assert not offsite.requests, [r.url for r in offsite.requests]
    assert not witness.errors and not [c for c in witness.console if c.startswith("error")], witness.console


def test_arrow_keys_step_a_day_and_the_url_follows(server, page, timeline):
    open_site(page, f"{server}/index.html?date=2021-08-14")
    page.focus("#cm-slider")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.documentElement.dataset.date === '2021-08-15'")
    page.wait_for_function("location.search.includes('date=2021-08-15')")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("document.documentElement.dataset.date === '2021-08-13'")
    # previous / next change go to the dates on which some district changed
    changes = control.change_dates(timeline)
    page.click("#cm-next")
    after = next(d for d in changes if d > dt.date(2021, 8, 13))
    page.wait_for_function("(d) => document.documentElement.dataset.date === d", arg=after.isoformat())
    page.click("#cm-prev")
    before = [d for d in changes if d < after][-1]
    page.wait_for_function("(d) => document.documentElement.dataset.date === d", arg=before.isoformat())


def test_play_steps_through_the_changes_and_stops_at_the_end(server, page, timeline):
    last = control.change_dates(timeline)[-1]
    earlier = [d for d in control.change_dates(timeline) if d < last][-2]
    open_site(page, f"{server}/index.html?date={earlier.isoformat()}")
    page.click("#cm-play")
    page.wait_for_function("(d) => document.documentElement.dataset.date === d", arg=last.isoformat(), timeout=15_000)
    page.wait_for_function("document.getElementById('cm-play').getAttribute('aria-pressed') === 'false'")


def test_the_ledger_equals_the_apps_on_random_districts_and_dates(server, page, timeline, real_districts):
    rnd = random.Random(24)
    rows = real_districts.set_index("pcode")
    with_claims = sorted(timeline.by_district)
    pairs = [(PUL_E_HISAR, dt.date(2021, 8, 20))]
    pairs += [
        (
            rnd.choice(with_claims),
            timeline.start + dt.timedelta(days=rnd.randint(0, (timeline.end - timeline.start).days)),
        )
        for _ in range(18)
    ]
    late = max(with_claims, key=lambda p: timeline.by_district[p][0].date)  # a date before its first claim
    pairs.append((late, timeline.start))
    names = {}
    for lang, suffix in (("en", "en"), ("da", "da")):
        found = dict(zip(real_districts["province_pcode"], real_districts[f"province_{suffix}"], strict=False))
        found.update(zip(real_districts["pcode"], real_districts[f"name_{suffix}"], strict=True))
        names[lang] = found
    for n, (pcode, date) in enumerate(pairs):
        lang = "da" if n % 4 == 3 else "en"
        query = urlencode({"date": date.isoformat(), "district": pcode, **({"lang": "da"} if lang == "da" else {})})
        open_site(page, f"{server}/index.html?{query}")
        page.wait_for_function("(v) => document.documentElement.dataset.ledger === v", arg=f"{pcode}@{date}")
        site = page.evaluate(LEDGER_SHAPE, page.query_selector("#cm-ledger-body"))
        row = rows.loc[pcode]
        history = timeline.by_district.get(pcode, [])
        app_html = ledger_html(
            pcode=pcode,
            name_en=row["name_en"],
            name_da=row["name_da"],
            province=row["province_da" if lang == "da" else "province_en"],
            state=control.district_state(pcode, history, date=date),
            history=history,
            sources=timeline.sources,
            date=date,
            lang=lang,
            outlet=timeline.outlet,
            names=names[lang],
        )
        app = page.evaluate(
            "([html, shape]) => { const box = document.createElement('div'); box.innerHTML = html;"
            " return eval(shape)(box); }",
            [app_html, LEDGER_SHAPE],
        )
        assert site == app, (pcode, date, lang)
        assert site["sections"] or not history
        assert site["status"].startswith(dual_text(date) if lang == "da" else date.isoformat())


def test_dari_view_is_right_to_left_with_solar_dates_on_every_day(server, page, timeline):
    open_site(page, f"{server}/index.html?lang=da&district={PUL_E_HISAR}&date=2021-08-20")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "fa-AF"
    assert page.inner_text("h1") == t("title", "da")
    assert page.get_attribute("#cm-play", "title") == t("play_help", "da")
    assert page.get_attribute("#cm-method", "href") == "./methodology.html#da"
    assert page.inner_text("#cm-method") == t("nav_methodology", "da")
    page.wait_for_selector('.cm-ledger[dir="rtl"]')
    assert t("sec_claims", "da") in page.inner_text("#cm-ledger-body")
    labels = page.evaluate(
        """(n) => { const s = document.getElementById('cm-slider'), out = [];
             for (let d = 0; d < n; d++) { s.value = String(d); s.dispatchEvent(new Event('input'));
               out.push(s.getAttribute('aria-valuetext')); }
             return out; }""",
        (timeline.end - timeline.start).days + 1,
    )
    expected = [dual_text(timeline.start + dt.timedelta(days=d)) for d in range(len(labels))]
    assert labels == expected
    legend = page.locator(".cm-legend .da").first
    assert legend.is_visible()


def test_phone_layout_puts_the_map_first_and_fits_375_px(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        open_site(page, f"{server}/index.html?district={PUL_E_HISAR}")
        box = {sel: page.locator(sel).bounding_box() for sel in ("#cm-map", ".cm-dates", ".cm-head h1", "#cm-ledger")}
        assert box["#cm-map"]["y"] < box[".cm-dates"]["y"] < box["#cm-ledger"]["y"]
        assert box["#cm-map"]["y"] < box[".cm-head h1"]["y"]
        assert box["#cm-map"]["width"] <= 375
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
        page.locator(f'path[data-pcode="{PUL_E_HISAR}"]').wait_for()
    finally:
        context.close()


BAD_QUERIES = [
    {"date": "2021-13-45"},
    {"date": "yesterday", "lang": "da"},
    {"date": "1999-01-01"},
    {"date": "2030-01-01", "lang": "da"},
    {"district": "AF9999<script>"},
    {"district": "`x`"},
    {"lat": "99", "lon": "66", "z": "6"},
    {"lat": "34", "lon": "abc", "z": "6", "lang": "da"},
    {"shade": "rainbow"},
    {"lang": "fr"},
    {"date": "２０２１-０８-１５"},
    {"lat": "۳۴", "lon": "66", "z": "6"},
    {"compare": "2021-02-30", "date": "2021-08-15", "district": "af0912"},
    {"date": ["2021-08-15", "2021-08-99"], "lang": ["da", "en"]},  # the app reads the last of a repeated key
    {"district": "AF۰۹۱۲", "date": "۲۰۲۱-۰۸-۱۵"},  # Persian digits read as ASCII, as in the app
    {"district": "\u200bAF0912\u2028", "lat": "𝟑𝟒", "lon": "66", "z": "6"},  # unprintable shown as "?"
    {"district": "\u202eevil" + "x" * 60},
]


def test_bad_parameters_give_the_apps_notices(server, page, timeline, real_districts):
    pcodes = set(real_districts["pcode"])
    for params in BAD_QUERIES:
        last = {k: v[-1] if isinstance(v, list) else v for k, v in params.items()}  # st.query_params.to_dict()
        _, expected = parse_view(last, start=timeline.start, end=timeline.end, default=timeline.end, pcodes=pcodes)
        open_site(page, f"{server}/index.html?{urlencode(params, doseq=True)}")
        shown = page.eval_on_selector_all("#cm-notices .cm-notice", "ps => ps.map(p => p.dataset.notice)")
        assert shown == expected, params
        assert page.evaluate("document.querySelectorAll('#cm-notices script, #cm-notices a').length") == 0
    assert expected  # the last query has a notice, so the comparison above compared something


def test_embed_snippet_works_in_a_sandboxed_iframe(server, page, offsite):
    open_site(page, f"{server}/index.html?date=2021-08-20&district={PUL_E_HISAR}")
    page.click("#cm-embed-btn")
    snippet = page.input_value("#cm-embed-code")
    assert 'sandbox="allow-scripts allow-popups"' in snippet
    assert "embed=1" in snippet and f"district={PUL_E_HISAR}" in snippet and "date=2021-08-20" in snippet
    host = page.context.new_page()
    host.bring_to_front()  # the snippet loads lazily: only a visible page loads it
    witness = Witness(host)
    host.add_init_script(PROBE)
    host.goto(f"{server}/methodology.html")  # any page of the site's host; the frame is sandboxed anyway
    host.evaluate("(html) => { document.body.innerHTML = html; }", snippet.replace('width="100%"', 'width="320"'))
    frame = wait_for(
        lambda: host.locator("iframe").element_handle().content_frame(),
        lambda f: f is not None and "embed=1" in f.url,
        timeout=20,
        what="the embedded frame",
    )
    frame.wait_for_function(READY)
    frame.wait_for_function(f"document.documentElement.dataset.ledger === '{PUL_E_HISAR}@2021-08-20'")
    assert frame.evaluate("document.body.classList.contains('cm-embed')")
    assert frame.evaluate("window.origin") == "null"  # really sandboxed: an opaque origin
    assert frame.evaluate("document.scrollingElement.scrollWidth") <= 320
    assert frame.locator(".cm-ledger-panel").is_visible()
    assert frame.locator(".cm-legend").is_visible()
    # a guest links back to the full view of the same date and district, not to the embed
    full = frame.locator("#cm-full")
    assert full.is_visible() and full.get_attribute("target") == "_blank"
    link = full.get_attribute("href")
    assert "embed" not in link and f"district={PUL_E_HISAR}" in link and "date=2021-08-20" in link
    # a click on another district inside the frame loads its ledger (a script, not a fetch)
    frame.locator("#cm-ledger-close").click()
    frame.evaluate(
        "document.querySelector('path[data-pcode=\"AF0101\"]').dispatchEvent(new MouseEvent('click', {bubbles: true}))"
    )
    frame.wait_for_function("(document.documentElement.dataset.ledger || '').startsWith('AF0101@')")
    assert not witness.errors and not witness.dialogs, (witness.errors, witness.console)
    assert not offsite.requests
    host.close()


def test_a_site_link_opens_the_same_view_in_the_app_and_back(browser, server, tmp_path):
    site_query = urlencode({"date": "2021-08-20", "district": PUL_E_HISAR, "lat": "35.5", "lon": "69.2", "z": "8"})
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, service_workers="block")
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        open_site(page, f"{server}/index.html?{site_query}")
        copied = urlsplit(page.evaluate("location.href")).query
        assert "date=2021-08-20" in copied and f"district={PUL_E_HISAR}" in copied and "z=8" in copied
        with running_app(tmp_path, DATA) as app:
            loopback = {urlsplit(server).netloc, urlsplit(app.base).netloc}
            offsite: list[str] = []

            def stub(route: sync_api.Route) -> None:
                offsite.append(route.request.url)
                route.fulfill(status=200, body="")

            context.route(lambda url: urlsplit(url).netloc not in loopback, stub)
            page.goto(f"{app.base}/?{copied}")
            ledger = page.locator(f'div.cm-ledger[data-pcode="{PUL_E_HISAR}"]')
            ledger.wait_for(state="visible", timeout=60_000)
            wait_script_idle(page)
            assert slider_text(page) == "2021-08-20"
            assert "2021-08-20: Resistance" in ledger.locator(".status").inner_text()
            # and back: the app's own link opens the same view on the site
            page.get_by_role("slider", name="Date").focus()
            page.keyboard.press("ArrowRight")
            wait_for(
                lambda: page.evaluate("location.search"), lambda q: "date=2021-08-21" in q, timeout=30, what="step"
            )
            app_query = urlsplit(page.evaluate("location.href")).query
            open_site(page, f"{server}/index.html?{app_query}")
            page.wait_for_function(f"document.documentElement.dataset.ledger === '{PUL_E_HISAR}@2021-08-21'")
            assert page.evaluate("document.querySelectorAll('#cm-notices .cm-notice').length") == 0
            assert not offsite
    finally:
        context.close()


def test_hostile_data_is_published_inert(browser, tmp_path):
    site = publish(TEST_DATA / "hostile", tmp_path / "site")
    with static_server(site) as root:
        base = root.rstrip("/")
        context = browser.new_context(viewport={"width": 1200, "height": 900}, service_workers="block")
        offsite: list[str] = []
        netloc = urlsplit(base).netloc

        def stub(route: sync_api.Route) -> None:
            offsite.append(route.request.url)
            route.fulfill(status=200, body="")

        context.route(lambda url: urlsplit(url).netloc != netloc, stub)
        context.add_init_script(PROBE)
        try:
            page = context.new_page()
            witness = Witness(page)
            open_site(page, f"{base}/index.html")
            with_claims = page.evaluate(
                "() => [...document.querySelectorAll('path[data-pcode]')]"
                ".filter(p => p.dataset.controller !== 'unknown').map(p => p.dataset.pcode)"
            )
            assert with_claims
            for pcode in with_claims[:12]:
                page.evaluate(
                    '(p) => document.querySelector(`path[data-pcode="${p}"]`)'
                    ".dispatchEvent(new MouseEvent('click', {bubbles: true}))",
                    pcode,
                )
                page.wait_for_function(
                    "(p) => (document.documentElement.dataset.ledger || '').startsWith(p + '@')", arg=pcode
                )
                page.evaluate("document.querySelectorAll('#cm-ledger-body details').forEach(d => d.open = true)")
                bad = page.evaluate(
                    """() => {
                      const b = document.getElementById('cm-ledger-body'), all = [...b.querySelectorAll('*')];
                      return {
                        scripts: b.querySelectorAll('script, iframe, img, object, embed, svg, style').length,
                        handlers: all.filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
                        links: [...b.querySelectorAll('a')].map(a => a.href).filter(h => !/^https?:/.test(h)),
                      };
                    }"""
                )
                assert bad == {"scripts": 0, "handlers": 0, "links": []}, pcode
            assert not witness.dialogs and not witness.probes() and not witness.errors, witness.console
            assert not [c for c in witness.console if c.startswith("error")], witness.console
            assert not offsite, offsite
        finally:
            context.close()


def test_shading_by_age_of_evidence_equals_the_apps(server, page, timeline, real_districts):
    pcodes = list(real_districts["pcode"])
    table = palette()
    open_site(page, f"{server}/index.html?shade=age&date=2021-08-01")
    page.wait_for_selector(".cm-legend-stale", state="visible")
    for date in (dt.date(2021, 8, 1), dt.date(2021, 8, 16), timeline.end):
        set_day(page, (date - timeline.start).days)
        page.wait_for_function("(d) => document.documentElement.dataset.date === d", arg=date.isoformat())
        days = analysis.staleness_days(timeline.index.states(date=date, pcodes=pcodes), date=date)
        expected = {p: table[c]["fill"] for p, c in zip(pcodes, encode_staleness(days, pcodes), strict=True)}
        page.wait_for_function("() => !!document.querySelector('path[data-pcode]').getAttribute('fill')")
        shown = page.evaluate(
            "() => Object.fromEntries([...document.querySelectorAll('path[data-pcode]')]"
            ".map(p => [p.dataset.pcode, p.getAttribute('fill')]))"
        )
        assert shown == expected, date
    page.wait_for_function("location.search.includes('shade=age')")
    page.uncheck("#cm-stale")
    page.wait_for_function("() => !location.search.includes('shade=age')")


def test_the_district_picker_opens_a_ledger_and_the_url_follows(server, page):
    open_site(page, f"{server}/index.html?date=2021-08-20")
    page.select_option("#cm-picker", PUL_E_HISAR)
    page.wait_for_function(f"document.documentElement.dataset.ledger === '{PUL_E_HISAR}@2021-08-20'")
    page.wait_for_function(f"location.search.includes('district={PUL_E_HISAR}')")
    assert page.locator(f'path[data-pcode="{PUL_E_HISAR}"]').get_attribute("stroke-width") == "3"
    page.click("#cm-ledger-close")
    page.wait_for_function("() => !location.search.includes('district=')")
    assert page.input_value("#cm-picker") == ""
