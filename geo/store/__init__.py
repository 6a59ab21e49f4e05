"""The app database (SQLite or PostgreSQL) and the tables of each feature: scenarios, area edits,
collaborations, workshops, autosaved drafts (and the compact JSON of an undo history)."""
