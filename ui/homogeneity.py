"""The homogeneity of the session's plan on the chosen indicators, as the editor shows it:
a short panel beside the map (the indicators and how much of their differences the
zones explain) and the per-zone details below (means, coefficients of variation,
the comuni furthest from their zone's means, sources)."""

from __future__ import annotations

import streamlit as st

import geo
from ui.display import show_table
from ui.indicators import indicator_picker, source_lines
from ui.markdown import md


def homogeneity_panel(result: geo.Homogeneity) -> None:
    """Beside the map: the indicator picker and the share each indicator's zones explain."""
    st.markdown("**Omogeneità delle zone**")
    indicator_picker()
    if not result.indicators:
        st.caption("Scegli almeno un indicatore per misurare quanto si somigliano i comuni di ogni zona.")
        return
    summary = geo.homogeneity_summary(result)
    show_table(summary, numeric=summary.columns[1:])


def homogeneity_details(area: geo.Area, plan: geo.Plan, result: geo.Homogeneity) -> None:
    """Below the statistics: per zone, each indicator's mean and spread and the comuni most unlike the rest."""
    if not result.indicators or not plan.zones:
        return
    st.subheader("Omogeneità per zona")
    st.caption("Media di ogni indicatore nella zona (pesata come l'indicatore: per esempio sui residenti per le "
               "quote), coefficiente di variazione (scarto quadratico medio sulla media, in %: più è basso, più i "
               "comuni si somigliano) e i comuni più lontani dalle medie della zona, in deviazioni standard "
               "dell'area. I comuni senza dato sono esclusi e contati sopra.")
    table = geo.homogeneity_zones(result, plan, area.name)
    show_table(table, numeric=table.columns[1:-1])
    for note in geo.cv_notes(result):
        st.caption(md(note))
    st.caption(md("Fonti: " + "; ".join(source_lines())))
