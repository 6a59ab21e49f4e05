"""Session state and actions of the Presentazione page: which plan is on screen,
stepping through the plans with the keyboard, the projector's style sheet."""

from __future__ import annotations

import streamlit as st

from geo.report.content import ReportContent, warnings_count_text
from pages.report_common import CURRENT, PlanChoice, plan_choices

CHOICE_KEY = "presentazione_scelta"
HIDDEN_KEYS = "presentazione_tasti"  # container of the PageUp/PageDown buttons, hidden by CSS

# Projector: larger type everywhere (Streamlit sizes in rem), no sidebar or top bar,
# the whole width for the map. The style element belongs to this page's elements,
# so it disappears when the user goes to another page.
PROJECTOR_CSS = f"""
<style>
html {{ font-size: 20px; }}
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {{
  display: none;
}}
.stMainBlockContainer {{ padding: 0.6rem 1.2rem 1rem 1.2rem; max-width: 100%; }}
.stMainBlockContainer h1 {{ font-size: 1.6rem; padding: 0; }}
[data-testid="stTable"] table {{ font-size: 0.95rem; }}
.st-key-{HIDDEN_KEYS} {{ display: none; }}
</style>
"""


def chosen(choices: list[PlanChoice]) -> int:
    """Index of the plan on screen; the current plan when the remembered one is gone."""
    keys = [c.key for c in choices]
    if st.session_state.get(CHOICE_KEY) not in keys:
        st.session_state[CHOICE_KEY] = CURRENT
    return keys.index(st.session_state[CHOICE_KEY])


def step(delta: int) -> None:
    """Show the next (``+1``) or previous (``-1``) plan, wrapping around (a button callback)."""
    keys = [c.key for c in plan_choices()]
    current = st.session_state.get(CHOICE_KEY)
    index = keys.index(current) if current in keys else 0
    st.session_state[CHOICE_KEY] = keys[(index + delta) % len(keys)]



def status_line(index: int, total: int, content: ReportContent) -> str:
    """``"Piano 2 di 3 · 4 zone, 42 comuni · 1 avviso (sotto la mappa)"``."""
    warnings = warnings_count_text(content.problems) + (" (sotto la mappa)" if content.problems else "")
    return (f"Piano {index + 1} di {total} · {len(content.plan.zones)} zone, {len(content.area.codes)} comuni"
            f" · {warnings}")
