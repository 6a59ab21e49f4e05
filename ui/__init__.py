"""Streamlit glue between the pages and the domain: the only code that touches
``st.session_state`` (through :mod:`ui.session`) and ``st.cache_*``.

``session``             every session key: one dataclass per feature, widget keys ``<feature>_<name>``
``flash``               messages for the next run (plain text, escaped when shown)
``markdown``            the escaper for user text inside Streamlit markdown
``errors``              exceptions of pages, fragments and callbacks: Italian message, traceback to the log
``routing``             the router's rules (deep links, restricted sessions)
``stores``              the app database and each feature's store, per database URL
``shipped``             the shipped data, loaded once per process
``plan_session``        the session's area vasta and plan with its undo history
``drafts``              autosave: the plan and workshop role kept per browser, restored on a reload
``map_widget``          the comuni map (``show_map``)
``display``, ``timing`` small display helpers; server times for the benchmarks
``plan_images``         cached map images of plans (thumbnails, difference map)
``plan_choices``        the plans a page can show (current plan, saved scenarios)
per feature             ``editor``, ``area_editing``, ``scenarios``, ``comparison``, ``workshop``,
                        ``workshop_facilitation``, ``collaborations``, ``collaboration_form``,
                        ``presentation``, ``indicators`` (indicators, the session's registry, map
                        colours), ``homogeneity``, ``indicator_import``, ``suggestions`` (the worker)
                        and ``suggestion_panel``

Pages import from here and from the ``geo`` facade; ``geo`` never imports this package.
"""
