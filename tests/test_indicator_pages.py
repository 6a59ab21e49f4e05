"""The «Indicatori» page and an imported indicator everywhere a shipped statistic is (AppTest).

The file: a MEF-like table, Latin-1 with ``;``, a title line and a footnote, values
in Italian format, "n.d." for Brandico:

    Barbariga (ambito 8) 20.000 · Borgo San Giacomo (ambito 8) 22.000 · Brandico (ambito 8) n.d.
    Leno (ambito 9) 30.000

As "valore del comune" (plain mean of the comuni with a value): Bassa Bresciana
Occidentale (21.000), Bassa Bresciana Centrale (30.000), Orientale none ("–"); the area
(20.000 + 22.000 + 30.000) / 3 = 24.000.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from tests.apptest_support import button, html_tables, run_app

FILE = ("Redditi per comune, anno d'imposta 2022 (unità: euro)\n"
        "PRO_COM;Comune;Reddito medio\n"
        "17011;Barbariga;20.000\n17020;Borgo San Giacomo;22.000\n17026;Brandico;n.d.\n17088;Leno;30.000\n"
        "Fonte: MEF\n").encode("latin-1")
KEY = "imp_reddito_medio"
HEADING = "Reddito medio (€)"


def by_label(widgets, label):
    (found,) = [w for w in widgets if w.label == label]
    return found


def import_file(app, *, source="MEF, Dipartimento delle Finanze"):
    app.file_uploader[0].set_value(("redditi.csv", FILE, "text/csv")).run()
    assert not app.exception, app.exception
    by_label(app.text_input, "Unità di misura").set_value("€")
    by_label(app.text_input, "Anno dei dati").set_value("2022")
    by_label(app.text_input, "Fonte (obbligatoria)").set_value(source)
    by_label(app.text_input, "Licenza").set_value("CC BY 4.0")
    by_label(app.radio, "Che cosa è il valore").set_value("valore")
    by_label(app.number_input, "Decimali").set_value(0)
    button(app, "Salva gli indicatori").click().run()
    assert not app.exception, app.exception
    return app


def test_the_preview_says_what_it_found_and_what_is_left_out():
    app = run_app("pages/indicatori.py")
    app.file_uploader[0].set_value(("redditi.csv", FILE, "text/csv")).run()
    info = " ".join(i.value for i in app.info)
    assert "«PRO\\_COM»" in info and "intestazione alla riga 2" in info
    assert "4 comuni presenti nei dati" in info and "2 righe di titolo o note ignorate" in info


def catalogue(app):
    """The page's list of indicators (a light HTML table, the first with a «Chiave» column)."""
    return next(t for t in html_tables(app) if "Chiave" in t.columns)


def test_an_imported_indicator_is_saved_and_listed_with_its_source():
    app = import_file(run_app("pages/indicatori.py"))
    assert any("Indicatori salvati" in s.value and "Reddito medio" in s.value for s in app.success)
    listed = catalogue(app)
    row = listed[listed["Chiave"] == KEY].iloc[0]
    assert (row["Anno"], row["Fonte"], row["Licenza"]) == ("2022", "MEF, Dipartimento delle Finanze", "CC BY 4.0")


def test_without_a_source_nothing_is_saved():
    app = import_file(run_app("pages/indicatori.py"), source="")
    assert any("Nessun indicatore salvato" in e.value and "Manca la fonte" in e.value for e in app.error)
    assert KEY not in set(catalogue(app)["Chiave"])


def test_chosen_in_the_editor_it_is_a_column_of_the_statistics_and_of_the_export():
    app = import_file(run_app("pages/indicatori.py"))
    app.switch_page("pages/zone_editor.py").run()
    app.pills(key="indicators_chosen").set_value(["indice_vecchiaia", KEY]).run()
    assert not app.exception, app.exception
    table = next(t for t in html_tables(app) if HEADING in t.columns)
    assert dict(zip(table["Zona"], table[HEADING])) == {
        "Bassa Bresciana Occidentale": "21.000", "Bassa Bresciana Centrale": "30.000",
        "Bassa Bresciana Orientale": "–", "Totale area": "24.000"}
    summary = next(t for t in html_tables(app) if "Varianza spiegata dalle zone (0-1)" in t.columns)
    assert dict(zip(summary["Indicatore"], summary["Comuni senza dato"]))[HEADING] == "39"  # 42 comuni, 3 with a number (Brandico: n.d.)

    app.switch_page("pages/presentazione.py").run()  # the report content (PDF/XLSX) is built the same way
    assert not app.exception, app.exception
    # st.table cells are markdown: the page escapes them (ui.display.show_text_table), "(" and ")" included
    shown = [t.value for t in app.table]
    assert any(HEADING in [v.replace("\\", "") for v in frame["Indicatore"]] for frame in shown
               if "Indicatore" in frame.columns)
    app.switch_page("pages/confronto.py").run()
    assert not app.exception, app.exception


