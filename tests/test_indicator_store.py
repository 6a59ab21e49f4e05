"""Imported indicators in the database (SQLite and PostgreSQL): versions kept, writes
checked against the revision they started from, deletion recoverable."""

from __future__ import annotations

from dataclasses import replace

import pytest

from geo.store.indicators import IndicatorStore, IndicatorStoreError
from geo.zoning.imported_indicators import Description, ImportedIndicator


def record(key="imp_reddito_medio", label="Reddito medio", values=None, year="2022") -> ImportedIndicator:
    about = Description(label=label, unit="€", year=year, source="MEF", licence="CC BY 4.0", kind="valore", decimals=0)
    return ImportedIndicator.create(key, about, values or {"017088": 22001.0, "017011": None}, "redditi.csv")


def test_saved_indicators_survive_a_restart_with_their_values(store):
    IndicatorStore(store).add([record()], author="Ufficio di piano")
    (saved,) = IndicatorStore(store).active()
    assert saved.record == record() and saved.revision == 1 and not saved.deleted
    assert dict(saved.record.values) == {"017088": 22001.0, "017011": None}
    assert IndicatorStore(store).fingerprint() == (("imp_reddito_medio", 1),)


def test_a_new_version_keeps_the_old_one_and_a_stale_write_is_refused(store):
    indicators = IndicatorStore(store)
    indicators.add([record()], author="A")
    newer = record(values={"017088": 23000.0}, year="2023")
    assert indicators.replace(newer, expected_revision=1, author="B") == 2
    with pytest.raises(IndicatorStoreError, match="qualcun altro"):
        indicators.replace(record(year="2021"), expected_revision=1, author="C")
    history = indicators.history("imp_reddito_medio")
    assert [(h["revisione"], h["azione"], h["autore"], h["record"].year) for h in history] == [
        (1, "importazione", "A", "2022"), (2, "aggiornamento", "B", "2023")]
    assert indicators.active()[0].record.year == "2023"


def test_deletion_is_recoverable(store):
    indicators = IndicatorStore(store)
    indicators.add([record()], author="A")
    indicators.delete("imp_reddito_medio", expected_revision=1, author="B")
    assert indicators.active() == () and indicators.fingerprint() == ()
    (gone,) = indicators.deleted()
    assert gone.record.values["017088"] == 22001.0
    indicators.restore("imp_reddito_medio", expected_revision=2, author="C")
    assert [s.record.key for s in indicators.active()] == ["imp_reddito_medio"]
    assert [h["azione"] for h in indicators.history("imp_reddito_medio")] == [
        "importazione", "eliminazione", "ripristino"]


def test_a_name_in_use_or_a_used_key_is_refused_and_nothing_is_saved(store):
    indicators = IndicatorStore(store)
    indicators.add([record()], author="A")
    with pytest.raises(IndicatorStoreError, match="chiamato «reddito medio»"):
        indicators.add([record(key="imp_altro", label="Altro"), record(key="imp_x", label="reddito medio")], "A")
    assert [s.record.key for s in indicators.active()] == ["imp_reddito_medio"]  # all or none
    with pytest.raises(IndicatorStoreError, match="chiave"):
        indicators.add([replace(record(), label="Nuovo nome")], "A")
    assert indicators.keys() == {"imp_reddito_medio"}
