"""Where the repository, the test fixtures and the real boundary files are."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEST_DATA = Path(__file__).resolve().parent / "data"


def shared_boundaries() -> Path:
    """The real AGCHO zips: $CONTROLMAP_BOUNDARIES_DIR, else ../shared/boundaries."""
    configured = os.environ.get("CONTROLMAP_BOUNDARIES_DIR")
    return Path(configured) if configured else REPO.parent / "shared" / "boundaries"
