"""Dari, right to left, and the phone layout in a real browser (Debian's Chromium), on the real data.

The Dari page is read as a reader sees it (innerText of the page and of the map frame) and fails
on any English word outside the allow-list of tests/dari.py. The phone tests use a 390×844
viewport: the map first and at least 60% of the first screen, the date controls in one row under
it, the ledger below them, and a date step, a district click and the ledger working there.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright import sync_api

from geo import settings
from tests.browserkit import (
    fill_of,
    map_frame,
    query,
    running_app,
    wait_for,
    wait_for_fill,
    wait_script_idle,
)
from tests.conftest import REPO
from tests.dari import english_words

pytestmark = pytest.mark.browser

DATA = REPO / "data"
PUL_E_HISAR = "AF0912"
PHONE = {"width": 390, "height": 844}
TALIBAN, RESISTANCE = settings.CONTROLLER_COLOURS["taliban"], settings.CONTROLLER_COLOURS["resistance"]

# What a reader is meant to read, with data shown as written (data-verbatim), code and the
# chart's and table's canvases left out (the AppTest checks read their titles and cells).
SHOWN_TEXT = """(root) => {
  // Text nodes a reader can see, outside data shown as written (data-verbatim), code, icon
  // ligatures and Streamlit's own screen-reader "skip" link (not the app's to translate).
  const skip = '[data-verbatim], code, pre, style, script, [data-testid="stIconMaterial"], '
             + '[data-testid="stSkipToContent"], .leaflet-control-attribution a[href*="leaflet"]';
  const out = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest(skip) || !el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
    out.push(node.textContent);
  }
  return out.join(' ');
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("browser-phone-dari"), DATA) as app:
        yield app.base


@pytest.fixture
def phone(browser: sync_api.Browser, offsite) -> Iterator[sync_api.Page]:
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, service_workers="block")
    ctx.set_default_timeout(20_000)
    ctx.route(offsite.is_offsite, offsite.handle)
    try:
        yield ctx.new_page()
    finally:
        ctx.close()


def _ready(page: sync_api.Page) -> sync_api.Frame:
    frame = map_frame(page)
    wait_for(
        lambda: len(frame.locator("body").get_attribute("data-codes") or ""),
        lambda n: n > 100,
        timeout=30,
        what="the map to be styled",
    )
    wait_script_idle(page)
    return frame


def _rect(frame: sync_api.Frame, selector: str) -> dict[str, float]:
    """An element's box in its own frame's coordinates."""
    return frame.locator(selector).first.evaluate(
        "e => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height}; }"
    )


def _box(locator: sync_api.Locator) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None
    return box


# ---------------------------------------------------------------------------------------------
# Dari


def test_the_dari_page_shows_no_english(server, page, offsite):
    page.goto(f"{server}/?date=2021-08-20&district={PUL_E_HISAR}&compare=2021-08-10&lang=da")
    frame = _ready(page)
    ledger = page.locator(f'div.cm-ledger[data-pcode="{PUL_E_HISAR}"]')
    ledger.wait_for(state="visible")
    ledger.evaluate("el => el.querySelectorAll('details').forEach((d) => { d.open = true; })")
    shown = page.locator('[data-testid="stApp"]').evaluate(SHOWN_TEXT)
    assert "پل حصار" in shown and "۲۹ اسد ۱۴۰۰" in shown
    assert english_words(shown) == []
    frame_text = frame.locator("body").evaluate(SHOWN_TEXT)
    assert "کاپی پیوند" in frame_text and "کیلومتر" in frame_text
    assert english_words(frame_text) == []
    assert page.title() == "کنترول ولسوالی‌های افغانستان ۲۰۲۱"
    # a tooltip, in Dari
    frame.locator(f'path[data-pcode="{PUL_E_HISAR}"]').hover(force=True)
    tip = frame.locator(".leaflet-tooltip .cm-tip").first
    tip.wait_for(state="visible")
    assert english_words(tip.evaluate(SHOWN_TEXT)) == [] and "بغلان" in tip.inner_text()
    assert [r.url for r in offsite.requests] == []


