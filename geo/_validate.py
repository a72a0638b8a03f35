"""Internals of timeline validation: read CSV rows with line numbers, check single fields."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import ipaddress
import re
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.compute as pc
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


class Block:
    """Consecutive data rows as columns: ``lines[k]`` is the line of row k, ``columns[name][k]`` its cell.

    Cells are stripped; optional columns missing from the header are filled with ''.
    """

    __slots__ = ("columns", "lines")

    def __init__(self, lines: Sequence[int], columns: dict[str, list[str]]) -> None:
        self.lines = lines
        self.columns = columns

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """The rows one at a time, as (line number, row) like ``read_rows``."""
        names = list(self.columns)
        for line, cells in zip(self.lines, zip(*self.columns.values(), strict=True), strict=True):
            yield line, dict(zip(names, cells, strict=True))


def read_rows(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...], problems: list[Problem]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for each data row; append structural problems to ``problems``.

    A file that cannot be decoded or lacks required columns yields nothing but is reported.
    Line numbers are physical lines of the file (a quoted multi-line cell reports its first line).
    """
    for block in read_blocks(path, required, optional, problems):
        yield from block.rows()


def read_blocks(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...], problems: list[Problem]
) -> Iterator[Block]:
    """Yield the data rows in blocks of columns (``Block``), with the problems of ``read_rows``.

    A plain file (one row per line) is read by pyarrow, 20,000 rows a block, so a caller can
    validate column by column; any other file is read row by row by the strict csv reader and
    yielded one row per block. Either way the rows, lines and problems are the same.
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
    n_lines = _plain_lines(text)
    if n_lines is not None:
        # One row per line: the header is the first line, and the strict reader (which holds the
        # file as 4-byte characters) is not needed.
        header = next(csv.reader([text[: text.index("\n")] if "\n" in text else text]))
        if not _check_header(name, header, required, optional, problems):
            return
        body = raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw
        del text, raw  # the bytes are enough to read the table, and the table to read the rows
        table = _columnar(body, [h.strip() for h in header], n_lines)
        if table is not None:
            blocks = _table_blocks(name, table, [h.strip() for h in header], optional, problems)
            del body, table  # held by the blocks' generator only, which lets go as it reads
            yield from blocks
            return
        text = body.decode("utf-8")
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
    if n_lines is None and not _check_header(name, header, required, optional, problems):
        return
    header = [h.strip() for h in header]
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
        row = _checked_row(name, start, header, cells, optional, problems)
        if row is not None:
            yield Block((start,), {key: [value] for key, value in row.items()})


def _check_header(
    name: str, header: list[str], required: tuple[str, ...], optional: tuple[str, ...], problems: list[Problem]
) -> bool:
    """Record why the header is unusable (missing, unknown or repeated columns); True when it is fine."""
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
        return False
    return True


def _checked_row(
    name: str,
    line: int,
    header: list[str],
    cells: tuple[str, ...] | list[str],
    optional: tuple[str, ...],
    problems: list[Problem],
) -> dict[str, str] | None:
    row = dict(zip(header, map(str.strip, cells), strict=True))
    for opt in optional:
        row.setdefault(opt, "")
    too_long = [h for h, c in row.items() if len(c) > MAX_FIELD] if max(map(len, cells)) > MAX_FIELD else ()
    if too_long:
        problems.append(Problem(name, line, f"field(s) {', '.join(too_long)} longer than {MAX_FIELD} characters"))
        return None
    return row


BLOCK_ROWS = 20_000
# Every character str.strip() removes, for pyarrow's regular expressions (RE2): a cell needs
# stripping when it starts or ends with one of them.
_SPACE = "".join(f"\\x{{{c:x}}}" for c in range(0x110000) if chr(c).isspace())
_NEEDS_STRIP = f"^[{_SPACE}]|[{_SPACE}]$"


def _table_blocks(
    name: str, table: pa.Table, header: list[str], optional: tuple[str, ...], problems: list[Problem]
) -> Iterator[Block]:
    """The table's rows as blocks of stripped columns, skipping empty rows and refusing overlong cells."""
    missing = [opt for opt in optional if opt not in header]
    line = 2  # one row per physical line: row i is on line i + 2
    batches = table.to_batches(max_chunksize=BLOCK_ROWS)
    del table
    batches.reverse()
    while batches:
        batch = batches.pop()  # a block read is let go, so its part of the table can be freed
        n = batch.num_rows
        columns: dict[str, list[str]] = {}
        long_cells = False
        for key, array in zip(header, batch.columns, strict=True):
            cells = array.to_pylist()
            if pc.any(pc.match_substring_regex(array, _NEEDS_STRIP)).as_py():
                cells = [c.strip() for c in cells]
            columns[key] = cells
            long_cells = long_cells or (pc.max(pc.binary_length(array)).as_py() or 0) > MAX_FIELD  # bytes >= chars
        empty = [""] * n
        for opt in missing:
            columns[opt] = empty
        lines: Sequence[int] = range(line, line + n)
        keep = None
        if not all(columns[header[0]]):  # a row of empty cells is skipped, as the csv reader does
            keep = [k for k, cells in enumerate(zip(*(columns[h] for h in header), strict=True)) if any(cells)]
        if long_cells and any(max(map(len, columns[h]), default=0) > MAX_FIELD for h in header):
            kept = set(range(n) if keep is None else keep)
            for k in sorted(kept):
                too_long = [h for h in header if len(columns[h][k]) > MAX_FIELD]
                if too_long:
                    problems.append(
                        Problem(name, line + k, f"field(s) {', '.join(too_long)} longer than {MAX_FIELD} characters")
                    )
                    kept.discard(k)
            keep = sorted(kept)
        if keep is not None:
            lines = [line + k for k in keep]
            columns = {key: [cells[k] for k in keep] for key, cells in columns.items()}
        line += n
        if lines:
            yield Block(lines, columns)


def _plain_lines(text: str) -> int | None:
    """Return the number of lines when every line is a plain CSV row and there are at least two, else None.

    Plain means one row per physical line: no blank lines, no lone carriage returns and no line
    breaks inside quoted cells, so row i is on line i + 2 and every file:line message stays what
    the row-by-row reader would say. Checked a chunk of lines at a time, to keep memory flat.
    """
    if text.count("\r") != text.count("\r\n"):  # a lone carriage return counts as a line break below
        return None
    match = _PLAIN_LINE.fullmatch
    count, pos, size = 0, 0, len(text)
    while pos < size:
        end = text.find("\n", min(pos + (1 << 20), size - 1))
        end = size if end < 0 else end + 1
        chunk = text[pos:end]
        pos = end
        if '"' not in chunk:  # without quotes every line is plain unless it is blank
            if chunk.startswith(("\n", "\r\n")) or "\n\n" in chunk or "\n\r\n" in chunk:
                return None
            count += chunk.count("\n") + (not chunk.endswith("\n"))
            continue
        lines = chunk.split("\n")
        if chunk.endswith("\n"):
            lines.pop()
        if any(not ln.strip("\r") for ln in lines) or not all(match(ln) for ln in lines):
            return None  # blank lines, stray or unclosed quotes: the strict reader says where
        count += len(lines)
    return count if count >= 2 else None


def _columnar(body: bytes, header: list[str], n_lines: int) -> pa.Table | None:
    """Read the data rows of a plain file (see ``_plain_lines``) with pyarrow's CSV reader, or None.

    Anything pyarrow cannot read exactly (a row count that does not match the lines) returns
    None and the strict row-by-row reader reports it.
    """
    try:
        table = pacsv.read_csv(
            io.BytesIO(body),
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
    if table.num_rows != n_lines - 1:
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
