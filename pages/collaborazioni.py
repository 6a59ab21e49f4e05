"""Collaborazioni: who already works with whom, for which functions; coverage of the
four priority functions with the current zones; add, edit, close and import."""

import datetime as dt

import streamlit as st

from geo import FORM_LABELS, FUNCTION_LABELS, PRIORITY_FUNCTIONS, RUNNING, STATUS_LABELS
from geo import COHERENCE_HELP, capofila_distances, coherence, coherence_text, collaborations_table, coverage_by_zone
from geo import coverage_display_table, coverage_gaps, coverage_matrix, csv_bytes, distance_summary
from geo import distances_table, filter_collaborations, gaps_table, matrix_table, plan_splits, problems_table
from geo import read_collaborations, splits_table, write_collaborations_csv, xlsx_bytes
from geo import MAX_COLLABORATION_FILE_BYTES, SPREADSHEET_UPLOAD_TYPES
from ui import collaboration_form as cf
from ui import flash
from ui.collaborations import collaboration_layer_toggles, current_collaborations, import_key, save_imported
from ui.coordination import SIGN_IN_HINT, is_coordinator
from ui.markdown import md
from ui.display import attribution_caption
from ui.layout import page_header
from ui.map_widget import show_map
from ui.plan_session import current_area, current_plan
from ui.session import COLLABORATION_FORM as FORM
from ui.session import COLLABORATIONS
from ui.shipped import comune_labels, comune_names, comuni_points


def collaboration_form(collaborations, today: dt.date) -> None:
    """The add / edit / close form."""
    labels = comune_labels()
    names = {c.id: c.name for c in collaborations}
    st.selectbox("Collaborazione da modificare", [cf.NEW, *names], key=FORM.key("target"), on_change=cf.load_target,
                 format_func=lambda i: "➕ Nuova collaborazione" if i == cf.NEW else names.get(i, i))
    st.text_input("Nome", key=FORM.key("name"), max_chars=120)
    left, right = st.columns(2)
    left.selectbox("Forma", list(FORM_LABELS), key=FORM.key("form"), format_func=FORM_LABELS.get)
    right.multiselect("Funzioni svolte insieme", list(FUNCTION_LABELS), key=FORM.key("functions"),
                      format_func=FUNCTION_LABELS.get, placeholder="scegli le funzioni")
    st.toggle("Scegli i membri cliccando sulla mappa (un clic aggiunge, un secondo clic toglie)", key=FORM.key("pick"))
    options = sorted(labels, key=lambda c: labels[c].casefold())
    members = st.multiselect("Comuni membri (anche fuori dall'area vasta)", options, key=FORM.key("members"),
                             format_func=labels.get, placeholder="scegli i comuni")
    cf.keep_capofila_valid()
    left, right = st.columns(2)
    left.selectbox("Capofila", [cf.NEW, *members], key=FORM.key("capofila"),
                   format_func=lambda c: "non noto" if c == cf.NEW else labels.get(c, c))
    right.selectbox("Stato registrato", list(STATUS_LABELS), key=FORM.key("status"), format_func=STATUS_LABELS.get,
                    help="Dopo la data di fine la collaborazione risulta cessata; prima della data di inizio, "
                         "da costituire.")
    left, right = st.columns(2)
    left.date_input("Data di inizio (se nota)", key=FORM.key("start"), format="DD/MM/YYYY", value=None)
    right.date_input("Data di fine (se nota)", key=FORM.key("end"), format="DD/MM/YYYY", value=None)
    sources = st.text_area("Fonti (un indirizzo http:// o https:// per riga)", key=FORM.key("sources"), height=80)
    st.text_area("Note", key=FORM.key("notes"), height=80, max_chars=2000)
    st.checkbox("Da verificare (fonte vecchia o incerta)", key=FORM.key("verify"))
    if not sources.strip():
        st.caption("Indica almeno una fonte: chi legge deve poter controllare da dove viene il dato.")
    st.button("Salva", type="primary", on_click=cf.save, key=FORM.key("save"))

    if cf.editing():
        st.divider()
        st.markdown("**Chiudi la collaborazione**")
        cf.default_close_date(today)
        st.date_input("Ultimo giorno di attività", key=FORM.key("close_date"), format="DD/MM/YYYY")
        st.caption("Con una data passata risulta cessata; con una data futura, in scioglimento fino a quel giorno.")
        st.button("Chiudi", on_click=cf.close, args=(today,), key=FORM.key("close"))


cf.start()
area, plan = current_area(), current_plan()
collaborations = current_collaborations()
today = dt.date.today()

header = page_header("Collaborazioni intercomunali", (
    "Gestione locale intercomunale: le collaborazioni già attive o da costituire, per funzione, sulla stessa "
    "mappa delle zone omogenee. I dati iniziali vengono da fonti pubbliche citate record per record; quelli "
    "segnati «da verificare» vanno confermati.\n\nSotto la mappa: l'elenco, il modulo per aggiungerne o "
    "modificarne una (i membri si scelgono anche cliccando sulla mappa), l'importazione da file, la copertura "
    "dei servizi e la coerenza con le zone."))
