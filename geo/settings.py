"""Typed constants for the whole project: pinned data, CRS, vocabulary, colours, env names.

Defaults (each can be read here; the environment variables override the folders):

- ``BOUNDARY_FILES``: the three AGCHO 2018 zips (adm0, adm1, adm2) with their pinned SHA-256.
- ``BOUNDARY_URL_TEMPLATE``: the public, byte-identical copy named in shared/boundaries/SOURCE.md.
- ``ENV_BOUNDARIES_DIR`` = ``CONTROLMAP_BOUNDARIES_DIR``: a local folder holding the zips.
- ``ENV_CACHE_DIR`` = ``CONTROLMAP_CACHE_DIR``: the project's cache (default
  ``$XDG_CACHE_HOME/controlmap`` or ``~/.cache/controlmap``).
- ``ENV_DATA_DIR`` = ``CONTROLMAP_DATA_DIR``: the timeline folder (default ``data/`` in the repo).
- ``ENV_OFFLINE`` = ``CONTROLMAP_OFFLINE``: set to ``1`` to forbid the boundary download.
- ``CRS`` = EPSG:4326 (the boundary files' CRS); ``AREA_CRS`` = an Albers equal-area
  projection centred on Afghanistan, for km².
- ``SIMPLIFY_TOLERANCE`` = 0.005 degrees (about 500 m) for the coverage simplification;
  ``COORD_PRECISION`` = 0.0001 degrees for the map's coordinates.
- ``DISPUTE_WINDOW_DAYS`` = 7: opposing claims this close together make a status disputed.
- ``EARLIEST_DATE`` = 2001-01-01: the earliest date accepted anywhere (data, CLI, share links);
  the latest is today.
- ``CONTROLLERS``, ``CLAIMANTS``, ``STANCES``, ``CONFIDENCES``, ``SOURCE_KINDS``: vocabularies.
- ``PARTY_STATES`` = US, GB, DE, IT, TR: states party to the fighting, whose state media are
  not capped at "claimed"; ``STATE_ADJECTIVES`` names state media (``state:RU`` → Russian). An
  outlet ``aligned:XX`` (not a state's media but tied to its influence operations or following
  its line) is weighed exactly like ``state:XX``.
- ``SCOPES`` = district, capitals, province, country: what one claim may cover, narrowest first
  (``capitals``: the 34 provincial-centre districts of ``PROVINCE_CAPITALS``).
- ``PROVINCE_CAPITALS``: each province's centre district (PCODE) and the capital's common name.
- ``CONTROLLER_COLOURS``: fill colour for each controller.
- ``CHART_MAX_ROWS`` = 200: the most days the control-over-time chart draws (longer series are
  thinned to the state at the end of equal slices of days; the browser draws them in well under
  a second).
- ``FUZZY_ACCEPT`` = 90 and ``FUZZY_SUGGEST`` = 60: rapidfuzz scores (0–100) above which a
  reported name is accepted (with a warning) or offered as a suggestion.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Final

PACKAGE_DIR: Final = Path(__file__).resolve().parent
REPO_DIR: Final = PACKAGE_DIR.parent
DEFAULT_DATA_DIR: Final = REPO_DIR / "data"

ENV_BOUNDARIES_DIR: Final = "CONTROLMAP_BOUNDARIES_DIR"
ENV_CACHE_DIR: Final = "CONTROLMAP_CACHE_DIR"
ENV_DATA_DIR: Final = "CONTROLMAP_DATA_DIR"
ENV_OFFLINE: Final = "CONTROLMAP_OFFLINE"

# layer -> (official file name, pinned SHA-256)
BOUNDARY_FILES: Final[dict[str, tuple[str, str]]] = {
    "adm0": (
        "afg_admbnda_adm0_agcho_20180522.zip",
        "bc28171a27d940fd402695e7a492a2c8e0468c67b572382f02552c389d787022",
    ),
    "adm1": (
        "afg_admbnda_adm1_agcho_20180522.zip",
        "04a5c5e524f9b83b458007b73b4c3e13e64831ea5a7027ad0adae46e8502889b",
    ),
    "adm2": (
        "afg_admbnda_adm2_agcho_20180522.zip",
        "783feade31a8e8b450d7c439446a935b34eb4ee8fc24fd0e182dfc5943b3abd3",
    ),
}
BOUNDARY_URL_TEMPLATE: Final = (
    "https://github.com/colincookman/afghanistan_presidential_election_2019/raw/"
    "17d965e75761b41113bcd49591f049a93b6e6ac6/district_data/boundaries/{name}"
)
DOWNLOAD_TIMEOUT_S: Final = 30.0
EXPECTED_DISTRICTS: Final = 399
EXPECTED_PROVINCES: Final = 34

CRS: Final = "EPSG:4326"
AREA_CRS: Final = "+proj=aea +lat_1=30 +lat_2=37 +lat_0=34 +lon_0=67 +datum=WGS84 +units=m"
SIMPLIFY_TOLERANCE: Final = 0.005
COORD_PRECISION: Final = 0.0001
MAP_CENTER: Final = (34.0, 66.0)
MAP_ZOOM: Final = 6

CONTROLLERS: Final = ("taliban", "resistance", "government", "contested", "unknown")
CLAIMANTS: Final = ("taliban", "resistance", "government", "independent")
STANCES: Final = ("asserts", "denies")
CONFIDENCES: Final = ("confirmed", "claimed", "disputed")
SOURCE_KINDS: Final = ("wire", "newspaper", "broadcaster", "online", "official", "social", "ngo")
DISPUTE_WINDOW_DAYS: Final = 7
# Claims, publication dates, the CLI and share links must fall in [EARLIEST_DATE, today]. The
# Islamic Republic era starts late 2001; a year like 1021 or 0001 is a typo, and would overflow
# date arithmetic or the slider's bounds.
EARLIEST_DATE: Final = dt.date(2001, 1, 1)

# States whose forces were party to the fighting in 2021 (the US and Resolute Support's framework
# nations). Their state media can stand beside other evidence; state media of any other state
# alone leaves a status at most "claimed".
PARTY_STATES: Final = frozenset({"US", "GB", "DE", "IT", "TR"})
STATE_ADJECTIVES: Final[dict[str, str]] = {
    "RU": "Russian", "IR": "Iranian", "CN": "Chinese", "TR": "Turkish", "PK": "Pakistani", "US": "US",
    "QA": "Qatari", "IN": "Indian", "GB": "British", "AE": "Emirati", "SA": "Saudi", "DE": "German",
    "FR": "French", "UZ": "Uzbek", "TJ": "Tajik", "TM": "Turkmen", "KZ": "Kazakh", "AF": "Afghan",
}  # fmt: skip
# Country names for "aligned with Russia" (an ``aligned:XX`` outlet).
STATE_NAMES: Final[dict[str, str]] = {
    "RU": "Russia", "IR": "Iran", "CN": "China", "TR": "Turkey", "PK": "Pakistan", "US": "the United States",
    "QA": "Qatar", "IN": "India", "GB": "the United Kingdom", "AE": "the United Arab Emirates",
    "SA": "Saudi Arabia", "DE": "Germany", "FR": "France", "UZ": "Uzbekistan", "TJ": "Tajikistan",
    "TM": "Turkmenistan", "KZ": "Kazakhstan", "AF": "Afghanistan",
}  # fmt: skip
SCOPES: Final = ("district", "capitals", "province", "country")
# Each province's centre: a reviewed, hand-made table (province PCODE -> district PCODE, capital). In the
# AGCHO 2018 coding the centre is the province's first district (XX01); tests/test_capitals.py checks
# every row against the boundary layer. A "capitals" claim covers these 34 districts.
PROVINCE_CAPITALS: Final[dict[str, tuple[str, str]]] = {
    "AF01": ("AF0101", "Kabul"), "AF02": ("AF0201", "Mahmud-e Raqi"), "AF03": ("AF0301", "Charikar"),
    "AF04": ("AF0401", "Maidan Shahr"), "AF05": ("AF0501", "Pul-e Alam"), "AF06": ("AF0601", "Jalalabad"),
    "AF07": ("AF0701", "Mehtarlam"), "AF08": ("AF0801", "Bazarak"), "AF09": ("AF0901", "Pul-e Khumri"),
    "AF10": ("AF1001", "Bamyan"), "AF11": ("AF1101", "Ghazni"), "AF12": ("AF1201", "Sharana"),
    "AF13": ("AF1301", "Gardez"), "AF14": ("AF1401", "Khost"), "AF15": ("AF1501", "Asadabad"),
    "AF16": ("AF1601", "Parun"), "AF17": ("AF1701", "Faizabad"), "AF18": ("AF1801", "Taloqan"),
    "AF19": ("AF1901", "Kunduz"), "AF20": ("AF2001", "Aybak"), "AF21": ("AF2101", "Mazar-e Sharif"),
    "AF22": ("AF2201", "Sar-e Pul"), "AF23": ("AF2301", "Chaghcharan"), "AF24": ("AF2401", "Nili"),
    "AF25": ("AF2501", "Tarinkot"), "AF26": ("AF2601", "Qalat"), "AF27": ("AF2701", "Kandahar"),
    "AF28": ("AF2801", "Sheberghan"), "AF29": ("AF2901", "Maymana"), "AF30": ("AF3001", "Lashkar Gah"),
    "AF31": ("AF3101", "Qala-e Naw"), "AF32": ("AF3201", "Herat"), "AF33": ("AF3301", "Farah"),
    "AF34": ("AF3401", "Zaranj"),
}  # fmt: skip
CAPITAL_DISTRICTS: Final = frozenset(pcode for pcode, _ in PROVINCE_CAPITALS.values())

CONTROLLER_COLOURS: Final[dict[str, str]] = {
    "taliban": "#b03a2e",
    "resistance": "#1f77b4",
    "government": "#2e8b57",
    "contested": "#e6a700",
    "unknown": "#bdbdbd",
}
CONTROLLER_LABELS: Final[dict[str, str]] = {
    "taliban": "Taliban",
    "resistance": "Resistance (NRF / local uprising)",
    "government": "Islamic Republic government",
    "contested": "Contested",
    "unknown": "Unknown / no evidence",
}

CHART_MAX_ROWS: Final = 200
FUZZY_ACCEPT: Final = 90
FUZZY_SUGGEST: Final = 60

ATTRIBUTION: Final = (
    "Boundaries: Afghanistan Geodesy and Cartography Head Office (AGCHO), 2018, "
    "via UN OCHA (Humanitarian Data Exchange, COD-AB); for humanitarian use."
)


def data_dir() -> Path:
    """Return the timeline folder: ``$CONTROLMAP_DATA_DIR`` or the repo's ``data/``."""
    value = os.environ.get(ENV_DATA_DIR, "").strip()
    return Path(value).expanduser() if value else DEFAULT_DATA_DIR


def cache_dir() -> Path:
    """Return the configured cache folder (it may not exist or be writable yet)."""
    value = os.environ.get(ENV_CACHE_DIR, "").strip()
    if value:
        return Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "controlmap"


def boundaries_dir() -> Path | None:
    """Return ``$CONTROLMAP_BOUNDARIES_DIR`` as a path, or None when unset."""
    value = os.environ.get(ENV_BOUNDARIES_DIR, "").strip()
    return Path(value).expanduser() if value else None


def offline() -> bool:
    """Return True when ``$CONTROLMAP_OFFLINE`` forbids downloading boundaries."""
    return os.environ.get(ENV_OFFLINE, "").strip().lower() in {"1", "true", "yes"}
