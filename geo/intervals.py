"""The control index: each district's states as change intervals, derived in one pass per data version.

``geo.rules.district_state`` states the rules and derives one district's state at one date from
scratch. A district's state can only change on a day that one of its claims is dated (its own or
a broad claim covering it), so this module walks each district's claims once, in date order, and
keeps the running facts the rules need (the current run of a controller, its supporting claims,
opposing assertions since it began, denials in the dispute window, whether any supporting claim
confirms, the narrowest scope). The result is one ``Step`` per distinct claim date; the state at
any date is a binary search away. The cost follows the evidence (claims and claim dates), never
the calendar (days × districts).

The property test in ``tests/test_intervals.py`` checks on random timelines that every step
equals ``district_state`` on every day.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

import numpy as np

from geo import _gc, settings
from geo._claims import Claim
from geo.rules import SCOPE_RANK, confirms, day_controller, narrowest

_DATE = attrgetter("date")


@dataclass(frozen=True)
class Status:
    """A district's status at a date, without the claims behind it (``district_state`` has those)."""

    pcode: str
    controller: str
    confidence: str
    since: dt.date | None
    last_evidence: dt.date | None
    precision: str = ""


class Step(NamedTuple):
    """The status that holds from ``date`` (a claim date) until the district's next claim date."""

    date: dt.date
    controller: str
    confidence: str
    since: dt.date | None
    precision: str


_UNKNOWN_STEP_PARTS = ("unknown", "", None, "")
_BEFORE_WINDOW = dt.timedelta(days=settings.DISPUTE_WINDOW_DAYS + 1)


def district_steps(claims: Sequence[Claim]) -> list[Step]:
    """Derive one district's status at each of its distinct claim dates in one pass (claims in date order)."""
    steps: list[Step] = []
    controller, since = "unknown", None
    supporting_confirms, supporting_rank, supporting_any = False, 99, False
    opposing = 0  # assertions (any scope) since ``since`` naming another controller
    denials: list[tuple[dt.date, str]] = []  # every denial so far, in date order
    denial_dates: list[dt.date] = []
    asserted = False
    broad = any(c.scope != "district" for c in claims)  # else every claim is the district's own
    for day, group in groupby(claims, key=_DATE):
        today = list(group)
        raw = []
        for c in today:
            if c.stance == "denies":
                denials.append((day, c.controller))
                denial_dates.append(day)
            elif c.stance == "asserts":
                raw.append(c)
        if raw:
            kept = narrowest(raw) if broad else raw
            todays = kept[0].controller if len(kept) == 1 else day_controller(kept)
            if not asserted or todays != controller:
                controller, since = todays, day
                supporting_confirms, supporting_rank, supporting_any, opposing = False, 99, False, 0
            asserted = True
            for c in kept:
                if c.controller == controller:
                    supporting_any = True
                    rank = SCOPE_RANK[c.scope]
                    if rank < supporting_rank:
                        supporting_rank = rank
                    supporting_confirms = supporting_confirms or confirms(c, controller)
            for c in raw:
                if c.controller != controller:
                    opposing += 1
        if not asserted:
            steps.append(Step(day, *_UNKNOWN_STEP_PARTS))
            continue
        assert since is not None
        denied = False
        if denial_dates:
            first = bisect_right(denial_dates, since - _BEFORE_WINDOW)
            denied = any(ctrl == controller for _, ctrl in denials[first:])
        if controller == "unknown":
            confidence = ""
        elif denied or opposing or (controller == "contested" and not supporting_any):
            confidence = "disputed"
        elif supporting_confirms:
            confidence = "confirmed"
        else:
            confidence = "claimed"
        precision = settings.SCOPES[supporting_rank] if supporting_any and controller != "unknown" else ""
        steps.append(Step(day, controller, confidence, since, precision))
    return steps


