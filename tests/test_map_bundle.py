"""The component's frames as single documents (map_component.bundle)."""

from map_component import bundle


def test_the_map_document_holds_every_frontend_file_in_order_and_preloads_leaflet():
    styles, scripts = bundle.sources()
    assert scripts[0] == "streamlit.js" and scripts[-1] == "main.js" and "comuni.js" in scripts
    map_dir, identity_dir = bundle.build()
    text = (map_dir / "index.html").read_text(encoding="utf-8")
    positions = [text.index(f"//# sourceURL={name}") for name in scripts]
    assert positions == sorted(positions)
    for name in scripts:  # each file whole, as written
        assert (bundle.FRONTEND_DIR / name).read_text(encoding="utf-8") in text
    for name in styles:
        assert (bundle.FRONTEND_DIR / name).read_text(encoding="utf-8") in text
    assert "<script src=" not in text and 'rel="stylesheet"' not in text  # nothing else to fetch
    assert '<link rel="preload" as="script" href="/app/static/node_modules/leaflet/dist/leaflet.js">' in text
    identity = (identity_dir / "index.html").read_text(encoding="utf-8")
    assert "//# sourceURL=identity.js" in identity and "//# sourceURL=comuni.js" not in identity
    assert map_dir.name.startswith("map-") and map_dir != identity_dir


def test_a_frontend_file_that_would_end_its_inline_element_is_refused(tmp_path, monkeypatch):
    (tmp_path / "bad.js").write_text("var s = '</script>';\n", encoding="utf-8")
    monkeypatch.setattr(bundle, "FRONTEND_DIR", tmp_path)
    try:
        bundle.document([], ["bad.js"], preload=False)
    except ValueError as exc:
        assert "bad.js" in str(exc)
    else:
        raise AssertionError("an inline '</script>' was accepted")
