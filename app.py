"""Afghanistan district control, 2021: who held each district on a given day, and who says so."""

import streamlit as st

from components import map_page, methodology
from components.controls import session_lang
from components.i18n import t

lang = session_lang()  # the switch's value, else the URL's lang: page and tab titles follow it
st.set_page_config(page_title=t("page_title", lang), layout="wide")
st.navigation(
    [
        st.Page(map_page.render, title=t("nav_map", lang), url_path="map", default=True),
        st.Page(methodology.render, title=t("nav_methodology", lang), url_path="methodology"),
    ],
    position="top",
).run()
