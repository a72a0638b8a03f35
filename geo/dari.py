"""Check the Dari text of the timeline (``summary_da``, ``note_da``): Arabic script, with codes and names.

A Dari summary or note is written in Arabic script. Latin words are refused except:

- codes: PCODEs (``AF09``, ``AF0912``), the ids of sources and claims (a whole id, a part of
  one up to a '-'), and id-shaped codes (parts joined by '-' with a digit or ``*``, such as
  ``CAP-TKR-13-1`` or ``G-CAP-*-0708``); web addresses;
- outlet names and ids from the outlets register (``Reuters``, ``TOLOnews``, ``Al Jazeera``);
- ``LATIN_NAMES``: a short, reviewed list of names and acronyms that Dari text keeps as written.

Single letters are not words (the source grades A–F, a list's "a)"). Bidi controls are refused
like everywhere else; the zero-width non-joiner (U+200C), part of Persian spelling, is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from geo._validate import BIDI_CONTROLS

# Acronyms and names that Dari reporting writes in Latin letters (kept short; outlet names come from
# the register). tests/dari.py keeps the interface's own list.
LATIN_NAMES = frozenset(
    {
        "AFP", "AP", "BBC", "CNN", "NRF", "ANDSF", "ANA", "NDS", "MoD", "MoI", "UN", "UNAMA", "OCHA", "ISW",
        "ISWNews", "AAN", "IANS", "ANI", "PTI", "EFE", "dpa", "NTB", "IRNA", "TOLO", "TOLOnews", "RFE", "RL",
        "AGCHO", "NATO", "US", "MP", "PD", "PCODE", "AVA", "WSJ", "NYT", "VOA", "IRIB", "ISI", "ISIS", "ISKP", "LWJ",
    }
)  # fmt: skip
PCODE_TOKEN = re.compile(r"AF\d{2}(?:\d{2})?")
_TOKEN = re.compile(r"[A-Za-z0-9*][A-Za-z0-9._*-]*[A-Za-z0-9*]|[A-Za-z0-9]")
_WORD = re.compile(r"[A-Za-z][A-Za-z’']*[A-Za-z]")
# A code such as CAP-TKR-13-1 or G-CAP-*-0708: parts joined by '-', at least one digit or '*'.
_CODE_SHAPE = re.compile(r"(?=.*[0-9*])[A-Za-z0-9*]+(?:-[A-Za-z0-9*]+)+")
_ADDRESS = re.compile(
    r"https?://\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|ir|af|ru|cn|pk|in|tv|media|news)\b\S*"
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


class DariChecker:
    """Judge Dari text against the known ids and outlet names of one data folder."""

    def __init__(self, ids: Iterable[str], names: Iterable[str]) -> None:
        """``ids``: source and claim ids; ``names``: outlet names and ids (split into words here)."""
        self.ids = frozenset(ids)
        self.prefixes = frozenset(p for i in self.ids for p in _prefixes(i))
        names = [*names, *(_CAMEL.sub(" ", n) for n in names)]  # KabulNow is written Kabul Now too
        # outlet names are matched without case: the register writes al-bilal, a note al-Bilal
        words = LATIN_NAMES | frozenset(w for n in names for w in _WORD.findall(n)) | frozenset(names)
        self.words = frozenset(w.lower() for w in words)

    def _code(self, token: str) -> bool:
        token = token.strip(".-_")
        if token in self.ids or token in self.prefixes or PCODE_TOKEN.fullmatch(token):
            return True
        return _CODE_SHAPE.fullmatch(token) is not None

    def foreign_words(self, text: str) -> list[str]:
        """The Latin words of ``text`` that are neither codes nor allowed names, in order."""
        found: list[str] = []
        for token in _TOKEN.findall(_ADDRESS.sub(" ", text)):
            if self._code(token) or token.lower() in self.words:
                continue
            found.extend(w for w in _WORD.findall(token) if w.lower() not in self.words)
        return found

    def problem(self, key: str, text: str) -> str | None:
        """Why ``text`` (the value of column ``key``) is not acceptable Dari, or None."""
        if BIDI_CONTROLS.search(text):
            return f"{key} contains invisible bidirectional control characters; delete them"
        if not ARABIC_LETTER.search(text):
            return f"{key} is not in Arabic script; write the Dari text, or leave {key} empty"
        foreign = self.foreign_words(text)
        if foreign:
            shown = ", ".join(dict.fromkeys(foreign[:6]))
            return (
                f"{key} has Latin words that are not codes or outlet names ({shown}); write them in Dari, "
                "or add a proper name to geo.dari.LATIN_NAMES after review"
            )
        return None


def _prefixes(identifier: str) -> list[str]:
    parts = identifier.split("-")
    return ["-".join(parts[:k]) for k in range(1, len(parts))]