day = header.date_input(
    "Situazione al", value=today, format="DD/MM/YYYY", key=COLLABORATIONS.key("day"), width=170,
    help="Lo stato di ogni collaborazione dipende dalle date: dopo la data di fine risulta cessata.")

map_col, side_col = st.columns([2, 1], gap="small")
with side_col:
    flash.show(cf.PLACE)
    overlays = collaboration_layer_toggles("collaborations", collaborations, day)
with map_col:
    show_map(plan, key=cf.MAP_KEY, overlays=overlays + cf.pick_overlays(), on_change=cf.on_map_pick)

tab_list, tab_edit, tab_import, tab_coverage, tab_plan = st.tabs(
    ["Elenco", "Nuova / modifica", "Importa", "Copertura dei servizi", "Zone e distanze"])

with tab_list:
    filters = st.columns(3)
    functions = filters[0].multiselect("Funzione", list(FUNCTION_LABELS), format_func=FUNCTION_LABELS.get,
                                       key=COLLABORATIONS.key("functions"), placeholder="tutte")
    statuses = filters[1].multiselect("Stato", list(STATUS_LABELS), format_func=STATUS_LABELS.get,
                                      key=COLLABORATIONS.key("statuses"), placeholder="tutti")
    labels = comune_labels()
    comune = filters[2].selectbox("Comune", [None, *sorted(labels, key=lambda c: labels[c].casefold())],
                                  format_func=lambda c: "tutti" if c is None else labels[c],
                                  key=COLLABORATIONS.key("comune"))
    shown = filter_collaborations(collaborations, functions=functions, statuses=statuses, comune=comune, day=day)
    st.caption(f"Collaborazioni mostrate: {len(shown)} su {len(collaborations)}.")
    st.dataframe(collaborations_table(shown, comune_names(), day), hide_index=True, width="stretch",
                 column_order=["Nome", "Forma", "Funzioni", "Comuni membri", "Capofila", "Stato", "Da verificare",
                               "Inizio", "Fine", "Fonte", "Note"],
                 column_config={"Fonte": st.column_config.LinkColumn("Fonte")})
    st.download_button("Scarica l'elenco (CSV)", write_collaborations_csv(shown), "collaborazioni.csv",
                       "text/csv", key=COLLABORATIONS.key("download_list"))

with tab_edit:
    if is_coordinator():
        collaboration_form(collaborations, today)
    else:
        st.info(f"Le collaborazioni sono condivise da tutti: le aggiunge, modifica e chiude il coordinamento; per "
                f"farlo {md(SIGN_IN_HINT)}. Ogni modifica resta registrata con autore e data.", icon="🔒")

with tab_import:
    st.write("Carica un file CSV (separato da `;` o `,`) o XLSX con una riga per collaborazione. "
             "Colonne obbligatorie: nome, forma, funzioni, membri (codici ISTAT), stato; facoltative: "
             "capofila, data_inizio, data_fine, fonte, note, da_verificare, id. Il file viene salvato "
             "solo se tutte le righe sono corrette.")
    st.download_button("Scarica il modello (CSV)", write_collaborations_csv([]), "modello_collaborazioni.csv",
                       "text/csv", key=COLLABORATIONS.key("download_template"))
    upload = None
    if is_coordinator():
        upload = st.file_uploader("File da importare", type=SPREADSHEET_UPLOAD_TYPES, key=import_key(),
                                  max_upload_size=max(1, MAX_COLLABORATION_FILE_BYTES // (1024 * 1024)))
    else:
        st.info(f"Importare collaborazioni spetta al coordinamento: {md(SIGN_IN_HINT)}.", icon="🔒")
    if upload is not None:
        result = read_collaborations(upload.getvalue(), upload.name, comune_names(), collaborations)
        if result.ok:
            st.success(f"Il file è corretto. Collaborazioni pronte da salvare: {len(result.collaborations)}.")
            st.dataframe(collaborations_table(result.collaborations, comune_names(), day), hide_index=True,
                         width="stretch", column_order=["Nome", "Forma", "Funzioni", "Comuni membri", "Stato"])
            st.button("Salva le collaborazioni importate", type="primary", key=COLLABORATIONS.key("import_save"),
                      on_click=save_imported, args=(result.collaborations,))
            flash.show("collaborations_import")
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
                                 "text/csv", key=COLLABORATIONS.key("download_matrix_csv"))
    downloads[1].download_button("Scarica la matrice (Excel)", xlsx_bytes(matrix), "copertura_servizi.xlsx",
                                 key=COLLABORATIONS.key("download_matrix_xlsx"))
    st.subheader("Scoperture")
    st.caption("Comuni senza una collaborazione in funzione per la funzione indicata («prevista»: solo da costituire).")
    st.dataframe(gaps_table(coverage_gaps(area, plan, collaborations, day)), hide_index=True, width="stretch")

with tab_plan:
    splits = plan_splits(plan, collaborations, day)
    score = coherence(splits)
    cards = st.columns(2)
    cards[0].metric("Collaborazioni rispettate", coherence_text(score), help=COHERENCE_HELP)
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
