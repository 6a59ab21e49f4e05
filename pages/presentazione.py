"""Presentazione: the plan and the saved scenarios on the projector, switched with the keyboard."""

import streamlit as st

from geo import coverage_text_table, labels_overlay, presentation_overlay, zones_text_table
from geo import homogeneity_score_text, homogeneity_summary
from ui import flash
from ui import presentation as pr
from ui.display import attribution_caption, show_text_table
from ui.map_widget import show_map
from ui.markdown import md
from ui.plan_choices import plan_choices, report_for
from ui.session import PRESENTATION

choices = plan_choices()
index = pr.chosen(choices)
choice = choices[index]
content = report_for(choice)

st.html(pr.PROJECTOR_CSS)
flash.show("presentation")
title_col, choose_col, back_col, next_col, exit_col = st.columns([4.6, 2.2, 1.8, 1.8, 1.1],
                                                                  vertical_alignment="center")
title_col.markdown(f"# {md(choice.title)}")
title_col.caption(pr.status_line(index, len(choices), content))
choose_col.selectbox("Piano da mostrare", [c.key for c in choices], key=pr.CHOICE_KEY,
                     format_func={c.key: c.title for c in choices}.get, label_visibility="collapsed")
back_col.button("Precedente", icon=":material/arrow_back:", shortcut="Left", on_click=pr.step, args=(-1,),
                width="stretch", disabled=len(choices) < 2, help="Piano precedente (freccia sinistra o PagSu)")
next_col.button("Successivo", icon=":material/arrow_forward:", shortcut="Right", on_click=pr.step, args=(1,),
                width="stretch", disabled=len(choices) < 2, help="Piano successivo (freccia destra o PagGiù)")
if exit_col.button("Esci", shortcut="Esc", width="stretch", help="Torna alla Panoramica"):
    st.switch_page("pages/panoramica.py")
# Presentation remotes send PageUp/PageDown: same actions, buttons hidden by the style sheet.
with st.container(key=pr.HIDDEN_KEYS):
    st.button("Piano precedente", shortcut="PageUp", on_click=pr.step, args=(-1,), disabled=len(choices) < 2)
    st.button("Piano successivo", shortcut="PageDown", on_click=pr.step, args=(1,), disabled=len(choices) < 2)

show_map(choice.plan, key=PRESENTATION.key("map"), overlays=[presentation_overlay(), labels_overlay()],
         highlight=pr.warned_codes(content))

zones_col, warnings_col = st.columns([3, 2], gap="large")
with zones_col:
    st.subheader("Zone e residenti")
    show_text_table(zones_text_table(content))
    if content.homogeneity.indicators:
        st.subheader(f"Omogeneità delle zone: {homogeneity_score_text(content.homogeneity)} (da 0 a 1)")
        show_text_table(homogeneity_summary(content.homogeneity))
with warnings_col:
    st.subheader("Avvisi")
    if not content.problems:
        st.success("Nessun avviso: tutti i comuni sono assegnati e ogni zona è contigua.")
    for problem in content.problems:
        st.warning(md(problem.message))

st.subheader("Servizi in gestione associata: le quattro funzioni prioritarie")
st.caption("Comuni coperti da una collaborazione in funzione, su quelli della zona, e quota dei residenti coperti.")
show_text_table(coverage_text_table(content.coverage, compact=True))
st.caption("Tasti: ← e → (oppure PagSu e PagGiù, come i telecomandi per presentazioni) cambiano piano; "
           "Esc torna alla Panoramica. I tasti funzionano anche dopo un clic sulla mappa.")
attribution_caption()
