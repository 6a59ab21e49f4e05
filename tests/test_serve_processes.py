"""The pieces of ``make serve`` that need no server: stale pid files after a crash,
the nginx configuration made from its template."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

from scripts.serving import processes
from scripts.serving.proxy import render


def test_a_rerun_after_a_crash_stops_what_was_left_and_removes_stale_pid_files(tmp_path):
    # what a killed supervisor left: one child still running, one long gone
    left = processes.start([sys.executable, "-c", "import time; time.sleep(300)"], log=tmp_path / "left.log",
                           pid_file=tmp_path / "app-1.pid")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (tmp_path / "app-2.pid").write_text(f"{gone.pid}\n{sys.executable} -m streamlit run dashboard.py\n")
    # a pid now used by another program (here: this test) with another command line
    (tmp_path / "proxy.pid").write_text(f"{os.getpid()}\n-c /somewhere/nginx.conf\n")

    done = processes.clean_stale(tmp_path)

    assert left.wait(timeout=15) is not None  # stopped
    assert list(tmp_path.glob("*.pid")) == []
    assert sorted(done) == ["fermato il processo rimasto da un avvio precedente: app-1 (pid %d)" % left.pid,
                            "tolto il file di pid superato app-2.pid", "tolto il file di pid superato proxy.pid"]
    # (this test process, whose pid a stale file named, was not signalled: it is still here)


def test_a_stopped_child_is_stopped_with_its_group(tmp_path):
    child = processes.start([sys.executable, "-c", "import time; time.sleep(300)"], log=tmp_path / "c.log")
    started = time.monotonic()
    assert processes.stop(child, timeout_s=10) == -15 and time.monotonic() - started < 10


def test_the_nginx_configuration_fills_every_field_of_the_template(tmp_path):
    text = render([41001, 41002], listen="0.0.0.0:8501", nginx_dir=tmp_path, max_upload_mb=7, worker_user=None)
    assert "@" not in re.sub(r"#.*", "", text)  # no field left (comments may mention them)
    assert re.findall(r"server 127\.0\.0\.1:(\d+)", text) == ["41001", "41002"]
    assert "hash $pianura_browser consistent;" in text and "client_max_body_size 7m;" in text
    assert "listen 0.0.0.0:8501;" in text and f"pid {tmp_path}/nginx.pid;" in text
    for needed in ("proxy_http_version 1.1;", "proxy_set_header Upgrade $http_upgrade;", "proxy_read_timeout 1h;",
                   "add_header X-Upstream $upstream_addr always;", "proxy_next_upstream error timeout"):
        assert needed in text
