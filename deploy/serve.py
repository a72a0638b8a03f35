"""Serve the app for real: N Streamlit replicas behind nginx, compressed, sticky, with failover.

Usage (from anywhere; ``deploy/serve`` runs this file):

    deploy/serve --replicas 2 --port 8080

It builds nginx's web root (deploy/prepare.py: Streamlit's bundle and the map component,
precompressed once and cached), starts the replicas on 127.0.0.1 (ports ``--replica-port``,
``--replica-port + 1``, …; by default the ports after ``--port``), writes nginx's config from
deploy/nginx.conf.template into a temporary prefix and starts nginx there as the current user.
It waits until every replica answers /_stcore/health and has run the app once (so the first
reader does not wait for the geometry), then until nginx answers, and logs where everything is.
A replica that exits is started again (``--no-restart`` to leave it down); its readers are sent
to a live replica meanwhile. Ctrl-C or SIGTERM stops nginx and every replica, then removes the
temporary prefix. Replicas on other machines join with ``--remote HOST:PORT`` (repeatable).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
TEMPLATE = DEPLOY / "nginx.conf.template"
BROTLI_MODULES = (
    "/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so",
    "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so",
)
STARTUP_TIMEOUT = 180.0
STOP_TIMEOUT = 10.0
RESTART_DELAY = 1.0
MAX_RESTART_DELAY = 30.0
WARMUP_QUERY = "date=2021-08-20"
STOPPING = threading.Event()


def log(message: str) -> None:
    """One line to stdout, flushed (tests and supervisors read it as it comes)."""
    print(f"[serve {time.strftime('%H:%M:%S')}] {message}", flush=True)


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Ask Linux to send SIGTERM to this child if ``serve`` itself is killed (even with SIGKILL)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def port_is_free(host: str, port: int) -> bool:
    """True when nothing listens on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def healthy(base: str, *, timeout: float = 2.0) -> bool:
    """True when ``base`` answers Streamlit's health check."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{base}/_stcore/health", timeout=timeout) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except OSError:
        return False


@dataclass
class Replica:
    """One Streamlit process on this machine."""

    number: int
    host: str
    port: int
    log_path: Path
    proc: subprocess.Popen | None = None
    restarts: int = 0
    died_at: float | None = None
    recovering: bool = False

    @property
    def base(self) -> str:
        """The replica's own address (loopback; readers reach it through nginx)."""
        return f"http://{self.host}:{self.port}"


@dataclass
class Stack:
    """Everything ``serve`` started, to supervise and to stop."""

    prefix: Path
    own_prefix: bool
    replicas: list[Replica] = field(default_factory=list)
    nginx: subprocess.Popen | None = None
    env: dict[str, str] = field(default_factory=dict)


def replica_command(replica: Replica) -> list[str]:
    """The command line of one replica (the same as the README's quick start, bound to loopback)."""
    return [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        "--server.address", replica.host,
        "--server.port", str(replica.port),
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip


def start_replica(stack: Stack, replica: Replica) -> None:
    """Start (or restart) one replica, logging to its own file."""
    with replica.log_path.open("ab") as out:
        replica.proc = subprocess.Popen(
            replica_command(replica),
            cwd=ROOT,
            env=stack.env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches serve, which stops the replicas in order
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - only prctl, before exec
        )
    replica.died_at = None
    log(f"replica {replica.number}: {replica.base} pid {replica.proc.pid} log {replica.log_path}")


def nginx_config(args: argparse.Namespace, prefix: Path, www: Path, component_name: str) -> str:
    """Fill deploy/nginx.conf.template for this run."""
    text = TEMPLATE.read_text(encoding="utf-8")
    brotli = all(Path(m).is_file() for m in BROTLI_MODULES)
    modules = "\n".join(f"load_module {m};" for m in BROTLI_MODULES) if brotli else "# brotli modules not installed"
    if brotli:
        text = text.replace("#@brotli ", "")
    # As root, nginx would hand its workers to another user that cannot read the temp prefix.
    user = f"user {os.environ.get('USER') or 'root'};" if os.geteuid() == 0 else "# running as the current user"
    servers = [
        f"        server {args.replica_host}:{args.replica_port + i} max_fails=1 fail_timeout=10s;"
        for i in range(args.replicas)
    ]
    servers += [f"        server {remote} max_fails=1 fail_timeout=10s;" for remote in args.remote]
    values = {
        "@LOAD_MODULES@": modules,
        "@USER@": user,
        "@PREFIX@": str(prefix),
        "@WWW@": str(www),
        "@LISTEN@": f"{args.listen}:{args.port}",
        "@UPSTREAM_SERVERS@": "\n".join(servers),
        "@COMPONENT_NAME@": component_name,
    }
    for name, value in values.items():
        text = text.replace(name, value)
    return text


def prepare_www(stack: Stack) -> dict[str, str]:
    """Run deploy/prepare.py (heavy imports stay out of this long-lived process)."""
    www = stack.prefix / "www"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(DEPLOY / "prepare.py"), str(www)],
        cwd=ROOT,
        env=stack.env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"deploy/prepare.py failed:\n{done.stdout}{done.stderr}")
    info = json.loads(done.stdout.strip().splitlines()[-1])
    log(
        f"web root {www} ready in {time.monotonic() - started:.1f} s (brotli: {info['brotli']}, fonts: {info['fonts']})"
    )
    return info


