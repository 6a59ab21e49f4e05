"""The app servers a workshop benchmark runs against: one process as ``make run``
starts it (SQLite, no proxy), or N processes as ``make serve`` starts them (nginx,
the local PostgreSQL), each appending its timings to one log."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from geo.store.database import DB_FILENAME
from tests.browser_support import streamlit_server
from tests.serve_support import Served, can_serve, served


@dataclass
class AppServers:
    """Where the benchmark connects and what it can read or kill."""

    url: str
    database_url: str
    timing_log: Path
    replicas: int
    served: Served | None = None
    pids: dict[str, int] = field(default_factory=dict)  # "127.0.0.1:<port>" -> pid

    def support_pids(self) -> list[int]:
        """nginx and PostgreSQL with all their children (workers, the backends of the
        app's pools): their CPU is the app's too, which SQLite spends in-process."""
        if self.served is None:
            return []
        roots = [pid for name, pid in self.served.processes().items() if not name.startswith("app ")]
        return _with_descendants(roots)

    @property
    def label(self) -> str:
        return ("1 processo (make run: SQLite, senza proxy)" if self.served is None
                else f"{self.replicas} processi dietro nginx (make serve: PostgreSQL)")

    def browser_on(self, upstream: str | None) -> str:
        """A browser identity the proxy sends to ``upstream`` (any, without a proxy)."""
        return self.served.browser_on(upstream) if self.served and upstream else secrets.token_hex(16)


def _pid_serving(port: int) -> int | None:
    """The pid of the Streamlit process started with ``--server.port <port>``."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if re.search(rf"streamlit run \S+ --server\.port {port}\b", command):
                return int(entry.name)
    return None


def _with_descendants(roots: list[int]) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, todo = [], list(roots)
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return found


def cpu_seconds(pids) -> dict[int, float]:
    """User + system CPU time of each of these processes so far (seconds; a process
    that is gone is left out)."""
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    return found


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two :func:`cpu_seconds` readings, over the processes in both."""
    return sum(after[pid] - before[pid] for pid in before.keys() & after.keys())


@contextlib.contextmanager
def app_servers(replicas: int, env: dict[str, str]):
    """Yield :class:`AppServers` for ``replicas`` processes (1: ``make run``'s
    setting; more: ``make serve``'s), in a data directory of their own."""
    with tempfile.TemporaryDirectory(prefix="pianura-bench-") as tmp:
        data_dir = Path(tmp)
        data_dir.chmod(0o755)  # the local PostgreSQL's user must reach its data
        log = data_dir / "timing.tsv"
        env = {**env, "PIANURA_TIMING_LOG": str(log)}
        if replicas == 1:
            with streamlit_server(env={**env, "PIANURA_DATA_DIR": str(data_dir)}) as url:
                pid = _pid_serving(urlparse(url).port)
                yield AppServers(url, f"sqlite:///{data_dir / DB_FILENAME}", log, 1,
                                 pids={url.split("//")[1]: pid} if pid else {})
            return
        why_not = can_serve()
        if why_not:
            raise SystemExit(f"make serve cannot run here: {why_not}")
        with served(data_dir / "dati", replicas=replicas, env=env) as running:
            yield AppServers(running.url, running.database_url(), log, replicas, running, running.app_pids())
