"""The class's progress service: a JupyterHub service that collects every student's exercise results
and shows the teacher who is stuck where, live.

JupyterHub starts it as a managed service (``progress_config.py`` adds it to the hub's
configuration) and the proxy routes ``/services/progress/`` to it. It needs only what JupyterHub
itself runs on (tornado, ``jupyterhub.services.auth``) and Python's ``sqlite3``:

- ``POST /services/progress/api/results``: a student's kernel sends its exercise results (what
  ``mnist_lib.progress`` keeps, one entry per exercise), authenticated with the kernel's own
  ``JUPYTERHUB_API_TOKEN``. The hub resolves the token (``HubAuth``); the results are stored under
  the token's user, never under a name from the body, and the token must carry the scope
  ``custom:progress:write`` (the hub's ``server`` role has it). A body that names another user is
  refused (403); a malformed or oversized one gets a 4xx and changes nothing.
- ``GET /services/progress/``: the teacher's page, through the hub's log-in (``HubOAuth``), for
  users with the scope ``custom:progress:read`` only (the ``teachers`` group and the admins):
  students × exercises of one notebook (passed / tried / not yet) and, per exercise, the most
  common hint right now: among the students still stuck on it, the mistake most of them made last.
  It refreshes itself every few seconds, and opens on the notebook of the latest result.
- ``GET /services/progress/api/progress?notebook=04``: the same as JSON (same scope).

Results are kept in SQLite (``--db``), one row per student and exercise, so the file is bounded
by the class's size and survives a restart of the hub or the service; ``PRAGMA max_page_count``
caps it besides (``--max-mb``). The service listens on the address of its URL in the hub's
configuration (the hub's internal address: 127.0.0.1 on one machine), or on ``--ip``. Nothing
leaves this machine: ``classroom/export.py`` writes the gradebook files when the teacher asks.

When ``mnist_lib`` is importable (the course's environment), the page lists every exercise of the
course and the service accepts only those; without it (a hub image of its own, as in Zero to
JupyterHub), it lists the exercises it has received.
"""
from __future__ import annotations

import argparse
import html
import json
import logging
import os
import re
import sqlite3
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

from jupyterhub.services.auth import (HubAuth, HubAuthenticated, HubOAuth, HubOAuthCallbackHandler,
                                      HubOAuthenticated)
from jupyterhub.utils import url_path_join
from tornado import web
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop

WRITE_SCOPE = "custom:progress:write"
READ_SCOPE = "custom:progress:read"
TEACHERS_GROUP = "teachers"
MAX_BODY = 64 * 1024        # bytes of one POST
MAX_READ = 2 * 2**20        # a larger body is read and dropped (413); beyond this, cut off (400)
MAX_RESULTS = 200           # results in one POST
MAX_ROWS_PER_USER = 1000    # exercises kept per student (the course has about a hundred)
MAX_HINT = 500              # characters of a hint
REFRESH_SECONDS = 10        # the teacher's page reloads itself this often
USERS_CACHE_SECONDS = 30    # how long the hub's list of users is reused

NOTEBOOK = re.compile(r"^\d{2}$")
EXERCISE = re.compile(r"^[a-z0-9_]{1,64}$")
MISTAKE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FIELDS = {"notebook", "exercise", "passed", "last_passed", "tries", "mistake", "hint", "first_at",
          "passed_at", "last_at"}

log = logging.getLogger("progress")


# --- the catalogue --------------------------------------------------------------------------------

def load_catalogue() -> dict[tuple[str, str], str] | None:
    """Every exercise of the course, ``(notebook, id) -> title`` in course order, or None when the
    course's package is not installed here."""
    try:
        from mnist_lib.checks import EXERCISES
    except ImportError:
        return None
    return {key: exercise.title for key, exercise in EXERCISES.items()}


# --- validation -----------------------------------------------------------------------------------

class BadRequest(ValueError):
    """What is wrong with a POST's body, for the 400 answer."""


