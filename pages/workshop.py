"""Laboratorio: the facilitator opens a workshop and shows its code; participants join
with it, draw their proposal in «Zone omogenee» and send it; the facilitator sees the
proposals arrive and where the room agrees, and adopts a plan as a scenario."""

import html

import streamlit as st

from geo.base.italian import format_timestamp, local_time
from geo.store.scenarios import MAX_NAME_LENGTH as MAX_SCENARIO_NAME
from geo.store.workshop_records import MAX_NAME_LENGTH, MAX_TITLE_LENGTH
from geo.report.workshop_tables import proposals_table
from pages import workshop_common as lab
from pages.common import area_for, attribution_caption, current_plan, md, show_view_map


def participant_view(me: dict) -> None:
    workshop = lab.workshop_store().get(me["workshop_id"])
    lab.show_message()
    st.markdown(f"Partecipi al laboratorio **«{md(workshop.title)}»** come **{md(me['name'])}**.")
    if me["pin"]:
        st.caption(f"Il tuo codice personale è **{me['pin']}**: serve per rientrare se chiudi la pagina.")
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
    lab.show_message()
    join_col, lead_col = st.columns(2, gap="large")
    with join_col:
        st.subheader("Partecipa")
        with st.form("lab_entra"):
            st.text_input("Codice del laboratorio", key=lab.JOIN_CODE_KEY, max_chars=12, placeholder="Es. KMR-3TX")
            st.text_input("Il tuo nome o il tuo comune", key=lab.JOIN_NAME_KEY, max_chars=MAX_NAME_LENGTH)
            st.text_input("Codice personale (solo per rientrare)", key=lab.JOIN_PIN_KEY, max_chars=8,
                          help="Te lo dà l'app la prima volta che entri: serve se chiudi la pagina e rientri.")
            st.form_submit_button("Entra nel laboratorio", type="primary", on_click=lab.join)
    with lead_col:
        st.subheader("Conduci")
        plan = current_plan()
        with st.form("lab_apri"):
            st.text_input("Titolo", key=lab.OPEN_TITLE_KEY, max_chars=MAX_TITLE_LENGTH,
                          placeholder="Es. Incontro dei sindaci, 12 marzo")
            st.text_input("Facilitatore", key=lab.OPEN_NAME_KEY, max_chars=MAX_NAME_LENGTH)
            st.caption(f"I partecipanti partono dal piano attuale ({len(plan.zones)} zone su {len(plan.codes)} "
                       "comuni). Per partire da uno scenario salvato, aprilo prima nella pagina «Scenari».")
            st.form_submit_button("Apri il laboratorio", type="primary", on_click=lab.open_workshop)
        workshops = {w.id: w for w in lab.workshop_store().list()}
        if workshops:
            st.selectbox("Oppure riprendi un laboratorio", list(workshops), key=lab.RESUME_KEY,
                         format_func=lambda i: f"{workshops[i].title} ({workshops[i].display_code}, "
                                               f"{'aperto' if workshops[i].is_open else 'chiuso'}, "
                                               f"{format_timestamp(workshops[i].opened_at)})")
            st.button("Riprendi", on_click=lab.resume)


