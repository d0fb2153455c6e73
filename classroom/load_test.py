"""A class on this machine, simulated: N students use the course's JupyterHub at the same time.

    python classroom/load_test.py                 # 10 students
    python classroom/load_test.py --students 30   # a full class

It starts JupyterHub with ``classroom/jupyterhub_config.py`` on 127.0.0.1 (free ports, state in a
temporary folder), changing only what a test must: a local-process spawner with a home folder per
student under the temporary folder, and passwords made at random for this run. Then every student,
all at once, over HTTP like a browser would:

1. logs in with the student password and starts a server;
2. opens the course's nbgitpuller link, which pulls the course from a local copy of this
   repository (its committed HEAD, fetched into a bare repository in the temporary folder);
3. opens notebook 04 from their home, starts its kernel (a session, as JupyterLab does) and runs
   every code cell, top to bottom, through the kernel's websocket API, then one learning-rate
   experiment (``run_lr_experiment``) as in the lab;
4. hands in an answer to each of 04's exercises and its exit ticket, following :data:`PLAN`: some
   right, some with a deliberate mistake, some questions left unanswered. Every check is recorded
   by the class's progress service (``progress_service.py``), which the kernel reaches with the
   student's own token.

Then the teacher logs in and reads the progress service's table of notebook 04 (its JSON), and
the run checks what must be refused: a student's kernel posting results for another student, a
malformed and an oversized body (from student01's kernel, with its own token), and a student
opening the teacher's page.

The kernel protocol is jupyter-kernel-client's (``JupyterKernelClient``: Jupyter's messages over
the server's kernel websocket, with the student's log-in cookie). The report: students that
finished, time until the last one finished, cell latency (p50, p95), memory per student (USS and
PSS of the kernel and of the server, from psutil's ``memory_full_info()``) and the memory of the
hub, the proxy and the idle culler; the progress service's table of notebook 04, and the answers
to the refused requests. Everything it starts is stopped at the end, also on an error, Ctrl-C or
SIGTERM. It talks only to 127.0.0.1. Exit status 0 when every student finished without an error.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil
import requests
from jupyter_kernel_client import JupyterKernelClient

from nbgitpuller_link import default_targetpath, nbgitpuller_link

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
BIN = Path(sys.executable).parent
NOTEBOOK = "notebooks/04_three_layer_forward_pass.ipynb"
LAB_CELL = """\
from mnist_lib.experiments import run_lr_experiment
history = run_lr_experiment(0.1, data=((x_train, t_train), (x_test, t_test))).history
print(f"learning rate 0.1: validation accuracy {history.val_acc[-1]:.3f}, diverged {history.diverged}")
"""

# --- what the students hand in: 04's four exercises and its exit ticket ---------------------------

#: Each answer: (the mistake the check must name, or None for a right answer; the code).
ANSWERS = {
    "forward_by_hand": {
        "R": (None, """\
def my_forward(network, x):
    z1 = sigmoid(x @ network["W1"] + network["b1"])
    z2 = sigmoid(z1 @ network["W2"] + network["b2"])
    return z2 @ network["W3"] + network["b3"]
check_forward_by_hand(my_forward)"""),
        "b": ("missing-biases", """\
def my_forward(network, x):
    z1 = sigmoid(x @ network["W1"])
    z2 = sigmoid(z1 @ network["W2"])
    return z2 @ network["W3"]
check_forward_by_hand(my_forward)"""),
        "s": ("sigmoid-at-output", """\
def my_forward(network, x):
    z1 = sigmoid(x @ network["W1"] + network["b1"])
    z2 = sigmoid(z1 @ network["W2"] + network["b2"])
    return sigmoid(z2 @ network["W3"] + network["b3"])
check_forward_by_hand(my_forward)""")},
    "practice_forward": {
        "R": (None, """\
def practice_forward(network, x, output):
    z = x
    for i in range(1, 6):
        z = (sigmoid if i <= 3 else relu)(z @ network[f"W{i}"] + network[f"b{i}"])
    return output(z @ network["W6"] + network["b6"])
check_practice_forward(practice_forward)"""),
        "r": ("relu-at-output", """\
def practice_forward(network, x, output):
    z = x
    for i in range(1, 6):
        z = (sigmoid if i <= 3 else relu)(z @ network[f"W{i}"] + network[f"b{i}"])
    return output(relu(z @ network["W6"] + network["b6"]))
