"""The map page: date controls, the district map and the evidence ledger."""

import streamlit as st

from components import app_data, controls
from components.ledger import ledger_html
from components.map_view import district_map
from components.view_state import ViewState
from geo import control, settings


def render() -> None:
    """Render the map page."""
    st.title("Afghanistan district control, 2021")
    st.caption("Who held each district on a given day, and who says so. Click a district for its evidence.")

    geometry = app_data.geometry()
    timeline = app_data.timeline()
    districts_gdf = geometry.districts_gdf
    pcodes = list(districts_gdf["pcode"])
    names = dict(
        zip(districts_gdf["pcode"], districts_gdf["name_en"] + ", " + districts_gdf["province_en"], strict=True)
    )
    changes = app_data.change_dates(timeline, timeline.version)

    controls.restore_view(start=timeline.start, end=timeline.end, default=timeline.end, pcodes=pcodes)
    controls.show_notices()
    controls.play_controls(start=timeline.start, end=timeline.end, changes=changes)
    date = controls.date_controls(start=timeline.start, end=timeline.end, changes=changes)

    map_col, ledger_col = st.columns([3, 2])
    with map_col:
        event = district_map(
            geometry.component_dir,
            codes=app_data.map_codes(timeline, timeline.version, date),
            selected=st.session_state[controls.DISTRICT_KEY],
            caption=date.isoformat(),
            table=app_data.codes_table_file(timeline, timeline.version),
            slider_label=controls.DATE_LABEL,
            view=st.session_state[controls.INITIAL_VIEW_KEY],
            key="map",
        )
        controls.apply_map_event(event)

    with ledger_col:
        district = st.selectbox(
            "District",
            sorted(pcodes, key=names.get),
            key=controls.DISTRICT_KEY,
            format_func=names.get,
            placeholder="Pick a district, or click one on the map",
        )
        if district:
            row = districts_gdf.loc[districts_gdf["pcode"] == district].iloc[0]
            st.markdown(
                ledger_html(
                    pcode=district,
                    name_en=row["name_en"],
                    name_da=row["name_da"],
                    province=row["province_en"],
                    state=control.district_state(district, timeline.by_district.get(district, []), date=date),
                    history=timeline.by_district.get(district, []),
                    sources=timeline.sources,
                    date=date,
                ),
                unsafe_allow_html=True,
            )
        else:
            st.info("Click a district on the map, or pick one above, to see every claim and source behind its status.")

    view = st.session_state[controls.VIEW_KEY]
    controls.sync_url(ViewState(date, district, view[:2] if view else None, view[2] if view else None))
    st.caption(settings.ATTRIBUTION + " Claims and sources: see the project README.")
