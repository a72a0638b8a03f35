"""Publish a site and serve it through nginx (deploy/site/serve.py) for the tests and the site bench."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from tests.paths import REPO, shared_boundaries

SERVE = REPO / "deploy" / "site" / "serve.py"
SITE_RE = re.compile(r"site: (http://\S+) pid (\d+) config (\S+) logs (\S+)")
READY_TIMEOUT = 300.0  # brotli -q 11 over a 100k-claims site takes a while on a busy machine


def publish_env(cache: Path, **extra: str) -> dict[str, str]:
    """The environment of a publish: the shared boundaries, offline, this cache."""
    return {
        **os.environ,
        "CONTROLMAP_BOUNDARIES_DIR": str(shared_boundaries()),
        "CONTROLMAP_OFFLINE": "1",
        "CONTROLMAP_CACHE_DIR": str(cache),
        **extra,
    }


def publish(out: Path, cache: Path, *args: str, data_dir: Path | None = None) -> float:
    """Run ``python -m geo publish --out OUT`` (raising on failure); return its wall time in seconds."""
    cmd = [sys.executable, "-m", "geo", "publish", "--out", str(out), *args]
    if data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=REPO, env=publish_env(cache), capture_output=True, text=True, timeout=1800)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"publish failed ({done.returncode}):\n{done.stdout}\n{done.stderr[-4000:]}")
    return took


def free_port() -> int:
    """A free loopback port (bound to check, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_site(site: Path, *, port: int | None = None) -> Iterator[str]:
    """Serve ``site`` with deploy/site/serve.py on loopback; yield its base URL (ending in /), then stop it."""
    cmd = [sys.executable, str(SERVE), str(site), "--port", str(port or free_port())]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise RuntimeError("deploy/site/serve.py did not report its address:\n" + "".join(seen)) from None
            if line is None:
                raise RuntimeError("deploy/site/serve.py exited:\n" + "".join(seen))
            seen.append(line)
            if found := SITE_RE.search(line):
                break
        yield found.group(1)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Serve ``folder`` with Python's http.server on a free loopback port; yield its base URL ending in '/'."""
    handler = functools.partial(_Quiet, directory=str(folder))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}/"
        finally:
            httpd.shutdown()
            thread.join()
