"""Read and validate ``claims.csv``: every row checked, with file:line for each problem.

A block of rows (``geo._validate.Block``) is checked column by column first: a district claim
whose cells are plainly valid (a good date, a district the gazetteer knows exactly, words from
the vocabularies, one known source, a fresh id) becomes a ``Claim`` at once, and a block of such
rows is built with ``Claim._make`` over its columns. Every other row goes through
``_ClaimReader.check_row``, the full rules with their messages, in line order, so the problems,
warnings and claims are exactly those of checking every row one at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from itertools import repeat
from pathlib import Path

from geo import settings
from geo._claims import NO_EXCLUSIONS, Claim
from geo._overlaps import check_contradictions
from geo._source_rows import check_text, check_unique_id
from geo._validate import BIDI_CONTROLS, ID_RE, Block, DateError, read_blocks, read_date
from geo.errors import Problem
from geo.gazetteer import PCODE_RE, PROVINCE_PCODE_RE, Gazetteer, Match

CLAIM_COLUMNS = ("id", "date", "district", "controller", "claimed_by", "stance", "source_ids")
CLAIM_OPTIONAL = ("scope", "province", "except", "reported_as", "date_note", "note", "note_da")
SOURCES_FILE = "sources.csv"

# One shared string per word of each vocabulary, not one per row.
_CONTROLLER = {w: w for w in settings.CONTROLLERS}
_CLAIMANT = {w: w for w in settings.CLAIMANTS}
_STANCE = {w: w for w in settings.STANCES}
_VOCAB = {w: w for w in (*settings.CONTROLLERS, *settings.CLAIMANTS, *settings.STANCES, *settings.SCOPES)}
_new_claim = partial(tuple.__new__, Claim)  # Claim._make without its checks: one C call per row


class _ClaimReader:
    """The state of one pass over claims.csv: ids seen, claims kept, and the memos of the fast path."""

    def __init__(
        self,
        name: str,
        known_source_ids: dict[str, Problem | None] | None,
        gazetteer: Gazetteer,
        problems: list[Problem],
        warnings: list[Problem],
        grade: Callable[[tuple[str, ...]], str] | None,
    ) -> None:
        self.name, self.known, self.gazetteer = name, known_source_ids, gazetteer
        self.problems, self.warnings, self.grade = problems, warnings, grade
        self.today = dt.date.today()
        self.claims: list[Claim] = []
        self.first_line: dict[str, int] = {}
        self._dates: dict[str, dt.date | None] = {}  # text -> date, None when refused
        self._places: dict[tuple[str, str], str | None] = {}  # (district, province) -> PCODE, None when not plain
        self._sources: dict[str, tuple[str, ...] | None] = {}  # source_ids cell -> ids, None when not plain
        self._grades: dict[tuple[str, ...] | None, str] = {}

    # -- the full rules, one row at a time ---------------------------------------------------

    def check_row(self, line: int, row: dict[str, str]) -> None:
        """Check one row with every rule and its message; keep the claim when it has no problem."""
        name, problems = self.name, self.problems
        here = len(problems)
        check_unique_id("claim", row["id"], name, line, self.first_line, problems)
        try:
            date: dt.date | None = read_date(row["date"], today=self.today)
        except DateError as exc:
            date = None
            problems.append(Problem(name, line, str(exc)))
        scope = row["scope"] or "district"
        excluded: frozenset[str] = NO_EXCLUSIONS
        if scope not in settings.SCOPES:
            problems.append(Problem(name, line, f"unknown scope {scope!r}; use one of {', '.join(settings.SCOPES)}"))
            pcode = None
        elif scope == "district":
            if row["except"]:
                problems.append(Problem(name, line, "except is only for capitals-, province- or country-wide claims"))
            pcode = self._resolve_district(row, line)
        else:
            pcode, excluded = self._resolve_scope(scope, row, line)
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
            if self.known is None:
                continue
            if sid not in self.known:
                problems.append(Problem(name, line, f"unknown source id {sid!r}; add it to {SOURCES_FILE}"))
            elif (why := self.known[sid]) is not None:
                problems.append(
                    Problem(name, line, f"source {sid!r} was refused ({why.file}:{why.line}: {why.message})")
                )
        check_text(name, line, row, ("id", "district", "province"), problems)
        if len(problems) == here and date is not None and pcode is not None:
            self.claims.append(
                Claim(
                    row["id"], date, pcode, _VOCAB[row["controller"]], _VOCAB[row["claimed_by"]],
                    _VOCAB[row["stance"]], ids, row["reported_as"], row["date_note"], row["note"], line,
                    _VOCAB[scope], excluded, self._grade(ids), row["note_da"],
                )
            )  # fmt: skip

    def _grade(self, ids: tuple[str, ...] | None) -> str:
        return self.grade(ids) if self.grade is not None and ids is not None else ""

    def _resolve_district(self, row: dict[str, str], line: int) -> str | None:
        result = self.gazetteer.resolve(row["district"], row.get("province") or None)
        if isinstance(result, Match):
            if result.method == "fuzzy":
                self.warnings.append(
                    Problem(
                        self.name,
                        line,
                        f"district {row['district']!r} matched {result.name_en} ({result.pcode}) by fuzzy score "
                        f"{result.score:.0f}; check it, and add an alias or use the PCODE",
                    )
                )
            return result.pcode
        self.problems.append(Problem(self.name, line, result.describe()))
        return None

    def _resolve_scope(self, scope: str, row: dict[str, str], line: int) -> tuple[str | None, frozenset[str]]:
        """Resolve a broad claim: its province (``AF17``), else ``AF`` (country, capitals); and what it leaves out.

        ``except`` lists PCODEs or names separated by ';': districts of the province for a
        province-wide claim; districts or whole provinces for a country-wide claim (provinces are
        expanded into their districts); for a claim about all provincial capitals, capitals (by
        district PCODE or name) or provinces (meaning the province's capital).
        """
        name, problems, gazetteer = self.name, self.problems, self.gazetteer
        before = len(problems)
        what = "a claim about all provincial capitals" if scope == "capitals" else f"a {scope}-wide claim"
        if row["district"]:
            problems.append(Problem(name, line, f"{what} leaves district empty (use except for exclusions)"))
        code: str | None = "AF"
        if scope == "province":
            code = gazetteer.resolve_province(row["province"]) if row["province"] else None
            if code is None:
                problems.append(
                    Problem(name, line, f"a province-wide claim needs a known province, not {row['province']!r}")
                )
        elif row["province"]:
            problems.append(Problem(name, line, f"{what} leaves province empty"))
        excluded: set[str] = set()
        named: dict[str, str] = {}  # each place left out (a district or province PCODE) -> the entry naming it
        for item in (x.strip() for x in row["except"].split(";")):
            if not item:
                continue
            if scope == "capitals":
                place = self._except_capital(item, line)
            else:
                place = self._except_place(scope, code, item, line)
            if place is None:
                continue
            if place in named:
                # like a repeated source id: silently merged, it reads as if the editor meant two places
                problems.append(
                    Problem(name, line, f"except lists {place} twice ({named[place]!r}, {item!r}); list it once")
                )
                continue
            named[place] = item
            excluded.update(gazetteer.districts_of(place) if PROVINCE_PCODE_RE.match(place) else (place,))
        provinces_named = [p for p in named if PROVINCE_PCODE_RE.match(p)]
        for place, item in named.items():
            whole = next((p for p in provinces_named if place in gazetteer.districts_of(p)), None)
            if whole is not None:
                problems.append(
                    Problem(name, line, f"except lists {item!r} and its province {named[whole]!r}; list it once")
                )
        if len(problems) == before and code is not None:
            if scope == "capitals":
                whole_area, area = settings.CAPITAL_DISTRICTS, "all provincial capitals"
            elif scope == "country":
                whole_area, area = gazetteer.pcodes, "the country"
            else:
                whole_area, area = gazetteer.districts_of(code), f"province {code}"
            if whole_area and excluded.issuperset(whole_area):
                problems.append(
                    Problem(
                        name,
                        line,
                        f"except leaves out every place of {area}, so the claim covers nothing; "
                        "delete the claim, or take districts out of except",
                    )
                )
        return (code if len(problems) == before else None), frozenset(excluded)

    def _except_place(self, scope: str, code: str | None, item: str, line: int) -> str | None:
        """The PCODE one ``except`` entry names (a district, or a province for a country-wide claim), or None.

        A province PCODE is checked as a province, so ``AF99`` reads "unknown province", not
        "unknown district"; a province-wide claim's except names districts of that province.
        """
        gazetteer, upper = self.gazetteer, item.upper()
        if PROVINCE_PCODE_RE.match(upper):
            if scope != "country":
                self.problems.append(
                    Problem(self.name, line, f"except: {item!r} is a province; list districts of the province here")
                )
                return None
            found_province = gazetteer.resolve_province(upper)
            if found_province is None:
                low, high = gazetteer.province_range
                options = ", ".join(f"{p} ({n})" for p, n in gazetteer.province_options(upper))
                self.problems.append(
                    Problem(
                        self.name,
                        line,
                        f"except: unknown province PCODE {item!r} (they run {low} to {high}); did you mean {options}?",
                    )
                )
            return found_province
        if scope == "country" and not PCODE_RE.match(upper):
            found_province = gazetteer.resolve_province(item)
            if found_province is not None:
                return found_province
        found = gazetteer.resolve(item, code if scope == "province" and code else None)
        if isinstance(found, Match):
            return found.pcode
        self.problems.append(Problem(self.name, line, f"except: {found.describe()}"))
        return None

    def _except_capital(self, item: str, line: int) -> str | None:
        """The capital one ``except`` entry of a capitals claim names, or None (a province means its capital)."""
        gazetteer = self.gazetteer
        if PROVINCE_PCODE_RE.match(item.upper()) or not PCODE_RE.match(item.upper()):
            province = gazetteer.resolve_province(item)
            if province is not None and province in settings.PROVINCE_CAPITALS:
                return settings.PROVINCE_CAPITALS[province][0]
        found = gazetteer.resolve(item, None)
        if not isinstance(found, Match):
            self.problems.append(Problem(self.name, line, f"except: {found.describe()}"))
            return None
        if found.pcode not in settings.CAPITAL_DISTRICTS:
            self.problems.append(
                Problem(
                    self.name,
                    line,
                    f"except: {found.name_en} ({found.pcode}) is not a provincial capital; a capitals claim "
                    "leaves out capitals (or provinces, meaning their capital)",
                )
            )
            return None
        return found.pcode

    # -- the fast path: plainly valid district claims, column by column ----------------------

    def _dates_of(self, cells: list[str]) -> list[dt.date | None]:
        """Each cell's date, None when refused (each distinct text parsed once)."""
        memo = self._dates
        for text in set(cells).difference(memo):
            try:
                memo[text] = read_date(text, today=self.today)
            except DateError:
                memo[text] = None
        return list(map(memo.__getitem__, cells))

    def _places_of(self, districts: list[str], provinces: list[str]) -> list[str | None]:
        """Each row's PCODE when its district is known exactly and named without bidi controls, else None."""
        memo = self._places
        keys = list(zip(districts, provinces, strict=True))
        for district, province in set(keys).difference(memo):
            found = self.gazetteer.resolve(district, province or None)
            plain = isinstance(found, Match) and found.method != "fuzzy"
            plain = plain and not BIDI_CONTROLS.search(district + province)
            memo[district, province] = found.pcode if plain else None
        return list(map(memo.__getitem__, keys))

    def _source_ids_of(self, cells: list[str]) -> list[tuple[str, ...] | None]:
        """Each cell's one known, valid source id as a shared tuple, else None (lists go row by row)."""
        memo = self._sources
        for text in set(cells).difference(memo):
            known = self.known is None or (text in self.known and self.known[text] is None)
            memo[text] = (text,) if text and ";" not in text and known else None
        return list(map(memo.__getitem__, cells))

    def _grades_of(self, sources: list[tuple[str, ...] | None]) -> list[str]:
        memo = self._grades
        for ids in set(sources).difference(memo):
            memo[ids] = self.grade(ids) if self.grade is not None and ids is not None else ""
        return list(map(memo.__getitem__, sources))

    def read_block(self, block: Block) -> None:
        """Check a block: plainly valid rows column-wise, the others row by row, in line order."""
        cols = block.columns
        ids = cols["id"]
        n = len(ids)
        if len(set(ids)) != n or not self.first_line.keys().isdisjoint(ids):
            for line, row in block.rows():  # a repeated id: the messages need the row-by-row order
                self.check_row(line, row)
            return
        days = self._dates_of(cols["date"])
        places = self._places_of(cols["district"], cols["province"])
        controllers = list(map(_CONTROLLER.get, cols["controller"]))
        claimants = list(map(_CLAIMANT.get, cols["claimed_by"]))
        stances = list(map(_STANCE.get, cols["stance"]))
        sources = self._source_ids_of(cols["source_ids"])
        plain = [
            bool(day and place and controller and claimant and stance and sids and scope in ("", "district"))
            and not excluded
            and not (stance == "denies" and controller == "unknown")
            for day, place, controller, claimant, stance, sids, scope, excluded in zip(
                days, places, controllers, claimants, stances, sources, cols["scope"], cols["except"], strict=True
            )
        ]
        if not all(map(ID_RE.match, ids)):
            plain = [ok and ID_RE.match(i) is not None for ok, i in zip(plain, ids, strict=True)]
        grades = self._grades_of(sources) if self.grade is not None else repeat("")
        made = map(
            _new_claim,
            zip(ids, days, places, controllers, claimants, stances, sources, cols["reported_as"], cols["date_note"],
                cols["note"], block.lines, repeat("district"), repeat(NO_EXCLUSIONS), grades, cols["note_da"]),
        )  # fmt: skip
        if all(plain):
            self.first_line.update(zip(ids, block.lines, strict=True))
            self.claims.extend(made)
            return
        names = list(cols)
        for k, (line, claim) in enumerate(zip(block.lines, made, strict=True)):
            if plain[k]:
                self.first_line[ids[k]] = line
                self.claims.append(claim)
            else:
                self.check_row(line, {key: cols[key][k] for key in names})


def load_claims(
    path: Path,
    known_source_ids: dict[str, Problem | None] | None,
    gazetteer: Gazetteer,
    problems: list[Problem],
    warnings: list[Problem],
    grade: Callable[[tuple[str, ...]], str] | None = None,
) -> list[Claim]:
    """Return the valid claims of ``path`` in file order; record problems and warnings with file:line."""
    reader = _ClaimReader(path.name, known_source_ids, gazetteer, problems, warnings, grade)
    for block in read_blocks(path, CLAIM_COLUMNS, CLAIM_OPTIONAL, problems):
        reader.read_block(block)
    check_contradictions(reader.claims, path.name, problems, warnings)
    return reader.claims
