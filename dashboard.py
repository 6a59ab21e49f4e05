"""Entry point: page router and session set-up. Run with ``streamlit run dashboard.py``."""

import streamlit as st

from pages.common import init_session_state, run_page

st.set_page_config(page_title="Pianura Bresciana: mappa della cooperazione", page_icon="🗺️", layout="wide")
init_session_state()

navigation = st.navigation([
    st.Page("pages/panoramica.py", title="Panoramica", icon="🗺️", default=True),
    st.Page("pages/zone_editor.py", title="Zone omogenee", icon="✏️", url_path="zone"),
    st.Page("pages/scenari.py", title="Scenari", icon="💾", url_path="scenari"),
    st.Page("pages/confronto.py", title="Confronto scenari", icon="⚖️", url_path="confronto"),
    st.Page("pages/collaborazioni.py", title="Collaborazioni", icon="🤝", url_path="collaborazioni"),
])
run_page(navigation)
