"""Confronto scenari: two to four plans side by side, their statistics and the comuni that change zone."""

import json

import streamlit as st

from geo.render.statistics_table import statistics_display_table
from geo.zoning.plan import Plan
from geo.render.difference_map import difference_map_png
from geo.zoning.compare import MAX_PLANS, ComparedPlan, compare_plans
from geo.zoning.statistics import statistics_registry, zone_statistics
from pages.common import area_for, attribution_caption, current_plan, scenario_store, shipped_comuni
from pages.common import md
from pages.scenari_state import plan_key, plan_thumbnail, scenario_label

CURRENT = "__piano_attuale__"
CHOICE_KEY = "confronto_scelta"


@st.cache_data(show_spinner=False, max_entries=16)
def difference_png(labelled_plans: tuple[tuple[str, str], ...]) -> bytes:
    comparison = compare_plans([compared(label, plan_json) for label, plan_json in labelled_plans])
    return difference_map_png(comparison, area_for(comparison.union_codes))


def compared(label: str, plan_json: str) -> ComparedPlan:
    plan = Plan.from_dict(json.loads(plan_json))
    return ComparedPlan(label, area_for(plan.codes), plan)


scenarios = {s.id: s for s in scenario_store().list()}
known = set(shipped_comuni().index)
openable = {i: s for i, s in scenarios.items() if set(s.area_codes) <= known}
options = [CURRENT, *openable]
labels = {CURRENT: "Piano attuale (anche se non salvato)"} | {i: scenario_label(s) for i, s in openable.items()}
plans = {CURRENT: current_plan()} | {i: s.plan for i, s in openable.items()}
names = {CURRENT: "Piano attuale"} | {i: s.name for i, s in openable.items()}

st.title("Confronto scenari")
st.caption("Scegli da 2 a 4 piani: il primo è il riferimento. Le zone dei piani sono abbinate per i comuni "
           "che hanno in comune (anche se hanno nomi diversi); un comune «cambia zona» quando in un piano "
           "non sta nella zona abbinata alla sua zona del riferimento.")
if st.session_state.get(CHOICE_KEY) is None:
    st.session_state[CHOICE_KEY] = options[:2]
st.session_state[CHOICE_KEY] = [o for o in st.session_state[CHOICE_KEY] if o in options]
st.multiselect("Piani da confrontare", options, key=CHOICE_KEY, format_func=labels.get,
               max_selections=MAX_PLANS)
chosen = st.session_state[CHOICE_KEY]

if len(openable) < len(scenarios):
    st.caption("Alcuni scenari contengono comuni non presenti nei dati attuali e non si possono confrontare.")
if len(chosen) < 2:
    st.info("Scegli almeno due piani da confrontare. Se non hai scenari salvati, salvane uno nella pagina "
            "«Scenari».")
else:
    labelled = tuple((names[o], plan_key(plans[o])) for o in chosen)
    comparison = compare_plans([compared(label, plan_json) for label, plan_json in labelled])

    st.subheader("Le zone di ogni piano")
    for column, item, (_, plan_json) in zip(st.columns(len(chosen)), comparison.items, labelled):
        with column:
            st.image(plan_thumbnail(plan_json, item.label), width="stretch")
            st.dataframe(statistics_display_table(zone_statistics(item.area, item.plan),
                                                  keys=statistics_registry().short),
                         hide_index=True, width="stretch")

    st.subheader("Indicatori a confronto")
    st.caption(f"Tra parentesi la differenza rispetto a «{md(comparison.labels[0])}».")
    st.dataframe(comparison.summary_display(), hide_index=True, width="stretch")

    st.subheader("Zone abbinate")
    st.dataframe(comparison.zone_pairs_display(), hide_index=True, width="stretch")

    st.subheader("Comuni che cambiano zona")
    if not comparison.changed and not comparison.area_differences:
        st.success("Nessuna differenza: in tutti i piani ogni comune sta nella zona abbinata.")
    else:
        st.markdown(f"**{len(comparison.changed)}** comuni cambiano zona"
                    + (f"; **{len(comparison.area_differences)}** sono nell'area solo di alcuni piani"
                       if comparison.area_differences else "") + ".")
        map_column, list_column = st.columns([3, 2])
        map_column.image(difference_png(labelled), width="stretch")
        list_column.dataframe(comparison.changes_table(area_for(comparison.union_codes).name), hide_index=True,
                              width="stretch")

    with st.expander("Statistiche complete di ogni piano"):
        for item in comparison.items:
            st.markdown(f"**{md(item.label)}**")
            st.dataframe(statistics_display_table(zone_statistics(item.area, item.plan)), hide_index=True,
                         width="stretch")
attribution_caption()
