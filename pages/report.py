"""Rapporto: the current plan or a saved scenario as a PDF for the minutes, and as an Excel workbook."""

import datetime as dt
from functools import partial

import streamlit as st

from geo.io.plan_export import export_file_name
from geo.report.content import warnings_count_text, zones_text_table
from geo.report.pdf import report_pdf
from geo.report.xlsx import report_xlsx
from pages.common import attribution_caption
from pages.report_common import plan_choices, report_for
from pages.common import md
from pages.scenari_state import plan_key, plan_thumbnail

CHOICE_KEY = "rapporto_scelta"
DAY_KEY = "rapporto_giorno"

choices = {c.key: c for c in plan_choices()}
if st.session_state.get(CHOICE_KEY) not in choices:
    st.session_state[CHOICE_KEY] = next(iter(choices))

st.title("Rapporto PDF ed Excel")
st.caption("Un documento per il verbale: mappa delle zone con legenda, statistiche, copertura delle quattro "
           "funzioni prioritarie, collaborazioni divise dal piano, avvisi, fonti e una pagina per zona con i "
           "suoi comuni. Il file Excel ha gli stessi contenuti, con i numeri come numeri.")
left, right = st.columns([3, 2], gap="large")
with left:
    st.selectbox("Piano", list(choices), key=CHOICE_KEY, format_func=lambda k: choices[k].label)
    st.date_input("Stato delle collaborazioni al", key=DAY_KEY, value=dt.date.today(), format="DD/MM/YYYY",
                  help="Le collaborazioni cessate prima di questa data non contano; quelle che iniziano dopo "
                       "contano come previste.")
    choice = choices[st.session_state[CHOICE_KEY]]
    content = report_for(choice, st.session_state[DAY_KEY])
    st.markdown(f"**{md(content.title)}**: {len(content.plan.zones)} zone, {len(content.area.codes)} comuni, "
                f"{warnings_count_text(content.problems)}.")
    st.table(zones_text_table(content), hide_index=True)
    # The files are built only when clicked (a deferred download), from this content.
    pdf_col, xlsx_col = st.columns(2)
    pdf_col.download_button("Scarica il rapporto PDF", data=partial(report_pdf, content), type="primary",
                            file_name=export_file_name(f"rapporto {content.title}", "pdf"), mime="application/pdf",
                            icon=":material/picture_as_pdf:", on_click="ignore", width="stretch")
    xlsx_col.download_button(
        "Scarica il rapporto Excel", data=partial(report_xlsx, content),
        file_name=export_file_name(f"rapporto {content.title}", "xlsx"), icon=":material/table_view:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore", width="stretch")
right.image(plan_thumbnail(plan_key(choice.plan), choice.title), width="stretch")
attribution_caption()
