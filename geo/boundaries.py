"""Official AGCHO 2018 boundaries: locate, verify SHA-256, read, simplify as a coverage, cache.

Look-up order for each zip (``settings.BOUNDARY_FILES``):

1. the folder named by ``$CONTROLMAP_BOUNDARIES_DIR``;
2. the project's cache (``<cache>/boundaries/``);
3. the pinned public download (``settings.BOUNDARY_URL_TEMPLATE``), saved into the cache.

Every zip is checked against its pinned SHA-256 each time it is used. The processed layers are
cached as GeoParquet, keyed by the zip's checksum and the processing settings, and written
atomically so a killed write never leaves a file that looks finished.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import shapely

from geo import settings
from geo._download import download_file
from geo.errors import BoundaryError

LOG = logging.getLogger(__name__)
CACHE_VERSION = 1

Progress = Callable[[int, int | None], None]

DISTRICT_COLUMNS = {
    "ADM2_PCODE": "pcode",
    "ADM2_EN": "name_en",
    "ADM2_DA": "name_da",
    "ADM1_PCODE": "province_pcode",
    "ADM1_EN": "province_en",
    "ADM1_DA": "province_da",
    "ADM2ALT1EN": "alt1_en",
    "ADM2ALT2EN": "alt2_en",
}
PROVINCE_COLUMNS = {"ADM1_PCODE": "province_pcode", "ADM1_EN": "province_en", "ADM1_DA": "province_da"}


def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_sha256(path: Path, expected: str) -> None:
    """Raise BoundaryError naming the file and both checksums unless ``path`` matches."""
    actual = sha256_file(path)
    if actual != expected:
        raise BoundaryError(
            f"Checksum mismatch for {path}:\n  expected SHA-256 {expected}\n  actual   SHA-256 {actual}\n"
            "The file is corrupt, truncated or not the official AGCHO 2018 release. "
            "Replace it with the official file (see shared/boundaries/SOURCE.md), or delete it "
            "if it is in the cache so that it is downloaded again."
        )


def usable_cache_dir(preferred: Path | None = None) -> Path:
    """Return a writable cache folder: ``preferred`` (default: settings) or a temp fallback.

    A read-only cache folder must not stop the app, so this falls back to a per-user
    folder under the system temp directory and logs why.
    """
    target = preferred if preferred is not None else settings.cache_dir()
    for candidate in (target, Path(tempfile.gettempdir()) / f"controlmap-cache-{os.getuid()}"):
        try:
            candidate.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=candidate, prefix=".probe-"):
                pass
            if candidate != target:
                LOG.warning("cache folder %s is not writable; using %s instead", target, candidate)
            return candidate
        except OSError:
            continue
    raise BoundaryError(
        f"No writable cache folder: {target} and the temp fallback both failed. "
        f"Set {settings.ENV_CACHE_DIR} to a writable folder."
    )


def locate_boundary_zip(
    layer: str,
    *,
    config_dir: Path | None,
    cache_dir: Path,
    allow_download: bool = True,
    progress: Progress | None = None,
) -> Path:
    """Return a verified local path to one boundary zip, downloading it if needed.

    ``layer`` is ``adm0``, ``adm1`` or ``adm2``. A file that exists but fails its checksum is
    refused (never silently replaced), except in the cache, where it is re-downloaded.
    """
    name, expected = settings.BOUNDARY_FILES[layer]
    if config_dir is not None:
        candidate = config_dir / name
        if candidate.is_file():
            verify_sha256(candidate, expected)
            return candidate
        LOG.warning("%s is not in %s=%s; trying the cache", name, settings.ENV_BOUNDARIES_DIR, config_dir)
    cached = cache_dir / "boundaries" / name
    if cached.is_file():
        try:
            verify_sha256(cached, expected)
            return cached
        except BoundaryError:
            LOG.warning("cached %s failed its checksum; fetching it again", cached)
            cached.unlink(missing_ok=True)
    url = settings.BOUNDARY_URL_TEMPLATE.format(name=name)
    if cached.parent.is_dir():
        remove_stale_temps(cached.parent)  # downloads killed midway (atomic, so never read)
    if not allow_download:
        raise BoundaryError(_not_found_message(name, config_dir, cached, "downloading is turned off"))
    try:
        download_file(url, cached, expected_sha256=expected, progress=progress)
    except OSError as exc:
        raise BoundaryError(_not_found_message(name, config_dir, cached, f"download failed: {exc}")) from exc
    return cached


def _not_found_message(name: str, config_dir: Path | None, cached: Path, why: str) -> str:
    where = f"{settings.ENV_BOUNDARIES_DIR}={config_dir}" if config_dir else f"{settings.ENV_BOUNDARIES_DIR} (unset)"
    return (
        f"Boundary file {name} not found: not in {where}, not in the cache ({cached}), and {why}.\n"
        f"Fix: download the AGCHO 2018 zips (see shared/boundaries/SOURCE.md) into a folder and run\n"
        f"  export {settings.ENV_BOUNDARIES_DIR}=/path/to/that/folder\n"
        f"(in this repo's layout: export {settings.ENV_BOUNDARIES_DIR}=../shared/boundaries)."
    )


def _read_zip(path: Path, columns: dict[str, str], expected_rows: int) -> gpd.GeoDataFrame:
    gdf = None
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
        gdf = None if bad else gpd.read_file(f"zip://{path}")
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:
        bad = str(exc)
    if gdf is None:
        raise BoundaryError(f"Cannot read {path} as a zipped shapefile ({bad}). Replace it with the official file.")
    missing = sorted(set(columns) - set(gdf.columns))
    if missing or len(gdf) != expected_rows:
        raise BoundaryError(
            f"{path} does not look like the AGCHO 2018 layer: {len(gdf)} features "
            f"(expected {expected_rows}), missing fields {missing or 'none'}."
        )
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        gdf = gdf.set_crs(settings.CRS, allow_override=True) if gdf.crs is None else gdf.to_crs(settings.CRS)
    out = gdf[list(columns)].rename(columns=columns)
    return gpd.GeoDataFrame(out, geometry=gdf.geometry.values, crs=settings.CRS)


def simplify_coverage(gdf: gpd.GeoDataFrame, *, tolerance: float, precision: float) -> gpd.GeoDataFrame:
    """Simplify polygons as a coverage so neighbours keep identical shared borders.

    Also snaps coordinates to a ``precision`` grid (smaller map payload). Adds ``area_km2``,
    computed from the unsimplified geometry in the equal-area ``settings.AREA_CRS``.
    """
    out = gdf.copy()
    out["area_km2"] = gdf.geometry.to_crs(settings.AREA_CRS).area.to_numpy() / 1e6
    geoms = shapely.coverage_simplify(gdf.geometry.values, tolerance)
    if precision > 0:
        geoms = shapely.set_precision(geoms, precision)
    out = out.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs))
    return out


def _cache_key(zip_sha: str) -> str:
    params = json.dumps([CACHE_VERSION, settings.SIMPLIFY_TOLERANCE, settings.COORD_PRECISION], separators=(",", ":"))
    return f"{zip_sha[:16]}-{hashlib.sha256(params.encode()).hexdigest()[:8]}"


def _read_cached(path: Path, expected_rows: int) -> gpd.GeoDataFrame | None:
    if not path.is_file():
        return None
    try:
        gdf = gpd.read_parquet(path)
        if len(gdf) == expected_rows and gdf.geometry.notna().all():
            return gdf
        LOG.warning("cache file %s has %d rows, expected %d; rebuilding", path, len(gdf), expected_rows)
    except Exception as exc:  # noqa: BLE001 - any unreadable cache file is rebuilt, never served
        LOG.warning("cache file %s is unreadable (%s); rebuilding", path, exc)
    path.unlink(missing_ok=True)
    return None


STALE_TEMP_SECONDS = 600


def remove_stale_temps(folder: Path, *, older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Delete temp files left in ``folder`` by writes that were killed midway; return them.

    Such a file never has the final name, so it is never read; this only reclaims the space.
    Files younger than ``older_than`` seconds may belong to a write still running elsewhere.
    """
    removed = []
    now = time.time()
    for tmp in [*folder.glob(".*.tmp"), *folder.glob(".*.part")]:
        try:
            if now - tmp.stat().st_mtime > older_than:
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            continue
    if removed:
        LOG.warning("removed %d unfinished cache file(s) from %s", len(removed), folder)
    return removed


