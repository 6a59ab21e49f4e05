"""The «Indicatori» page's actions: read an uploaded table, save the chosen columns as
indicators (all or none), update one with a new file, delete and restore (every
version is kept in the database, :mod:`geo.store.indicators`)."""

from __future__ import annotations

import zlib

import pandas as pd

import geo
from ui import errors, flash
from ui.indicators import catalogue, imported
from ui.session import Widgets, indicator_import_state, user_name
from ui.shipped import shipped_comuni
from ui.stores import stores

PLACE = "indicators"
NEW = "__nuovo__"
IMPORT = Widgets("indicator_import")


def uploader_key() -> str:
    """A new key (an empty box) after each saved import."""
    return IMPORT.key("file", item=indicator_import_state().upload_round)


def read_upload(file_name: str, data: bytes) -> tuple[geo.TablePreview | None, str | None]:
    """The preview of an uploaded file (kept for the form), or the Italian reason it cannot be read."""
    state = indicator_import_state()
    if state.preview is not None and state.preview[:2] == (file_name, len(data)):
        return state.preview[2], None
    try:
        preview = geo.preview_table(data, file_name, shipped_comuni().index)
    except geo.UserError as refusal:
        state.preview = None
        return None, str(refusal)
    # The revisions the file was read against: updating an indicator someone changed since is refused.
    revisions = {s.record.key: s.revision for s in stores().indicators.active()}
    state.preview = (file_name, len(data), preview, revisions)
    return preview, None


def columns_table(preview: geo.TablePreview) -> pd.DataFrame:
    """The preview's columns: how many numbers, missing values and the first bad cells."""
    return pd.DataFrame({
        "Colonna": [c.name for c in preview.columns],
        "Numeri": [geo.format_number(c.numbers) for c in preview.columns],
        "Mancanti": [geo.format_number(c.missing) for c in preview.columns],
        "Problemi": ["; ".join(c.bad) or ("colonna dei codici" if c.index == preview.table.code_column else "")
                     for c in preview.columns],
    }, dtype=object)


def layout_text(preview: geo.TablePreview) -> str:
    """Plain text: what was found and what will be left out."""
    table = preview.table
    header = f"intestazione alla riga {table.header.number}" if table.header else "nessuna riga di intestazione"
    parts = [f"Colonna dei codici: «{preview.code_column_name}»; {header}",
             f"{geo.format_number(preview.known)} comuni presenti nei dati dell'app"]
    if preview.outside:
        parts.append(f"{geo.format_number(preview.outside)} righe di comuni fuori dai dati dell'app (ignorate)")
    if table.notes:
        parts.append(f"{len(table.notes)} righe di titolo o note ignorate")
    if table.totals:
        parts.append(f"{len(table.totals)} righe di totale ignorate")
    return ". ".join(parts) + "."


def replaceable() -> dict[str, str]:
    """Imported indicators a new file may update: ``{key: label}``."""
    return {r.key: r.label for r in imported()}


def _choice(index: int) -> geo.ColumnChoice:
    def value(name: str, default=""):
        return IMPORT.get(name, default, item=item(index))

    return geo.ColumnChoice(index, geo.IndicatorDescription(
        label=value("label"), unit=value("unit"), year=value("year"), source=value("source"),
        licence=value("licence"), kind=value("kind", "tasso"), decimals=int(value("decimals", 1))))


@errors.callback(PLACE)
def save(preview: geo.TablePreview) -> None:
    """Check the chosen columns and save them as new indicators, or as a new version of one."""
    state = indicator_import_state()
    chosen = list(IMPORT.get("columns", item=preview_tag()) or [])
    taken = set(catalogue().keys) | stores().indicators.keys() | set(geo.statistics_registry().keys)
    outcome = geo.imported_indicators(preview, [_choice(i) for i in chosen], shipped_comuni().index, taken)
    if not outcome.ok:
        flash.error(PLACE, "Nessun indicatore salvato: " + " ".join(outcome.problems))
        return
    targets = {i: IMPORT.get("target", NEW, item=item(i)) for i in chosen}
    store = stores().indicators
    revisions = state.preview[3] if state.preview else {}
    if any(t != NEW and t not in revisions for t in targets.values()):
        flash.error(PLACE, "Uno degli indicatori da aggiornare non esiste più: ricarica il file.")
        return
    pairs = list(zip(chosen, outcome.indicators))
    store.save([r for i, r in pairs if targets[i] == NEW],
               [(_with_key(r, targets[i]), revisions[targets[i]]) for i, r in pairs if targets[i] != NEW],
               user_name() or "anonimo")
    state.preview, state.upload_round = None, state.upload_round + 1
    flash.success(PLACE, f"Indicatori salvati: {', '.join(r.label for r in outcome.indicators)}. Si scelgono nella "
                         "pagina «Zone omogenee» e compaiono in tabelle, file e rapporti.")


def _with_key(record: geo.ImportedIndicator, key: str) -> geo.ImportedIndicator:
    return geo.ImportedIndicator.from_dict(record.to_dict() | {"key": key})


@errors.callback(PLACE)
def delete(key: str, revision: int) -> None:
    store = stores().indicators
    store.delete(key, revision, user_name() or "anonimo")
    flash.success(PLACE, "Indicatore eliminato: resta tra gli eliminati e si può ripristinare.")


@errors.callback(PLACE)
def restore(key: str, revision: int) -> None:
    stores().indicators.restore(key, revision, user_name() or "anonimo")
    flash.success(PLACE, "Indicatore ripristinato.")


def catalogue_table() -> pd.DataFrame:
    """Every indicator in use: name, unit, year, source, licence and how it aggregates over a zone."""
    rows = []
    for indicator in catalogue():
        statistic = indicator.statistic
        rows.append({"Indicatore": indicator.label, "Unità": indicator.unit, "Anno": indicator.source.year,
                     "Fonte": indicator.source.source, "Licenza": indicator.source.licence,
                     "Chiave": indicator.key, "Per una zona": _aggregation_text(statistic)})
    return pd.DataFrame(rows, dtype=object)


def _aggregation_text(statistic: geo.Statistic) -> str:
    aggregation = statistic.aggregation
    if isinstance(aggregation, geo.ColumnSum):
        return "somma dei comuni"
    if isinstance(aggregation, geo.SumRatio):
        return f"rapporto delle somme (pesato su: {aggregation.denominator.name.replace('_', ' ')})"
    weight = aggregation.weight
    return "media semplice dei comuni" if weight.column is None else \
        f"media pesata su: {weight.name.replace('_', ' ')}"


def preview_tag() -> str:
    """Widget items of the form: a new file gets fresh widgets (its columns are others)."""
    state = indicator_import_state()
    if state.preview is None:
        return "0"
    name, size = state.preview[:2]
    return f"{zlib.crc32(name.encode('utf-8')) % 100000}x{size}"


def item(index: int) -> str:
    return f"{preview_tag()}_{index}"


def chosen_columns_default(preview: geo.TablePreview) -> None:
    """Start with the first numeric column chosen and each column's header as its name."""
    if IMPORT.get("columns", item=preview_tag()) is None:
        IMPORT.set("columns", [c.index for c in preview.numeric_columns][:1], item=preview_tag())
    for column in preview.numeric_columns:
        if IMPORT.get("label", item=item(column.index)) is None:
            IMPORT.set("label", column.name, item=item(column.index))
