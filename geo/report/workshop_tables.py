"""The facilitator's tables of a workshop (pure: no database, no Streamlit)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from geo.zoning.consensus import Consensus
from geo.base.italian import local_time
from geo.store.workshop_records import Participant, Submission


def proposals_table(participants: list[Participant], submissions: list[Submission],
                    consensus: Consensus | None) -> pd.DataFrame:
    """One row per participant, for the facilitator: when they joined, how many
    times they sent, when last, and what their last proposal does (zones, comuni
    left unassigned, comuni moved from the base plan through the zone matching),
    and whether the facilitator removed them.

    ``submissions`` may include removed participants' (the record);
    ``consensus`` must be built from the others' plans, in the same order.
    """
    removed = {p.id for p in participants if p.removed}
    counted = {s.participant_id: i for i, s in enumerate(s for s in submissions if s.participant_id not in removed)}
    sent = {s.participant_id: s for s in submissions}
    rows = []
    for person in participants:
        index, last = counted.get(person.id), sent.get(person.id)
        rows.append({
            "Partecipante": person.name + (" (escluso)" if person.removed else ""),
            "Entrato": local_time(person.joined_at),
            "Invii": last.sendings if last else 0,
            "Ultimo invio": local_time(last.sent_at) if last else "–",
            "Zone": len(last.plan.zones) if last else None,
            "Non assegnati": len(last.plan.unassigned) if last else None,
            "Spostati dal piano di partenza": (consensus.moved_from_base(index)
                                               if last and consensus and index is not None else None),
        })
    columns = ["Partecipante", "Entrato", "Invii", "Ultimo invio", "Zone", "Non assegnati",
               "Spostati dal piano di partenza"]
    return pd.DataFrame(rows, columns=columns)
