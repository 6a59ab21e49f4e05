"""Display tables for the collaborations page: Italian headers, Italian numbers, names
beside ISTAT codes (the downloadable files are in :mod:`geo.io.spreadsheet`).

Every function takes the domain results (:mod:`geo.collaborations.model`,
:mod:`geo.collaborations.coverage`) and returns a ``pandas.DataFrame`` of text ready to show, so the
pages do no data munging. User text stays plain text: Streamlit tables never
interpret it as HTML.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Mapping, Sequence

import pandas as pd

from geo.zoning.area import Area
from geo.collaborations.model import (
    FORM_LABELS, FUNCTION_LABELS, STATUS_LABELS, Collaboration,
)
from geo.collaborations.coverage import COVERAGE_LABELS, CollaborationSplit, Coherence
from geo.base.italian import format_number
from geo.zoning.plan import Plan


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _names(codes: Iterable[str], names: Mapping[str, str]) -> str:
    return ", ".join(sorted((names.get(c, c) for c in codes), key=str.casefold))


def collaborations_table(collaborations: Iterable[Collaboration], names: Mapping[str, str],
                         day: dt.date | None = None) -> pd.DataFrame:
    """One row per collaboration; ``Stato`` is the status on ``day`` (default today).

    ``names`` maps ISTAT code -> comune name (every shipped comune). The ``id``
    column identifies the row; ``Fonte`` holds the first source URL.
    """
    rows = [{
        "id": c.id,
        "Nome": c.name,
        "Forma": FORM_LABELS[c.form],
        "Funzioni": ", ".join(FUNCTION_LABELS[f] for f in c.functions),
        "Comuni membri": _names(c.members, names),
        "N. membri": len(c.members),
        "Capofila": names.get(c.capofila, c.capofila) if c.capofila else "non noto",
        "Stato": STATUS_LABELS[c.status_on(day)],
        "Da verificare": "sì" if c.da_verificare else "no",
        "Inizio": _date(c.start_date),
        "Fine": _date(c.end_date),
        "Fonte": c.sources[0] if c.sources else "",
        "Note": c.notes,
    } for c in collaborations]
    columns = ["id", "Nome", "Forma", "Funzioni", "Comuni membri", "N. membri", "Capofila", "Stato",
               "Da verificare", "Inizio", "Fine", "Fonte", "Note"]
    return pd.DataFrame(rows, columns=columns)


def coverage_display_table(coverage: pd.DataFrame) -> pd.DataFrame:
    """:func:`geo.collaborations.coverage.coverage_by_zone` as one row per zone and, per function,
    ``comuni`` ("6 su 15 (40,0%)", with how many rest on records to verify) and
    ``residenti`` ("22.014 (39,1%)")."""
    records = coverage.to_dict("records")  # plain rows: this runs on every editor click
    out: dict[str, list[str]] = {"Zona": list(dict.fromkeys(r["zona"] for r in records))}
    for function in dict.fromkeys(r["funzione"] for r in records):
        rows = [r for r in records if r["funzione"] == function]
        label = FUNCTION_LABELS[function]
        out[f"{label}: comuni"] = [
            f"{r['comuni_coperti']} su {r['comuni']} ({format_number(r['quota_comuni'], 1)}%)"
            + (f", {r['comuni_da_verificare']} da verificare" if r["comuni_da_verificare"] else "")
            for r in rows
        ]
        out[f"{label}: residenti"] = [
            f"{format_number(r['residenti_coperti'])} ({format_number(r['quota_residenti'], 1)}%)"
            for r in rows
        ]
    return pd.DataFrame(out, dtype=object)  # text only: no copy into Arrow strings (runs per click)


def matrix_table(matrix: pd.DataFrame, area: Area, plan: Plan) -> pd.DataFrame:
    """The coverage matrix (:func:`geo.collaborations.coverage.coverage_matrix`) with code, name and
    zone, sorted by zone then name; cells are ``attiva``, ``attiva (da verificare)``,
    ``prevista`` or ``nessuna``. The same table is offered for download."""
    zone_names = {z.id: z.name for z in plan.zones}
    order = {z.id: i for i, z in enumerate(plan.zones)}
    codes = sorted(matrix.index, key=lambda c: (order.get(plan.zone_of(c), len(order)), area.name(c).casefold()))
    out = pd.DataFrame({
        "Codice ISTAT": codes,
        "Comune": [area.name(c) for c in codes],
        "Zona": [zone_names.get(plan.zone_of(c), "Non assegnato") for c in codes],
    })
    for function in matrix.columns:
        out[FUNCTION_LABELS[function]] = [COVERAGE_LABELS[matrix.at[c, function]] for c in codes]
    return out


def gaps_table(gaps: pd.DataFrame) -> pd.DataFrame:
    """:func:`geo.collaborations.coverage.coverage_gaps` for display."""
    return pd.DataFrame({
        "Zona": gaps["zona"], "Comune": gaps["comune"], "Codice ISTAT": gaps["istat_code"],
        "Funzione": [FUNCTION_LABELS[f] for f in gaps["funzione"]],
        "Copertura": [COVERAGE_LABELS[s] for s in gaps["stato"]],
        "Residenti": [format_number(v) for v in gaps["residenti"]],
    })


def splits_table(splits: Sequence[CollaborationSplit], plan: Plan, names: Mapping[str, str]) -> pd.DataFrame:
    """One row per collaboration of :func:`geo.collaborations.coverage.plan_splits`, split ones first."""
    zone_names = {z.id: z.name for z in plan.zones}
    rows = [{
        "Collaborazione": s.collaboration.name,
        "Esito": "divisa tra più zone" if s.is_split else "tutta in una zona",
        "Zone e membri": "; ".join(f"{zone_names[z]}: {_names(codes, names)}" for z, codes in s.parts),
        "Membri in zona": s.memberships,
        "Non assegnati": _names(s.unassigned, names),
        "Fuori dall'area": _names(s.outside, names),
    } for s in sorted(splits, key=lambda s: (not s.is_split, s.collaboration.name.casefold()))]
    columns = ["Collaborazione", "Esito", "Zone e membri", "Membri in zona", "Non assegnati", "Fuori dall'area"]
    return pd.DataFrame(rows, columns=columns)


COHERENCE_HELP = ("Quota delle adesioni (comune × collaborazione) che restano in collaborazioni tutte dentro una "
                  "sola zona; esclude le collaborazioni cessate e i comuni non assegnati (nome tecnico: "
                  "coerenza del piano con le collaborazioni).")


def coherence_text(score: Coherence) -> str:
    """``"46%"`` style value of the coherence score ("–" when nothing to measure)."""
    return "–" if score.total == 0 else f"{format_number(100 * score.share, 0)}%"


def distances_table(summary: pd.DataFrame, collaborations: Iterable[Collaboration],
                    names: Mapping[str, str], day: dt.date | None = None) -> pd.DataFrame:
    """:func:`geo.collaborations.distances.distance_summary` with name, capofila and status; km with one decimal."""
    by_id = {c.id: c for c in collaborations}
    rows = []
    for r in summary.itertuples():
        c = by_id[r.collaborazione]
        rows.append({
            "Collaborazione": c.name, "Capofila": names.get(c.capofila, c.capofila),
            "Stato": STATUS_LABELS[c.status_on(day)], "Membri (oltre al capofila)": int(r.membri),
            "Distanza massima (km)": format_number(r.max_km, 1),
            "Distanza media (km)": format_number(r.media_km, 1),
        })
    columns = ["Collaborazione", "Capofila", "Stato", "Membri (oltre al capofila)",
               "Distanza massima (km)", "Distanza media (km)"]
    return pd.DataFrame(rows, columns=columns)


def problems_table(problems) -> pd.DataFrame:
    """Import problems (:class:`geo.io.collaboration_files.ImportProblem`) for display."""
    return pd.DataFrame({
        "Riga": ["intero file" if p.row is None else str(p.row) for p in problems],
        "Colonna": [p.column or "" for p in problems],
        "Problema": [p.message for p in problems],
    })
