"""Run ``deploy/serve`` on loopback for tests and benchmarks, and read what it logged.

``running_stack`` starts the real command on free ports, waits for its "ready" line, parses where
each replica is (port, pid, log) and where nginx keeps its access log, and on exit sends SIGTERM
and checks that everything it started is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.paths import REPO, shared_boundaries

SERVE = REPO / "deploy" / "serve"
# deploy/prepare.py compresses Streamlit's bundle once (about a minute) and caches it.
READY_TIMEOUT = 400.0
REPLICA_RE = re.compile(r"replica (\d+): http://([\d.]+):(\d+) pid (\d+) log (\S+)")
NGINX_RE = re.compile(r"nginx: (http://\S+) pid (\d+) config (\S+) logs (\S+)")
ACCESS_RE = re.compile(
    r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) \d+ replica=(?P<tried>.+?) route=(?P<route>\S+)'
)


def free_ports(count: int) -> list[int]:
    """``count`` consecutive free loopback ports (bound to check, then released)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            start = probe.getsockname()[1]
        if start + count >= 65535:
            continue
        ok = True
        for port in range(start, start + count):
            with socket.socket() as sock:
                try:
                    sock.bind(("127.0.0.1", port))
                except OSError:
                    ok = False
                    break
        if ok:
            return list(range(start, start + count))
    raise RuntimeError("no run of free ports on loopback")


@dataclass
class Replica:
    """One replica as serve logged it."""

    number: int
    port: int
    pid: int
    log: Path

    @property
    def base(self) -> str:
        """Its own address (bypassing nginx)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def addr(self) -> str:
        """How nginx's access log names it."""
        return f"127.0.0.1:{self.port}"


@dataclass
class Stack:
    """A running ``deploy/serve``: nginx's address, the replicas, the logs."""

    base: str
    proc: subprocess.Popen
    replicas: dict[int, Replica]
    nginx_pid: int
    logs: Path
    lines: list[str] = field(default_factory=list)

    def access(self) -> list[dict[str, str]]:
        """nginx's access log, parsed (a websocket's line is written when it closes)."""
        path = self.logs / "access.log"
        text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        entries = [m.groupdict() for m in map(ACCESS_RE.search, text.splitlines()) if m]
        for entry in entries:  # after a failover nginx lists every replica it tried: "a:1, b:2"
            entry["replica"] = entry["tried"].split(", ")[-1]
        return entries

    def replica_for(self, route: str) -> set[str]:
        """The replicas (access-log addresses) that answered requests with this affinity key."""
        return {e["replica"] for e in self.access() if e["route"] == route and e["replica"] != "-"}

    def wait_line(self, pattern: str, timeout: float, start: int = 0) -> re.Match[str]:
        """Wait until serve logs a line matching ``pattern`` (searching from line ``start``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines[start:]:
                found = re.search(pattern, line)
                if found:
                    return found
            time.sleep(0.1)
        raise TimeoutError(f"serve never logged {pattern!r}; log:\n" + "".join(self.lines))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by serve) counts as gone.
    with contextlib.suppress(OSError):
        if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


def wait_gone(pids: list[int], timeout: float) -> list[int]:
    """Wait until none of ``pids`` runs; return those still running after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = [p for p in pids if _alive(p)]
        if not left:
            return []
        time.sleep(0.1)
    return [p for p in pids if _alive(p)]


@contextlib.contextmanager
def running_stack(replicas: int, *, cache_dir: Path, extra: tuple[str, ...] = ()) -> Iterator[Stack]:
    """Run ``deploy/serve --replicas N --port P`` on free loopback ports; yield it; stop it with SIGTERM."""
    ports = free_ports(replicas + 1)
    env = {
        **os.environ,
        "CONTROLMAP_BOUNDARIES_DIR": str(shared_boundaries()),
        "CONTROLMAP_OFFLINE": "1",
        "CONTROLMAP_CACHE_DIR": str(cache_dir),
    }
    cmd = [str(SERVE), "--replicas", str(replicas), "--port", str(ports[0]), "--replica-port", str(ports[1]), *extra]
    proc = subprocess.Popen(
        cmd, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    stack = Stack(f"http://127.0.0.1:{ports[0]}", proc, {}, 0, Path("."), lines)
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while not any(" ready: " in line for line in lines):
            if proc.poll() is not None or time.monotonic() > deadline:
                time.sleep(0.2)
                raise RuntimeError(f"deploy/serve did not start (exit {proc.poll()}):\n" + "".join(lines))
            time.sleep(0.1)
        for line in lines:
            if m := REPLICA_RE.search(line):
                number = int(m.group(1))
                stack.replicas[number] = Replica(number, int(m.group(3)), int(m.group(4)), Path(m.group(5)))
            if m := NGINX_RE.search(line):
                stack.base, stack.nginx_pid, stack.logs = m.group(1), int(m.group(2)), Path(m.group(4))
        yield stack
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        reader.join(timeout=5)
        if proc.stdout is not None:
            proc.stdout.close()