def consensus_section(workshop, submissions, consensus) -> None:
    st.subheader("Dove la sala è d'accordo")
    st.caption("Le zone delle proposte sono abbinate alle zone di partenza per i comuni che hanno in comune "
               "(come in «Confronto scenari»); le zone nuove simili tra proposte diverse sono unite. Un comune è "
               "conteso quando la zona più votata raccoglie meno della soglia.")
    st.slider("Soglia di accordo", 50, 100, step=5, key=lab.THRESHOLD_KEY, format="%d %%")
    threshold = st.session_state[lab.THRESHOLD_KEY] / 100
    area = area_for(workshop.area_codes)
    choices = lab.map_choices(submissions, consensus)
    if st.session_state.get(lab.SHOWN_KEY) not in choices:
        st.session_state[lab.SHOWN_KEY] = lab.CONSENSUS
    st.selectbox("Sulla mappa", list(choices), key=lab.SHOWN_KEY, format_func=lambda k: choices[k][0].capitalize())
    label, plan, highlight = choices[st.session_state[lab.SHOWN_KEY]]
    contested = consensus.contested(threshold)
    map_col, side_col = st.columns([3, 2], gap="medium")
    with map_col:
        show_view_map(plan, key="lab_map", highlight=highlight, height=560)
    with side_col:
        cards = st.columns(2)
        cards[0].metric("Proposte", consensus.count)
        cards[1].metric("Comuni contesi", f"{len(contested)} su {len(consensus.codes)}")
        st.caption("Bordo rosso: " + ("i comuni contesi." if label.startswith("consenso")
                                      else "dove questa proposta si discosta dal consenso."))
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
    plans = {lab.CONSENSUS: ("il consenso (zona più votata)", consensus.plan)}
    plans.update({s.participant_id: (f"la proposta di {s.participant_name}", s.plan) for s in submissions})
    if st.session_state.get(lab.ADOPT_SOURCE_KEY) not in plans:
        st.session_state[lab.ADOPT_SOURCE_KEY] = lab.CONSENSUS
    st.session_state.setdefault(lab.ADOPT_NAME_KEY, f"Laboratorio «{workshop.title}»"[:MAX_SCENARIO_NAME])
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox("Piano", list(plans), key=lab.ADOPT_SOURCE_KEY, format_func=lambda k: plans[k][0].capitalize())
        st.text_input("Nome dello scenario", key=lab.ADOPT_NAME_KEY, max_chars=MAX_SCENARIO_NAME)
        st.button("Salva come scenario e apri", on_click=lab.adopt, args=(workshop, plans))


def facilitator_view(workshop_id: str) -> None:
    workshop, participants, submissions, consensus = lab.results(workshop_id)
    lab.show_message()
    st.subheader(f"«{md(workshop.title)}»")
    code_col, count_col = st.columns([2, 3], vertical_alignment="center")
    with code_col:
        st.caption("Codice per partecipare (pagina «Laboratorio», riquadro «Partecipa»)")
        st.markdown(f'<p class="lab-codice" style="font:700 3.2rem monospace;letter-spacing:.12em;margin:0">'
                    f"{html.escape(workshop.display_code)}</p>", unsafe_allow_html=True)
    with count_col:
        cards = st.columns(2)
        cards[0].metric("Partecipanti", len(participants))
        cards[1].metric("Proposte ricevute", len(submissions))
        if workshop.is_open:
            lab.watch_for_changes(workshop.id)
        else:
            st.info(f"Laboratorio chiuso il {format_timestamp(workshop.closed_at)}.")

    st.subheader("Partecipanti e proposte")
    if participants:
        st.dataframe(proposals_table(participants, submissions, consensus), hide_index=True, width="stretch")
    else:
        st.info("Nessuno è ancora entrato: i partecipanti scrivono il codice qui sopra nella pagina «Laboratorio».")
    if consensus:
        consensus_section(workshop, submissions, consensus)
        adopt_section(workshop, submissions, consensus)

    if workshop.is_open:
        with st.expander("Chiudi il laboratorio"):
            st.checkbox("Confermo: nessuno potrà più entrare né inviare proposte", key=lab.CONFIRM_CLOSE_KEY)
            st.button("Chiudi il laboratorio", on_click=lab.close_workshop,
                      disabled=not st.session_state.get(lab.CONFIRM_CLOSE_KEY))
    st.button("Lascia la conduzione", on_click=lab.stop_conducting,
              help="Torna alla pagina iniziale; il laboratorio resta com'è e si può riprendere.")


st.session_state.setdefault(lab.THRESHOLD_KEY, 75)
st.title("Laboratorio")
if lab.participant():
    participant_view(lab.participant())
elif lab.conducted_id():
    facilitator_view(lab.conducted_id())
else:
    st.caption("Un incontro in cui ognuno disegna la sua proposta di zone omogenee dal proprio computer o "
               "telefono e il facilitatore vede dove la sala è d'accordo.")
    start_view()
attribution_caption()
