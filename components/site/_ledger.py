"""Each district's ledger, rendered at publish time by the app's own renderer (``components.ledger``).

One renderer: the pieces below are the ones ``ledger_html`` assembles for the app. A district's
state changes only on its claim dates, so the status header is rendered once per step (with the
shown date left as ``DATE_SLOT``), each claim block once per language, and the browser only picks
the step for the shown date and concatenates: head, status, then each section's heading, claim
blocks and end. Earlier and later evidence are the district's history split at the step's date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from components.i18n import LANGS
from components.ledger import (
    SECTIONS,
    claim_body,
    claim_open,
    ledger_head,
    ledger_sections,
    section_frame,
    status_html,
)
from geo.control import district_state
from geo.timeline import Claim, Timeline


def _steps(pcode: str, history: Sequence[Claim]) -> list[tuple[dt.date | None, dt.date]]:
    """(step date or None for "before the first claim", a date to derive the state at) per step."""
    if not history:
        return [(None, dt.date.min)]
    days = sorted({c.date for c in history})
    return [(None, days[0] - dt.timedelta(days=1)), *((d, d) for d in days)]


def district_ledger(
    pcode: str, row: Mapping[str, str], timeline: Timeline, names: Mapping[str, Mapping[str, str]]
) -> dict:
    """The ledger payload of one district: history order, claim blocks per language, one entry per step."""
    history = sorted(timeline.by_district.get(pcode, []), key=lambda c: (c.date, c.id))
    order = {c.id: i for i, c in enumerate(history)}
    steps, per_lang = [], {lang: {"steps": []} for lang in LANGS}
    for day, at in _steps(pcode, history):
        state = district_state(pcode, history, date=at)
        sections = dict(ledger_sections(state, history, at))
        shown = len(sections["sec_claims"]) + len(sections["sec_counter"])
        upto = sum(1 for c in history if c.date <= at)
        steps.append(
            {
                "d": day.isoformat() if day else "",
                "k": upto,  # history[:k] is on or before the date: earlier evidence, less the shown claims
                "c": [order[c.id] for c in sections["sec_claims"]],
                "x": [order[c.id] for c in sections["sec_counter"]],
            }
        )
        counts = {title: len(sections[title]) for title in SECTIONS}
        assert counts["sec_earlier"] == upto - shown and counts["sec_later"] == len(history) - upto
        for lang in LANGS:
            status = status_html(state, has_history=bool(history), sources=timeline.sources, lang=lang)
            frames = [list(section_frame(title, counts[title], lang)) if counts[title] else None for title in SECTIONS]
            per_lang[lang]["steps"].append([status, frames])
    for lang in LANGS:
        province = row["province_da" if lang == "da" else "province_en"]
        per_lang[lang]["head"] = ledger_head(
            pcode=pcode, name_en=row["name_en"], name_da=row["name_da"], province=province, lang=lang
        )
        per_lang[lang]["blocks"] = [
            claim_body(c, timeline.sources, lang=lang, outlet=timeline.outlet, names=names[lang]) for c in history
        ]
    return {
        "pcode": pcode,
        "open": [[claim_open(c, counter=False), claim_open(c, counter=True)] for c in history],
        "dates": [c.date.isoformat() for c in history],
        "steps": steps,
        **per_lang,
    }
