"""Page-wide style: right to left in Dari, and the phone layout (map first, one compact date row).

Streamlit has no layout switch for either, so this is one style sheet, keyed on the containers
that map_page gives stable keys (``st-key-cm_*`` classes). Time keeps running left to right in
both languages (the date row, the chart and the tables), as on a printed time axis.
"""

from __future__ import annotations

import streamlit as st

PHONE_MAX_WIDTH = 640  # px; Streamlit stacks columns below this width

_BASE = """
<style>
.st-key-cm_date_row { direction: ltr; flex-wrap: nowrap; }
/* The link check (controls.show_notices) shows nothing; hidden, its iframe still runs, with no gap. */
[data-testid="stLayoutWrapper"]:has(> .st-key-cm_link_box), .st-key-cm_link_box { display: none; }
.st-key-cm_date_row [data-testid="stSlider"] { flex: 1 1 8rem; min-width: 6rem; }
.st-key-cm_date_row [data-testid="stSliderThumbValue"], .st-key-cm_date_row [data-testid^="stSliderTickBar"] {
  white-space: nowrap; unicode-bidi: plaintext; }
@media (max-width: %(phone)dpx) {
  [data-testid="stMainBlockContainer"] { padding: 3.25rem .5rem 1rem .5rem; }
  /* A keyed container sits in a layout wrapper: that wrapper is the flex item to reorder. */
  [data-testid="stLayoutWrapper"]:has(> .st-key-cm_main) { order: -3; }
  .st-key-cm_main [data-testid="stVerticalBlock"] { gap: .4rem; }
  [data-testid="stLayoutWrapper"]:has(> .st-key-cm_head) { order: -2; }
  .st-key-cm_head h1 { font-size: 1.35rem; padding: .25rem 0; }
  .st-key-cm_date_row { gap: .3rem; }
  .st-key-cm_date_row [data-testid="stSlider"] [data-testid="stWidgetLabel"] { display: none; }
  .st-key-cm_date_row button { padding: 0 .45rem; min-height: 2.1rem; }
}
</style>
"""
_RTL = """
<style>
[data-testid="stMain"], [data-testid="stHeader"], [data-testid="stSidebarContent"] { direction: rtl; }
[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"],
[data-testid="stHeading"] { text-align: right; }
.st-key-cm_date_row, [data-testid="stVegaLiteChart"], [data-testid="stDataFrame"], [data-testid="stCode"],
code, [data-testid="stSegmentedControl"] { direction: ltr; }
[data-testid="stMarkdownContainer"] ul { padding-right: 1.2rem; padding-left: 0; }
.st-key-cm_date_row [data-testid="stSliderThumbValue"] *, .st-key-cm_date_row [data-testid^="stSliderTickBar"] * {
  direction: rtl; unicode-bidi: plaintext; }
</style>
"""


def apply(lang: str) -> None:
    """Add the page's style sheet: the phone layout always, right to left in Dari."""
    st.html(_BASE % {"phone": PHONE_MAX_WIDTH} + (_RTL if lang == "da" else ""))
