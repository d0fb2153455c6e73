"""What the real-browser tests share: Debian's chromium, and a JupyterLab server of their own.

A fresh JupyterLab (random free port, random token, its own config, settings and workspace
directories) serves copies of notebooks from a temporary directory; ``serve_notebooks`` starts it
and always stops it, with its kernels. Without chromium (or playwright) a browser test is skipped,
except when the environment variable CI is set: a CI machine must run it, so there it fails instead.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SERVER_START_TIMEOUT = 60  # seconds
KERNEL_IDLE = """() => {
    const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const context = panel && panel.sessionContext;
    return !!(context && context.isReady && context.session && context.session.kernel
              && context.session.kernel.status === "idle");
}"""


def in_ci() -> bool:
    """True when the environment variable CI is set (CI=true on CI services; "", 0, false, no: unset)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where the browser test must run."""
    if in_ci():
        pytest.fail(f"{reason}; CI is set, so the browser test must run (install it: apt-get "
                    f"install chromium)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """Every process started by ``pid`` (children, grandchildren, ...), read from /proc."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class LabServer:
    """A JupyterLab server of our own, in a directory of our own; ``stop()`` ends it and its kernels."""

    def __init__(self, root: Path, home: Path) -> None:
        self.port, self.token = free_port(), secrets.token_hex(24)
        self.url = f"http://127.0.0.1:{self.port}"
        config = home / "config"
        (config / "labconfig").mkdir(parents=True)
        # No "news" toast over the page, and no update check (no internet on a projector laptop).
        (config / "labconfig" / "page_config.json").write_text(json.dumps(
            {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
        # One BLAS thread for the kernel: this test compares no printed numbers, and on a busy
        # 2-core machine a second BLAS thread waiting for a core makes each of the lab's small
        # matrix products many times slower (the notebook took ~70 s instead of ~15 s).
        env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config),
               "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "IPYTHONDIR": str(home / "ipython"),
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        env.pop("JUPYTER_TOKEN", None)
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
                   f"--port={self.port}", "--port-retries=0", f"--ServerApp.token={self.token}",
                   f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
                   "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                   f"--LabApp.user_settings_dir={home / 'settings'}",
                   f"--LabApp.workspaces_dir={home / 'workspaces'}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        self.log_path = home / "jupyterlab.log"
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, cwd=root, env=env, stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self._kernel_pids: set[int] = set()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def _request(self, path: str, method: str = "GET", timeout: float = 5):
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"JupyterLab exited with code {self.process.returncode}:\n{self.log()}")
            try:
                if self._request("/api/status")[0] == 200:
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        pytest.fail(f"JupyterLab did not answer within {SERVER_START_TIMEOUT} s:\n{self.log()}")

    def stop(self) -> None:
        """Ask the server to shut down (it stops its kernels), then make sure everything ended."""
        if self.process.poll() is None:
            self._kernel_pids.update(descendants(self.process.pid))
            try:
                self._request("/api/shutdown", method="POST")
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGTERM)
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait(timeout=10)
        for pid in self._kernel_pids:  # only processes this server started
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self._log.close()


@contextmanager
def serve_notebooks(notebooks: list[Path], tmp_path_factory) -> Iterator[LabServer]:
    """A fresh JupyterLab serving copies of ``notebooks``; skipped (failed in CI) without chromium."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"chromium not found at {CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("the Python package playwright is not installed")
    root = tmp_path_factory.mktemp("notebooks")
    for notebook in notebooks:
        shutil.copy(notebook, root / notebook.name)
    server = LabServer(root, tmp_path_factory.mktemp("jupyter"))
    try:
        server.wait_until_ready()
        yield server
    finally:
        server.stop()


def open_notebook(browser, server: LabServer, name: str):
    """A page of ``browser`` (a playwright context) showing notebook ``name``, its kernel idle."""
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.goto(f"{server.url}/lab/tree/{name}?token={server.token}")
    page.wait_for_function(KERNEL_IDLE, timeout=60_000)
    return page


def run_all_cells(page, timeout: int) -> str:
    """Run every cell of the open notebook; "done: true", "done: false" (a cell raised) or
    "failed: ..." once the last cell has run. ``timeout`` in milliseconds."""
    page.evaluate("""() => {
        window.__runAll = "running";
        window.jupyterapp.commands.execute("notebook:run-all-cells").then(
            (ok) => { window.__runAll = "done: " + ok; },
            (err) => { window.__runAll = "failed: " + err; });
    }""")
    page.wait_for_function("() => window.__runAll !== 'running'", timeout=timeout)
    return page.evaluate("() => window.__runAll")


def launch_chromium(playwright, profile: Path, viewport: dict):
    """Debian's chromium, headless, with a fresh profile in ``profile`` and a ``viewport`` of
    ``{"width": ..., "height": ...}`` pixels (a playwright browser context; close it when done)."""
    return playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, viewport=viewport)
