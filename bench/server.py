"""The production server under test: ``tradepost serve`` (gunicorn) as a child process.

It runs exactly as an operator would run it (production settings, static files collected,
access log on), bound to a free port on 127.0.0.1, and is always stopped, even when a phase fails.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from bench.database import REPO_ROOT, tradepost_command

START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 25.0  # gunicorn's graceful timeout is 20 s
POLL_SECONDS = 0.2


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@contextlib.contextmanager
def running_server(*, database_url: str, workers: int, log_path: Path) -> Iterator[str]:
    """Start gunicorn, wait until ``/healthz`` answers, yield its base URL; stop it afterwards."""
    base_url = f"http://127.0.0.1:{_free_port()}"
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TRADEPOST_ENV": "production",
        "TRADEPOST_PUBLIC_URL": base_url,
        "TRADEPOST_SECRET_KEY": secrets.token_urlsafe(50),
        "TRADEPOST_ALLOWED_HOSTS": "127.0.0.1",
        "TRADEPOST_SSL_REDIRECT": "false",
    }
    command = [
        *tradepost_command(),
        "serve",
        "--bind",
        base_url.removeprefix("http://"),
        "--workers",
        str(workers),
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        # A session of its own: Ctrl-C reaches the bench, which then stops the server in order.
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_healthy(process, base_url, log_path)
            yield base_url
        finally:
            _stop(process)


def _wait_until_healthy(process: subprocess.Popen[bytes], base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    with httpx.Client(base_url=base_url, timeout=2.0) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(
                    f"the server exited with {process.returncode}:\n{_tail(log_path)}"
                )
            with contextlib.suppress(httpx.TransportError):
                if client.get("/healthz").status_code == 200:
                    return
            time.sleep(POLL_SECONDS)
    raise RuntimeError(f"no answer from {base_url}/healthz in {START_TIMEOUT_SECONDS:.0f} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM lets gunicorn finish in-flight requests; SIGKILL the group if it does not."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
