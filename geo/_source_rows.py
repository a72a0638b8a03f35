"""Read and validate ``sources.csv``: every row checked, with file:line for each problem.

A block of rows (``geo._validate.Block``) is checked column by column first: rows whose every
cell is plainly valid (a plain https address on a known outlet's domain, a known kind, a good
date, no duplicate id or url) become sources at once. Every other row goes through
``_check_row``, the full rules with their messages, in line order, so the problems and the
sources are exactly those of checking every row one at a time.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from geo import settings
from geo._claims import Source
from geo._validate import BIDI_CONTROLS, ID_RE, Block, DateError, check_id, check_url, read_blocks, read_date
from geo.errors import Problem
from geo.outlets import Outlet, check_source_outlet

SOURCE_COLUMNS = ("id", "outlet", "url", "published", "language", "kind", "summary")
SOURCE_OPTIONAL = ("original", "summary_da", "published_note")

# A url that check_url accepts without a doubt: http(s), a lower-case dotted host whose last label
# starts with a letter (so not an address), no port, no user, then printable ASCII without '\' or '@'.
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
PLAIN_URL = re.compile(rf"https?://((?:{_LABEL}\.)+[a-z](?:[a-z0-9-]*[a-z0-9])?)(?:[/?#][!-?A-\[\]-~]*)?", re.ASCII)
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".intranet", ".lan", ".home.arpa", ".corp", ".test")


def check_text(name: str, line: int, row: dict[str, str], fields: tuple[str, ...], problems: list[Problem]) -> None:
    """Refuse bidi control characters in the given fields (ids, codes, names, urls)."""
    if not BIDI_CONTROLS.search("".join(row.get(key, "") for key in fields)):  # the common case, one search
        return
    for key in fields:
        if BIDI_CONTROLS.search(row.get(key, "")):
            problems.append(
                Problem(name, line, f"{key} contains invisible bidirectional control characters; delete them")
            )


def check_unique_id(
    kind: str, row_id: str, name: str, line: int, first_line: dict[str, int], problems: list[Problem]
) -> None:
    """Check an id's form and uniqueness, recording where each id first appears."""
    if (why := check_id(row_id)) is not None:
        problems.append(Problem(name, line, why))
    elif row_id in first_line:
        problems.append(Problem(name, line, f"duplicate {kind} id {row_id!r} (first at line {first_line[row_id]})"))
    first_line.setdefault(row_id, line)


