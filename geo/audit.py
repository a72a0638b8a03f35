"""An editor's audit of the evidence: how many voices each claim has, how good, and what is missing.

Per claim: the distinct original outlets (a repost and its original are one voice), the best
grade among them, and flags: ``single_voice``; ``only_weak`` (every voice graded D–F);
``only_outside_state_media`` (no voice but state media of states outside the fighting, however
graded); ``no_published_date``; ``host_mismatch`` (a URL host that is not its outlet's);
``relay_circle`` (pages that relay each other round a circle: one voice, named ``a+b``, graded as
its weakest outlet); ``covers_nothing`` (a broad claim whose ``except`` leaves out every district;
validation refuses these, the flag guards timelines built any other way).

Per province: the districts with a known status on the key dates, and how many of those rest on
district-level evidence rather than a broad claim (all capitals, a province, the country).

Per key date (``status_figures``): of the districts with a known status, how many rest only on
weak voices (every voice behind the status graded D–F, or the media of a state outside the
fighting, or aligned with one), only on one voice, only on broad claims.

The text (``coverage``): how many sources have a Dari summary and claims a Dari note, and how
many sources have a publication date, a note saying why there is none, or neither ("not checked").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from geo import control
from geo._claims import voice_groups
from geo._validate import url_host
from geo.outlets import GRADES
from geo.timeline import Claim, Timeline

KEY_DATES = (dt.date(2021, 8, 1), dt.date(2021, 8, 16), dt.date(2021, 9, 30))
FLAGS = (
    "single_voice", "only_weak", "only_outside_state_media", "no_published_date", "host_mismatch", "relay_circle",
    "covers_nothing",
)  # fmt: skip
WEAK_GRADES = ("D", "E", "F")
CLAIM_HEADER = ("claim", "date", "scope", "district", "controller", "claimed_by", "voices", "best_grade", "flags")


@dataclass(frozen=True)
class ClaimAudit:
    """What one claim rests on."""

    claim: Claim
    voices: tuple[str, ...]
    best_grade: str
    flags: tuple[str, ...]

    def row(self) -> dict[str, str]:
        """One CSV row with ``CLAIM_HEADER`` fields."""
        c = self.claim
        return {
            "claim": c.id,
            "date": c.date.isoformat(),
            "scope": c.scope,
            "district": c.pcode,
            "controller": c.controller,
            "claimed_by": c.claimed_by,
            "voices": ";".join(self.voices),
            "best_grade": self.best_grade,
            "flags": ";".join(self.flags),
        }


def audit_claim(claim: Claim, timeline: Timeline) -> ClaimAudit:
    """Count a claim's distinct voices, find its best grade and raise its flags."""
    sources = [timeline.sources[s] for s in claim.source_ids if s in timeline.sources]
    groups = voice_groups(claim.source_ids, timeline.sources)
    voices = tuple("+".join(group) for group in groups)
    # a relay circle's origin is unknown: it is graded as its weakest outlet
    grades = [max((timeline.outlet(o).reliability for o in group), key=GRADES.index) for group in groups]
    best = min(grades, key=GRADES.index) if grades else "F"
    flags = []
    if len(voices) < 2:
        flags.append("single_voice")
    # "weak outlets" are those graded D-F; a claim resting on graded-C state media of a state outside
    # the fighting (Xinhua, TASS) is flagged separately: not weak, but never enough to confirm.
    if all(g in WEAK_GRADES for g in grades):
        flags.append("only_weak")
    elif claim.evidence == "weak":
        flags.append("only_outside_state_media")
    if any(s.published is None for s in sources):
        flags.append("no_published_date")
    if timeline.outlets and any(not timeline.outlet(s.outlet).serves(url_host(s.url)) for s in sources):
        flags.append("host_mismatch")
    if any(len(group) > 1 for group in groups):
        flags.append("relay_circle")
    districts = timeline.districts.items()
    if claim.scope != "district" and districts and not any(claim.covers(p, prov) for p, prov in districts):
        flags.append("covers_nothing")
    return ClaimAudit(claim, voices, best, tuple(flags))


def audit_claims(timeline: Timeline) -> list[ClaimAudit]:
    """Audit every claim, in timeline order."""
    return [audit_claim(c, timeline) for c in timeline.claims]


def province_coverage(
    timeline: Timeline, districts: pd.DataFrame, *, dates: Iterable[dt.date] = KEY_DATES
) -> pd.DataFrame:
    """Per province: districts, and for each date those with a known status and those on district evidence.

    Columns: ``province``, ``districts``, then ``known_YYYY-MM-DD`` and ``district_level_YYYY-MM-DD``
    for each date; a last row ``All`` sums them.
    """
    table = districts[["pcode", "province_en"]].copy()
    for day in dates:
        states = control.state_at(timeline, date=day, pcodes=table["pcode"])
        table[f"known_{day}"] = [states[p].controller != "unknown" for p in table["pcode"]]
        table[f"district_level_{day}"] = [states[p].precision == "district" for p in table["pcode"]]
    grouped = table.drop(columns="pcode").groupby("province_en", sort=True)
    out = grouped.sum().astype(int)
    out.insert(0, "districts", grouped.size())
    out.loc["All"] = out.sum()
    return out.rename_axis("province").reset_index()


