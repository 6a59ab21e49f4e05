"""Command line: ``python -m geo.suggest`` proposes zone omogenee (see :mod:`geo.io.suggest_command`)."""

import sys

from geo.io.suggest_command import main

if __name__ == "__main__":
    sys.exit(main())
