"""What a running app server does with requests larger than the app reads.

Two requests a browser's own limits would never send, sent anyway to a server
started with the project's ``.streamlit/config.toml``:

* a **file upload** of 52 MB (and of 5 MB + 1 byte) to ``/_stcore/upload_file``,
  with a real session id and XSRF token: ``server.maxUploadSize`` (5 MB) refuses
  it with HTTP 413 while it streams in;
* a **websocket message** of 16 MB (a map event carrying a 400,000-vertex polygon):
  ``server.maxWidgetStateSize`` (2 MB) closes that connection (code 1009) before
  parsing it.

Measured: HTTP status or close code, time to the answer, the server process's
resident memory before and its peak after (``VmRSS``/``VmHWM`` of ``/proc``), and
whether the server still answers its health check. ``uploaded`` tells the helpers
for ``tests/test_server_limits.py`` apart from the benchmark printout.

Run: ``python -m bench.hostile_server`` (part of ``python -m bench.hostile_files``).
"""

from __future__ import annotations

import asyncio
import http.client
import json
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlparse

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

XSRF_COOKIE = "_streamlit_xsrf"
MB = 1024 * 1024


def server_pid(url: str) -> int | None:
    """The pid of the Streamlit process serving ``url`` (its command line names the port)."""
    port = str(urlparse(url).port)
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(args) and port.encode() in args:
            return int(cmdline.parent.name)
    return None


