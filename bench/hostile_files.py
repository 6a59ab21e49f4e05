"""Hostile uploads: time and memory of reading the worst files the limits let through.

Each file is generated here (within the upload size of its reader: 5 MB for a plan,
2 MB for collaborations) and read in a fresh process, ``--repeat`` times, by the
app's reader (``import_plan`` or ``read_collaborations``; a share link's parameters
by ``read_share_link``; a map event, as the browser would send it, by
``parse_map_event``). Printed per file: its
size zipped and as declared unzipped, the outcome (the Italian message), median and
p90 time, and the peak resident memory of the reading process above its baseline
after imports (``VmHWM`` of ``/proc/self/status``, the peak ``resource.getrusage``
reports, reset by ``/proc/self/clear_refs`` once the reader is ready; one process
per file). The naive baseline reads the same workbook as the code before the
spreadsheet layer did (openpyxl ``read_only``, every row into a list, then the row
limit), once, under a 6 GB address-space cap so it cannot take the machine down;
the JSON cases' baseline is ``json.loads`` without the depth check, the drawn
shape's is shapely parsing it whole. Then the requests a running server receives
(:mod:`bench.hostile_server`: a 52 MB upload, a 10 MB browser message), against
the same app with Streamlit's default limits.

Run: ``python -m bench.hostile_files`` (``--repeat 5``, ``--no-naive``, ``--no-server``).
"""

from __future__ import annotations

import argparse
import base64
import gc
import io
import json
import math
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

from tests.workbooks import number_rows, text_row, xlsx_with_sheet, zip_bomb

NAIVE_ADDRESS_SPACE = 6 * 1024 ** 3
PLAN_HEADER = text_row(1, "codice_istat", "zona")
COLLAB_HEADER = text_row(1, "nome", "forma", "funzioni", "membri", "stato")


def cases() -> dict[str, tuple[str, str, bytes]]:
    """name -> (reader, file name, content). Sheets declare their true size, as Excel
    writes it (the naive reader trusts it)."""
    from geo.data.shipped import load_area_list, load_comuni, load_default_plan_dict
    from geo.io.plan_export import to_csv, to_xlsx
    from geo.zoning.area import Area
    from geo.zoning.plan import Plan

    area = Area.from_comuni(load_comuni(), list(load_area_list()["istat_code"]))
    plan = Plan.from_dict(load_default_plan_dict()).with_area(area.codes)
    blank = "".join(f'<row r="{n}"/>' for n in range(2, 1_000_002))
    return {
        "reference: xlsx export of the default plan": ("plan", "piano.xlsx", to_xlsx(area, plan, "Piano")),
        "reference: csv export of the default plan": ("plan", "piano.csv", to_csv(area, plan)),
        "xlsx 1,000,000 blank rows (plan)": (
            "plan", "vuote.xlsx", xlsx_with_sheet(PLAN_HEADER + blank, "A1:B1000001")),
        "xlsx one cell at row 1,048,576 (plan)": (
            "plan", "lontana.xlsx", xlsx_with_sheet(PLAN_HEADER + number_rows(1_048_576, 1), "A1:B1048576")),
        "xlsx 800,000 tiny rows (plan)": (
            "plan", "minuscole.xlsx", xlsx_with_sheet(PLAN_HEADER + number_rows(2, 800_000), "A1:B800001")),
        "xlsx 300,000 tiny rows (collaborations)": (
            "collaborations", "minuscole.xlsx",
            xlsx_with_sheet(COLLAB_HEADER + number_rows(2, 300_000), "A1:E300001")),
        "xlsx 5,000 rows declared A1:XFD5001 (plan)": (
            "plan", "larga.xlsx", xlsx_with_sheet(PLAN_HEADER + number_rows(2, 5_000), "A1:XFD5001")),
        "xlsx 5,000 rows with a cell in column XFD (plan)": (
            "plan", "xfd.xlsx", xlsx_with_sheet(PLAN_HEADER + "".join(
                f'<row r="{n}"><c r="A{n}"><v>1</v></c><c r="XFD{n}"><v>1</v></c></row>' for n in range(2, 5_002)),
                "A1:XFD5001")),
        "xlsx 2,000,000 shared strings (plan)": (
            "plan", "stringhe.xlsx", xlsx_with_sheet(PLAN_HEADER, "A1:B1", shared_strings=2_000_000)),
        "xlsx 700,000 cell formats (plan)": (
            "plan", "stili.xlsx", xlsx_with_sheet(PLAN_HEADER, "A1:B1", cell_formats=700_000)),
        "xlsx zip bomb, 1 GB unzipped (plan)": ("plan", "bomba.xlsx", zip_bomb(1024 ** 3)),
        "csv 2,500,000 blank lines (plan)": ("plan", "vuote.csv", b"codice_istat;zona\r\n" + b"\r\n" * 2_500_000),
        "csv one line of 1,700,000 cells (plan)": ("plan", "larga.csv", b"ab;" * 1_700_000),
        "csv unclosed quote, 5 MB (plan)": (
            "plan", "virgolette.csv", b'codice_istat;zona\r\n099000;"' + b"x" * 5_000_000),
        # -- hardening (issue 14): the worst files of the adversarial pass --
        "xlsx zip bomb 1.9 MB, 1.9 GB unzipped (collaborations)": (
            "collaborations", "bomba.xlsx", zip_bomb(1900 * 1024 ** 2)),
        "xlsx 1,000,000 tiny rows (collaborations)": (
            "collaborations", "righe.xlsx", xlsx_with_sheet(COLLAB_HEADER + number_rows(2, 1_000_000),
                                                             "A1:E1000001")),
        "csv cell of 140,000 characters (plan)": (
            "plan", "cella.csv", b"codice_istat;zona\r\n099000;" + b"x" * 140_000 + b"\r\n"),
        "csv cell of 140,000 characters (collaborations)": (
            "collaborations", "cella.csv", b"nome;forma;funzioni;membri;stato\r\n" + b"x" * 140_000 + b";a;b;c;d\r\n"),
        "geojson nested 2,000,000 deep (plan)": (
            "plan", "profondo.geojson", b'{"type":"FeatureCollection","features":' + b"[" * 2_000_000
            + b"]" * 2_000_000 + b"}"),
        "geojson, one polygon of 150,000 vertices (plan)": ("plan", "poligono.geojson", _huge_polygon_geojson()),
        "share link, zones nested 5,000 deep, valid checksum": ("share", "link.json", _deep_share_link()),
        "map event: drawn polygon of 400,000 vertices": ("map_event", "evento.json", _huge_draw_event()),
        "zip posing as a Shapefile, 256 MB of zeros unzipped (plan)": (
            "plan", "bomba.zip", _zeros_zip(256 * 1024 ** 2)),
    }


