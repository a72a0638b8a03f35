"""Load and validate the human-edited timeline: ``sources.csv``, ``claims.csv``, ``aliases.csv``.

All problems are collected and raised together as one ``ValidationError`` with file:line for
each, so an editor fixes a whole batch in one pass. Low-confidence (fuzzy) district matches are
accepted but returned as warnings.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from geo import settings
from geo._validate import BIDI_CONTROLS, DateError, check_id, check_url, read_date, read_rows
from geo.errors import Problem, ValidationError
from geo.gazetteer import ALIAS_COLUMNS, PCODE_RE, PROVINCE_PCODE_RE, Gazetteer, Match, read_aliases
from geo.outlets import OUTLETS_FILE, Outlet, check_source_outlet, load_outlets, unregistered

SOURCE_COLUMNS = ("id", "outlet", "url", "published", "language", "kind", "summary")
SOURCE_OPTIONAL = ("original",)
CLAIM_COLUMNS = ("id", "date", "district", "controller", "claimed_by", "stance", "source_ids")
CLAIM_OPTIONAL = ("scope", "province", "except", "reported_as", "date_note", "note")
SOURCES_FILE, CLAIMS_FILE, ALIASES_FILE = "sources.csv", "claims.csv", "aliases.csv"


@dataclass(frozen=True, slots=True)
class Source:
    """One published page that claims are based on."""

    id: str
    outlet: str
    url: str
    published: dt.date | None
    language: str
    kind: str
    summary: str
    original: str = ""  # the outlet whose report this page relays, if any

    @property
    def voice(self) -> str:
        """The outlet whose reporting this is: the original of a relay, else the outlet itself."""
        return self.original or self.outlet


@dataclass(frozen=True, slots=True)
class Claim:
    """One report about control at one date: of one district, or of a province or the country.

    ``pcode`` is the district's PCODE, or for a broad claim the province's (``AF17``) or ``AF``
    for the whole country; ``excluded`` holds the district PCODEs a broad claim leaves out.
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
    excluded: frozenset[str] = frozenset()
    evidence: str = ""

    def covers(self, pcode: str, province_pcode: str) -> bool:
        """True when this claim speaks of district ``pcode`` (in province ``province_pcode``)."""
        if self.scope == "district":
            return self.pcode == pcode
        if pcode in self.excluded or (self.scope == "country" and province_pcode in self.excluded):
            return False
        return self.scope == "country" or self.pcode == province_pcode


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
        grouped: dict[str, list[Claim]] = defaultdict(list)
        broad = [c for c in self.claims if c.scope != "district"]
        for claim in self.claims:
            if claim.scope == "district":
                grouped[claim.pcode].append(claim)
        if broad:
            for pcode, province in self.districts.items():
                covering = [c for c in broad if c.covers(pcode, province)]
                if covering:
                    grouped[pcode] = sorted([*grouped.get(pcode, []), *covering], key=lambda c: (c.date, c.id))
        return dict(grouped)

    @cached_property
    def index(self) -> ControlIndex:  # noqa: F821 - imported lazily: geo.intervals imports this module
        """Every district's status steps, derived once (see ``geo.intervals``)."""
        from geo.intervals import ControlIndex

        return ControlIndex.build(self)

    @property
    def broad_claims(self) -> tuple[Claim, ...]:
        """The claims about a whole province or the whole country, in date order."""
        return tuple(c for c in self.claims if c.scope != "district")


def _check_text(name: str, line: int, row: dict[str, str], fields: tuple[str, ...], problems: list[Problem]) -> None:
    if not BIDI_CONTROLS.search("".join(row.get(key, "") for key in fields)):  # the common case, one search
        return
    for key in fields:
        if BIDI_CONTROLS.search(row.get(key, "")):
            problems.append(
                Problem(name, line, f"{key} contains invisible bidirectional control characters; delete them")
            )


def _check_unique_id(
    kind: str, row_id: str, name: str, line: int, first_line: dict[str, int], problems: list[Problem]
) -> None:
    """Check an id's form and uniqueness, recording where each id first appears."""
    if (why := check_id(row_id)) is not None:
        problems.append(Problem(name, line, why))
    elif row_id in first_line:
        problems.append(Problem(name, line, f"duplicate {kind} id {row_id!r} (first at line {first_line[row_id]})"))
    first_line.setdefault(row_id, line)


