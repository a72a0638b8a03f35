import hashlib
import http.server
import os
import subprocess
import sys
import threading

import geopandas as gpd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import Polygon

from geo import boundaries, settings
from geo.errors import BoundaryError
from tests.conftest import REPO, shared_boundaries

ADM2 = settings.BOUNDARY_FILES["adm2"][0]


def test_coverage_simplify_keeps_shared_borders():
    # Two neighbours sharing a wiggly border: simplification must move it for both alike.
    wiggle = [(1 + 0.01 * (i % 2), i / 10) for i in range(11)]
    left = Polygon([(0, 0), *wiggle, (0, 1)])
    right = Polygon([(2, 0), (2, 1), *reversed(wiggle)])
    gdf = gpd.GeoDataFrame({"pcode": ["AF0001", "AF0002"]}, geometry=[left, right], crs="EPSG:4326")
    out = boundaries.simplify_coverage(gdf, tolerance=0.05, precision=0.0001)
    a, b = out.geometry
    assert shapely.get_num_coordinates(a) < shapely.get_num_coordinates(left)
    assert a.intersection(b).area == pytest.approx(0, abs=1e-12)  # no overlap
    assert a.union(b).area == pytest.approx(left.area + right.area, rel=1e-3)  # no gap
    # Near the equator one square degree is about 12,364 km² (R² · π/180 · sin 1°).
    assert out["area_km2"].iloc[0] == pytest.approx(left.area * 12_364, rel=0.01)
    assert out.crs == gdf.crs


def test_checksum_mismatch_names_file_and_both_checksums(tmp_path):
    bad = tmp_path / ADM2
    bad.write_bytes(b"not a zip")
    with pytest.raises(BoundaryError) as info:
        boundaries.locate_boundary_zip("adm2", config_dir=tmp_path, cache_dir=tmp_path / "c", allow_download=False)
    text = str(info.value)
    assert str(bad) in text
    assert settings.BOUNDARY_FILES["adm2"][1] in text
    assert hashlib.sha256(b"not a zip").hexdigest() in text


def test_nothing_found_says_how_to_configure(tmp_path):
    with pytest.raises(BoundaryError) as info:
        boundaries.locate_boundary_zip("adm2", config_dir=None, cache_dir=tmp_path, allow_download=False)
    assert f"export {settings.ENV_BOUNDARIES_DIR}=" in str(info.value)


class _Server:
    def __init__(self, payload: bytes, *, truncate: bool = False) -> None:
        body = payload

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if truncate else body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/{{name}}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_download_verifies_and_lands_atomically(tmp_path, monkeypatch):
    payload = (shared_boundaries() / ADM2).read_bytes()
    seen = []
    with _Server(payload) as server:
        monkeypatch.setattr(settings, "BOUNDARY_URL_TEMPLATE", server.url)
        path = boundaries.locate_boundary_zip(
            "adm2", config_dir=None, cache_dir=tmp_path, progress=lambda d, t: seen.append((d, t))
        )
    assert path == tmp_path / "boundaries" / ADM2
    assert boundaries.sha256_file(path) == settings.BOUNDARY_FILES["adm2"][1]
    assert seen[-1] == (len(payload), len(payload))
    assert [p.name for p in path.parent.iterdir()] == [ADM2]


def test_wrong_or_interrupted_download_keeps_nothing(tmp_path, monkeypatch):
    with _Server(b"x" * 5000) as server:
        monkeypatch.setattr(settings, "BOUNDARY_URL_TEMPLATE", server.url)
        with pytest.raises(BoundaryError, match="Checksum mismatch"):
            boundaries.locate_boundary_zip("adm2", config_dir=None, cache_dir=tmp_path)
    payload = (shared_boundaries() / ADM2).read_bytes()
    with _Server(payload, truncate=True) as server:
        monkeypatch.setattr(settings, "BOUNDARY_URL_TEMPLATE", server.url)
        with pytest.raises(BoundaryError, match="download failed"):
            boundaries.locate_boundary_zip("adm2", config_dir=None, cache_dir=tmp_path)
    assert list((tmp_path / "boundaries").iterdir()) == []


