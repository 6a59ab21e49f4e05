"""Messages for the next run (ui/flash.py): plain text, escaped only when shown.

AppTest runs each script's source alone: the scripts import what they use.
"""

from streamlit.testing.v1 import AppTest


def test_a_message_is_kept_as_plain_text_and_escaped_when_shown_once():
    def script():
        import streamlit as st

        from ui import flash
        from ui.markdown import strong

        if st.button("Lascia un messaggio"):
            flash.success("editor", "Zona «[clic](http://x.invalid) **forte** <b>x</b>» salvata da ",
                          strong("Anna *A*"), ".")
            st.session_state["kept"] = flash.waiting("editor").text
        flash.show("editor")

    app = AppTest.from_function(script, default_timeout=30).run()
    assert not app.success
    app.button[0].click().run()
    assert app.session_state["kept"] == "Zona «[clic](http://x.invalid) **forte** <b>x</b>» salvata da Anna *A*."
    assert [s.value for s in app.success] == [
        r"Zona «\[clic\]\(http\://x\.invalid\) \*\*forte\*\* \<b\>x\</b\>» salvata da **Anna \*A\***\."]
    app.run()
    assert not app.success  # shown once


def test_a_notice_stays_until_the_user_closes_it():
    def script():
        import streamlit as st

        from ui import flash

        if st.button("Apri il link"):
            flash.notice("app", "warning", "Link danneggiato: 1 < 2.", icon="⚠️")
        flash.show("app")

    app = AppTest.from_function(script, default_timeout=30).run()
    app.button[0].click().run()
    assert [w.value for w in app.warning] == [r"Link danneggiato\: 1 \< 2\."]
    app.run()
    assert len(app.warning) == 1  # still there on the next run
    app.button(key="app_close_notice").click().run()
    assert not app.warning