def _load_sources(
    path: Path, outlets: dict[str, Outlet] | None, problems: list[Problem]
) -> tuple[dict[str, Source], dict[str, Problem] | None]:
    """Return the valid sources and, for every id present in the file, why it was refused (or None).

    The second value is None when the file itself could not be parsed, so that claims are not
    additionally flagged for citing sources nobody could read.
    """
    before = len(problems)
    sources: dict[str, Source] = {}
    first_line: dict[str, int] = {}
    url_line: dict[str, int] = {}
    refused: dict[str, Problem] = {}
    name, today = path.name, dt.date.today()
    for line, row in read_rows(path, SOURCE_COLUMNS, SOURCE_OPTIONAL, problems):
        here = len(problems)
        _check_unique_id("source", row["id"], name, line, first_line, problems)
        if (why := check_url(row["url"])) is not None:
            problems.append(Problem(name, line, why))
        elif row["url"] in url_line:
            problems.append(
                Problem(name, line, f"the url is already source at line {url_line[row['url']]}; reuse that id")
            )
        published = None
        if row["published"]:
            try:
                published = read_date(row["published"], today=today)
            except DateError as exc:
                problems.append(Problem(name, line, f"published: {exc}; or leave it empty"))
        if row["kind"] not in settings.SOURCE_KINDS:
            problems.append(
                Problem(name, line, f"unknown kind {row['kind']!r}; use one of {', '.join(settings.SOURCE_KINDS)}")
            )
        for key in ("outlet", "summary"):
            if not row[key]:
                problems.append(Problem(name, line, f"{key} is empty"))
        _check_text(name, line, row, ("id", "outlet", "original", "url"), problems)
        if outlets is not None and row["outlet"] and len(problems) == here:
            problems.extend(
                check_source_outlet(
                    outlets, outlet=row["outlet"], original=row["original"], url=row["url"], name=name, line=line
                )
            )
        url_line.setdefault(row["url"], line)
        if len(problems) == here:
            sources[row["id"]] = Source(
                row["id"],
                row["outlet"],
                row["url"],
                published,
                row["language"],
                row["kind"],
                row["summary"],
                row["original"],
            )
        elif row["id"] not in refused:
            refused[row["id"]] = problems[here]
    unreadable = any(p.whole_file for p in problems[before:])
    return sources, None if unreadable else {i: None if i in sources else refused.get(i) for i in first_line}


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


def _resolve_district(
    row: dict[str, str], gazetteer: Gazetteer, name: str, line: int, problems: list[Problem], warnings: list[Problem]
) -> str | None:
    result = gazetteer.resolve(row["district"], row.get("province") or None)
    if isinstance(result, Match):
        if result.method == "fuzzy":
            warnings.append(
                Problem(
                    name,
                    line,
                    f"district {row['district']!r} matched {result.name_en} ({result.pcode}) by fuzzy score "
                    f"{result.score:.0f}; check it, and add an alias or use the PCODE",
                )
            )
        return result.pcode
    problems.append(Problem(name, line, result.describe()))
    return None


_VOCAB = {w: w for w in (*settings.CONTROLLERS, *settings.CLAIMANTS, *settings.STANCES, *settings.SCOPES)}


def _load_claims(
    path: Path,
    known_source_ids: dict[str, Problem | None] | None,
    gazetteer: Gazetteer,
    problems: list[Problem],
    warnings: list[Problem],
    grade: Callable[[tuple[str, ...]], str] | None = None,
) -> list[Claim]:
    claims: list[Claim] = []
    first_line: dict[str, int] = {}
    name, today = path.name, dt.date.today()
    for line, row in read_rows(path, CLAIM_COLUMNS, CLAIM_OPTIONAL, problems):
        here = len(problems)
        _check_unique_id("claim", row["id"], name, line, first_line, problems)
        try:
            date: dt.date | None = read_date(row["date"], today=today)
        except DateError as exc:
            date = None
            problems.append(Problem(name, line, str(exc)))
        scope = row["scope"] or "district"
        excluded: frozenset[str] = frozenset()
        if scope not in settings.SCOPES:
            problems.append(Problem(name, line, f"unknown scope {scope!r}; use one of {', '.join(settings.SCOPES)}"))
            pcode = None
        elif scope == "district":
            if row["except"]:
                problems.append(Problem(name, line, "except is only for province- or country-wide claims"))
            pcode = _resolve_district(row, gazetteer, name, line, problems, warnings)
        else:
            pcode, excluded = _resolve_scope(scope, row, gazetteer, name, line, problems)
        for key, vocab in (
            ("controller", settings.CONTROLLERS),
            ("claimed_by", settings.CLAIMANTS),
            ("stance", settings.STANCES),
        ):
            if row[key] not in vocab:
                problems.append(Problem(name, line, f"unknown {key} {row[key]!r}; use one of {', '.join(vocab)}"))
        if row["stance"] == "denies" and row["controller"] == "unknown":
            problems.append(Problem(name, line, "a denial needs a controller that is denied, not 'unknown'"))
        raw_ids = row["source_ids"]
        ids = (
            tuple(s.strip() for s in raw_ids.split(";") if s.strip()) if ";" in raw_ids else (raw_ids,) * bool(raw_ids)
        )
        if not ids:
            problems.append(Problem(name, line, "the claim has no source; every claim needs a source id"))
        for sid in sorted({s for s in ids if ids.count(s) > 1}):
            # the ledger would list it twice, which reads as corroboration
            times = ids.count(sid)
            problems.append(Problem(name, line, f"source id {sid!r} is listed {times} times; list it once"))
        for sid in dict.fromkeys(ids):
            if known_source_ids is None:
                continue
            if sid not in known_source_ids:
                problems.append(Problem(name, line, f"unknown source id {sid!r}; add it to {SOURCES_FILE}"))
            elif (why := known_source_ids[sid]) is not None:
                problems.append(
                    Problem(name, line, f"source {sid!r} was refused ({why.file}:{why.line}: {why.message})")
                )
        _check_text(name, line, row, ("id", "district", "province"), problems)
        if len(problems) == here and date is not None and pcode is not None:
            claims.append(
                Claim(
                    row["id"],
                    date,
                    pcode,
                    _VOCAB[row["controller"]],  # one shared string per word, not one per row
                    _VOCAB[row["claimed_by"]],
                    _VOCAB[row["stance"]],
                    ids,
                    row["reported_as"],
                    row["date_note"],
                    row["note"],
                    line,
                    _VOCAB[scope],
                    excluded,
                    grade(ids) if grade is not None else "",
                )
            )
    _check_contradictions(claims, name, problems, warnings)
    return claims


