"""``make serve``: a whole meeting on this machine, nginx in front of several app processes
sharing one PostgreSQL.

One Streamlit process runs its Python on one core; a room of participants needs
more. This starts, in order: a local PostgreSQL (unless ``PIANURA_DB_URL`` names
one; data under the data directory), the app's migrations once, N Streamlit
processes on free ports of 127.0.0.1 (each warmed up), and nginx on ``--port`` in
the foreground, choosing a browser's process by a hash of its identity cookie.
Ctrl-C (SIGINT) or SIGTERM stops all of it: nginx, the processes, PostgreSQL.
A process that dies is reported and its browsers go on with the others.

Usage: ``python -m scripts.serve --replicas 2 --port 8501 [--host 0.0.0.0]``.
Files: ``$PIANURA_DATA_DIR/serve/`` (default ``var/serve/``): pid files, each
process's log (``app-<i>.log``), nginx's configuration and logs (``nginx/``).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.serving import processes  # noqa: E402
from scripts.serving.postgres import LocalPostgres  # noqa: E402
from scripts.serving.proxy import Nginx  # noqa: E402
from scripts.serving.replicas import start_replicas, stop_replicas, wait_ready, warm_up  # noqa: E402

MAX_REPLICAS = 16


class Stopped(BaseException):
    """SIGINT or SIGTERM arrived: stop everything (not an error)."""


def say(text: str) -> None:
    print(f"serve: {text}", flush=True)


def _stop_on_signal(signum, _frame) -> None:
    raise Stopped(signal.Signals(signum).name)


def data_directory() -> Path:
    from geo.store.database import DEFAULT_DATA_DIR

    return Path(os.environ.get("PIANURA_DATA_DIR", DEFAULT_DATA_DIR)).resolve()


def max_upload_mb() -> int:
    """Streamlit's ``server.maxUploadSize`` as the app's configuration sets it."""
    from streamlit import config

    return int(config.get_option("server.maxUploadSize"))


def migrate(url: str) -> None:
    """Open every feature's store once: the schema and the seed are made before any
    process starts (they would be anyway, under the database lock), and a wrong
    ``PIANURA_DB_URL`` is reported here, in plain words."""
    import geo

    store = geo.Store(url)
    for feature in (geo.ScenarioStore, geo.AreaEditLog, geo.CollaborationStore, geo.WorkshopStore):
        feature(store)
    store.close()


def wait_for_proxy(port: int, proc: subprocess.Popen, timeout_s: float = 30) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


class Meeting:
    """What ``make serve`` runs, and stops in reverse order."""

    def __init__(self, replicas: int, port: int, host: str, data_dir: Path):
        self.count, self.port, self.host = replicas, port, host
        self.run_dir = data_dir / "serve"
        self.data_dir = data_dir
        self.postgres: LocalPostgres | None = None
        self.replicas = []
        self.nginx = Nginx(self.run_dir)
        self.reported: set[int] = set()

    def start(self) -> None:
        url = os.environ.get("PIANURA_DB_URL", "").strip()
        if url:
            say("database: PIANURA_DB_URL")
        else:
            self.postgres = LocalPostgres(self.data_dir)
            stale = self.postgres.clean_stale()
            if stale:
                say(stale)
            url = self.postgres.start(clients=self.count)
            say(f"database: PostgreSQL locale sulla porta {self.postgres.port}, dati in {self.postgres.data}")
        migrate(url)
        secret = os.urandom(16).hex()  # the same for every process (Streamlit signs cookies with it)
        self.replicas = start_replicas(self.count, env={"PIANURA_DB_URL": url, "STREAMLIT_SERVER_COOKIE_SECRET": secret},
                                       run_dir=self.run_dir)
        wait_ready(self.replicas)
        for problem in warm_up(self.replicas):
            say(f"avviso dal riscaldamento: {problem}")
        say(f"{self.count} processi dell'app pronti sulle porte {', '.join(str(r.port) for r in self.replicas)}")
        self.nginx.write_config([r.port for r in self.replicas], listen=f"{self.host}:{self.port}",
                                max_upload_mb=max_upload_mb())
        proc = self.nginx.start()
        if not wait_for_proxy(self.port, proc):
            raise RuntimeError(f"nginx non risponde:\n{processes.tail(self.nginx.dir / 'error.log')}")
        shown = "localhost" if self.host in ("0.0.0.0", "::", "[::]") else self.host
        say(f"pronto: http://{shown}:{self.port}/ (Ctrl-C per fermare tutto; registri in {self.run_dir})")

    def watch(self) -> int:
        """Until a signal: report processes that die; stop when nginx or all of them do."""
        while True:
            if self.nginx.proc.poll() is not None:
                say(f"nginx si è fermato (codice {self.nginx.proc.returncode}):\n"
                    f"{processes.tail(self.nginx.dir / 'error.log')}")
                return 1
            for replica in self.replicas:
                if replica.proc.poll() is not None and replica.index not in self.reported:
                    self.reported.add(replica.index)
                    say(f"il processo {replica.name} si è fermato (codice {replica.proc.returncode}): nginx "
                        "manda i suoi utenti agli altri processi; registro in " + str(replica.log))
            if len(self.reported) == len(self.replicas):
                say("nessun processo dell'app è più attivo")
                return 1
            time.sleep(0.5)

    def stop(self) -> None:
        self.nginx.stop()
        stop_replicas(self.replicas, self.run_dir)
        if self.postgres is not None:
            self.postgres.stop()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="nginx davanti a più processi dell'app, un solo PostgreSQL")
    parser.add_argument("--replicas", type=int, default=2, help="processi dell'app (default 2)")
    parser.add_argument("--port", type=int, default=8501, help="porta di nginx (default 8501)")
    parser.add_argument("--host", default="0.0.0.0", help="indirizzo di ascolto di nginx (default: tutti)")
    args = parser.parse_args(argv)
    if not 1 <= args.replicas <= MAX_REPLICAS:
        parser.error(f"--replicas deve essere tra 1 e {MAX_REPLICAS}")
    os.chdir(ROOT)
    data_dir = data_directory()
    run_dir = data_dir / "serve"
    run_dir.mkdir(parents=True, exist_ok=True)
    lock = open(run_dir / "serve.lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        say(f"`make serve` è già in corso con questa cartella di dati ({data_dir})")
        return 1
    for line in processes.clean_stale(run_dir):
        say(line)
    if not processes.port_is_free(args.port, args.host):
        say(f"la porta {args.port} è già occupata: scegline un'altra (make serve PORT=...)")
        return 1
    meeting = Meeting(args.replicas, args.port, args.host, data_dir)
    signal.signal(signal.SIGINT, _stop_on_signal)
    signal.signal(signal.SIGTERM, _stop_on_signal)
    code = 0
    try:
        meeting.start()
        code = meeting.watch()
    except Stopped as why:
        say(f"{why}: fermo tutto")
    except Exception as exc:  # startup failed: say why, then stop what did start
        say(f"errore: {exc}")
        code = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C does not cut the cleanup short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        meeting.stop()
        say("fermato")
    return code


if __name__ == "__main__":
    sys.exit(main())