def _zeros_zip(size: int) -> bytes:
    """A zip holding ``piano.shp`` and a ``piano.dbf`` of ``size`` zero bytes, written
    a megabyte at a time (the zip is about a thousandth of that)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("piano.shp", b"")
        with archive.open("piano.dbf", "w", force_zip64=True) as member:
            for _ in range(size // (1024 * 1024)):
                member.write(bytes(1024 * 1024))
    return buffer.getvalue()


def _huge_polygon_geojson() -> bytes:
    ring = [[round(10 + math.cos(t / 1e5) * 0.1, 6), round(45 + math.sin(t / 1e5) * 0.1, 6)] for t in range(150_000)]
    feature = {"type": "Feature", "properties": {"codice_istat": "017088", "zona": "Leno"},
               "geometry": {"type": "Polygon", "coordinates": [ring + [ring[0]]]}}
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


def _deep_share_link() -> bytes:
    from geo.data.shipped import load_area_list, load_default_plan_dict
    from geo.io.share_link import share_params
    from geo.zoning.plan import Plan

    params = share_params(Plan.from_dict(load_default_plan_dict()).with_area(tuple(load_area_list()["istat_code"])))
    params["pz"] = base64.urlsafe_b64encode(b"[" * 5000 + b"]" * 5000).decode().rstrip("=")
    params["pk"] = f"{zlib.crc32('|'.join(params[k] for k in ('pv', 'pa', 'pz', 'pp')).encode()):08x}"
    return json.dumps(params).encode()


def _huge_draw_event() -> bytes:
    ring = [[10.0 + i * 1e-6, 45.0 + i * 1e-6] for i in range(400_000)]
    return json.dumps({"event": "draw", "seq": 1, "geometry": {"type": "Polygon", "coordinates": [ring]}}).encode()


# -- child process: read one file, report time and memory ----------------------------------
def _reader(kind: str):
    if kind == "plan":
        from geo.data.shipped import load_area_list, load_comuni
        from geo.io.plan_import import import_plan
        from geo.zoning.area import Area
        from geo.zoning.plan import Plan

        area = Area.from_comuni(load_comuni(), list(load_area_list()["istat_code"]))
        empty = Plan.build([], {c: None for c in area.codes})
        return lambda name, data: (import_plan(name, data, area, empty).problems or ("letto",))[0]
    if kind == "collaborations":
        from geo.data.shipped import load_comuni
        from geo.io.collaboration_files import read_collaborations

        comuni = load_comuni()
        known = dict(zip(comuni["istat_code"], comuni["comune"]))
        return lambda name, data: ([p.message for p in read_collaborations(data, name, known).problems]
                                   or ["letto"])[0]
    if kind == "share":
        from geo.data.shipped import load_comuni
        from geo.io.share_link import read_share_link

        known = load_comuni().index
        return lambda name, data: read_share_link(json.loads(data), known).error or "letto"
    if kind == "map_event":
        from map_component.events import parse_map_event

        # the browser's message is JSON the server decodes (time included); the parser counts
        return lambda name, data: type(parse_map_event(json.loads(data))).__name__
    if kind == "naive_json":
        def naive_json(name, data):
            try:
                json.loads(data)
            except RecursionError:
                return "RecursionError (a traceback, before this issue)"
            return "letto"
        return naive_json
    if kind == "naive_shape":
        from shapely.geometry import shape

        return lambda name, data: f"shapely: valid={shape(json.loads(data)['geometry']).is_valid}"
    if kind == "naive":
        from openpyxl import load_workbook

        def naive(name, data):
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows = [["" if v is None else v for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
            book.close()
            return f"{len(rows):,} righe lette, poi il limite"
        return naive
    raise ValueError(kind)


def _memory_kb(field: str) -> int:
    """``VmRSS`` (now) or ``VmHWM`` (peak) of this process. ``getrusage``'s peak would
    start at the forking parent's size, so it is the fallback where /proc is missing."""
    status = Path("/proc/self/status")
    for line in status.read_text().splitlines() if status.exists() else ():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(kind: str, path: str, repeat: int) -> None:
    if kind == "naive":
        resource.setrlimit(resource.RLIMIT_AS, (NAIVE_ADDRESS_SPACE, NAIVE_ADDRESS_SPACE))
    import openpyxl.reader.excel  # noqa: F401  (the readers import it on first use: not part of a read)

    data = Path(path).read_bytes()
    read = _reader(kind)
    gc.collect()
    # The peak so far (imports, the area) is not the read's: Linux resets it (proc(5), clear_refs).
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    baseline = _memory_kb("VmRSS")
    times, outcome = [], ""
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            outcome = read(Path(path).name, data)
        except MemoryError:
            outcome = "MemoryError"
        times.append((time.perf_counter() - start) * 1000)
    peak = _memory_kb("VmHWM")
    print(json.dumps({"times": times, "extra_rss_mb": (peak - baseline) / 1024, "outcome": outcome}))


