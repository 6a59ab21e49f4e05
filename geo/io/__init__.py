"""Files in and out.

``formats``               the plan file formats, declared once (export, import, uploader)
``plan_export``           writers of a plan's files (GeoPackage, GeoJSON, CSV, XLSX, PNG)
``plan_files``            readers of a plan's files: rows of comuni and zones
``plan_import``           checking those rows and building the plan, all or nothing
``spreadsheet``           Italian spreadsheets: one grid for CSV and XLSX, guarded; CSV
                          and XLSX writers where user text is never a formula
``collaboration_files``   collaborations from and to spreadsheets
``collaboration_values``  their cells as people type them
``share_link``            a plan in a link's query parameters
"""
