"""The learning-rate lab in a real browser: JupyterLab driven through Debian's chromium by playwright.

A fresh JupyterLab (random free port, random token, its own config, settings and workspace
directories) serves a copy of notebooks/09_learning_rate_lab.ipynb from a temporary directory. The
test runs all cells, moves the learning-rate slider with the keyboard, clicks Train, waits for the
figure and the table to change, checks the new run's row and saves a screenshot under tmp_path.

Without chromium (or playwright) the test is skipped, except when the environment variable CI is
set: a CI machine must run it, so there it fails instead.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "09_learning_rate_lab.ipynb"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SERVER_START_TIMEOUT = 60  # seconds
RUN_ALL_TIMEOUT = 180_000  # milliseconds: the notebook takes ~30 s; leave room for a busy machine
TRAIN_TIMEOUT = 60_000     # milliseconds: a default Train click takes ~1-3 s
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


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    """A fresh JupyterLab serving a copy of the notebook; always stopped at the end."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"chromium not found at {CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("the Python package playwright is not installed")
    root = tmp_path_factory.mktemp("notebooks")
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    server = LabServer(root, tmp_path_factory.mktemp("jupyter"))
    try:
        server.wait_until_ready()
        yield server
    finally:
        server.stop()


def test_learning_rate_lab_in_jupyterlab(lab_server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
            headless=True, viewport={"width": 1400, "height": 1600})
        try:
            page = browser.pages[0] if browser.pages else browser.new_page()
            page.goto(f"{lab_server.url}/lab/tree/{NOTEBOOK.name}?token={lab_server.token}")
            # The notebook is open and its kernel has started and is idle.
            page.wait_for_function(KERNEL_IDLE, timeout=60_000)
            page.evaluate("() => window.jupyterapp.commands.execute('application:toggle-left-area')")

            # Run all cells; the command's promise settles when the last cell has run.
            page.evaluate("""() => {
                window.__runAll = "running";
                window.jupyterapp.commands.execute("notebook:run-all-cells").then(
                    (ok) => { window.__runAll = "done: " + ok; },
                    (err) => { window.__runAll = "failed: " + err; });
            }""")
            page.wait_for_function("() => window.__runAll !== 'running'", timeout=RUN_ALL_TIMEOUT)
            result = page.evaluate("() => window.__runAll")
            errors = page.evaluate("""() => [...document.querySelectorAll(
                ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")]
                .map((e) => e.innerText.slice(-1500))""")
            assert result == "done: true", f"Run All ended with {result!r}; errors:\n" + "\n".join(errors)
            page.wait_for_function(KERNEL_IDLE, timeout=RUN_ALL_TIMEOUT)
            expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(1)
            expect(page.locator(".jp-OutputArea-output[data-mime-type="
                                "'application/vnd.jupyter.stderr']")).to_have_count(0)

            lab = page.locator(".learning-rate-lab")
            expect(lab).to_have_count(1)
            lab.scroll_into_view_if_needed()
            rows = lab.locator(".lab-table tr.lab-run")
            expect(rows).to_have_count(2)  # the notebook's two runs: lr 0.1 and lr 10
            figure = lab.locator(".lab-figure img")
            expect(figure).to_have_count(1)
            old_figure = figure.get_attribute("src")

            # Five steps of 0.1 in log10: from 0.1 to 10**-0.5 = 0.316.
            readout = lab.locator(".lab-lr .widget-readout")
            expect(readout).to_have_text("0.1")
            lab.locator(".lab-lr .noUi-handle").focus()
            for _ in range(5):
                page.keyboard.press("ArrowRight")
            expect(readout).to_have_text("0.316")

            train = lab.locator("button.lab-train")
            expect(train).to_be_enabled()
            train.click()
            expect(rows).to_have_count(3, timeout=TRAIN_TIMEOUT)
            row = rows.nth(2)
            expect(row).to_have_attribute("data-run", "3")
            expect(row.locator("td").nth(1)).to_have_text("0.316")  # the learning rate
            expect(row.locator("td").nth(8)).to_have_text(re.compile(r"^\d{1,3}\.\d%$"))  # accuracy
            expect(row.locator("td").last).to_have_text("trained")
            expect(figure).not_to_have_attribute("src", old_figure)
            expect(lab.locator(".lab-status")).to_contain_text("Run 3: trained")
            expect(train).to_be_enabled()

            shot = tmp_path / "learning_rate_lab.png"
            lab.screenshot(path=str(shot))
            print(f"screenshot of the learning-rate lab: {shot}")
            assert shot.stat().st_size > 10_000

            gd_lab = page.locator(".gradient-descent-lab")
            expect(gd_lab.locator(".gd-figure img")).to_have_count(1)
            gd_lab.screenshot(path=str(tmp_path / "gradient_descent_lab.png"))
            print(f"screenshot of the gradient-descent lab: {tmp_path / 'gradient_descent_lab.png'}")
        finally:
            browser.close()
