"""``python -m geo.suggest``: suggested zones from the command line, for a facilitator
preparing a meeting.

::

    python -m geo.suggest --zones 3 --min-residents 50000 --indicators indice_vecchiaia,densita \\
        --keep polizia-locale-leno-pavone --seed 1 --out piano.csv
    python -m geo.suggest --list-indicators

The area is the app's area vasta (the working list with the changes saved in the app
database), the plan to start from and the zones to keep are the starting proposal,
collaborations and imported indicators are those of the app database
(``PIANURA_DB_URL`` / ``PIANURA_DATA_DIR``, as the app). The best proposal is written
as the CSV the *Scenari* page imports (``codice_istat;zona``, UTF-8 with BOM); the
scores of every proposal and of the starting plan are printed. Messages are Italian;
an infeasible request exits with status 2, a wrong option with status 2 (argparse),
a file that cannot be written with status 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

import pandas as pd

from geo.base.errors import UserError
from geo.base.italian import format_number
from geo.data.shipped import load_area_list, load_comuni, load_default_plan_dict
from geo.io.spreadsheet import csv_bytes
from geo.store.area_edits import AreaEditLog
from geo.store.collaborations import CollaborationStore
from geo.store.database import Store
from geo.store.indicators import IndicatorStore
from geo.zoning.area import Area
from geo.zoning.homogeneity import homogeneity
from geo.zoning.indicators import DEFAULT_CHOICE, SHIPPED_CATALOGUE, IndicatorCatalogue
from geo.zoning.plan import Plan
from geo.zoning.suggestion_problem import MAX_ZONES, MIN_ZONES, Constraints, KeptGroup, SuggestionInfeasible
from geo.zoning.suggestions import DEFAULT_TIME_LIMIT_S, suggest

INFEASIBLE = 2


class _ItalianParser(argparse.ArgumentParser):
    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"Errore: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _ItalianParser(prog="python -m geo.suggest",
                            description="Propone zone omogenee contigue e le scrive come CSV da importare in «Scenari».")
    parser.add_argument("--zones", type=int, help=f"numero di zone, da {MIN_ZONES} a {MAX_ZONES}")
    parser.add_argument("--min-residents", type=int, default=0, help="residenti minimi per zona")
    parser.add_argument("--max-deviation", type=float, help="scarto massimo dalla media delle zone, in %%")
    parser.add_argument("--indicators", default=",".join(DEFAULT_CHOICE),
                        help="chiavi degli indicatori separate da virgole (vedi --list-indicators)")
    parser.add_argument("--keep", nargs="*", default=[], metavar="COLLAB_ID",
                        help="collaborazioni da tenere intere (identificativi)")
    parser.add_argument("--seed", type=int, default=0, help="seme: stesso seme, stesso risultato")
    parser.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT_S, help="secondi al massimo")
    parser.add_argument("--out", type=Path, help="file CSV da scrivere (codice_istat;zona)")
    parser.add_argument("--list-indicators", action="store_true", help="elenca gli indicatori e termina")
    return parser


def _catalogue(indicators: IndicatorStore) -> IndicatorCatalogue:
    return SHIPPED_CATALOGUE.with_indicators(*(s.record.indicator() for s in indicators.active()))


def _area(store: Store, indicators: IndicatorStore) -> Area:
    codes = AreaEditLog(store).current_codes(load_area_list()["istat_code"])
    area = Area.from_comuni(load_comuni(), codes)
    for stored in indicators.active():
        area = area.with_columns(stored.record.column())
    return area


def _scores_text(area: Area, plan: Plan, chosen) -> str:
    result = homogeneity(area, plan, chosen)
    shares = "; ".join(f"{i.indicator.label} {format_number(i.explained, 2)}" for i in result.indicators)
    residents = area.table["pop_totale"]
    people = ", ".join(f"{z.name} {format_number(residents[list(plan.members(z.id))].sum())}" for z in plan.zones)
    return f"omogeneità {format_number(result.score, 3)} ({shares}); residenti: {people}"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    store = Store()
    indicators = IndicatorStore(store)
    catalogue = _catalogue(indicators)
    if args.list_indicators:
        for indicator in catalogue:
            print(f"{indicator.key}\t{indicator.label} ({indicator.unit})\t{indicator.source.line}")
        return 0
    if args.zones is None or args.out is None:
        _parser().error("servono --zones e --out (oppure --list-indicators)")
    keys = [k.strip() for k in args.indicators.split(",") if k.strip()]
    unknown = [k for k in keys if k not in catalogue]
    if unknown:
        print(f"Indicatori sconosciuti: {', '.join(unknown)}. Elenco: python -m geo.suggest --list-indicators",
              file=sys.stderr)
        return INFEASIBLE
    collaborations = {c.id: c for c in CollaborationStore(store).all()}
    missing = [k for k in args.keep if k not in collaborations]
    if missing:
        print(f"Collaborazioni sconosciute: {', '.join(missing)}.", file=sys.stderr)
        return INFEASIBLE
    area = _area(store, indicators)
    current = Plan.from_dict(load_default_plan_dict()).with_area(area.codes)
    chosen = catalogue.chosen(keys)
    constraints = Constraints(zones=args.zones, min_residents=args.min_residents, indicators=chosen,
                              max_deviation=args.max_deviation, seed=args.seed,
                              keep_together=tuple(KeptGroup(collaborations[k].name, collaborations[k].members)
                                                  for k in args.keep))
    try:
        result = suggest(area, current, constraints, time_limit=args.time_limit,
                         progress=lambda done, total: print(f"partenza {done} di {total} completata", file=sys.stderr))
    except SuggestionInfeasible as refusal:
        print("Richiesta impossibile:\n- " + "\n- ".join(refusal.reasons), file=sys.stderr)
        return INFEASIBLE
    except UserError as refusal:
        print(str(refusal), file=sys.stderr)
        return INFEASIBLE
    if not result.alternatives:
        print("Nessuna proposta rispetta i vincoli (nessuna partenza li raggiunge): prova un minimo di residenti più "
              "basso o meno zone.", file=sys.stderr)
        return INFEASIBLE
    print(f"Piano di partenza ({len(current.zones)} zone): {_scores_text(area, current, chosen)}")
    for number, alternative in enumerate(result.alternatives, start=1):
        print(f"Proposta {number}: {_scores_text(area, alternative.plan, chosen)}; "
              f"{len(alternative.changed)} comuni cambiano zona")
    if result.timed_out:
        print("Tempo scaduto: le proposte sono le migliori trovate entro il limite.")
    best = result.alternatives[0].plan
    table = pd.DataFrame({"codice_istat": list(best.codes),
                          "zona": [best.zone(best.zone_of(c)).name for c in best.codes]})
    try:
        args.out.write_bytes(csv_bytes(table))
    except OSError as error:
        print(f"Non riesco a scrivere {args.out}: {error.strerror}.", file=sys.stderr)
        return 1
    print(f"Scritto {args.out}: la proposta 1, da importare nella pagina «Scenari».")
    return 0
