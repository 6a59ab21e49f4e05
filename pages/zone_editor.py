"""Zone omogenee: redraw the zones on the map, with live statistics."""

import streamlit as st

from geo import Card, cards_html, format_number, max_deviation, residents_bars_svg
from geo import validate, zone_statistics
from geo import HOMOGENEITY_HELP, homogeneity, homogeneity_score_text
from ui import editor as ed
from ui import flash
from ui.area_editing import addable_codes, change_area, edit_log_table
from ui.coordination import SIGN_IN_HINT, is_coordinator
from ui.collaborations import chosen_layer_overlays, current_collaborations, layer_pills, show_coverage_summary
from ui.display import show_statistics_table
from ui.errors import fragment
from ui.homogeneity import homogeneity_details, homogeneity_panel
from ui.indicators import chosen_indicators, colouring_controls, map_thematic, session_registry
from ui.layout import page_header
from ui.map_widget import show_map
from ui.markdown import md
from ui.plan_session import current_area, current_plan, history
from ui.session import EDITOR, USER
from ui.suggestion_panel import suggestion_tool
from ui.shipped import joinable, shipped_comuni
from ui.territory import current
from ui.timing import timing_log
from ui.workshop import workshop_participant_panel


def header() -> None:
    """Title, help, mode, colours and collaboration layers in one row, above the editor's
    fragment: a click does not redraw them (changing one of them reruns the page)."""
    row = page_header("Zone omogenee", ed.HELP)
    ed.keep_mode_valid()
    modes = ed.modes()  # the area vasta's tools are the coordination's
    row.segmented_control("Modalità", list(modes), format_func=modes.get, key=EDITOR.key("mode"),
                          required=True, label_visibility="collapsed",
                          help="Cosa fa un clic (o un tocco) su un comune della mappa.")
    with row.popover("Colori", icon=":material/palette:",
                     help="Colora i comuni per zona oppure per un indicatore (in classi)."):
        colouring_controls()
    with row.popover("Collaborazioni", icon=":material/layers:", help="Mostra sulla mappa le collaborazioni "
                     "intercomunali, per funzione."):
        layer_pills("editor")  # the map, in the fragment, reads them


def zone_picker(plan, hist) -> None:
    # Pills rather than a selectbox: one click (or tap) to pick the zone to paint
    # with, every zone in view, its name as written.
    ed.keep_active_zone_valid()
    if plan.zone_ids:
        st.pills("Zona attiva", plan.zone_ids, format_func=ed.zone_pill_label(plan), key=EDITOR.key("active_zone"),
                 required=True, help="La zona a cui va un comune quando ci fai clic (o lo tocchi).")
    else:
        st.caption("Nessuna zona: aggiungine una con «Gestione zone», sotto la mappa.")
    # One flex row rather than columns: one block to send per click.
    row = st.container(horizontal=True, gap="small")
    row.button("Annulla ultima modifica", icon=":material/undo:", on_click=ed.undo, disabled=not hist.can_undo,
               help=f"{len(hist.past)} passi annullabili")
    row.button("Ripeti", icon=":material/redo:", on_click=ed.redo, disabled=not hist.can_redo,
               help="Rifà la modifica appena annullata.")
    note = current().territory.starting_plan_note
    row.button("Proposta iniziale", icon=":material/restart_alt:", on_click=ed.reset_to_default,
               help=f"Ricomincia dalla proposta iniziale (le zone di partenza{f': {note}' if note else ''}); "
                    "si può annullare.")


def pending_preview(area, plan, pending) -> None:
    zone = plan.zone(pending.zone_id)
    effect = ed.preview_table(area, plan, pending)
    with st.container(border=True):
        st.markdown(f"**Anteprima: {len(pending.codes)} comuni verso «{md(zone.name)}»**")
        st.caption(", ".join(area.names(pending.codes)))
        if effect.empty:
            st.info("Questi comuni sono già nella zona (o in zone bloccate): nessun cambiamento.")
        else:
            st.dataframe(effect, hide_index=True, width="stretch")
        ok, cancel = st.columns(2)
        ok.button("Conferma", type="primary", on_click=ed.confirm_pending, width="stretch")
        cancel.button("Scarta la selezione", on_click=ed.cancel_pending, width="stretch")


