"""The class's progress service (classroom/progress_service.py), its store, and the export.

The service runs as JupyterHub runs it (a process with the service's environment); a small stand-in
for the hub's REST API answers its token checks (``GET /hub/api/user``) for a few tokens. The real
hub, with its roles and OAuth, is the load test's and the browser test's (tests/test_classroom.py,
tests/test_browser_progress.py).

- A kernel's POST is stored under the token's user: never under a name in the body (403 for a
  body naming another student), never without a token with the write scope (403), never for a
  service's token.
- Malformed, oversized or unknown results get a 4xx and change nothing (all or nothing).
- A late, older post does not undo a newer one; a student's rows and the file are bounded; the
  results survive a restart.
- The teacher's table: counts per exercise, the most common mistake among those still stuck, and
  every student's status; the page escapes what students send.
- The export writes nbgrader's CSV columns and otter-grader's results fields.
"""
from __future__ import annotations

import csv
import importlib.util
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
CLASSROOM = ROOT / "classroom"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"classroom_{name}", CLASSROOM / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


service_module = load("progress_service")
export_module = load("export")

WRITE = "custom:progress:write"
USERS = {  # token -> what the hub says about it
    "t-student01": {"kind": "user", "name": "student01", "scopes": [WRITE], "groups": []},
    "t-student02": {"kind": "user", "name": "student02", "scopes": [WRITE], "groups": []},
    "t-no-scope": {"kind": "user", "name": "student03", "scopes": ["self"], "groups": []},
    "t-service": {"kind": "service", "name": "idle-culler", "scopes": [WRITE]},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeHub(BaseHTTPRequestHandler):
    def do_GET(self):
        token = self.headers.get("Authorization", "").removeprefix("token ")
        if self.path.endswith("/hub/api/user") and token in USERS:
            body, status = USERS[token], 200
        elif self.path.endswith("/hub/api/users") and token == "t-the-service":
            body, status = [{"name": "student05", "groups": []}, {"name": "teacher", "groups": ["teachers"]}], 200
        else:
            body, status = {"status": 403, "message": "no such token"}, 403
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class Service:
    """progress_service.py in a process of its own, with the environment a hub gives it."""

    def __init__(self, db: Path, hub: str):
        self.db, self.hub = db, hub
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/services/progress"
        self.process = None

    def start(self):
        env = {**os.environ, "JUPYTERHUB_SERVICE_URL": f"http://127.0.0.1:{self.port}",
               "JUPYTERHUB_SERVICE_PREFIX": "/services/progress/", "JUPYTERHUB_API_URL": f"{self.hub}/hub/api",
               "JUPYTERHUB_API_TOKEN": "t-the-service", "JUPYTERHUB_SERVICE_NAME": "progress",
               "JUPYTERHUB_CLIENT_ID": "service-progress", "JUPYTERHUB_BASE_URL": "/",
               "JUPYTERHUB_OAUTH_CALLBACK_URL": "/services/progress/oauth_callback"}
        self.process = subprocess.Popen([sys.executable, str(CLASSROOM / "progress_service.py"),
                                         "--db", str(self.db)], env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(f"{self.url}/api/results", timeout=2)
                return self
            except requests.ConnectionError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stdout.read())
                time.sleep(0.2)
        raise RuntimeError("the service did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)

    def post(self, body, token="t-student01"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"token {token}"
        return requests.post(f"{self.url}/api/results", data=data, headers=headers, timeout=30)


@pytest.fixture(scope="module")
def hub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeHub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def running(tmp_path_factory, hub):
    service = Service(tmp_path_factory.mktemp("state") / "progress.sqlite", hub).start()
    yield service
    service.stop()


@pytest.fixture
def service(running):
    """The running service, its results emptied."""
    db = sqlite3.connect(running.db)
    with db:
        db.execute("DELETE FROM results")
    db.close()
    return running


def result(exercise="practice_forward", notebook="04", tries=1, passed=False, mistake="relu-at-output",
           hint="the output layer applies ReLU as well", when="2026-12-06T10:00:00+00:00"):
    return {"notebook": notebook, "exercise": exercise, "passed": passed, "last_passed": passed,
            "tries": tries, "mistake": None if passed else mistake, "hint": None if passed else hint,
            "first_at": when, "passed_at": when if passed else None, "last_at": when}


def stored(service) -> list[tuple]:
    store = service_module.Store(service.db)
    return [(r["user"], r["exercise"], r["tries"], bool(r["passed"]), r["mistake"]) for r in store.rows()]


# --- who may write ----------------------------------------------------------------------------------

def test_a_student_records_their_own_results(service):
    r = service.post({"results": [result(), result("batch_accuracy", passed=True)]})
    assert r.status_code == 200, r.text
    assert r.json() == {"recorded": 2, "written": 2}
    assert stored(service) == [("student01", "batch_accuracy", 1, True, None),
                               ("student01", "practice_forward", 1, False, "relu-at-output")]
    assert (service.db.stat().st_mode & 0o777) == 0o600


def test_a_body_naming_the_same_user_is_accepted(service):
    assert service.post({"user": "student01", "results": [result()]}).status_code == 200


@pytest.mark.parametrize("token, body, status", [
    ("t-student01", {"user": "student02", "results": [result(passed=True)]}, 403),  # forged
    (None, {"results": [result()]}, 403),                                         # no token
    ("t-not-a-token", {"results": [result()]}, 403),
    ("t-no-scope", {"results": [result()]}, 403),                                 # no write scope
    ("t-service", {"results": [result()]}, 403),                                  # not a student
])
def test_nobody_records_for_someone_else(service, token, body, status):
    r = service.post(body, token=token)
    assert r.status_code == status, r.text
    assert stored(service) == []


def test_a_browser_cookie_is_not_enough(service):
    r = requests.post(f"{service.url}/api/results", json={"results": [result()]}, timeout=30,
                      cookies={"service-progress": "anything", "jupyterhub-session-id": "x"})
    assert r.status_code == 403 and stored(service) == []


# --- bad input ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("body, message", [
    (b"{not json", "the body must be JSON"),
    ({"results": []}, "results must be a list of 1 to 200 results"),
    ({"results": [result()] * 201}, "results must be a list of 1 to 200 results"),
    ({"results": [result()], "extra": 1}, "the body must be an object"),
    ({"results": [dict(result(), notebook="4")]}, "results[0].notebook must be two digits"),
    ({"results": [dict(result(), exercise="../x")]}, "results[0].exercise must be an exercise id"),
    ({"results": [result(), result(exercise="no_such_exercise")]}, "the course has no exercise 04/no_such_exercise"),
    ({"results": [dict(result(), tries=0)]}, "results[0].tries must be a whole number from 1"),
    ({"results": [dict(result(), tries=True)]}, "results[0].tries must be a whole number from 1"),
    ({"results": [dict(result(), passed="yes")]}, "results[0].passed must be true or false"),
    ({"results": [dict(result(), mistake="<b>")]}, "results[0].mistake must be a mistake id"),
    ({"results": [dict(result(), hint="x" * 501)]}, "results[0].hint must be text of at most 500"),
    ({"results": [dict(result(), last_at="yesterday")]}, "results[0].last_at must be an ISO 8601 time"),
    ({"results": [dict(result(), user="student02")]}, "results[0] must be an object with the fields"),
])
def test_a_malformed_body_changes_nothing(service, body, message):
    service.post({"results": [result(tries=1)]})
    before = stored(service)
    r = service.post(body)
    assert r.status_code == 400 and message in r.json()["message"], r.text
    assert stored(service) == before


def test_an_oversized_body_changes_nothing(service):
    body = json.dumps({"results": [result(hint="x" * 500)] * 120}).encode()
    assert 64 * 1024 < len(body) < 128 * 1024
    r = service.post(body)
    assert r.status_code == 413 and stored(service) == []
    r = service.post(b" " * 2**20)
    assert r.status_code == 413 and stored(service) == []
    r = service.post(b"{}" * 1000, token=None)  # the token is checked all the same
    assert r.status_code == 403


# --- what is kept -----------------------------------------------------------------------------------

def test_a_late_older_post_does_not_undo_a_newer_one(service):
    service.post({"results": [result(tries=3, passed=True)]})
    service.post({"results": [result(tries=2, mistake="missing-bias", hint="layer 3 ...")]})
    assert stored(service) == [("student01", "practice_forward", 3, True, None)]
    service.post({"results": [result(tries=4, mistake="missing-bias", hint="layer 3 ...")]})
    # a pass is kept (the student did it), the latest mistake too
    assert stored(service) == [("student01", "practice_forward", 4, True, "missing-bias")]


def test_results_survive_a_restart(service):
    service.post({"results": [result()]})
    service.stop()
    service.start()
    assert stored(service) == [("student01", "practice_forward", 1, False, "relu-at-output")]


def test_a_students_rows_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(service_module, "MAX_ROWS_PER_USER", 2)
    store = service_module.Store(tmp_path / "p.sqlite")
    store.save("ann", [result("forward_by_hand"), result("practice_forward")])
    with pytest.raises(service_module.Full):
        store.save("ann", [result("forward_by_hand", tries=2), result("batch_shapes")])
    assert [(r["exercise"], r["tries"]) for r in store.rows()] == [("forward_by_hand", 1),
                                                                   ("practice_forward", 1)]
    store.save("bo", [result("batch_shapes")])  # another student is not affected


def test_the_file_is_bounded(tmp_path):
    store = service_module.Store(tmp_path / "p.sqlite", max_mb=1)
    with pytest.raises(service_module.Full, match="size limit"):
        for k in range(2000):
            store.save(f"student{k}", [result(hint="x" * 500)])
    assert (tmp_path / "p.sqlite").stat().st_size <= 1.1 * 2**20


# --- the teacher's table ------------------------------------------------------------------------------

def test_the_table_counts_and_names_the_most_common_mistake(tmp_path):
    store = service_module.Store(tmp_path / "p.sqlite")
    hint = {"relu-at-output": "ReLU at the output", "missing-bias": "layer 3 does not add b3"}
    plan = {"ann": ("relu-at-output", False), "bo": ("relu-at-output", False),
            "cy": ("missing-bias", False), "di": ("relu-at-output", True),   # passed after it
            "ed": ("missing-bias", False)}
    for student, (mistake, passed) in plan.items():
        store.save(student, [result(mistake=mistake, hint=hint[mistake])])
        if passed:
            store.save(student, [result(tries=2, passed=True)])
    catalogue = {("04", "forward_by_hand"): "a forward pass by hand",
                 ("04", "practice_forward"): "the practice network"}
    table = service_module.table(store, "04", ["ann", "fay"], catalogue)
    by = {e["id"]: e for e in table["exercises"]}
    assert [e["id"] for e in table["exercises"]] == ["forward_by_hand", "practice_forward"]
    practice = by["practice_forward"]
    assert (practice["passed"], practice["tried"], practice["not_yet"]) == (1, 4, 1)  # fay: not yet
    # among the four still stuck: relu-at-output twice (ann, bo), missing-bias twice (cy, ed):
    # a tie goes to the first id in alphabetical order
    assert practice["most_common"] == {"mistake": "missing-bias", "students": 2,
                                       "hint": "layer 3 does not add b3"}
    store.save("ed", [result(tries=2, passed=True)])
    practice = {e["id"]: e for e in service_module.table(store, "04", [], catalogue)["exercises"]}["practice_forward"]
    assert practice["most_common"] == {"mistake": "relu-at-output", "students": 2, "hint": "ReLU at the output"}
    assert by["forward_by_hand"] == {"id": "forward_by_hand", "title": "a forward pass by hand",
                                     "passed": 0, "tried": 0, "not_yet": 6, "most_common": None}
    statuses = {s["name"]: s["results"]["practice_forward"]["status"] for s in table["students"]}
    assert statuses == {"ann": "tried", "bo": "tried", "cy": "tried", "di": "passed", "ed": "tried",
                        "fay": "not yet"}


def test_the_page_opens_on_the_notebook_of_the_latest_result(tmp_path):
    store = service_module.Store(tmp_path / "p.sqlite")
    assert store.latest_notebook() is None
    store.save("ann", [result("exit_1", notebook="02", passed=True)])
    store.save("bo", [result()])
    assert store.latest_notebook() == "04"


def test_the_page_escapes_what_students_send(tmp_path):
    store = service_module.Store(tmp_path / "p.sqlite")
    store.save("<b>x</b>", [result(hint="<script>alert(1)</script>")])
    data = service_module.table(store, "04", [], {("04", "practice_forward"): "the practice network"})
    html = service_module.page(data, ["04"], "/services/progress/", "10:00:00")
    assert "<script>" not in html and "<b>x</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<td class="count tried-count">1</td>' in html


def test_the_students_come_from_the_hub(service):
    """The page's JSON needs the teacher's OAuth log-in (the browser test's job); the list of
    students the service asks the hub for is checked here."""
    import asyncio

    users = service_module.Users(f"{service.hub}/hub/api", "t-the-service")
    assert asyncio.run(users.students()) == ["student05"]  # the teacher is in the teachers group
    assert asyncio.run(service_module.Users(f"{service.hub}/hub/api", "wrong").students()) == []


# --- the export -------------------------------------------------------------------------------------

def test_the_export_writes_nbgrader_and_otter_formats(tmp_path):
    store = service_module.Store(tmp_path / "p.sqlite")
    store.save("ann", [result("forward_by_hand", passed=True, when="2026-12-06T10:00:00+00:00"),
                       result("practice_forward", tries=3, when="2026-12-06T10:05:00+00:00")])
    store.save("bo", [result("exit_1", notebook="02", passed=True)])
    catalogue = {("02", "relu"): "ReLU for a whole array", ("02", "exit_1"): "exit ticket 1: sigmoid(0)",
                 ("04", "forward_by_hand"): "a forward pass by hand",
                 ("04", "practice_forward"): "the practice network",
                 ("04", "batch_shapes"): "batch shapes"}
    rows = export_module.read(tmp_path / "p.sqlite")
    csv_path, otter_paths = export_module.export(rows, tmp_path / "out", ["cy"], catalogue)
    with open(csv_path, newline="") as f:
        reader = csv.DictReader(f)
        # nbgrader's CsvExportPlugin writes exactly these columns, in this order
        assert reader.fieldnames == ["assignment", "duedate", "timestamp", "student_id", "last_name",
                                     "first_name", "email", "raw_score", "late_submission_penalty",
                                     "score", "max_score"]
        lines = list(reader)
    assert len(lines) == 2 * 3  # every assignment for every student, as nbgrader writes them
    ann04 = next(r for r in lines if r["student_id"] == "ann" and r["assignment"].startswith("04_"))
    assert ann04["assignment"] == "04_three_layer_forward_pass"
    assert (float(ann04["score"]), float(ann04["raw_score"]), float(ann04["max_score"])) == (1.0, 1.0, 3.0)
    assert float(ann04["late_submission_penalty"]) == 0.0
    assert ann04["timestamp"] == "2026-12-06T10:05:00+00:00"
    cy02 = next(r for r in lines if r["student_id"] == "cy" and r["assignment"].startswith("02_"))
    assert (float(cy02["score"]), float(cy02["max_score"]), cy02["timestamp"]) == (0.0, 2.0, "")
    # otter-grader's results.json (Gradescope's format): one test per exercise
    ann = json.loads((tmp_path / "out" / "otter" / "04_three_layer_forward_pass" / "ann.json").read_text())
    assert set(ann) == {"tests"} and len(ann["tests"]) == 3
    for test in ann["tests"]:
        assert set(test) == {"name", "score", "max_score", "visibility", "output"}
        assert test["visibility"] == "visible" and test["max_score"] == 1.0
    assert [(t["name"], t["score"]) for t in ann["tests"]] == [
        ("a forward pass by hand", 1.0), ("the practice network", 0.0), ("batch shapes", 0.0)]
    assert ann["tests"][1]["output"] == ("not passed yet after 3 tries; last mistake relu-at-output: "
                                         "the output layer applies ReLU as well")
    assert ann["tests"][2]["output"] == "not tried"
    assert len(otter_paths) == 6


def test_the_export_command(tmp_path, capsys):
    store = service_module.Store(tmp_path / "p.sqlite")
    store.save("ann", [result("forward_by_hand", passed=True)])
    assert export_module.main(["--db", str(tmp_path / "p.sqlite"), "--out", str(tmp_path / "g")]) == 0
    assert "wrote" in capsys.readouterr().out
    from mnist_lib.checks import EXERCISES

    notebooks = {notebook for notebook, _ in EXERCISES}
    assert (tmp_path / "g" / "grades.csv").read_text().count("\n") == 1 + len(notebooks)
    with pytest.raises(SystemExit, match="no such file"):
        export_module.main(["--db", str(tmp_path / "missing.sqlite"), "--out", str(tmp_path / "g")])
