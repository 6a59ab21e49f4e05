"""Small display helpers shared by the pages."""

from __future__ import annotations

import streamlit as st

import geo
from ui.markdown import md


def show_table(frame, *, numeric=(), total_last: bool = False, help=None) -> None:
    """A read-only table as light HTML (see :mod:`geo.render.html_table`): for tables that
    are redrawn on every click. Use ``st.dataframe`` where sorting helps. ``help``: one-line
    explanations by column name (tooltips and a list that opens with a tap)."""
    st.html(geo.html_table(frame, numeric=numeric, total_last=total_last, help=help))


def show_statistics_table(stats, registry=None) -> None:
    """The per-zone statistics as a light table, each column's help from the registry
    (default the active one; a session's with its imported indicators)."""
    table = geo.statistics_display_table(stats, registry)
    show_table(table, numeric=table.columns[1:], total_last=True, help=geo.statistics_column_help(registry))


def show_text_table(frame) -> None:
    """A small static table (``st.table``) whose cells are shown as typed: Streamlit renders
    ``st.table`` cells as markdown, so every text cell and header is escaped here (a zone
    named ``**Nord**`` or ``[x](http://...)`` shows those characters, not bold or a link)."""
    shown = frame.rename(columns=lambda c: md(c) if isinstance(c, str) else c)
    shown = shown.map(lambda v: md(v) if isinstance(v, str) else v)
    st.table(shown, hide_index=True)


def attribution_caption() -> None:
    """The sources of the data, at the bottom of a page."""
    st.caption(geo.ATTRIBUTION)
