"""Files in and out: plan import/export, collaboration files, spreadsheets, share links."""
