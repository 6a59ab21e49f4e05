"""Scenari: save the current plan, reopen, rename, duplicate, delete; export, import, share."""

import streamlit as st

from geo.io.formats import MAX_IMPORT_BYTES, plan_upload_caption, plan_upload_types
from geo.io.plan_import import import_plan
from geo.store.scenarios import MAX_AUTHOR_LENGTH, MAX_NAME_LENGTH, MAX_NOTES_LENGTH, scenario_table
from pages import scenari_state as sc
from pages.common import attribution_caption, current_area, current_plan, scenario_store

sc.init_state()
area, plan = current_area(), current_plan()
scenarios = scenario_store().list()
by_id = {s.id: s for s in scenarios}

st.title("Scenari")
st.caption("Salva le proposte di zone omogenee, riaprile nella prossima riunione, esportale per gli uffici "
           "e condividile con un link.")
message = sc.take_message()
if message:
    (st.success if message[0] == "success" else st.error)(message[1])

mark = sc.opened()
status = f"**Piano attuale**: {len(plan.zones)} zone, {len(plan.codes)} comuni"
if plan.unassigned:
    status += f" ({len(plan.unassigned)} non assegnati)"
if mark:
    status += f"; scenario aperto: **{sc.md(mark['name'])}**"
    status += " (con modifiche non salvate)" if sc.has_unsaved_changes() else " (nessuna modifica)"
st.markdown(status)

st.subheader("Salva il piano attuale")
with st.form("scenari_salva"):
    st.text_input("Nome dello scenario", key=sc.NAME_KEY, max_chars=MAX_NAME_LENGTH,
                  placeholder="Ad esempio: Proposta riunione sindaci di marzo")
    st.text_input("Autore", key=sc.AUTHOR_KEY, max_chars=MAX_AUTHOR_LENGTH)
    st.text_area("Note", key=sc.NOTES_KEY, max_chars=MAX_NOTES_LENGTH, height=90,
                 placeholder="Perché questa proposta, chi l'ha discussa...")
    st.form_submit_button("Salva come nuovo scenario", type="primary", on_click=sc.save_new)
if mark and sc.has_unsaved_changes():
    st.button(f"Salva le modifiche nello scenario «{sc.md(mark['name'])}»", on_click=sc.save_changes)

st.subheader("Scenari salvati")
if not scenarios:
    st.info("Nessuno scenario salvato finora: salva il piano attuale qui sopra.")
else:
    st.dataframe(scenario_table(scenarios), hide_index=True, width="stretch")
    if st.session_state.get(sc.SELECTED_KEY) not in by_id:
        st.session_state[sc.SELECTED_KEY] = scenarios[0].id
        sc.load_details_for_editing()
    chooser, preview = st.columns([3, 2], gap="medium")
    with chooser:
        st.selectbox("Scenario", list(by_id), key=sc.SELECTED_KEY,
                     format_func=lambda i: sc.scenario_label(by_id[i]), on_change=sc.load_details_for_editing)
        chosen = by_id[st.session_state[sc.SELECTED_KEY]]
        if chosen.notes:
            st.caption(f"Note: {sc.md(chosen.notes)}")
        needs_confirmation = sc.has_unsaved_changes()
        if needs_confirmation:
            st.warning("Il piano attuale ha modifiche non salvate: aprendo uno scenario le perderai. "
                       "Salvale prima, oppure conferma.")
            st.checkbox("Apri comunque e rinuncia alle modifiche", key=sc.CONFIRM_OPEN_KEY)
        with st.container(horizontal=True):
            st.button("Apri lo scenario", type="primary", on_click=sc.open_selected,
                      disabled=needs_confirmation and not st.session_state.get(sc.CONFIRM_OPEN_KEY))
            st.button("Duplica", on_click=sc.duplicate_selected)
    preview.image(sc.plan_thumbnail(sc.plan_key(chosen.plan), chosen.name), width="stretch")

    with st.expander("Rinomina o modifica autore e note"):
        with st.form("scenari_modifica"):
            st.text_input("Nome", key=sc.EDIT_NAME_KEY, max_chars=MAX_NAME_LENGTH)
            st.text_input("Autore", key=sc.EDIT_AUTHOR_KEY, max_chars=MAX_AUTHOR_LENGTH)
            st.text_area("Note", key=sc.EDIT_NOTES_KEY, max_chars=MAX_NOTES_LENGTH, height=90)
            st.form_submit_button("Salva nome e note", on_click=sc.save_details)

    with st.expander("Elimina lo scenario"):
        st.checkbox(f"Confermo: elimina «{sc.md(chosen.name)}» per tutti (non si può annullare)", key=sc.CONFIRM_DELETE_KEY)
        st.button("Elimina definitivamente", on_click=sc.delete_selected,
                  disabled=not st.session_state.get(sc.CONFIRM_DELETE_KEY))

st.subheader("Esporta il piano attuale")
st.caption("GeoPackage e GeoJSON si aprono in QGIS (livelli dei comuni e delle zone con le statistiche); "
           "CSV ed Excel negli uffici (codici ISTAT come testo, con lo zero iniziale); l'immagine va nei documenti.")
downloads = sc.export_downloads()
for column, (fmt, file_name, build) in zip(st.columns(len(downloads)), downloads):
    column.download_button(f"⬇️ {fmt.label}", data=build, file_name=file_name, mime=fmt.mime, on_click="ignore",
                           key=f"scenari_esporta_{fmt.key}", width="stretch")

st.subheader("Importa un piano da file")
st.caption(plan_upload_caption())
upload = st.file_uploader("File da importare", type=plan_upload_types(),
                          key=sc.upload_key(), max_upload_size=max(1, MAX_IMPORT_BYTES // (1024 * 1024)))
if upload is not None:
    result = import_plan(upload.name, upload.getvalue(), area, plan)
    if not result.ok:
        st.error(f"Il file «{sc.md(upload.name)}» non è stato importato: il piano attuale non è cambiato.\n\n"
                 + "\n".join(f"- {sc.md(p)}" for p in result.problems))
    else:
        zones = ", ".join(f"{sc.md(z.name)} ({len(result.plan.members(z.id))} comuni)" for z in result.plan.zones)
        st.success(f"Il file «{sc.md(upload.name)}» è valido: {len(result.plan.zones)} zone: {zones}.")
        for note in result.notes:
            st.info(sc.md(note))
        st.button("Usa il piano importato", type="primary", on_click=sc.apply_import,
                  args=(result.plan, upload.name))

st.subheader("Link di condivisione")
url, problem = sc.share_url()
if url:
    st.caption("Chi apre questo indirizzo vede queste zone. Il link non salva nulla: per conservare il piano "
               "salvalo come scenario.")
    st.code(url, language=None, wrap_lines=True)
else:
    st.warning(problem)
attribution_caption()
