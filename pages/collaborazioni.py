"""Collaborazioni: who already works with whom, for which functions; coverage of the
four priority functions with the current zones; add, edit, close and import."""

import datetime as dt

import streamlit as st

from geo.io.spreadsheet import SPREADSHEET_UPLOAD_TYPES, csv_bytes, xlsx_bytes
from geo.io.collaboration_files import MAX_BYTES, read_collaborations, write_collaborations_csv
from geo.render.collaboration_tables import (
    coherence_text, collaborations_table, coverage_display_table, distances_table, gaps_table,
    matrix_table, problems_table, splits_table,
)
from geo.collaborations.catalogue import filter_collaborations
from geo.collaborations.model import FUNCTION_LABELS, PRIORITY_FUNCTIONS, RUNNING, STATUS_LABELS
from geo.collaborations.coverage import coherence, coverage_by_zone, coverage_gaps, coverage_matrix, plan_splits
from geo.collaborations.distances import capofila_distances, distance_summary
from pages.collab_common import (
    collaboration_layer_toggles, collaboration_store, comune_labels, comune_names, comuni_points,
    current_collaborations,
)
from pages.collab_editor import apply_pick, editor, flash, init_state, pick_overlays, plain, show_flash
from pages.common import attribution_caption, current_area, current_plan, show_map

init_state()
area, plan = current_area(), current_plan()
collaborations = current_collaborations()
today = dt.date.today()

st.title("Collaborazioni intercomunali")
st.write("Gestione locale intercomunale: le collaborazioni già attive o da costituire, per funzione, "
         "sulla stessa mappa delle zone omogenee. I dati iniziali vengono da fonti pubbliche citate "
         "record per record; quelli segnati «da verificare» vanno confermati.")
day = st.columns([1, 3])[0].date_input(
    "Situazione al", value=today, format="DD/MM/YYYY", key="collab_day",
    help="Lo stato di ogni collaborazione dipende dalle date: dopo la data di fine risulta cessata.")
show_flash()

overlays = collaboration_layer_toggles("collaborazioni", collaborations, day)
show_map(plan, key="mappa_collaborazioni", overlays=overlays + pick_overlays(),
         on_change=apply_pick)

tab_list, tab_edit, tab_import, tab_coverage, tab_plan = st.tabs(
    ["Elenco", "Nuova / modifica", "Importa", "Copertura dei servizi", "Zone e distanze"])

with tab_list:
    filters = st.columns(3)
    functions = filters[0].multiselect("Funzione", list(FUNCTION_LABELS), format_func=FUNCTION_LABELS.get,
                                       key="collab_f_funzioni", placeholder="tutte")
    statuses = filters[1].multiselect("Stato", list(STATUS_LABELS), format_func=STATUS_LABELS.get,
                                      key="collab_f_stati", placeholder="tutti")
    labels = comune_labels()
    comune = filters[2].selectbox("Comune", [None, *sorted(labels, key=lambda c: labels[c].casefold())],
                                  format_func=lambda c: "tutti" if c is None else labels[c], key="collab_f_comune")
    shown = filter_collaborations(collaborations, functions=functions, statuses=statuses, comune=comune, day=day)
    st.caption(f"Collaborazioni mostrate: {len(shown)} su {len(collaborations)}.")
    st.dataframe(collaborations_table(shown, comune_names(), day), hide_index=True, width="stretch",
                 column_order=["Nome", "Forma", "Funzioni", "Comuni membri", "Capofila", "Stato", "Da verificare",
                               "Inizio", "Fine", "Fonte", "Note"],
                 column_config={"Fonte": st.column_config.LinkColumn("Fonte")})
    st.download_button("Scarica l'elenco (CSV)", write_collaborations_csv(shown), "collaborazioni.csv",
                       "text/csv", key="collab_dl_elenco")

with tab_edit:
    editor(collaborations, today)

