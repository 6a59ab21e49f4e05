"""Panoramica: the area vasta, its zone omogenee and their statistics."""

import streamlit as st

from geo import format_number, homogeneity, zone_statistics
from ui.collaborations import collaboration_layer_toggles
from ui.display import attribution_caption, show_statistics_table
from ui.editor import show_draft_notices
from ui.homogeneity import homogeneity_panel
from ui.indicators import chosen_indicators, colouring_controls, map_thematic, session_registry, source_lines
from ui.layout import page_header
from ui.map_widget import show_map
from ui.markdown import md
from ui.plan_session import current_area, current_plan
from ui.session import OVERVIEW
from ui.territory import current
from ui.workshop import EDITOR_PAGE

area = current_area()
plan = current_plan()
registry = session_registry()
stats = zone_statistics(area, plan, registry)

territory = current().territory
header = page_header(f"Panoramica {territory.possessive}", (
    "La mappa mostra le **zone omogenee** del piano attuale: gruppi di comuni vicini che potrebbero gestire "
    "insieme dei servizi. Passa col mouse su un comune (o toccalo, in «Zone omogenee» con «Solo consultazione») "
    "per nome, residenti e zona. Con «Collaborazioni» vedi sulla mappa chi lavora già insieme, per funzione.\n\n"
    "Per cambiare le zone apri la pagina «Zone omogenee»."))
with header.popover("Collaborazioni", icon=":material/layers:",
                    help="Mostra sulla mappa le collaborazioni intercomunali, per funzione."):
    overlays = collaboration_layer_toggles("overview")

with header.popover("Colori", icon=":material/palette:",
                    help="Colora i comuni per zona oppure per un indicatore (in classi)."):
    colouring_controls()

map_col, side_col = st.columns([2, 1], gap="small")
with map_col:
    show_map(plan, key=OVERVIEW.key("map"), overlays=overlays, thematic=map_thematic(area))
with side_col:
    show_draft_notices()
    st.metric("Comuni", format_number(len(area.codes)))
    st.metric("Residenti (1° gennaio 2023)", format_number(area.table["pop_totale"].sum()))
    st.metric("Zone omogenee", format_number(len(plan.zones)))
    st.info(f"L'area vasta comprende **{len(area.codes)} comuni**"
            + (f": {territory.area_note}." if territory.area_note else "."), icon="ℹ️")
    st.page_link(EDITOR_PAGE, label="Modifica le zone", icon=":material/edit_location_alt:")

st.subheader("Statistiche per zona")
show_statistics_table(stats, registry)
homogeneity_panel(homogeneity(area, plan, chosen_indicators()))
st.caption(md("Fonti degli indicatori: " + "; ".join(source_lines())))
attribution_caption()
