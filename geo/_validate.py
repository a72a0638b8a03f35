"""Internals of timeline validation: read CSV rows with line numbers, check single fields."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from geo.errors import Problem

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# Bidi overrides/isolates can make a name display as something else; refuse them in ids and codes.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
MAX_FIELD = 2000


def _fatal(problems: list[Problem], name: str, line: int, message: str) -> None:
    """Record a problem that stops the whole file from being read (so none of its rows count)."""
    problems.append(Problem(name, line, message, whole_file=True))


def read_rows(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...], problems: list[Problem]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for each data row; append structural problems to ``problems``.

    A file that cannot be decoded or lacks required columns yields nothing but is reported.
    Line numbers are physical lines of the file (a quoted multi-line cell reports its first line).
    """
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        _fatal(problems, name, 0, f"cannot read the file ({exc.strerror or exc}); check the path")
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        _fatal(problems, name, line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")
        return
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        _fatal(problems, name, line, "contains a NUL byte; the file is binary or corrupt")
        return
    # strict: an unclosed quote is an error, not a cell that silently swallows the rest of the file
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        _fatal(problems, name, 1, f"the file is empty; it needs the header {','.join(required)}")
        return
    except csv.Error as exc:
        _fatal(problems, name, 1, f"cannot parse the header ({exc})")
        return
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in required and c not in optional]
    dupes = sorted({c for c in header if header.count(c) > 1})
    if missing or unknown or dupes:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s) {', '.join(unknown)}")
        if dupes:
            parts.append(f"repeated column(s) {', '.join(dupes)}")
        _fatal(problems, name, 1, "; ".join(parts) + f"; the header must be {','.join(required + optional)}")
        return
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            _fatal(problems, name, line, f"cannot parse this row or the rows after it ({exc}); check its quotes")
            return
        start, line = line, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(
                Problem(name, start, f"has {len(cells)} cells, the header {len(header)}; check commas and quotes")
            )
            continue
        row = {h: c.strip() for h, c in zip(header, cells, strict=True)}
        for opt in optional:
            row.setdefault(opt, "")
        too_long = [h for h, c in row.items() if len(c) > MAX_FIELD]
        if too_long:
            problems.append(Problem(name, start, f"field(s) {', '.join(too_long)} longer than {MAX_FIELD} characters"))
            continue
        yield start, row


def parse_date(value: str) -> dt.date | None:
    """Parse a strict ISO date (YYYY-MM-DD), else None."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def check_url(value: str) -> str | None:
    """Return why ``value`` is not an acceptable http(s) URL, or None when it is."""
    if not value:
        return "the url is empty"
    if any(ch.isspace() for ch in value) or BIDI_CONTROLS.search(value):
        return f"the url {value!r} contains spaces or control characters"
    try:
        parts = urlsplit(value)
    except ValueError:
        return f"the url {value!r} cannot be parsed"
    if parts.scheme.lower() not in {"http", "https"}:
        return f"the url {value!r} is not http(s); only http:// and https:// links are allowed"
    if not parts.hostname:
        return f"the url {value!r} has no host"
    return None


def check_id(value: str) -> str | None:
    """Return why ``value`` is not a valid id, or None."""
    if not ID_RE.match(value):
        return f"the id {value!r} must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"
    return None
