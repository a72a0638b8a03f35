"""Load and validate the human-edited timeline: ``sources.csv``, ``claims.csv``, ``aliases.csv``.

All problems are collected and raised together as one ``ValidationError`` with file:line for
each, so an editor fixes a whole batch in one pass. Low-confidence (fuzzy) district matches are
accepted but returned as warnings.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from pathlib import Path

import pandas as pd

from geo import _gc, settings
from geo._claim_rows import CLAIM_COLUMNS, CLAIM_OPTIONAL, load_claims
from geo._claims import Claim, Source, grade_evidence, grade_sources, relay_circles
from geo._source_rows import SOURCE_COLUMNS, SOURCE_OPTIONAL, load_sources
from geo._validate import read_rows
from geo.dari import DariChecker
from geo.errors import Problem, ValidationError
from geo.gazetteer import ALIAS_COLUMNS, Gazetteer, read_aliases
from geo.intervals import ControlIndex
from geo.outlets import OUTLETS_FILE, Outlet, load_outlets, unregistered

__all__ = [
    "ALIASES_FILE", "CLAIMS_FILE", "CLAIM_COLUMNS", "CLAIM_OPTIONAL", "SOURCES_FILE", "SOURCE_COLUMNS",
    "SOURCE_OPTIONAL", "Claim", "Source", "Timeline", "grade_evidence", "grade_sources", "load_timeline",
]  # fmt: skip

SOURCES_FILE, CLAIMS_FILE, ALIASES_FILE = "sources.csv", "claims.csv", "aliases.csv"
DATA_FILES = (CLAIMS_FILE, SOURCES_FILE, OUTLETS_FILE, ALIASES_FILE)  # all the loader reads; anything else is ignored


@dataclass(frozen=True)
class Timeline:
    """Validated claims and sources; claims are sorted by (date, id)."""

    claims: tuple[Claim, ...]
    sources: dict[str, Source]
    warnings: tuple[Problem, ...] = field(default_factory=tuple)
    version: str = ""  # hash of the data files' bytes, for cache keys
    outlets: dict[str, Outlet] = field(default_factory=dict)
    districts: dict[str, str] = field(default_factory=dict)  # district PCODE -> province PCODE

    def outlet(self, outlet_id: str) -> Outlet:
        """Return the registered outlet, or an ungraded one named by the id (folders without a register)."""
        return self.outlets.get(outlet_id) or unregistered(outlet_id)

    @property
    def start(self) -> dt.date | None:
        """The earliest claim date, or None for an empty timeline."""
        return self.claims[0].date if self.claims else None

    @property
    def end(self) -> dt.date | None:
        """The latest claim date, or None for an empty timeline."""
        return self.claims[-1].date if self.claims else None

    @cached_property
    def by_district(self) -> dict[str, list[Claim]]:
        """Claims about each district, its own and the broad claims covering it, in date order.

        Computed once. Broad claims are listed under every district they cover (that needs the
        ``districts`` table); a district only covered by broad claims is listed too.
        """
        with _gc.paused():
            return self._group_by_district()

    def _group_by_district(self) -> dict[str, list[Claim]]:
        grouped: dict[str, list[Claim]] = defaultdict(list)
        # Broad claims by the province they name (country-wide ones under None), in date order, so
        # a district only tests the claims that can cover it: with a tenth of 100k claims broad,
        # testing every broad claim against every district was 4 million calls (0.6 s).
        broad: dict[str | None, list[Claim]] = defaultdict(list)
        for claim in self.claims:
            if claim.scope == "district":
                grouped[claim.pcode].append(claim)
            else:
                broad[claim.pcode if claim.scope == "province" else None].append(claim)
        if broad:
            country = broad.get(None, [])
            for pcode, province in self.districts.items():
                candidates = broad.get(province, [])
                if country:
                    candidates = sorted([*candidates, *country], key=lambda c: (c.date, c.id))
                covering = [c for c in candidates if c.covers(pcode, province)]
                if covering:
                    grouped[pcode] = sorted([*grouped.get(pcode, []), *covering], key=lambda c: (c.date, c.id))
        return dict(grouped)

    @cached_property
    def index(self) -> ControlIndex:
        """Every district's status steps, derived once (see ``geo.intervals``)."""
        with _gc.paused():
            return ControlIndex.build(self.by_district)

    @property
    def broad_claims(self) -> tuple[Claim, ...]:
        """The claims about all provincial capitals, a whole province or the whole country, in date order."""
        return tuple(c for c in self.claims if c.scope != "district")


def _check_alias_rows(path: Path, gazetteer_pcodes: set[str], provinces: set[str], problems: list[Problem]) -> None:
    for line, row in read_rows(path, ALIAS_COLUMNS[:4], ALIAS_COLUMNS[4:], problems):
        kind = row["kind"]
        if kind not in {"district", "province"}:
            problems.append(Problem(path.name, line, f"unknown kind {kind!r}; use district or province"))
        elif not row["alias"]:
            problems.append(Problem(path.name, line, "alias is empty"))
        elif kind == "district" and row["pcode"] not in gazetteer_pcodes:
            problems.append(Problem(path.name, line, f"unknown district PCODE {row['pcode']!r}"))
        elif kind == "province" and row["pcode"] not in provinces:
            problems.append(Problem(path.name, line, f"unknown province PCODE {row['pcode']!r}"))