def measure(kind: str, path: Path, repeat: int) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.hostile_files", "--child", kind, str(path), str(repeat)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


_NAIVE_BY_CASE = {"geojson nested 2,000,000 deep (plan)": "naive_json",
                  "share link, zones nested 5,000 deep, valid checksum": "naive_json",
                  "map event: drawn polygon of 400,000 vertices": "naive_shape"}
_NAIVE_LABELS = {"naive": "all rows, then the limit", "naive_json": "json.loads, no depth check",
                 "naive_shape": "shapely parses the whole shape"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-naive", action="store_true", help="skip the naive baselines")
    parser.add_argument("--no-server", action="store_true", help="skip the requests to a running server")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "PATH", "REPEAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    print(f"{'file':50} {'kB':>7} {'MB unz.':>8} {'median ms':>10} {'p90 ms':>8} {'+RSS MB':>8}  outcome")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (kind, file_name, data) in cases().items():
            path = Path(tmp) / file_name
            path.write_bytes(data)
            unzipped = ""
            if data.startswith(b"PK"):
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    unzipped = f"{sum(p.file_size for p in archive.infolist()) / 1024 ** 2:.1f}"
            runs = [("ours", measure(kind, path, args.repeat))]
            naive = "naive" if unzipped and "bomb" not in name else _NAIVE_BY_CASE.get(name)
            if naive and not args.no_naive:
                runs.append(("naive", measure(naive, path, 1)))
            for label, result in runs:
                shown = name if label == "ours" else f"  naive: {_NAIVE_LABELS[naive]}"
                print(f"{shown:50} {len(data) / 1024:7.0f} {unzipped:>8} {statistics.median(result['times']):10.0f} "
                      f"{p90(result['times']):8.0f} {result['extra_rss_mb']:8.0f}  {result['outcome']}", flush=True)
    if not args.no_server:
        from bench.hostile_server import main as server_requests

        server_requests()


if __name__ == "__main__":
    main()
