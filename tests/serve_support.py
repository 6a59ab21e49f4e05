"""``make serve`` for tests and benchmarks: the real command (``python -m scripts.serve``)
in a data directory of its own, and which process behind the proxy a browser
identity lands on."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.browser_support import COORDINATION_PASSWORD, ROOT, free_port

READY = "serve: pronto:"


def can_serve() -> str | None:
    """Why ``make serve`` cannot run here (``None`` when it can): nginx and, unless a
    database URL is given, PostgreSQL from Debian, and root for PostgreSQL's user."""
    if not (shutil.which("nginx") or os.access("/usr/sbin/nginx", os.X_OK)):
        return "nginx non installato (make test lo installa da Debian)"
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        return "PostgreSQL non installato"
    if os.geteuid() != 0:
        return "serve avviato da un utente senza i permessi per il PostgreSQL locale"
    return None


@dataclass
class Served:
    """A running ``make serve``: the proxy's URL and where its files are."""

    url: str
    data_dir: Path
    proc: subprocess.Popen
    output: Path

    @property
    def run_dir(self) -> Path:
        return self.data_dir / "serve"

    def text(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")

    def says(self, text: str, within_s: float = 10) -> bool:
        """Whether serve's console shows ``text`` (waiting a little: it checks on its
        processes twice a second)."""
        deadline = time.monotonic() + within_s
        while text not in self.text():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.2)
        return True

    def app_pids(self) -> dict[str, int]:
        """``"127.0.0.1:<port>"`` (as in ``X-Upstream``) -> pid of that app process."""
        found = {}
        for pid_file in self.run_dir.glob("app-*.pid"):
            pid, command = pid_file.read_text().splitlines()[:2]
            port = re.search(r"--server\.port (\d+)", command).group(1)
            found[f"127.0.0.1:{port}"] = int(pid)
        return found

    def processes(self) -> dict[str, int]:
        """Every process serve started, by name: the app processes, nginx, PostgreSQL."""
        found = {f"app {upstream}": pid for upstream, pid in self.app_pids().items()}
        for name, pid_file in (("nginx", self.run_dir / "proxy.pid"), ("postgres", self.data_dir / "postgres" /
                                                                          "postmaster.pid")):
            if pid_file.exists():
                found[name] = int(pid_file.read_text().split()[0])
        return found

    def database_url(self) -> str:
        """The local PostgreSQL that serve started (its password file and port)."""
        port = re.search(r"PostgreSQL locale sulla porta (\d+)", self.text()).group(1)
        password = (self.data_dir / "postgres.password").read_text().strip()
        return f"postgresql+psycopg://pianura:{password}@127.0.0.1:{port}/pianura"

    def upstream_of(self, browser_id: str | None) -> str:
        """The process the proxy sends a browser with this identity cookie to."""
        request = urllib.request.Request(self.url + "/_stcore/health")
        if browser_id:
            request.add_header("Cookie", f"pianura_browser={browser_id}")
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.headers["X-Upstream"]

    def browser_on(self, upstream: str, within_s: float = 40) -> str:
        """A new identity token whose browser the proxy sends to ``upstream``. Tried
        for longer than nginx's ``fail_timeout`` (30 s): on a loaded machine nginx may
        skip a live process for that long after one failed request."""
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            for _ in range(50):
                token = secrets.token_hex(16)
                if self.upstream_of(token) == upstream:
                    return token
            time.sleep(1)
        errors = self.run_dir / "nginx" / "error.log"  # why nginx skips that process
        raise AssertionError(f"no token lands on {upstream}: "
                             + "\n".join(errors.read_text().splitlines()[-10:] if errors.exists() else []))


@contextlib.contextmanager
def served(data_dir: Path, replicas: int = 2, env: dict | None = None, timeout_s: float = 240):
    """Run ``python -m scripts.serve`` (nginx on a free port of 127.0.0.1) until it says
    it is ready; stop it with SIGINT afterwards, as Ctrl-C does."""
    port = free_port()
    output = data_dir / "serve-output.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "scripts.serve", "--replicas", str(replicas), "--port", str(port),
               "--host", "127.0.0.1"]
    full_env = {**os.environ, "PIANURA_DATA_DIR": str(data_dir)}
    full_env.pop("PIANURA_DB_URL", None)  # serve starts its own PostgreSQL unless env names one
    full_env.setdefault("PIANURA_COORDINATION_PASSWORD", COORDINATION_PASSWORD)  # as streamlit_server
    full_env.update(env or {})
    with open(output, "wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT)
    running = Served(f"http://127.0.0.1:{port}", data_dir, proc, output)
    try:
        deadline = time.monotonic() + timeout_s
        while READY not in running.text():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"make serve did not start:\n{running.text()}")
            time.sleep(0.3)
        yield running
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