check_practice_forward(practice_forward)"""),
        "3": ("missing-bias", """\
def practice_forward(network, x, output):
    z = x
    for i in range(1, 6):
        z = (sigmoid if i <= 3 else relu)(z @ network[f"W{i}"] + (0 if i == 3 else network[f"b{i}"]))
    return output(z @ network["W6"] + network["b6"])
check_practice_forward(practice_forward)""")},
    "batch_shapes": {
        "R": (None, """check_batch_shapes({"X": (100, 784), "A1": (100, 50), "Z1": (100, 50),
                    "A2": (100, 100), "Z2": (100, 100), "A3": (100, 10), "Y": (100, 10)})"""),
        "d": ("batch-axis-dropped", """check_batch_shapes({"X": (784,), "A1": (50,), "Z1": (50,),
                    "A2": (100,), "Z2": (100,), "A3": (10,), "Y": (10,)})"""),
        "w": ("weight-shape", """check_batch_shapes({"X": (100, 784), "A1": (784, 50), "Z1": (784, 50),
                    "A2": (100, 100), "Z2": (100, 100), "A3": (100, 10), "Y": (100, 10)})""")},
    "batch_accuracy": {
        "R": (None, "check_batch_accuracy(lambda y, t: np.mean(np.argmax(y, axis=1) == t))"),
        "c": ("count-not-fraction", "check_batch_accuracy(lambda y, t: np.sum(np.argmax(y, axis=1) == t))"),
        "p": ("percent", "check_batch_accuracy(lambda y, t: 100 * np.mean(np.argmax(y, axis=1) == t))")},
    # the exit ticket: question number -> the answer ("-": left unanswered)
    "exit_1": {"R": (None, 45200), "c": ("counts-biases", 45360), "a": ("adds-sizes", 944)},
    "exit_2": {"R": (None, "b"), "s": ("rows-and-columns-swapped", "c")},
    "exit_3": {"R": (None, "B"), "-": (None, None)},
}
#: Student k (from 1) hands in ANSWERS[exercise][PLAN[exercise][(k - 1) % 10]]: a class of ten
#: meets every case, each exercise with one most common mistake, and the first three students
#: already differ (the browser test's class).
PLAN = {
    "forward_by_hand": "RbsRRbRbsR",
    "practice_forward": "RrR3rrR3rr",
    "batch_shapes": "RdRRwdRdRR",
    "batch_accuracy": "cRpcRcRpcR",
    "exit_1": "RcaRcRRcaR",
    "exit_2": "RRsRRRRRRR",
    "exit_3": "R-R-R-R-R-",
}
ANSWERS_HEADER = """\
import numpy as np
from mnist_lib import relu, sigmoid
from mnist_lib.checks import (check_batch_accuracy, check_batch_shapes, check_exit_ticket,
                              check_forward_by_hand, check_practice_forward)
"""


def plan_for(k: int) -> dict[str, str]:
    """What student k (from 1) hands in: the key of their answer to each exercise."""
    return {exercise: keys[(k - 1) % len(keys)] for exercise, keys in PLAN.items()}


def answers_cell(k: int) -> str:
    """The cell student k runs after the notebook: an answer to every exercise and the ticket."""
    plan = plan_for(k)
    code = [ANSWERS_HEADER]
    code += [ANSWERS[exercise][plan[exercise]][1] for exercise in PLAN if not exercise.startswith("exit_")]
    ticket = {int(q[5:]): ANSWERS[q][plan[q]][1] for q in PLAN if q.startswith("exit_")}
    code.append(f'check_exit_ticket("04", {ticket!r})')
    return "\n".join(code)


#: Run in student01's kernel: posts with the kernel's own token that the service must refuse.
PROBE_CELL = """\
import json, os, urllib.error, urllib.request

