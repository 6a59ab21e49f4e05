"""Rapporto: the current plan or a saved scenario as a PDF for the minutes, and as an Excel workbook."""

import datetime as dt
from functools import partial

import streamlit as st

from geo import export_file_name, report_pdf, report_xlsx, warnings_count_text, zones_text_table
from ui.display import attribution_caption, show_text_table
from ui.markdown import md
from ui.plan_choices import plan_choices, report_for
from ui.plan_images import plan_key, plan_thumbnail
from ui.session import REPORT

choices = {c.key: c for c in plan_choices()}
REPORT.keep_valid("plan", choices, next(iter(choices)))

st.title("Rapporto PDF ed Excel")
st.caption("Un documento per il verbale: mappa delle zone con legenda, statistiche, copertura delle quattro "
           "funzioni prioritarie, collaborazioni divise dal piano, avvisi, fonti e una pagina per zona con i "
           "suoi comuni. Il file Excel ha gli stessi contenuti, con i numeri come numeri.")
left, right = st.columns([3, 2], gap="large")
with left:
    choice = choices[st.selectbox("Piano", list(choices), key=REPORT.key("plan"), format_func=lambda k: choices[k].label)]
    day = st.date_input("Stato delle collaborazioni al", key=REPORT.key("day"), value=dt.date.today(),
                        format="DD/MM/YYYY", help="Le collaborazioni cessate prima di questa data non contano; "
                                                  "quelle che iniziano dopo contano come previste.")
    content = report_for(choice, day)
    st.markdown(f"**{md(content.title)}**: {len(content.plan.zones)} zone, {len(content.area.codes)} comuni, "
                f"{warnings_count_text(content.problems)}.")
    show_text_table(zones_text_table(content))
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
