"""Command line: ``python -m geo.build_data`` rebuilds the shipped data (see :mod:`geo.data.build`)."""

import sys

from geo.data.build import main

if __name__ == "__main__":
    sys.exit(main())
