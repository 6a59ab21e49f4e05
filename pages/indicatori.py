"""Indicatori: the per-comune indicators the zones can be homogeneous on; importing more
from the tables ISTAT, MEF and regional offices publish, with versions kept."""

import streamlit as st

from geo import KIND_LABELS, MAX_INDICATOR_FILE_BYTES, SPREADSHEET_UPLOAD_TYPES, format_number, format_timestamp
from ui import flash
from ui import indicator_import as imp
from ui.display import attribution_caption, show_table
from ui.markdown import md
from ui.session import USER
from ui.stores import stores


def column_form(preview, index: int, targets: dict) -> None:
    """What the user says about one chosen column."""
    item = imp.item(index)
    with st.container(border=True):
        st.markdown(f"**Colonna «{md(preview.table.columns[index])}»**")
        left, middle, right = st.columns(3)
        left.text_input("Nome dell'indicatore", key=imp.IMPORT.key("label", item=item), max_chars=80)
        middle.text_input("Unità di misura", key=imp.IMPORT.key("unit", item=item), max_chars=40,
                          placeholder="es. €, %, n., per 1.000 ab.")
        right.text_input("Anno dei dati", key=imp.IMPORT.key("year", item=item), max_chars=40, placeholder="es. 2023")
        left, right = st.columns([2, 1])
        left.text_input("Fonte (obbligatoria)", key=imp.IMPORT.key("source", item=item), max_chars=300,
                        placeholder="es. MEF, Dipartimento delle Finanze: redditi IRPEF su base comunale")
        right.text_input("Licenza", key=imp.IMPORT.key("licence", item=item), max_chars=120,
                         placeholder="es. CC BY 4.0")
        left, middle, right = st.columns([2, 1, 2])
        left.radio("Che cosa è il valore", list(KIND_LABELS), key=imp.IMPORT.key("kind", item=item),
                   format_func=KIND_LABELS.get,
                   help="Un tasso per residente (una quota, un reddito medio per abitante) si media sulla zona pesando "
                        "i residenti; un conteggio (imprese, posti letto) si somma; un valore del comune (una distanza) "
                        "si media in modo semplice.")
        middle.number_input("Decimali", min_value=0, max_value=3, value=1, key=imp.IMPORT.key("decimals", item=item))
        right.selectbox("Salva come", [imp.NEW, *targets], key=imp.IMPORT.key("target", item=item),
                        format_func=lambda k: "nuovo indicatore" if k == imp.NEW else f"nuova versione di «{targets[k]}»")


def import_tab() -> None:
    st.markdown("Carica una tabella per comune, così come la pubblicano ISTAT, il MEF o la Regione: CSV (anche con "
                "«;» e in Latin-1) o Excel, con una colonna di codici ISTAT (PRO_COM_T, PRO_COM o «Codice Istat»; "
                "anche senza lo zero iniziale). Righe di titolo sopra la tabella, note in fondo e righe di totale "
                "vengono riconosciute e lasciate fuori; i numeri all'italiana (1.234,5) e i valori mancanti "
                "(«n.d.», «-», «…») sono letti come tali. Nulla viene salvato finché tutto il file non è valido.")
    upload = st.file_uploader("Tabella per comune", type=list(SPREADSHEET_UPLOAD_TYPES), key=imp.uploader_key(),
                              help=f"Al massimo {format_number(MAX_INDICATOR_FILE_BYTES / 1024 / 1024)} MB.")
    if upload is None:
        return
    preview, refusal = imp.read_upload(upload.name, upload.getvalue())
    if refusal:
        st.error(md(f"Il file «{upload.name}» non si può leggere: {refusal}"))
        return
    st.info(md(imp.layout_text(preview)))
    if preview.table.bad_rows or preview.duplicates:
        st.warning(md("Righe da correggere nel file prima di salvare: " + " ".join(
            [m for _, m in preview.table.bad_rows[:10]] + list(preview.duplicates[:10]))))
    show_table(imp.columns_table(preview), numeric=("Numeri", "Mancanti"))
    imp.chosen_columns_default(preview)
    numeric = {c.index: c.name for c in preview.numeric_columns}
    chosen = st.multiselect("Colonne da importare come indicatori", list(numeric), format_func=numeric.get,
                            key=imp.IMPORT.key("columns", item=imp.preview_tag()))
    targets = imp.replaceable()
    for index in chosen:
        column_form(preview, index, targets)
    st.text_input("Il tuo nome (resta nella cronologia delle versioni)", key=USER.key("name"), max_chars=120)
    st.button("Salva gli indicatori", type="primary", on_click=imp.save, args=(preview,), disabled=not chosen)


def manage_tab() -> None:
    store = stores().indicators
    active, deleted = store.active(), store.deleted()
    if not active:
        st.caption("Nessun indicatore importato.")
    for stored in active:
        record = stored.record
        with st.expander(f"{record.label} ({record.unit}), {record.year}: {record.present} comuni con dato"):
            st.caption(md(f"Fonte: {record.source}; licenza: {record.licence}; file «{record.file_name}»; "
                          f"{KIND_LABELS[record.kind]}; versione {stored.revision}."))
            history = [f"v{h['revisione']} {h['azione']} di {h['autore']}, {format_timestamp(h['registrata_il'])}"
                       for h in store.history(record.key)]
            st.caption(md("Cronologia: " + "; ".join(history)))
            st.button("Elimina", key=imp.IMPORT.key("delete", item=record.key), on_click=imp.delete,
                      args=(record.key, stored.revision), help="Resta tra gli eliminati: si può ripristinare.")
    if deleted:
        st.markdown("**Eliminati** (si possono ripristinare con i loro valori)")
        for stored in deleted:
            row = st.container(horizontal=True, vertical_alignment="center")
            row.markdown(md(f"{stored.record.label} ({stored.record.unit}), {stored.record.year}"))
            row.button("Ripristina", key=imp.IMPORT.key("restore", item=stored.record.key), on_click=imp.restore,
                       args=(stored.record.key, stored.revision))


st.title("Indicatori per comune")
st.caption("Gli indicatori su cui misurare quanto le zone sono omogenee e su cui proporle: quelli ricavati dai "
           "dati ISTAT dell'app e quelli importati. Si scelgono nella pagina «Zone omogenee»; compaiono anche "
           "nelle tabelle, nei confronti, nei file esportati e nei rapporti, con anno, fonte e licenza.")
flash.show(imp.PLACE)
table = imp.catalogue_table()
show_table(table)  # light HTML: the long sources wrap, nothing is cut
importing, managing = st.tabs(["Importa una tabella", "Indicatori importati"])
with importing:
    import_tab()
with managing:
    manage_tab()
attribution_caption()
