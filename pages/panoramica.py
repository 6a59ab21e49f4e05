"""Panoramica: the area vasta, its zone omogenee and their statistics."""

import streamlit as st

from geo.base.italian import format_number
from geo.render.statistics_table import statistics_display_table
from geo.zoning.statistics import zone_statistics
from pages.collab_common import collaboration_layer_toggles
from pages.common import attribution_caption, current_area, current_plan, show_map

area = current_area()
plan = current_plan()
stats = zone_statistics(area, plan)

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

overlays = collaboration_layer_toggles("panoramica")
show_map(plan, key="mappa_panoramica", overlays=overlays)

st.subheader("Statistiche per zona")
st.dataframe(statistics_display_table(stats), hide_index=True, width="stretch")
attribution_caption()
