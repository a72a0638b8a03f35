"""The rules that decide a district's status from its claims: one module that the others import.

Data flows one way: records (``geo._claims``), then these rules, then the index
(``geo.intervals``), then the loader (``geo.timeline``) and the queries (``geo.control``).

The rules (also stated on the app's methodology page):

- Only claims dated on or before the chosen date count; the future never leaks back.
- A claim may cover one district, all 34 provincial capitals, a whole province or the whole
  country (less an ``except`` list); a broad claim counts for each district it covers. Newer
  evidence wins over older; on the same day, a claim about the district itself wins over one about
  all provincial capitals, that over a province-wide one, and that over a country-wide one. (A
  capitals claim speaks of the city itself, the district centre that control means here, while a
  province-wide claim speaks of it only as one of the province's districts.)
- The controller is the one asserted by the latest assertion. When claimants assert different
  controllers on that same day, an independent report settles it; otherwise the district is
  ``contested``.
- ``since`` is the first day of the unbroken run of that controller.
- The state is ``disputed`` when a counter-claim stands against it: a denial of the controller
  dated from ``DISPUTE_WINDOW_DAYS`` before ``since`` onwards, or another controller asserted on or
  after ``since``. Otherwise it is ``confirmed`` or ``claimed``, weighing the sources:

  - A repost and its original are one voice (a source's voice is its ``original`` outlet when it
    relays one); corroboration counts distinct voices, never pages.
  - ``confirmed`` needs a supporting claim that is either the reporting of an independent outlet
    graded A–C (``claimed_by`` independent), or a side conceding a loss (a side asserting that
    another side holds the district) carried by at least one voice graded A–C that is not the
    state media of a state outside the fighting (an outlet ``aligned:XX`` with a state counts as
    that state's media).
  - A status that rests only on outlets graded D–F, or only on state media of a state not party to
    the fighting, is at most ``claimed``; so is a status only the side said to be in control asserts.
  - A data folder without an outlets register has no grades; there a supporting claim from an
    independent source or a conceding side confirms, whatever its outlet.
- A district with no assertion is ``unknown``, with no confidence: never a guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from geo import settings
from geo._claims import Claim


@dataclass(frozen=True)
class DistrictState:
    """The derived status of one district at one date."""

    pcode: str
    controller: str
    confidence: str  # "confirmed", "claimed", "disputed", or "" when unknown
    since: dt.date | None
    last_evidence: dt.date | None
    claims: tuple[Claim, ...]  # the assertions behind the controller, oldest first
    counter_claims: tuple[Claim, ...]  # denials and opposing assertions, oldest first
    precision: str = ""  # narrowest scope behind the controller: one of settings.SCOPES

    @property
    def source_ids(self) -> tuple[str, ...]:
        """Source ids behind this state (claims, then counter-claims), without repeats."""
        seen: dict[str, None] = {}
        for claim in (*self.claims, *self.counter_claims):
            seen.update(dict.fromkeys(claim.source_ids))
        return tuple(seen)


def _unknown(pcode: str, last: dt.date | None = None, counter: tuple[Claim, ...] = ()) -> DistrictState:
    return DistrictState(pcode, "unknown", "", None, last, (), counter)


def day_controller(day_claims: Sequence[Claim]) -> str:
    """The controller a day's assertions name: theirs if they agree, else an independent report's, else contested."""
    controllers = {c.controller for c in day_claims}
    if len(controllers) == 1:
        return next(iter(controllers))
    independent = {c.controller for c in day_claims if c.claimed_by == "independent"}
    return next(iter(independent)) if len(independent) == 1 else "contested"


def _self_interested(claim: Claim, controller: str) -> bool:
    if controller == "contested":
        return claim.claimed_by != "independent"
    return claim.claimed_by == controller


def confirms(claim: Claim, controller: str) -> bool:
    """True when this supporting claim is enough to call the status confirmed (rules above)."""
    if _self_interested(claim, controller):
        return False
    if not claim.evidence:  # no outlets register: the old rule
        return True
    if claim.claimed_by == "independent":
        return claim.evidence == "independent"
    return claim.evidence in {"independent", "usable"}


SCOPE_RANK = {scope: rank for rank, scope in enumerate(settings.SCOPES)}  # district 0 … country 3


def narrowest(day_claims: Sequence[Claim]) -> list[Claim]:
    """Keep a day's most specific claims: the district's own, then capitals, province-wide, country-wide."""
    best = min(SCOPE_RANK[c.scope] for c in day_claims)
    return [c for c in day_claims if SCOPE_RANK[c.scope] == best]


def precision_of(claims: Iterable[Claim]) -> str:
    """The narrowest scope among ``claims`` ('' when there are none)."""
    ranks = [SCOPE_RANK[c.scope] for c in claims]
    return settings.SCOPES[min(ranks)] if ranks else ""


def district_state(pcode: str, claims: Sequence[Claim], *, date: dt.date) -> DistrictState:
    """Derive one district's state at ``date`` from its claims (in date order)."""
    known = [c for c in claims if c.date <= date]
    if not known:
        return _unknown(pcode)
    last_evidence = known[-1].date
    assertions = [c for c in known if c.stance == "asserts"]
    if not assertions:
        return _unknown(pcode, last_evidence, tuple(known))
    days: dict[dt.date, list[Claim]] = {}
    for claim in assertions:
        days.setdefault(claim.date, []).append(claim)
    days = {day: narrowest(found) for day, found in days.items()}
    assertions = [c for found in days.values() for c in found]
    ordered_days = sorted(days)
    controller = day_controller(days[ordered_days[-1]])
    since = ordered_days[-1]
    for day in reversed(ordered_days[:-1]):
        if day_controller(days[day]) != controller:
            break
        since = day
    window_start = since - dt.timedelta(days=settings.DISPUTE_WINDOW_DAYS)
    supporting = tuple(
        sorted((c for c in assertions if c.date >= since and c.controller == controller), key=lambda c: (c.date, c.id))
    )
    counter = tuple(
        c
        for c in known
        if (c.stance == "denies" and c.controller == controller and c.date >= window_start)
        or (c.stance == "asserts" and c.controller != controller and c.date >= since)
    )
    if controller == "unknown":
        confidence = ""
    elif counter or controller == "contested" and not supporting:
        confidence = "disputed"
    elif any(confirms(c, controller) for c in supporting):
        confidence = "confirmed"
    else:
        confidence = "claimed"
    precision = precision_of(supporting) if controller != "unknown" else ""
    return DistrictState(pcode, controller, confidence, since, last_evidence, supporting, counter, precision)
