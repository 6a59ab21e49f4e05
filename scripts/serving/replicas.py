"""The app's Streamlit processes behind the proxy: one per port on 127.0.0.1, all
on the same database, each warmed up before the proxy sends anyone to it."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from scripts.serving import processes

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass
class Replica:
    """App process number ``index`` (from 1), listening on ``port``."""

    index: int
    port: int
    proc: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def name(self) -> str:
        return f"app-{self.index}"


def start_replicas(count: int, *, env: dict[str, str], run_dir: Path) -> list[Replica]:
    """Start ``count`` app processes with ``env`` added to ours (the same
    ``PIANURA_DB_URL`` for all); their output goes to ``run_dir/app-<i>.log``."""
    replicas = []
    for index in range(1, count + 1):
        port = processes.free_port()
        log = run_dir / f"app-{index}.log"
        command = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
                   "--server.address", "127.0.0.1", "--server.headless", "true"]
        proc = processes.start(command, log=log, env={**os.environ, **env}, cwd=ROOT,
                               pid_file=run_dir / f"app-{index}.pid")
        replicas.append(Replica(index, port, proc, log))
    return replicas


def wait_ready(replicas: list[Replica], timeout_s: float = 180) -> None:
    """Wait for every process's health check; raise with its log when one fails."""
    for replica in replicas:
        if not processes.wait_healthy(replica.url, replica.proc, timeout_s):
            raise RuntimeError(f"il processo {replica.name} non è partito:\n{processes.tail(replica.log)}")


def warm_up(replicas: list[Replica]) -> list[str]:
    """One headless session per process opens the main pages (``scripts/warm_up.py``),
    all at once: the first participants find every process warm. Returns problems."""
    from scripts.warm_up import warm

    async def all_of_them():
        found = await asyncio.gather(*(warm(r.url) for r in replicas), return_exceptions=True)
        return [f"{r.name}: {p}" for r, problems in zip(replicas, found)
                for p in (problems if isinstance(problems, list) else [repr(problems)])]

    return asyncio.run(all_of_them())


def stop_replicas(replicas: list[Replica], run_dir: Path) -> None:
    for replica in replicas:
        if replica.proc.poll() is None:
            replica.proc.send_signal(signal.SIGTERM)  # to each first: they stop together
    for replica in replicas:
        processes.stop(replica.proc, timeout_s=10)
        (run_dir / f"app-{replica.index}.pid").unlink(missing_ok=True)