class _SourceReader:
    """The state of one pass over sources.csv: ids and urls seen, sources kept, refusals."""

    def __init__(self, name: str, outlets: dict[str, Outlet] | None, problems: list[Problem]) -> None:
        self.name, self.outlets, self.problems = name, outlets, problems
        self.today = dt.date.today()
        self.sources: dict[str, Source] = {}
        self.first_line: dict[str, int] = {}
        self.url_line: dict[str, int] = {}
        self.refused: dict[str, Problem] = {}
        self._dates: dict[str, dt.date | None | bool] = {}  # text -> date, None when empty, False when bad
        self._fine: dict[tuple[str, str, str], bool] = {}  # (outlet, original, host) -> no problem at all

    def check_row(self, line: int, row: dict[str, str]) -> None:
        """Check one row with every rule and its message; keep the source when it has no problem."""
        name, problems = self.name, self.problems
        here = len(problems)
        check_unique_id("source", row["id"], name, line, self.first_line, problems)
        if (why := check_url(row["url"])) is not None:
            problems.append(Problem(name, line, why))
        elif row["url"] in self.url_line:
            problems.append(
                Problem(name, line, f"the url is already source at line {self.url_line[row['url']]}; reuse that id")
            )
        published = None
        if row["published"]:
            try:
                published = read_date(row["published"], today=self.today)
            except DateError as exc:
                problems.append(Problem(name, line, f"published: {exc}; or leave it empty"))
        if row["published"] and row["published_note"]:
            problems.append(
                Problem(name, line, "published_note is only for a source without a published date; delete one of them")
            )
        if row["kind"] not in settings.SOURCE_KINDS:
            problems.append(
                Problem(name, line, f"unknown kind {row['kind']!r}; use one of {', '.join(settings.SOURCE_KINDS)}")
            )
        for key in ("outlet", "summary"):
            if not row[key]:
                problems.append(Problem(name, line, f"{key} is empty"))
        check_text(name, line, row, ("id", "outlet", "original", "url", "published_note"), problems)
        if self.outlets is not None and row["outlet"] and len(problems) == here:
            problems.extend(
                check_source_outlet(
                    self.outlets, outlet=row["outlet"], original=row["original"], url=row["url"], name=name, line=line
                )
            )
        self.url_line.setdefault(row["url"], line)
        if len(problems) == here:
            self.sources[row["id"]] = Source(
                row["id"], row["outlet"], row["url"], published, row["language"], row["kind"], row["summary"],
                row["original"], row["summary_da"], row["published_note"],
            )  # fmt: skip
        elif row["id"] not in self.refused:
            self.refused[row["id"]] = problems[here]

    def _date(self, text: str) -> dt.date | None | bool:
        if text not in self._dates:
            try:
                self._dates[text] = read_date(text, today=self.today) if text else None
            except DateError:
                self._dates[text] = False
        return self._dates[text]

    def _outlet_fine(self, outlet: str, original: str, host: str) -> bool:
        key = (outlet, original, host)
        if key not in self._fine:
            row = {"outlet": outlet, "original": original}
            bidi: list[Problem] = []
            check_text("", 0, row, ("outlet", "original"), bidi)
            registered = self.outlets is None or not check_source_outlet(
                self.outlets, outlet=outlet, original=original, url=f"https://{host}/", name="", line=0
            )
            self._fine[key] = bool(outlet) and not bidi and registered
        return self._fine[key]

    def read_block(self, block: Block) -> None:
        """Check a block: plainly valid rows column-wise, the others row by row, in line order."""
        cols = block.columns
        ids, urls = cols["id"], cols["url"]
        n = len(ids)
        fresh = (
            len(set(ids)) == n
            and len(set(urls)) == n
            and self.first_line.keys().isdisjoint(ids)
            and self.url_line.keys().isdisjoint(urls)
        )
        if not fresh:  # a repeated id or url: the messages need the row-by-row order
            for line, row in block.rows():
                self.check_row(line, row)
            return
        kinds = settings.SOURCE_KINDS
        plain = [False] * n
        published: list[dt.date | None] = [None] * n
        for k, (row_id, url, outlet, original, when, kind, summary, note) in enumerate(
            zip(
                ids,
                urls,
                cols["outlet"],
                cols["original"],
                cols["published"],
                cols["kind"],
                cols["summary"],
                cols["published_note"],
                strict=True,
            )
        ):
            found = PLAIN_URL.fullmatch(url)
            if (
                found is None
                or not summary
                or kind not in kinds
                or not ID_RE.match(row_id)
                or found[1].endswith(_LOCAL_SUFFIXES)
                or (day := self._date(when)) is False
                or not self._outlet_fine(outlet, original, found[1])
                or (note and (when or BIDI_CONTROLS.search(note)))
            ):
                continue
            plain[k], published[k] = True, day
        lines = block.lines
        if all(plain):
            self.first_line.update(zip(ids, lines, strict=True))
            self.url_line.update(zip(urls, lines, strict=True))
            for row in zip(ids, cols["outlet"], urls, published, cols["language"], cols["kind"], cols["summary"],
                           cols["original"], cols["summary_da"], cols["published_note"], strict=True):  # fmt: skip
                self.sources[row[0]] = Source._make(row)
            return
        names = list(cols)
        for k, line in enumerate(lines):
            if plain[k]:
                self.first_line[ids[k]] = self.url_line[urls[k]] = line
                self.sources[ids[k]] = Source(
                    ids[k], cols["outlet"][k], urls[k], published[k], cols["language"][k], cols["kind"][k],
                    cols["summary"][k], cols["original"][k], cols["summary_da"][k], cols["published_note"][k],
                )  # fmt: skip
            else:
                self.check_row(line, {key: cols[key][k] for key in names})


def load_sources(
    path: Path, outlets: dict[str, Outlet] | None, problems: list[Problem], lines: dict[str, int] | None = None
) -> tuple[dict[str, Source], dict[str, Problem] | None]:
    """Return the valid sources and, for every id present in the file, why it was refused (or None).

    The second value is None when the file itself could not be parsed, so that claims are not
    additionally flagged for citing sources nobody could read. ``lines``, when given, receives
    each id's first line (for checks made after the whole folder is read, such as the Dari text).
    """
    before = len(problems)
    reader = _SourceReader(path.name, outlets, problems)
    for block in read_blocks(path, SOURCE_COLUMNS, SOURCE_OPTIONAL, problems):
        reader.read_block(block)
    unreadable = any(p.whole_file for p in problems[before:])
    if lines is not None:
        lines.update(reader.first_line)
    sources, refused = reader.sources, reader.refused
    return sources, None if unreadable else {i: None if i in sources else refused.get(i) for i in reader.first_line}
