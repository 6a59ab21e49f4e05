"""The domain package stays free of Streamlit; pages depend on geo, never the reverse."""

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import geo

ROOT = Path(__file__).resolve().parent.parent


def test_importing_every_geo_module_does_not_import_streamlit():
    modules = [m.name for m in pkgutil.walk_packages(geo.__path__, "geo.")]
    assert "geo.plan" in modules and "geo.maps" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.'))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_no_geo_source_mentions_streamlit_or_pages():
    pattern = re.compile(r"^\s*(import|from)\s+(streamlit|pages)\b", re.MULTILINE)
    offenders = [p.name for p in (ROOT / "geo").rglob("*.py") if pattern.search(p.read_text())]
    assert offenders == []


def test_no_cdn_urls_in_application_code():
    cdn = re.compile(r"cdn\.jsdelivr|unpkg\.com|cdnjs\.cloudflare|code\.jquery\.com|bootstrapcdn")
    files = [*ROOT.glob("*.py"), *(ROOT / "geo").rglob("*.py"), *(ROOT / "geo").rglob("*.js"),
             *(ROOT / "pages").rglob("*.py")]
    assert [p.name for p in files if cdn.search(p.read_text())] == []
