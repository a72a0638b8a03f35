"""The message catalogue and the Dari page: every string in both languages, no English left in Dari.

The allow-list (data taken as written, code, URLs, outlet names, a few proper names) is in
tests/dari.py. The AppTest checks read every string field of every element Streamlit would send.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import string

import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from components import i18n
from components.ledger import ledger_html
from geo import control
from geo.timeline import load_timeline
from tests.conftest import REPO, TEST_DATA, shared_boundaries
from tests.dari import english_words, shown_text

DATA = REPO / "data"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_with_the_same_placeholders():
    for key, (en, da) in i18n.TEXT.items():
        assert en.strip() and da.strip(), key
        assert _fields(en) == _fields(da), key
    assert _fields(i18n.METHODOLOGY["en"]) == _fields(i18n.METHODOLOGY["da"])


def test_no_dari_message_holds_english():
    texts = [da for _, da in i18n.TEXT.values()] + [i18n.METHODOLOGY["da"], i18n.ATTRIBUTION_DA]
    texts += [*i18n.CONTROLLER_LABELS_DA.values(), *i18n.CONFIDENCE_DA.values(), *i18n.AFFILIATION_DA.values()]
    texts += [*i18n.STATE_NAMES_DA.values(), *i18n.GRADE_RUBRIC_DA.values()]
    texts += [da for _, da in (*i18n.CLAIMANT_LABELS.values(), *i18n.SOURCE_KIND_LABELS.values())]
    texts = [re.sub(r"\{\w+\}", " ", text) for text in texts]  # placeholders are filled in
    found = {text[:40]: english_words(text) for text in texts if english_words(text)}
    assert found == {}


def test_the_checker_catches_english():
    assert english_words("Play تاریخ") == ["Play"]
    assert english_words("دانلود CSV · `python -m geo state` · https://example.org/a · Reuters") == []
    assert shown_text("<div>نقشه <span data-verbatim>Pul-e-Hisar <b>x</b></span> Legend</div>") == "نقشه   Legend"


def test_dates_read_in_the_solar_calendar_in_dari_and_iso_in_english():
    day = dt.date(2021, 8, 15)
    assert i18n.date_text(day, "en") == "2021-08-15"
    assert i18n.date_text(day, "da") == "۲۴ اسد ۱۴۰۰ (۲۰۲۱/۰۸/۱۵)"
    assert i18n.t("changed_hands", "da", n=12, first=day, last=day).startswith("**۱۲**")


# ---------------------------------------------------------------------------------------------
# the ledger of every district with evidence, in Dari


def test_every_dari_ledger_of_the_real_data_is_dari(real_districts):
    timeline = load_timeline(DATA, real_districts)
    rows = real_districts.set_index("pcode")
    names = dict(zip(real_districts["pcode"], real_districts["name_da"], strict=True))
    names.update(zip(real_districts["province_pcode"], real_districts["province_da"], strict=False))
    day = dt.date(2021, 8, 20)
    for pcode, history in timeline.by_district.items():
        page = ledger_html(
            pcode=pcode,
            name_en=rows.at[pcode, "name_en"],
            name_da=rows.at[pcode, "name_da"],
            province=rows.at[pcode, "province_da"],
            state=control.district_state(pcode, history, date=day),
            history=history,
            sources=timeline.sources,
            date=day,
            lang="da",
            outlet=timeline.outlet,
            names=names,
        )
        assert english_words(shown_text(page)) == [], pcode


# ---------------------------------------------------------------------------------------------
# the Dari page in AppTest

SKIPPED_FIELDS = {"id", "type", "json_args", "component_name", "theme", "selection_mode", "language", "name",
                  "form_id", "code_text", "icon", "url_path", "page_script_hash", "deferred_file_id",
                  "columns"}  # fmt: skip  # "columns" is the table's column settings; its data is read below


def _strings(msg: Message, path: str = ""):
    for field, value in msg.ListFields():
        values = list(value) if type(value).__name__.startswith("Repeated") else [value]
        for item in values:
            if isinstance(item, Message):
                yield from _strings(item, f"{path}.{field.name}")
            elif isinstance(item, str) and field.name not in SKIPPED_FIELDS:
                yield f"{path}.{field.name}", item


def _walk(node):
    proto = getattr(node, "proto", None)
    if proto is not None:
        yield from _strings(proto, type(node).__name__)
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def english_on(at: AppTest) -> dict[str, list[str]]:
    """Every English word the page would show, by the element field it is in."""
    found: dict[str, list[str]] = {}
    for where, text in _walk(at._tree):
        if where.endswith(".spec"):  # a chart: what it prints is its titles and axis labels
            spec = json.loads(text)
            text = " ".join(_titles(spec))
        words = english_words(shown_text(text))
        if words:
            found.setdefault(where, []).extend(words)
    for table in at.dataframe:  # headers and cells; source ids and codes are data, as written
        frame = table.value
        shown = [str(c) for c in frame.columns]
        for column in frame.columns:
            if column not in ("کد", "منابع"):
                shown += [str(v) for v in frame[column]]
        words = english_words(" ".join(shown))
        if words:
            found.setdefault("Dataframe", []).extend(sorted(set(words)))
    return found


def _titles(spec: object) -> list[str]:
    if isinstance(spec, dict):
        out = [v for k, v in spec.items() if k == "title" and isinstance(v, str)]
        if isinstance(spec.get("labelExpr"), str):  # the axis labels: the values of its lookup table
            out += re.findall(r':\s*"([^"]*)"', spec["labelExpr"])
        return out + [t for v in spec.values() for t in _titles(v)]
    if isinstance(spec, list):
        return [t for v in spec for t in _titles(v)]
    return []


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.setenv("CONTROLMAP_BOUNDARIES_DIR", str(shared_boundaries()))
    monkeypatch.setenv("CONTROLMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CONTROLMAP_OFFLINE", "1")
    monkeypatch.setenv("CONTROLMAP_DATA_DIR", str(DATA))
    return monkeypatch


def _app(query: dict[str, str], state: dict[str, object] | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.query_params.update(query)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    return at.run()


@pytest.mark.parametrize("tab", ["over_time", "changes", "log", "export"])
def test_the_dari_map_page_has_no_english_in_any_tab(env, tab):
    query = {"date": "2021-08-20", "district": "AF0912", "compare": "2021-08-10", "lang": "da"}
    at = _app(query, {"analysis_tab": i18n.t(tab, "da")})
    assert not at.exception
    assert english_on(at) == {}
    # the same page in English does show English (the check can fail)
    english = _app({**query, "lang": "en"}, {"analysis_tab": i18n.t(tab, "en")})
    assert english_on(english)


def test_the_dari_page_uses_solar_dates_and_keeps_iso_links(env):
    at = _app({"date": "2021-08-15", "district": "AF0801", "lang": "da"})
    slider = at.select_slider(key="date")
    assert slider.value == dt.date(2021, 8, 15)
    assert "۲۴ اسد ۱۴۰۰ (۲۰۲۱/۰۸/۱۵)" in slider.options
    ledger = next(m.value for m in at.markdown if "cm-ledger" in m.value)
    assert "۲۴ اسد ۱۴۰۰" in ledger
    assert at.query_params["date"] == "2021-08-15" and at.query_params["lang"] == "da"
    slider.set_value(dt.date(2021, 8, 16)).run()
    assert at.query_params["date"] == "2021-08-16"


def test_the_dari_notices_and_methodology_and_error_pages_have_no_english(env, data_dir, tmp_path):
    at = _app({"date": "1999-01-01", "district": "<b>", "lat": "x", "lang": "da", "shade": "q"})
    assert len(at.warning) == 4
    assert english_on(at) == {}

    def methodology_page():
        from components import methodology

        methodology.render()

    page = AppTest.from_function(methodology_page, default_timeout=60)
    page.query_params["lang"] = "da"
    page.run()
    assert not page.exception and "روش کار" in page.title[0].value
    assert english_on(page) == {}

    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("sources.csv", "claims.csv"):
        (broken / name).write_bytes((TEST_DATA / "broken" / name).read_bytes())
    env.setenv("CONTROLMAP_DATA_DIR", str(broken))
    error = _app({"lang": "da"})
    assert not error.exception
    assert "مشکل" in error.error[0].value and "claims.csv:3: " in error.code[0].value
    assert english_on(error) == {}
