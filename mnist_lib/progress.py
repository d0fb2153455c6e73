"""Your progress through the course: every exercise check's result, kept in a small file of yours.

Each time a check runs (``check_softmax(...)``, an exit-ticket question...), :func:`record` keeps
its result: the notebook, the exercise, whether it passed, the mistake the check recognised and
its hint, and when. :func:`show` draws the table of what is done::

    from mnist_lib import progress
    progress.show()          # the whole course: one row per notebook
    progress.show("04")      # one notebook: each exercise, its tries and the last hint

Where the results live: one JSON file, ``progress.json`` in the course's folder of your Jupyter data
directory (``jupyter --data-dir``; on Linux ``~/.local/share/jupyter/mnist-from-scratch/``). The
environment variable ``MNIST_LIB_PROGRESS`` names another file, or ``off`` to keep nothing. The
file holds one small entry per exercise (never one per attempt), at most :data:`MAX_ENTRIES`, so it
stays a few kilobytes. Several kernels of yours may write it at once: a lock file orders them and
every write replaces the file whole, so it is never half written.

On a class's JupyterHub (``classroom/``), the hub gives each kernel the address of the class's
progress service (``MNIST_LIB_PROGRESS_URL``) and the student's own token
(``JUPYTERHUB_API_TOKEN``): after each check a background thread sends the entries the service
has not acknowledged yet. Anywhere else nothing leaves your computer.

Recording never breaks a check nor slows it noticeably: a read-only home, a full disk, a lock held
too long or a hub that is down or slow only mean that this result is not kept or not sent yet
(the check has already printed its feedback). The file is the source: what the hub missed is sent
after the next check.
"""
from __future__ import annotations

import contextlib
import html
import json
import os
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

__all__ = ["record", "show", "load", "progress_file", "Progress", "MAX_ENTRIES", "FORMAT"]

#: The file's format; a file of another format is left alone and a new one started beside it.
FORMAT = 1
#: At most this many exercises are kept (the course has about a hundred): the oldest go first.
MAX_ENTRIES = 1000
#: A hint is kept to this many characters.
MAX_HINT = 300
#: Seconds to wait for the lock of the file before giving up on keeping this one result.
LOCK_WAIT = 0.25
#: Seconds a post to the class's progress service may take; it runs on a background thread.
POST_TIMEOUT = 3.0
#: At most this many entries in one post to the service.
POST_BATCH = 200

ENV_FILE = "MNIST_LIB_PROGRESS"
ENV_URL = "MNIST_LIB_PROGRESS_URL"
ENV_TOKEN = "JUPYTERHUB_API_TOKEN"


# --- where ----------------------------------------------------------------------------------------

def progress_file() -> Path | None:
    """The file that keeps the results: ``$MNIST_LIB_PROGRESS``, or ``progress.json`` in the
    course's folder of the Jupyter data directory; None when ``MNIST_LIB_PROGRESS=off``."""
    chosen = os.environ.get(ENV_FILE, "").strip()
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen).expanduser()
    try:
        from jupyter_core.paths import jupyter_data_dir
        data = Path(jupyter_data_dir())
    except ImportError:  # Python without Jupyter: the same place jupyter_core would choose on Linux
        data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "jupyter"
    return data / "mnist-from-scratch" / "progress.json"


# --- the file -------------------------------------------------------------------------------------

def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _empty() -> dict:
    return {"format": FORMAT, "exercises": {}}


