"""Small display helpers shared by the pages."""

from __future__ import annotations

import streamlit as st

import geo
from ui.markdown import md


def show_table(frame, *, numeric=(), total_last: bool = False) -> None:
    """A read-only table as light HTML (see :mod:`geo.render.html_table`): for tables that
    are redrawn on every click. Use ``st.dataframe`` where sorting helps."""
    st.html(geo.html_table(frame, numeric=numeric, total_last=total_last))


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
