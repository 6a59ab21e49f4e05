"""Laboratorio: the facilitator opens a workshop and shows its code; participants join
with it, draw their proposal in «Zone omogenee» and send it; the facilitator sees the
proposals arrive and where the room agrees, and adopts a plan as a scenario."""

import html

import streamlit as st

from geo import MAX_PARTICIPANT_NAME_LENGTH, MAX_SCENARIO_NAME_LENGTH, MAX_WORKSHOP_TITLE_LENGTH
from geo import format_timestamp, local_time, proposals_table
from ui import flash
from ui import workshop as lab
from ui import workshop_facilitation as fac
from ui.coordination import SIGN_IN_HINT, is_coordinator
from ui.display import attribution_caption
from ui.layout import page_header
from ui.map_widget import show_view_legend, show_view_map
from ui.markdown import md
from ui.plan_session import current_plan
from ui.session import WORKSHOP
from ui.shipped import area_for
from ui.territory import available, name_of


# st_folium's frame has a fixed height: 520 px keep the whole map in view under the
# header and the search field at 1280x720 (the facilitator's laptop or the projector), 72 % of the screen.
VIEW_MAP_HEIGHT = 520
FACILITATOR_HELP = (
    "Mostra ai partecipanti il **codice** qui accanto: lo scrivono nella pagina «Laboratorio» del loro "
    "computer, tablet o telefono, disegnano la loro proposta in «Zone omogenee» e la inviano. La pagina si "
    "aggiorna da sola quando arrivano proposte.\n\n"
    "La mappa mostra il **consenso** (per ogni comune la zona più votata; bordo rosso: i comuni contesi) o una "
    "singola proposta. Sotto la mappa: i partecipanti, dove la sala si divide, i voti per comune; poi puoi "
    "**adottare** il consenso o una proposta come scenario e **chiudere** il laboratorio.")


def participant_view(me) -> None:
    workshop = lab.workshop_of(me)
    flash.show(lab.PLACE)
    st.markdown(f"Partecipi al laboratorio **«{md(workshop.title)}»** come **{md(me.name)}**.")
    if me.pin:
        st.caption(f"Il tuo codice personale è **{me.pin}**: serve per rientrare se chiudi la pagina.")
    if not workshop.is_open:
        st.warning("Il laboratorio è chiuso: non si possono più inviare proposte.")
    st.page_link(lab.EDITOR_PAGE, label="Disegna la tua proposta in «Zone omogenee»",
                 icon=":material/edit_location_alt:")
    plan, last = current_plan(), lab.last_sent(me)
    st.markdown(f"La tua proposta ora: **{len(plan.zones)} zone**, {len(plan.unassigned)} comuni non assegnati.")
    st.caption(f"Ultimo invio alle {local_time(last.sent_at)} ({last.sendings} in tutto)." if last
               else "Non hai ancora inviato la proposta.")
    with st.container(horizontal=True):
        st.button("Invia la mia proposta", type="primary", on_click=lab.submit, disabled=not workshop.is_open)
        st.button("Esci dal laboratorio", on_click=lab.leave)


def start_view() -> None:
    flash.show(lab.PLACE)
    join_col, lead_col = st.columns(2, gap="large")
    with join_col:
        st.subheader("Partecipa")
        with st.form(WORKSHOP.key("join"), enter_to_submit=False):
            st.text_input("Codice del laboratorio", key=WORKSHOP.key("join_code"), max_chars=12,
                          placeholder="Es. KMR-3TX")
            st.text_input("Il tuo nome o il tuo comune", key=WORKSHOP.key("join_name"),
                          max_chars=MAX_PARTICIPANT_NAME_LENGTH)
            st.text_input("Codice personale (solo per rientrare)", key=WORKSHOP.key("join_pin"), max_chars=8,
                          help="Te lo dà l'app la prima volta che entri: serve se chiudi la pagina e rientri.")
            st.form_submit_button("Entra nel laboratorio", type="primary", on_click=lab.join)
        other = lab.elsewhere()
        if other is not None:
            st.button(f"Passa al territorio «{md(name_of(other.territory))}» ed entra", on_click=lab.switch_and_join,
                      disabled=not available(other.territory))
    with lead_col:
        st.subheader("Conduci")
        plan = current_plan()
        if is_coordinator():
            with st.form(WORKSHOP.key("open"), enter_to_submit=False):
                st.text_input("Titolo", key=WORKSHOP.key("open_title"), max_chars=MAX_WORKSHOP_TITLE_LENGTH,
                              placeholder="Es. Incontro dei sindaci, 12 marzo")
                st.text_input("Facilitatore", key=WORKSHOP.key("open_facilitator"),
                              max_chars=MAX_PARTICIPANT_NAME_LENGTH)
                st.caption(f"I partecipanti partono dal piano attuale ({len(plan.zones)} zone su {len(plan.codes)} "
                           "comuni). Per partire da uno scenario salvato, aprilo prima nella pagina «Scenari».")
                st.form_submit_button("Apri il laboratorio", type="primary", on_click=fac.open_workshop)
        else:
            st.info(f"Aprire un laboratorio spetta al coordinamento: {md(SIGN_IN_HINT)}.", icon="🔒")
        with st.form(WORKSHOP.key("resume"), enter_to_submit=False):
            st.markdown("**Riprendi un laboratorio** (facilitatore)")
            st.text_input("Codice del laboratorio da riprendere", key=WORKSHOP.key("resume_code"), max_chars=12,
                          placeholder="Es. KMR-3TX")
            st.text_input("Chiave del facilitatore", key=WORKSHOP.key("resume_key"), type="password", max_chars=40,
                          help="La mostra l'app una sola volta, quando il laboratorio viene aperto.")
            st.form_submit_button("Riprendi", on_click=fac.resume)


