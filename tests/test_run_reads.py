"""One read per run of the script or of a fragment (ui.session.run_read)."""

from streamlit.testing.v1 import AppTest


def counting_script():
    import streamlit as st

    from ui.session import run_read

    st.session_state.setdefault("reads", 0)
    st.session_state.setdefault("writes", 0)

    def read():
        st.session_state["reads"] += 1
        return st.session_state["reads"]

    first = run_read(("x", st.session_state["writes"]), read)
    second = run_read(("x", st.session_state["writes"]), read)
    if st.button("scrivi"):
        st.session_state["writes"] += 1  # as Store.writes counts this process's writes
    third = run_read(("x", st.session_state["writes"]), read)
    st.write(f"{first} {second} {third}")

    @st.fragment
    def part():
        st.write(f"frammento {run_read(('x', st.session_state['writes']), read)}")
        st.button("solo il frammento")

    part()


def shown(app) -> list[str]:
    return [m.value for m in app.markdown]


def test_a_run_reads_once_a_new_run_and_a_write_read_again():
    app = AppTest.from_function(counting_script)
    app.run()
    assert shown(app) == ["1 1 1", "frammento 1"]  # four callers, one read
    app.run()
    assert shown(app) == ["2 2 2", "frammento 2"]  # a new run reads afresh
    app.button[0].click().run()
    assert shown(app) == ["3 3 4", "frammento 4"]  # after this run's write: a fresh read


def test_outside_a_run_every_call_reads():
    from ui.session import run_read

    calls = []
    assert [run_read("k", lambda: calls.append(1) or len(calls)) for _ in range(2)] == [1, 2]
