import datetime as dt
import json
import os
import re
import tempfile
from pathlib import Path

import pytest

from components.district_map import build_map_html, encode_states, palette, prepare_component_dir
from components.ledger import ledger_html
from geo import control, settings
from geo.timeline import Claim, Source, load_timeline
from tests.htmlcheck import dangers, visible_text

HOSTILE = '</script><script>alert("x")</script><img src=x onerror=alert(1)>`${1}`\u202e'
# Markdown that Streamlit would turn into an image fetched from elsewhere, a link or an icon.
HOSTILE_MD = "![p](https://evil.example/p.png) [x](javascript:alert(2)) :material/home: $\\href{x}{y}$ **b**"


def provinces(gdf):
    return gdf.dissolve("province_pcode", as_index=False)[["province_pcode", "geometry"]]


def test_map_has_every_district_no_external_asset_and_a_legend(squares_gdf):
    page = build_map_html(squares_gdf, provinces(squares_gdf))
    refs = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', page)
    assert sorted(refs) == ["controlmap.js", "leaflet.css", "leaflet.js"]
    assert "://" not in "".join(refs)
    for label in settings.CONTROLLER_LABELS.values():
        assert label in page
    assert "controlmapInit(" in page
    pcodes = re.findall(r'"pcode": "(AF\d{4})"', page)
    assert sorted(pcodes) == sorted(squares_gdf["pcode"])


def test_hostile_names_cannot_break_out_of_the_script(squares_gdf):
    benign = build_map_html(squares_gdf, provinces(squares_gdf))
    squares_gdf.loc[0, "name_en"] = HOSTILE
    squares_gdf.loc[1, "name_da"] = HOSTILE
    squares_gdf.loc[2, "province_en"] = HOSTILE
    page = build_map_html(squares_gdf, provinces(squares_gdf))
    assert page.count("<script") == benign.count("<script")
    assert page.count("</script>") == benign.count("</script>")
    block = re.search(r'<script type="application/json" id="cm-names">(.*?)</script>', page, re.S).group(1)
    assert "<img" not in page and page.count("alert(") == block.count("alert(") == 6  # only as JSON data
    names = json.loads(block)
    assert names[0][0] == HOSTILE and names[1][1] == HOSTILE and names[2][2] == HOSTILE  # nothing lost


def test_bad_pcode_is_refused(squares_gdf):
    squares_gdf.loc[0, "pcode"] = '"><script>'
    with pytest.raises(ValueError, match="PCODE"):
        build_map_html(squares_gdf, provinces(squares_gdf))


def test_component_dir_is_complete_and_content_addressed(squares_gdf, tmp_path):
    page = build_map_html(squares_gdf, provinces(squares_gdf))
    first = prepare_component_dir(page, tmp_path)
    assert sorted(p.name for p in first.iterdir()) == ["controlmap.js", "index.html", "leaflet.css", "leaflet.js"]
    assert prepare_component_dir(page, tmp_path) == first
    assert prepare_component_dir(page + "<!-- changed -->", tmp_path) != first
    assert not list((tmp_path / "component").glob(".staging-*"))


def test_same_input_builds_the_same_bytes(squares_gdf, tmp_path):
    """Branca's random element ids made every server start write a new 1.3 MB map folder."""
    first = build_map_html(squares_gdf, provinces(squares_gdf))
    second = build_map_html(squares_gdf, provinces(squares_gdf))
    assert first == second
    assert re.search(r"controlmapInit\(map_\w+, geo_json_\w+, \{", first)
    assert prepare_component_dir(first, tmp_path / "a").name == prepare_component_dir(second, tmp_path / "b").name


