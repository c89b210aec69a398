"""Start the dashboard and the floor app under gunicorn exactly as the Procfile does, on a free loopback port.

The command is read from the Procfile's ``web:`` line, so the benchmark always measures what production runs (same
workers, threads, timeouts); only the application (``app:server`` or ``bench.floor_app:server``), the port and the
bind address (127.0.0.1 instead of 0.0.0.0, so nothing is exposed while measuring) are substituted.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD_APP = "app:server"
FLOOR_APP = "bench.floor_app:server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def procfile_command(procfile: Path = ROOT / "Procfile") -> str:
    for line in procfile.read_text(encoding="utf-8").splitlines():
        if line.startswith("web:"):
            return line.removeprefix("web:").strip()
    raise RuntimeError(f"no web: line in {procfile}")


class GunicornServer:
    """One gunicorn master with its workers; ``with`` stops it (SIGTERM, then SIGKILL) whatever happens."""

    def __init__(self, app_spec: str, env: dict[str, str], log_path: Path, python_bin: Path, root: Path = ROOT):
        """``root``: the project folder to serve (its Procfile's command); another commit's for ``bench.ab``."""
        self.port = free_port()
        command = procfile_command(root / "Procfile")
        if DASHBOARD_APP not in command:
            raise RuntimeError(f"the Procfile command does not serve {DASHBOARD_APP}: {command}")
        command = command.replace(DASHBOARD_APP, app_spec, 1).replace("0.0.0.0", "127.0.0.1")
        self.command = command
        self.base_url = f"http://127.0.0.1:{self.port}"
        full_env = {**os.environ, **env, "PORT": str(self.port)}
        # gunicorn from the same environment as this Python (the venv), first on PATH.
        full_env["PATH"] = f"{python_bin.parent}{os.pathsep}{full_env.get('PATH', '')}"
        self.log = open(log_path, "wb")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            ["sh", "-c", f"exec {command}"], cwd=root, env=full_env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_ready(self, timeout: float = 180.0) -> float:
        """Seconds until the app answers GET / (each worker loads the data first)."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base_url + "/", timeout=5) as response:
                    if response.status == 200 and len(self.workers()) >= 1:
                        return time.monotonic() - start
            except OSError:
                pass
            time.sleep(0.25)
        raise TimeoutError(f"{self.base_url} did not answer within {timeout} s; see {self.log.name}")

    def workers(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.process.pid).children()
        except psutil.NoSuchProcess:
            return []

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for worker in self.workers():
            try:
                sizes.append(round(worker.memory_info().rss / 1e6, 1))
            except psutil.NoSuchProcess:
                continue
        return sizes

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()

    def __enter__(self) -> GunicornServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
