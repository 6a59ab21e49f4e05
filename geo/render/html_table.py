"""Small display tables as plain, escaped HTML.

The zone editor redraws its tables on every click. An HTML table costs the server
about a millisecond, where an interactive data grid costs an Arrow conversion per
table and, in the browser, a canvas grid plus some 25 extra JavaScript modules on
the first load. It also reads better on a projector. Pages that need sorting or a
download keep the interactive grid.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping

import pandas as pd

TABLE_CLASS = "pb-table"

# Sent with each table (a few hundred bytes): numbers right-aligned in tabular
# figures, the totals row in bold, wide tables scroll instead of overflowing.
_CSS = f"""
<style>
.{TABLE_CLASS}-wrap {{ overflow-x: auto; margin-bottom: 1rem; }}
table.{TABLE_CLASS} {{ border-collapse: collapse; width: 100%; font-size: 0.85rem; }}
table.{TABLE_CLASS} th, table.{TABLE_CLASS} td {{ padding: 0.3rem 0.5rem; vertical-align: top;
  border-bottom: 1px solid rgba(49, 51, 63, 0.15); }}
table.{TABLE_CLASS} th {{ text-align: left; font-weight: 600; vertical-align: bottom; }}
table.{TABLE_CLASS} td:first-child {{ min-width: 11em; }}
table.{TABLE_CLASS} th.num {{ text-align: right; }}
table.{TABLE_CLASS} td.num {{ text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }}
table.{TABLE_CLASS} tr.totale td {{ font-weight: 600; border-top: 2px solid rgba(49, 51, 63, 0.4); }}
table.{TABLE_CLASS} th[title] {{ text-decoration: underline dotted; cursor: help; }}
details.{TABLE_CLASS}-help {{ font-size: 0.85rem; margin: -0.5rem 0 1rem 0; }}
details.{TABLE_CLASS}-help summary {{ cursor: pointer; padding: 12px 0; }}
details.{TABLE_CLASS}-help dt, details.{TABLE_CLASS}-help dd {{ font-size: 0.85rem; line-height: 1.4; }}
details.{TABLE_CLASS}-help dt {{ font-weight: 600; }}
details.{TABLE_CLASS}-help dd {{ margin: 0 0 0.4rem 0; }}
</style>
"""


def html_table(frame: pd.DataFrame, *, numeric: Collection[str] = (), total_last: bool = False,
               caption: str | None = None, help: Mapping[str, str] | None = None) -> str:
    """An HTML table of ``frame`` (index not shown), every cell escaped.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows to show, values already formatted for display (any value is
        shown as ``str(value)``; ``None`` and NaN as an empty cell).
    numeric : collection of str
        Columns aligned to the right in tabular figures.
    total_last : bool
        The last row holds totals (shown in bold). By position, not by text: a
        zone named like the totals row stays an ordinary row.
    caption : str, optional
        A caption above the table, for screen readers and printouts.
    help : mapping of str to str, optional
        One-line explanations of some columns, by column name: shown as the
        heading's tooltip (mouse) and in a «Cosa vogliono dire le colonne» list
        under the table that opens with a tap (touch screens have no hover).

    Returns
    -------
    str
        A ``<style>`` block and ``<div class="pb-table-wrap"><table
        class="pb-table">...</table></div>``; user text (zone and comune names)
        cannot inject markup.
    """
    def cell(value: object) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return ""
        # One line per cell: a pasted newline must not break the table's layout.
        return html.escape(" ".join(str(value).split()))

    numeric = set(numeric)
    classes = [' class="num"' if column in numeric else "" for column in frame.columns]
    help = {column: text for column, text in (help or {}).items() if column in frame.columns and text}
    titles = [f' title="{cell(help[column])}"' if column in help else "" for column in frame.columns]
    head = "".join(f"<th{c}{t}>{cell(column)}</th>" for column, c, t in zip(frame.columns, classes, titles))
    rows = []
    # One conversion to Python lists: itertuples takes each column through pandas'
    # indexing again (about half of this function's time, on every editor click).
    for i, values in enumerate(frame.to_numpy(dtype=object).tolist()):
        total = total_last and i == len(frame) - 1
        cells = "".join(f"<td{c}>{cell(v)}</td>" for v, c in zip(values, classes))
        rows.append(f'<tr class="totale">{cells}</tr>' if total else f"<tr>{cells}</tr>")
    caption_html = f"<caption>{cell(caption)}</caption>" if caption else ""
    return (f'{_CSS}<div class="{TABLE_CLASS}-wrap"><table class="{TABLE_CLASS}">{caption_html}'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{_help_list(help, cell)}")


def _help_list(help: Mapping[str, str], cell) -> str:
    if not help:
        return ""
    items = "".join(f"<dt>{cell(column)}</dt><dd>{cell(text)}</dd>" for column, text in help.items())
    return f'<details class="{TABLE_CLASS}-help"><summary>Cosa vogliono dire le colonne</summary><dl>{items}</dl></details>'