def map_section(workshop, participants, submissions, consensus) -> None:
    """The map first (the consensus, one proposal, or the starting plan until
    someone sends), the join code and the counts beside it."""
    if consensus:
        threshold = WORKSHOP.get("threshold", fac.DEFAULT_THRESHOLD) / 100
        choices = fac.map_choices(submissions, consensus, threshold)
        label, plan, highlight = choices[WORKSHOP.get("shown")]
    else:
        label, plan, highlight = "piano di partenza", workshop.base_plan, ()
    map_col, side_col = st.columns([2, 1], gap="small")
    with side_col:
        flash.show(lab.PLACE)
        if fac.new_key():  # beside the map, never above it: the map stays in view on the projector
            new_key_notice(fac.new_key())
        st.caption("Codice per partecipare (pagina «Laboratorio», riquadro «Partecipa»)")
        st.markdown(f'<p class="lab-codice" style="font:700 3.2rem monospace;letter-spacing:.12em;margin:0">'
                    f"{html.escape(workshop.display_code)}</p>", unsafe_allow_html=True)
        cards = st.columns(2)
        cards[0].metric("Partecipanti", len(participants))
        cards[1].metric("Proposte ricevute", len(submissions))
        if workshop.is_open:
            fac.watch_for_changes(workshop.id)
        else:
            st.info(f"Laboratorio chiuso il {format_timestamp(workshop.closed_at)}.")
        if consensus:
            st.selectbox("Sulla mappa", list(choices), key=WORKSHOP.key("shown"),
                         format_func=lambda k: choices[k][0].capitalize())
            st.slider("Soglia di accordo", 50, 100, step=5, key=WORKSHOP.key("threshold"), format="%d %%",
                      help="Un comune è conteso quando la zona più votata raccoglie meno di questa quota "
                           "delle proposte.")
            contested = consensus.contested(threshold)
            st.metric("Comuni contesi", f"{len(contested)} su {len(consensus.codes)}")
            st.caption("Bordo rosso: " + ("i comuni contesi." if label.startswith("consenso")
                                          else "dove questa proposta si discosta dal consenso."))
        else:
            st.caption("Nessuna proposta ancora: la mappa mostra il piano di partenza.")
        show_view_legend(plan)
    with map_col:
        show_view_map(plan, key=WORKSHOP.key("map"), search_key=WORKSHOP.key("map_search"), highlight=highlight,
                      height=VIEW_MAP_HEIGHT, legend=False)


def consensus_section(workshop, consensus) -> None:
    st.subheader("Dove la sala è d'accordo")
    st.caption("Le zone delle proposte sono abbinate alle zone di partenza per i comuni che hanno in comune "
               "(come in «Confronto scenari»); le zone nuove simili tra proposte diverse sono unite. Un comune è "
               "conteso quando la zona più votata raccoglie meno della soglia.")
    threshold = WORKSHOP.get("threshold", fac.DEFAULT_THRESHOLD) / 100
    area = area_for(workshop.area_codes)
    contested = consensus.contested(threshold)
    if contested:
        st.markdown("**Contesi**: " + md(", ".join(area.names(contested))))
    st.markdown("**Confini su cui la sala si divide**")
    pairs = consensus.pairs_table(area, threshold)
    if pairs.empty:
        st.caption("Nessuno: ogni coppia di comuni confinanti è unita o separata da almeno la soglia.")
    else:
        st.dataframe(pairs, hide_index=True, width="stretch")
    st.markdown("**Voti per comune** (quante proposte mettono il comune in ogni zona)")
    st.dataframe(consensus.table(area, threshold), hide_index=True, width="stretch")


