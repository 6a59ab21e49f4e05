"""Importing collaborations from CSV/XLSX: what Italian Excel writes is read, broken files
are reported row by row in Italian, and a file is only ever accepted as a whole."""

import datetime as dt
import io

import openpyxl
import pytest

from geo.io.collaboration_files import MAX_BYTES, read_collaborations, write_collaborations_csv
from geo.collaborations.model import Collaboration

KNOWN = {"017088": "Leno", "017137": "Pavone del Mella", "017152": "Pralboino", "017177": "Seniga",
         "017001": "Acquafredda"}
HEADER = "nome;forma;funzioni;membri;capofila;stato;data_inizio;data_fine;fonte;note;da_verificare"


def read(text: str | bytes, filename="collaborazioni.csv", existing=()):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_collaborations(data, filename, KNOWN, existing)


def messages(result) -> list[str]:
    return [p.message for p in result.problems]


def test_a_valid_utf8_csv_is_read():
    result = read(
        HEADER + "\n"
        "Polizia Locale Leno;Convenzione;Polizia Locale;017088, 17137;17088;attiva;2013-01-01;;"
        "https://example.org/pl;nota;no\n"
        "SUAP condiviso;piattaforma condivisa;SUAP, ICT;017152|017177;;da costituire;;;;;sì\n"
    )
    assert result.ok, result.problems
    first, second = result.collaborations
    assert first.members == ("017088", "017137") and first.capofila == "017088"
    assert first.start_date == dt.date(2013, 1, 1) and first.form == "convenzione"
    assert first.id == "polizia-locale-leno"
    assert second.functions == ("suap_sue", "servizi_ict") and second.da_verificare
    assert second.status == "da_costituire" and second.capofila is None


def test_a_latin1_csv_with_semicolons_and_italian_dates_is_read():
    data = (HEADER + "\n"
            "Unione dei Comuni della Città;Unione di Comuni;Polizia Locale;017088 017177;;attiva;01/01/2026;"
            "31/12/2026;;Più comuni insieme;NO\n").encode("latin-1")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really Latin-1, as Italian Excel writes it
    result = read(data)
    assert result.ok, result.problems
    c = result.collaborations[0]
    assert c.name == "Unione dei Comuni della Città" and c.notes == "Più comuni insieme"
    assert (c.start_date, c.end_date) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert c.form == "unione" and not c.da_verificare


def test_a_comma_separated_csv_with_quoted_lists_is_read():
    result = read('nome,forma,funzioni,membri,stato\n'
                  '"Convenzione, prova",convenzione,"Polizia Locale, Tributi","017088, 017137",attiva\n')
    assert result.ok, result.problems
    assert result.collaborations[0].functions == ("polizia_locale", "tributi")


def test_an_xlsx_with_numeric_codes_and_real_dates_is_read():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Nome", "Forma", "Funzioni", "Membri", "Capofila", "Stato", "Data inizio", "Da verificare"])
    sheet.append(["Ufficio tecnico associato", "Convenzione", "Ufficio Tecnico", "17088; 17137", 17088,
                  "Attiva", dt.datetime(2024, 3, 1), True])
    buffer = io.BytesIO()
    book.save(buffer)
    result = read(buffer.getvalue(), "collaborazioni.xlsx")
    assert result.ok, result.problems
    c = result.collaborations[0]
    assert c.members == ("017088", "017137") and c.capofila == "017088"  # leading zero restored
    assert c.start_date == dt.date(2024, 3, 1) and c.da_verificare


def test_missing_columns_are_named():
    result = read("nome;forma;funzioni\nProva;convenzione;Polizia Locale\n")
    assert not result.ok and result.collaborations == ()
    assert messages(result) == ["Mancano le colonne obbligatorie: membri, stato."]
    assert result.problems[0].row == 1


def test_an_unknown_column_is_reported():
    result = read("nome;forma;funzioni;membri;stato;colore\nP;convenzione;Tributi;017088 017137;attiva;rosso\n")
    assert any("Colonna sconosciuta «colore»" in m for m in messages(result))


