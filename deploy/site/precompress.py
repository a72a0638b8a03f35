"""Write ``.gz`` and ``.br`` beside every compressible file of a published site, for nginx's *_static modules.

Usage: ``python3 deploy/site/precompress.py DIR`` (or ``python -m geo publish --out DIR --precompress``,
which does it in the staging folder before the swap, so nginx never serves a half-compressed site).

gzip -9 with no name or time in the header, and brotli quality 11 (9 above 256 KB; the ``brotli`` package, already a
dependency for fontTools' woff2): the same file always gives the same bytes. A compressed copy that
is not smaller than the file is not kept; an up-to-date one (newer than its file) is not redone.
"""

from __future__ import annotations

import gzip
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli

COMPRESSIBLE = (".html", ".js", ".css", ".json", ".geojson", ".csv", ".svg", ".md", ".txt")
MIN_BYTES = 256  # below this the headers outweigh the saving
# brotli 11 takes about a second per megabyte; above this size (ledgers of a long timeline) quality 9
# is ten times faster for a few per cent more bytes. Every file of a first visit is far smaller.
BROTLI_11_MAX = 256 * 1024


def _fresh(copy: Path, source: Path) -> bool:
    return copy.is_file() and copy.stat().st_mtime_ns >= source.stat().st_mtime_ns


def compress_file(path: Path) -> None:
    """Write ``path.gz`` and ``path.br`` when they are smaller than the file (and not already fresh)."""
    gz, br = path.with_name(path.name + ".gz"), path.with_name(path.name + ".br")
    if _fresh(gz, path) and _fresh(br, path):
        return
    data = path.read_bytes()
    quality = 11 if len(data) <= BROTLI_11_MAX else 9
    for target, packed in (
        (gz, gzip.compress(data, compresslevel=9, mtime=0)),
        (br, brotli.compress(data, quality=quality)),
    ):
        if len(packed) < len(data):
            target.write_bytes(packed)
        else:
            target.unlink(missing_ok=True)


def precompress(folder: Path) -> int:
    """Compress every compressible file under ``folder``; return how many files were considered."""
    files = [p for p in folder.rglob("*") if p.is_file() and p.suffix in COMPRESSIBLE and p.stat().st_size >= MIN_BYTES]
    files.sort(key=lambda p: p.stat().st_size, reverse=True)  # the largest first, so none finishes alone
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:  # zlib and brotli release the GIL
        list(pool.map(compress_file, files))
    return len(files)


def main(argv: list[str]) -> int:
    """Compress the folder named on the command line."""
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print(
            "usage: python3 deploy/site/precompress.py DIR  (a folder written by python -m geo publish)",
            file=sys.stderr,
        )
        return 2
    print(f"precompressed {precompress(Path(argv[0]))} files in {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
