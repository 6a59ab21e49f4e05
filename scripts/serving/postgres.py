"""The local PostgreSQL that ``make serve`` starts when no ``PIANURA_DB_URL`` is given.

Its data live under the app's data directory (``var/postgres`` by default), so the
scenarios and workshops of one meeting are there at the next: ``initdb`` runs the
first time only. The server listens on 127.0.0.1 alone, on a free port, without a
Unix socket; the role ``pianura`` has a password generated once (32 hex digits,
kept in ``postgres.password`` beside the data, readable by the owner only) and
the database is ``pianura``. Run as root, the server runs as the ``postgres``
user (PostgreSQL refuses root), which then owns the data directory.
"""

from __future__ import annotations

import os
import pwd
import secrets
import subprocess
import tempfile
import time
from pathlib import Path

from scripts.serving.processes import free_port, tail

ROLE = DATABASE = "pianura"
SERVICE_USER = "postgres"


class PostgresError(RuntimeError):
    """The local database could not be prepared or started (message in Italian)."""


def binaries() -> Path:
    """The newest installed PostgreSQL's ``bin`` directory (Debian's layout)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if not found:
        raise PostgresError("PostgreSQL non è installato: `make serve` lo installa da Debian (apt-get install "
                            "postgresql), oppure indica un database con PIANURA_DB_URL.")
    return found[-1].parent


class LocalPostgres:
    """A PostgreSQL server whose data are in ``data_dir / "postgres"``.

    Parameters
    ----------
    data_dir : Path
        The app's data directory (``PIANURA_DATA_DIR``, default ``var/``).
    """

    def __init__(self, data_dir: Path):
        self.data = data_dir / "postgres"
        self.password_file = data_dir / "postgres.password"
        self.log = data_dir / "postgres.log"
        self.bin = binaries()
        self.as_service_user = os.geteuid() == 0
        self.port: int | None = None

    # -- commands, as the postgres user when we are root ----------------------------------
    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_service_user:
            command = ["runuser", "-u", SERVICE_USER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if check and done.returncode != 0:
            raise PostgresError(f"{args[0]} non è riuscito:\n{done.stdout}{done.stderr}{tail(self.log)}")
        return done

    def _give_to_service_user(self, *paths: Path) -> None:
        if self.as_service_user:
            user = pwd.getpwnam(SERVICE_USER)
            for path in paths:
                os.chown(path, user.pw_uid, user.pw_gid)

    def password(self) -> str:
        if not self.password_file.exists():
            self.password_file.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(16) + "\n")
        return self.password_file.read_text().strip()

    # -- life cycle ------------------------------------------------------------------------------
    def initialise(self) -> None:
        """``initdb`` the first time (data directory missing or empty)."""
        if (self.data / "PG_VERSION").exists():
            return
        self.data.mkdir(parents=True, exist_ok=True)
        self.data.chmod(0o700)
        self._give_to_service_user(self.data)
        self._check_reachable()
        with tempfile.TemporaryDirectory(prefix="pianura-initdb-") as tmp:  # readable by initdb alone
            given = Path(tmp) / "password"
            given.write_text(self.password() + "\n")
            self._give_to_service_user(Path(tmp), given)
            self._run("initdb", "-D", str(self.data), "-U", ROLE, "--auth=scram-sha-256", f"--pwfile={given}",
                      "--encoding=UTF8", "--no-locale")

    def _check_reachable(self) -> None:
        if self.as_service_user:
            probe = subprocess.run(["runuser", "-u", SERVICE_USER, "--", "test", "-w", str(self.data)])
            if probe.returncode != 0:
                raise PostgresError(f"L'utente «{SERVICE_USER}» del database non può scrivere in {self.data}: una "
                                    "cartella sopra di essa non gli è accessibile. Scegli un'altra cartella di dati "
                                    "(PIANURA_DATA_DIR) o indica un database con PIANURA_DB_URL.")

    def clean_stale(self) -> str | None:
        """A server left running by a crashed supervisor is stopped; a stale
        ``postmaster.pid`` (its process gone) is removed. Returns what was done."""
        pid_file = self.data / "postmaster.pid"
        if not pid_file.exists():
            return None
        first = pid_file.read_text(errors="replace").splitlines()[:1]
        pid = int(first[0]) if first and first[0].strip().isdigit() else 0
        try:
            running = "postgres" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            running = False
        if running:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)
            return f"fermato il PostgreSQL rimasto da un avvio precedente (pid {pid})"
        pid_file.unlink()
        return "tolto il file postmaster.pid superato"

    def start(self, clients: int = 1) -> str:
        """Initialise if needed, start on a free port, create the database; return its URL.

        ``clients``: the app processes that will connect; each may open up to 15
        connections (SQLAlchemy's pool: 5, and 10 more under load)."""
        self.initialise()
        self._check_reachable()
        self.port = free_port()
        self.log.touch()
        self._give_to_service_user(self.log)
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
                   f"-c max_connections={max(100, 20 + 15 * clients)}")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", options, "start")
        url = self.url()
        self._create_database()
        return url

    def url(self, database: str = DATABASE) -> str:
        return f"postgresql+psycopg://{ROLE}:{self.password()}@127.0.0.1:{self.port}/{database}"

    def _create_database(self) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                conn = psycopg.connect(host="127.0.0.1", port=self.port, user=ROLE, password=self.password(),
                                       dbname="postgres", autocommit=True, connect_timeout=5)
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        with conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone() is None:
                conn.execute(f"CREATE DATABASE {DATABASE}")

    def stop(self) -> None:
        """Stop the server (fast shutdown: open transactions are rolled back)."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)
