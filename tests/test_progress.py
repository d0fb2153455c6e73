"""Every check records its result (mnist_lib.progress): in the learner's file, and to a class's hub.

- A check's result lands in the progress file: passed ever, tries, the last mistake and hint;
  ``show()`` draws it, for the course and for one notebook.
- Recording never breaks a check: a read-only place, a full disk, a damaged file, a lock held by
  another kernel: the check still prints its feedback and returns its result.
- The file stays small: one entry per exercise, at most MAX_ENTRIES, hints cut short.
- On a hub, unacknowledged entries are posted with the kernel's token on a background thread: the
  check returns while the hub is still answering; a hub that is down loses nothing, the next check
  sends what it missed.
"""
from __future__ import annotations

import contextlib
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from mnist_lib import progress, relu
from mnist_lib.checks import check_exit_ticket, check_relu

WAIT = 30  # seconds: only a bound for a failing test, never a measured time


def quietly(check, *args):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = check(*args)
    return result, out.getvalue()


@pytest.fixture
def kept(tmp_path, monkeypatch):
    """A progress file of the test's own, no hub."""
    path = tmp_path / "data" / "progress.json"
    monkeypatch.setenv("MNIST_LIB_PROGRESS", str(path))
    monkeypatch.delenv("MNIST_LIB_PROGRESS_URL", raising=False)
    return path


def test_a_check_records_its_result(kept):
    quietly(check_relu, lambda x: x)                      # wrong: the identity
    result, printed = quietly(check_relu, lambda x: np.maximum(x, 0))
    assert result.passed and printed == "✓ All tests passed\n"
    entry = progress.load()["02", "relu"]
    assert (entry["passed"], entry["last_passed"], entry["tries"]) == (True, True, 2)
    assert entry["passed_at"] and entry["first_at"] <= entry["last_at"]
    assert json.loads(kept.read_text())["exercises"]["02/relu"]["tries"] == 2


def test_the_last_mistake_and_hint_are_kept(kept):
    quietly(check_exit_ticket, "02", {2: "c"})
    entry = progress.load()["02", "exit_2"]
    assert (entry["passed"], entry["tries"], entry["mistake"]) == (False, 1, "to-bound-outputs")
    assert entry["hint"].startswith("ReLU has no upper bound")
    quietly(check_exit_ticket, "02", {2: "a"})
    entry = progress.load()["02", "exit_2"]
    assert (entry["passed"], entry["tries"], entry["mistake"], entry["hint"]) == (True, 2, None, None)


def test_unanswered_ticket_questions_are_not_recorded(kept):
    printed = quietly(check_exit_ticket, "04", {1: None, 2: "b"})[1]
    assert "Question 1: no answer yet" in printed and "Question 3: no answer yet" in printed
    assert set(progress.load()) == {("04", "exit_2")}


def test_show_draws_the_course_and_one_notebook(kept):
    quietly(check_relu, relu)
    quietly(check_exit_ticket, "02", {2: "d"})
    course = progress.show()
    line = next(l for l in str(course).splitlines() if l.strip().startswith("02"))
    assert line.split()[1] == "✓···✗··" and line.endswith("1 of 7 done")  # relu; exit ticket 2
    one = str(progress.show("02"))
    assert "Notebook 02: 1 of 7 done" in one
    assert "✓ ReLU for a whole array (passed, 1 try)" in one
    assert "✗ exit ticket 2: why non-linear (tried, 1 try): last hint: making outputs sum to 1" in one
    html = progress.show("02")._repr_html_()
    assert html.count("<tr>") == 8 and "class=\"passed\"" in html and "class=\"not-yet\"" in html
    with pytest.raises(ValueError, match="notebook must be one of"):
        progress.show("4")


def test_html_escapes_what_the_file_says(kept):
    quietly(check_exit_ticket, "02", {2: "d"})
    data = json.loads(kept.read_text())
    data["exercises"]["02/exit_2"]["hint"] = "<script>alert(1)</script>"
    kept.write_text(json.dumps(data))
    assert "<script>" not in progress.show("02")._repr_html_()


def test_off_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_LIB_PROGRESS", "off")
    monkeypatch.delenv("MNIST_LIB_PROGRESS_URL", raising=False)
    assert quietly(check_relu, relu)[0].passed
    assert progress.progress_file() is None and progress.load() == {}


def test_the_default_place_is_the_jupyter_data_dir(monkeypatch, tmp_path):
    from jupyter_core.paths import jupyter_data_dir

    monkeypatch.delenv("MNIST_LIB_PROGRESS", raising=False)
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path))
    assert jupyter_data_dir() == str(tmp_path)
    assert progress.progress_file() == tmp_path / "mnist-from-scratch" / "progress.json"


# --- never breaks a check -------------------------------------------------------------------------