def _timestamp(value, name: str, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise BadRequest(f"{name} must be an ISO 8601 time, got {value!r:.60}")
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{name} must be an ISO 8601 time, got {value!r:.60}") from None
    return value


def validate(body: bytes, user: str, catalogue: dict | None) -> list[dict]:
    """The results of a POST's body, checked field by field; raises BadRequest (or PermissionError
    for a body that names another user) before anything is stored."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("the body must be JSON: {\"results\": [...]}") from None
    if not isinstance(data, dict) or set(data) - {"results", "user"} or "results" not in data:
        raise BadRequest("the body must be an object {\"results\": [...]}")
    if "user" in data and data["user"] != user:
        raise PermissionError(f"{user} cannot record results for {data['user']!r:.60}")
    results = data["results"]
    if not isinstance(results, list) or not 1 <= len(results) <= MAX_RESULTS:
        raise BadRequest(f"results must be a list of 1 to {MAX_RESULTS} results")
    clean = []
    for k, r in enumerate(results):
        where = f"results[{k}]"
        if not isinstance(r, dict) or set(r) - FIELDS or {"notebook", "exercise", "tries"} - set(r):
            raise BadRequest(f"{where} must be an object with the fields {sorted(FIELDS)}")
        notebook, exercise = r["notebook"], r["exercise"]
        if not (isinstance(notebook, str) and NOTEBOOK.match(notebook)):
            raise BadRequest(f"{where}.notebook must be two digits, got {notebook!r:.60}")
        if not (isinstance(exercise, str) and EXERCISE.match(exercise)):
            raise BadRequest(f"{where}.exercise must be an exercise id, got {exercise!r:.60}")
        if catalogue is not None and (notebook, exercise) not in catalogue:
            raise BadRequest(f"{where}: the course has no exercise {notebook}/{exercise}")
        for name in ("passed", "last_passed"):
            if not isinstance(r.get(name), bool):
                raise BadRequest(f"{where}.{name} must be true or false")
        tries = r["tries"]
        if isinstance(tries, bool) or not isinstance(tries, int) or not 1 <= tries <= 1_000_000:
            raise BadRequest(f"{where}.tries must be a whole number from 1, got {tries!r:.60}")
        mistake, hint = r.get("mistake"), r.get("hint")
        if mistake is not None and not (isinstance(mistake, str) and len(mistake) <= 64
                                        and MISTAKE.match(mistake)):
            raise BadRequest(f"{where}.mistake must be a mistake id or null, got {mistake!r:.60}")
        if hint is not None and not (isinstance(hint, str) and len(hint) <= MAX_HINT):
            raise BadRequest(f"{where}.hint must be text of at most {MAX_HINT} characters or null")
        clean.append({"notebook": notebook, "exercise": exercise, "passed": r["passed"],
                      "last_passed": r["last_passed"], "tries": tries, "mistake": mistake,
                      "hint": hint, "first_at": _timestamp(r.get("first_at"), f"{where}.first_at"),
                      "passed_at": _timestamp(r.get("passed_at"), f"{where}.passed_at", True),
                      "last_at": _timestamp(r.get("last_at"), f"{where}.last_at")})
    return clean


# --- the store ------------------------------------------------------------------------------------

class Full(Exception):
    """The store refuses more rows (a student's limit, or the file's)."""


class Store:
    """The results in SQLite: one row per (user, notebook, exercise), the latest state."""

    def __init__(self, path: Path, max_mb: int = 200):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)  # transactions written out below
        self.db.execute("PRAGMA journal_mode=WAL")
        page_size = self.db.execute("PRAGMA page_size").fetchone()[0]
        self.db.execute(f"PRAGMA max_page_count={max_mb * 2**20 // page_size}")
        self.db.execute("""CREATE TABLE IF NOT EXISTS results (
            user TEXT NOT NULL, notebook TEXT NOT NULL, exercise TEXT NOT NULL,
            passed INTEGER NOT NULL, last_passed INTEGER NOT NULL, tries INTEGER NOT NULL,
            mistake TEXT, hint TEXT, first_at TEXT, passed_at TEXT, last_at TEXT,
            received_at REAL NOT NULL, PRIMARY KEY (user, notebook, exercise))""")
        os.chmod(path, 0o600)

    def save(self, user: str, results: list[dict]) -> int:
        """Store a student's results in one transaction (all or none); a row only moves forward
        (more tries), so an older post arriving late changes nothing. Returns the rows written."""
        now, written = time.time(), 0
        try:
            self.db.execute("BEGIN IMMEDIATE")
            have = self.db.execute("SELECT COUNT(*) FROM results WHERE user = ?", (user,)).fetchone()[0]
            for r in results:
                exists = self.db.execute(
                    "SELECT 1 FROM results WHERE user = ? AND notebook = ? AND exercise = ?",
                    (user, r["notebook"], r["exercise"])).fetchone()
                if not exists:
                    have += 1
                    if have > MAX_ROWS_PER_USER:
                        raise Full(f"{user} already has {MAX_ROWS_PER_USER} exercises")
                cursor = self.db.execute(
                    """INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT (user, notebook, exercise) DO UPDATE SET
                         passed = MAX(passed, excluded.passed), last_passed = excluded.last_passed,
                         tries = excluded.tries, mistake = excluded.mistake, hint = excluded.hint,
                         first_at = excluded.first_at,
                         passed_at = COALESCE(passed_at, excluded.passed_at),
                         last_at = excluded.last_at, received_at = excluded.received_at
                       WHERE excluded.tries >= results.tries""",
                    (user, r["notebook"], r["exercise"], int(r["passed"]), int(r["last_passed"]),
                     r["tries"], r["mistake"], r["hint"], r["first_at"], r["passed_at"],
                     r["last_at"], now))
                written += cursor.rowcount
            self.db.execute("COMMIT")
        except BaseException as err:
            if self.db.in_transaction:  # (SQLite has already rolled back after "database is full")
                self.db.execute("ROLLBACK")
            if isinstance(err, sqlite3.OperationalError) and "full" in str(err):
                raise Full("the results file has reached its size limit") from err
            raise
        return written

    def latest_notebook(self) -> str | None:
        """The notebook of the latest result received, or None before the first."""
        row = self.db.execute("SELECT notebook FROM results ORDER BY received_at DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def rows(self, notebook: str | None = None) -> list[dict]:
        query, args = "SELECT * FROM results", ()
        if notebook is not None:
            query, args = query + " WHERE notebook = ?", (notebook,)
        cursor = self.db.execute(query + " ORDER BY user, notebook, exercise", args)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor]


# --- the class's table ----------------------------------------------------------------------------

def status(row: dict | None) -> str:
    if row is None:
        return "not yet"
    return "passed" if row["passed"] else "tried"


def table(store: Store, notebook: str, students: list[str], catalogue: dict | None) -> dict:
    """One notebook's table: its exercises with counts and the most common hint right now, and
    each student's status per exercise."""
    rows = store.rows(notebook)
    seen = {r["exercise"] for r in rows}
    if catalogue is not None:
        exercises = [(ex, title) for (nb, ex), title in catalogue.items() if nb == notebook]
    else:
        exercises = [(ex, ex.replace("_", " ")) for ex in sorted(seen)]
    students = sorted(set(students) | {r["user"] for r in rows})
    by = {(r["user"], r["exercise"]): r for r in rows}
    out = {"notebook": notebook, "students": [], "exercises": []}
    for ex, title in exercises:
        states = [status(by.get((s, ex))) for s in students]
        stuck = [by[s, ex] for s in students if status(by.get((s, ex))) == "tried"]
        named = Counter(r["mistake"] for r in stuck if r["mistake"])
        common = None
        if named:
            mistake, count = min(named.items(), key=lambda item: (-item[1], item[0]))
            hints = Counter(r["hint"] for r in stuck if r["mistake"] == mistake and r["hint"])
            common = {"mistake": mistake, "students": count,
                      "hint": hints.most_common(1)[0][0] if hints else None}
        out["exercises"].append({"id": ex, "title": title, "passed": states.count("passed"),
                                 "tried": states.count("tried"), "not_yet": states.count("not yet"),
                                 "most_common": common})
    for s in students:
        results = {}
        for ex, _ in exercises:
            r = by.get((s, ex))
            results[ex] = {"status": status(r), "tries": r["tries"] if r else 0,
                           "mistake": r["mistake"] if r and not r["passed"] else None,
                           "hint": r["hint"] if r and not r["passed"] else None,
                           "last_at": r["last_at"] if r else None}
        out["students"].append({"name": s, "results": results})
    return out


STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5em; font-size: 17px; }
h1 { font-size: 1.5em; margin: 0 0 .3em; }
nav a { margin-right: .6em; } nav a.current { font-weight: bold; text-decoration: none; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.passed { background: #d8f3e8; } td.tried { background: #fbe3d6; } td.not-yet { color: #888; }
td.count { text-align: right; }
.hint { max-width: 38em; } .muted { color: #666; }
"""


def page(data: dict, notebooks: list[str], prefix: str, when: str) -> str:
    """The teacher's page for one notebook, as HTML (every text from the students escaped)."""
    esc = html.escape
    nb = data["notebook"]
    nav = " ".join(f'<a href="{esc(prefix)}?notebook={n}"'
                   f'{" class=current" if n == nb else ""}>{n}</a>' for n in notebooks)
    summary = []
    for ex in data["exercises"]:
        common = ex["most_common"]
        hint = (f'<b>{common["students"]} stuck on <code>{esc(common["mistake"])}</code></b>: '
                f'{esc(common["hint"] or "")}') if common else '<span class="muted">none</span>'
        summary.append(
            f'<tr data-exercise="{esc(ex["id"])}"><td>{esc(ex["title"])}</td>'
            f'<td class="count passed-count">{ex["passed"]}</td>'
            f'<td class="count tried-count">{ex["tried"]}</td>'
            f'<td class="count not-yet-count">{ex["not_yet"]}</td>'
            f'<td class="hint most-common">{hint}</td></tr>')
    marks = {"passed": "✓", "tried": "✗", "not yet": "·"}
    head = "".join(f'<th title="{esc(ex["title"])}">{k}</th>'
                   for k, ex in enumerate(data["exercises"], start=1))
    grid = []
    for s in data["students"]:
        cells = []
        for ex in data["exercises"]:
            r = s["results"][ex["id"]]
            tip = f'{ex["title"]}: {r["status"]}' + (f', {r["tries"]} tries' if r["tries"] else "")
            if r["hint"]:
                tip += f': {r["hint"]}'
            cells.append(f'<td class="{r["status"].replace(" ", "-")}" title="{esc(tip)}">'
                         f'{marks[r["status"]]}{r["tries"] if r["status"] == "tried" else ""}</td>')
        grid.append(f'<tr data-student="{esc(s["name"])}"><th>{esc(s["name"])}</th>{"".join(cells)}</tr>')
    legend = "".join(f"<li>{esc(ex['title'])}</li>" for ex in data["exercises"])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="{REFRESH_SECONDS}">
<title>Class progress: notebook {esc(nb)}</title><style>{STYLE}</style></head>
<body>
<h1>Class progress: notebook {esc(nb)}</h1>
<p class="muted">{len(data["students"])} students · updated {esc(when)} · this page reloads every
{REFRESH_SECONDS} s</p>
<nav>Notebook: {nav}</nav>
<h2>Exercises</h2>
<table id="exercises"><tr><th>exercise</th><th>passed</th><th>tried</th><th>not yet</th>
<th>most common mistake right now, among those still stuck (a tie: the first id)</th></tr>
{"".join(summary)}</table>
<h2>Students</h2>
<p class="muted">✓ passed; ✗ tried, not passed yet (with the number of tries); · not yet. Point at
a cell for the student's last hint. The columns are the exercises below, in order.</p>
<table id="students"><tr><th>student</th>{head}</tr>
{"".join(grid)}</table>
<ol class="muted">{legend}</ol>
</body></html>"""


# --- the handlers ---------------------------------------------------------------------------------

@web.stream_request_body
class ResultsHandler(HubAuthenticated, web.RequestHandler):
    """``POST api/results``: a student's kernel records its results (token only, no cookies).

    The body is read as it arrives and kept up to MAX_BODY bytes: a larger one is read to its end
    (up to MAX_READ) only to answer 413, never held in memory."""

    hub_scopes = {WRITE_SCOPE}

    def initialize(self, store: Store, catalogue: dict | None, hub_auth: HubAuth):
        self.store, self.catalogue, self.hub_auth = store, catalogue, hub_auth
        self.chunks: list[bytes] = []
        self.size = 0

    def prepare(self):
        self.request.connection.set_max_body_size(MAX_READ)

    def data_received(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size <= MAX_BODY:
            self.chunks.append(chunk)

    def check_xsrf_cookie(self):
        """Tokens only: a browser's cookie never authenticates this handler, so there is no
        cross-site request to forge."""

    @web.authenticated
    def post(self):
        user = self.current_user
        if user.get("kind", "user") != "user":
            raise web.HTTPError(403, "only a student's own token records results")
        if self.size > MAX_BODY:
            raise web.HTTPError(413, f"the body is larger than {MAX_BODY} bytes")
        try:
            results = validate(b"".join(self.chunks), user["name"], self.catalogue)
            written = self.store.save(user["name"], results)
        except BadRequest as err:
            raise web.HTTPError(400, str(err)) from None
        except PermissionError as err:
            log.warning("refused: %s", err)
            raise web.HTTPError(403, str(err)) from None
        except Full as err:
            raise web.HTTPError(507, str(err)) from None
        self.finish({"recorded": len(results), "written": written})

    def write_error(self, status_code: int, **kwargs) -> None:
        reason = self._reason
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, web.HTTPError) and exc.log_message:
            reason = exc.log_message
        self.finish({"status": status_code, "message": reason})


class TeacherHandler(HubOAuthenticated, web.RequestHandler):
    """What a teacher reads: the page and its JSON (log-in through the hub, read scope only)."""

    hub_scopes = {READ_SCOPE}

    def initialize(self, store: Store, catalogue: dict | None, users: Users):
        self.store, self.catalogue, self.users = store, catalogue, users

    def notebooks(self) -> list[str]:
        known = {nb for nb, _ in self.catalogue} if self.catalogue else set()
        return sorted(known | {r["notebook"] for r in self.store.rows()})

    def chosen(self, notebooks: list[str]) -> str:
        """The notebook asked for (``?notebook=04``), or else the one the class is working on:
        the notebook of the latest result received."""
        notebook = self.get_argument("notebook", None)
        if notebook is None:
            latest = self.store.latest_notebook()
            return latest or (notebooks[0] if notebooks else "00")
        if not NOTEBOOK.match(notebook):
            raise web.HTTPError(400, "notebook must be two digits, such as 04")
        return notebook

    async def data(self) -> tuple[dict, list[str]]:
        notebooks = self.notebooks()
        notebook = self.chosen(notebooks)
        students = await self.users.students()
        return table(self.store, notebook, students, self.catalogue), notebooks


class PageHandler(TeacherHandler):
    @web.authenticated
    async def get(self):
        data, notebooks = await self.data()
        prefix = self.settings["service_prefix"]
        self.set_header("Cache-Control", "no-store")
        self.finish(page(data, notebooks, prefix, datetime.now().strftime("%H:%M:%S")))


class ProgressApiHandler(TeacherHandler):
    @web.authenticated
    async def get(self):
        data, _ = await self.data()
        self.set_header("Cache-Control", "no-store")
        self.finish(data)


class Users:
    """The hub's students (users outside the teachers group who are not admins), asked of the hub
    with the service's own token and kept for a little while; those who have sent results are
    added by the table anyway."""

    def __init__(self, api_url: str, token: str):
        self.api_url, self.token = api_url, token
        self.cached: list[str] = []
        self.when = 0.0

    async def students(self) -> list[str]:
        if time.monotonic() - self.when < USERS_CACHE_SECONDS:
            return self.cached
        request = HTTPRequest(url_path_join(self.api_url, "users"), request_timeout=5,
                              headers={"Authorization": f"token {self.token}"})
        try:
            response = await AsyncHTTPClient().fetch(request)
            users = json.loads(response.body)
            self.cached = sorted(u["name"] for u in users if not u.get("admin")
                                 and TEACHERS_GROUP not in u.get("groups", []))
        except Exception as err:  # the page still shows everyone who has sent results
            log.warning("could not list the hub's users: %s", err)
        self.when = time.monotonic()
        return self.cached


def make_app(store: Store, catalogue: dict | None, prefix: str, users: Users) -> web.Application:
    api_auth = HubAuth(cache_max_age=60)  # tokens are checked with the hub, then cached a minute
    teacher = {"store": store, "catalogue": catalogue, "users": users}
    return web.Application([
        (prefix, PageHandler, teacher),
        (url_path_join(prefix, "api/progress"), ProgressApiHandler, teacher),
        (url_path_join(prefix, "api/results"), ResultsHandler,
         {"store": store, "catalogue": catalogue, "hub_auth": api_auth}),
        (url_path_join(prefix, "oauth_callback"), HubOAuthCallbackHandler),
    ], cookie_secret=os.urandom(32), service_prefix=prefix, xsrf_cookies=False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="the SQLite file of the results")
    parser.add_argument("--max-mb", type=int, default=200, help="the file's size limit (MB)")
    parser.add_argument("--ip", help="listen here instead of the host of JUPYTERHUB_SERVICE_URL "
                        "(Zero to JupyterHub: 0.0.0.0 in the hub's pod)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="[%(levelname)s %(asctime)s progress] %(message)s")
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    prefix = os.environ["JUPYTERHUB_SERVICE_PREFIX"]
    store = Store(args.db, args.max_mb)
    catalogue = load_catalogue()
    users = Users(os.environ["JUPYTERHUB_API_URL"], os.environ["JUPYTERHUB_API_TOKEN"])
    app = make_app(store, catalogue, prefix, users)
    HTTPServer(app, max_body_size=MAX_BODY).listen(url.port, args.ip or url.hostname)
    log.info("listening on %s:%s%s, results in %s, %s", args.ip or url.hostname, url.port, prefix,
             args.db, f"{len(catalogue)} exercises" if catalogue else "no catalogue (mnist_lib absent)")
    IOLoop.current().start()


if __name__ == "__main__":
    main()