def deviation_card(stats, registry) -> Card:
    stat = registry["scarto_media"]
    return Card("Differenza massima dalla media", f"{stat.format(max_deviation(stats))} %",
                "Quanto la zona più lontana dalla media si discosta, in residenti, dalla media delle zone "
                "(in valore assoluto, in per cento della media; nome tecnico: scarto massimo dalla media).")


def warnings(problems) -> None:
    st.markdown("**Avvisi**")
    if not problems:
        st.success("Nessun avviso: tutti i comuni sono assegnati e ogni zona è contigua.")
        return
    for i, problem in enumerate(problems):
        box = st.container(border=True)
        box.warning(md(problem.message))
        if problem.codes:
            box.button("Mostra sulla mappa", key=EDITOR.key("zoom", item=i), on_click=ed.zoom_to, args=(problem.codes,))


# A click reruns only this fragment (map, statistics, warnings): the rest of the
# page does not depend on which zone a comune is in.
@fragment
def editor() -> None:
    with timing_log("zone/fragment"):
        editor_body()


def editor_body() -> None:
    ed.rerun_app_if_needed()
    area, plan = current_area(), current_plan()
    registry = session_registry()
    alike = homogeneity(area, plan, chosen_indicators())
    collaborations = current_collaborations()  # read once per click, used twice
    overlays = chosen_layer_overlays("editor", collaborations)
    stats = zone_statistics(area, plan, registry)
    # The map fills the viewport below the header; beside it, in view: the zone
    # picker, undo, the messages about what the user just did, the figures.
    map_col, side_col = st.columns([2, 1], gap="small")
    with map_col:
        show_map(plan, key=ed.MAP_KEY, drawing=True, on_change=ed.on_map_event, overlays=overlays,
                 thematic=map_thematic(area), **ed.map_options())
    with side_col:
        zone_picker(plan, history())
        # Fixed slots: a message or a preview appearing must not move the map to a
        # new position in the page, or Streamlit would mount a new map (reload, lost view).
        with st.container():
            ed.show_draft_notices()
            flash.show(ed.PLACE)
        with st.container():
            pending = ed.pending()
            if pending:
                pending_preview(area, plan, pending)
        workshop_participant_panel()  # only for workshop participants: send the proposal
        # Cards, title and chart in one element: one delta per click.
        st.markdown(cards_html([
            Card("Comuni non assegnati", f"{len(plan.unassigned)} su {format_number(len(plan.codes))}"),
            deviation_card(stats, registry),
            Card("Omogeneità (0-1)", homogeneity_score_text(alike), HOMOGENEITY_HELP),
        ]) + "<p><strong>Residenti per zona</strong> (linea rossa: media delle zone)</p>"
            + residents_bars_svg(stats, plan), unsafe_allow_html=True)
        homogeneity_panel(alike)
        warnings(validate(area, plan))

    st.subheader("Statistiche per zona")
    show_statistics_table(stats, registry)
    homogeneity_details(area, plan, alike)
    show_coverage_summary(area, plan, collaborations)


def zone_management(plan) -> None:
    add_col, edit_col = st.columns(2, gap="large")
    with add_col:
        st.markdown("**Nuova zona**")
        with st.form(EDITOR.key("add_zone"), clear_on_submit=True, border=False, enter_to_submit=False):
            name = st.text_input("Nome", max_chars=80, placeholder="Es. Zona del Mella", key=EDITOR.key("new_name"))
            color = st.color_picker("Colore", plan.next_color(), key=EDITOR.key("new_color"))
            if st.form_submit_button("Aggiungi zona"):
                ed.add_zone(name, color)
                st.rerun()
    with edit_col:
        if not plan.zones:
            st.info("Nessuna zona: aggiungine una.")
            return
        st.markdown("**Modifica una zona**")
        zone_id = st.selectbox("Zona", plan.zone_ids, format_func=ed.zone_label(plan), key=EDITOR.key("edit_zone"))
        zone = plan.zone(zone_id)
        with st.form(EDITOR.key("edit", item=zone_id), border=False, enter_to_submit=False):
            new_name = st.text_input("Nome", zone.name, max_chars=80, key=EDITOR.key("name", item=zone_id))
            new_color = st.color_picker("Colore", zone.color, key=EDITOR.key("color", item=zone_id))
            locked = st.toggle("Bloccata (i clic non la modificano)", zone.locked, key=EDITOR.key("locked", item=zone_id))
            if st.form_submit_button("Salva modifiche"):
                ed.update_zone(zone_id, new_name, new_color, locked)
                st.rerun()
        others = [z for z in plan.zone_ids if z != zone_id]
        merge_col, delete_col = st.columns(2)
        with merge_col:
            if others:
                target = st.selectbox("Unisci a", others, format_func=ed.zone_label(plan),
                                      key=EDITOR.key("merge_target"))
                if st.button("Unisci", key=EDITOR.key("merge"),
                             help="I comuni di questa zona passano all'altra; questa zona sparisce."):
                    ed.merge_zones(target, zone_id)
                    st.rerun()
        with delete_col:
            confirm = st.checkbox("Confermo l'eliminazione", key=EDITOR.key("confirm_delete", item=zone_id))
            if st.button("Elimina zona", key=EDITOR.key("delete"), disabled=not confirm,
                         help="I suoi comuni restano senza zona (bianchi sulla mappa)."):
                ed.delete_zone(zone_id)
                st.rerun()