def _read(path: Path) -> dict:
    """The file's content; an empty record when it is missing, damaged or of another format."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _empty()
    if not (isinstance(data, dict) and data.get("format") == FORMAT
            and isinstance(data.get("exercises"), dict)):
        return _empty()
    data["exercises"] = {k: v for k, v in data["exercises"].items() if _valid_entry(v)}
    return data


def _valid_entry(entry) -> bool:
    return (isinstance(entry, dict) and isinstance(entry.get("notebook"), str)
            and isinstance(entry.get("exercise"), str) and isinstance(entry.get("tries"), int)
            and isinstance(entry.get("version"), int))


def _write(path: Path, data: dict) -> None:
    """Replace the file whole (a temporary file beside it, then a rename): a full disk or a crash
    leaves the old file as it was."""
    fd, tmp = tempfile.mkstemp(prefix=".progress-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, separators=(",", ":"))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the lock of ``path`` (``path.lock``, with ``fcntl.flock`` where there is one); raise
    TimeoutError after :data:`LOCK_WAIT` seconds rather than wait for a stuck writer."""
    try:
        import fcntl
    except ImportError:  # Windows: the rename is atomic there too; two kernels writing at the
        yield            # same instant may lose one entry's update, never the file
        return
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the lock of {path} is held") from None
                time.sleep(0.005)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _updated(entry: dict | None, notebook: str, exercise: str, passed: bool,
             mistake: str | None, hint: str | None, when: str) -> dict:
    """The exercise's entry after one more attempt."""
    entry = dict(entry or {"notebook": notebook, "exercise": exercise, "passed": False,
                           "tries": 0, "first_at": when, "passed_at": None, "version": 0,
                           "sent": 0})
    entry.update(tries=entry["tries"] + 1, last_passed=passed, last_at=when,
                 mistake=None if passed else mistake,
                 hint=None if passed or hint is None else hint[:MAX_HINT],
                 version=entry["version"] + 1)
    if passed and not entry["passed"]:
        entry.update(passed=True, passed_at=when)
    return entry


def _bounded(exercises: dict) -> dict:
    """At most :data:`MAX_ENTRIES` entries: the most recently tried ones."""
    if len(exercises) <= MAX_ENTRIES:
        return exercises
    newest = sorted(exercises, key=lambda k: exercises[k].get("last_at", ""))[-MAX_ENTRIES:]
    return {k: exercises[k] for k in newest}


# --- recording ------------------------------------------------------------------------------------

def record(result) -> None:
    """Keep one check's result (a :class:`~mnist_lib.checks.CheckResult` with its notebook and
    exercise) in the progress file, and send what the class's service has not seen yet when the
    kernel runs on a class's hub. Never raises: a result that cannot be kept is not kept."""
    try:
        _record(result)
    except Exception:  # nothing about keeping a result may reach the learner's check
        pass


def _record(result) -> None:
    notebook, exercise = result.notebook, result.exercise
    if not (isinstance(notebook, str) and isinstance(exercise, str)):
        return
    when = _now()
    path = progress_file()
    entry, kept = None, False
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with _locked(path):
                data = _read(path)
                key = f"{notebook}/{exercise}"
                entry = _updated(data["exercises"].get(key), notebook, exercise, result.passed,
                                 result.mistake, result.hint, when)
                data["exercises"][key] = entry
                data["exercises"] = _bounded(data["exercises"])
                _write(path, data)
                kept = True
        except (OSError, TimeoutError):
            pass  # a read-only home, a full disk, a stuck lock: not kept this time
    if _SENDER.configured():
        if not kept:  # the service still gets it, from memory, as long as this kernel runs
            _SENDER.later(entry or _updated(None, notebook, exercise, result.passed,
                                            result.mistake, result.hint, when))
        _SENDER.wake(path)


# --- sending to the class's progress service ------------------------------------------------------

