"""The timeline's records: a ``Source`` (one published page) and a ``Claim`` (one report about control).

Both are named tuples: a million claims are built column by column (``Claim._make``) in a
fraction of the time a frozen dataclass takes, and each stays immutable and hashable.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from geo import settings
from geo.outlets import Outlet

NO_EXCLUSIONS: frozenset[str] = frozenset()  # shared: an empty frozenset is not a singleton


class Source(NamedTuple):
    """One published page that claims are based on."""

    id: str
    outlet: str
    url: str
    published: dt.date | None
    language: str
    kind: str
    summary: str
    original: str = ""  # the outlet whose report this page relays, if any
    summary_da: str = ""  # the summary in Dari (Arabic script; see geo.dari), '' when not written yet
    published_note: str = ""  # why ``published`` is empty (the page shows no date), '' when not checked

    @property
    def voice(self) -> str:
        """The outlet whose reporting this is: the original of a relay, else the outlet itself."""
        return self.original or self.outlet


class Claim(NamedTuple):
    """One report about control at one date: of one district, of all provincial capitals, a province or the country.

    ``pcode`` is the district's PCODE, or for a broad claim the province's (``AF17``) or ``AF``
    for all provincial capitals or the whole country; ``excluded`` holds the district PCODEs a
    broad claim leaves out.
    ``evidence`` grades the claim's sources (see ``geo.control``): ``independent``, ``usable``,
    ``weak``, or '' when the folder has no outlets register.
    """

    id: str
    date: dt.date
    pcode: str
    controller: str
    claimed_by: str
    stance: str
    source_ids: tuple[str, ...]
    reported_as: str = ""
    date_note: str = ""
    note: str = ""
    line: int = 0
    scope: str = "district"
    excluded: frozenset[str] = NO_EXCLUSIONS
    evidence: str = ""
    note_da: str = ""  # the note in Dari (Arabic script; see geo.dari), '' when not written yet

    def covers(self, pcode: str, province_pcode: str) -> bool:
        """True when this claim speaks of district ``pcode`` (in province ``province_pcode``)."""
        if self.scope == "district":
            return self.pcode == pcode
        if self.scope == "capitals":
            return pcode in settings.CAPITAL_DISTRICTS and pcode not in self.excluded
        if pcode in self.excluded or (self.scope == "country" and province_pcode in self.excluded):
            return False
        return self.scope == "country" or self.pcode == province_pcode


def grade_evidence(claim: Claim, sources: dict[str, Source], outlets: dict[str, Outlet]) -> str:
    """Grade a claim's sources (see ``grade_sources``)."""
    return grade_sources(claim.source_ids, sources, outlets)


def voice_groups(source_ids: tuple[str, ...], sources: dict[str, Source]) -> tuple[tuple[str, ...], ...]:
    """The distinct voices behind these sources, in first-seen order, each as the outlets it stands for.

    A page speaks with its original outlet's voice when it relays one (``Source.voice``), so a
    voice is usually one outlet: ``("wire",)``. When pages among these relay each other round a
    circle (a page on A relays B, a page on B relays A), neither outlet is shown to be the origin:
    the circle is one voice, ``("a", "b")`` in sorted order, and never counts as corroboration.
    """
    pages = [sources[s] for s in dict.fromkeys(source_ids) if s in sources]
    relays = {(p.outlet, p.original) for p in pages if p.original and p.original != p.outlet}
    circle = _relay_circles(relays) if len(relays) > 1 else {}  # a circle needs two relays; most claims have none
    groups = (circle.get(p.voice, (p.voice,)) for p in pages)
    return tuple(dict.fromkeys(groups))


def _relay_circles(relays: set[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """Each outlet on a relay circle -> the sorted outlets of its circle (mutually reachable by relays)."""
    follows: dict[str, set[str]] = {}
    for outlet, original in relays:
        follows.setdefault(outlet, set()).add(original)

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in follows.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    reachable = {outlet: reach(outlet) for outlet in follows}
    circles = {}
    for outlet, seen in reachable.items():
        if outlet in seen:  # back to itself: on a circle
            circles[outlet] = tuple(sorted(o for o in seen if outlet in reachable.get(o, ())))
    return circles


def relay_circles(source_ids: tuple[str, ...], sources: dict[str, Source]) -> list[tuple[str, ...]]:
    """The relay circles among these sources (see ``voice_groups``), each as its sorted outlets."""
    return [group for group in voice_groups(source_ids, sources) if len(group) > 1]


def grade_sources(source_ids: tuple[str, ...], sources: dict[str, Source], outlets: dict[str, Outlet]) -> str:
    """Grade a claim's sources as one word: ``independent``, ``usable`` or ``weak``.

    Each source speaks with the voice of its original outlet when it is a relay; a relay circle
    is one voice that is only as good as its weakest outlet (its origin is unknown).
    ``independent``: at least one voice is an independent outlet graded A–C. ``usable``: at least
    one voice is graded A–C and is not the state media of a state outside the fighting (nor an outlet
    aligned with such a state, ``aligned:XX``). ``weak``: every voice is graded D–F or is such media.
    """
    voices = [[outlets.get(o) for o in group] for group in voice_groups(source_ids, sources)]
    if any(all(o is not None and o.independent_strong for o in v) for v in voices):
        return "independent"
    if any(all(o is not None and o.strong for o in v) for v in voices):
        return "usable"
    return "weak"