def write_atomic(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Write GeoParquet to a temp file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        gdf.to_parquet(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _load_layer(
    layer: str,
    columns: dict[str, str],
    expected_rows: int,
    *,
    config_dir: Path | None,
    cache_dir: Path | None,
    allow_download: bool | None,
    progress: Progress | None,
) -> gpd.GeoDataFrame:
    cache = usable_cache_dir(cache_dir)
    zip_path = locate_boundary_zip(
        layer,
        config_dir=config_dir if config_dir is not None else settings.boundaries_dir(),
        cache_dir=cache,
        allow_download=(not settings.offline()) if allow_download is None else allow_download,
        progress=progress,
    )
    _, expected_sha = settings.BOUNDARY_FILES[layer]
    parquet = cache / "processed" / f"{layer}-{_cache_key(expected_sha)}.parquet"
    cached = _read_cached(parquet, expected_rows)
    if cached is not None:
        return cached
    remove_stale_temps(parquet.parent)
    raw = _read_zip(zip_path, columns, expected_rows)
    processed = simplify_coverage(raw, tolerance=settings.SIMPLIFY_TOLERANCE, precision=settings.COORD_PRECISION)
    processed = processed.sort_values(processed.columns[0]).reset_index(drop=True)
    try:
        write_atomic(processed, parquet)
    except OSError as exc:
        LOG.warning("could not write cache %s (%s); continuing without it", parquet, exc)
    return processed


def load_districts(
    *,
    config_dir: Path | None = None,
    cache_dir: Path | None = None,
    allow_download: bool | None = None,
    progress: Progress | None = None,
) -> gpd.GeoDataFrame:
    """Return the 399 districts, simplified, sorted by PCODE, with ``area_km2``.

    Columns: pcode, name_en, name_da, province_pcode, province_en, province_da, alt1_en,
    alt2_en (alternative names from the source, may be empty), area_km2, geometry (EPSG:4326).
    """
    return _load_layer(
        "adm2",
        DISTRICT_COLUMNS,
        settings.EXPECTED_DISTRICTS,
        config_dir=config_dir,
        cache_dir=cache_dir,
        allow_download=allow_download,
        progress=progress,
    )


def load_provinces(
    *,
    config_dir: Path | None = None,
    cache_dir: Path | None = None,
    allow_download: bool | None = None,
    progress: Progress | None = None,
) -> gpd.GeoDataFrame:
    """Return the 34 provinces, simplified, sorted by PCODE."""
    return _load_layer(
        "adm1",
        PROVINCE_COLUMNS,
        settings.EXPECTED_PROVINCES,
        config_dir=config_dir,
        cache_dir=cache_dir,
        allow_download=allow_download,
        progress=progress,
    )
