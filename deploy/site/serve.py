"""Serve a published site (``python -m geo publish --out DIR``) with nginx on loopback, as the current user.

Usage:

    python3 deploy/site/serve.py DIR [--port 8090] [--listen 127.0.0.1] [--prefix PREFIX]

It compresses the site's text files where that was not done at publish (deploy/site/precompress.py),
fills deploy/site/nginx.conf.template into a temporary prefix (or ``--prefix``), starts nginx there
with ``daemon off``, waits until it answers and logs one line
``site: http://HOST:PORT/ pid N config PATH logs PATH``. Ctrl-C or SIGTERM stops nginx and removes
the temporary prefix. For a server of your own, ``--print-config`` prints the filled configuration.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy.site.precompress import precompress  # noqa: E402 - after the path is set

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
BROTLI_MODULES = (
    "/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so",
    "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so",
)
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
STARTUP_TIMEOUT = 20.0


def log(message: str) -> None:
    """One line to stdout, flushed (tests read it as it comes)."""
    print(f"[site {time.strftime('%H:%M:%S')}] {message}", flush=True)


def nginx_config(site: Path, prefix: Path, listen: str) -> str:
    """Fill deploy/site/nginx.conf.template for this folder and prefix."""
    text = TEMPLATE.read_text(encoding="utf-8")
    brotli = all(Path(m).is_file() for m in BROTLI_MODULES)
    modules = "\n".join(f"load_module {m};" for m in BROTLI_MODULES) if brotli else "# brotli modules not installed"
    if brotli:
        text = text.replace("#@brotli ", "")
    # As root, nginx would hand its workers to "nobody", who cannot read a private temp prefix.
    user = f"user {os.environ.get('USER') or 'root'};" if os.geteuid() == 0 else "# running as the current user"
    values = {
        "@LOAD_MODULES@": modules,
        "@USER@": user,
        "@PREFIX@": str(prefix),
        "@ROOT@": str(site),
        "@LISTEN@": listen,
    }
    for name, value in values.items():
        text = text.replace(name, value)
    return text


def answers(url: str) -> bool:
    """True when ``url`` answers with any HTTP status."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def check_site(site: Path) -> str | None:
    """Why ``site`` cannot be served, or None."""
    if not site.is_dir():
        return f"{site} is not a folder; publish one first: python -m geo publish --out {site}"
    if not (site / "index.html").is_file():
        return f"{site} has no index.html; is it a folder written by python -m geo publish?"
    return None


def main(argv: list[str] | None = None) -> int:
    """Serve the folder until Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the folder written by python -m geo publish --out")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--listen", default="127.0.0.1", help="address to listen on (default loopback)")
    parser.add_argument("--prefix", type=Path, help="nginx's prefix folder (default: a temporary one)")
    parser.add_argument("--print-config", action="store_true", help="print the nginx configuration and exit")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    if (why := check_site(site)) is not None:
        print(f"error: {why}", file=sys.stderr)
        return 2
    own_prefix = args.prefix is None
    prefix = Path(tempfile.mkdtemp(prefix="controlmap-site-")) if own_prefix else args.prefix.resolve()
    listen = f"{args.listen}:{args.port}"
    config = nginx_config(site, prefix, listen)
    if args.print_config:
        print(config)
        if own_prefix:
            shutil.rmtree(prefix, ignore_errors=True)
        return 0
    started = time.monotonic()
    count = precompress(site)
    log(f"{count} files precompressed (or already were) in {time.monotonic() - started:.1f} s")
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        prefix.chmod(0o755)
    conf = prefix / "nginx.conf"
    conf.write_text(config, encoding="utf-8")
    command = [NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "logs" / "error.log"), "-g", "daemon off;"]
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    stop = {"now": False}

    def on_signal(signum: int, frame: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    host = "127.0.0.1" if args.listen in ("0.0.0.0", "::") else args.listen
    base = f"http://{host}:{args.port}/"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not answers(base):
            if proc.poll() is not None or time.monotonic() > deadline:
                error_log = (prefix / "logs" / "error.log").read_text(errors="replace")[-2000:]
                print(f"error: nginx did not start on {listen}:\n{error_log}", file=sys.stderr)
                return 1
            time.sleep(0.1)  # polling a port that is not open yet
        log(f"site: {base} pid {proc.pid} config {conf} logs {prefix / 'logs'}")
        while not stop["now"] and proc.poll() is None:
            time.sleep(0.2)
        return 0 if stop["now"] else 1
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGQUIT)  # graceful: finish the requests in flight
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if own_prefix:
            shutil.rmtree(prefix, ignore_errors=True)
        log("stopped")


if __name__ == "__main__":
    sys.exit(main())
