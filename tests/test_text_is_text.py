"""User text is text: zone names never render as markdown (pills, static tables), never
run as a template (map layers, the consensus map) and never become a spreadsheet formula
(every CSV writer). Names are hostile on purpose."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import streamlit as st
from openpyxl import load_workbook

import geo

from geo.collaborations.coverage import coverage_matrix
from geo.collaborations.model import PRIORITY_FUNCTIONS, Collaboration
from geo.data.shipped import load_area_list, load_comuni, load_default_plan_dict
from geo.io.collaboration_files import write_collaborations_csv
from geo.io.plan_export import to_csv, to_xlsx
from geo.io.spreadsheet import csv_bytes, xlsx_bytes
from geo.report.content import build_report
from geo.report.xlsx import report_xlsx
from geo.render.collaboration_tables import matrix_table
from geo.store.collaborations import CollaborationStore
from geo.store.database import Store
from geo.zoning.area import Area
from geo.zoning.plan import Plan
from tests.apptest_support import as_coordinator, run_app
from ui.session import PlanSession

CODES = tuple(sorted(load_area_list()["istat_code"]))
MARKDOWN_NAME = "**Nord** [clicca](http://example.org) `x` <b>y</b>"
TEMPLATE_NAME = "Unione {{ bassa {% if %} {# nota"
FORMULAS = ('=HYPERLINK("http://example.org","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd", "-2+3")
LENO, GHEDI = "017088", "017078"


def default_plan() -> Plan:
    return Plan.from_dict(load_default_plan_dict()).with_area(CODES)


def hostile_plan(name: str) -> Plan:
    """The default plan with its first zone renamed ``name``."""
    plan = default_plan()
    return plan.rename_zone(plan.zone_ids[0], name)


@pytest.fixture(autouse=True)
def fresh_database(tmp_path, monkeypatch):
    monkeypatch.setenv("PIANURA_DATA_DIR", str(tmp_path / "dati"))
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def with_plan(page: str, plan: Plan):
    app = run_app(state={"plan": PlanSession(CODES, geo.History(plan))})
    app.switch_page(page)
    return app.run()


# -- markdown -------------------------------------------------------------------------------------
def test_the_active_zone_pills_show_names_as_typed():
    app = with_plan("pages/zone_editor.py", hostile_plan(MARKDOWN_NAME))
    assert not app.exception
    pills = next(b for b in app.button_group if b.label == "Zona attiva")
    first = pills.proto.options[0].content
    assert first != MARKDOWN_NAME and first.replace("\\", "") == MARKDOWN_NAME  # every markup character escaped
    assert "\\*\\*Nord\\*\\*" in first and "\\[clicca\\]\\(http" in first


@pytest.mark.parametrize("page", ["pages/presentazione.py", "pages/report.py"])
def test_presentation_and_report_tables_show_names_as_typed(page):
    app = with_plan(page, hostile_plan(MARKDOWN_NAME))
    assert not app.exception
    table = app.table[0].value
    (cell,) = [c for c in table.iloc[:, 0] if "Nord" in str(c)]
    assert cell.replace("\\", "") == MARKDOWN_NAME and "\\*\\*" in cell


# -- templates ----------------------------------------------------------------------------------------
def test_template_syntax_in_names_and_sources_never_raises(tmp_path):
    """Collaborations whose name and sources hold Jinja syntax, and a zone named with it,
    through every page that draws them on a map (layers on) or in a file."""
    store = Store()
    CollaborationStore(store).add(Collaboration(
        id="modello", name=TEMPLATE_NAME, form="unione", functions=PRIORITY_FUNCTIONS,
        members=(LENO, GHEDI), capofila=LENO, status="attiva",
        sources=("https://example.org/{#a", "https://example.org/{%b%}", "https://example.org/{{c}}"),
        notes="{{ note }} {% raw %}"))
    store.close()
    plan = hostile_plan(TEMPLATE_NAME)
    for page, layers in (("pages/panoramica.py", "overview_layers"), ("pages/zone_editor.py", "editor_layers"),
                         ("pages/collaborazioni.py", "collaborations_layers")):
        app = with_plan(page, plan)
        app.pills(key=layers).set_value(list(geo.LAYERS)).run()
        assert not app.exception, (page, app.exception)
    for page in ("pages/presentazione.py", "pages/report.py", "pages/scenari.py", "pages/confronto.py"):
        assert not with_plan(page, plan).exception, page


def test_template_syntax_in_a_zone_name_reaches_the_consensus_map_as_text():
    facilitator = as_coordinator(with_plan("pages/workshop.py", hostile_plan(TEMPLATE_NAME)))
    facilitator.run()
    facilitator.text_input(key="workshop_open_title").set_value("{{ titolo }}")
    next(b for b in facilitator.button if b.label == "Apri il laboratorio").click().run()
    code = facilitator.session_state["workshop"].conducted_id
    assert code and not facilitator.exception
    participant = run_app("pages/workshop.py")
    from ui.stores import stores
    workshop = stores().workshops.get(code)
    participant.text_input(key="workshop_join_code").set_value(workshop.code)
    participant.text_input(key="workshop_join_name").set_value("{% Maria %}")
    next(b for b in participant.button if b.label == "Entra nel laboratorio").click().run()
    next(b for b in participant.button if b.label == "Invia la mia proposta").click().run()
    facilitator.run()
    assert not facilitator.exception and not participant.exception
    assert {m.label: m.value for m in facilitator.metric}["Proposte ricevute"] == "1"


# -- formulas in CSV -------------------------------------------------------------------------------------
def csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";") for cell in row]


@pytest.mark.parametrize("formula", FORMULAS)
def test_every_csv_writer_neutralises_formula_cells(formula):
    area = Area.from_comuni(load_comuni(), list(CODES))
    plan = hostile_plan(formula)
    collaboration = Collaboration(id="f", name=formula, form="convenzione", functions=("suap_sue",),
                                  members=(LENO, GHEDI), capofila=LENO,
                                  status="attiva", notes=formula)
    matrix = matrix_table(coverage_matrix(area.codes, (collaboration,), PRIORITY_FUNCTIONS, dt.date(2026, 1, 1)),
                          area, plan)
    for data in (to_csv(area, plan), write_collaborations_csv([collaboration]), csv_bytes(matrix)):
        cells = csv_cells(data)
        assert "'" + formula in cells
        assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


@pytest.mark.parametrize("formula", FORMULAS)
def test_every_xlsx_writer_keeps_formula_text_as_text(formula):
    """Excel runs a cell stored as a formula: each XLSX the app writes (plan, report,
    coverage table) holds the hostile names as text cells only."""
    area = Area.from_comuni(load_comuni(), list(CODES))
    plan = hostile_plan(formula)
    collaboration = Collaboration(id="f", name=formula, form="convenzione", functions=("suap_sue",),
                                  members=(LENO, GHEDI), capofila=LENO, status="attiva", notes=formula)
    matrix = matrix_table(coverage_matrix(area.codes, (collaboration,), PRIORITY_FUNCTIONS, dt.date(2026, 1, 1)),
                          area, plan)
    report = build_report(area, plan, (collaboration,), title=formula, author=formula, notes=formula,
                          day=dt.date(2026, 1, 1))
    for data in (to_xlsx(area, plan, formula), report_xlsx(report), xlsx_bytes(matrix)):
        cells = [c for sheet in load_workbook(io.BytesIO(data)).worksheets for row in sheet.iter_rows() for c in row]
        assert any(c.value == formula for c in cells)
        assert all(c.data_type != "f" for c in cells)
