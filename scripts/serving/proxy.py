"""nginx in front of the app processes: its configuration from the template, checked
and run in the foreground (``daemon off``) as a child of the supervisor."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
from pathlib import Path

from scripts.serving import processes

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
_FIELD = re.compile(r"@([A-Z_]+)@")
WORKER_USER = "www-data"  # Debian's; nginx's workers drop root to it


class ProxyError(RuntimeError):
    """nginx could not be configured or started (message in Italian)."""


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if not found:
        raise ProxyError("nginx non è installato: `make serve` lo installa da Debian (apt-get install nginx).")
    return found


def render(upstream_ports: list[int], *, listen: str, nginx_dir: Path, max_upload_mb: int,
           worker_user: str | None) -> str:
    """The nginx configuration for the app processes on ``upstream_ports`` (127.0.0.1),
    listening on ``listen`` (``host:port``); every field of the template filled."""
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=30s;" for port in upstream_ports)
    fields = {"NGINX_DIR": str(nginx_dir), "USER_LINE": f"user {worker_user};" if worker_user else "",
              "UPSTREAM_SERVERS": servers, "LISTEN": listen, "MAX_UPLOAD_MB": str(int(max_upload_mb))}

    def fill(match: re.Match) -> str:
        if match.group(1) not in fields:
            raise ProxyError(f"campo sconosciuto nel modello di nginx: {match.group(0)}")
        return fields[match.group(1)]

    return _FIELD.sub(fill, TEMPLATE.read_text(encoding="utf-8"))


def _worker_user() -> str | None:
    """Run as root, nginx's workers become ``www-data``; otherwise they stay who we are."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(WORKER_USER)
    except KeyError:
        return "nobody"
    return WORKER_USER


class Nginx:
    """One nginx for the app processes, its files under ``run_dir / "nginx"``."""

    def __init__(self, run_dir: Path):
        self.run_dir = run_dir
        self.dir = run_dir / "nginx"
        self.config = self.dir / "nginx.conf"
        self.proc: subprocess.Popen | None = None

    def write_config(self, upstream_ports: list[int], *, listen: str, max_upload_mb: int) -> Path:
        user = _worker_user()
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.dir / "tmp" / sub).mkdir(parents=True, exist_ok=True)
            if user:  # the workers write uploads and large responses there
                entry = pwd.getpwnam(user)
                os.chown(self.dir / "tmp" / sub, entry.pw_uid, entry.pw_gid)
        self.config.write_text(render(upstream_ports, listen=listen, nginx_dir=self.dir,
                                      max_upload_mb=max_upload_mb, worker_user=user), encoding="utf-8")
        return self.config

    def _paths(self) -> list[str]:
        # -e: even before reading the configuration, nginx logs here, not in /var/log/nginx
        return ["-p", str(self.dir), "-e", str(self.dir / "error.log"), "-c", str(self.config)]

    def check(self) -> None:
        done = subprocess.run([nginx_binary(), "-t", "-q", *self._paths()],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise ProxyError(f"la configurazione di nginx non è valida:\n{done.stderr}")

    def start(self) -> subprocess.Popen:
        self.check()
        command = [nginx_binary(), *self._paths()]
        self.proc = processes.start(command, log=self.dir / "console.log", pid_file=self.run_dir / "proxy.pid",
                                    marker=f"-c {self.config}")
        return self.proc

    def stop(self) -> None:
        if self.proc is not None:
            processes.stop(self.proc, timeout_s=10)  # SIGTERM: nginx's fast shutdown
            (self.run_dir / "proxy.pid").unlink(missing_ok=True)
