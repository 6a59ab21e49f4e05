"""The layers of the code, enforced.

``geo/`` is the pure domain (never imports Streamlit); inside it each sub-package
may import only the layers below it. Imports are read from the source (every
``import`` statement, including those inside functions), so a lazy import cannot
hide a dependency. ``pages/`` holds the page scripts only, importing the domain
through its facade; ``ui/`` is the Streamlit glue, the only code that keeps session
state or caches.
"""

import ast
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import geo

ROOT = Path(__file__).resolve().parent.parent

# Which geo sub-packages each layer may import (besides itself).
ALLOWED = {
    "base": set(),
    "data": {"base"},
    "zoning": {"base", "data"},
    "collaborations": {"base", "data", "zoning"},
    "render": {"base", "data", "zoning", "collaborations"},
    "store": {"base", "data", "zoning", "collaborations"},
    "io": {"base", "data", "zoning", "collaborations", "render", "store"},
    "report": {"base", "data", "zoning", "collaborations", "render", "store", "io"},
}
# Libraries that belong to rendering, storage or files: the zoning core and the
# collaboration model never need them.
OUTER_LIBRARIES = {"folium", "branca", "jinja2", "matplotlib", "reportlab", "openpyxl", "sqlalchemy", "pyogrio",
                   "psycopg"}
CORE_LAYERS = {"base", "data", "zoning", "collaborations"}
# The entry points kept at geo/ top level (``python -m geo.build_data`` etc.): thin commands.
TOP_LEVEL_COMMANDS = {"__init__", "build_data", "suggest"}


def imported_modules(path: Path) -> set[str]:
    """Every module named by an import statement of the file (absolute names)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def geo_layer_of(path: Path) -> str:
    relative = path.relative_to(ROOT / "geo")
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def geo_files() -> list[Path]:
    return sorted((ROOT / "geo").rglob("*.py"))


def test_every_geo_file_sits_in_a_known_layer():
    unknown = sorted({geo_layer_of(p) for p in geo_files()} - set(ALLOWED) - TOP_LEVEL_COMMANDS)
    assert unknown == []


@pytest.mark.parametrize("path", geo_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_geo_layers_import_only_the_layers_below(path):
    layer = geo_layer_of(path)
    if layer in TOP_LEVEL_COMMANDS:
        return
    used = {m.split(".")[1] for m in imported_modules(path) if m.startswith("geo.") and len(m.split(".")) > 1}
    # "geo.zoning" imported as a name from "geo" counts as the sub-package itself.
    forbidden = sorted(used - ALLOWED[layer] - {layer})
    assert forbidden == [], f"{path.relative_to(ROOT)} ({layer}) imports {forbidden}"


@pytest.mark.parametrize("path", [p for p in geo_files() if geo_layer_of(p) in CORE_LAYERS],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_uses_no_rendering_storage_or_file_libraries(path):
    top = {m.split(".")[0] for m in imported_modules(path)}
    assert sorted(top & OUTER_LIBRARIES) == []


def test_importing_every_geo_module_does_not_import_streamlit():
    modules = [m.name for m in pkgutil.walk_packages(geo.__path__, "geo.")]
    assert "geo.zoning.plan" in modules and "geo.render.maps" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.'))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_no_geo_source_mentions_streamlit_or_the_glue():
    pattern = re.compile(r"^\s*(import|from)\s+(streamlit|pages|ui|map_component)\b", re.MULTILINE)
    offenders = [str(p.relative_to(ROOT)) for p in geo_files() if pattern.search(p.read_text())]
    assert offenders == []


def test_the_facade_lists_names_that_exist():
    assert len(geo.__all__) == len(set(geo.__all__))
    missing = [name for name in geo.__all__ if getattr(geo, name, None) is None]
    assert missing == []


def test_importing_the_facade_is_light():
    """``import geo`` loads no sub-module: names load when first used."""
    code = "import geo, sys; print(sorted(m for m in sys.modules if m.startswith('geo.')))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_no_cdn_urls_in_application_code():
    cdn = re.compile(r"cdn\.jsdelivr|unpkg\.com|cdnjs\.cloudflare|code\.jquery\.com|bootstrapcdn")
    files = [*ROOT.glob("*.py"), *(ROOT / "geo").rglob("*.py"), *(ROOT / "geo").rglob("*.js"),
             *(ROOT / "pages").rglob("*.py"), *(ROOT / "ui").rglob("*.py"),
             *(p for p in (ROOT / "map_component").rglob("*") if p.is_file()
                                               and "__pycache__" not in p.parts)]
    assert [p.name for p in files if cdn.search(p.read_text())] == []


# -- pages and their glue ----------------------------------------------------------------------
PAGE_FILES = sorted((ROOT / "pages").glob("*.py"))
# The naive editor of the benchmark is a separate app on purpose (the baseline): not ours to route.
OWN_APP_FILES = sorted([*ROOT.glob("*.py"), *(ROOT / "geo").rglob("*.py"), *(ROOT / "scripts").rglob("*.py"),
                        *(p for p in (ROOT / "bench").rglob("*.py") if p.name != "naive_editor.py")])


def streamlit_uses(path: Path, attribute: str) -> int:
    """How many times the code (not its docstrings) reads ``st.<attribute>...``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sum(1 for node in ast.walk(tree)
               if isinstance(node, ast.Attribute) and node.attr.startswith(attribute)
               and isinstance(node.value, ast.Name) and node.value.id == "st")


