"""What users see, built from plain records: map builders (folium), map images, charts, HTML tables
and cards, display tables. Never imports ``geo.store``, ``geo.io`` or ``geo.report``."""
