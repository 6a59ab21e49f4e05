"""Make a new coordination password (the old one stops working) and print it once.

For an administrator who lost the password the server printed at its first start
(see README, "Who may change what"). A password set with the environment variable
``PIANURA_COORDINATION_PASSWORD`` (or Streamlit's secrets) takes precedence over the
stored one: this script then says so and changes nothing.

Usage: ``.venv/bin/python scripts/coordination_password.py`` (same ``PIANURA_DB_URL`` /
``PIANURA_DATA_DIR`` as the server).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.store.coordination import CoordinationPassword  # noqa: E402
from geo.store.database import Store  # noqa: E402


def main() -> int:
    if os.environ.get("PIANURA_COORDINATION_PASSWORD", "").strip():
        print("La password di coordinamento è impostata con PIANURA_COORDINATION_PASSWORD: cambiala lì.")
        return 1
    store = Store()
    try:
        password = CoordinationPassword(store).replace()
    finally:
        store.close()
    print(f"Nuova password di coordinamento: {password}\n"
          "La precedente non vale più; le sessioni già entrate restano nel coordinamento fino alla chiusura.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
