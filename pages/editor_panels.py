"""The zone editor's panels: each function draws one part of the page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.zoning.area import Area
from geo.base.italian import format_number
from geo.zoning.history import History
from geo.zoning.plan import PALETTE, Plan
from pages import editor_state as ed
from pages.common import USER_KEY, area_log, md, shipped_comuni


def _zone_label(plan: Plan):
    return lambda zone_id: plan.zone(zone_id).name + (" (bloccata)" if plan.zone(zone_id).locked else "")


def toolbar(plan: Plan, hist: History) -> None:
    # Segmented control and pills rather than radio and selectbox: one click to pick
    # the zone to paint with, every zone in view; and one widget family on the page
    # (fewer scripts for the browser to load before the map).
    ed.keep_active_zone_valid()
    # One flex row rather than columns: one block to send per click instead of five.
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="medium")
    row.segmented_control("Modalità", list(ed.MODES), format_func=ed.MODES.get, key=ed.MODE_KEY, required=True)
    row.button("↶ Annulla", on_click=ed.undo, disabled=not hist.can_undo, help=f"{len(hist.past)} passi annullabili")
    row.button("↷ Ripeti", on_click=ed.redo, disabled=not hist.can_redo)
    row.button("Proposta iniziale", on_click=ed.reset_to_default,
               help="Torna alle zone di partenza (ambiti ATS); si può annullare.")
    # A row of its own: every zone stays visible, however many the room adds.
    if plan.zone_ids:
        st.pills("Zona attiva", plan.zone_ids, format_func=_zone_label(plan), key=ed.ACTIVE_KEY,
                 required=True, help="La zona a cui va un comune quando ci fai clic.")
    else:
        st.caption("Nessuna zona: aggiungine una con «Gestione zone», in fondo alla pagina.")


def flash_message(message) -> None:
    if message:
        kind, text = message
        {"success": st.success, "warning": st.warning, "error": st.error}[kind](md(text))


def pending_preview(area: Area, plan: Plan, pending: dict, effect: pd.DataFrame) -> None:
    zone = plan.zone(pending["zone_id"])
    names = ", ".join(area.names(pending["codes"]))
    with st.container(border=True):
        st.markdown(f"**Anteprima: {len(pending['codes'])} comuni verso «{md(zone.name)}»**")
        st.caption(names)
        if effect.empty:
            st.info("Questi comuni sono già nella zona (o in zone bloccate): nessun cambiamento.")
        else:
            shown = effect.rename(columns={
                "zona": "Zona", "residenti_prima": "Residenti prima", "residenti_dopo": "Residenti dopo",
                "variazione": "Variazione", "comuni_prima": "Comuni prima", "comuni_dopo": "Comuni dopo"})
            for col in shown.columns[1:]:
                shown[col] = [format_number(v) if col != "Variazione" else f"{v:+,}".replace(",", ".")
                              for v in shown[col]]
            st.dataframe(shown, hide_index=True, width="stretch")
        ok, cancel = st.columns(2)
        ok.button("Conferma", type="primary", on_click=ed.confirm_pending, width="stretch")
        cancel.button("Annulla selezione", on_click=ed.cancel_pending, width="stretch")


def warnings(problems) -> None:
    st.markdown("**Avvisi**")
    if not problems:
        st.success("Nessun avviso: tutti i comuni sono assegnati e ogni zona è contigua.")
        return
    for i, problem in enumerate(problems):
        box = st.container(border=True)
        box.warning(md(problem.message))
        if problem.codes:
            box.button("Mostra sulla mappa", key=f"ze_zoom_{i}", on_click=ed.zoom_to, args=(problem.codes,))


def zone_management(plan: Plan) -> None:
    add_col, edit_col = st.columns(2, gap="large")
    with add_col:
        st.markdown("**Nuova zona**")
        with st.form("ze_add_zone", clear_on_submit=True, border=False):
            name = st.text_input("Nome", max_chars=80, placeholder="Es. Zona del Mella", key="ze_new_name")
            used = {z.color for z in plan.zones}
            color = st.color_picker("Colore", next((c for c in PALETTE if c not in used), PALETTE[0]),
                                    key="ze_new_color")
            if st.form_submit_button("Aggiungi zona"):
                ed.apply_plan_change(lambda p: p.add_zone(name, color), f"Zona «{name.strip()}» aggiunta.")
                st.rerun()
    with edit_col:
        if not plan.zones:
            st.info("Nessuna zona: aggiungine una.")
            return
        st.markdown("**Modifica una zona**")
        zone_id = st.selectbox("Zona", plan.zone_ids, format_func=_zone_label(plan), key="ze_edit_zone")
        zone = plan.zone(zone_id)
        with st.form(f"ze_edit_{zone_id}", border=False):
            new_name = st.text_input("Nome", zone.name, max_chars=80, key=f"ze_name_{zone_id}")
            new_color = st.color_picker("Colore", zone.color, key=f"ze_color_{zone_id}")
            locked = st.toggle("Bloccata (i clic non la modificano)", zone.locked, key=f"ze_locked_{zone_id}")
            if st.form_submit_button("Salva modifiche"):
                def change(p: Plan) -> Plan:
                    p = p.set_locked(zone_id, False).rename_zone(zone_id, new_name).recolor_zone(zone_id, new_color)
                    return p.set_locked(zone_id, locked)
                ed.apply_plan_change(change, "Zona aggiornata.")
                st.rerun()
        others = [z for z in plan.zone_ids if z != zone_id]
        merge_col, delete_col = st.columns(2)
        with merge_col:
            if others:
                target = st.selectbox("Unisci a", others, format_func=_zone_label(plan), key="ze_merge_target")
                if st.button("Unisci", key="ze_merge", help="I comuni di questa zona passano all'altra; questa zona sparisce."):
                    ed.apply_plan_change(lambda p: p.merge_zones(target, zone_id), "Zone unite.")
                    st.rerun()
        with delete_col:
            confirm = st.checkbox("Confermo l'eliminazione", key=f"ze_confirm_delete_{zone_id}")
            if st.button("Elimina zona", key="ze_delete", disabled=not confirm,
                         help="I suoi comuni restano senza zona (bianchi sulla mappa)."):
                ed.apply_plan_change(lambda p: p.delete_zone(zone_id), "Zona eliminata: i suoi comuni sono ora non assegnati.")
                st.rerun()


def assign_from_list(area: Area, plan: Plan) -> None:
    st.caption("Per chi usa la tastiera: scegli i comuni e la zona, poi premi «Assegna».")
    with st.form("ze_assign_list", clear_on_submit=True, border=False):
        codes = st.multiselect("Comuni", list(area.codes), format_func=area.name,
                               placeholder="Scrivi il nome di un comune", key="ze_list_codes")
        options = [None, *plan.zone_ids]
        zone_id = st.selectbox("Zona", options, index=1 if plan.zone_ids else 0, key="ze_list_zone",
                               format_func=lambda z: "Nessuna (non assegnati)" if z is None else _zone_label(plan)(z))
        if st.form_submit_button("Assegna"):
            if not codes:
                ed.say("warning", "Scegli almeno un comune.")
            else:
                ed.assign(codes, zone_id)
            st.rerun()


def area_vasta(area: Area) -> None:
    joinable = ed.province_candidates()
    st.markdown(
        f"L'area vasta conta **{len(area.codes)} comuni**. La lista ufficiale non è ancora pubblicata: "
        f"il gruppo di progetto può aggiungere o togliere comuni {joinable.where}. Ogni modifica "
        "resta registrata con autore e data. Sulla mappa: modalità «Modifica l'area vasta» e clic su un "
        "comune grigio (aggiunge) o colorato (toglie)."
    )
    st.text_input("Il tuo nome (obbligatorio per modificare l'area)", key=USER_KEY, max_chars=120)
    comuni = shipped_comuni()
    outside = [c for c in comuni.index if c in joinable and c not in set(area.codes)]
    add_col, remove_col = st.columns(2)
    with add_col:
        code = st.selectbox("Aggiungi un comune", outside, index=None, format_func=lambda c: comuni.at[c, "comune"],
                            placeholder=f"Comune {joinable.where}", key="ze_area_add")
        if st.button("Aggiungi all'area", disabled=code is None):
            ed.change_area(code, add=True)
            st.rerun()
    with remove_col:
        code = st.selectbox("Togli un comune", list(area.codes), index=None, format_func=area.name,
                            placeholder="Comune dell'area", key="ze_area_remove")
        if st.button("Togli dall'area", disabled=code is None):
            ed.change_area(code, add=False)
            st.rerun()
    edits = area_log().edits()
    st.markdown("**Registro delle modifiche**")
    if not edits:
        st.caption("Nessuna modifica: l'area è la lista di lavoro iniziale (ambiti ATS 8, 9, 10).")
        return
    st.dataframe(pd.DataFrame({
        "Quando (UTC)": [e.momento.strftime("%d/%m/%Y %H:%M") for e in reversed(edits)],
        "Chi": [e.autore for e in reversed(edits)],
        "Azione": [e.azione for e in reversed(edits)],
        "Comune": [comuni.at[e.istat_code, "comune"] for e in reversed(edits)],
        "Codice ISTAT": [e.istat_code for e in reversed(edits)],
    }), hide_index=True, width="stretch")
