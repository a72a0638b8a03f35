"""The open data release: a Frictionless Data Package of the timeline, the derived control table and the boundaries.

``write_package`` writes into a folder:

- ``claims.csv``, ``sources.csv``, ``outlets.csv``: the rows of ``data/`` with every column that
  ``data/`` has (the header is copied, so columns added later are published too), cells stripped
  as validation reads them, claims sorted by (date, id), sources and outlets by id;
- ``districts.csv``: PCODE, English and Dari names, province;
- ``control.csv``: one row per district and period of unchanged (controller, confidence,
  precision), from the control index, so that the row covering a day equals ``geo state`` on it;
- ``changes.csv``: the change log (``geo.analysis.change_log``);
- ``boundaries.geojson``: the districts as the app draws them (simplified as a coverage), with
  coordinates rounded to the grid they were snapped to;
- ``README.md`` and ``datapackage.json`` (a Table Schema per CSV, keys where they hold, the
  version, the citation, the licence and credit of the boundaries, a SHA-256 per file).

Nothing depends on the clock or the machine: the same input gives the same bytes. The version is
the date of the newest claim or source publication plus a content hash of the data files.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd

from geo import settings
from geo._release_schema import (
    CHANGE_FIELDS,
    CLAIM_FIELDS,
    CONTROL_FIELDS,
    DISTRICT_FIELDS,
    OUTLET_FIELDS,
    SOURCE_FIELDS,
    table_schema,
)
from geo.analysis import change_log
from geo.outlets import OUTLETS_FILE
from geo.timeline import CLAIMS_FILE, SOURCES_FILE, Timeline

PACKAGE_NAME = "afghanistan-district-control"
TITLE = "Afghanistan district control, 2021"
DISTRICT_COLUMNS = ("pcode", "name_en", "name_da", "province_pcode", "province_en", "province_da")
CONTROL_COLUMNS = ("pcode", "start", "end", "controller", "confidence", "precision")
CHANGE_COLUMNS = ("date", "pcode", "before", "after", "confidence")
# The coordinates are snapped to settings.COORD_PRECISION (0.0001°, about 11 m) when the boundaries
# are processed; rounding to as many decimals drops float noise such as 66.12340000000001.
COORD_DECIMALS = max(0, round(-math.log10(settings.COORD_PRECISION)))
HDX_PAGE = "https://data.humdata.org/dataset/cod-ab-afg"
BOUNDARY_LICENSE = {
    "name": "AGCHO-OCHA-COD-AB",
    "title": "AGCHO 2018 boundaries via UN OCHA (COD-AB): use strictly for humanitarian purposes; "
    "credit AGCHO and OCHA wherever the map is shown",
    "path": HDX_PAGE,
}
BOUNDARY_SOURCE = {"title": settings.ATTRIBUTION, "path": HDX_PAGE}
EVIDENCE_SOURCE = {"title": "News reports, official statements and analyses listed in sources.csv, one row per page"}


def _read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    """Return a validated CSV file's header and rows, cells stripped (as ``geo._validate`` reads them)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [[cell.strip() for cell in row] for row in csv.reader(fh)]
    if not rows:
        return [], []
    header, body = rows[0], [r for r in rows[1:] if any(r)]
    return header, [r + [""] * (len(header) - len(r)) for r in body]


