"""The warm-up session that `make run` starts next to the server."""

import subprocess
import sys

from tests.browser_support import ROOT, streamlit_server


def test_warm_up_runs_the_main_pages_of_a_fresh_server():
    with streamlit_server() as url:
        done = subprocess.run([sys.executable, "scripts/warm_up.py", "--url", url, "--wait", "30"], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "pages ready" in done.stderr


def test_warm_up_without_a_server_says_so_and_fails():
    done = subprocess.run([sys.executable, "scripts/warm_up.py", "--url", "http://127.0.0.1:9", "--wait", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "no server" in done.stderr