def memory_mb(pid: int | None, field: str) -> float | None:
    """``VmRSS`` or ``VmHWM`` of ``pid`` in MB (``None`` without /proc)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except (OSError, TypeError):
        return None
    return None


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=10) as response:
            return response.status == 200
    except OSError:
        return False


async def open_session(url: str):
    """A websocket session of the app: ``(websocket, session id, XSRF cookie value)``."""
    with urllib.request.urlopen(url + "/_stcore/health", timeout=30) as response:  # it sets the XSRF cookie
        cookies = response.headers.get_all("Set-Cookie") or []
    xsrf = next((c.split(";")[0].split("=", 1)[1] for c in cookies if c.startswith(XSRF_COOKIE + "=")), "")
    parts = urlparse(url)
    ws = await websockets.connect(f"ws://{parts.netloc}/_stcore/stream", subprotocols=["streamlit", xsrf or "x"],
                                  origin=url, max_size=None, open_timeout=60,
                                  additional_headers={"Cookie": f"{XSRF_COOKIE}={xsrf}"} if xsrf else None)
    rerun = BackMsg()
    rerun.rerun_script.page_name = ""
    await ws.send(rerun.SerializeToString())
    session_id = None
    while True:  # until the first run has finished: the server is then as warm as in use
        message = ForwardMsg()
        message.ParseFromString(await asyncio.wait_for(ws.recv(), 120))
        if message.HasField("new_session"):
            session_id = message.new_session.initialize.session_id
        if message.HasField("script_finished") and session_id:
            return ws, session_id, xsrf


def upload(url: str, session_id: str, xsrf: str, size: int, *, chunked: bool = False) -> tuple[int, float]:
    """PUT a file of ``size`` bytes as the uploader would (``chunked``: without a
    Content-Length, so the server must count while it streams): ``(HTTP status, seconds)``.
    The body is sent in 1 MB pieces and the answer read as soon as the server gives
    it: a server that refuses early closes the connection under the rest."""
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"piano.csv\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    parts = urlparse(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    start = time.perf_counter()
    connection.putrequest("PUT", f"/_stcore/upload_file/{session_id}/{uuid.uuid4().hex}")
    for name, value in (("Content-Type", f"multipart/form-data; boundary={boundary}"), ("X-Xsrftoken", xsrf),
                        ("Cookie", f"{XSRF_COOKIE}={xsrf}")):
        connection.putheader(name, value)
    if chunked:
        connection.putheader("Transfer-Encoding", "chunked")
    else:
        connection.putheader("Content-Length", str(len(head) + size + len(tail)))
    connection.endheaders()
    pieces = [head, *(b"x" * min(MB, size - sent) for sent in range(0, size, MB)), tail]
    try:
        for piece in pieces:
            connection.send(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
        if chunked:
            connection.send(b"0\r\n\r\n")
    except OSError:  # refused and closed before the whole body went: read the answer given
        pass
    try:
        status = connection.getresponse().status
    except OSError:
        status = 0  # closed without an answer
    finally:
        connection.close()
    return status, time.perf_counter() - start


async def send_huge_event(ws, vertices: int) -> tuple[object, float, int]:
    """Send one rerun carrying a map event with a polygon of ``vertices`` vertices:
    ``(close code, or "run" when the server ran the page with it; seconds; message bytes)``."""
    ring = [[10.0 + i * 1e-6, 45.0 + i * 1e-6] for i in range(vertices)]
    value = {"event": "draw", "seq": 1, "geometry": {"type": "Polygon", "coordinates": [ring]}}
    message = BackMsg()
    widget = message.rerun_script.widget_states.widgets.add()
    widget.id, widget.json_value = "$$ID-hostile-editor_map", json.dumps(value)
    data = message.SerializeToString()
    start = time.perf_counter()
    await ws.send(data)
    try:
        while True:
            reply = ForwardMsg()
            reply.ParseFromString(await asyncio.wait_for(ws.recv(), 120))
            if reply.HasField("script_finished"):
                return "run", time.perf_counter() - start, len(data)  # accepted: the page ran with it
    except websockets.ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else "chiusa", time.perf_counter() - start, len(data)
    except asyncio.TimeoutError:
        return "no answer", time.perf_counter() - start, len(data)


def measure(url: str) -> list[dict]:
    """Each hostile request against the server at ``url``, with its outcome and memory."""
    pid = server_pid(url)
    results = []

    async def run() -> None:
        ws, session_id, xsrf = await open_session(url)
        for label, size, chunked in (("upload 5 MB + 1 byte", 5 * MB + 1, False), ("upload 52 MB", 52 * MB, False),
                                     ("upload 52 MB, no Content-Length", 52 * MB, True),
                                     ("upload 4 MB (accepted)", 4 * MB, False)):
            before = memory_mb(pid, "VmRSS")
            status, seconds = upload(url, session_id, xsrf, size, chunked=chunked)
            results.append({"request": label, "outcome": f"HTTP {status}", "seconds": round(seconds, 2),
                            "rss_before_mb": before, "peak_rss_mb": memory_mb(pid, "VmHWM"), "healthy": healthy(url)})
        before = memory_mb(pid, "VmRSS")
        code, seconds, size = await send_huge_event(ws, 400_000)
        results.append({"request": f"websocket message {size / 1e6:.0f} MB (400,000 vertices)",
                        "outcome": f"closed {code}", "seconds": round(seconds, 2), "rss_before_mb": before,
                        "peak_rss_mb": memory_mb(pid, "VmHWM"), "healthy": healthy(url)})

    asyncio.run(run())
    return results


# The naive baseline: the same app with Streamlit's default limits (200 MB uploads,
# 25 MB client messages), i.e. without the two lines of .streamlit/config.toml.
STREAMLIT_DEFAULTS = {"STREAMLIT_SERVER_MAX_UPLOAD_SIZE": "200", "STREAMLIT_SERVER_MAX_WIDGET_STATE_SIZE": "25"}


def main() -> list[dict]:
    from tests.browser_support import streamlit_server

    print(f"\n{'server request':46} {'outcome':>12} {'s':>6} {'RSS MB':>8} {'peak MB':>8}  health")
    every = []
    for label, env in (("ours", {}), ("naive: Streamlit's defaults", STREAMLIT_DEFAULTS)):
        with streamlit_server(env=env) as url:
            print(f"-- {label}")
            for r in measure(url):
                every.append({"server": label, **r})
                print(f"{r['request']:46} {r['outcome']:>12} {r['seconds']:6.2f} {r['rss_before_mb'] or 0:8.0f} "
                      f"{r['peak_rss_mb'] or 0:8.0f}  {'ok' if r['healthy'] else 'NO'}", flush=True)
    return every


if __name__ == "__main__":
    main()