def test_real_districts_load_and_truncated_cache_is_rebuilt(tmp_path):
    gdf = boundaries.load_districts(config_dir=shared_boundaries(), cache_dir=tmp_path, allow_download=False)
    assert len(gdf) == 399 and gdf["pcode"].is_unique and gdf["pcode"].is_monotonic_increasing
    assert gdf.crs.to_epsg() == 4326 and shapely.is_valid(gdf.geometry.values).all()
    assert gdf.loc[gdf.pcode == "AF0912", "name_en"].item() == "Pul-e-Hisar"
    assert 640_000 < gdf["area_km2"].sum() < 660_000  # Afghanistan is about 652,000 km²
    (cached,) = (tmp_path / "processed").glob("adm2-*.parquet")
    cached.write_bytes(cached.read_bytes()[:1000])
    again = boundaries.load_districts(config_dir=shared_boundaries(), cache_dir=tmp_path, allow_download=False)
    assert_geodataframe_equal(again, gdf)
    assert cached.stat().st_size > 1000


def test_unwritable_cache_folder_falls_back_to_a_temp_folder(tmp_path):
    # A path below a regular file can never be created, whoever runs the test (root ignores chmod).
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file")
    chosen = boundaries.usable_cache_dir(blocker / "cache")
    assert chosen != blocker / "cache" and chosen.is_dir() and os.access(chosen, os.W_OK)
    gdf = boundaries.load_districts(config_dir=shared_boundaries(), cache_dir=blocker / "cache", allow_download=False)
    assert len(gdf) == 399


KILLED_WRITE = """
import os, signal, sys
import geopandas as gpd
from pathlib import Path
from geo import boundaries

def killed(self, path, *args, **kwargs):
    Path(path).write_bytes(b"PAR1 half a parquet file")  # some bytes reach the temp file ...
    os.kill(os.getpid(), signal.SIGKILL)  # ... then the process dies mid-write

gpd.GeoDataFrame.to_parquet = killed
boundaries.load_districts(config_dir=Path(sys.argv[1]), cache_dir=Path(sys.argv[2]), allow_download=False)
"""


def test_cache_write_killed_midway_is_never_served_and_is_rebuilt(tmp_path):
    run = subprocess.run(
        [sys.executable, "-c", KILLED_WRITE, str(shared_boundaries()), str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    assert run.returncode == -9, run.stderr  # really killed by SIGKILL
    processed = tmp_path / "processed"
    leftovers = list(processed.glob(".*.tmp"))
    assert len(leftovers) == 1 and list(processed.glob("*.parquet")) == []  # only a temp name, never the real one
    old = leftovers[0].stat().st_mtime - boundaries.STALE_TEMP_SECONDS - 1
    os.utime(leftovers[0], (old, old))

    gdf = boundaries.load_districts(config_dir=shared_boundaries(), cache_dir=tmp_path, allow_download=False)
    assert len(gdf) == 399
    (cached,) = processed.glob("adm2-*.parquet")
    assert gpd.read_parquet(cached).equals(gdf)
    assert list(processed.glob(".*.tmp")) == []  # the dead write's leftover was cleared


def test_corrupt_zip_is_refused_by_checksum_and_by_reader(tmp_path, monkeypatch):
    real = (shared_boundaries() / ADM2).read_bytes()
    config = tmp_path / "config"
    config.mkdir()
    corrupt = config / ADM2
    corrupt.write_bytes(real[: len(real) // 2] + bytes(1000))  # truncated and padded
    with pytest.raises(BoundaryError, match="Checksum mismatch") as info:
        boundaries.load_districts(config_dir=config, cache_dir=tmp_path / "cache", allow_download=False)
    assert str(corrupt) in str(info.value)
    # Even a corrupt file that matched its pin would be refused by the reader, not half-read.
    pinned = dict(settings.BOUNDARY_FILES)
    pinned["adm2"] = (ADM2, boundaries.sha256_file(corrupt))
    monkeypatch.setattr(settings, "BOUNDARY_FILES", pinned)
    with pytest.raises(BoundaryError, match="Cannot read .* as a zipped shapefile"):
        boundaries.load_districts(config_dir=config, cache_dir=tmp_path / "cache", allow_download=False)
    assert not list((tmp_path / "cache" / "processed").glob("*.parquet"))  # nothing was cached from it
