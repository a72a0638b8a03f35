"""deploy/fonts.py: the subsets nginx serves in place of Streamlit's two first-visit fonts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from streamlit import file_util

from deploy import fonts

MEDIA = Path(file_util.get_static_dir()) / "static" / "media"


def one(pattern: str, tmp_path: Path) -> Path:
    (found,) = MEDIA.glob(pattern)
    copy = tmp_path / found.name
    shutil.copy(found, copy)
    return copy


def ligature_outputs(font: TTFont) -> set[str]:
    out: set[str] = set()
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for sub in lookup.SubTable:
            sub = getattr(sub, "ExtSubTable", sub)
            for ligatures in getattr(sub, "ligatures", {}).values():
                out.update(lig.LigGlyph for lig in ligatures)
    return out


def test_icon_names_are_read_from_scripts_and_app_code(tmp_path):
    script = tmp_path / "a.js"
    script.write_text('x=`:material/expand_more:`;y=":material/close:";z="material/not_an_icon"')
    app = tmp_path / "b.py"
    app.write_text('st.button("Go", icon=":material/search:")')
    assert fonts.icon_names([script, app]) == {"expand_more", "close", "search"}


def test_the_streamlit_bundle_names_the_popover_chevron():
    names = fonts.icon_names((MEDIA.parent / "js").glob("*.js"))
    assert "expand_more" in names and len(names) > 20


def test_the_icon_subset_keeps_the_named_icons_and_their_ligatures_only(tmp_path):
    path = one(fonts.ICON_FONT, tmp_path)
    before = path.stat().st_size
    after = fonts.subset_icon_font(path, {"expand_more", "close", "no_such_icon"})
    font = TTFont(path)  # glyph names are not kept: count the icons by the ligatures that draw them
    assert len(ligature_outputs(font)) == 2
    assert len(font.getGlyphOrder()) < 100
    assert {ord(c) for c in "expand_more"} <= set(font.getBestCmap())
    assert after == path.stat().st_size < before / 20


def test_the_text_subset_is_static_and_latin(tmp_path):
    path = one(fonts.TEXT_FONT, tmp_path)
    before = path.stat().st_size
    fonts.subset_text_font(path)
    font = TTFont(path)
    assert "fvar" not in font
    cmap = font.getBestCmap()
    assert {ord(c) for c in "Az09 é"} <= set(cmap)
    assert ord("Ж") not in cmap
    assert path.stat().st_size < before / 4


@pytest.mark.parametrize("module", ["fontTools", "brotli"])
def test_missing_names_the_package(monkeypatch, module):
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == module:
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    assert module in fonts.missing()