with tab_import:
    st.write("Carica un file CSV (separato da `;` o `,`) o XLSX con una riga per collaborazione. "
             "Colonne obbligatorie: nome, forma, funzioni, membri (codici ISTAT), stato; facoltative: "
             "capofila, data_inizio, data_fine, fonte, note, da_verificare, id. Il file viene salvato "
             "solo se tutte le righe sono corrette.")
    st.download_button("Scarica il modello (CSV)", write_collaborations_csv([]), "modello_collaborazioni.csv",
                       "text/csv", key="collab_dl_modello")
    nonce = st.session_state.setdefault("collab_import_nonce", 0)
    upload = st.file_uploader("File da importare", type=SPREADSHEET_UPLOAD_TYPES, key=f"collab_import_{nonce}",
                              max_upload_size=max(1, MAX_BYTES // (1024 * 1024)))
    if upload is not None:
        result = read_collaborations(upload.getvalue(), upload.name, comune_names(), collaborations)
        if result.ok:
            st.success(f"Il file è corretto. Collaborazioni pronte da salvare: {len(result.collaborations)}.")
            st.dataframe(collaborations_table(result.collaborations, comune_names(), day), hide_index=True,
                         width="stretch", column_order=["Nome", "Forma", "Funzioni", "Comuni membri", "Stato"])
            if st.button("Salva le collaborazioni importate", type="primary", key="collab_import_save"):
                try:
                    collaboration_store().add_many(result.collaborations, action="importazione")
                except ValueError as exc:
                    st.error(plain(str(exc)))
                else:
                    st.session_state["collab_import_nonce"] = nonce + 1
                    flash(f"Collaborazioni importate e salvate: {len(result.collaborations)}.")
                    st.rerun()
        else:
            st.error(f"Il file ha {len(result.problems)} problemi: non è stato salvato nulla. "
                     "Correggi le righe indicate e caricalo di nuovo.")
            st.dataframe(problems_table(result.problems), hide_index=True, width="stretch")

with tab_coverage:
    st.write(f"Comuni e residenti (1° gennaio 2023) coperti da una collaborazione in funzione al "
             f"{day:%d/%m/%Y}, per le quattro funzioni prioritarie, con le zone attuali.")
    st.dataframe(coverage_display_table(coverage_by_zone(area, plan, collaborations, day)),
                 hide_index=True, width="stretch")
    st.subheader("Matrice comune × funzione")
    matrix = matrix_table(coverage_matrix(area.codes, collaborations, PRIORITY_FUNCTIONS, day), area, plan)
    st.dataframe(matrix, hide_index=True, width="stretch")
    downloads = st.columns(2)
    downloads[0].download_button("Scarica la matrice (CSV)", csv_bytes(matrix), "copertura_servizi.csv",
                                 "text/csv", key="collab_dl_matrice_csv")
    downloads[1].download_button("Scarica la matrice (Excel)", xlsx_bytes(matrix), "copertura_servizi.xlsx",
                                 key="collab_dl_matrice_xlsx")
    st.subheader("Scoperture")
    st.caption("Comuni senza una collaborazione in funzione per la funzione indicata («prevista»: solo da costituire).")
    st.dataframe(gaps_table(coverage_gaps(area, plan, collaborations, day)), hide_index=True, width="stretch")

with tab_plan:
    splits = plan_splits(plan, collaborations, day)
    score = coherence(splits)
    cards = st.columns(2)
    cards[0].metric("Coerenza del piano con le collaborazioni", coherence_text(score),
                    help="Quota delle adesioni (comune × collaborazione) che restano in collaborazioni tutte "
                         "dentro una sola zona. Esclude le collaborazioni cessate e i comuni non assegnati.")
    cards[1].metric("Collaborazioni divise tra più zone", str(sum(s.is_split for s in splits)))
    st.caption(f"Adesioni (comune × collaborazione) in collaborazioni non divise: {score.kept} su {score.total}.")
    st.dataframe(splits_table(splits, plan, comune_names()), hide_index=True, width="stretch")
    st.subheader("Distanze dal capofila")
    st.caption("Distanza in linea d'aria tra un punto interno di ogni comune membro e quello del capofila "
               "(calcolata in metri, EPSG:32632). Solo collaborazioni non cessate con capofila noto.")
    running = filter_collaborations(collaborations, statuses=RUNNING, day=day)
    summary = distance_summary(capofila_distances(comuni_points(), running))
    st.dataframe(distances_table(summary, running, comune_names(), day), hide_index=True, width="stretch")

attribution_caption()
