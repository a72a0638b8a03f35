"""Publish a folder atomically: fill a staging folder beside it, then rename it into place.

Used for the map component folder (components/district_map.py) and for nginx's precompressed
trees (deploy/prepare.py). Both are content-addressed, so when two processes race to publish the
same folder, the one that renames first wins and the other's identical copy is dropped.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

STAGING_PREFIX = ".staging-"  # a folder being written; cleaners leave young ones alone


def publish_dir(target: Path, fill: Callable[[Path], None], *, complete: str) -> bool:
    """Make ``target`` a complete folder, built by ``fill(staging)``; return True if this call built it.

    ``target`` counts as complete when it holds the file ``complete`` (written by ``fill``, last if
    it is only a marker); a complete ``target`` is left as it is and ``fill`` is not called.
    Otherwise ``fill`` writes into a fresh staging folder beside ``target``, which is renamed to
    ``target`` in one step, so a reader never sees a half-written folder and a killed writer leaves
    only a staging folder (prefixed ``STAGING_PREFIX``). Errors of ``fill`` propagate, with the
    staging folder removed.
    """
    if (target / complete).is_file():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=STAGING_PREFIX))
    try:
        fill(staging)
        if not (staging / complete).is_file():
            raise FileNotFoundError(f"publish_dir: fill() did not write {complete!r} for {target}")
        try:
            os.replace(staging, target)
        except OSError:
            if not (target / complete).is_file():  # else another process published it first
                raise
            return False
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return True