def test_every_bad_row_is_reported_with_its_row_number_and_nothing_is_accepted():
    result = read(
        HEADER + "\n"
        "Buona;convenzione;Tributi;017088 017137;;attiva;;;;;\n"            # row 2: fine
        "Codice ignoto;convenzione;Tributi;017088 099999;;attiva;;;;;\n"    # row 3
        "Codice rotto;convenzione;Tributi;017088 Leno;;attiva;;;;;\n"       # row 4
        "Data rotta;convenzione;Tributi;017088 017137;;attiva;31/02/2025;;;;\n"  # row 5
        "Funzione ignota;convenzione;Giardinaggio;017088 017137;;attiva;;;;;\n"  # row 6
        "\n"                                                                  # row 7: blank, skipped
        "Buona;convenzione;Tributi;017001 017137;;attiva;;;;;\n"            # row 8: duplicate of row 2
        "Fonte pericolosa;convenzione;Tributi;017001 017137;;attiva;;;javascript:alert(1);;\n"  # row 9
    )
    assert not result.ok  # one good row does not make the file acceptable
    found = {(p.row, p.column): p.message for p in result.problems}
    assert "sconosciuto «099999»" in found[(3, "membri")]
    assert "non valido «Leno»" in found[(4, "membri")]
    assert "data non valida «31/02/2025»" in found[(5, "data_inizio")]
    assert "Funzione sconosciuta «Giardinaggio»" in found[(6, "funzioni")]
    assert "duplicata «Buona» (come alla riga 2)" in found[(8, "nome")]
    assert "http" in found[(9, None)]
    assert len(result.problems) == 6


def test_a_row_duplicating_a_saved_collaboration_is_refused():
    saved = Collaboration(id="pl", name="Polizia Locale Leno", form="convenzione", functions=("polizia_locale",),
                          members=("017088", "017137"), capofila=None, status="attiva")
    result = read("id;nome;forma;funzioni;membri;stato\n"
                  "pl;Altro nome;convenzione;Tributi;017088 017137;attiva\n"
                  "altro;polizia locale leno;convenzione;Tributi;017088 017137;attiva\n", existing=[saved])
    found = {(p.row, p.column): p.message for p in result.problems}
    assert "Identificativo duplicato «pl»" in found[(2, "id")]
    assert "già salvata" in found[(3, "nome")]


@pytest.mark.parametrize("data, filename, expected", [
    (b"", "vuoto.csv", "Il file è vuoto."),
    (b"\n \n;;;\n", "vuoto.csv", "Il file è vuoto."),
    ((HEADER + "\n").encode(), "intestazione.csv", "solo l'intestazione"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "foto.csv", "dati binari"),
    (bytes(range(1, 32)) * 20, "strano.csv", "dati binari"),
    (b"PK\x03\x04 questo non e' uno zip", "rotto.xlsx", "non è un foglio Excel"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "vecchio.xls", "non è supportato"),
    (b"x" * (MAX_BYTES + 1), "enorme.csv", "troppo grande"),
])
def test_broken_files_get_one_clear_message(data, filename, expected):
    result = read_collaborations(data, filename, KNOWN)
    assert not result.ok and result.collaborations == ()
    assert len(result.problems) == 1 and result.problems[0].row is None
    assert expected in result.problems[0].message


def test_export_reads_back_to_the_same_collaborations():
    originals = (
        Collaboration(id="pl-leno", name="Polizia Locale «Leno»; prova", form="convenzione",
                      functions=("polizia_locale", "protezione_civile"), members=("017088", "017137", "017152"),
                      capofila="017088", status="attiva", start_date=dt.date(2013, 1, 1),
                      sources=("https://example.org/a", "https://example.org/b"), notes="Nota, con virgola",
                      da_verificare=True),
        Collaboration(id="suap", name="SUAP", form="piattaforma", functions=("suap_sue",),
                      members=("017001", "017177"), capofila=None, status="in_scioglimento",
                      end_date=dt.date(2026, 12, 31)),
    )
    data = write_collaborations_csv(originals)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
    result = read_collaborations(data, "export.csv", KNOWN)
    assert result.ok, result.problems
    assert result.collaborations == originals