class ControlIndex:
    """Every district's steps, built once per timeline; answers questions about any date by lookup."""

    def __init__(self, steps: Mapping[str, list[Step]]) -> None:
        """Wrap per-district steps (each list in date order)."""
        self.steps = dict(steps)
        self._dates = {p: [s.date for s in found] for p, found in self.steps.items()}

    @classmethod
    def build(cls, by_district: Mapping[str, Sequence[Claim]]) -> ControlIndex:
        """Derive the steps of every district that has claims (its own or broad ones, in date order)."""
        return cls({pcode: district_steps(claims) for pcode, claims in by_district.items()})

    def step_at(self, pcode: str, date: dt.date) -> Step | None:
        """The step in force at ``date``, or None before the district's first claim."""
        dates = self._dates.get(pcode)
        if not dates:
            return None
        i = bisect_right(dates, date) - 1
        return self.steps[pcode][i] if i >= 0 else None

    def status(self, pcode: str, date: dt.date) -> Status:
        """The district's status at ``date`` (unknown, with no evidence, before its first claim)."""
        step = self.step_at(pcode, date)
        if step is None:
            return Status(pcode, "unknown", "", None, None, "")
        return Status(pcode, step.controller, step.confidence, step.since, step.date, step.precision)

    def states(self, *, date: dt.date, pcodes: Iterable[str]) -> dict[str, Status]:
        """Every district's status at ``date``, keyed by PCODE in the order of ``pcodes``."""
        return {p: self.status(p, date) for p in pcodes}

    def change_dates(self) -> list[dt.date]:
        """Dates on which any district's controller or confidence changes, ascending."""
        changes: set[dt.date] = set()
        for found in self.steps.values():
            previous = ("unknown", "")
            for step in found:
                current = (step.controller, step.confidence)
                if current != previous:
                    changes.add(step.date)
                previous = current
        return sorted(changes)

    def change_points(self, pcodes: Sequence[str], encode: Mapping[tuple[str, str, bool], str]) -> list[list]:
        """For each district (in ``pcodes`` order), ``[[iso date, code], …]`` at each change of its code.

        ``encode`` maps (controller, confidence, broad evidence only) to one palette character; the
        browser looks a date up by binary search. The table grows with changes, not with days.
        """
        table: list[list] = []
        with _gc.paused():  # hundreds of thousands of small lists (see geo._gc)
            for pcode in pcodes:
                points: list[list[str]] = []
                previous = None
                for step in self.steps.get(pcode, ()):
                    code = encode.get((step.controller, step.confidence, step.precision not in ("", "district")), "?")
                    if code != previous:
                        points.append([step.date.isoformat(), code])
                        previous = code
                table.append(points)
        return table

    def evidence_dates(self, pcodes: Sequence[str]) -> list[list[str]]:
        """For each district, every claim date (ISO), for the age-of-evidence shading in the browser."""
        return [[d.isoformat() for d in self._dates.get(p, ())] for p in pcodes]

    def control_series_arrays(
        self, pcodes: Sequence[str], areas: np.ndarray, *, start: dt.date, n_days: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Daily district counts and km² per controller (``settings.CONTROLLERS`` order), by difference arrays."""
        column = {c: i for i, c in enumerate(settings.CONTROLLERS)}
        unknown = column["unknown"]
        # Every +/- at the start and end of each controller's run, in the order a loop over the
        # districts would add them, then added at once (np.add.at adds in order: same sums).
        rows: list[int] = []
        cols: list[int] = []
        signs: list[int] = []
        weights: list[float] = []
        first = start.toordinal()
        for pcode, area in zip(pcodes, areas, strict=True):
            previous, begin = unknown, 0
            for step in self.steps.get(pcode, ()):
                current = column[step.controller]
                if current == previous:
                    continue
                index = min(max(step.date.toordinal() - first, 0), n_days)
                rows += (begin, index)
                cols += (previous, previous)
                signs += (1, -1)
                weights += (area, -area)
                previous, begin = current, index
            rows.append(begin)
            cols.append(previous)
            signs.append(1)
            weights.append(area)
        count_steps = np.zeros((n_days + 1, len(column)), dtype=np.int64)
        area_steps = np.zeros((n_days + 1, len(column)), dtype=float)
        np.add.at(count_steps, (rows, cols), signs)
        np.add.at(area_steps, (rows, cols), weights)
        return count_steps.cumsum(axis=0)[:n_days], area_steps.cumsum(axis=0)[:n_days]
