"""Download one file with progress, verify its SHA-256, and only then move it into place."""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.request
from collections.abc import Callable
from pathlib import Path

from geo import settings
from geo.errors import BoundaryError


def download_file(
    url: str,
    dest: Path,
    *,
    expected_sha256: str,
    progress: Callable[[int, int | None], None] | None = None,
) -> None:
    """Fetch ``url`` into ``dest`` atomically; no partial or unverified file is ever kept.

    ``progress(bytes_done, bytes_total_or_None)`` is called as blocks arrive. Raises OSError on
    network failure and BoundaryError on a checksum mismatch.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=settings.DOWNLOAD_TIMEOUT_S) as resp:
            total_header = resp.headers.get("Content-Length")
            total = int(total_header) if total_header and total_header.isdigit() else None
            done = 0
            for block in iter(lambda: resp.read(1 << 16), b""):
                out.write(block)
                digest.update(block)
                done += len(block)
                if progress is not None:
                    progress(done, total)
        if total is not None and done != total:
            raise OSError(f"incomplete download: got {done} of {total} bytes")
        actual = digest.hexdigest()
        if actual != expected_sha256:
            raise BoundaryError(
                f"Checksum mismatch for the download of {dest.name} from {url}:\n"
                f"  expected SHA-256 {expected_sha256}\n  actual   SHA-256 {actual}\n"
                f"The file was discarded. Point {settings.ENV_BOUNDARIES_DIR} at a verified copy."
            )
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
