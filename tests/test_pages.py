"""Every page runs headless (Streamlit AppTest) without an exception."""

import pytest
from geo.data.shipped import load_area_list
from tests.apptest_support import html_tables, run_app

PAGES = ["pages/panoramica.py", "pages/zone_editor.py", "pages/collaborazioni.py", "pages/scenari.py",
         "pages/confronto.py"]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception(page):
    app = run_app(page)
    assert not app.exception, app.exception


def test_panoramica_shows_counts_and_statistics():
    app = run_app()
    area = load_area_list()
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Comuni"] == str(len(area))
    assert metrics["Zone omogenee"] == "3"
    # light HTML tables (no sideways scrolling of a data grid): the statistics, then the homogeneity
    table, alike = html_tables(app)
    assert list(table["Zona"])[-1] == "Totale area"
    assert "Zona" not in alike.columns and len(alike) >= 1  # one row per chosen indicator
    assert len(table) == 4
    assert any("lista di lavoro" in i.value for i in app.info)
    assert any("ISTAT" in c.value for c in app.caption)
