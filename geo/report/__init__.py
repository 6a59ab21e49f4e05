"""Reports on a plan (content, PDF, XLSX) and the facilitator's workshop tables."""
