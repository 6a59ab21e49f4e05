"""The zoning core: plans, history, the area and its contiguity, the statistics registry, validation,
comparison and consensus. Imports only ``geo.base`` and ``geo.data.shipped``."""
