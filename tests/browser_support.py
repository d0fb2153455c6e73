"""The harness of the real-browser tests: a notebook run in JupyterLab, in Debian's chromium.

``notebook_in_lab`` does what every browser test starts with, as a teacher would before class:
serve a copy of the notebook from a fresh JupyterLab of its own (random free port, random token,
its own config, settings and workspace directories under the test's temporary directory), open it
in headless chromium driven by playwright, give it the whole width, run all cells and wait until
the kernel is idle. It hands the test the page and the outcome of Run All, and always closes the
browser and stops the server with every process it started (psutil finds them).

Without chromium (or playwright) a browser test is skipped, except when the environment variable
CI is set: a CI machine must run it, so there it fails instead.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import blas_threads
import psutil
import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SERVER_START_TIMEOUT = 60  # seconds
NOTEBOOK_OPEN_TIMEOUT = 60_000  # milliseconds, until the notebook's kernel is idle
STDERR = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
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
        # One BLAS thread for the kernel: these tests compare no printed numbers, and on a busy
        # 2-core machine a second BLAS thread waiting for a core makes each of the labs' small
        # matrix products many times slower (notebook 09 took ~70 s instead of ~15 s).
        env = {**os.environ, **blas_threads.environment(1), "JUPYTER_CONFIG_DIR": str(config),
               "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "IPYTHONDIR": str(home / "ipython")}
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
        """Ask the server to shut down (it stops its kernels), then end whatever it started that
        is still running: its process tree as it was, each process checked by psutil to be the
        same one (not a new process that reuses a number)."""
        started: list[psutil.Process] = []
        if self.process.poll() is None:
            try:
                started = psutil.Process(self.process.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                pass
            try:
                self._request("/api/shutdown", method="POST")
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
        for process in started:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(started, timeout=10)
        self._log.close()


@contextmanager
def serve_notebooks(files: Sequence[Path], tmp_path: Path) -> Iterator[LabServer]:
    """A fresh JupyterLab serving copies of ``files`` from ``tmp_path/notebooks``; always stopped."""
    root, home = tmp_path / "notebooks", tmp_path / "jupyter"
    root.mkdir()
    home.mkdir()
    for file in files:
        shutil.copy(file, root / file.name)
    server = LabServer(root, home)
    try:
        server.wait_until_ready()
        yield server
    finally:
        server.stop()


def launch_chromium(playwright, profile: Path, viewport: dict):
    """Debian's chromium, headless, with a fresh profile in ``profile`` and a ``viewport`` of
    ``{"width": ..., "height": ...}`` pixels (a playwright browser context; close it when done)."""
    return playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, viewport=viewport)


def open_notebook(browser, server: LabServer, name: str):
    """A page of ``browser`` (a playwright context) showing notebook ``name``, its kernel idle."""
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.goto(f"{server.url}/lab/tree/{name}?token={server.token}")
    page.wait_for_function(KERNEL_IDLE, timeout=NOTEBOOK_OPEN_TIMEOUT)
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


@dataclass
class NotebookInLab:
    """A notebook after Run All in JupyterLab: what a browser test works with."""

    server: LabServer
    browser: object  # the playwright browser context (its tabs: browser.pages)
    page: object     # the playwright page showing the notebook
    run_all: str     # "done: true", "done: false" (a cell raised) or "failed: ..."

    def errors(self) -> str:
        """The notebook's error outputs (stderr, tracebacks), for an assertion's message."""
        texts = self.page.locator(STDERR).all_inner_texts()
        return "\n".join(text[-1500:] for text in texts) or "(no error output)"


@contextmanager
def notebook_in_lab(notebook: Path, tmp_path: Path, *, viewport: dict, run_all_timeout: int,
                    also: Sequence[Path] = ()) -> Iterator[NotebookInLab]:
    """Serve a copy of ``notebook`` (and of the files ``also`` names) in a fresh JupyterLab, open
    it in headless chromium with a ``viewport`` of ``{"width": ..., "height": ...}`` pixels, close
    the left sidebar, run all cells (``run_all_timeout`` milliseconds at most) and wait until the
    kernel is idle again. The test then checks the outcome (``run_all``, ``errors()``) and works
    with the page; the browser and the server are closed afterwards, whatever happens.

    Skipped without chromium or playwright (failed when the environment variable CI is set)."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Python package playwright is not installed")
    with serve_notebooks([notebook, *also], tmp_path) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright, tmp_path / "chromium-profile", viewport)
        try:
            page = open_notebook(browser, server, notebook.name)
            page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
            result = run_all_cells(page, run_all_timeout)
            page.wait_for_function(KERNEL_IDLE, timeout=run_all_timeout)
            yield NotebookInLab(server, browser, page, result)
        finally:
            browser.close()
