"""Overlapping and contradicting claims: the same district, day, claimant and stance.

Only a group where two claims name the same controller or share a source can give a problem or a
warning. Those groups are found by hashing each claim's keys (numpy) and only they are grouped
and compared, so a million claims cost a few passes, not a dictionary of a million groups.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import compress
from operator import attrgetter

import numpy as np

from geo._claims import Claim
from geo.errors import Problem

_KEY = attrgetter("pcode", "date", "claimed_by", "stance")
_SAME_CONTROLLER = attrgetter("pcode", "date", "claimed_by", "stance", "controller")
_SAME_SOURCES = attrgetter("pcode", "date", "claimed_by", "stance", "source_ids")


def _repeated(keys: Iterator[object], n: int) -> np.ndarray:
    """For each of ``n`` keys, whether another key has the same hash (so perhaps the same value)."""
    hashes = np.fromiter(map(hash, keys), dtype=np.int64, count=n)
    _, inverse, counts = np.unique(hashes, return_inverse=True, return_counts=True)
    return counts[inverse] > 1


def _groups_with_findings(claims: list[Claim]) -> list[Claim]:
    """The claims of every key group that may give a problem or a warning, in order.

    A group gives one only when two of its claims name the same controller (an overlap) or share
    a source; a claim citing several sources is checked in full. Hashes only ever add groups (a
    collision), never drop one, and the groups are then rebuilt from the real keys.
    """
    n = len(claims)
    suspect = _repeated(map(_SAME_CONTROLLER, claims), n) | _repeated(map(_SAME_SOURCES, claims), n)
    suspect |= np.fromiter(map(len, map(attrgetter("source_ids"), claims)), dtype=np.int64, count=n) > 1
    if not suspect.any():
        return []
    group_hashes = np.fromiter(map(hash, map(_KEY, claims)), dtype=np.int64, count=n)
    keep = np.isin(group_hashes, group_hashes[suspect])
    return list(compress(claims, keep.tolist()))


OVERLAP_PAIRS_LISTED = 3  # more overlapping claims than this on one key are summarised in one warning


def check_contradictions(claims: list[Claim], name: str, problems: list[Problem], warnings: list[Problem]) -> None:
    """Check claims about the same district, day, claimant and stance.

    Two such claims citing a common source either contradict each other (different controllers:
    one source cannot say both) or duplicate each other; both are errors. With disjoint sources a
    different controller is a genuine disagreement between outlets and is kept; the same
    controller is an overlap, reported as a warning: one per pair, or one summary when more than
    ``OVERLAP_PAIRS_LISTED`` claims overlap (2,000 reports of one district on one day give one
    warning, not two million). The cost follows the claims and their shared sources, not pairs.
    """
    groups: dict[tuple, list[Claim]] = {}
    for claim in _groups_with_findings(claims) if claims else ():
        groups.setdefault(_KEY(claim), []).append(claim)
    for group in groups.values():
        if len(group) < 2:
            continue
        citing: dict[str, list[int]] = {}  # source id -> positions in the group citing it
        sharing: list[set[int]] = []
        for pos, claim in enumerate(group):
            others: set[int] = set()
            for sid in claim.source_ids:
                others.update(citing.setdefault(sid, []))
                citing[sid].append(pos)
            sharing.append(others)
            for other_pos in sorted(others):
                other = group[other_pos]
                shared = sorted(set(other.source_ids) & set(claim.source_ids))
                where = f"claim {claim.id} and {other.id} (line {other.line}) for {claim.pcode} on {claim.date}"
                if other.controller != claim.controller:
                    problems.append(
                        Problem(
                            name,
                            claim.line,
                            f"{where} cite the same source ({', '.join(shared)}) for different controllers "
                            f"({other.controller}, {claim.controller}); fix the one the source does not support",
                        )
                    )
                else:
                    problems.append(
                        Problem(name, claim.line, f"{where} duplicate each other ({', '.join(shared)}); delete one")
                    )
        by_controller: dict[str, list[int]] = {}
        for pos, claim in enumerate(group):
            by_controller.setdefault(claim.controller, []).append(pos)
        for positions in by_controller.values():
            pairs = [(p, q) for i, p in enumerate(positions) for q in positions[:i] if q not in sharing[p]]
            if len(positions) > OVERLAP_PAIRS_LISTED + 1:
                first, second = group[positions[0]], group[positions[1]]
                warnings.append(
                    Problem(
                        name,
                        second.line,
                        f"{len(positions)} claims for {first.pcode} on {first.date} overlap ({first.claimed_by} "
                        f"{first.stance} {first.controller}): {first.id} (line {first.line}), {second.id} and "
                        f"{len(positions) - 2} more; keep them if each outlet is its own voice",
                    )
                )
                continue
            for p, q in sorted(pairs):
                claim, other = group[p], group[q]
                warnings.append(
                    Problem(
                        name,
                        claim.line,
                        f"claim {claim.id} and {other.id} (line {other.line}) for {claim.pcode} on {claim.date} "
                        f"overlap ({claim.claimed_by} {claim.stance} {claim.controller})",
                    )
                )
    warnings.sort(key=lambda w: (w.line, w.message))