def test_old_map_folders_are_pruned(squares_gdf, tmp_path):
    page = build_map_html(squares_gdf, provinces(squares_gdf))
    component = tmp_path / "component"
    old = [component / f"{n:016x}" for n in range(4)]  # folders left by earlier builds
    for age, folder in enumerate(old):
        folder.mkdir(parents=True)
        (folder / "index.html").write_text("old build")
        os.utime(folder, (1_000_000 - age, 1_000_000 - age))  # old[0] was used last
    stale_staging = component / ".staging-old"
    stale_staging.mkdir()
    os.utime(stale_staging, (1, 1))
    fresh_staging = Path(tempfile.mkdtemp(dir=component, prefix=".staging-"))

    current = prepare_component_dir(page, tmp_path)
    left = sorted(p.name for p in component.iterdir())
    assert left == sorted([current.name, old[0].name, fresh_staging.name])
    assert (current / "index.html").is_file()
    # Serving an existing folder again also prunes, and keeps it and the one before.
    again = prepare_component_dir(page + "<!-- changed -->", tmp_path)
    assert sorted(p.name for p in component.iterdir()) == sorted([again.name, current.name, fresh_staging.name])
    assert prepare_component_dir(page, tmp_path) == current
    assert again.is_dir() and current.is_dir()


def test_encode_states_one_char_per_district(squares_gdf, data_dir):
    timeline = load_timeline(data_dir, squares_gdf)
    order = list(squares_gdf["pcode"])
    codes = encode_states(control.state_at(timeline, date=dt.date(2021, 8, 24), pcodes=order), order)
    table = palette()
    labels = [table[c]["label"] for c in codes]
    assert labels == [
        "Taliban · confirmed",
        "Taliban · disputed",
        "Resistance (NRF / local uprising) · claimed",
        "Unknown / no evidence",
        "Unknown / no evidence",
    ]
    assert table[codes[1]]["fill"] == "url(#hatch-taliban)"
    assert table[codes[0]]["opacity"] > table[codes[2]]["opacity"]  # claimed is visibly lighter


def hostile_ledger(url):
    src = Source("s1", HOSTILE, url, None, "en", "wire", HOSTILE_MD)
    note = f"{HOSTILE_MD}\n\n{HOSTILE_MD}"  # a blank line would end a raw HTML block in markdown
    claim = Claim(
        "c1", dt.date(2021, 8, 20), "AF0912", "resistance", "resistance", "asserts", ("s1",), HOSTILE, HOSTILE, note
    )
    counter = Claim("c2", dt.date(2021, 8, 21), "AF0912", "resistance", "taliban", "denies", ("s1",))
    state = control.district_state("AF0912", [claim, counter], date=dt.date(2021, 8, 21))
    return ledger_html(
        pcode="AF0912",
        name_en=HOSTILE,
        name_da=HOSTILE,
        province=HOSTILE,
        state=state,
        history=[claim, counter],
        sources={"s1": src},
        date=dt.date(2021, 8, 21),
    )


def test_ledger_escapes_every_text_field_and_links_safely():
    page = hostile_ledger("https://example.org/a?b=1&c=<2>")
    assert dangers(page) == []
    assert "\n\n" not in page
    text = visible_text(page)
    # Every field reads back as written: names and province (3), reported as, date note, and the
    # outlet under the claim and the counter-claim; each right-to-left override is closed after it.
    assert text.count(HOSTILE + "\u202c") == 7, text
    assert text.count("\u202e") == text.count("\u202c") == 7
    assert text.count(HOSTILE_MD) == 4  # the note's two lines, and the summary twice
    # No markdown syntax survives as such for Streamlit's parser to act on.
    for syntax in ("![", "](", ":material", "$", "`", "**"):
        assert syntax not in page.split("</style>", 1)[1], syntax
    assert (
        '<a href="https://example.org/a?b=1&amp;c=&lt;2&gt;" target="_blank" rel="noopener noreferrer nofollow">'
        in page
    )
    assert "Counter-claims (1)" in text and "Claims behind this status (1)" in text
    assert "disputed" in text


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>", " JAVASCRIPT:alert(1)"])
def test_ledger_never_links_non_http_urls(url):
    page = hostile_ledger(url)
    assert "<a " not in page


def test_codes_tables_of_old_data_versions_are_pruned(tmp_path):
    from components.district_map import publish_codes

    for i in range(5):  # tables left by earlier data versions, oldest first
        (tmp_path / f"codes-v{i}.json").write_text("{}")
        os.utime(tmp_path / f"codes-v{i}.json", (1_000_000 + i, 1_000_000 + i))
    assert publish_codes(tmp_path, "v5", {"unknown": "a", "points": []}) == "codes-v5.json"
    assert sorted(p.name for p in tmp_path.glob("codes-*.json")) == ["codes-v4.json", "codes-v5.json"]
