"""Internals of timeline validation: read CSV rows with line numbers, check single fields."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import ipaddress
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.csv as pacsv

from geo import settings
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
    table = _columnar(text, header)
    if table is not None:
        line = 2  # one row per physical line: row i is on line i + 2
        for batch in table.to_batches(max_chunksize=20_000):  # Python strings for a batch at a time
            for cells in zip(*(col.to_pylist() for col in batch.columns), strict=True):
                if any(c.strip() for c in cells):  # a row of empty cells is skipped, as below
                    yield from _checked_row(name, line, header, cells, optional, problems)
                line += 1
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
        yield from _checked_row(name, start, header, cells, optional, problems)


def _checked_row(
    name: str,
    line: int,
    header: list[str],
    cells: tuple[str, ...] | list[str],
    optional: tuple[str, ...],
    problems: list[Problem],
) -> Iterator[tuple[int, dict[str, str]]]:
    row = dict(zip(header, map(str.strip, cells), strict=True))
    for opt in optional:
        row.setdefault(opt, "")
    too_long = [h for h, c in row.items() if len(c) > MAX_FIELD] if max(map(len, cells)) > MAX_FIELD else ()
    if too_long:
        problems.append(Problem(name, line, f"field(s) {', '.join(too_long)} longer than {MAX_FIELD} characters"))
        return
    yield line, row


def _columnar(text: str, header: list[str]) -> pa.Table | None:
    """Read the data rows with pyarrow's CSV reader, column by column, when that is exact.

    Exact means one row per physical line: no blank lines and no line breaks inside quoted
    cells, so row i is on line i + 2 and every file:line message stays what the row-by-row
    reader would say. Anything else (ragged rows, bad quoting, multi-line cells) returns None and
    the strict row-by-row reader reports it.
    """
    if "\r" in text.replace("\r\n", ""):  # a lone carriage return counts as a line break below
        return None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) < 2 or any(not ln.strip("\r") for ln in lines):
        return None
    match = _PLAIN_LINE.fullmatch
    if not all(match(ln) for ln in lines):  # stray or unclosed quotes: the strict reader says where
        return None
    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=[f"c{i}" for i in range(len(header))], skip_rows=1),
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types={f"c{i}": pa.string() for i in range(len(header))},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    if table.num_rows != len(lines) - 1:
        return None
    return table


class DateError(ValueError):
    """A date that is malformed, does not exist, or lies outside the plausible window."""


@functools.lru_cache(maxsize=1 << 16)
def _iso_day(text: str) -> dt.date:
    # A timeline repeats a few thousand dates over many rows: parse each once.
    if not _ISO_RE.fullmatch(text):
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise DateError(f"bad date {shown!r}; use YYYY-MM-DD, e.g. 2021-08-20")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DateError(f"no such day: {text} does not exist in the calendar") from None


# RFC 4180 rows with no line break inside a cell: a cell is unquoted (no quote, comma or line
# break) or fully quoted (doubled quotes inside). Where every line has this shape, pyarrow and the
# strict csv reader read the same cells; anything else goes to the csv reader.
_CELL = r'(?:[^",\r\n]*|"(?:[^"\r\n]|"")*")'
_PLAIN_LINE = re.compile(rf"{_CELL}(?:,{_CELL})*\r?")  # line by line: one match over a file needs memory
_ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}", flags=re.ASCII)


def read_date(value: str, *, today: dt.date | None = None) -> dt.date:
    """Parse a strict ISO date (YYYY-MM-DD) inside ``settings`` window; raise DateError saying why not.

    The one date parser for data files, the CLI and share links, so all three accept the same
    dates: ``20210820`` and ISO week dates are refused, ``2021-02-29`` is named as a day that does
    not exist, and a date outside [``EARLIEST_DATE``, today] is refused before it can overflow
    date arithmetic or a slider's bounds.
    """
    text = str(value).strip()
    date = _iso_day(text)
    latest = today or dt.date.today()
    if date < settings.EARLIEST_DATE:
        raise DateError(
            f"date {text} is before {settings.EARLIEST_DATE.isoformat()}, the earliest date this map accepts; "
            "check the year for a typo"
        )
    if date > latest:
        raise DateError(f"date {text} is in the future")
    return date


def parse_date(value: str) -> dt.date | None:
    """Parse a date as ``read_date`` does, returning None instead of raising."""
    try:
        return read_date(value)
    except DateError:
        return None


_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".intranet", ".lan", ".home.arpa", ".corp", ".test")


def _invisible(ch: str) -> bool:
    # Cc: control; Cf: format (zero-width, bidi); Zl/Zp/Zs: separators other than a plain space
    return ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf", "Co", "Cs", "Zl", "Zp", "Zs"}


def url_host(value: str) -> str:
    """Return the host a browser would open for ``value`` (lower-case, without port or userinfo)."""
    try:
        return (urlsplit(value).hostname or "").rstrip(".")
    except ValueError:
        return ""


def check_url(value: str) -> str | None:
    """Return why ``value`` is not an acceptable public http(s) URL, or None when it is.

    Refused: other schemes; spaces, control, zero-width and bidi characters (they hide the real
    address and defeat the duplicate-URL check); backslashes (browsers read them as '/'); userinfo
    (``https://good.example@evil.example/`` opens evil.example); and hosts that are not public:
    loopback, private, link-local or reserved addresses, ``localhost`` and single-label names.
    """
    if not value:
        return "the url is empty"
    shown = ascii(value) if len(value) <= 200 else ascii(value[:200]) + "…"
    plain = value.isascii() and value.isprintable() and " " not in value  # the common case, checked fast
    if not plain and any(_invisible(ch) for ch in value):
        bad = next(ch for ch in value if _invisible(ch))
        return f"the url {shown} contains an invisible or control character (U+{ord(bad):04X}); retype it"
    if "\\" in value:
        return f"the url {shown} contains a backslash; browsers read it as '/', so write the address with '/'"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return f"the url {shown} cannot be parsed"
    if parts.scheme.lower() not in {"http", "https"}:
        return f"the url {shown} is not http(s); only http:// and https:// links are allowed"
    if "@" in parts.netloc:
        return f"the url {shown} has a user name before '@' in its address; it would open another host, so remove it"
    host = url_host(value)
    if not host:
        return f"the url {shown} has no host"
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        address = None
    if address is not None:
        if not address.is_global:
            return f"the url {shown} points at a private or local address ({host}); link a public page"
    elif host == "localhost" or host.endswith(_LOCAL_SUFFIXES) or "." not in host:
        return f"the url {shown} points at a local host ({host}); link a public page"
    elif host.replace(".", "").isdigit():
        return f"the url {shown} has a numeric host ({host}); write the public host name"
    return None


def check_id(value: str) -> str | None:
    """Return why ``value`` is not a valid id, or None."""
    if not ID_RE.match(value):
        return f"the id {value!r} must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"
    return None