class _Sender:
    """Sends unacknowledged entries to the class's service on one background thread at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._again = False
        self._loose: dict[str, dict] = {}  # entries the file could not keep: kept here instead

    @staticmethod
    def configured() -> bool:
        return bool(os.environ.get(ENV_URL) and os.environ.get(ENV_TOKEN))

    def later(self, entry: dict) -> None:
        """Keep an entry the file could not keep, until it is sent."""
        with self._lock:
            key = f"{entry['notebook']}/{entry['exercise']}"
            old = self._loose.get(key)
            if old is not None and old["tries"] >= entry["tries"]:  # attempts kept in memory only
                entry = {**entry, "tries": old["tries"] + 1, "version": old["version"] + 1,
                         "first_at": old["first_at"], "passed": old["passed"] or entry["passed"],
                         "passed_at": old["passed_at"] or entry["passed_at"]}
            self._loose[key] = entry
            if len(self._loose) > MAX_ENTRIES:
                self._loose.pop(next(iter(self._loose)))

    def wake(self, path: Path | None) -> None:
        """Start the sending thread, or ask the running one for one more round."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._again = True
                return
            self._again = False
            self._thread = threading.Thread(target=self._run, args=(path,), daemon=True,
                                            name="mnist_lib progress sender")
            self._thread.start()

    def _run(self, path: Path | None) -> None:
        while True:
            try:
                self._send_all(path)
            except Exception:  # the hub is down, slow or refusing: the file keeps everything
                pass
            with self._lock:
                if not self._again:
                    self._thread = None
                    return
                self._again = False

    def _send_all(self, path: Path | None) -> None:
        pending = []
        if path is not None:
            with contextlib.suppress(OSError, TimeoutError), _locked(path):
                pending = [e for e in _read(path)["exercises"].values()
                           if e["version"] > e.get("sent", 0)]
        with self._lock:
            loose = [dict(e) for e in self._loose.values() if e["version"] > e["sent"]]
        for start in range(0, len(pending) + len(loose), POST_BATCH):
            batch = (pending + loose)[start:start + POST_BATCH]
            _post(batch)
            sent = {f"{e['notebook']}/{e['exercise']}": e["version"] for e in batch}
            with self._lock:  # kept in memory, with its count of tries, as sent
                for key, version in sent.items():
                    if key in self._loose:
                        self._loose[key]["sent"] = max(self._loose[key]["sent"], version)
            if path is not None and pending:
                with contextlib.suppress(OSError, TimeoutError), _locked(path):
                    data = _read(path)
                    for key, version in sent.items():
                        entry = data["exercises"].get(key)
                        if entry is not None and version > entry.get("sent", 0):
                            entry["sent"] = version
                    _write(path, data)


def _wire(entry: dict) -> dict:
    """What the service receives of an entry (no user name: the service takes it from the token)."""
    return {k: entry.get(k) for k in ("notebook", "exercise", "passed", "last_passed", "tries",
                                      "mistake", "hint", "first_at", "passed_at", "last_at")}


