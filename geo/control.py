"""Queries over a Timeline: the state of each district at a date, and what changed.

The rules themselves are in ``geo.rules`` (also stated on the app's methodology page); the
per-district steps they give are in ``geo.intervals``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from geo.rules import DistrictState, district_state, precision_of
from geo.timeline import Timeline

__all__ = [
    "Change",
    "DistrictState",
    "change_dates",
    "diff_states",
    "district_state",
    "neighbour_change",
    "precision_of",
    "state_at",
]


def state_at(timeline: Timeline, *, date: dt.date, pcodes: Iterable[str]) -> dict[str, DistrictState]:
    """Return every district's state at ``date``, keyed by PCODE in the order of ``pcodes``."""
    grouped = timeline.by_district
    return {p: district_state(p, grouped.get(p, ()), date=date) for p in pcodes}


def change_dates(timeline: Timeline) -> list[dt.date]:
    """Return the dates on which any district's controller or confidence changes, ascending."""
    return timeline.index.change_dates()


def neighbour_change(dates: Sequence[dt.date], current: dt.date, *, step: int) -> dt.date | None:
    """Return the change date before (``step=-1``) or after (``step=1``) ``current``, or None."""
    if step < 0:
        earlier = [d for d in dates if d < current]
        return earlier[-1] if earlier else None
    later = [d for d in dates if d > current]
    return later[0] if later else None


@dataclass(frozen=True)
class Change:
    """A district whose controller differs between two dates."""

    pcode: str
    before: str
    after: str
    changed_on: dt.date | None


def diff_states(timeline: Timeline, *, start: dt.date, end: dt.date, pcodes: Iterable[str]) -> list[Change]:
    """List the districts whose controller differs between ``start`` and ``end``.

    ``changed_on`` is the ``since`` date of the later state (when the later controller began).
    """
    first, last = sorted((start, end))
    before = timeline.index.states(date=first, pcodes=pcodes)
    after = timeline.index.states(date=last, pcodes=before)
    return [
        Change(p, before[p].controller, after[p].controller, after[p].since)
        for p in before
        if before[p].controller != after[p].controller
    ]
