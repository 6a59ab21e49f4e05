"""Every page runs headless (Streamlit AppTest) without an exception."""

import pytest
from streamlit.testing.v1 import AppTest

from geo.data import load_area_list
from tests.browser_support import ROOT

PAGES = ["pages/panoramica.py"]


def run_app(page: str | None = None) -> AppTest:
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    if page:
        app.switch_page(page)
        app.run()
    return app


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
    table = app.dataframe[0].value
    assert list(table["Zona"])[-1] == "Totale area"
    assert len(table) == 4
    assert any("lista di lavoro" in i.value for i in app.info)
    assert any("ISTAT" in c.value for c in app.caption)
