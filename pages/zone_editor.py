"""Zone omogenee: redraw the zones on the map, with live statistics."""

import streamlit as st

from geo.render.charts import residents_bars_svg
from geo.base.italian import format_number
from geo.render.statistics_table import statistics_display_table
from geo.render.html_cards import Card, cards_html
from geo.zoning.selection import pending_change
from geo.zoning.statistics import max_deviation, zone_statistics
from geo.zoning.validation import validate
from pages import editor_panels as panels
from pages import editor_state as ed
from pages.collab_common import collaboration_layer_toggles, current_collaborations, show_coverage_summary
from pages.common import current_area, current_plan, history, show_map, show_table, timing_log
from pages.workshop_common import workshop_participant_panel

ed.init_editor_state()

st.title("Zone omogenee")
st.caption(
    "Scegli la zona attiva, poi fai clic sui comuni per assegnarli, oppure disegna un poligono o un "
    "rettangolo (strumenti a sinistra sulla mappa): i comuni con il punto interno dentro la forma "
    "vanno alla zona attiva dopo la tua conferma. In fondo alla pagina, gli **strumenti**: nuove zone e "
    "modifiche (nome, colore, blocco, unione, eliminazione), assegnazione da elenco con la tastiera, "
    "area vasta."
)
workshop_participant_panel()  # only for workshop participants: send the proposal


# A click reruns only this fragment (map, statistics, warnings): the rest of the
# page does not depend on which zone a comune is in.
@st.fragment
def editor() -> None:
    with timing_log("zone/fragment"):
        editor_body()


def editor_body() -> None:
    ed.rerun_app_if_needed()
    area, plan = current_area(), current_plan()
    panels.toolbar(plan, history())
    # Fixed slots: a message or a preview appearing must not shift the map to a new
    # position in the page, or Streamlit would mount a new map (reload, lost view).
    with st.container():
        panels.flash_message(ed.take_message())
    with st.container():
        pending = st.session_state[ed.PENDING_KEY]
        if pending:
            _, effect = pending_change(area, plan, pending["codes"], pending["zone_id"])
            panels.pending_preview(area, plan, pending, effect)

    stats = zone_statistics(area, plan)
    zoom_codes, zoom_nonce = st.session_state[ed.ZOOM_KEY]
    collaborations = current_collaborations()  # read once per click, used twice
    overlays = collaboration_layer_toggles("editor", collaborations)
    map_col, stats_col = st.columns([3, 2], gap="medium")
    with map_col:
        show_map(
            plan, key=ed.MAP_KEY, drawing=True, on_change=ed.on_map_event, height=640, overlays=overlays,
            mode=st.session_state[ed.MODE_KEY], active_zone=st.session_state[ed.ACTIVE_KEY],
            can_edit_area=True, keep_drawing=bool(pending),
            highlight=tuple(pending["codes"]) if pending else tuple(zoom_codes),
            zoom_to=tuple(zoom_codes), zoom_nonce=zoom_nonce,
        )
    with stats_col:
        # Cards, title and chart in one element: one delta per click.
        st.markdown(cards_html([
            Card("Comuni non assegnati", f"{len(plan.unassigned)} su {format_number(len(plan.codes))}"),
            Card("Scarto massimo", f"{format_number(max_deviation(stats), 1)} %",
                 "Il maggiore scarto, in valore assoluto, tra i residenti di una zona e la media."),
        ]) + "<p><strong>Residenti per zona</strong> (linea rossa: media delle zone)</p>"
            + residents_bars_svg(stats, plan), unsafe_allow_html=True)
        panels.warnings(validate(area, plan))

    st.subheader("Statistiche per zona")
    table = statistics_display_table(stats)
    show_table(table, numeric=table.columns[1:], total_last=True)
    show_coverage_summary(area, plan, collaborations)


editor()

# Tools open on request: the page (and its first load) stays light while drawing.
tool = st.segmented_control("Strumenti", list(ed.TOOLS), format_func=ed.TOOLS.get, key=ed.TOOL_KEY)
if tool == "zone":
    panels.zone_management(current_plan())
elif tool == "elenco":
    panels.assign_from_list(current_area(), current_plan())
elif tool == "area":
    panels.area_vasta(current_area())
