"""Shared fixtures: synthetic districts (squares with an explicit CRS) and data-folder helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

# Real-browser fixtures (browser, offsite, context, page); each browser test module defines ``server``.
from tests.browserkit import browser, context, offsite, page  # noqa: F401
from tests.paths import REPO, TEST_DATA, shared_boundaries  # noqa: F401 - re-exported for the tests


@pytest.fixture
def squares_gdf() -> gpd.GeoDataFrame:
    """Five unit squares in a row; two share the name Fayzabad in different provinces."""
    rows = [
        ("AF0907", "Andarab", "Banu", "AF09", "Baghlan"),
        ("AF0908", "Deh Salah", None, "AF09", "Baghlan"),
        ("AF0912", "Pul-e-Hisar", None, "AF09", "Baghlan"),
        ("AF1701", "Fayzabad", "Centre", "AF17", "Badakhshan"),
        ("AF2808", "Fayzabad", None, "AF28", "Jawzjan"),
    ]
    return gpd.GeoDataFrame(
        {
            "pcode": [r[0] for r in rows],
            "name_en": [r[1] for r in rows],
            "name_da": ["اندراب", "ده صلاح", "پل حصار", "فیض آباد", "فیض آباد"],
            "province_pcode": [r[3] for r in rows],
            "province_en": [r[4] for r in rows],
            "province_da": ["بغلان", "بغلان", "بغلان", "بدخشان", "جوزجان"],
            "alt1_en": [r[2] for r in rows],
            "alt2_en": [None] * len(rows),
        },
        geometry=[box(i, 0, i + 1, 1) for i in range(len(rows))],
        crs="EPSG:4326",
    )


@pytest.fixture(scope="session")
def real_districts(tmp_path_factory: pytest.TempPathFactory) -> gpd.GeoDataFrame:
    """The 399 real districts (from the shared AGCHO zips, processed into a temp cache)."""
    from geo import boundaries

    cache = tmp_path_factory.mktemp("real-districts-cache")
    return boundaries.load_districts(config_dir=shared_boundaries(), cache_dir=cache, allow_download=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of tests/data/valid, to break one file at a time."""
    target = tmp_path / "data"
    shutil.copytree(TEST_DATA / "valid", target)
    return target


@pytest.fixture
def graded_dir(tmp_path):
    """A fresh copy of tests/data/graded (with an outlets register) to append rows to."""
    target = tmp_path / "graded"
    shutil.copytree(TEST_DATA / "graded", target)
    return target


def append_line(path, line: str) -> None:
    """Append one line (a CSV row as written) to ``path``."""
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
