"""Build nginx's web root once per deploy: Streamlit's bundle and the map component, precompressed.

Usage (deploy/serve runs it; the environment is the replicas' own):

    python3 deploy/prepare.py OUT_DIR

It loads the boundaries (filling the GeoParquet cache the replicas then read), builds the map
component exactly as the app does (``build_map_html`` and ``prepare_component_dir``, so the folder
and its content hash are the ones a replica serves), and writes to ``OUT_DIR``:

- ``index.html`` and ``static/``: Streamlit's frontend, from the installed package, with the two
  fonts every first visit loads cut down to what this app draws (deploy/fonts.py);
- ``component/components.map_view.controlmap/``: the map page, Leaflet and the shim;

each text file beside a ``.gz`` (gzip -9) and a ``.br`` (brotli -q 11, if Debian's ``brotli`` is
installed) for nginx's gzip_static and brotli_static. Compressing Streamlit's 23 MB of scripts
with brotli -q 11 takes about a minute on two cores, so the compressed trees are kept in the
cache folder, keyed by the Streamlit version and the component's hash, and only linked into
``OUT_DIR`` on later starts. It prints ``OUT_DIR`` as JSON with the component's folder name.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy import fonts  # noqa: E402 - after the path is set, for ``python3 deploy/prepare.py``
from geo._publish import publish_dir  # noqa: E402

COMPONENT_NAME = "components.map_view.controlmap"  # declare_component("controlmap") in components/map_view.py
COMPRESSIBLE = (".js", ".mjs", ".css", ".html", ".json", ".svg", ".txt", ".map")
MIN_BYTES = 1024
BROTLI = shutil.which("brotli")


def _compress_one(path: Path) -> None:
    data = path.read_bytes()
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    if len(packed) < len(data):
        path.with_name(path.name + ".gz").write_bytes(packed)
    if BROTLI:
        target = path.with_name(path.name + ".br")
        subprocess.run([BROTLI, "-q", "11", "-f", "-o", str(target), str(path)], check=True)
        if target.stat().st_size >= len(data):
            target.unlink()


def precompress(folder: Path) -> int:
    """Write ``.gz`` and ``.br`` beside every compressible file of ``folder``; return how many files."""
    files = [p for p in folder.rglob("*") if p.is_file() and p.suffix in COMPRESSIBLE and p.stat().st_size >= MIN_BYTES]
    # Largest first, so one big bundle does not finish last on its own.
    files.sort(key=lambda p: p.stat().st_size, reverse=True)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(_compress_one, files))
    return len(files)


def cached_tree(cache: Path, name: str, fill: Callable[[Path], None]) -> Path:
    """Return ``cache/name``, building it with ``fill(staging_dir)`` first if it is missing."""

    def fill_and_mark(staging: Path) -> None:
        fill(staging)
        (staging / ".complete").write_text("ok\n")

    target = cache / name
    publish_dir(target, fill_and_mark, complete=".complete")
    return target


def link_tree(source: Path, target: Path) -> None:
    """Copy ``source`` into ``target`` by hard links (a copy across file systems)."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".complete"))


def component_dir() -> Path:
    """Build the map component folder as the app does (boundaries from the usual places)."""
    from components.district_map import build_map_html, prepare_component_dir
    from geo import boundaries, settings

    where = {"config_dir": settings.boundaries_dir(), "cache_dir": settings.cache_dir()}
    districts_gdf = boundaries.load_districts(**where)
    provinces_gdf = boundaries.load_provinces(**where)
    html = build_map_html(districts_gdf, provinces_gdf)
    return prepare_component_dir(html, boundaries.usable_cache_dir(settings.cache_dir()))


def build(out: Path) -> dict[str, object]:
    """Fill ``out`` with the precompressed web root; return what went where."""
    import streamlit
    from streamlit import file_util

    from geo import boundaries, settings

    cache = boundaries.usable_cache_dir(settings.cache_dir()) / "deploy"
    st_static = Path(file_util.get_static_dir())

    # Icons named by Streamlit's scripts or by this app; they key the cached tree with the version.
    icons = fonts.icon_names(
        [*(st_static / "static" / "js").glob("*.js"), ROOT / "app.py", *ROOT.glob("components/*.py")]
    )
    why_not = fonts.missing()
    font_key = "fonts-full" if why_not else "fonts-" + hashlib.sha256(" ".join(sorted(icons)).encode()).hexdigest()[:12]
    font_sizes: dict[str, list[int]] = {}

    def fill_static(staging: Path) -> None:
        shutil.copytree(st_static, staging, dirs_exist_ok=True)
        if not why_not:
            font_sizes.update(fonts.subset_fonts(staging, icons))
        precompress(staging)

    static = cached_tree(cache, f"streamlit-{streamlit.__version__}-{font_key}", fill_static)
    comp = component_dir()

    def fill_component(staging: Path) -> None:
        for item in comp.iterdir():
            # The per-date codes tables are written later by the replicas, for their data version.
            if item.is_file() and not item.name.startswith((".", "codes-")):
                shutil.copy2(item, staging / item.name)
        precompress(staging)

    component = cached_tree(cache, f"component-{comp.name}", fill_component)
    out.mkdir(parents=True, exist_ok=True)
    link_tree(static, out)
    link_tree(component, out / "component" / COMPONENT_NAME)
    return {
        "www": str(out),
        "component_name": COMPONENT_NAME,
        "component_dir": str(comp),
        "brotli": str(bool(BROTLI)),
        "fonts": why_not or "subset",
        "font_sizes": font_sizes,  # empty when the cached tree was reused
    }


def main() -> int:
    """Build the web root named on the command line."""
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(build(Path(sys.argv[1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
