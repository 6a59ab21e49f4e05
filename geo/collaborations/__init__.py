"""Intercommunal collaborations: the data model and the service coverage of a plan."""
