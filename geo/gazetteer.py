"""Resolve district and province names as reported in the news to official PCODEs.

Order of attempts for a district name (scoped to a province when one is given):

1. a PCODE such as ``AF0912``;
2. an exact match, after normalisation, on the official English name, the source's
   alternative names, or the reviewed alias table (``data/aliases.csv``);
3. a unique match on the consonant skeleton (Pol-e-Hesar and Pul-i-Hisar both give ``plhsr``),
   a transliteration variant accepted without a warning;
4. a fuzzy match (rapidfuzz) on the normalised name and on its consonant skeleton, which absorbs
   transliteration variants (Pol-e-Hesar, Puli Hisar, Pul-i-Hisar). A score of at least
   ``settings.FUZZY_ACCEPT`` is accepted and flagged as fuzzy; anything lower is refused with
   suggestions.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz

from geo import settings

PCODE_RE = re.compile(r"^AF\d{4}$")
PROVINCE_PCODE_RE = re.compile(r"^AF\d{2}$")
_CONNECTORS = {"e", "i", "wa", "o", "va", "y"}
_DROP_WORDS = {"district", "city", "province", "wuluswali", "centre", "center", "valley"}
_IGNORED_ALT_NAMES = {"centre", "center"}


# Arabic-script letters that Dari writes with another code point; fold them so either matches.
_ARABIC_FOLD = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9", "\u0629": "\u0647"})


def letter_scripts(name: str) -> dict[str, str]:
    """Return each script whose letters occur in ``name`` (LATIN, CYRILLIC, ARABIC…) with its first letter.

    The script is the first word of the letter's Unicode name, after compatibility folding, so
    full-width Latin counts as Latin and Arabic presentation forms as Arabic.
    """
    found: dict[str, str] = {}
    for ch in str(name):
        if not ch.isalpha():
            continue
        folded = unicodedata.normalize("NFKD", ch)[:1] or ch
        script = unicodedata.name(folded, "UNKNOWN").split(" ", 1)[0]
        found.setdefault(script, ch)
    return found


def mixed_script(name: str) -> str | None:
    """Return why ``name`` mixes writing systems (a look-alike letter), or None when it uses one.

    A Cyrillic 'А' in 'Аrghestan' looks Latin but is another letter; silently dropping or matching
    it could send a claim to a different district, so such names are refused, never guessed.
    """
    if str(name).isascii():  # ASCII letters are all Latin
        return None
    found = letter_scripts(name)
    if len(found) < 2:
        return None
    parts = ", ".join(f"{script.title()} {ch!r} (U+{ord(ch):04X})" for script, ch in found.items())
    return f"the name mixes writing systems ({parts}); a look-alike letter may hide here, so retype it in one script"


def normalise(name: str) -> str:
    """Lower-case, strip accents and punctuation, drop connector and filler words.

    Letters of every script are kept (so Dari aliases can match); Arabic letter variants are
    folded (Arabic yeh and kaf to their Persian forms).
    """
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().translate(_ARABIC_FOLD)
    text = re.sub(r"[\W_]+", " ", text)
    words = [w for w in text.split() if w not in _CONNECTORS and w not in _DROP_WORDS]
    return " ".join(words)


def skeleton(name: str) -> str:
    """Return the consonant skeleton of a normalised name: ``pul e hesar`` -> ``plhsr``."""
    text = normalise(name).replace(" ", "")
    if not text:
        return ""
    text = text.replace("kh", "x").replace("gh", "g").replace("q", "k").replace("w", "v")
    return text[0] + re.sub(r"[aeiouy]", "", text[1:])


@dataclass(frozen=True)
class Match:
    """A resolved district."""

    pcode: str
    name_en: str
    province_en: str
    score: float
    method: str  # "pcode", "exact", "alias", "variant" (same consonant skeleton) or "fuzzy"


@dataclass(frozen=True)
class NoMatch:
    """A name that could not be resolved, with the best suggestions (``Match`` objects)."""

    name: str
    province: str | None
    reason: str
    suggestions: tuple[Match, ...] = field(default_factory=tuple)

    def describe(self) -> str:
        """Return a one-line explanation with 'did you mean' suggestions."""
        where = f" in {self.province}" if self.province else ""
        text = f"unknown district {self.name!r}{where}: {self.reason}"
        if self.suggestions:
            opts = ", ".join(f"{m.name_en} ({m.pcode}, {m.province_en})" for m in self.suggestions)
            text += f"; did you mean {opts}?"
        return text


class Gazetteer:
    """Name → PCODE look-ups over one district table plus a reviewed alias table."""

    def __init__(self, districts: pd.DataFrame, aliases: Iterable[dict[str, str]] = ()) -> None:
        """Build the indexes from a table with pcode, name_en, province_pcode, province_en columns."""
        cols = ["pcode", "name_en", "province_pcode", "province_en"]
        self._rows = {r.pcode: r for r in districts[cols].itertuples(index=False)}
        self._provinces: dict[str, str] = dict(zip(districts["province_pcode"], districts["province_en"], strict=True))
        self._province_keys: dict[str, set[str]] = {}
        for pcode, name in self._provinces.items():
            self._add(self._province_keys, name, pcode)
        self._keys: dict[str, set[str]] = {}
        self._alias_keys: dict[str, set[str]] = {}
        self._skeletons: dict[str, set[str]] = {}
        for row in districts.itertuples(index=False):
            self._add(self._keys, row.name_en, row.pcode)
            for alt in (getattr(row, "alt1_en", None), getattr(row, "alt2_en", None)):
                if isinstance(alt, str) and alt.strip() and normalise(alt) not in _IGNORED_ALT_NAMES:
                    self._add(self._alias_keys, alt, row.pcode)
        for alias in aliases:
            target = alias["pcode"].strip()
            if alias.get("kind", "district").strip() == "province":
                if target in self._provinces:
                    self._add(self._province_keys, alias["alias"], target)
            elif target in self._rows:
                self._add(self._alias_keys, alias["alias"], target)
        for index in (self._keys, self._alias_keys):
            for key, pcodes in index.items():
                self._skeletons.setdefault(skeleton(key), set()).update(pcodes)
        self._memo: dict[tuple[str, str | None], Match | NoMatch] = {}

    @staticmethod
    def _add(index: dict[str, set[str]], name: str, pcode: str) -> None:
        key = normalise(name)
        if key:
            index.setdefault(key, set()).add(pcode)

    @property
    def pcodes(self) -> list[str]:
        """Every district PCODE, sorted."""
        return sorted(self._rows)

    def districts_of(self, province_pcode: str) -> list[str]:
        """Every district PCODE of one province, sorted."""
        return sorted(p for p, row in self._rows.items() if row.province_pcode == province_pcode)

    def match_for(self, pcode: str, *, score: float = 100.0, method: str = "pcode") -> Match:
        """Return the Match for a known PCODE."""
        row = self._rows[pcode]
        return Match(pcode, row.name_en, row.province_en, score, method)

    def province_options(self, text: str, *, limit: int = 3) -> list[tuple[str, str]]:
        """The provinces closest to ``text`` (a name or a PCODE) as (PCODE, name), for a "did you mean"."""
        norm, upper = normalise(text), str(text).strip().upper()
        scored = sorted(
            (-max(fuzz.ratio(upper, pcode), fuzz.ratio(norm, normalise(name))), pcode, name)
            for pcode, name in self._provinces.items()
        )
        return [(pcode, name) for _, pcode, name in scored[:limit]]

    @property
    def province_range(self) -> tuple[str, str]:
        """The lowest and highest province PCODE (``AF01``, ``AF34``)."""
        return min(self._provinces), max(self._provinces)

    def resolve_province(self, name: str) -> str | None:
        """Return the province PCODE for a name or PCODE in any common spelling, else None."""
        text = str(name).strip()
        if PROVINCE_PCODE_RE.match(text.upper()):
            return text.upper() if text.upper() in self._provinces else None
        hits = self._province_keys.get(normalise(text), set())
        if len(hits) == 1:
            return next(iter(hits))
        best, best_score = None, 0.0
        for key, pcodes in self._province_keys.items():
            score = max(fuzz.ratio(normalise(text), key), fuzz.ratio(skeleton(text), skeleton(key)))
            if score > best_score and len(pcodes) == 1:
                best, best_score = next(iter(pcodes)), score
        return best if best_score >= settings.FUZZY_ACCEPT else None

    def resolve(self, name: str, province: str | None = None) -> Match | NoMatch:
        """Resolve a reported district name (optionally within a province) to a Match or NoMatch.

        Results are remembered per (name, province): a timeline names the same few hundred
        districts over and over, so a large file costs one dictionary look-up per row.
        """
        key = (name, province)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._resolve(name, province)
        return found

    def _resolve(self, name: str, province: str | None = None) -> Match | NoMatch:
        text = str(name).strip()
        for value, what in ((text, "name"), (str(province or ""), "province")):
            if (why := mixed_script(value)) is not None:
                return NoMatch(text, province, why if what == "name" else f"the province {why.removeprefix('the ')}")
        province_pcode = None
        if province and str(province).strip():
            province_pcode = self.resolve_province(province)
            if province_pcode is None:
                return NoMatch(text, province, f"unknown province {province!r}")
        if PCODE_RE.match(text.upper()):
            pcode = text.upper()
            if pcode not in self._rows:
                return NoMatch(text, province, "no district has this PCODE")
            if province_pcode and self._rows[pcode].province_pcode != province_pcode:
                return NoMatch(text, province, f"{pcode} is in {self._rows[pcode].province_en}")
            return self.match_for(pcode)

        def in_scope(pcodes: set[str]) -> set[str]:
            if province_pcode is None:
                return pcodes
            return {p for p in pcodes if self._rows[p].province_pcode == province_pcode}

        if "/" in text:
            return self._resolve_variants(text, province)
        key = normalise(text)
        if not key:
            return NoMatch(text, province, "the name is empty")
        for index, method in ((self._keys, "exact"), (self._alias_keys, "alias")):
            hits = in_scope(index.get(key, set()))
            if len(hits) == 1:
                return self.match_for(next(iter(hits)), method=method)
            if len(hits) > 1:
                options = tuple(self.match_for(p, method=method) for p in sorted(hits))
                return NoMatch(text, province, "the name occurs in several provinces; give the province", options)
        hits = in_scope(self._skeletons.get(skeleton(text), set()))
        if len(hits) == 1:
            return self.match_for(next(iter(hits)), score=99.0, method="variant")
        ranked = self._rank(text, province_pcode)
        if ranked and ranked[0].score >= settings.FUZZY_ACCEPT:
            top = ranked[0]
            ties = [m for m in ranked if m.score == top.score and m.pcode != top.pcode]
            if not ties:
                return top
            return NoMatch(text, province, "several districts match equally well; give the province", tuple(ranked[:3]))
        suggestions = tuple(m for m in ranked[:3] if m.score >= settings.FUZZY_SUGGEST)
        return NoMatch(text, province, "no close match", suggestions)

    def _resolve_variants(self, text: str, province: str | None) -> Match | NoMatch:
        """Resolve "Khenj / Hinj / Khinj": every part that resolves must name the same district."""
        parts = [p.strip() for p in text.split("/") if p.strip()]
        found = [r for r in (self.resolve(p, province) for p in parts) if isinstance(r, Match)]
        pcodes = {m.pcode for m in found}
        if len(pcodes) == 1:
            return min(found, key=lambda m: -m.score)
        if not pcodes:
            return NoMatch(text, province, "none of the spellings matches a district")
        options = tuple(self.match_for(p, method="fuzzy") for p in sorted(pcodes))
        return NoMatch(text, province, "the spellings name different districts", options)

    def _rank(self, text: str, province_pcode: str | None) -> list[Match]:
        norm, skel = normalise(text), skeleton(text)
        best: dict[str, float] = {}
        for index in (self._keys, self._alias_keys):
            for key, pcodes in index.items():
                score = max(fuzz.ratio(norm, key), fuzz.ratio(skel, skeleton(key)) - 2)
                for pcode in pcodes:
                    if province_pcode and self._rows[pcode].province_pcode != province_pcode:
                        continue
                    if score > best.get(pcode, -1):
                        best[pcode] = score
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
        return [self.match_for(p, score=round(s, 1), method="fuzzy") for p, s in ranked]


ALIAS_COLUMNS = ("kind", "alias", "province", "pcode", "note")


def read_aliases(path: Path) -> list[dict[str, str]]:
    """Read the reviewed alias table; a missing file means no aliases."""
    if not path.is_file():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [dict(row) for row in csv.DictReader(fh)]
