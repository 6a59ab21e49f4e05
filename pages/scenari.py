"""Scenari: save the current plan, reopen, rename, duplicate, delete; export, import, share."""

import streamlit as st

from geo import MAX_IMPORT_BYTES, MAX_SCENARIO_AUTHOR_LENGTH, MAX_SCENARIO_NAME_LENGTH, MAX_SCENARIO_NOTES_LENGTH
from geo import import_plan, plan_upload_caption, plan_upload_types, scenario_table
from ui import flash
from ui import scenario_history as sh
from ui import scenarios as sc
from ui.coordination import SIGN_IN_HINT, is_coordinator
from ui.display import attribution_caption
from ui.markdown import md
from ui.plan_images import plan_key, plan_thumbnail
from ui.plan_session import current_area, current_plan
from ui.session import SCENARIOS
from ui.stores import stores
from ui.territory import available, current_id, name_of

sc.start()
scenarios = stores().scenarios.list()
by_id = {s.id: s for s in scenarios}

st.title("Scenari")
st.caption("Salva le proposte di zone omogenee, riaprile nella prossima riunione, esportale per gli uffici "
           "e condividile con un link.")
flash.show(sc.PLACE)
st.markdown(sc.status_line())

st.subheader("Salva il piano attuale")
with st.form(SCENARIOS.key("save"), enter_to_submit=False):
    st.text_input("Nome dello scenario", key=SCENARIOS.key("name"), max_chars=MAX_SCENARIO_NAME_LENGTH,
                  placeholder="Ad esempio: Proposta riunione sindaci di marzo")
    st.text_input("Autore", key=SCENARIOS.key("author"), max_chars=MAX_SCENARIO_AUTHOR_LENGTH)
    st.text_area("Note", key=SCENARIOS.key("notes"), max_chars=MAX_SCENARIO_NOTES_LENGTH, height=90,
                 placeholder="Perché questa proposta, chi l'ha discussa...")
    st.form_submit_button("Salva come nuovo scenario", type="primary", on_click=sc.save_new)
if sc.opened() and sc.has_unsaved_changes():
    if sc.may_change(sc.opened().id):
        st.button(f"Salva le modifiche nello scenario «{md(sc.opened().name)}»", on_click=sc.save_changes)
    else:
        st.caption(f"Lo scenario «{md(sc.opened().name)}» è stato salvato da un altro browser: salva le modifiche "
                   f"come nuovo scenario, oppure {md(SIGN_IN_HINT)} per sovrascriverlo.")

st.subheader("Scenari salvati")
if not scenarios:
    st.info("Nessuno scenario salvato finora: salva il piano attuale qui sopra.")
else:
    st.dataframe(scenario_table(scenarios, sc.territory_names(scenarios)), hide_index=True, width="stretch")
    sc.keep_selection_valid(scenarios)
    chooser, preview = st.columns([3, 2], gap="medium")
    with chooser:
        chosen = by_id[st.selectbox("Scenario", list(by_id), key=SCENARIOS.key("selected"),
                                    format_func=lambda i: sc.scenario_label(by_id[i]),
                                    on_change=sc.load_details_for_editing)]
        if chosen.notes:
            st.caption(f"Note: {md(chosen.notes)}")
        elsewhere = chosen.territory != current_id()
        if elsewhere:
            st.info(f"Lo scenario è del territorio «{md(name_of(chosen.territory))}»: si apre in quel territorio. "
                    "Il piano di questo territorio resta nella sessione.")
            st.button(f"Passa al territorio «{md(name_of(chosen.territory))}»", on_click=sc.switch_to_territory_of_selected,
                      disabled=not available(chosen.territory))
        confirmed = True
        if sc.has_unsaved_changes() and not elsewhere:
            st.warning("Il piano attuale ha modifiche non salvate: aprendo uno scenario le perderai. "
                       "Salvale prima, oppure conferma.")
            confirmed = st.checkbox("Apri comunque e rinuncia alle modifiche", key=SCENARIOS.key("confirm_open"))
        with st.container(horizontal=True):
            st.button("Apri lo scenario", type="primary", on_click=sc.open_selected, disabled=not confirmed)
            st.button("Duplica", on_click=sc.duplicate_selected)
    if available(chosen.territory):
        preview.image(plan_thumbnail(plan_key(chosen.plan), chosen.name, chosen.territory), width="stretch")

    if sc.may_change(chosen.id):
        with st.expander("Rinomina o modifica autore e note"):
            with st.form(SCENARIOS.key("edit"), enter_to_submit=False):
                st.text_input("Nome", key=SCENARIOS.key("edit_name"), max_chars=MAX_SCENARIO_NAME_LENGTH)
                st.text_input("Autore", key=SCENARIOS.key("edit_author"), max_chars=MAX_SCENARIO_AUTHOR_LENGTH)
                st.text_area("Note", key=SCENARIOS.key("edit_notes"), max_chars=MAX_SCENARIO_NOTES_LENGTH, height=90)
                st.form_submit_button("Salva nome e note", on_click=sc.save_details)
        with st.expander("Elimina lo scenario"):
            sure = st.checkbox(f"Confermo: sposta «{md(chosen.name)}» nel cestino (si può ripristinare)",
                               key=SCENARIOS.key("confirm_delete"))
            st.button("Sposta nel cestino", on_click=sc.delete_selected, disabled=not sure)
    else:
        st.caption(f"«{md(chosen.name)}» è stato salvato da un altro browser: puoi aprirlo, duplicarlo ed "
                   f"esportarlo; per rinominarlo, sovrascriverlo o eliminarlo {md(SIGN_IN_HINT)}.")
    with st.expander("Versioni salvate"):
        versions = stores().scenarios.versions(chosen.id)
        st.dataframe(sh.versions_table(versions), hide_index=True, width="stretch")
        older = [v.revision for v in versions if v.revision != chosen.revision]
        if older and sc.may_change(chosen.id):
            with st.container(horizontal=True, vertical_alignment="bottom"):
                revision = st.selectbox("Versione da ripristinare", older, key=SCENARIOS.key("restore_revision"))
                st.button("Ripristina questa versione", on_click=sh.restore_version,
                          args=(chosen.id, revision, chosen.revision))
            st.caption("Il ripristino crea una nuova versione: quella attuale resta nell'elenco.")