def test_the_dari_page_lays_out_right_to_left_and_the_map_mirrors(server, page):
    page.goto(f"{server}/?date=2021-08-20&lang=da")
    frame = _ready(page)
    main = page.locator('[data-testid="stMain"]')
    assert main.evaluate("e => getComputedStyle(e).direction") == "rtl"
    title, switch = _box(page.locator("h1").first), _box(page.locator('[data-testid="stButtonGroup"]').first)
    assert title["x"] > switch["x"]  # the title on the right, the language switch on the left
    width = frame.evaluate("innerWidth")
    legend = _rect(frame, ".cm-legend")
    zoom = _rect(frame, ".leaflet-control-zoom")
    copy = _rect(frame, ".cm-copy")
    scale = _rect(frame, ".leaflet-control-scale")
    assert legend["x"] + legend["width"] > width - 20  # the legend on the right
    assert zoom["x"] > width / 2 and copy["x"] < width / 2  # zoom on the right, copy link on the left
    assert scale["x"] < width / 2
    # English mirrors back
    page.goto(f"{server}/?date=2021-08-20")
    frame = _ready(page)
    assert _rect(frame, ".cm-legend")["x"] < 30 and _rect(frame, ".leaflet-control-zoom")["x"] < 30


def test_a_dari_date_step_repaints_at_once_and_keeps_iso_links(server, page):
    page.goto(f"{server}/?date=2021-08-19&lang=da")
    frame = _ready(page)
    wait_for_fill(frame, PUL_E_HISAR, TALIBAN)
    slider = page.get_by_role("slider", name="تاریخ")
    assert slider.get_attribute("aria-valuetext") == "۲۸ اسد ۱۴۰۰ (۲۰۲۱/۰۸/۱۹)"
    slider.focus()
    slider.press("ArrowRight")
    wait_for_fill(frame, PUL_E_HISAR, RESISTANCE, timeout=10)
    assert slider.get_attribute("aria-valuetext") == "۲۹ اسد ۱۴۰۰ (۲۰۲۱/۰۸/۲۰)"
    wait_for(lambda: query(page).get("date"), lambda v: v == ["2021-08-20"], timeout=10, what="an ISO date in the URL")
    wait_for(
        lambda: frame.locator("#cm-caption").inner_text(),
        lambda v: v == "۲۹ اسد ۱۴۰۰ (۲۰۲۱/۰۸/۲۰)",
        timeout=10,
        what="the solar caption",
    )
    assert query(page)["lang"] == ["da"]


def test_the_optimistic_repaint_reads_the_dari_slider_label(server, page):
    """The map repaints from the slider's label before the server answers (no server round trip)."""
    page.goto(f"{server}/?date=2021-08-19&lang=da")
    frame = _ready(page)
    wait_for_fill(frame, PUL_E_HISAR, TALIBAN)
    # The table of change points arrives by its own request; on a busy machine it can come last.
    wait_for(lambda: frame.locator("body").get_attribute("data-table"), bool, timeout=30, what="the codes table")
    frame.evaluate(
        """() => { const s = window.parent.document.querySelector('input[type="range"][aria-label="تاریخ"]');
                   s.setAttribute('aria-valuetext', '۲۹ اسد ۱۴۰۰ (۲۰۲۱/۰۸/۲۰)'); }"""
    )
    wait_for_fill(frame, PUL_E_HISAR, RESISTANCE, timeout=5)


# ---------------------------------------------------------------------------------------------
# the scale bar


@pytest.mark.parametrize("lang", ["en", "da"])
def test_the_scale_bar_is_kilometres_only_and_clear_of_the_legend(server, page, lang):
    page.goto(f"{server}/?date=2021-08-20&lang={lang}")
    frame = _ready(page)
    scales = frame.locator(".leaflet-control-scale-line")
    assert scales.count() == 1
    text = scales.first.inner_text()
    assert ("km" in text) if lang == "en" else ("کیلومتر" in text)
    assert "mi" not in text and "ft" not in text
    scale, legend = _rect(frame, ".leaflet-control-scale"), _rect(frame, ".cm-legend")
    apart = scale["x"] >= legend["x"] + legend["width"] or legend["x"] >= scale["x"] + scale["width"]
    assert apart or scale["y"] + scale["height"] <= legend["y"]