def _post(entries: list[dict]) -> None:
    body = json.dumps({"results": [_wire(e) for e in entries]}).encode()
    request = urllib.request.Request(
        os.environ[ENV_URL], data=body, method="POST",
        headers={"Authorization": f"token {os.environ[ENV_TOKEN]}",
                 "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=POST_TIMEOUT) as response:
        if response.status != 200:
            raise urllib.error.HTTPError(request.full_url, response.status, "not recorded",
                                         response.headers, None)


_SENDER = _Sender()


# --- reading and showing --------------------------------------------------------------------------

def load() -> dict[tuple[str, str], dict]:
    """Every kept result, by ``(notebook, exercise)``: ``passed`` (ever), ``tries``,
    ``last_passed``, ``mistake`` and ``hint`` of the last try, ``first_at``, ``passed_at`` and
    ``last_at`` (ISO 8601, UTC). Empty when nothing is kept (or ``MNIST_LIB_PROGRESS=off``)."""
    path = progress_file()
    if path is None:
        return {}
    return {(e["notebook"], e["exercise"]): e for e in _read(path)["exercises"].values()}


@dataclass(frozen=True)
class Row:
    """One exercise in the progress table: its notebook, id and title, and what was kept."""

    notebook: str
    exercise: str
    title: str
    entry: dict | None

    @property
    def status(self) -> str:
        """"passed", "tried" (never passed yet) or "not yet"."""
        if self.entry is None:
            return "not yet"
        return "passed" if self.entry["passed"] else "tried"


_MARK = {"passed": "✓", "tried": "✗", "not yet": "·"}


def _tries(n: int) -> str:
    return "1 try" if n == 1 else f"{n} tries"


class Progress:
    """The progress table that :func:`show` returns; a notebook displays it as HTML."""

    def __init__(self, rows: list[Row], notebook: str | None):
        self.rows, self.notebook = rows, notebook

    def counts(self, notebook: str) -> tuple[int, int, int]:
        """(passed, tried, exercises) of one notebook."""
        mine = [r for r in self.rows if r.notebook == notebook]
        return (sum(r.status == "passed" for r in mine), sum(r.status == "tried" for r in mine),
                len(mine))

    def notebooks(self) -> list[str]:
        return list(dict.fromkeys(r.notebook for r in self.rows))

    def __str__(self) -> str:
        if not self.rows:
            return "No exercises here."
        if self.notebook is None:
            lines = ["Your progress (✓ passed, ✗ tried, · not yet):"]
            for nb in self.notebooks():
                done, tried, total = self.counts(nb)
                marks = "".join(_MARK[r.status] for r in self.rows if r.notebook == nb)
                lines.append(f"  {nb}  {marks:<14} {done} of {total} done")
            return "\n".join(lines)
        done, _, total = self.counts(self.notebook)
        lines = [f"Notebook {self.notebook}: {done} of {total} done"]
        for r in self.rows:
            tries = r.entry["tries"] if r.entry else 0
            line = f"  {_MARK[r.status]} {r.title} ({r.status}" + (f", {_tries(tries)})" if tries else ")")
            if r.status == "tried" and r.entry.get("hint"):
                line += f": last hint: {r.entry['hint']}"
            lines.append(line)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        if not self.rows:
            return "<p>No exercises here.</p>"
        esc = html.escape
        style = ("<style>.mnist-progress td,.mnist-progress th{padding:2px 8px;text-align:left}"
                 ".mnist-progress .passed{color:#009E73}.mnist-progress .tried{color:#D55E00}"
                 ".mnist-progress .not-yet{color:#888}</style>")
        if self.notebook is None:
            body = []
            for nb in self.notebooks():
                done, _, total = self.counts(nb)
                marks = "".join(f'<span class="{r.status.replace(" ", "-")}" title="{esc(r.title)}: '
                                f'{r.status}">{_MARK[r.status]}</span>'
                                for r in self.rows if r.notebook == nb)
                body.append(f"<tr><td>{esc(nb)}</td><td>{marks}</td><td>{done} of {total} done</td></tr>")
            return (style + '<table class="mnist-progress"><caption>Your progress: ✓ passed, '
                    "✗ tried, · not yet</caption><tr><th>notebook</th><th>exercises</th><th></th>"
                    f"</tr>{''.join(body)}</table>")
        done, _, total = self.counts(self.notebook)
        body = []
        for r in self.rows:
            tries = r.entry["tries"] if r.entry else 0
            hint = r.entry.get("hint") if r.status == "tried" else None
            body.append(f'<tr><td class="{r.status.replace(" ", "-")}">{_MARK[r.status]} {r.status}'
                        f"</td><td>{esc(r.title)}</td><td>{tries or ''}</td>"
                        f"<td>{esc(hint or '')}</td></tr>")
        return (style + f'<table class="mnist-progress"><caption>Notebook {esc(self.notebook)}: '
                f"{done} of {total} done</caption><tr><th></th><th>exercise</th><th>tries</th>"
                f"<th>last hint</th></tr>{''.join(body)}</table>")


def show(notebook: str | None = None) -> Progress:
    """Your progress: every notebook's exercises (``notebook=None``), or one notebook's ("04")
    with each exercise's tries and the last hint. A notebook cell displays it as a table."""
    from .checks import EXERCISES  # here, not at the top: the checks record through this module

    if notebook is not None and not any(nb == notebook for nb, _ in EXERCISES):
        known = sorted({nb for nb, _ in EXERCISES})
        raise ValueError(f"notebook must be one of {known}, got {notebook!r}")
    kept = load()
    rows = [Row(nb, ex, exercise.title, kept.get((nb, ex)))
            for (nb, ex), exercise in EXERCISES.items() if notebook in (None, nb)]
    return Progress(rows, notebook)
