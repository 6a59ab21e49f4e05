import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Tests never touch the real database in var/: every test process (and the app
# servers it starts) gets a fresh data directory...
os.environ["PIANURA_DATA_DIR"] = tempfile.mkdtemp(prefix="pianura-test-")
os.environ.pop("PIANURA_DB_URL", None)


@pytest.fixture(autouse=True)
def _own_database(tmp_path, monkeypatch):
    """...and every test its own, so what one test saves cannot leak into another
    (the app's database handles are cached per URL)."""
    monkeypatch.setenv("PIANURA_DATA_DIR", str(tmp_path / "dati"))
    monkeypatch.delenv("PIANURA_DB_URL", raising=False)
