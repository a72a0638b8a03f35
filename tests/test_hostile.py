"""Hostile data: tests/data/hostile puts markup, script, markdown and bidi tricks in every text field.

The ledger HTML is checked as a parser sees it, the app is run on the corpus through AppTest, and
a real Chromium loads it through CONTROLMAP_DATA_DIR with every way a script could announce
itself hooked: dialogs, console, page errors, and requests to any other host.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from playwright import sync_api
from streamlit.testing.v1 import AppTest

from components.ledger import ledger_html
from geo import control
from geo.timeline import load_timeline
from tests.browserkit import N_DISTRICTS, PATHS, PROBE, Witness, map_frame, running_app, wait_for, wait_script_idle
from tests.conftest import REPO, TEST_DATA, shared_boundaries
from tests.htmlcheck import dangers, visible_text

HOSTILE = TEST_DATA / "hostile"
HOSTILE_DISTRICTS = ("AF0907", "AF0908", "AF0912")


@pytest.fixture(scope="module")
def hostile_timeline(real_districts):
    return load_timeline(HOSTILE, real_districts)


def test_the_corpus_is_valid_and_hostile_in_every_text_field(hostile_timeline):
    timeline = hostile_timeline
    assert sorted(timeline.by_district) == list(HOSTILE_DISTRICTS)
    fields = [t for s in timeline.sources.values() for t in (s.outlet, s.summary, s.url)]
    fields += [t for c in timeline.claims for t in (c.reported_as, c.note, c.date_note) if t]
    assert all(set(text) & set("<>\"'`[]$:&\u202e\u2067") for text in fields), fields
    everything = " ".join(fields)
    for needle in ("<script>", "onerror=", "javascript:", "data:text/html", "`", "![", ":material/"):
        assert needle in everything, needle
    assert any("\u202e" in c.note for c in timeline.claims)
    assert any("\n\n" in s.summary for s in timeline.sources.values())


@pytest.mark.parametrize("lang", ["en", "da"])
def test_every_ledger_of_the_corpus_is_inert(hostile_timeline, real_districts, lang):
    rows = real_districts.set_index("pcode")
    dates = sorted({c.date for c in hostile_timeline.claims})
    for pcode, date in itertools.product(HOSTILE_DISTRICTS, dates):
        history = hostile_timeline.by_district[pcode]
        page = ledger_html(
            pcode=pcode,
            name_en=rows.at[pcode, "name_en"],
            name_da=rows.at[pcode, "name_da"],
            province=rows.at[pcode, "province_en"],
            state=control.district_state(pcode, history, date=date),
            history=history,
            sources=hostile_timeline.sources,
            date=date,
            lang=lang,
        )
        assert dangers(page) == [], (pcode, date)
        assert "\n\n" not in page
        text = visible_text(page)
        for claim in history:  # each hostile note is shown as text (line breaks folded to spaces)
            assert " ".join(claim.note.split()) in " ".join(text.split())


def test_app_runs_on_the_corpus_and_its_ledger_is_inert(monkeypatch, tmp_path):
    monkeypatch.setenv("CONTROLMAP_BOUNDARIES_DIR", str(shared_boundaries()))
    monkeypatch.setenv("CONTROLMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CONTROLMAP_OFFLINE", "1")
    monkeypatch.setenv("CONTROLMAP_DATA_DIR", str(HOSTILE))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params.update({"date": "2021-08-22", "district": "AF0912"})
    at.run()
    assert not at.exception and not at.error
    (ledger,) = [m.value for m in at.markdown if "cm-ledger" in m.value]
    assert dangers(ledger) == []
    assert '<script>alert("script")</script>' in visible_text(ledger)


# ---------------------------------------------------------------------------------------------
# real browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("hostile"), HOSTILE) as app:
        yield app.base


def inline_handlers(frame: sync_api.Frame) -> list[str]:
    """Every on* attribute in a frame's DOM (our pages and Streamlit's use none)."""
    return frame.evaluate(
        """() => [...document.querySelectorAll('*')].flatMap((e) =>
            [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => e.tagName + '.' + a.name))"""
    )


@pytest.mark.browser
def test_no_script_runs_anywhere_with_the_hostile_corpus(server, context, page, offsite):
    context.add_init_script(PROBE)
    witness = Witness(page)
    page.goto(f"{server}/?date=2021-08-22&district=AF0912")
    frame = map_frame(page)
    ledger = page.locator('div.cm-ledger[data-pcode="AF0912"]')
    ledger.wait_for(state="visible", timeout=30_000)
    wait_script_idle(page)
    assert frame.locator(PATHS).count() == N_DISTRICTS

    # The hostile text is on screen as text (with every collapsed section opened) ...
    ledger.evaluate("el => el.querySelectorAll('details').forEach((d) => { d.open = true; })")
    shown = ledger.inner_text()
    for payload in ('<script>alert("script")</script>', "![pixel](https://evil.example/pixel.png)", ":material/home:"):
        assert payload in shown, payload
    # ... and nothing of it became markup: no elements, no handlers, only http(s) links.
    for selector in ("script", "img", "svg", "iframe", "style", "a[href^='javascript']", "[class*='Icon']"):
        assert ledger.locator(selector).count() == 0, selector
    assert ledger.locator("a").count() == ledger.locator("li[data-source] > a").count()  # source links only
    links = ledger.locator("a").evaluate_all("els => els.map(e => [e.protocol, e.target, e.rel])")
    assert links and all(p in ("http:", "https:") and t == "_blank" and "noopener" in r for p, t, r in links)

    # Hover and click every hostile district in the map: tooltips and the ledger for each.
    for pcode in HOSTILE_DISTRICTS:
        path = frame.locator(f'path[data-pcode="{pcode}"]')
        path.scroll_into_view_if_needed()
        path.hover(force=True)
        tip = frame.locator(".leaflet-tooltip .cm-tip")
        wait_for(tip.count, lambda n: n >= 1, timeout=10, what=f"a tooltip over {pcode}")
        assert tip.locator("script, img, svg, iframe").count() == 0
        path.dispatch_event("click")
        page.locator(f'div.cm-ledger[data-pcode="{pcode}"]').wait_for(state="visible", timeout=15_000)
        wait_script_idle(page)

    assert inline_handlers(frame) == []
    assert inline_handlers(page.main_frame) == []
    assert page.locator('[data-testid="stException"]').count() == 0
    assert witness.dialogs == [] and witness.probes() == [] and witness.errors == []
    assert [r.url for r in offsite.requests] == []  # no markdown image or icon font was fetched


@pytest.mark.browser
def test_methodology_page_with_the_hostile_corpus_runs_nothing(server, context, page, offsite):
    context.add_init_script(PROBE)
    witness = Witness(page)
    page.goto(f"{server}/methodology")
    page.get_by_text("5 claims").wait_for(timeout=30_000)
    wait_script_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert witness.dialogs == [] and witness.probes() == [] and witness.errors == []
    assert [r.url for r in offsite.requests] == []
