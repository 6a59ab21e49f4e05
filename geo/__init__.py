"""Pure domain package of the Pianura Bresciana cooperation map.

Data loading, the zoning plan, statistics, validation and map builders. It never
imports streamlit (``tests/test_architecture.py`` enforces it): pages call into it.
"""
