"""Child processes of ``make serve``: free ports, pid files, health, clean stops.

Every child runs in a session of its own, so the terminal's Ctrl-C reaches only the
supervisor, which then stops the children in order (proxy, app processes, database).
The children also get SIGTERM from the kernel when the supervisor dies
(``PR_SET_PDEATHSIG``), and each has a pid file naming what it runs: a re-run after
a crash stops whatever a killed supervisor left behind and removes the stale files.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def free_port() -> int:
    """A TCP port nobody listens on at 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int, host: str = "0.0.0.0") -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _die_with_parent() -> None:
    # Runs in the child between fork and exec: SIGTERM when the supervisor dies.
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def start(command: list[str], *, log: Path, env: dict | None = None, cwd: Path | None = None,
          pid_file: Path | None = None, marker: str | None = None) -> subprocess.Popen:
    """Start ``command`` in its own session, output appended to ``log``; with
    ``pid_file``, record there its pid and a *marker*, a piece of its command line
    (default: all of it; nginx rewrites its own, keeping the arguments) by which
    :func:`clean_stale` recognises it."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=_die_with_parent)
    if pid_file is not None:
        pid_file.write_text(f"{proc.pid}\n{marker or ' '.join(command)}\n", encoding="utf-8")
    return proc


def stop(proc: subprocess.Popen, *, sig: int = signal.SIGTERM, timeout_s: float = 10) -> int | None:
    """Send ``sig`` to the process's group, wait, then SIGKILL; return its exit code."""
    if proc.poll() is None:
        _signal_group(proc.pid, sig)
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            _signal_group(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
    return proc.returncode


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass


def _command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def clean_stale(run_dir: Path) -> list[str]:
    """Stop what a crashed supervisor left running (a process whose pid matches one
    of our pid files and whose command line holds its marker) and remove every pid
    file; return what was done.

    A pid file whose process is gone, or whose pid now belongs to another program,
    is only removed: nothing that is not ours is ever signalled."""
    done = []
    for pid_file in sorted(run_dir.glob("*.pid")):
        lines = pid_file.read_text(encoding="utf-8", errors="replace").splitlines()
        pid = int(lines[0]) if lines and lines[0].strip().isdigit() else 0
        marker = lines[1].strip() if len(lines) > 1 else ""
        if pid and marker and marker in _command_of(pid):
            _signal_group(pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while marker in _command_of(pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            if marker in _command_of(pid):
                _signal_group(pid, signal.SIGKILL)
            done.append(f"fermato il processo rimasto da un avvio precedente: {pid_file.stem} (pid {pid})")
        else:
            done.append(f"tolto il file di pid superato {pid_file.name}")
        pid_file.unlink(missing_ok=True)
    return done


def healthy(url: str) -> bool:
    """Whether Streamlit at ``url`` answers its health check (``/_stcore/health``)."""
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


def wait_healthy(url: str, proc: subprocess.Popen, timeout_s: float) -> bool:
    """Wait until ``url`` is healthy; ``False`` if ``proc`` exits or time runs out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if healthy(url):
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.3)
    return False


def tail(log: Path, lines: int = 20) -> str:
    """The last lines of a log, for an error message."""
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