def _csv_bytes(header: Iterable[str], rows: Iterable[Iterable[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def release_version(timeline: Timeline) -> tuple[str, dt.date | None]:
    """The data version ``YYYY-MM-DD+hash12`` and its date (the newest claim or source publication)."""
    dates = [d for d in (timeline.end, *(s.published for s in timeline.sources.values())) if d]
    newest = max(dates) if dates else None
    return f"{_iso(newest) or 'empty'}+{timeline.version[:12]}", newest


def citation(version: str) -> str:
    """The "how to cite" text for a data version (the same words as the README's)."""
    return (
        f"{TITLE} (data version {version}), <link to the view or to this data package>. "
        "District boundaries: Afghanistan Geodesy and Cartography Head Office (AGCHO), 2018, "
        "via UN OCHA (Humanitarian Data Exchange, COD-AB)."
    )


def district_rows(districts_gdf: gpd.GeoDataFrame) -> list[list[str]]:
    """One row per district, by PCODE, with the ``DISTRICT_COLUMNS``."""
    table = districts_gdf[list(DISTRICT_COLUMNS)].fillna("").astype(str)
    return sorted(table.itertuples(index=False, name=None))


def control_rows(timeline: Timeline, pcodes: Iterable[str]) -> list[tuple[str, str, str, str, str, str]]:
    """The control table: per district, the periods of unchanged (controller, confidence, precision).

    Every district's first period starts on the timeline's first claim date (``unknown`` until
    its own first step); an empty timeline has no periods. A period ends the day before the next
    differs and the last one is open (``end`` empty).
    """
    if timeline.start is None:
        return []
    first = timeline.start
    rows = []
    for pcode in sorted(set(pcodes)):
        periods: list[list] = [[first, ("unknown", "", "")]]
        for step in timeline.index.steps.get(pcode, ()):
            key = (step.controller, step.confidence, step.precision)
            if key == periods[-1][1]:
                continue
            if step.date <= periods[-1][0]:  # a step on the first day replaces the initial unknown
                periods[-1] = [periods[-1][0], key]
            else:
                periods.append([step.date, key])
        for i, (start, key) in enumerate(periods):
            end = periods[i + 1][0] - dt.timedelta(days=1) if i + 1 < len(periods) else None
            rows.append((pcode, start.isoformat(), _iso(end), *key))
    return rows


def change_rows(timeline: Timeline, pcodes: Iterable[str]) -> list[tuple[str, str, str, str, str]]:
    """The change log as rows of ``CHANGE_COLUMNS``, by (date, PCODE)."""
    return [(e.date.isoformat(), e.pcode, e.before, e.after, e.confidence) for e in change_log(timeline, pcodes=pcodes)]


def _rounded(coords: object) -> object:
    if isinstance(coords, (tuple, list)):
        if coords and isinstance(coords[0], float | int):
            return [round(float(c), COORD_DECIMALS) for c in coords]
        return [_rounded(c) for c in coords]
    return coords


def boundaries_geojson(districts_gdf: gpd.GeoDataFrame) -> bytes:
    """The districts as a GeoJSON FeatureCollection (WGS84), by PCODE, coordinates rounded."""
    gdf = districts_gdf.to_crs(settings.CRS) if districts_gdf.crs is not None else districts_gdf
    features = []
    for rec in sorted(
        gdf[[*DISTRICT_COLUMNS[:4], "geometry"]].itertuples(index=False), key=lambda r: r.pcode
    ):  # one feature per district, its names for readers who open the file alone
        geometry = rec.geometry.__geo_interface__
        features.append(
            {
                "type": "Feature",
                "properties": {k: str(getattr(rec, k) or "") for k in DISTRICT_COLUMNS[:4]},
                "geometry": {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])},
            }
        )
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def _foreign_key(field: str, resource: str, target: str, values: Iterable[str], known: set[str]) -> list[dict]:
    """A foreign key when every non-empty value is a known key (else none: the key would not hold)."""
    if all(v in known for v in values if v):
        return [{"fields": field, "reference": {"resource": resource, "fields": target}}]
    return []


def _resource(name: str, path: str, payload: bytes, description: str, **extra: object) -> dict:
    return {
        "name": name,
        "path": path,
        "description": description,
        **extra,
        "encoding": "utf-8",
        "bytes": len(payload),
        "hash": "sha256:" + hashlib.sha256(payload).hexdigest(),
    }


def _readme(version: str, cite: str, districts: int) -> bytes:
    text = f"""# {TITLE}: open data release

Data version: {version}

The files of this folder are described in `datapackage.json` (a Frictionless Data Package: a Table
Schema for every CSV file, with types, keys and a description of every column).

- `claims.csv`, `sources.csv`, `outlets.csv`: the evidence, as the project's editors keep it.
- `districts.csv`: the {districts} districts (PCODE, English and Dari names, province).
- `control.csv`: each district's status in periods of unchanged controller, confidence and precision;
  `start` and `end` are inclusive ISO dates, `end` is empty for the current period.
- `changes.csv`: every change of a district's controller.
- `boundaries.geojson`: the district boundaries as the map draws them.

## How to cite

{cite}

## Licence of the boundaries

{settings.ATTRIBUTION} The producer's metadata limits their use to humanitarian purposes.
"""
    return text.encode("utf-8")


def write_package(out: Path, *, timeline: Timeline, districts_gdf: gpd.GeoDataFrame, data_dir: Path) -> dict:
    """Write the Frictionless package into ``out`` (a folder), return the release dict.

    The release dict is ``{"version", "citation", "license", "created"}``; the viewer shows the
    version and the citation. ``data_dir`` must be the folder ``timeline`` was loaded from.
    """
    out.mkdir(parents=True, exist_ok=True)
    version, newest = release_version(timeline)
    cite = citation(version)
    pcodes = sorted(districts_gdf["pcode"])
    known_districts = set(pcodes)
    files: dict[str, bytes] = {}
    resources: list[dict] = []

    claims_header, claims = _read_table(data_dir / CLAIMS_FILE)
    col = {c: i for i, c in enumerate(claims_header)}
    claims.sort(key=lambda r: (r[col["date"]], r[col["id"]]))
    files["claims.csv"] = _csv_bytes(claims_header, claims)
    claims_schema = table_schema(claims_header, CLAIM_FIELDS, CLAIMS_FILE) | {"primaryKey": ["id"]}
    if "district" in col:
        keys = _foreign_key("district", "districts", "pcode", (r[col["district"]] for r in claims), known_districts)
        claims_schema["foreignKeys"] = keys
    resources.append(
        _resource(
            "claims",
            "claims.csv",
            files["claims.csv"],
            "Claims about who controls a district, a province or the country on a date, each backed by sources.",
            schema=claims_schema,
        )
    )

    sources_header, sources = _read_table(data_dir / SOURCES_FILE)
    scol = {c: i for i, c in enumerate(sources_header)}
    sources.sort(key=lambda r: r[scol["id"]])
    files["sources.csv"] = _csv_bytes(sources_header, sources)
    sources_schema = table_schema(sources_header, SOURCE_FIELDS, SOURCES_FILE) | {"primaryKey": ["id"]}

    if (data_dir / OUTLETS_FILE).is_file():
        outlets_header, outlets = _read_table(data_dir / OUTLETS_FILE)
        ocol = {c: i for i, c in enumerate(outlets_header)}
        outlets.sort(key=lambda r: r[ocol["id"]])
        known_outlets = {r[ocol["id"]] for r in outlets}
        sources_schema["foreignKeys"] = [
            key
            for field in ("outlet", "original")
            if field in scol
            for key in _foreign_key(field, "outlets", "id", (r[scol[field]] for r in sources), known_outlets)
        ]
    resources.append(
        _resource(
            "sources",
            "sources.csv",
            files["sources.csv"],
            "The published pages that claims cite.",
            schema=sources_schema,
        )
    )
    if (data_dir / OUTLETS_FILE).is_file():
        files["outlets.csv"] = _csv_bytes(outlets_header, outlets)
        outlets_schema = table_schema(outlets_header, OUTLET_FIELDS, OUTLETS_FILE) | {"primaryKey": ["id"]}
        resources.append(
            _resource(
                "outlets",
                "outlets.csv",
                files["outlets.csv"],
                "The publishers of the sources, with their affiliation and Admiralty grade.",
                schema=outlets_schema,
            )
        )

    files["districts.csv"] = _csv_bytes(DISTRICT_COLUMNS, district_rows(districts_gdf))
    resources.append(
        _resource(
            "districts",
            "districts.csv",
            files["districts.csv"],
            "The districts (AGCHO 2018).",
            schema=table_schema(list(DISTRICT_COLUMNS), DISTRICT_FIELDS, "") | {"primaryKey": ["pcode"]},
            sources=[BOUNDARY_SOURCE],
            licenses=[BOUNDARY_LICENSE],
        )
    )
    district_key = [{"fields": "pcode", "reference": {"resource": "districts", "fields": "pcode"}}]
    files["control.csv"] = _csv_bytes(CONTROL_COLUMNS, control_rows(timeline, pcodes))
    resources.append(
        _resource(
            "control",
            "control.csv",
            files["control.csv"],
            "Each district's status in periods of unchanged "
            "controller, confidence and precision: the row covering a day is what `python -m geo state "
            "--date DAY` gives for the district.",
            schema=table_schema(list(CONTROL_COLUMNS), CONTROL_FIELDS, "")
            | {"primaryKey": ["pcode", "start"], "foreignKeys": district_key},
        )
    )
    files["changes.csv"] = _csv_bytes(CHANGE_COLUMNS, change_rows(timeline, pcodes))
    resources.append(
        _resource(
            "changes",
            "changes.csv",
            files["changes.csv"],
            "Every change of a district's controller "
            "(a change of confidence alone is not listed); every district starts as unknown.",
            schema=table_schema(list(CHANGE_COLUMNS), CHANGE_FIELDS, "")
            | {"primaryKey": ["date", "pcode"], "foreignKeys": district_key},
        )
    )
    files["boundaries.geojson"] = boundaries_geojson(districts_gdf)
    resources.append(
        _resource(
            "boundaries",
            "boundaries.geojson",
            files["boundaries.geojson"],
            "The district boundaries as the "
            "map draws them: simplified as a coverage (shared borders stay shared), WGS84, coordinates "
            f"rounded to {COORD_DECIMALS} decimals.",
            type="json",
            format="geojson",
            mediatype="application/geo+json",
            sources=[BOUNDARY_SOURCE],
            licenses=[BOUNDARY_LICENSE],
        )
    )
    files["README.md"] = _readme(version, cite, len(pcodes))

    created = f"{newest.isoformat()}T00:00:00Z" if newest else ""
    package = {
        "name": PACKAGE_NAME,
        "title": TITLE,
        "description": "Who controlled each of Afghanistan's 399 districts, day by day, with the claims and "
        "sources behind every status. See README.md.",
        "version": version,
        **({"created": created} if created else {}),
        "citation": cite,
        "licenses": [BOUNDARY_LICENSE],
        "sources": [BOUNDARY_SOURCE, EVIDENCE_SOURCE],
        "resources": resources,
    }
    files["datapackage.json"] = (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    for name, payload in files.items():
        (out / name).write_bytes(payload)
    return {"version": version, "citation": cite, "license": BOUNDARY_LICENSE["title"], "created": _iso(newest)}
