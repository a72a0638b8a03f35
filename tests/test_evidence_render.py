"""The ledger shows each source's outlet, affiliation, grade and real host; reposts name their original;
sources run strongest first; a broad claim is shown once, labelled, and hostile outlet text stays text."""

import datetime as dt
import re

from components.ledger import ledger_html
from geo import control
from geo.outlets import Outlet
from geo.timeline import Claim, Source, Timeline
from tests.htmlcheck import dangers, visible_text

D = dt.date
HOSTILE = '<img src=x onerror=alert(1)>![p](https://evil.example/p.png)"'

OUTLETS = {
    "tass": Outlet("tass", "TASS", ("tass.com",), "RU", "state:RU", "C", "state wire"),
    "tolo": Outlet("tolo", "TOLOnews", ("tolonews.com",), "AF", "independent", "B", "Afghan broadcaster"),
    "farm": Outlet("farm", "Mirror" + HOSTILE, ("farm.example",), "", "unknown", "E", "scraper"),
}
SOURCES = {
    "s-tass": Source("s-tass", "tass", "https://tass.com/world/1", D(2021, 8, 20), "en", "wire", "TASS says so."),
    "s-copy": Source("s-copy", "farm", "https://farm.example/x", None, "en", "online", "Copies TOLO.", "tolo"),
    "s-tolo": Source("s-tolo", "tolo", "https://tolonews.com/a", D(2021, 8, 21), "en", "broadcaster", "TOLO."),
}
NAMES = {"AF0912": "Pul-e-Hisar", "AF0908": "Deh Salah", "AF09": "Baghlan"}


DAY = D(2021, 8, 22)


def render(claims, day=DAY, limit=None):
    tl = Timeline(tuple(claims), SOURCES, outlets=OUTLETS, districts={"AF0912": "AF09", "AF0908": "AF09"})
    history = tl.by_district["AF0912"]
    return ledger_html(
        pcode="AF0912",
        name_en="Pul-e-Hisar",
        name_da="پل حصار",
        province="Baghlan",
        state=control.district_state("AF0912", history, date=day),
        history=history,
        sources=SOURCES,
        date=day,
        outlet=tl.outlet,
        names=NAMES,
        limit=limit,
    )


def test_each_source_shows_outlet_affiliation_grade_and_host_strongest_first():
    c = Claim("c1", D(2021, 8, 21), "AF0912", "taliban", "independent", "asserts", ("s-tass", "s-copy", "s-tolo"))
    page = render([c])
    assert dangers(page) == []
    items = re.findall(r'<li data-source="([^"]+)"', page)
    assert items == ["s-tolo", "s-copy", "s-tass"]  # B, a relay of B (newer first among equals), then C
    text = visible_text(page)
    assert "TASS (tass.com) · Russian state media · C" in text
    assert "TOLOnews (tolonews.com) · independent · B" in text
    # a relay names its original, and its own (hostile) name stays inert text
    assert "(farm.example) · affiliation unknown · E · relaying TOLOnews · independent · B" in text
    assert "Mirror" + HOSTILE in text
    assert 'data-voices="2"' in page  # the relay and its original are one voice


def test_a_broad_claim_is_shown_once_and_labelled_and_the_status_says_it_rests_on_it():
    prov = Claim(
        "p1", D(2021, 8, 19), "AF09", "taliban", "independent", "asserts", ("s-tolo",),
        scope="province", excluded=frozenset({"AF0908"}),
    )  # fmt: skip
    page = render([prov])
    assert page.count('data-claim="p1"') == 1
    text = visible_text(page)
    assert "Province-wide: Baghlan (except Deh Salah)" in text
    assert 'data-precision="province"' in page
    assert "rests only on claims about all capitals, a province or the country" in text
    nat = Claim("n1", D(2021, 8, 16), "AF", "taliban", "independent", "asserts", ("s-tolo",), scope="country")
    own = Claim("d1", D(2021, 8, 20), "AF0912", "resistance", "resistance", "asserts", ("s-tass",))
    page = render([nat, own])
    assert "Country-wide" in visible_text(page) and page.count('data-claim="n1"') == 1
    assert "data-precision=" not in page  # the status rests on the district's own claim


def test_the_map_marks_a_status_resting_only_on_broad_claims_and_the_legend_says_so(squares_gdf):
    from components.district_map import build_map_html, encode_states, palette

    prov = Claim(
        "p1", D(2021, 8, 19), "AF09", "taliban", "independent", "asserts", ("s-tolo",),
        scope="province", excluded=frozenset({"AF0908"}),
    )  # fmt: skip
    own = Claim("d1", D(2021, 8, 19), "AF0908", "taliban", "independent", "asserts", ("s-tolo",))
    provinces = dict(zip(squares_gdf.pcode, squares_gdf.province_pcode, strict=True))
    tl = Timeline((own, prov), SOURCES, outlets=OUTLETS, districts=provinces)
    order = list(squares_gdf["pcode"])
    codes = encode_states(control.state_at(tl, date=D(2021, 8, 20), pcodes=order), order)
    table = palette()
    andarab, deh_salah = table[codes[0]], table[codes[1]]
    assert andarab["fill"] == deh_salah["fill"] and andarab["opacity"] == deh_salah["opacity"]  # same status
    assert andarab["stroke"] == "#ffffff" and andarab["dash"] and "stroke" not in deh_salah
    assert andarab["label"] == "Taliban · confirmed · only broad evidence (all capitals, a province or the country)"
    page = build_map_html(squares_gdf, squares_gdf.dissolve("province_pcode", as_index=False))
    assert 'class="cm-legend-broad"' in page and "only broad evidence (all capitals, a province or the country)" in page


def test_a_busy_ledger_shows_the_latest_claims_first_and_stays_small_with_a_limit():
    busy = [
        Claim(f"c{i:04d}", D(2021, 8, 1) + dt.timedelta(days=i % 20), "AF0912", "taliban",
              "independent", "asserts", ("s-tolo",), note="x" * 300)
        for i in range(2000)
    ]  # fmt: skip
    full = render(busy)
    small = render(busy, limit=8)
    assert len(full) > 1_000_000 and len(small) < 20_000
    listed = re.findall(r'data-claim="(c\d+)"', small)
    assert len(listed) == 8 and listed == sorted(listed, reverse=True)  # newest first
    assert 'data-hidden="1992"' in small and "… and 1992 older claims" in visible_text(small)