def _resolve_scope(
    scope: str, row: dict[str, str], gazetteer: Gazetteer, name: str, line: int, problems: list[Problem]
) -> tuple[str | None, frozenset[str]]:
    """Resolve a broad claim: its province (``AF17``) or ``AF`` for the country, and what it leaves out.

    ``except`` lists PCODEs or names separated by ';': districts of the province for a province-wide
    claim; districts or whole provinces for a country-wide claim. Provinces are expanded into
    their districts.
    """
    before = len(problems)
    if row["district"]:
        problems.append(Problem(name, line, f"a {scope}-wide claim leaves district empty (use except for exclusions)"))
    code: str | None = "AF"
    if scope == "province":
        code = gazetteer.resolve_province(row["province"]) if row["province"] else None
        if code is None:
            problems.append(
                Problem(name, line, f"a province-wide claim needs a known province, not {row['province']!r}")
            )
    elif row["province"]:
        problems.append(Problem(name, line, "a country-wide claim leaves province empty"))
    excluded: set[str] = set()
    for item in (x.strip() for x in row["except"].split(";")):
        if not item:
            continue
        if scope == "country" and (PROVINCE_PCODE_RE.match(item.upper()) or not PCODE_RE.match(item.upper())):
            province = gazetteer.resolve_province(item)
            if province is not None:
                excluded.update(gazetteer.districts_of(province))
                continue
        found = gazetteer.resolve(item, code if scope == "province" and code else None)
        if isinstance(found, Match):
            excluded.add(found.pcode)
        else:
            problems.append(Problem(name, line, f"except: {found.describe()}"))
    return (code if len(problems) == before else None), frozenset(excluded)


OVERLAP_PAIRS_LISTED = 3  # more overlapping claims than this on one key are summarised in one warning


def _check_contradictions(claims: list[Claim], name: str, problems: list[Problem], warnings: list[Problem]) -> None:
    """Check claims about the same district, day, claimant and stance.

    Two such claims citing a common source either contradict each other (different controllers:
    one source cannot say both) or duplicate each other; both are errors. With disjoint sources a
    different controller is a genuine disagreement between outlets and is kept; the same
    controller is an overlap, reported as a warning: one per pair, or one summary when more than
    ``OVERLAP_PAIRS_LISTED`` claims overlap (2,000 reports of one district on one day give one
    warning, not two million). The cost follows the claims and their shared sources, not pairs.
    """
    groups: dict[tuple, list[Claim]] = {}
    for claim in claims:
        groups.setdefault((claim.pcode, claim.date, claim.claimed_by, claim.stance), []).append(claim)
    for group in groups.values():
        if len(group) < 2:
            continue
        citing: dict[str, list[int]] = {}  # source id -> positions in the group citing it
        sharing: list[set[int]] = []
        for pos, claim in enumerate(group):
            others: set[int] = set()
            for sid in claim.source_ids:
                others.update(citing.setdefault(sid, []))
                citing[sid].append(pos)
            sharing.append(others)
            for other_pos in sorted(others):
                other = group[other_pos]
                shared = sorted(set(other.source_ids) & set(claim.source_ids))
                where = f"claim {claim.id} and {other.id} (line {other.line}) for {claim.pcode} on {claim.date}"
                if other.controller != claim.controller:
                    problems.append(
                        Problem(
                            name,
                            claim.line,
                            f"{where} cite the same source ({', '.join(shared)}) for different controllers "
                            f"({other.controller}, {claim.controller}); fix the one the source does not support",
                        )
                    )
                else:
                    problems.append(
                        Problem(name, claim.line, f"{where} duplicate each other ({', '.join(shared)}); delete one")
                    )
        by_controller: dict[str, list[int]] = {}
        for pos, claim in enumerate(group):
            by_controller.setdefault(claim.controller, []).append(pos)
        for positions in by_controller.values():
            pairs = [(p, q) for i, p in enumerate(positions) for q in positions[:i] if q not in sharing[p]]
            if len(positions) > OVERLAP_PAIRS_LISTED + 1:
                first, second = group[positions[0]], group[positions[1]]
                warnings.append(
                    Problem(
                        name,
                        second.line,
                        f"{len(positions)} claims for {first.pcode} on {first.date} overlap ({first.claimed_by} "
                        f"{first.stance} {first.controller}): {first.id} (line {first.line}), {second.id} and "
                        f"{len(positions) - 2} more; keep them if each outlet is its own voice",
                    )
                )
                continue
            for p, q in sorted(pairs):
                claim, other = group[p], group[q]
                warnings.append(
                    Problem(
                        name,
                        claim.line,
                        f"claim {claim.id} and {other.id} (line {other.line}) for {claim.pcode} on {claim.date} "
                        f"overlap ({claim.claimed_by} {claim.stance} {claim.controller})",
                    )
                )
    warnings.sort(key=lambda w: (w.line, w.message))