def test_a_place_that_cannot_be_written(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MNIST_LIB_PROGRESS", str(blocker / "progress.json"))  # like a read-only home
    result, printed = quietly(check_relu, relu)
    assert result.passed and printed == "✓ All tests passed\n"
    assert progress.load() == {}


def test_a_full_disk_leaves_the_old_file(kept, monkeypatch):
    quietly(check_relu, relu)
    before = kept.read_text()

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(progress.json, "dump", no_space)
    result, printed = quietly(check_relu, lambda x: x)
    assert not result.passed and printed.startswith("✗ ")
    assert kept.read_text() == before
    assert sorted(p.name for p in kept.parent.iterdir()) == ["progress.json", "progress.json.lock"]


def test_a_damaged_file_is_started_anew(kept):
    kept.parent.mkdir(parents=True)
    kept.write_text('{"format": 1, "exercises": {"02/relu": {"notebook"')
    assert progress.load() == {}
    assert quietly(check_relu, relu)[0].passed
    assert progress.load()["02", "relu"]["tries"] == 1


def test_a_lock_held_by_another_kernel(kept):
    import fcntl

    quietly(check_relu, relu)
    with open(kept.with_name("progress.json.lock"), "a") as other:
        fcntl.flock(other, fcntl.LOCK_EX)  # another kernel, stuck while writing
        result, printed = quietly(check_relu, lambda x: x)
        fcntl.flock(other, fcntl.LOCK_UN)
    assert not result.passed and printed.startswith("✗ ")
    assert progress.load()["02", "relu"]["tries"] == 1  # this one was not kept, nothing broke


def test_the_file_is_bounded(kept, monkeypatch):
    monkeypatch.setattr(progress, "MAX_ENTRIES", 3)
    monkeypatch.setattr(progress, "MAX_HINT", 10)
    for question, answer in ((1, 0), (2, "c"), (3, 0), (4, "a")):
        quietly(check_exit_ticket, "02", {question: answer})
    kept_now = progress.load()
    assert len(kept_now) == 3 and ("02", "exit_4") in kept_now
    assert all(len(e["hint"] or "") <= 10 for e in kept_now.values())


# --- a class's hub --------------------------------------------------------------------------------

class FakeService:
    """Stands in for classroom/progress_service.py: records what arrives, with its token; can hold
    each request until released, or refuse."""

    def __init__(self):
        self.received: list[tuple[str, dict]] = []
        self.release = threading.Event()
        self.release.set()
        self.arrived = threading.Event()
        self.status = 200
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                service.arrived.set()
                service.release.wait(WAIT)
                if service.status == 200:
                    service.received.append((self.headers["Authorization"], body))
                self.send_response(service.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/services/progress/api/results"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hub(kept, monkeypatch):
    service = FakeService()
    monkeypatch.setenv("MNIST_LIB_PROGRESS_URL", service.url)
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "the-kernels-token")
    yield service
    service.close()


def settled():
    """Wait until the sender thread has nothing left to do."""
    thread = progress._SENDER._thread
    if thread is not None:
        thread.join(WAIT)
        assert not thread.is_alive()


def test_results_go_to_the_hub_with_the_kernels_token(hub):
    quietly(check_relu, lambda x: x)
    settled()
    quietly(check_relu, relu)
    settled()
    tokens = {token for token, _ in hub.received}
    assert tokens == {"token the-kernels-token"}
    last = hub.received[-1][1]["results"]
    assert [(r["notebook"], r["exercise"], r["passed"], r["tries"]) for r in last] == [("02", "relu", True, 2)]
    assert set(last[0]) == {"notebook", "exercise", "passed", "last_passed", "tries", "mistake",
                            "hint", "first_at", "passed_at", "last_at"}
    entry = json.loads(progress.progress_file().read_text())["exercises"]["02/relu"]
    assert entry["sent"] == entry["version"] == 2


def test_the_check_does_not_wait_for_the_hub(hub):
    hub.release.clear()  # the hub holds every request until the test lets it go
    result, printed = quietly(check_relu, relu)
    assert hub.arrived.wait(WAIT)  # the post is under way ...
    assert result.passed and printed == "✓ All tests passed\n"  # ... and the check has answered
    assert hub.received == []
    hub.release.set()
    settled()
    assert len(hub.received) == 1


def test_a_hub_that_is_down_gets_what_it_missed_next_time(hub):
    hub.status = 503
    quietly(check_relu, lambda x: x)
    quietly(check_exit_ticket, "02", {1: 0.5})
    settled()
    assert hub.received == []
    entries = json.loads(progress.progress_file().read_text())["exercises"]
    assert all(e["sent"] == 0 for e in entries.values())
    hub.status = 200
    quietly(check_relu, relu)
    settled()
    sent = [(r["exercise"], r["tries"]) for _, body in hub.received for r in body["results"]]
    assert sorted(sent) == [("exit_1", 1), ("relu", 2)]


def test_a_hub_that_cannot_be_reached(kept, monkeypatch):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nobody listens there once it is closed
    monkeypatch.setenv("MNIST_LIB_PROGRESS_URL", f"http://127.0.0.1:{port}/services/progress/api/results")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "t")
    result, printed = quietly(check_relu, relu)
    settled()
    assert result.passed and printed == "✓ All tests passed\n"
    assert progress.load()["02", "relu"]["sent"] == 0


def test_a_result_not_kept_locally_is_still_sent(hub, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("MNIST_LIB_PROGRESS", str(blocker / "progress.json"))
    quietly(check_relu, lambda x: x)
    settled()
    quietly(check_relu, relu)
    settled()
    sent = [(r["exercise"], r["tries"], r["passed"]) for _, body in hub.received for r in body["results"]]
    assert sent == [("relu", 1, False), ("relu", 2, True)]