# ---------------------------------------------------------------------------------------------
# the phone


@pytest.mark.parametrize("lang", ["en", "da"])
def test_on_a_phone_the_map_comes_first_then_one_date_row_then_the_ledger(server, phone, lang):
    phone.goto(f"{server}/?date=2021-08-20&district={PUL_E_HISAR}&lang={lang}")
    frame = _ready(phone)
    map_box = phone.locator('iframe[title*="controlmap"]').first
    # the phone style sheet has applied: the map above the title
    wait_for(
        lambda: (_box(map_box)["y"], _box(phone.locator("h1").first)["y"]),
        lambda ys: ys[0] < ys[1],
        timeout=15,
        what="the map above the title",
    )
    iframe = _box(map_box)
    screen = PHONE["height"]
    visible = min(iframe["y"] + iframe["height"], screen) - max(iframe["y"], 0)
    assert visible >= 0.6 * screen, iframe
    title = _box(phone.locator("h1").first)
    assert title["y"] > iframe["y"] + iframe["height"]  # the map comes first
    row = phone.locator(".st-key-cm_date_row")
    parts = [row.locator('[data-testid="stSlider"]'), row.locator("button:visible").first]
    parts += [row.locator('[data-testid="stCheckbox"]'), row.locator('[data-testid="stPopoverButton"]:visible')]
    boxes = [_box(p.first) for p in parts]
    row_box = _box(row)
    assert row_box["y"] >= iframe["y"] + iframe["height"] - 1  # under the map
    assert row_box["height"] < 110  # one compact row
    for box in boxes:
        assert box["y"] >= row_box["y"] - 1 and box["y"] + box["height"] <= row_box["y"] + row_box["height"] + 1
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    ledger = phone.locator(f'div.cm-ledger[data-pcode="{PUL_E_HISAR}"]')
    assert _box(ledger)["y"] > row_box["y"] + row_box["height"]  # the ledger below the date row
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing off to the side
    assert frame.locator(".cm-legend").is_visible()


def test_on_a_phone_a_date_step_a_district_click_and_the_ledger_work(server, phone):
    phone.goto(f"{server}/?date=2021-08-19")
    frame = _ready(phone)
    wait_for_fill(frame, PUL_E_HISAR, TALIBAN)
    phone.locator(".st-key-cm_date_row button:visible").nth(1).tap()  # next change
    wait_for(lambda: query(phone).get("date"), lambda v: v and v[0] > "2021-08-19", timeout=15, what="a date step")
    wait_script_idle(phone)
    slider = phone.get_by_role("slider", name="Date")
    slider.focus()
    before = slider.get_attribute("aria-valuetext")
    slider.press("ArrowLeft")
    wait_for(lambda: slider.get_attribute("aria-valuetext"), lambda v: v != before, timeout=10, what="an arrow step")
    wait_script_idle(phone)
    phone.goto(f"{server}/?date=2021-08-20")
    frame = _ready(phone)
    wait_for_fill(frame, PUL_E_HISAR, RESISTANCE)
    district = frame.locator(f'path[data-pcode="{PUL_E_HISAR}"]')
    district.dispatch_event("click")
    ledger = phone.locator(f'div.cm-ledger[data-pcode="{PUL_E_HISAR}"]')
    ledger.wait_for(state="visible", timeout=15_000)
    assert "2021-08-20: Resistance" in ledger.locator(".status").inner_text()
    ledger.scroll_into_view_if_needed()
    assert ledger.locator("li[data-source] a").first.is_visible()
    assert query(phone)["district"] == [PUL_E_HISAR]
    # every other function is still there, further down: the options, the tabs and the language switch
    for locator in (
        phone.get_by_role("tab", name="Export"),
        phone.locator('[data-testid="stToggle"], [data-testid="stCheckbox"]').filter(has_text="Shade by age"),
        phone.locator('[data-testid="stButtonGroup"]'),
    ):
        locator.first.scroll_into_view_if_needed()
        assert locator.first.is_visible()
    assert fill_of(frame, PUL_E_HISAR) == RESISTANCE
