"""The evidence model in a real browser, on the real data: grades, reposts and broad claims in the
ledger, the map's mark for broad-only evidence with its legend entry, and the grading rubric on the
Methodology page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from geo import control
from geo.outlets import GRADES
from geo.timeline import load_timeline
from tests.browserkit import map_frame, running_app, wait_for, wait_script_idle
from tests.conftest import REPO

pytestmark = pytest.mark.browser

DATA = REPO / "data"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("browser-evidence"), DATA) as app:
        yield app.base


@pytest.fixture(scope="module")
def timeline(real_districts):
    return load_timeline(DATA, real_districts)


def _relay_case(timeline):
    """A district and date whose status rests on a claim citing a relay of another outlet."""
    for claim in timeline.claims:
        if claim.scope == "district" and any(timeline.sources[s].original for s in claim.source_ids):
            return claim
    raise AssertionError("data/ should hold at least one relayed source")


def _broad_case(timeline, real_districts):
    """A district whose status on a key date rests only on a province-wide claim."""
    day = dt.date(2021, 8, 16)
    states = control.state_at(timeline, date=day, pcodes=real_districts["pcode"])
    for pcode, state in states.items():
        if state.precision == "province":
            return pcode, day, state
    raise AssertionError("data/ should hold a province-wide claim standing alone for some district")


def test_the_ledger_shows_outlet_grade_affiliation_host_and_reposts(server, page, timeline):
    claim = _relay_case(timeline)
    page.goto(f"{server}/?date={claim.date}&district={claim.pcode}")
    ledger = page.locator(f'div.cm-ledger[data-pcode="{claim.pcode}"]')
    ledger.wait_for(state="visible", timeout=30_000)
    wait_script_idle(page)
    block = ledger.locator(f'div.claim[data-claim="{claim.id}"]').first
    items = block.locator("li[data-source]")
    assert items.count() == len(claim.source_ids)
    grades = []
    for i in range(items.count()):
        item = items.nth(i)
        source = timeline.sources[item.get_attribute("data-source")]
        link = item.locator("a").first
        # the host shown beside the link is the host the link opens
        assert item.locator(".host").first.inner_text().strip("()") == urlsplit(link.get_attribute("href")).hostname
        own = timeline.outlet(source.outlet)
        assert link.inner_text() == own.name
        assert item.locator(".grade").first.inner_text() == own.reliability
        if source.original:
            relay = item.locator(".relay")
            assert "relaying" in relay.inner_text() and timeline.outlet(source.original).name in relay.inner_text()
        grades.append(GRADES.index(timeline.outlet(source.voice).reliability))
    assert grades == sorted(grades)  # strongest voice first


def test_a_broad_claim_is_labelled_in_the_ledger_and_marked_on_the_map(server, page, timeline, real_districts):
    pcode, day, state = _broad_case(timeline, real_districts)
    page.goto(f"{server}/?date={day}&district={pcode}")
    ledger = page.locator(f'div.cm-ledger[data-pcode="{pcode}"]')
    ledger.wait_for(state="visible", timeout=30_000)
    assert ledger.locator('[data-precision="province"]').count() == 1
    broad = ledger.locator('div.claim[data-scope="province"] .scope')
    assert broad.count() >= 1 and broad.first.inner_text().startswith("Province-wide: ")
    # a selected district is outlined in black, so look at the mark with nothing selected
    page.goto(f"{server}/?date={day}")
    frame = map_frame(page)
    path = frame.locator(f'path[data-pcode="{pcode}"]')
    wait_for(lambda: path.get_attribute("stroke"), lambda v: v == "#ffffff", timeout=15, what="a white outline")
    assert path.get_attribute("stroke-dasharray") == "1 3"
    legend = frame.locator(".cm-legend-broad")
    assert legend.is_visible()
    assert "only broad evidence (all capitals, a province or the country)" in legend.inner_text()


def test_the_methodology_page_shows_the_grading_rubric(server, page):
    page.goto(f"{server}/methodology")
    body = page.locator('[data-testid="stMarkdownContainer"]', has_text="Admiralty source grade")
    body.first.wait_for(state="visible", timeout=30_000)
    text = body.first.inner_text()
    for grade in GRADES:
        assert f"{grade}: " in text
    assert "one voice" in text and "conceding a loss" in text
