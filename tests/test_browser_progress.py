"""The class's progress page in a real browser, on a real JupyterHub: the teacher sees the table,
a student is refused.

One hub for the whole test, started as the load test starts it (classroom/load_test.py's
``Class``: 127.0.0.1, free ports, passwords made for the run, everything stopped at the end), with
a quick class of three: each student logs in, starts a server and a kernel, and hands in answers
to notebook 04's exercises and exit ticket by the load test's plan (without running the notebook;
the load test does that for ten). Then, in Debian's chromium:

- the teacher logs in on the hub's page, finds the progress page in the hub's menu, and sees the
  table of notebook 04: each exercise's counts and most common mistake as the plan makes them
  (tests/test_classroom.py's ``expected_table``), and a row per student; a screenshot is saved;
- student01 logs in and opens the same page: 403;
- student01's browser, logged in, posts results for student04 with its cookies: 403, and the
  kernel's own token does no better (the load test's refused posts, from student01's kernel).

Needs the hub's side (make classroom-test installs it) besides chromium; without them the test is
skipped, except when the environment variable CI is set: there it fails.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from browser_support import CHROMIUM, launch_chromium, unavailable
from test_classroom import expected_table, load_module

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CLASSROOM = ROOT / "classroom"
STUDENTS = 3
TIMEOUT = 60_000  # milliseconds for a page: the hub's log-in and OAuth on a busy machine


def requirements() -> None:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"chromium not found at {CHROMIUM}")
    missing = [name for name in ("playwright", "jupyterhub", "jupyter_kernel_client")
               if importlib.util.find_spec(name) is None]
    if not (CLASSROOM / "node_modules/.bin/configurable-http-proxy").exists():
        missing.append("configurable-http-proxy (npm ci in classroom/)")
    if missing:
        unavailable(f"not installed: {', '.join(missing)} (make classroom-test installs the hub's side)")


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    """A hub with the course and three students who have handed in their answers."""
    requirements()
    load_test = load_module("load_test")
    workdir = Path(tmp_path_factory.mktemp("hub"))
    # the hub's folders must be short: a kernel's socket path has at most 107 characters
    short = Path(tempfile.mkdtemp(prefix="classroom-browser-"))
    hub = load_test.Class(short, STUDENTS, load_test.course_repository(short), whole_notebook=False)
    try:
        hub.start()
        report = hub.run(timeout=600)
        yield hub, report, workdir
    finally:
        hub.stop()
        shutil.rmtree(short, ignore_errors=True)


def log_in(page, hub, name: str, password: str) -> None:
    page.goto(f"{hub.url}/hub/login", timeout=TIMEOUT)
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(lambda url: "/hub/login" not in url, timeout=TIMEOUT)


def test_teacher_sees_the_table_and_a_student_is_refused(classroom):
    from playwright.sync_api import expect, sync_playwright

    hub, report, workdir = classroom
    assert all(s["finished"] for s in report["students"]), report["students"]
    expected = expected_table(STUDENTS)
    with sync_playwright() as playwright:
        teacher = launch_chromium(playwright, workdir / "teacher", {"width": 1400, "height": 1000})
        try:
            page = teacher.pages[0] if teacher.pages else teacher.new_page()
            log_in(page, hub, "teacher", hub.admin_password)
            # the hub's menu lists the service
            page.goto(f"{hub.url}/hub/home", timeout=TIMEOUT)
            link = page.locator("a[href$='/services/progress/']")
            expect(link.first).to_be_attached()
            page.goto(f"{hub.url}/services/progress/?notebook=04", timeout=TIMEOUT)
            expect(page.locator("h1")).to_have_text("Class progress: notebook 04")
            rows = page.locator("#exercises tr[data-exercise]")
            expect(rows).to_have_count(len(expected))
            for exercise, (passed, tried, not_yet, common) in expected.items():
                row = page.locator(f"#exercises tr[data-exercise='{exercise}']")
                expect(row.locator(".passed-count")).to_have_text(str(passed))
                expect(row.locator(".tried-count")).to_have_text(str(tried))
                expect(row.locator(".not-yet-count")).to_have_text(str(not_yet))
                if common:
                    expect(row.locator(".most-common")).to_contain_text(common["mistake"])
                    expect(row.locator(".most-common")).to_contain_text(common["hint"])
            students = page.locator("#students tr[data-student]")
            expect(students).to_have_count(STUDENTS)
            expect(page.locator("#students tr[data-student='student03'] td.tried")).not_to_have_count(0)
            shot = workdir / "progress_page.png"
            page.screenshot(path=str(shot), full_page=True)
            print(f"screenshot of the teacher's progress page: {shot}")
            assert shot.stat().st_size > 10_000
        finally:
            teacher.close()

        student = launch_chromium(playwright, workdir / "student", {"width": 1200, "height": 800})
        try:
            page = student.pages[0] if student.pages else student.new_page()
            log_in(page, hub, "student01", hub.student_password)
            response = page.goto(f"{hub.url}/services/progress/?notebook=04", timeout=TIMEOUT)
            assert response.status == 403
            expect(page.locator("#exercises")).to_have_count(0)
            # a forged post from the logged-in browser: cookies are not a token
            status = page.evaluate("""async (url) => {
                const body = {user: "student04", results: [{notebook: "04", exercise: "batch_accuracy",
                    passed: true, last_passed: true, tries: 99, mistake: null, hint: null,
                    first_at: "2026-01-01T00:00:00+00:00", passed_at: "2026-01-01T00:00:00+00:00",
                    last_at: "2026-01-01T00:00:00+00:00"}]};
                const r = await fetch(url, {method: "POST", credentials: "include",
                    headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
                return r.status;
            }""", f"{hub.url}/services/progress/api/results")
            assert status == 403
        finally:
            student.close()
    # and from student01's kernel, with its own token
    probe = next(s["probe"] for s in report["students"] if s["name"] == "student01")
    assert probe == {"forged": 403, "malformed": 400, "oversized": 413}
    # nothing forged got in: the table is still the plan's
    table = hub.progress_table("04", settle=0)
    assert {e["id"]: (e["passed"], e["tried"], e["not_yet"], e["most_common"])
            for e in table["exercises"]} == expected