def adopt_section(workshop, submissions, consensus) -> None:
    st.subheader("Adotta come scenario")
    plans = fac.adoptable(workshop, submissions, consensus)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox("Piano", list(plans), key=WORKSHOP.key("adopt_source"),
                     format_func=lambda k: plans[k][0].capitalize())
        st.text_input("Nome dello scenario", key=WORKSHOP.key("adopt_name"), max_chars=MAX_SCENARIO_NAME_LENGTH)
        st.button("Salva come scenario e apri", on_click=fac.adopt, args=(workshop, plans))


def new_key_notice(key: str) -> None:
    with st.container(border=True):
        st.markdown("**Chiave del facilitatore** (mostrata solo ora: annotala e non mostrarla alla sala)")
        st.code(key, language=None)
        st.caption("Serve per riprendere la conduzione da un altro dispositivo, chiudere o riaprire il laboratorio "
                   "ed escludere partecipanti. Nessuno la può recuperare: senza, il laboratorio resta com'è.")
        st.button("Ho annotato la chiave", on_click=fac.key_written_down)


def participants_section(workshop, participants, submissions, consensus) -> None:
    st.subheader("Partecipanti e proposte")
    if not participants:
        st.info("Nessuno è ancora entrato: i partecipanti scrivono il codice qui accanto alla mappa nella pagina «Laboratorio».")
        return
    st.dataframe(proposals_table(participants, fac.record(workshop.id), consensus), hide_index=True,
                 width="stretch")
    failures = fac.pin_failures(workshop.id)
    if failures:
        st.caption(f"Codici personali sbagliati digitati finora: {failures} (dopo 5 in un minuto per lo stesso nome "
                   "o browser l'app fa aspettare).")
    present = {p.id: p for p in participants if not p.removed}
    if present:
        with st.expander("Escludi un partecipante"):
            st.caption("Per chi entra con nomi inventati o non fa parte della sala: non potrà più inviare né "
                       "rientrare; le sue proposte restano agli atti ma non contano nel consenso.")
            with st.container(horizontal=True, vertical_alignment="bottom"):
                st.selectbox("Partecipante", list(present), key=WORKSHOP.key("remove_participant"),
                             format_func=lambda i: present[i].name)
                sure = st.checkbox("Confermo l'esclusione", key=WORKSHOP.key("confirm_remove"))
                st.button("Escludi", on_click=fac.remove_participant, disabled=not sure)


def facilitator_view(workshop_id: str) -> None:
    workshop, participants, submissions, consensus = fac.results(workshop_id)
    page_header(f"Laboratorio «{md(workshop.title)}»", FACILITATOR_HELP)
    map_section(workshop, participants, submissions, consensus)
    participants_section(workshop, participants, submissions, consensus)
    if consensus:
        consensus_section(workshop, consensus)
        adopt_section(workshop, submissions, consensus)

    if workshop.is_open:
        with st.expander("Chiudi il laboratorio"):
            sure = st.checkbox("Confermo: nessuno potrà più entrare né inviare proposte (si potrà riaprire)",
                               key=WORKSHOP.key("confirm_close"))
            st.button("Chiudi il laboratorio", on_click=fac.close_workshop, disabled=not sure)
    else:
        st.button("Riapri il laboratorio", on_click=fac.reopen_workshop,
                  help="Si potrà di nuovo entrare e inviare proposte.")
    st.button("Lascia la conduzione", on_click=fac.stop_conducting,
              help="Torna alla pagina iniziale; il laboratorio resta com'è e si può riprendere.")


fac.start()
if lab.participation():
    st.title("Laboratorio")
    participant_view(lab.participation())
elif fac.conducted_id():
    facilitator_view(fac.conducted_id())
else:
    st.title("Laboratorio")
    st.caption("Un incontro in cui ognuno disegna la sua proposta di zone omogenee dal proprio computer o "
               "telefono e il facilitatore vede dove la sala è d'accordo.")
    start_view()
attribution_caption()
