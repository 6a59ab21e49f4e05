"""Command line: ``python -m geo.build_data`` rebuilds the shipped data (see :mod:`geo.data.build`)."""

from geo.data.build import main

if __name__ == "__main__":
    main()