STATUS_HEADER = (
    "date", "districts", "known", "only_weak_voices", "single_voice", "only_broad_claims", "only_capitals_claims",
)  # fmt: skip


@dataclass(frozen=True)
class StatusFigures:
    """What the shown statuses of one date rest on: counts of districts."""

    date: dt.date
    districts: int
    known: int
    only_weak_voices: int
    single_voice: int
    only_broad_claims: int
    only_capitals_claims: int = 0  # of the broad ones: resting on claims about all provincial capitals

    def row(self) -> dict[str, str]:
        """One CSV row with ``STATUS_HEADER`` fields."""
        return {key: str(getattr(self, key)) for key in STATUS_HEADER}


def status_figures(
    timeline: Timeline, pcodes: Iterable[str] | None = None, *, dates: Iterable[dt.date] = KEY_DATES
) -> list[StatusFigures]:
    """For each date, the districts whose shown status rests only on weak voices, one voice, broad claims.

    ``pcodes`` defaults to every district of the timeline's district table. A voice is a source's
    original outlet; it is weak when the outlet could not confirm a status (graded D–F, or the media
    of a state outside the fighting or aligned with one). Without a register every outlet is
    ungraded (F), so every known status counts as resting on weak voices.
    """
    codes = list(timeline.districts if pcodes is None else pcodes)
    figures = []
    for day in dates:
        states = control.state_at(timeline, date=day, pcodes=codes)
        known = weak = single = broad = capitals = 0
        for state in states.values():
            if state.controller == "unknown" or not state.claims:
                continue
            known += 1
            voices = {timeline.sources[s].voice for c in state.claims for s in c.source_ids if s in timeline.sources}
            weak += bool(voices) and not any(timeline.outlet(v).strong for v in voices)
            single += len(voices) == 1
            broad += state.precision not in ("", "district")
            capitals += state.precision == "capitals"
        figures.append(StatusFigures(day, len(codes), known, weak, single, broad, capitals))
    return figures


COVERAGE_HEADER = ("measure", "count", "total", "percent")


def coverage(timeline: Timeline) -> dict[str, tuple[int, int]]:
    """Counts (rows with it, all rows) of the Dari text and the publication dates."""
    sources = list(timeline.sources.values())
    n_sources, n_claims = len(sources), len(timeline.claims)
    dated = sum(s.published is not None for s in sources)
    noted = sum(s.published is None and bool(s.published_note) for s in sources)
    return {
        "sources_with_summary_da": (sum(bool(s.summary_da) for s in sources), n_sources),
        "claims_with_note_da": (sum(bool(c.note_da) for c in timeline.claims), n_claims),
        "sources_with_published_date": (dated, n_sources),
        "sources_with_published_note": (noted, n_sources),
        "sources_date_not_checked": (n_sources - dated - noted, n_sources),
    }


def coverage_rows(counts: dict[str, tuple[int, int]]) -> list[dict[str, str]]:
    """``coverage`` as CSV rows with ``COVERAGE_HEADER`` fields."""
    return [
        {"measure": key, "count": str(n), "total": str(total), "percent": f"{100 * n / max(total, 1):.1f}"}
        for key, (n, total) in counts.items()
    ]


def summary(audits: list[ClaimAudit]) -> dict[str, int]:
    """Counts: claims, and claims carrying each flag."""
    counts = {"claims": len(audits)}
    for flag in FLAGS:
        counts[flag] = sum(flag in a.flags for a in audits)
    return counts


def format_text(
    audits: list[ClaimAudit],
    provinces: pd.DataFrame,
    figures: Sequence[StatusFigures] = (),
    texts: dict[str, tuple[int, int]] | None = None,
) -> str:
    """A plain-text report: summary, Dari text and dates, statuses on key dates, provinces, flagged claims."""
    counts = summary(audits)
    total = max(counts["claims"], 1)
    lines = ["Summary"]
    lines.append(f"  claims: {counts['claims']}")
    for flag in FLAGS:
        lines.append(f"  {flag}: {counts[flag]} ({100 * counts[flag] / total:.1f}%)")
    if texts:
        lines += ["", "Dari text and publication dates"]
        for row in coverage_rows(texts):
            lines.append(f"  {row['measure']}: {row['count']} of {row['total']} ({row['percent']}%)")
    if figures:
        lines += ["", "Districts whose shown status rests only on weak voices / one voice / broad claims"]
        for f in figures:
            lines.append(
                f"  {f.date}: {f.known} of {f.districts} known; only weak voices {f.only_weak_voices}, "
                f"one voice {f.single_voice}, only broad claims {f.only_broad_claims} "
                f"(of which on all-capitals claims {f.only_capitals_claims})"
            )
    lines += ["", "Districts with a known status (and on district-level evidence), per province"]
    lines.append(provinces.to_string(index=False))
    flagged = [a for a in audits if set(a.flags) - {"single_voice"}]
    lines += ["", f"Claims flagged beyond a single voice ({len(flagged)})"]
    for a in flagged:
        lines.append(f"  {a.claim.id} {a.claim.date} best {a.best_grade} [{', '.join(a.flags)}]")
    return "\n".join(lines) + "\n"