def test_a_deleted_indicator_can_be_restored():
    app = import_file(run_app("pages/indicatori.py"))
    button(app, "Elimina").click().run()
    assert KEY not in set(catalogue(app)["Chiave"])
    button(app, "Ripristina").click().run()
    assert KEY in set(catalogue(app)["Chiave"])


def test_the_export_and_the_report_carry_the_indicator_its_source_and_homogeneity():
    from geo.data.shipped import load_area_list, load_comuni, load_default_plan_dict
    from geo.io.plan_export import to_xlsx
    from geo.report.content import build_report
    from geo.report.xlsx import report_xlsx
    from geo.zoning.area import Area
    from geo.zoning.imported_indicators import Description, ImportedIndicator
    from geo.zoning.indicators import SHIPPED_CATALOGUE
    from geo.zoning.plan import Plan

    about = Description(label="Reddito medio", unit="€", year="2022", source="MEF", licence="CC BY 4.0",
                        kind="valore", decimals=0)
    record = ImportedIndicator.create(KEY, about, {"017011": 20000.0, "017020": 22000.0, "017026": None,
                                                   "017088": 30000.0}, "redditi.csv")
    codes = list(load_area_list()["istat_code"])
    area = Area.from_comuni(load_comuni(), codes).with_columns(record.column())
    plan = Plan.from_dict(load_default_plan_dict()).with_area(codes)
    registry = SHIPPED_CATALOGUE.registry([]).with_statistics(record.statistic())
    book = load_workbook(BytesIO(to_xlsx(area, plan, "Prova", registry=registry, indicators=(record.indicator(),))))
    header = [c.value for c in book["Statistiche"][1]]
    rows = {r[0].value: r[header.index(HEADING)].value for r in book["Statistiche"].iter_rows(min_row=2)}
    assert rows == {"Bassa Bresciana Occidentale": 21000.0, "Bassa Bresciana Centrale": 30000.0,
                    "Bassa Bresciana Orientale": None, "Totale area": 24000.0}
    assert any("Reddito medio: MEF, 2022 (licenza CC BY 4.0)" == r[1].value for r in book["Informazioni"].iter_rows())
    assert book["Omogeneità"]["A1"].value == "Omogeneità del piano (0-1)"
    report = build_report(area, plan, (), title="Prova", registry=registry, indicators=(record.indicator(),))
    assert "Reddito medio: MEF, 2022 (licenza CC BY 4.0)" in report.source_lines
    sheets = load_workbook(BytesIO(report_xlsx(report))).sheetnames
    assert "Omogeneità" in sheets


def test_the_comparison_has_one_homogeneity_row_per_plan():
    """Two plans with answers known without computing: all 42 comuni in one zone (the zones
    explain none of the differences: 0) and every comune a zone of its own (all of them: 1)."""
    from geo.data.shipped import load_area_list
    from geo.store.database import Store
    from geo.store.scenarios import ScenarioStore
    from geo.zoning.plan import Plan, Zone

    codes = list(load_area_list()["istat_code"])
    store = ScenarioStore(Store())
    one = store.save("Una zona", Plan.build([Zone("a", "Tutta l'area", "#E69F00")], {c: "a" for c in codes}))
    each = store.save("Ogni comune", Plan.build([Zone(f"z{c}", f"Zona {c}", "#56B4E9") for c in codes],
                                                {c: f"z{c}" for c in codes}))
    store.store.close()
    app = run_app("pages/confronto.py")
    app.multiselect(key="comparison_plans").set_value([one.id, each.id]).run()
    assert not app.exception, app.exception
    table = next(d.value for d in app.dataframe if "Omogeneità (0-1)" in d.value.columns).set_index("Piano")
    shares = [c for c in table.columns if c.endswith(": varianza spiegata")]
    assert shares == ["Indice di vecchiaia: varianza spiegata", "Densità: varianza spiegata",
                      "Altitudine del centro: varianza spiegata"]  # the default choice
    assert table.loc["Una zona", "Zone"] == "1" and table.loc["Ogni comune", "Zone"] == "42"
    assert set(table.loc["Una zona", ["Omogeneità (0-1)", *shares]]) == {"0,00"}
    assert set(table.loc["Ogni comune", ["Omogeneità (0-1)", *shares]]) == {"1,00"}