def _post(body):
    request = urllib.request.Request(os.environ["MNIST_LIB_PROGRESS_URL"], data=body, method="POST",
        headers={"Authorization": "token " + os.environ["JUPYTERHUB_API_TOKEN"],
                 "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code

_result = {"notebook": "04", "exercise": "batch_accuracy", "passed": True, "last_passed": True,
           "tries": 99, "mistake": None, "hint": None, "first_at": "2026-01-01T00:00:00+00:00",
           "passed_at": "2026-01-01T00:00:00+00:00", "last_at": "2026-01-01T00:00:00+00:00"}
print(json.dumps({
    "forged": _post(json.dumps({"user": "student04", "results": [_result]}).encode()),
    "malformed": _post(b'{"results": [{"notebook": "04"'),
    "oversized": _post(json.dumps({"results": [dict(_result, hint="x" * 500)] * 120}).encode()),
}))
"""
LOADS_MNIST = re.compile(r"\bload_mnist\(")
HOST = "127.0.0.1"
HTTP_TIMEOUT = 120  # seconds for one HTTP request (a spawn or a pull under a full class's load)
CELL_TIMEOUT = 300  # seconds for one cell


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now (the OS picks it)."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def memory(pid: int) -> dict[str, float]:
    """USS (the pages only this process holds), PSS (shared pages split between their users), RSS
    and peak RSS of a process in bytes, and the CPU seconds it has used so far.

    A file's pages mapped by one process only count in its USS, even when they are the page
    cache of a file the next process will share (the first kernel to map the MNIST cache)."""
    process = psutil.Process(pid)
    with process.oneshot():
        full = process.memory_full_info()
        cpu = process.cpu_times()
    return {"uss": full.uss, "pss": full.pss, "rss": full.rss, "peak_rss": peak_rss(pid),
            "cpu_seconds": cpu.user + cpu.system}


def peak_rss(pid: int) -> int:
    """The most memory the process has held at once (its resident set's high-water mark) in
    bytes: Linux's VmHWM, which psutil (7.2) does not report."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise OSError(f"/proc/{pid}/status has no VmHWM line")


@dataclass
class Student:
    """One simulated student: what they did, when (seconds since the class started) and what it cost."""

    name: str
    finished: bool = False
    error: str | None = None
    logged_in: float | None = None
    server_ready: float | None = None
    pulled: float | None = None
    kernel_ready: float | None = None
    done: float | None = None
    cells_run: int = 0
    cell_errors: list[str] = field(default_factory=list)
    cell_seconds: list[float] = field(default_factory=list)
    lab_output: str = ""
    answers_output: str = ""
    probe: dict = field(default_factory=dict)
    kernel_pid: int | None = None
    server_pid: int | None = None
    kernel_after_load: dict[str, float] = field(default_factory=dict)
    kernel_end: dict[str, float] = field(default_factory=dict)
    server_end: dict[str, float] = field(default_factory=dict)


def connect_kernel(server_url: str, kernel_id: str, cookie: str) -> JupyterKernelClient:
    """A client of a running kernel of the server at ``server_url``, through the server's kernel
    websocket (the channels JupyterLab uses) with a student's log-in ``cookie``, ready to execute:
    it waits until the kernel answers (it may still be starting)."""
    kernel = JupyterKernelClient(server_url=server_url, token=None, kernel_id=kernel_id,
                                 headers={"Cookie": cookie}, client_kwargs={"timeout": HTTP_TIMEOUT})
    try:
        kernel.start()  # connects only: the kernel was started by the server, and stays its own
        deadline = time.monotonic() + HTTP_TIMEOUT
        while True:
            try:
                kernel.kernel_info  # noqa: B018 (asks until the kernel replies, 30 s a try)
                return kernel
            except TimeoutError:
                if time.monotonic() > deadline:
                    raise
    except BaseException:
        kernel.stop()
        raise


def kernel_pid(kernel: JupyterKernelClient) -> int:
    """The kernel's process id, asked silently (no cell in the student's history)."""
    reply = kernel.execute_interactive("", silent=True, store_history=False, timeout=CELL_TIMEOUT,
                                       user_expressions={"pid": "__import__('os').getpid()"},
                                       output_hook=lambda message: None)
    return int(reply["content"]["user_expressions"]["pid"]["data"]["text/plain"])


def run_cell(kernel: JupyterKernelClient, process: psutil.Process,
             code: str) -> tuple[str, list[str], str]:
    """Run one cell: (reply status, errors as "Name: value", standard output). ``process`` is the
    kernel's: when no reply comes, it tells whether the kernel died."""
    try:
        reply = kernel.execute(code, timeout=CELL_TIMEOUT)
    except (TimeoutError, RuntimeError) as err:
        if not process.is_running():
            raise RuntimeError("the kernel died (out of memory?)") from err
        raise
    outputs = reply["outputs"]
    errors = [f"{o['ename']}: {o['evalue']}" for o in outputs if o["output_type"] == "error"]
    stdout = "".join(o["text"] for o in outputs
                     if o["output_type"] == "stream" and o["name"] == "stdout")
    return reply["status"], errors, stdout


def probe(kernel: JupyterKernelClient, process: psutil.Process) -> dict:
    """What the service answers the posts of PROBE_CELL (HTTP status codes, by name)."""
    status, errors, stdout = run_cell(kernel, process, PROBE_CELL)
    return json.loads(stdout) if status == "ok" and not errors else {"error": errors}


class Class:
    """A running JupyterHub with the course, and everything it started; ``stop()`` ends them all.

    ``whole_notebook``: each student runs notebook 04 and the lab before the answers (the load
    test); False: only the answers (the browser test's quick class)."""

    def __init__(self, workdir: Path, students: int, repo: Path, whole_notebook: bool = True):
        self.whole_notebook = whole_notebook
        self.workdir = workdir
        self.state = workdir / "state"
        self.state.mkdir(mode=0o700)
        self.url = f"http://{HOST}:{free_port()}"
        self.student_password = secrets.token_urlsafe(18)
        self.admin_password = secrets.token_urlsafe(36)
        # the config keeps what it finds here: this run's passwords, never a fixed one
        for name, value in (("student-password", self.student_password),
                            ("admin-password", self.admin_password)):
            (self.state / name).write_text(value)
            (self.state / name).chmod(0o600)
        self.link = nbgitpuller_link(self.url, str(repo), "main", path=NOTEBOOK)
        self.notebook_path = f"{default_targetpath(str(repo))}/{NOTEBOOK}"
        self.students = [Student(f"student{i:02d}") for i in range(1, students + 1)]
        self.progress_port = free_port()
        self.progress_url = f"{self.url}/services/progress"
        self.log_path = workdir / "jupyterhub.log"
        self.processes: dict[int, psutil.Process] = {}
        self.hub: subprocess.Popen | None = None
        self._stopped = False

    def start(self, timeout: float = 120) -> None:
        env = {**os.environ, "CLASSROOM_STATE_DIR": str(self.state), "CLASSROOM_BIND_URL": self.url,
               "CLASSROOM_MNIST_CACHE": str(self.workdir / "mnist-cache"), "CLASSROOM_ADMINS": "teacher",
               "CLASSROOM_RUNTIME_DIR": str(self.workdir / "run"),
               "CLASSROOM_PROGRESS_PORT": str(self.progress_port)}
        config = HERE / "jupyterhub_config.py"
        if os.geteuid() == 0:  # the simple spawner runs every server as this user: here, root
            config = self.workdir / "jupyterhub_config_as_root.py"
            config.write_text(f"load_subconfig({str(HERE / 'jupyterhub_config.py')!r})\n"
                              "c.Spawner.args = [*c.Spawner.args, '--allow-root']\n")
        args = [str(BIN / "jupyterhub"), "-f", str(config),
                "--JupyterHub.spawner_class=simple",
                f"--SimpleLocalProcessSpawner.home_dir_template={self.workdir}/home/{{username}}",
                f"--JupyterHub.hub_bind_url=http://{HOST}:{free_port()}",
                f"--ConfigurableHTTPProxy.api_url=http://{HOST}:{free_port()}"]
        with open(self.log_path, "wb") as log:
            self.hub = subprocess.Popen(args, cwd=self.state, env=env, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self.track()
        deadline = time.monotonic() + timeout
        while True:
            if self.hub.poll() is not None:
                raise RuntimeError(f"JupyterHub exited with status {self.hub.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=5).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"JupyterHub did not answer within {timeout} s:\n{self.log_tail()}")
            time.sleep(0.5)
        self.track()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def track(self, *pids: int) -> None:
        """Remember the hub's process tree (and ``pids``), to be able to stop it all later."""
        if self.hub is None:
            return
        try:
            found = [psutil.Process(self.hub.pid)] + psutil.Process(self.hub.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            found = []
        for pid in pids:
            try:
                found.append(psutil.Process(pid))
            except psutil.NoSuchProcess:
                pass
        for process in found:
            self.processes.setdefault(process.pid, process)

    def stop(self) -> None:
        """SIGTERM the hub (it stops the servers, their kernels, the proxy and the culler), then
        SIGKILL whatever of its process tree is still there. Safe to call more than once."""
        if self._stopped or self.hub is None:
            return
        self._stopped = True
        self.track()
        if self.hub.poll() is None:
            self.hub.terminate()
            try:
                self.hub.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        for process in self.processes.values():
            try:
                process.kill()  # psutil checks it is still the same process, not a reused pid
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(list(self.processes.values()), timeout=10)
        if self.hub.poll() is None:
            self.hub.kill()
            self.hub.wait()

    def process_named(self, word: str) -> psutil.Process | None:
        """The hub's child whose command line contains ``word`` (the proxy, the culler)."""
        for process in psutil.Process(self.hub.pid).children(recursive=True):
            try:
                if word in " ".join(process.cmdline()):
                    return process
            except psutil.NoSuchProcess:
                pass
        return None

    # --- one student ---------------------------------------------------------------------------

    def attend(self, student: Student, start: float) -> None:
        """Everything one student does; a failure is recorded in ``student.error``."""
        http = requests.Session()
        since = lambda: time.monotonic() - start  # noqa: E731
        kernel = None
        try:
            user = f"{self.url}/user/{student.name}"
            # 1. log in, start a server
            http.get(f"{self.url}/hub/login", timeout=HTTP_TIMEOUT).raise_for_status()
            xsrf = http.cookies.get("_xsrf", path="/hub/")
            r = http.post(f"{self.url}/hub/login?next=", timeout=HTTP_TIMEOUT, allow_redirects=False,
                          data={"username": student.name, "password": self.student_password, "_xsrf": xsrf})
            if r.status_code != 302:
                raise RuntimeError(f"log-in failed: HTTP {r.status_code}")
            student.logged_in = since()
            hub_api = {"X-XSRFToken": http.cookies.get("_xsrf", path="/hub/")}
            r = http.post(f"{self.url}/hub/api/users/{student.name}/server", headers=hub_api,
                          timeout=HTTP_TIMEOUT)
            if r.status_code not in (201, 202):
                raise RuntimeError(f"starting the server failed: HTTP {r.status_code} {r.text[:200]}")
            while True:
                model = http.get(f"{self.url}/hub/api/users/{student.name}", headers=hub_api,
                                 timeout=HTTP_TIMEOUT).json()
                server = model["servers"].get("", {})
                if server.get("ready"):
                    break
                if not server.get("pending"):
                    raise RuntimeError("the server did not start (the hub's log says why)")
                time.sleep(0.5)
            student.server_ready = since()
            if not self.whole_notebook:  # only the answers, in a kernel of their own
                self.hand_in(student, http, user, since)
                return
            # 2. the nbgitpuller link: OAuth into the server, then the pull its page would start
            r = http.get(self.link, timeout=HTTP_TIMEOUT)
            r.raise_for_status()
            query = r.url.split("?", 1)[1]
            with http.get(f"{user}/git-pull/api?{query}", stream=True, timeout=HTTP_TIMEOUT) as events:
                events.raise_for_status()
                phase = None
                for line in events.iter_lines(decode_unicode=True):
                    if line and line.startswith("data:"):
                        event = json.loads(line[5:])
                        phase = event.get("phase")
                        if phase == "error":
                            raise RuntimeError(f"nbgitpuller: {event.get('message')}")
                        if phase == "finished":
                            break
                if phase != "finished":
                    raise RuntimeError("nbgitpuller stopped without finishing")
            student.pulled = since()
            # 3. open notebook 04 from the home folder, start its kernel, run every cell
            server_api = {"X-XSRFToken": http.cookies.get("_xsrf", path=f"/user/{student.name}/")}
            r = http.get(f"{user}/api/contents/{self.notebook_path}", timeout=HTTP_TIMEOUT)
            r.raise_for_status()
            # (source, whether it raises on purpose: a cell tagged raises-exception shows an error)
            cells = [("".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"],
                      "raises-exception" in cell.get("metadata", {}).get("tags", []))
                     for cell in r.json()["content"]["cells"] if cell["cell_type"] == "code"]
            r = http.post(f"{user}/api/sessions", headers=server_api, timeout=HTTP_TIMEOUT, json={
                "path": self.notebook_path, "type": "notebook", "name": Path(NOTEBOOK).name,
                "kernel": {"name": "python3"}})
            r.raise_for_status()
            kernel_id = r.json()["kernel"]["id"]
            cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies
                               if f"/user/{student.name}/".startswith(c.path))
            kernel = connect_kernel(user, kernel_id, cookie)
            student.kernel_pid = kernel_pid(kernel)
            process = psutil.Process(student.kernel_pid)
            student.server_pid = process.ppid()
            self.track(student.kernel_pid, student.server_pid)
            student.kernel_ready = since()
            answers = answers_cell(int(student.name[len("student"):]))
            for code, raises in cells + [(LAB_CELL, False), (answers, False)]:
                t0 = time.monotonic()
                status, errors, stdout = run_cell(kernel, process, code)
                student.cell_seconds.append(time.monotonic() - t0)
                student.cells_run += 1
                if raises and status == "error" and errors:
                    continue  # the error this cell is there to show
                if status != "ok" or errors:
                    student.cell_errors.append(f"cell {student.cells_run}: {status} {errors}")
                    break
                if LOADS_MNIST.search(code) and not student.kernel_after_load:
                    student.kernel_after_load = memory(student.kernel_pid)
                if code is LAB_CELL:
                    student.lab_output = stdout.strip()
                if code is answers:
                    student.answers_output = stdout.strip()
            if student.name == "student01" and not student.cell_errors:
                student.probe = probe(kernel, process)
            student.done = since()
            student.finished = not student.cell_errors
        except Exception as err:  # recorded and reported: one student's failure must not hide others'
            student.error = f"{type(err).__name__}: {err}"
        finally:
            if kernel is not None:
                kernel.stop()  # closes the websocket; the kernel stays, as when a tab is closed

    def hand_in(self, student: Student, http: requests.Session, user: str, since) -> None:
        """Without the notebook: start a kernel and run only the student's answers (and, for
        student01, the refused posts)."""
        r = http.get(f"{user}/lab", timeout=HTTP_TIMEOUT)  # OAuth into the server, its xsrf cookie
        r.raise_for_status()
        r = http.post(f"{user}/api/kernels", json={"name": "python3"}, timeout=HTTP_TIMEOUT,
                      headers={"X-XSRFToken": http.cookies.get("_xsrf", path=f"/user/{student.name}/")})
        r.raise_for_status()
        cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies
                           if f"/user/{student.name}/".startswith(c.path))
        kernel = connect_kernel(user, r.json()["id"], cookie)
        try:
            student.kernel_pid = kernel_pid(kernel)
            process = psutil.Process(student.kernel_pid)
            student.server_pid = process.ppid()
            self.track(student.kernel_pid, student.server_pid)
            student.kernel_ready = since()
            status, errors, stdout = run_cell(kernel, process, answers_cell(int(student.name[len("student"):])))
            student.cells_run = 1
            if status != "ok" or errors:
                student.cell_errors.append(f"the answers: {status} {errors}")
            student.answers_output = stdout.strip()
            if student.name == "student01" and not student.cell_errors:
                student.probe = probe(kernel, process)
            student.done = since()
            student.finished = not student.cell_errors
        finally:
            kernel.stop()

    def admin_sees(self) -> int:
        """Log in as the admin "teacher" and count the students' servers the hub reports ready."""
        http = self.logged_in("teacher", self.admin_password)
        r = http.get(f"{self.url}/hub/api/users", timeout=HTTP_TIMEOUT,
                     headers={"X-XSRFToken": http.cookies.get("_xsrf", path="/hub/")})
        r.raise_for_status()
        return sum(1 for u in r.json() if u["name"].startswith("student")
                   and u["servers"].get("", {}).get("ready"))

    def logged_in(self, name: str, password: str) -> requests.Session:
        """A browser-like session of ``name``, logged in to the hub."""
        http = requests.Session()
        http.get(f"{self.url}/hub/login", timeout=HTTP_TIMEOUT).raise_for_status()
        r = http.post(f"{self.url}/hub/login?next=", allow_redirects=False, timeout=HTTP_TIMEOUT,
                      data={"username": name, "password": password,
                            "_xsrf": http.cookies.get("_xsrf", path="/hub/")})
        if r.status_code != 302:
            raise RuntimeError(f"{name} could not log in: HTTP {r.status_code}")
        return http

    def progress_table(self, notebook: str = "04", settle: float = 60) -> dict:
        """The progress service's table of ``notebook`` as the teacher reads it (the page's JSON,
        through the hub's OAuth log-in), once it stops changing: the kernels send their results
        on a background thread, so the last ones may arrive a little after the last cell."""
        http = self.logged_in("teacher", self.admin_password)
        deadline, last = time.monotonic() + settle, None
        while True:
            r = http.get(f"{self.progress_url}/api/progress?notebook={notebook}", timeout=HTTP_TIMEOUT)
            r.raise_for_status()
            table = r.json()
            tries = sorted((s["name"], e, v["tries"]) for s in table["students"]
                           for e, v in s["results"].items())
            if time.monotonic() > deadline or (tries == last and len(table["students"]) >= len(self.students)):
                return table
            last = tries
            time.sleep(3)

    def student_sees_page(self) -> int:
        """The HTTP status student01 gets for the teacher's page (after the hub's log-in)."""
        http = self.logged_in("student01", self.student_password)
        return http.get(f"{self.progress_url}/", timeout=HTTP_TIMEOUT).status_code

    def run(self, timeout: float) -> dict:
        """All students at once; then the memory snapshot (every kernel still alive) and the report."""
        start = time.monotonic()
        load_before = os.getloadavg()[0]
        threads = [threading.Thread(target=self.attend, args=(s, start), daemon=True)
                   for s in self.students]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(0, timeout - (time.monotonic() - start)))
        self.track()
        last = time.monotonic() - start
        for student in self.students:
            if student.done is None and student.error is None:
                student.error = f"not finished after {timeout:.0f} s"
            for pid, key in ((student.kernel_pid, "kernel_end"), (student.server_pid, "server_end")):
                if pid:
                    try:
                        setattr(student, key, memory(pid))
                    except (OSError, psutil.NoSuchProcess):
                        pass
        services = {}
        for name, word in (("hub", None), ("proxy", "configurable-http-proxy"),
                           ("idle culler", "jupyterhub_idle_culler"),
                           ("progress service", "progress_service.py")):
            process = psutil.Process(self.hub.pid) if word is None else self.process_named(word)
            if process is not None:
                services[name] = memory(process.pid)
        return {"students": [asdict(s) for s in self.students], "services": services,
                "admin_sees_servers": self.admin_sees(), "seconds": last,
                "progress": self.progress_table("04"), "student_sees_page": self.student_sees_page(),
                "cpus": os.cpu_count(), "memory_total": psutil.virtual_memory().total,
                "load_average": [load_before, os.getloadavg()[0]]}


def summary(report: dict) -> str:
    """The report as a teacher reads it."""
    students = report["students"]
    mb = lambda b: f"{b / 2**20:.0f} MB"  # noqa: E731
    finished = [s for s in students if s["finished"]]
    cells = sorted(t for s in students for t in s["cell_seconds"])
    lines = [f"students finished: {len(finished)} of {len(students)}"
             f" (the admin sees {report['admin_sees_servers']} servers running)"]
    for s in students:
        if not s["finished"]:
            lines.append(f"  {s['name']}: {s['error'] or '; '.join(s['cell_errors'])}")
    if finished:
        for key, what in (("logged_in", "logged in"), ("server_ready", "server ready"),
                          ("pulled", "course pulled"), ("kernel_ready", "kernel ready"),
                          ("done", "notebook 04 + lab run done")):
            times = [s[key] for s in finished]
            lines.append(f"{what + ':':34} median {statistics.median(times):6.1f} s, "
                         f"last {max(times):6.1f} s")
    if cells:
        p50, p95 = (cells[min(len(cells) - 1, int(q * len(cells)))] for q in (0.5, 0.95))
        lines.append(f"cell latency ({len(cells)} cells): p50 {p50:.2f} s, p95 {p95:.2f} s, "
                     f"max {cells[-1]:.2f} s")
    for key, what in (("kernel_after_load", "kernel just after load_mnist()"),
                      ("kernel_end", "kernel at the end (all alive)"),
                      ("server_end", "server at the end")):
        values = [s[key] for s in students if s[key]]
        if values:
            median = {k: statistics.median(v[k] for v in values) for k in values[0]}
            lines.append(f"{what + ':':34} USS {mb(median['uss'])} (max "
                         f"{mb(max(v['uss'] for v in values))}), PSS {mb(median['pss'])}, "
                         f"RSS {mb(median['rss'])}, peak RSS {mb(median['peak_rss'])}, "
                         f"CPU {median['cpu_seconds']:.1f} s (medians)")
    for name, m in report["services"].items():
        lines.append(f"{name + ':':34} USS {mb(m['uss'])}, PSS {mb(m['pss'])}, "
                     f"CPU {m['cpu_seconds']:.1f} s")
    ends = [s[k] for s in students for k in ("kernel_end", "server_end") if s[k]]
    ends += list(report["services"].values())
    lines.append(f"whole class: {mb(sum(m['pss'] for m in ends))} (sum of PSS), "
                 f"{sum(m['cpu_seconds'] for m in ends):.0f} CPU seconds; machine: "
                 f"{report['cpus']} cores, {report['memory_total'] / 2**30:.0f} GB, load average "
                 f"{report['load_average'][0]:.1f} before, {report['load_average'][1]:.1f} after")
    for s in finished[:1]:
        lines.append(f"lab run, {s['name']}: {s['lab_output']}")
    table = report.get("progress") or {}
    if table.get("exercises"):
        lines.append(f"the teacher's progress page, notebook {table['notebook']} "
                     f"({len(table['students'])} students): passed / tried / not yet, most common mistake")
        for ex in table["exercises"]:
            common = ex["most_common"]
            said = f"{common['mistake']} ({common['students']})" if common else "-"
            lines.append(f"  {ex['title'][:44]:44} {ex['passed']:3} {ex['tried']:3} {ex['not_yet']:3}  {said}")
    probe = next((s["probe"] for s in students if s["probe"]), None)
    if probe is not None:
        lines.append(f"refused from student01's kernel (HTTP status): {probe}; student01 opening the "
                     f"teacher's page: {report.get('student_sees_page')}")
    return "\n".join(lines)


def course_repository(workdir: Path) -> Path:
    """A bare copy of this repository's committed HEAD, as branch main: what nbgitpuller pulls."""
    repo = workdir / "mnist-from-scratch.git"
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(repo)], check=True)
    subprocess.run(["git", "--git-dir", str(repo), "fetch", "--quiet", "--no-tags", str(PROJECT),
                    "HEAD:refs/heads/main"], check=True)
    return repo


def run_class(students: int, timeout: float, workdir: Path) -> dict:
    """Start the hub, run the class, stop everything (whatever happens); the report as a dict."""
    repo = course_repository(workdir)
    hub = Class(workdir, students, repo)
    try:
        hub.start()
        report = hub.run(timeout)
        report["hub_log_tail"] = hub.log_tail(60)  # before the shutdown fills it
    finally:
        hub.stop()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=10, help="how many students (default 10)")
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds the students get to finish (default 900)")
    parser.add_argument("--json", type=Path, help="also write the full report to this file")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder (homes, hub log) for a look afterwards")
    args = parser.parse_args(argv)
    if args.students < 1:
        parser.error(f"--students must be at least 1, got {args.students}")

    stop_signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def stop_on(signum, frame):
        """Ctrl-C, SIGTERM or SIGHUP: stop cleanly, and let no second signal cut the clean-up short."""
        for each in stop_signals:
            signal.signal(each, signal.SIG_IGN)
        raise KeyboardInterrupt(signal.Signals(signum).name)

    for each in stop_signals:
        signal.signal(each, stop_on)
    workdir = Path(tempfile.mkdtemp(prefix="classroom-load-test-"))
    try:
        report = run_class(args.students, args.timeout, workdir)
    except KeyboardInterrupt as stop:
        print(f"interrupted by {stop}: the hub, its servers and kernels are stopped")
        return 130
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    print(summary(report))
    if all(s["finished"] for s in report["students"]):
        return 0
    print(f"\nthe end of the hub's log:\n{report['hub_log_tail']}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
