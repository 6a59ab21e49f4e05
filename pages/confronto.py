"""Confronto scenari: two to four plans side by side, their statistics and the comuni that change zone."""

import streamlit as st

from geo import MAX_PLANS
from ui import comparison as cmp
from ui.display import attribution_caption
from ui.markdown import md
from ui.plan_choices import elsewhere_count
from ui.plan_images import compare, difference_png, plan_thumbnail
from ui.shipped import area_for

choices, left_out = cmp.comparable()

st.title("Confronto scenari")
st.caption("Scegli da 2 a 4 piani: il primo è il riferimento. Le zone dei piani sono abbinate per i comuni "
           "che hanno in comune (anche se hanno nomi diversi); un comune «cambia zona» quando in un piano "
           "non sta nella zona abbinata alla sua zona del riferimento.")
chosen = st.multiselect("Piani da confrontare", list(choices), key=cmp.CHOICE_KEY,
                        format_func=lambda k: choices[k].label, max_selections=MAX_PLANS)

if left_out:
    st.caption("Alcuni scenari contengono comuni non presenti nei dati attuali e non si possono confrontare.")
others = elsewhere_count()
if others:
    st.caption(f"Gli scenari di altri territori ({others}) non compaiono qui: si confrontano nel loro "
               "territorio (scelto nella barra laterale).")
if len(chosen) < 2:
    st.info("Scegli almeno due piani da confrontare. Se non hai scenari salvati, salvane uno nella pagina "
            "«Scenari».")
else:
    labelled = cmp.labelled(choices, chosen)
    comparison = compare(labelled)

    st.subheader("Le zone di ogni piano")
    for column, item, (_, plan_json) in zip(st.columns(len(chosen)), comparison.items, labelled):
        with column:
            st.image(plan_thumbnail(plan_json, item.label), width="stretch")
            st.dataframe(cmp.zones_summary(item), hide_index=True, width="stretch")

    st.subheader("Indicatori a confronto")
    st.caption(f"Tra parentesi la differenza rispetto a «{md(comparison.labels[0])}».")
    st.dataframe(comparison.summary_display(), hide_index=True, width="stretch")

    st.subheader("Omogeneità sugli indicatori scelti")
    st.caption("Quota delle differenze tra comuni spiegata dalle zone (0-1; media sugli indicatori, e per ciascuno). "
               "Confronta piani con lo stesso numero di zone: con più zone l'omogeneità di norma cresce. Gli "
               "indicatori si scelgono nella pagina «Zone omogenee».")
    st.dataframe(cmp.homogeneity_table(choices, chosen), hide_index=True, width="stretch")

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
            st.dataframe(cmp.full_statistics(item), hide_index=True, width="stretch")
attribution_caption()
