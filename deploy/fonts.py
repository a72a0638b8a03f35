"""Shrink the two fonts a first visit downloads from Streamlit's bundle, in nginx's web root.

Streamlit 1.67 loads two fonts on every first visit, whatever the page shows:

- ``MaterialSymbols-Rounded.*.woff2`` (375 kB): its entry script preloads the icon font at start.
  Its own interface names about 75 icons (``:material/expand_more:`` and so on); the subset keeps
  those and any ``:material/...:`` icon in this app's sources, each still drawn by its ligature.
- ``SourceSansVF-Upright.*.woff2`` (170 kB): the first paint, before the server's theme arrives,
  is in Source Sans. This app's theme uses the reader's system fonts (.streamlit/config.toml), so
  Source Sans only draws that first paint; the subset is its regular weight, Latin-1 only.

Each subset is written under the same file name (the bundle's CSS and scripts name them), so only
nginx's copy changes; the replicas keep serving the originals. Needs fontTools and brotli (woff2);
without them deploy/prepare.py leaves the fonts as they are and says why (``missing``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

ICON_FONT = "MaterialSymbols-Rounded.*.woff2"
TEXT_FONT = "SourceSansVF-Upright.*.woff2"
ICON_RE = re.compile(r":material/([a-z0-9_]+):")
TEXT_RANGES = ((0x20, 0x7E), (0xA0, 0xFF))  # the first paint is Latin; the theme's fonts draw the rest
TEXT_WEIGHT = 400


def icon_names(sources: Iterable[Path]) -> set[str]:
    """Every ``:material/NAME:`` icon named in ``sources`` (the bundle's scripts, the app's code)."""
    names: set[str] = set()
    for path in sources:
        names.update(ICON_RE.findall(path.read_text(encoding="utf-8", errors="replace")))
    return names


def _save(font: object, path: Path) -> int:
    font.flavor = "woff2"
    font.save(path)
    return path.stat().st_size


def subset_icon_font(path: Path, names: set[str]) -> int:
    """Rewrite ``path`` with only the icons in ``names`` (and their ligatures); return its new size."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(path)
    keep = sorted(names & set(font.getGlyphOrder()))
    options = subset.Options()
    options.layout_closure = False  # keep only the ligatures that draw a kept icon
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    # The letters, digits and "_" that spell the icon names, as the ligatures read them.
    subsetter.populate(glyphs=keep, unicodes=[c for c in font.getBestCmap() if c < 0x80])
    subsetter.subset(font)
    return _save(font, path)


def subset_text_font(path: Path) -> int:
    """Rewrite ``path`` as its regular weight, Latin-1 only; return its new size."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = instancer.instantiateVariableFont(TTFont(path), {"wght": TEXT_WEIGHT})
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for low, high in TEXT_RANGES for c in range(low, high + 1)])
    subsetter.subset(font)
    return _save(font, path)


def missing() -> str | None:
    """Why fonts cannot be subset here (a missing package), or None."""
    for module in ("fontTools", "brotli"):  # brotli: fontTools writes woff2 with it
        try:
            __import__(module)
        except ImportError:
            return f"{module} is not installed (pip install -r requirements.txt)"
    return None


def subset_fonts(static_dir: Path, icons: set[str]) -> dict[str, list[int]]:
    """Subset the icon and text fonts in a copy of Streamlit's static folder; return {file: [before, after]}."""
    media = static_dir / "static" / "media"
    done: dict[str, list[int]] = {}
    for path in sorted(media.glob(ICON_FONT)):
        before = path.stat().st_size
        done[path.name] = [before, subset_icon_font(path, icons)]
    for path in sorted(media.glob(TEXT_FONT)):
        before = path.stat().st_size
        done[path.name] = [before, subset_text_font(path)]
    return done
