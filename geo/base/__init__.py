"""Bottom layer: ISTAT codes, Italian numbers and times, project paths. Imports nothing from geo."""
