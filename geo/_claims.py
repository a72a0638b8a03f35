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


def grade_sources(source_ids: tuple[str, ...], sources: dict[str, Source], outlets: dict[str, Outlet]) -> str:
    """Grade a claim's sources as one word: ``independent``, ``usable`` or ``weak``.

    Each source speaks with the voice of its original outlet when it is a relay.
    ``independent``: at least one voice is an independent outlet graded A–C. ``usable``: at least
    one voice is graded A–C and is not the state media of a state outside the fighting (nor an outlet
    aligned with such a state, ``aligned:XX``). ``weak``: every voice is graded D–F or is such media.
    """
    voices = [outlets.get(sources[s].voice) for s in source_ids if s in sources]
    graded = [o for o in voices if o is not None]
    if any(o.independent_strong for o in graded):
        return "independent"
    if any(o.strong for o in graded):
        return "usable"
    return "weak"
