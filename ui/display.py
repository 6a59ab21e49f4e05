"""Small display helpers shared by the pages."""

from __future__ import annotations

import streamlit as st

import geo


def show_table(frame, *, numeric=(), total_last: bool = False) -> None:
    """A read-only table as light HTML (see :mod:`geo.render.html_table`): for tables that
    are redrawn on every click. Use ``st.dataframe`` where sorting helps."""
    st.html(geo.html_table(frame, numeric=numeric, total_last=total_last))


def attribution_caption() -> None:
    """The sources of the data, at the bottom of a page."""
    st.caption(geo.ATTRIBUTION)