def _check_links(data_dir: Path, problems: list[Problem]) -> None:
    """Refuse symbolic links in the data folder that dangle or lead outside it.

    A link to a file elsewhere would publish that file's text on the error page; a dangling one
    cannot be read. Links that stay inside the folder are fine.
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
        try:
            target = entry.resolve(strict=True)
        except (OSError, RuntimeError):
            problems.append(
                Problem(entry.name, 0, "is a symbolic link to nothing (dangling); delete it or copy the real file here")
            )
            continue
        if not target.is_relative_to(root):
            problems.append(
                Problem(
                    entry.name,
                    0,
                    "is a symbolic link that leads outside the data folder; copy the file into the folder instead",
                )
            )


def load_timeline(data_dir: Path, districts: pd.DataFrame) -> Timeline:
    """Load and validate a data folder against the district table; raise ValidationError on problems.

    ``districts`` needs pcode, name_en, province_pcode and province_en (alt1_en/alt2_en optional).
    """
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if not data_dir.is_dir():
        raise ValidationError(
            [Problem(data_dir.name or ".", 0, f"the data folder does not exist; set {settings.ENV_DATA_DIR}")]
        )
    _check_links(data_dir, problems)
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
    sources, known_ids = _load_sources(data_dir / SOURCES_FILE, outlets, problems)
    grade = None
    if outlets is not None:
        memo: dict[tuple[str, ...], str] = {}

        def grade(ids: tuple[str, ...]) -> str:
            if ids not in memo:
                memo[ids] = grade_sources(ids, sources, outlets)
            return memo[ids]

    claims = _load_claims(data_dir / CLAIMS_FILE, known_ids, gazetteer, problems, warnings, grade)
    if problems:
        raise ValidationError(problems)
    ordered = tuple(sorted(claims, key=lambda c: (c.date, c.id)))
    digest = hashlib.sha256()
    for name in (ALIASES_FILE, OUTLETS_FILE, SOURCES_FILE, CLAIMS_FILE):
        if (data_dir / name).is_file():
            digest.update(name.encode() + b"\0" + (data_dir / name).read_bytes())
    province_of = dict(zip(districts["pcode"], districts["province_pcode"], strict=True))
    return Timeline(ordered, sources, tuple(warnings), digest.hexdigest()[:16], outlets or {}, province_of)


def grade_evidence(claim: Claim, sources: dict[str, Source], outlets: dict[str, Outlet]) -> str:
    """Grade a claim's sources (see ``grade_sources``)."""
    return grade_sources(claim.source_ids, sources, outlets)


def grade_sources(source_ids: tuple[str, ...], sources: dict[str, Source], outlets: dict[str, Outlet]) -> str:
    """Grade a claim's sources as one word: ``independent``, ``usable`` or ``weak``.

    Each source speaks with the voice of its original outlet when it is a relay.
    ``independent``: at least one voice is an independent outlet graded A–C. ``usable``: at least
    one voice is graded A–C and is not the state media of a state outside the fighting. ``weak``:
    every voice is graded D–F or is such state media.
    """
    voices = [outlets.get(sources[s].voice) for s in source_ids if s in sources]
    graded = [o for o in voices if o is not None]
    if any(o.independent_strong for o in graded):
        return "independent"
    if any(o.strong for o in graded):
        return "usable"
    return "weak"