def test_there_are_pages_to_check():
    assert {p.name for p in PAGE_FILES} >= {"zone_editor.py", "scenari.py", "workshop.py"}


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_pages_import_the_domain_only_through_the_facade(path):
    deep = sorted(m for m in imported_modules(path) if m.startswith("geo.") and m.split(".")[1] in ALLOWED)
    assert deep == [], f"{path.name} imports {deep}: use `from geo import ...` (extend geo/__init__.py)"


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_pages_keep_at_most_three_session_state_lines(path):
    assert streamlit_uses(path, "session_state") <= 3


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_pages_import_no_other_page(path):
    assert sorted(m for m in imported_modules(path) if m == "pages" or m.startswith("pages.")) == []


@pytest.mark.parametrize("path", OWN_APP_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_glue_keeps_session_state_or_caches(path):
    """``ui/`` (and, at most a few lines, the pages) only: the router, the domain,
    the scripts and the benchmarks go through ``ui``."""
    assert (streamlit_uses(path, "session_state"), streamlit_uses(path, "cache_")) == (0, 0)


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_pages_keep_no_cache(path):
    assert streamlit_uses(path, "cache_") == 0


def test_in_the_glue_only_the_session_module_indexes_session_state():
    users = sorted(p.name for p in (ROOT / "ui").glob("*.py") if streamlit_uses(p, "session_state"))
    assert users == ["session.py"]


@pytest.mark.parametrize("path", [*PAGE_FILES, *sorted((ROOT / "ui").glob("*.py"))], ids=lambda p: p.name)
def test_widget_keys_are_built_by_one_helper(path):
    """``key=`` and form names come from ``ui.session.Widgets`` (``<feature>_<name>``),
    never typed as a string: one scheme, one language."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typed = []
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        given = [k.value for k in call.keywords if k.arg == "key"]
        if isinstance(call.func, ast.Attribute) and call.func.attr == "form" and call.args:
            given.append(call.args[0])
        typed += [ast.unparse(v) for v in given if isinstance(v, (ast.Constant, ast.JoinedStr))]
    assert typed == []


@pytest.mark.parametrize("path", [*PAGE_FILES, *sorted((ROOT / "ui").glob("*.py"))], ids=lambda p: p.name)
def test_pages_and_glue_use_only_names_the_facade_lists(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    used = {n.attr for n in ast.walk(tree)
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "geo"}
    used |= {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == "geo" for a in n.names}
    assert sorted(used - set(geo.__all__)) == []


@pytest.mark.parametrize("path", [*PAGE_FILES, ROOT / "dashboard.py"], ids=lambda p: p.name)
def test_pages_do_not_rely_on_streamlit_magic(path):
    """``runner.magicEnabled`` is off (.streamlit/config.toml): a bare value on its
    own line would silently show nothing, so there must be none."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bare = [ast.unparse(n) for n in ast.walk(tree) if isinstance(n, ast.Expr)
            and not isinstance(n.value, ast.Call)
            and not (isinstance(n.value, ast.Constant) and isinstance(n.value.value, str))]
    assert bare == []
