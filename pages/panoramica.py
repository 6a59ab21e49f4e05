"""Panoramica: the area vasta, its zone omogenee and their statistics."""

import streamlit as st

from geo import format_number, homogeneity, statistics_display_table, zone_statistics
from ui.collaborations import collaboration_layer_toggles
from ui.display import attribution_caption
from ui.homogeneity import homogeneity_panel
from ui.indicators import chosen_indicators, colouring_controls, map_thematic, session_registry, source_lines
from ui.map_widget import show_map
from ui.markdown import md
from ui.plan_session import current_area, current_plan
from ui.session import OVERVIEW

area = current_area()
plan = current_plan()
registry = session_registry()
stats = zone_statistics(area, plan, registry)

st.title("Panoramica della Pianura Bresciana")
st.info(
    f"L'area vasta comprende **{len(area.codes)} comuni**: è una lista di lavoro "
    "(ambiti distrettuali ATS Brescia 8, 9 e 10) da confermare con il gruppo di progetto.",
    icon="ℹ️",
)

cards = st.columns(3)
cards[0].metric("Comuni", format_number(len(area.codes)))
cards[1].metric("Residenti (1° gennaio 2023)", format_number(area.table["pop_totale"].sum()))
cards[2].metric("Zone omogenee", format_number(len(plan.zones)))

overlays = collaboration_layer_toggles("overview")
colouring_controls()
show_map(plan, key=OVERVIEW.key("map"), overlays=overlays, thematic=map_thematic(area))

st.subheader("Statistiche per zona")
st.dataframe(statistics_display_table(stats, registry), hide_index=True, width="stretch")
homogeneity_panel(homogeneity(area, plan, chosen_indicators()))
st.caption(md("Fonti degli indicatori: " + "; ".join(source_lines())))
attribution_caption()