def warm_up(replica: Replica) -> None:
    """Run the app once on ``replica`` over its websocket, so its caches hold the geometry."""
    from deploy.stclient import Session

    async def once() -> float:
        session = Session(replica.base, timeout=STARTUP_TIMEOUT)
        try:
            return (await session.open(WARMUP_QUERY)).seconds
        finally:
            await session.close()

    log(f"replica {replica.number}: warm ({asyncio.run(once()):.1f} s for the first run)")


def wait_until(what: str, probe: Callable[[], bool], deadline: float, stack: Stack) -> None:
    """Poll ``probe`` until it is true; stop everything if ``deadline`` passes or a process dies."""
    while not probe():
        if STOPPING.is_set():
            raise SystemExit(f"stopped while waiting for {what}")
        dead = [r for r in stack.replicas if r.proc and r.proc.poll() is not None]
        if dead or (stack.nginx and stack.nginx.poll() is not None) or time.monotonic() > deadline:
            why = f"replica {dead[0].number} exited ({dead[0].log_path})" if dead else "timed out"
            raise SystemExit(f"{what}: {why}")
        time.sleep(0.2)


def stop(stack: Stack) -> None:
    """Stop nginx, then every replica (SIGTERM, then SIGKILL after a grace period); clean up."""
    procs = ([("nginx", stack.nginx)] if stack.nginx else []) + [
        (f"replica {r.number}", r.proc) for r in stack.replicas if r.proc
    ]
    for _name, proc in procs:
        if proc.poll() is None:
            proc.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT
    for name, proc in procs:
        try:
            proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            log(f"{name} did not stop in {STOP_TIMEOUT:.0f} s; killing it")
            proc.kill()
            proc.wait()
    if stack.own_prefix:
        shutil.rmtree(stack.prefix, ignore_errors=True)
    log("stopped")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="deploy/serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2, help="Streamlit processes on this machine (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (default 8080)")
    parser.add_argument("--listen", default="127.0.0.1", help="nginx's address (default 127.0.0.1; 0.0.0.0 for all)")
    parser.add_argument("--replica-port", type=int, help="first replica's port (default: --port + 1)")
    parser.add_argument("--replica-host", default="127.0.0.1", help="address the replicas bind (default 127.0.0.1)")
    parser.add_argument(
        "--remote", action="append", default=[], metavar="HOST:PORT", help="a replica on another machine"
    )
    parser.add_argument("--prefix", type=Path, help="nginx prefix (config, logs, web root); default a temp folder")
    parser.add_argument("--no-restart", dest="restart", action="store_false", help="leave a replica that exits down")
    parser.add_argument("--no-warmup", dest="warmup", action="store_false", help="skip the first run on each replica")
    args = parser.parse_args(argv)
    if args.replicas < 1 and not args.remote:
        parser.error("need at least one replica (--replicas N or --remote HOST:PORT)")
    if args.replica_port is None:
        args.replica_port = args.port + 1
    return args


def main(argv: list[str] | None = None) -> int:
    """Start the stack, supervise it until Ctrl-C or SIGTERM, then stop it."""
    args = parse_args(argv)
    nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx_bin).is_file():
        raise SystemExit("nginx is not installed: apt-get install nginx libnginx-mod-http-brotli-filter "
                         "libnginx-mod-http-brotli-static brotli")  # fmt: skip
    ports = [args.port] + [args.replica_port + i for i in range(args.replicas)]
    busy = [p for p in ports if not port_is_free(args.listen if p == args.port else args.replica_host, p)]
    if busy:
        raise SystemExit(f"port(s) already in use: {busy}")

    def on_signal(signum: int, _frame: object) -> None:
        log(f"{signal.Signals(signum).name}: stopping")
        STOPPING.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    own_prefix = args.prefix is None
    prefix = Path(tempfile.mkdtemp(prefix="controlmap-serve-")) if own_prefix else args.prefix.resolve()
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # One secret for all replicas, so a cookie signed by one (XSRF, auth) is valid on the others.
    env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
    stack = Stack(prefix=prefix, own_prefix=own_prefix, env=env)
    try:
        log(f"prefix {prefix}")
        info = prepare_www(stack)
        conf = prefix / "nginx.conf"
        conf.write_text(nginx_config(args, prefix, Path(info["www"]), info["component_name"]), encoding="utf-8")
        nginx_cmd = [nginx_bin, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "logs" / "error.log")]
        check = subprocess.run([*nginx_cmd, "-t", "-q"], capture_output=True, text=True, check=False)
        if check.returncode != 0:
            raise SystemExit(f"nginx rejected {conf}:\n{check.stderr}")

        deadline = time.monotonic() + STARTUP_TIMEOUT
        for i in range(args.replicas):
            replica = Replica(i + 1, args.replica_host, args.replica_port + i, prefix / "logs" / f"replica-{i + 1}.log")
            stack.replicas.append(replica)
            start_replica(stack, replica)
        for replica in stack.replicas:
            wait_until(f"replica {replica.number} health", lambda r=replica: healthy(r.base), deadline, stack)
            if args.warmup:
                warm_up(replica)
        for remote in args.remote:
            state = "healthy" if healthy(f"http://{remote}") else "NOT answering /_stcore/health yet"
            log(f"remote replica {remote}: {state}")

        stack.nginx = subprocess.Popen(
            [*nginx_cmd, "-g", "daemon off;"],
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,  # noqa: PLW1509
        )
        public = f"http://{args.listen}:{args.port}"
        wait_until("nginx", lambda: healthy(public), deadline, stack)
        log(f"nginx: {public} pid {stack.nginx.pid} config {conf} logs {prefix / 'logs'}")
        log(f"ready: {public}/ ({len(stack.replicas)} local replica(s), {len(args.remote)} remote)")

        while not STOPPING.wait(0.5):
            if stack.nginx.poll() is not None:
                log(f"nginx exited with code {stack.nginx.returncode}; stopping")
                return 1
            for replica in stack.replicas:
                code = replica.proc.poll() if replica.proc else None
                if code is None:
                    if replica.recovering and healthy(replica.base, timeout=0.5):
                        replica.recovering = False
                        log(f"replica {replica.number}: healthy again ({replica.base}, restart {replica.restarts})")
                    continue
                if replica.died_at is None:
                    replica.died_at = time.monotonic()
                    what = "restarting it" if args.restart else "left down (--no-restart)"
                    log(f"replica {replica.number} ({replica.base}) exited with code {code}; "
                        f"nginx sends its readers to the others; {what}")  # fmt: skip
                # A replica that keeps crashing is retried less and less often.
                delay = min(RESTART_DELAY * 2**replica.restarts, MAX_RESTART_DELAY)
                if args.restart and time.monotonic() - replica.died_at >= delay:
                    replica.restarts += 1
                    replica.recovering = True
                    start_replica(stack, replica)
        return 0
    finally:
        stop(stack)


if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    sys.exit(main())