bin_entries = stores().scenarios.bin()
if bin_entries:
    with st.expander(f"Cestino ({len(bin_entries)})", icon=":material/delete:"):
        st.dataframe(sh.bin_table(bin_entries), hide_index=True, width="stretch")
        binned = {e.scenario_id: e for e in bin_entries}
        with st.container(horizontal=True, vertical_alignment="bottom"):
            picked = st.selectbox("Scenario nel cestino", list(binned), key=SCENARIOS.key("binned"),
                                  format_func=lambda i: binned[i].name)
            st.button("Ripristina", on_click=sh.restore_from_bin, args=(picked,),
                      disabled=not sh.may_restore(binned[picked]), key=SCENARIOS.key("restore_binned"))
        if is_coordinator():
            sure = st.checkbox("Confermo: elimina per sempre gli scenari del cestino",
                               key=SCENARIOS.key("confirm_empty_bin"))
            st.button("Svuota il cestino", on_click=sh.empty_bin, disabled=not sure)
        else:
            st.caption(f"Chi ha creato uno scenario (dallo stesso browser) può ripristinarlo; per svuotare il "
                       f"cestino {md(SIGN_IN_HINT)}.")

st.subheader("Esporta il piano attuale")
st.caption("GeoPackage e GeoJSON si aprono in QGIS (livelli dei comuni e delle zone con le statistiche); "
           "CSV ed Excel negli uffici (codici ISTAT come testo, con lo zero iniziale); l'immagine va nei documenti.")
downloads = sc.export_downloads()
for column, (fmt, file_name, build) in zip(st.columns(len(downloads)), downloads):
    column.download_button(f"⬇️ {fmt.label}", data=build, file_name=file_name, mime=fmt.mime, on_click="ignore",
                           key=SCENARIOS.key("export", item=fmt.key), width="stretch")

st.subheader("Importa un piano da file")
st.caption(plan_upload_caption())
upload = st.file_uploader("File da importare", type=plan_upload_types(),
                          key=sc.upload_key(), max_upload_size=max(1, MAX_IMPORT_BYTES // (1024 * 1024)))
if upload is not None:
    result = import_plan(upload.name, upload.getvalue(), current_area(), current_plan())
    if not result.ok:
        st.error(sc.import_refusal(upload.name, result.problems))
    else:
        st.success(sc.import_summary(upload.name, result.plan))
        for note in result.notes:
            st.info(md(note))
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
if is_coordinator():
    with st.expander("Registro delle modifiche condivise (coordinamento)", icon=":material/history:"):
        changes = sh.change_log_table()
        if changes is None:
            st.caption("Nessuna modifica registrata finora.")
        else:
            st.dataframe(changes, hide_index=True, width="stretch")
attribution_caption()
