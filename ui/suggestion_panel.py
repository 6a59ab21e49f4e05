"""«Proponi zone», the editor's tool: the request form, the progress of the search and the
alternatives, each with a map, its statistics and what it changes, to accept or discard.
The session's plan changes only when an alternative is accepted (see :mod:`ui.suggestions`)."""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

import geo
from ui import flash
from ui import suggestions as sg
from ui.display import show_table
from ui.errors import fragment
from ui.indicators import catalogue, chosen_keys
from ui.markdown import md
from ui.plan_images import plan_key, plan_thumbnail
from ui.plan_session import current_area, current_plan
from ui.session import SUGGESTIONS


def _defaults(plan: geo.Plan, area: geo.Area) -> None:
    zones = min(max(len(plan.zones), geo.MIN_SUGGESTED_ZONES), geo.MAX_SUGGESTED_ZONES)
    total = int(area.table["pop_totale"].sum())
    SUGGESTIONS.setdefault("zones", zones)
    SUGGESTIONS.setdefault("min_residents", int(total / zones / 2 // 1000 * 1000))
    SUGGESTIONS.setdefault("indicators", list(chosen_keys()))
    SUGGESTIONS.setdefault("seed", 1)
    SUGGESTIONS.setdefault("time_limit", sg.TIME_LIMITS[1])
    SUGGESTIONS.setdefault("deviation", 50)
    # An imported indicator may have been deleted since it was chosen.
    SUGGESTIONS.set("indicators", [k for k in SUGGESTIONS.get("indicators") if k in catalogue()])


def request_form() -> None:
    sg.worker()  # started (and warmed) while the user fills the form
    area, plan = current_area(), current_plan()
    _defaults(plan, area)
    options, keepable = catalogue(), sg.keepable()
    locked = [z.name for z in plan.zones if z.locked]
    st.caption("L'app propone fino a tre piani di zone contigue i cui comuni si somigliano sugli indicatori "
               "scelti, rispettando i vincoli. Nessuna proposta cambia il piano finché non la accetti (e si può "
               "annullare). " + (f"Le zone bloccate restano come sono: {md(', '.join(locked))}." if locked else
                                 "Per tenere una zona com'è, bloccala in «Gestione zone»."))
    left, right = st.columns(2, gap="large")
    left.number_input("Numero di zone (comprese le bloccate)", min_value=geo.MIN_SUGGESTED_ZONES,
                      max_value=geo.MAX_SUGGESTED_ZONES, step=1, key=SUGGESTIONS.key("zones"))
    left.number_input("Residenti minimi per zona", min_value=0, step=1000, key=SUGGESTIONS.key("min_residents"))
    left.checkbox("Limita lo scarto dalla media delle zone", key=SUGGESTIONS.key("use_deviation"))
    if SUGGESTIONS.get("use_deviation"):
        left.slider("Scarto massimo (%)", min_value=5, max_value=100, step=5, key=SUGGESTIONS.key("deviation"))
    right.multiselect("Indicatori su cui rendere omogenee le zone", list(options.keys), key=SUGGESTIONS.key("indicators"),
                      format_func=lambda k: f"{options[k].label} ({options[k].unit})")
    right.multiselect("Collaborazioni da tenere intere (tutti i comuni in una zona)", list(keepable),
                      key=SUGGESTIONS.key("keep"), format_func=keepable.get,
                      placeholder="Nessuna" if keepable else "Nessuna collaborazione con più comuni nell'area")
    seed_col, time_col = right.columns(2)
    seed_col.number_input("Seme", min_value=0, step=1, key=SUGGESTIONS.key("seed"),
                          help="Stesso seme e stesse scelte: stesse proposte.")
    time_col.selectbox("Tempo massimo", sg.TIME_LIMITS, key=SUGGESTIONS.key("time_limit"),
                       format_func=lambda s: f"{s} secondi")
    st.button("Proponi zone", type="primary", on_click=sg.start, disabled=sg.running() is not None,
              icon=":material/auto_awesome:")


def _zones_table(area: geo.Area, alternative: geo.Alternative) -> pd.DataFrame:
    residents = area.table["pop_totale"]
    plan = alternative.plan
    rows = {"Zona": [], "Comuni": [], "Residenti": []}
    for zone in plan.zones:
        members = list(plan.members(zone.id))
        rows["Zona"].append(zone.name + (" (bloccata)" if zone.locked else ""))
        rows["Comuni"].append(geo.format_number(len(members)))
        rows["Residenti"].append(geo.format_number(residents[members].sum()))
    return pd.DataFrame(rows, dtype=object)


def _alternative(index: int, alternative: geo.Alternative, area: geo.Area, baseline: str) -> None:
    title = f"Proposta {index + 1}"
    with st.container(border=True):
        st.markdown(f"**{title}**: omogeneità **{geo.homogeneity_score_text(alternative.homogeneity)}** "
                    f"(piano di partenza: {baseline})")
        st.image(plan_thumbnail(plan_key(alternative.plan), title), width="stretch")
        table = _zones_table(area, alternative)
        show_table(table, numeric=table.columns[1:])
        shares = "; ".join(f"{i.indicator.label} {geo.format_number(i.explained, 2)}"
                           for i in alternative.homogeneity.indicators)
        st.caption(md(f"Varianza spiegata: {shares}."))
        changed = alternative.changed
        named = ", ".join(area.names(changed[:12])) + ("…" if len(changed) > 12 else ".")
        st.caption(md(f"Rispetto al piano di partenza cambiano zona {len(changed)} comuni"
                      + (f": {named}" if changed else ".")))
        ok, no = st.columns(2)
        ok.button("Accetta nell'editor", key=SUGGESTIONS.key("accept", item=index), type="primary",
                  on_click=sg.accept, args=(index,), width="stretch")
        no.button("Scarta", key=SUGGESTIONS.key("discard", item=index), on_click=sg.discard, args=(index,),
                  width="stretch")


@fragment(run_every=1.0)
def _progress() -> None:
    job = sg.running()
    if job is None:
        return
    if sg.collect():
        st.rerun(scope="app")
    elapsed = time.time() - job.started
    text = ("In coda: il calcolatore sta finendo la richiesta di un'altra sessione…" if job.queued else
            f"Calcolo in corso: {job.done} partenze su {len(job.futures)} completate, "
            f"{geo.format_number(elapsed, 0)} s su {geo.format_number(job.time_limit, 0)} s al massimo.")
    st.progress(min(job.done / len(job.futures), 1.0), text=text)
    st.button("Interrompi", on_click=sg.stop, key=SUGGESTIONS.key("stop"))


def suggestion_tool() -> None:
    """The whole tool, under the editor's «Strumenti»."""
    with st.container():
        flash.show(sg.PLACE)
    request_form()
    if sg.running() is not None:
        _progress()
        return
    result = sg.result()
    if result is None or not result.alternatives:
        return
    area, based_on = current_area(), sg.suggestions_state().based_on
    if based_on is not None and based_on != current_plan():
        st.warning("Il piano è cambiato dopo il calcolo: le differenze sono rispetto al piano di allora.")
    if result.timed_out:
        st.info("Tempo scaduto: le proposte sono le migliori trovate entro il limite.")
    indicators = tuple(i.indicator for i in result.alternatives[0].homogeneity.indicators)
    baseline = geo.homogeneity_score_text(geo.homogeneity(area, based_on or current_plan(), indicators))
    columns = st.columns(len(result.alternatives), gap="medium")
    for index, (column, alternative) in enumerate(zip(columns, result.alternatives)):
        with column:
            _alternative(index, alternative, area, baseline)
