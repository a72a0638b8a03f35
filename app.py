"""Afghanistan district control, 2021: who held each district on a given day, and who says so."""

import streamlit as st

from components import map_page, methodology

st.set_page_config(page_title="Afghanistan district control 2021", layout="wide")
st.navigation(
    [
        st.Page(map_page.render, title="Map", url_path="map", default=True),
        st.Page(methodology.render, title="Methodology", url_path="methodology"),
    ],
    position="top",
).run()
