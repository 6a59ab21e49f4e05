"""Entry point: page router and session set-up. Run with ``streamlit run dashboard.py``."""

import streamlit as st

from ui import coordination, flash, identity, layout, plan_session, territory, workshop
from ui.routing import run_page, session_restriction, visible_pages

st.set_page_config(page_title="Pianura Bresciana: mappa della cooperazione", page_icon="🗺️", layout="wide")
layout.app_style()  # map first on every screen, controls a finger can hit
workshop.resume_role()  # a reloaded participant or facilitator: back in their workshop (ui/drafts.py)
plan_session.start()
territory.selector()  # in the sidebar: the territory this session works in
flash.show("app")  # the outcome of opening a share link, until the user closes it

# url_path stays the file name: on a server's first run Streamlit resolves the URL
# against the files of pages/ before st.navigation runs, and any other path shows
# a spurious "Page not found".
navigation = st.navigation(visible_pages([  # a participant's menu: only the pages they may use
    st.Page("pages/panoramica.py", title="Panoramica", icon=":material/map:", default=True),
    st.Page("pages/zone_editor.py", title="Zone omogenee", icon=":material/edit_location_alt:"),
    st.Page("pages/scenari.py", title="Scenari", icon=":material/save:", url_path="scenari"),
    st.Page("pages/confronto.py", title="Confronto scenari", icon=":material/compare:", url_path="confronto"),
    st.Page("pages/collaborazioni.py", title="Collaborazioni", icon=":material/handshake:", url_path="collaborazioni"),
    st.Page("pages/indicatori.py", title="Indicatori", icon=":material/query_stats:", url_path="indicatori"),
    st.Page("pages/workshop.py", title="Laboratorio", icon=":material/groups:", url_path="workshop"),
    st.Page("pages/report.py", title="Rapporto PDF/Excel", icon=":material/picture_as_pdf:", url_path="report"),
    st.Page("pages/presentazione.py", title="Presentazione", icon=":material/slideshow:", url_path="presentazione"),
]))
# -- hardening (issue 14): the coordination password exists; its sign-in in the sidebar --
coordination.prepare()
if not session_restriction():
    coordination.access_panel()
run_page(navigation)
identity.keep_in_browser()  # last: the identity frame never shifts the page
