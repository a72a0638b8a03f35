"""The map page: date controls, the district map, the evidence ledger and the analysis tabs."""

import datetime as dt

import streamlit as st

from components import analysis_view, app_data, controls, page_style
from components.embed import embed_control
from components.i18n import attribution, date_text, t
from components.ledger import ledger_html
from components.map_view import district_map
from components.view_state import ViewState
from geo import control

# Claims per ledger section before "Show all claims": keeps a busy district's date step small.
LEDGER_LIMIT = 8


def render() -> None:
    """Render the map page.

    The containers are laid out first and filled in the order the values are needed (the date
    before the map). On a phone (page_style) the map comes first, the date row under it, then
    the ledger; the title, options and tabs follow.
    """
    geometry = app_data.geometry()
    timeline = app_data.timeline()
    districts_gdf = geometry.districts_gdf
    pcodes = geometry.pcodes
    changes = app_data.change_dates(timeline, timeline.version)
    controls.restore_view(start=timeline.start, end=timeline.end, default=timeline.end, pcodes=pcodes)
    controls.apply_requested_view()
    controls.clamp_to_timeline(start=timeline.start, end=timeline.end)

    head = st.container(key="cm_head")
    map_col, ledger_col = st.container(key="cm_main").columns([3, 2])
    map_box, dates_box = map_col.container(key="cm_map"), map_col.container(key="cm_dates")
    options_box = st.container(key="cm_options")

    with head:
        title_col, lang_col = st.columns([5, 1], vertical_alignment="bottom")
        with lang_col:
            lang = controls.language_switch()
        page_style.apply(lang)
        title_col.title(t("title", lang))
        st.caption(t("subtitle", lang))
        controls.show_notices()
        app_data.show_fallback_banner(lang)
    with dates_box:
        date = controls.date_controls(start=timeline.start, end=timeline.end, changes=changes, lang=lang)
    with options_box:
        compare, stale = controls.analysis_options(start=timeline.start, end=timeline.end, lang=lang)
    # The URL as soon as the date and district are known: its message then reaches the browser
    # ahead of the map's, the ledger's and the chart's, and the address bar follows a step without
    # waiting for them (written again at the end if the map reported a new view).
    controls.sync_url(_view_state(date, st.session_state[controls.DISTRICT_KEY], compare, stale, lang))

    province_col = "province_da" if lang == "da" else "province_en"
    names = geometry.labels["da" if lang == "da" else "en"]

    caption = date_text(date, lang)
    if compare:
        caption = t("vs", lang, date=date, compare=compare)
    with map_box:
        event = district_map(
            geometry.component_dir,
            codes=(app_data.stale_codes if stale else app_data.map_codes)(timeline, timeline.version, date),
            selected=st.session_state[controls.DISTRICT_KEY],
            caption=caption,
            table=app_data.codes_table_file(timeline, timeline.version),
            slider_label=controls.date_label(lang),
            view=st.session_state[controls.INITIAL_VIEW_KEY],
            highlight=app_data.diff_mask(timeline, timeline.version, compare, date) if compare else None,
            mode="stale" if stale else "control",
            lang=lang,
            key="map",
        )
        controls.apply_map_event(event, pcodes=pcodes)

    with ledger_col:
        district = st.selectbox(
            t("district", lang),
            sorted(pcodes, key=names.get),
            key=controls.DISTRICT_KEY,
            format_func=names.get,
            placeholder=t("pick", lang),
        )
        if district:
            row = districts_gdf.loc[districts_gdf["pcode"] == district].iloc[0]
            history = timeline.by_district.get(district, [])
            show_all = st.toggle(t("show_all", lang), key="ledger_show_all") if len(history) > LEDGER_LIMIT else False
            st.markdown(
                ledger_html(
                    pcode=district,
                    name_en=row["name_en"],
                    name_da=row["name_da"],
                    province=row[province_col],
                    state=control.district_state(district, history, date=date),
                    history=history,
                    sources=timeline.sources,
                    date=date,
                    lang=lang,
                    outlet=timeline.outlet,
                    names=app_data.place_names(lang),
                    limit=None if show_all else LEDGER_LIMIT,
                ),
                unsafe_allow_html=True,
            )
        else:
            st.info(t("pick_info", lang))

    with st.container(key="cm_tabs"):
        analysis_view.render(timeline, geometry, date=date, compare=compare, lang=lang)
    shown = _view_state(date, district, compare, stale, lang)
    controls.sync_url(shown)
    with st.container(key="cm_footer"):
        st.caption(t("footer", lang, attribution=attribution(lang)))
        embed_control(shown, lang)
        controls.check_link()


def _view_state(date: dt.date, district: str | None, compare: dt.date | None, stale: bool, lang: str) -> ViewState:
    """The view to write into the URL: these values and the map view the session holds."""
    view = st.session_state[controls.VIEW_KEY]
    return ViewState(date, district, view[:2] if view else None, view[2] if view else None, compare, stale, lang)
