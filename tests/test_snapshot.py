import datetime as dt
import io
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image

from components import snapshot
from components.i18n import CONFIDENCE_DA, CONTROLLER_LABELS_DA
from geo import control, settings
from geo.timeline import load_timeline

from .conftest import REPO

DAY = dt.date(2021, 8, 24)  # AF0907 taliban confirmed, AF0908 taliban disputed, AF0912 resistance claimed
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HOSTILE = "$\\frac{1}{0}$ $$ \\ {x^ _ $ \x00\x1b[31m \u202e</script><b>&amp; 🚀 \n\n" + "W" * 400


@pytest.fixture
def scene(squares_gdf, data_dir):
    timeline = load_timeline(data_dir, squares_gdf)
    provinces_gdf = squares_gdf.dissolve(by="province_pcode").reset_index()
    states = control.state_at(timeline, date=DAY, pcodes=squares_gdf["pcode"])
    return squares_gdf, provinces_gdf, states


def render(scene, **kwargs):
    options = {"date": DAY, "title": "Afghanistan district control", "attribution": settings.ATTRIBUTION}
    return snapshot.render_png(*scene, **{**options, **kwargs})


def decode(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def pixel_of(scene, lon, lat, **kwargs):
    """Return the (row, column) of a map coordinate in the rendered image."""
    options = {"date": DAY, "title": "Afghanistan district control", "attribution": settings.ATTRIBUTION}
    figure = snapshot.snapshot_figure(*scene, **{**options, **kwargs})
    figure.canvas.draw()  # applies the aspect ratio, which moves the map axes
    x, y = figure.axes[0].transData.transform((lon, lat))
    return int(round(figure.bbox.height - y)), int(round(x))


def rgb255(colour):
    return np.array(to_rgb(colour)) * 255


def test_png_signature_size_and_dimensions(scene):
    png = render(scene)
    assert png.startswith(PNG_SIGNATURE)
    assert 20_000 < len(png) < 2_000_000
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.size == (1800, 1200)  # 12 x 8 inches at 150 dpi
    with Image.open(io.BytesIO(render(scene, dpi=100))) as image:
        assert image.size == (1200, 800)


def test_fills_follow_controller_and_confidence(scene):
    pixels = decode(render(scene))
    taliban = rgb255(settings.CONTROLLER_COLOURS["taliban"])
    resistance = rgb255(settings.CONTROLLER_COLOURS["resistance"])

    # Confirmed: solid controller colour.
    row, col = pixel_of(scene, 0.5, 0.5)
    assert np.abs(pixels[row, col] - taliban).max() <= 3

    # Claimed: the controller colour at 40% over white.
    row, col = pixel_of(scene, 2.5, 0.5)
    assert np.abs(pixels[row, col] - (0.4 * resistance + 0.6 * 255)).max() <= 4

    # Unknown: a light grey (equal channels, neither white nor dark).
    row, col = pixel_of(scene, 3.5, 0.5)
    r, g, b = pixels[row, col]
    assert r == g == b
    assert 170 <= r <= 235

    # Disputed: hatch lines in the controller colour over a light fill of that colour.
    row, col = pixel_of(scene, 1.5, 0.5)
    patch = pixels[row - 15 : row + 15, col - 15 : col + 15].reshape(-1, 3)
    near_taliban = (np.abs(patch - taliban).max(axis=1) <= 40).mean()
    light = (patch.min(axis=1) >= 200) & (patch[:, 0] > patch[:, 2])  # pale and reddish, not white-grey
    assert 0.1 < near_taliban < 0.7
    assert light.mean() > 0.2


def test_image_is_not_blank_and_province_outlines_are_dark(scene):
    pixels = decode(render(scene))
    assert (pixels.min(axis=2) < 250).mean() > 0.15
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 20
    # The province border between Baghlan (AF09) and Badakhshan (AF17) runs along lon 3.
    row, col = pixel_of(scene, 3.0, 0.5)
    strip = pixels[row, col - 3 : col + 4]
    assert strip.max(axis=1).min() < 90


def test_render_is_deterministic(scene):
    assert render(scene) == render(scene)
    assert b"Software" not in render(scene)


def test_hostile_text_is_drawn_literally(scene):
    png = render(scene, title=HOSTILE, attribution=HOSTILE, labels={"taliban": HOSTILE, "claimed": HOSTILE})
    assert png.startswith(PNG_SIGNATURE)
    for text in ("$", "$$", "\\", "", "a\x00b", "\u202e"):
        assert render(scene, title=text, attribution=text).startswith(PNG_SIGNATURE)
    figure = snapshot.snapshot_figure(
        *scene, date=DAY, title="Price: $5 and $x^2$", attribution=settings.ATTRIBUTION, labels={"taliban": "$T$"}
    )
    texts = [*figure.texts, *(t for legend in figure.legends for t in legend.get_texts())]
    assert all(not t.get_parse_math() and not t.get_usetex() for t in texts)
    shown = [t.get_text() for t in texts]
    assert "Price: $5 and $x^2$" in shown
    assert "$T$" in shown
    assert DAY.isoformat() in shown


def test_clean_text():
    assert snapshot.clean_text("a\x00b\u202ec\nd", limit=20) == "abc d"
    # The zero-width non-joiner is part of Dari spelling and stays.
    assert snapshot.clean_text("می\u200cشود", limit=20) == "می\u200cشود"
    assert snapshot.clean_text("x" * 50, limit=10) == "x" * 9 + "…"
    assert snapshot.clean_text("rocket 🚀", limit=20) in {"rocket \ufffd", "rocket ?"}


def test_labels_default_to_english_and_accept_dari(scene):
    english = snapshot.snapshot_figure(*scene, date=DAY, title="t", attribution="a")
    english_labels = [t.get_text().replace("\n", " ") for t in english.legends[0].get_texts()]
    assert english_labels == [settings.CONTROLLER_LABELS[c] for c in settings.CONTROLLERS]
    dari = snapshot.snapshot_figure(
        *scene, date=DAY, title="t", attribution="a", labels={**CONTROLLER_LABELS_DA, **CONFIDENCE_DA}
    )
    assert [t.get_text().replace("\n", " ") for t in dari.legends[0].get_texts()][0] == "طالبان"
    assert [t.get_text() for t in dari.legends[1].get_texts()] == [CONFIDENCE_DA[c] for c in settings.CONFIDENCES]
    png = render(scene, labels=CONTROLLER_LABELS_DA)
    assert png.startswith(PNG_SIGNATURE)


def test_rejects_missing_crs_and_silly_dpi(scene):
    districts_gdf, provinces_gdf, states = scene
    with pytest.raises(ValueError, match="no CRS"):
        render((districts_gdf.set_crs(None, allow_override=True), provinces_gdf, states))
    with pytest.raises(ValueError, match="dpi"):
        render(scene, dpi=5000)


def test_other_crs_is_reprojected(scene):
    districts_gdf, provinces_gdf, states = scene
    moved = (districts_gdf.to_crs("EPSG:3857"), provinces_gdf.to_crs("EPSG:3857"), states)
    pixels = decode(render(moved))
    row, col = pixel_of(scene, 0.5, 0.5)
    assert np.abs(pixels[row, col] - rgb255(settings.CONTROLLER_COLOURS["taliban"])).max() <= 3


def test_rendering_does_not_touch_pyplot():
    # In a fresh interpreter, so that no other test's import of pyplot can hide one here.
    code = textwrap.dedent(
        """
        import datetime as dt, sys
        import geopandas as gpd
        from shapely.geometry import box
        from components.snapshot import render_png
        gdf = gpd.GeoDataFrame({"pcode": ["A"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
        png = render_png(gdf, gdf, {}, date=dt.date(2021, 9, 6), title="t", attribution="a")
        assert png[:4] == b"\\x89PNG"
        assert "matplotlib.pyplot" not in sys.modules, "pyplot was imported"
        """
    )
    subprocess.run([sys.executable, "-W", "error", "-c", code], cwd=REPO, check=True, timeout=120)
