"""Importing per-comune indicators from tables laid out as ISTAT, MEF and regions publish them.

Every file is built here, as an office would save it: Latin-1 with ``;``, title lines
above the header, footnotes below, ``1.234,5``, ``n.d.``, ``PRO_COM`` without the
leading zero, an XLSX with real numbers, a dot-decimal export. Expected values are
read off the files by eye, never from the code under test.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from geo.io.indicator_files import ColumnChoice, imported_indicators, preview_table
from geo.io.spreadsheet import FileRefused
from geo.io.spreadsheet.numbers import NotANumber, column_convention, parse_number
from geo.zoning.imported_indicators import Description

# Comuni of the default area (data/area_vasta.csv) and one outside the app's data (Milano).
KNOWN = {"017011": "Barbariga", "017020": "Borgo San Giacomo", "017026": "Brandico", "017088": "Leno"}
MILANO = "015146"

LATIN1_MEF = """Tavola 5 - Redditi IRPEF per comune, unità: euro;;;
Anno d'imposta 2022 - valori in euro;;;
;;;
PRO_COM;Denominazione Comune;Reddito imponibile medio (euro);Contribuenti
17011;Barbariga;21.234,5;1.480
17020;Borgo San Giacomo;n.d.;3.010
17026;Brandico;19.870,25;-
17088;Leno;22.001;10.123
15146;Milano;35.120,8;900.123
(a) Dati provvisori.
Fonte: elaborazione su dati MEF - Dipartimento delle Finanze
""".encode("latin-1")


def choice(index: int, **changes) -> ColumnChoice:
    fields = dict(label="Reddito medio", unit="€", year="2022", source="MEF, Dipartimento delle Finanze",
                  licence="CC BY 4.0", kind="valore", decimals=0) | changes
    return ColumnChoice(index, Description(**fields))


def test_numbers_in_the_italian_and_the_dot_decimal_conventions():
    assert parse_number("1.234,5") == 1234.5
    assert parse_number("−3,25") == -3.25 and parse_number("12,5%") == 12.5
    assert parse_number("1 234,5") == 1234.5
    for missing in ("n.d.", "-", "…", "..", "x", "", None, "N.D."):
        assert parse_number(missing) is None
    assert column_convention(["12.5", "3.25", "n.d."]) == "punto_decimale"
    assert column_convention(["1.234", "12.345"]) == "italiano"
    assert parse_number("1.234", "italiano") == 1234.0 and parse_number("1.25", "punto_decimale") == 1.25
    with pytest.raises(NotANumber, match="«abc» non è un numero"):
        parse_number("abc")
    with pytest.raises(NotANumber):
        parse_number("1,2,3")


def test_a_latin1_mef_table_with_title_lines_and_footnotes():
    preview = preview_table(LATIN1_MEF, "redditi.csv", KNOWN)
    table = preview.table
    assert preview.code_column_name == "PRO_COM"
    assert table.header.number == 4
    assert table.codes == ("017011", "017020", "017026", "017088", MILANO)
    assert table.notes == (1, 2, 10, 11)  # blank line 3 is no row
    assert (preview.known, preview.outside) == (4, 1)
    by_name = {c.name: c for c in preview.columns}
    income = by_name["Reddito imponibile medio (euro)"]
    assert (income.numbers, income.missing, income.bad) == (3, 1, ())
    assert [c.name for c in preview.numeric_columns] == ["Reddito imponibile medio (euro)", "Contribuenti"]

    outcome = imported_indicators(preview, [choice(2), choice(3, label="Contribuenti", unit="n.", kind="conteggio")],
                                  KNOWN)
    assert outcome.ok, outcome.problems
    income, taxpayers = outcome.indicators
    assert dict(income.values) == {"017011": 21234.5, "017020": None, "017026": 19870.25, "017088": 22001.0}
    assert dict(taxpayers.values) == {"017011": 1480.0, "017020": 3010.0, "017026": None, "017088": 10123.0}
    assert income.key == "imp_reddito_medio" and taxpayers.key == "imp_contribuenti"
    assert taxpayers.whole and not income.whole
    assert income.statistic().source.line == "MEF, Dipartimento delle Finanze, 2022 (licenza CC BY 4.0)"


def test_every_bad_row_is_named_and_nothing_is_returned():
    text = ("PRO_COM_T;Comune;Indice\n017011;Barbariga;12,5\n017020;Borgo San Giacomo;dodici\n"
            "Brescia;Brescia;13,1\n017026;Brandico;11\n017011;Barbariga;12,6\n")
    preview = preview_table(text.encode("utf-8"), "indice.csv", KNOWN)
    outcome = imported_indicators(preview, [choice(2, label="Indice", unit="%")], KNOWN)
    assert not outcome.ok and outcome.indicators == ()
    assert outcome.problems == (
        "Riga 4: «Brescia» nella colonna del codice non è un codice ISTAT (6 cifre, come 017088, o PRO_COM senza "
        "lo zero iniziale, come 17088).",
        "Riga 6: il codice 017011 compare già alla riga 2.",
        "Riga 3, colonna «Indice»: «dodici» non è un numero.",
    )


def test_name_unit_year_and_source_are_required():
    text = "PRO_COM_T;Valore\n017011;1\n017020;2\n017026;3\n"
    preview = preview_table(text.encode("utf-8"), "v.csv", KNOWN)
    outcome = imported_indicators(preview, [choice(1, source="  ")], KNOWN)
    assert outcome.problems == ("Colonna «Valore»: Manca la fonte.",)
    outcome = imported_indicators(preview, [choice(1, year="")], KNOWN)
    assert outcome.problems == ("Colonna «Valore»: Manca l'anno.",)
    assert imported_indicators(preview, [choice(1, licence="")], KNOWN).indicators[0].licence == "non indicata"


def test_an_xlsx_of_istat_with_real_numbers_and_a_total_row():
    book = Workbook()
    sheet = book.active
    sheet.append(["Popolazione per comune - 1° gennaio 2024"])
    sheet.append([])
    sheet.append(["Codice comune formato alfanumerico", "Denominazione", "Stranieri (%)"])
    sheet.append(["017011", "Barbariga", 8.25])
    sheet.append(["017020", "Borgo San Giacomo", "n.d."])
    sheet.append([17088, "Leno", 12])
    sheet.append([None, "Totale provincia", 11.4])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = preview_table(buffer.getvalue(), "stranieri.xlsx", KNOWN)
    assert preview.code_column_name == "Codice comune formato alfanumerico"
    assert preview.table.totals == (7,) and preview.table.notes == (1,)
    outcome = imported_indicators(preview, [choice(2, label="Stranieri", unit="%", kind="tasso", decimals=1)], KNOWN)
    assert dict(outcome.indicators[0].values) == {"017011": 8.25, "017020": None, "017088": 12.0}


def test_a_dot_decimal_export_and_a_code_column_found_by_its_values():
    text = "Comune,Quota\nBarbariga,0.125\nBorgo San Giacomo,0.5\nLeno,1.75\n"
    with pytest.raises(FileRefused, match="colonna con i codici ISTAT"):
        preview_table(text.encode("utf-8"), "q.csv", KNOWN)
    text = "codici,quota\n17011,0.125\n17020,0.5\n17088,1.75\n"
    preview = preview_table(text.encode("utf-8"), "q.csv", KNOWN)
    assert preview.table.code_column == 0
    outcome = imported_indicators(preview, [choice(1, label="Quota")], KNOWN)
    assert dict(outcome.indicators[0].values) == {"017011": 0.125, "017020": 0.5, "017088": 1.75}


def test_the_code_column_cannot_be_imported_and_a_key_is_never_reused():
    preview = preview_table(LATIN1_MEF, "redditi.csv", KNOWN)
    outcome = imported_indicators(preview, [choice(0)], KNOWN)
    assert "La colonna dei codici ISTAT non si può importare come indicatore." in outcome.problems
    outcome = imported_indicators(preview, [choice(2)], KNOWN, taken_keys={"imp_reddito_medio"})
    assert outcome.indicators[0].key == "imp_reddito_medio_2"


def test_a_title_line_with_a_comma_does_not_decide_the_delimiter():
    text = ("Popolazione residente, 1° gennaio 2024\nPRO_COM_T;Comune;Residenti\n017011;Barbariga;2.361\n"
            "017020;Borgo San Giacomo;5.401\n")
    preview = preview_table(text.encode("utf-8"), "pop.csv", KNOWN)
    assert preview.table.columns == ("PRO_COM_T", "Comune", "Residenti") and preview.table.notes == (1,)
    outcome = imported_indicators(preview, [choice(2, label="Residenti", kind="conteggio")], KNOWN)
    assert dict(outcome.indicators[0].values) == {"017011": 2361.0, "017020": 5401.0}