def assign_from_list(area, plan) -> None:
    st.caption("Per chi usa la tastiera: scegli i comuni e la zona, poi premi «Assegna».")
    with st.form(EDITOR.key("assign_list"), clear_on_submit=True, border=False, enter_to_submit=False):
        codes = st.multiselect("Comuni", list(area.codes), format_func=area.name,
                               placeholder="Scrivi il nome di un comune", key=EDITOR.key("list_codes"))
        zone_id = st.selectbox("Zona", [None, *plan.zone_ids], index=1 if plan.zone_ids else 0,
                               key=EDITOR.key("list_zone"),
                               format_func=lambda z: "Nessuna (non assegnati)" if z is None else ed.zone_label(plan)(z))
        if st.form_submit_button("Assegna"):
            ed.assign_from_list(codes, zone_id)
            st.rerun()


def area_vasta(area) -> None:
    where = joinable().where
    st.markdown(
        f"L'area vasta conta **{len(area.codes)} comuni**. Il gruppo di progetto può aggiungere o togliere "
        f"comuni {where}. Ogni modifica "
        "resta registrata con autore e data. Sulla mappa: modalità «Modifica l'area vasta» e clic su un "
        "comune grigio (aggiunge) o colorato (toglie)."
    )
    if not is_coordinator():
        st.info(f"L'area vasta è condivisa da tutti: solo il coordinamento la modifica: {md(SIGN_IN_HINT)}.",
                icon="🔒")
        area_edit_log()
        return
    st.text_input("Il tuo nome (obbligatorio per modificare l'area)", key=USER.key("name"), max_chars=120)
    names = shipped_comuni()["comune"]
    add_col, remove_col = st.columns(2)
    with add_col:
        code = st.selectbox("Aggiungi un comune", addable_codes(), index=None, format_func=names.get,
                            placeholder=f"Comune {where}", key=EDITOR.key("area_add"))
        if st.button("Aggiungi all'area", disabled=code is None):
            change_area(code, add=True)
            st.rerun()
    with remove_col:
        code = st.selectbox("Togli un comune", list(area.codes), index=None, format_func=area.name,
                            placeholder="Comune dell'area", key=EDITOR.key("area_remove"))
        if st.button("Togli dall'area", disabled=code is None):
            change_area(code, add=False)
            st.rerun()
    area_edit_log()


def area_edit_log() -> None:
    st.markdown("**Registro delle modifiche**")
    log = edit_log_table()
    if log is None:
        note = current().territory.area_note
        st.caption("Nessuna modifica: l'area è quella di partenza" + (f" ({md(note)})." if note else "."))
    else:
        st.dataframe(log, hide_index=True, width="stretch")


ed.start()
header()
editor()

# Tools open on request: the page (and its first load) stays light while drawing.
tool = st.segmented_control("Strumenti", list(ed.TOOLS), format_func=ed.TOOLS.get, key=EDITOR.key("tool"))
if tool == "zone":
    zone_management(current_plan())
elif tool == "elenco":
    assign_from_list(current_area(), current_plan())
elif tool == "area":
    area_vasta(current_area())
elif tool == "proponi":
    suggestion_tool()
