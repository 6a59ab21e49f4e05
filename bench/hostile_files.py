"""Hostile uploads: time and memory of reading the worst files the limits let through.

Each file is generated here (within the upload size of its reader: 5 MB for a plan,
2 MB for collaborations) and read in a fresh process, ``--repeat`` times, by the
app's reader (``import_plan`` or ``read_collaborations``). Printed per file: its
size zipped and as declared unzipped, the outcome (the Italian message), median and
p90 time, and the peak resident memory of the reading process above its baseline
after imports (``VmHWM`` of ``/proc/self/status``, the peak ``resource.getrusage``
reports, reset by ``/proc/self/clear_refs`` once the reader is ready; one process
per file). The naive baseline reads the same workbook as the code before the
spreadsheet layer did (openpyxl ``read_only``, every row into a list, then the row
limit), once, under a 6 GB address-space cap so it cannot take the machine down.

Run: ``python -m bench.hostile_files`` (``--repeat 5``, ``--no-naive``).
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
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
    }


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-naive", action="store_true", help="skip the naive baseline of the workbooks")
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
            if unzipped and not args.no_naive and "bomb" not in name:
                runs.append(("naive", measure("naive", path, 1)))
            for label, result in runs:
                shown = name if label == "ours" else "  naive: all rows, then the limit"
                print(f"{shown:50} {len(data) / 1024:7.0f} {unzipped:>8} {statistics.median(result['times']):10.0f} "
                      f"{p90(result['times']):8.0f} {result['extra_rss_mb']:8.0f}  {result['outcome']}", flush=True)


if __name__ == "__main__":
    main()
