"""Dari summaries and notes, and publication notes: optional columns, validated, shown in the Dari ledger.

The last tests hold the real data's Dari text to its English: every number (Persian or
Arabic-Indic digits read as ASCII) and every PCODE of the English text must appear in the Dari.
Rows without Dari text are skipped but counted; ``python -m geo audit`` reports the coverage.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from components.ledger import ledger_html
from geo import audit, control
from geo.dari import DariChecker
from geo.outlets import Outlet
from geo.timeline import Claim, Source, Timeline, load_timeline
from tests.htmlcheck import dangers, visible_text
from tests.paths import REPO
from tests.test_validation import problems_for

D = dt.date
SOURCE_HEADER = "id,outlet,original,url,published,language,kind,summary,summary_da,published_note"
CLAIM_HEADER = (
    "id,date,scope,district,province,except,reported_as,controller,claimed_by,stance,source_ids,date_note,note"
)


def _with_dari(folder, *, summary_da="", published="2021-08-20", published_note="", note_da=""):
    """Rewrite the graded fixture with the new columns, one source and one claim carrying the values."""
    sources = (folder / "sources.csv").read_text(encoding="utf-8").splitlines()
    rows = [SOURCE_HEADER] + [line + ",," for line in sources[1:]]
    rows.append(f"g-new,wire,,https://example.org/new,{published},fa,wire,A new page.,{summary_da},{published_note}")
    (folder / "sources.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    claims = (folder / "claims.csv").read_text(encoding="utf-8").splitlines()
    rows = [claims[0] + ",note_da"] + [line + "," for line in claims[1:]]
    rows.append(
        f"g-new-c,2021-08-22,district,AF0907,Baghlan,,,taliban,independent,asserts,g-new,,English 12.,{note_da}"
    )
    (folder / "claims.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_folders_without_the_new_columns_still_load(squares_gdf, graded_dir):
    tl = load_timeline(graded_dir, squares_gdf)
    assert all(s.summary_da == "" and s.published_note == "" for s in tl.sources.values())
    assert all(c.note_da == "" for c in tl.claims)


def test_the_new_columns_are_read_into_sources_and_claims(squares_gdf, graded_dir):
    _with_dari(
        graded_dir,
        summary_da="گزارش Example Wire دربارهٔ AF0907 و g-prov",
        published="",
        published_note="the page shows no date",
        note_da="طالبان ۱۲ ولسوالی را گرفتند (g-new، AFP).",
    )
    tl = load_timeline(graded_dir, squares_gdf)
    new = tl.sources["g-new"]
    assert (new.summary_da, new.published, new.published_note) == (
        "گزارش Example Wire دربارهٔ AF0907 و g-prov",
        None,
        "the page shows no date",
    )
    assert {c.id: c.note_da for c in tl.claims}["g-new-c"] == "طالبان ۱۲ ولسوالی را گرفتند (g-new، AFP)."
    counts = audit.coverage(tl)
    assert counts["sources_with_summary_da"] == (1, 4) and counts["claims_with_note_da"] == (1, 4)
    assert counts["sources_with_published_note"] == (1, 4) and counts["sources_date_not_checked"] == (0, 4)


@pytest.mark.parametrize(
    ("values", "said"),
    [
        ({"summary_da": "The Taliban took it"}, "sources.csv:5: summary_da is not in Arabic script"),
        ({"summary_da": "طالبان took it"}, "sources.csv:5: summary_da has Latin words that are not codes"),
        ({"summary_da": "طالبان\u202eگرفتند"}, "sources.csv:5: summary_da contains invisible bidirectional"),
        ({"note_da": "طالبان district را گرفتند"}, "claims.csv:5: note_da has Latin words that are not codes"),
        ({"note_da": "طالبان\u200fگرفتند"}, "claims.csv:5: note_da contains invisible bidirectional"),
        ({"published_note": "no date shown"}, "sources.csv:5: published_note is only for a source without a"),
        ({"published": "", "published_note": "no\u202edate"}, "sources.csv:5: published_note contains invisible"),
    ],
)
def test_dari_text_and_publication_notes_are_validated(squares_gdf, graded_dir, values, said):
    _with_dari(graded_dir, **values)
    found = problems_for(graded_dir, squares_gdf)
    assert found[0].startswith(said), found  # (a refused source also refuses the claim citing it)


def test_latin_words_allowed_in_dari_are_codes_outlet_names_and_reviewed_names():
    checker = DariChecker(["CAP-KBL-3", "amu-61253"], ["KabulNow", "kabulnow", "al-bilal.com (Urdu)"])
    assert checker.foreign_words("Kabul Now و KabulNow و al-Bilal و AFP و NRF") == []  # names, any case
    assert checker.foreign_words("CAP-KBL-3 و CAP-KBL و amu-61253 و G-CAP-*-0708 و AF0912 و AF09") == []  # codes
    assert checker.foreign_words("see https://example.org/a and tolonews.com/x") == ["see", "and"]
    assert checker.foreign_words("Taliban گرفتند Herat") == ["Taliban", "Herat"]
    assert checker.foreign_words("درجهٔ D تا F") == []  # single letters are not words
    assert checker.problem("note_da", "گرفتند\u200cشد") is None  # the zero-width non-joiner is Persian spelling


# --- the ledger ------------------------------------------------------------------------------------

HOSTILE = "<img src=x onerror=alert(1)>![p](https://evil.example/p.png)"
OUTLETS = {"tolo": Outlet("tolo", "TOLOnews", ("tolonews.com",), "AF", "independent", "B", "Afghan broadcaster")}
SOURCES = {
    "s-da": Source("s-da", "tolo", "https://tolonews.com/a", D(2021, 8, 21), "en", "broadcaster", "English summary.",
                   summary_da="خلاصهٔ دری" + HOSTILE),
    "s-en": Source("s-en", "tolo", "https://tolonews.com/b", None, "en", "broadcaster", "Only English.",
                   published_note="the page shows no date"),
    "s-unchecked": Source("s-unchecked", "tolo", "https://tolonews.com/c", None, "en", "broadcaster", "Undated."),
}  # fmt: skip


def _ledger(claims, lang):
    tl = Timeline(tuple(claims), SOURCES, outlets=OUTLETS, districts={"AF0912": "AF09"})
    history = tl.by_district["AF0912"]
    day = D(2021, 8, 22)
    return ledger_html(
        pcode="AF0912", name_en="Pul-e-Hisar", name_da="پل حصار", province="Baghlan",
        state=control.district_state("AF0912", history, date=day), history=history, sources=SOURCES, date=day,
        lang=lang, outlet=tl.outlet,
    )  # fmt: skip


def test_the_dari_ledger_shows_dari_text_and_labels_english_where_it_is_missing():
    with_da = Claim("c1", D(2021, 8, 21), "AF0912", "taliban", "independent", "asserts", ("s-da", "s-en"),
                    note="The English note.", note_da="یادداشت دری" + HOSTILE)  # fmt: skip
    without = Claim("c0", D(2021, 8, 20), "AF0912", "taliban", "independent", "asserts", ("s-unchecked",),
                    note="Only an English note.")  # fmt: skip
    page = _ledger([without, with_da], "da")
    assert dangers(page) == []
    text = visible_text(page)
    assert "یادداشت دری" in text and "The English note." not in text
    assert "خلاصهٔ دری" in text and "English summary." not in text
    assert re.search(r'<div class="text-da" dir="rtl" lang="fa" data-verbatim>یادداشت دری', page)
    # the missing Dari falls back to English, visibly labelled and set left to right
    assert page.count('data-fallback="en"') == 3  # the note of c0, the summaries of s-en and s-unchecked
    assert "انگلیسی Only English." in text and "انگلیسی Only an English note." in text
    assert '<span dir="ltr" lang="en" data-verbatim>Only English.</span>' in page
    # a missing date shows the note saying why, or that nobody has checked
    assert "the page shows no date" in text and "تاریخ نشر بررسی نشده" in text


def test_the_english_ledger_keeps_the_english_text():
    claim = Claim("c1", D(2021, 8, 21), "AF0912", "taliban", "independent", "asserts", ("s-da", "s-en"),
                  note="English note.", note_da="یادداشت دری")  # fmt: skip
    text = visible_text(_ledger([claim], "en"))
    assert "English note." in text and "English summary." in text and "یادداشت دری" not in text
    assert "data-fallback" not in _ledger([claim], "en")
    assert "the page shows no date" in text


# --- the real data: numbers and PCODEs kept ----------------------------------------------------------

_TO_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_ISO = re.compile(r"\b(\d{4})-\d{2}-(\d{2})\b")
_PCODE = re.compile(r"AF\d{2}(?:\d{2})?")


def _numbers(text: str) -> set[str]:
    """The whole numbers of ``text`` (PCODEs aside), without leading zeros.

    An ISO date keeps its year and day only: Dari names the month (جولای), it does not number it.
    """
    text = _ISO.sub(r" \1 \2 ", _PCODE.sub(" ", text.translate(_TO_ASCII)))
    return {n.lstrip("0") or "0" for n in re.findall(r"\d+", text)}


def lost_in_translation(english: str, dari: str) -> list[str]:
    """The numbers and PCODEs of ``english`` that ``dari`` does not keep."""
    lost = sorted(_numbers(english) - _numbers(dari), key=int)
    return lost + sorted(set(_PCODE.findall(english)) - set(_PCODE.findall(dari.translate(_TO_ASCII))))


def test_the_number_check_can_fail():
    assert (
        lost_in_translation("12 of 13 districts on 2021-08-05 (AF3001)", "۱۲ از ۱۳ ولسوالی در ۵ اگست ۲۰۲۱ (AF3001)")
        == []
    )
    assert lost_in_translation("35 troops surrendered", "سربازان تسلیم شدند") == ["35"]
    assert lost_in_translation("AF0912 fell", "سقوط کرد") == ["AF0912"]
    assert lost_in_translation("Phase 2", "مرحلهٔ ٢") == []  # Arabic-Indic digits count too


@pytest.fixture(scope="module")
def real_timeline(real_districts):
    return load_timeline(REPO / "data", real_districts)


def test_the_real_dari_text_keeps_every_number_and_pcode(real_timeline):
    checked = skipped = 0
    lost: list[str] = []
    pairs = [(s.id, s.summary, s.summary_da) for s in real_timeline.sources.values()]
    pairs += [(c.id, c.note, c.note_da) for c in real_timeline.claims]
    for row_id, english, dari in pairs:
        if not dari:
            skipped += 1
            continue
        checked += 1
        if missing := lost_in_translation(english, dari):
            lost.append(f"{row_id}: {', '.join(missing)}")
    assert checked + skipped == len(pairs)
    assert lost == [], f"{len(lost)} of {checked} Dari texts lose numbers or PCODEs ({skipped} rows have none yet)"


def test_the_methodology_known_gaps_give_the_computed_status_figures_in_both_languages(real_timeline):
    from components.methodology_text import methodology_text

    figures = audit.status_figures(real_timeline)
    first = figures[0]
    english = methodology_text("en", figures)
    assert f"on 2021-08-01, {first.known} have a status; {first.only_weak_voices} of them rest only on weak" in english
    assert f"{first.single_voice} on a single voice, {first.only_broad_claims} only on broad claims" in english
    dari = methodology_text("da", figures)
    digits = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    assert f"{str(first.known).translate(digits)} ولسوالی وضعیت دارند" in dari
    assert f"On 2021-08-01, {first.only_capitals_claims} of the 34 provincial capitals rest only on" in english
    assert first.only_capitals_claims > 0  # AFP-CAPS-0708
    assert "aligned:RU" in english and "aligned:RU" in dari  # the rule for outlets aligned with a state
    assert "{" not in methodology_text("en").replace("{n}", "")  # no placeholder left without figures