def _check_links(data_dir: Path, problems: list[Problem], warnings: list[Problem]) -> None:
    """Refuse symbolic links among the files the loader reads that dangle or lead outside the folder.

    A link to a file elsewhere would publish that file's text on the error page; a dangling one
    cannot be read. Links that stay inside the folder are fine. Any other file is never read, so
    a broken link there (an old ``old.csv``) is only a warning: it must not take the map down.
    """
    root = data_dir.resolve()
    try:
        entries = sorted(data_dir.iterdir())
    except OSError as exc:
        problems.append(Problem(data_dir.name, 0, f"cannot list the data folder ({exc.strerror or exc})", True))
        return
    for entry in entries:
        if not entry.is_symlink():
            continue
        read = entry.name in DATA_FILES
        try:
            target = entry.resolve(strict=True)
        except (OSError, RuntimeError):
            why = "is a symbolic link to nothing (dangling)"
            fix = "delete it or copy the real file here" if read else "it is not read; delete it when you can"
        else:
            if target.is_relative_to(root):
                continue
            why = "is a symbolic link that leads outside the data folder"
            fix = "copy the file into the folder instead" if read else "it is not read"
        (problems if read else warnings).append(Problem(entry.name, 0, f"{why}; {fix}"))


def _warn_relay_circles(claims: list[Claim], sources: dict[str, Source], warnings: list[Problem]) -> None:
    """Warn about claims whose pages relay each other round a circle (counted as one voice).

    Only a claim with two relaying pages can hold a circle, so the rest are passed over at the
    cost of a set look-up per source id.
    """
    relaying = {sid for sid, source in sources.items() if source.original}
    if not relaying:
        return
    for claim in claims:
        if sum(sid in relaying for sid in claim.source_ids) < 2:
            continue
        for circle in relay_circles(claim.source_ids, sources):
            pages = [s for s in claim.source_ids if s in relaying and sources[s].outlet in circle]
            warnings.append(
                Problem(
                    CLAIMS_FILE,
                    claim.line,
                    f"sources {', '.join(pages)} relay each other round a circle (outlets {', '.join(circle)}), "
                    "so they count as one voice; set original to the outlet that first reported it",
                )
            )


def _check_dari(
    sources: dict[str, Source],
    source_lines: dict[str, int],
    claims: list[Claim],
    outlets: dict[str, Outlet],
    problems: list[Problem],
) -> None:
    """Check every Dari summary and note (see ``geo.dari``), once the ids of both files are known."""
    written = [s for s in sources.values() if s.summary_da]
    noted = [c for c in claims if c.note_da]
    if not written and not noted:  # the common case for old folders: no checker to build
        return
    names = [text for o in outlets.values() for text in (o.id, o.name)]
    checker = DariChecker([*sources, *(c.id for c in claims)], names)
    for source in written:
        if (why := checker.problem("summary_da", source.summary_da)) is not None:
            problems.append(Problem(SOURCES_FILE, source_lines.get(source.id, 0), why))
    for claim in noted:
        if (why := checker.problem("note_da", claim.note_da)) is not None:
            problems.append(Problem(CLAIMS_FILE, claim.line, why))


def _day_number(claim: Claim) -> int:
    return claim.date.toordinal()


def load_timeline(data_dir: Path, districts: pd.DataFrame) -> Timeline:
    """Load and validate a data folder against the district table; raise ValidationError on problems.

    ``districts`` needs pcode, name_en, province_pcode and province_en (alt1_en/alt2_en optional).
    """
    with _gc.paused(collect=True):  # a million records and no cycles: see geo._gc
        return _load_timeline(data_dir, districts)


def _load_timeline(data_dir: Path, districts: pd.DataFrame) -> Timeline:
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if not data_dir.is_dir():
        raise ValidationError(
            [Problem(data_dir.name or ".", 0, f"the data folder does not exist; set {settings.ENV_DATA_DIR}")]
        )
    _check_links(data_dir, problems, warnings)
    if problems:
        raise ValidationError(problems)
    aliases_path = data_dir / ALIASES_FILE
    provinces = set(districts["province_pcode"])
    if aliases_path.is_file():
        _check_alias_rows(aliases_path, set(districts["pcode"]), provinces, problems)
    gazetteer = Gazetteer(districts, read_aliases(aliases_path) if not problems else [])
    for required in (SOURCES_FILE, CLAIMS_FILE):
        if not (data_dir / required).is_file():
            problems.append(Problem(required, 0, "missing from the data folder; create it with its header row"))
    if problems:
        raise ValidationError(problems)
    outlets = load_outlets(data_dir / OUTLETS_FILE, problems) if (data_dir / OUTLETS_FILE).is_file() else None
    source_lines: dict[str, int] = {}
    sources, known_ids = load_sources(data_dir / SOURCES_FILE, outlets, problems, source_lines)
    grade = None
    if outlets is not None:
        memo: dict[tuple[str, ...], str] = {}

        def grade(ids: tuple[str, ...]) -> str:
            if ids not in memo:
                memo[ids] = grade_sources(ids, sources, outlets)
            return memo[ids]

    claims = load_claims(data_dir / CLAIMS_FILE, known_ids, gazetteer, problems, warnings, grade)
    _check_dari(sources, source_lines, claims, outlets or {}, problems)
    if problems:
        raise ValidationError(problems)
    _warn_relay_circles(claims, sources, warnings)
    # By (date, id) in two stable passes: string keys, then whole numbers, both sorted natively
    # (a million (date, id) tuples took 1.2 s, this 0.4 s).
    ordered = sorted(claims, key=attrgetter("id"))
    ordered.sort(key=_day_number)
    digest = hashlib.sha256()
    for name in (ALIASES_FILE, OUTLETS_FILE, SOURCES_FILE, CLAIMS_FILE):
        if (data_dir / name).is_file():
            digest.update(name.encode() + b"\0" + (data_dir / name).read_bytes())
    province_of = dict(zip(districts["pcode"], districts["province_pcode"], strict=True))
    return Timeline(tuple(ordered), sources, tuple(warnings), digest.hexdigest()[:16], outlets or {}, province_of)
