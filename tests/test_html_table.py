"""HTML display tables: structure, alignment, totals row and escaping."""

import math

import pandas as pd

from geo.render.html_table import html_table
from tests.apptest_support import _TableReader


def _read(html: str) -> list[list[str]]:
    reader = _TableReader()
    reader.feed(html)
    assert len(reader.tables) == 1
    return reader.tables[0]


def test_header_then_one_row_per_record_in_order():
    frame = pd.DataFrame({"Zona": ["Nord", "Sud"], "Residenti": ["1.200", "800"]})
    assert _read(html_table(frame)) == [["Zona", "Residenti"], ["Nord", "1.200"], ["Sud", "800"]]


def test_numeric_columns_are_right_aligned_and_only_those():
    frame = pd.DataFrame({"Zona": ["Nord"], "Residenti": ["1.200"]})
    out = html_table(frame, numeric=["Residenti"])
    assert '<th class="num">Residenti</th>' in out and '<td class="num">1.200</td>' in out
    assert "<th>Zona</th>" in out and "<td>Nord</td>" in out


def test_totals_row_is_the_last_row_by_position_not_by_name():
    frame = pd.DataFrame({"Zona": ["Totale area", "Sud", "Totale area"], "n": [1, 2, 3]})
    out = html_table(frame, total_last=True)
    assert out.count('<tr class="totale">') == 1
    assert out.index('<tr class="totale">') > out.index("<td>2</td>")
    assert '<tr class="totale">' not in html_table(frame)


def test_user_text_cannot_inject_markup():
    attack = '<img src=x onerror=alert(1)>'
    frame = pd.DataFrame({attack: [attack], "b": ["a & b"]})
    out = html_table(frame, caption=attack)
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "a &amp; b" in out
    assert _read(out)[1] == [attack, "a & b"]


def test_missing_values_are_empty_cells_and_newlines_collapse():
    frame = pd.DataFrame({"a": [None, math.nan, "due\n\nrighe"]}, dtype=object)
    assert _read(html_table(frame))[1:] == [[""], [""], ["due righe"]]


def test_column_help_as_heading_tooltip_and_a_tap_list_escaped():
    frame = pd.DataFrame({"Zona": ["Nord"], "Forma compatta": ["0,50"]})
    out = html_table(frame, help={"Forma compatta": "1 = cerchio <b>", "Assente": "ignorata"})
    assert '<th title="1 = cerchio &lt;b&gt;">Forma compatta</th>' in out
    assert "<summary>Cosa vogliono dire le colonne</summary>" in out
    assert "<dt>Forma compatta</dt><dd>1 = cerchio &lt;b&gt;</dd>" in out
    assert "ignorata" not in out and "<b>" not in out
    assert "<details" not in html_table(frame)
