"""Pause Python's cyclic garbage collector while building many objects that form no cycles.

Loading a million claims, or listing tens of thousands of changes, allocates enough tuples to
set off full collections, each walking every live object (seconds at a million claims, and the
cause of a change log taking 0.05 s on one call and 0.2 s on the next). The records built here
(named tuples, lists, dicts of them) hold no reference cycles, so reference counting frees them
and nothing is lost by collecting after, not during, the build.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused(*, collect: bool = False) -> Iterator[None]:
    """Disable the cyclic collector inside the block; re-enable it after, if it was enabled.

    With ``collect``, run one full collection after the block: what it built then moves to the
    oldest generation in one pass. Without it, the young generations' collections would walk it
    again on the next allocations, then a full one soon after (each about 2 s at a million
    claims), in whatever operation came next. Meant for the load, which builds the long-lived
    timeline.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            if collect:
                gc.collect()
