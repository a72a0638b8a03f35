"""Each district's ledger, rendered at publish time by the app's own renderer (``components.ledger``).

One renderer: the pieces below are the ones ``ledger_html`` assembles for the app. A district's
state changes only on its claim dates, so the status header is rendered once per step (with the
shown date left as ``DATE_SLOT``), each claim block once per language, and the browser only picks
the step for the shown date and concatenates: head, status, then each section's heading, claim
blocks and end. Earlier and later evidence are the district's history split at the step's date.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence

from components.i18n import LANGS
from components.ledger import (
    SECTIONS,
    claim_body,
    claim_open,
    ledger_head,
    section_frame,
    status_html,
)
from geo import settings
from geo.control import DistrictState
from geo.intervals import Step
from geo.rules import narrowest
from geo.timeline import Claim, Timeline

_WINDOW = dt.timedelta(days=settings.DISPUTE_WINDOW_DAYS)


def _by_date(claim: Claim) -> tuple[dt.date, str]:
    return claim.date, claim.id


def step_state(
    pcode: str, history: Sequence[Claim], dates: Sequence[dt.date], k: int, step: Step | None
) -> DistrictState:
    """``district_state`` at a step, reading only the claims since its run began (the index has the rest).

    ``history[:k]`` is known at the step; ``step`` is the index's step there (None before the first
    claim). ``geo.rules.district_state`` scans every known claim on each call, which made a
    100,000-claim publish quadratic; the controller, confidence, since and precision come from the
    index (held equal to the rules by tests/test_intervals.py), and the supporting and opposing
    claims can only date from the dispute window before ``since`` onwards. tests/test_site_viewer.py
    holds this equal to ``district_state`` at every step of the real, graded and hostile data.
    """
    if k == 0 or step is None:
        return DistrictState(pcode, "unknown", "", None, None, (), ())
    last = dates[k - 1]
    if step.since is None:  # no assertion yet: denials only
        return DistrictState(pcode, "unknown", "", None, last, (), tuple(history[:k]))
    controller, since = step.controller, step.since
    window_start = since - _WINDOW
    recent = history[bisect_left(dates, window_start, 0, k) : k]
    days: dict[dt.date, list[Claim]] = {}
    for c in recent:
        if c.stance == "asserts" and c.date >= since:
            days.setdefault(c.date, []).append(c)
    supporting = sorted(
        (c for found in days.values() for c in narrowest(found) if c.controller == controller),
        key=lambda c: (c.date, c.id),
    )
    counter = tuple(
        c
        for c in recent
        if (c.stance == "denies" and c.controller == controller and c.date >= window_start)
        or (c.stance == "asserts" and c.controller != controller and c.date >= since)
    )
    return DistrictState(pcode, controller, step.confidence, since, last, tuple(supporting), counter, step.precision)


def district_ledger(
    pcode: str, row: Mapping[str, str], timeline: Timeline, names: Mapping[str, Mapping[str, str]]
) -> dict:
    """The ledger payload of one district: history order, claim blocks per language, one entry per step."""
    history = sorted(timeline.by_district.get(pcode, []), key=lambda c: (c.date, c.id))
    order = {c.id: i for i, c in enumerate(history)}
    dates = [c.date for c in history]
    index_steps = timeline.index.steps.get(pcode, [])
    assert [s.date for s in index_steps] == sorted(set(dates)), pcode
    steps, per_lang = [], {lang: {"steps": []} for lang in LANGS}
    # Before the first claim (every claim is later evidence), then one step per claim date.
    first = dates[0] - dt.timedelta(days=1) if dates else dt.date.min
    for day, step in ((None, None), *((s.date, s) for s in index_steps)):
        at = day or first
        upto = bisect_right(dates, at)
        state = step_state(pcode, history, dates, upto, step)
        # The order of components.ledger.ledger_sections (latest first); earlier and later evidence
        # are history[:upto] less these (reversed) and history[upto:], so only their counts are written.
        sections = {
            "sec_claims": sorted(state.claims, key=_by_date, reverse=True),
            "sec_counter": sorted(state.counter_claims, key=_by_date, reverse=True),
        }
        shown = len(sections["sec_claims"]) + len(sections["sec_counter"])
        steps.append(
            {
                "d": day.isoformat() if day else "",
                "k": upto,  # history[:k] is on or before the date: earlier evidence, less the shown claims
                "c": [order[c.id] for c in sections["sec_claims"]],
                "x": [order[c.id] for c in sections["sec_counter"]],
            }
        )
        counts = dict(zip(SECTIONS, (shown - len(state.counter_claims), len(state.counter_claims)), strict=False))
        counts.update(sec_earlier=upto - shown, sec_later=len(history) - upto)
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
