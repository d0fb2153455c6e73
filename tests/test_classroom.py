"""The class set-up in classroom/: the nbgitpuller link helper, the hub's config, and the load test.

The load test (marked ``classroom``) runs ``classroom/load_test.py --students 10``: a real
JupyterHub on 127.0.0.1 with ten simulated students who each pull the course with nbgitpuller and
run notebook 04 plus a learning-rate experiment at the same time. It needs the hub's packages
(``pip install -r classroom/requirements.txt``) and the proxy (``npm ci`` in classroom/);
``make classroom-test`` installs both. Without them the test is skipped, except when the
environment variable CI is set: there it fails.
"""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from traitlets.config.loader import PyFileConfigLoader

ROOT = Path(__file__).resolve().parent.parent
CLASSROOM = ROOT / "classroom"
NOTEBOOK = "notebooks/04_three_layer_forward_pass.ipynb"
LOAD_TEST_TIMEOUT = 600  # seconds; ten students take about two minutes on two busy cores


def load_module(name: str):
    """A module from classroom/ by its file (classroom/ holds scripts, not an installed package;
    they import each other as scripts do, from their folder)."""
    if str(CLASSROOM) not in sys.path:
        sys.path.append(str(CLASSROOM))
    spec = importlib.util.spec_from_file_location(f"classroom_{name}", CLASSROOM / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


link_module = load_module("nbgitpuller_link")
nbgitpuller_link = link_module.nbgitpuller_link


def in_ci() -> bool:
    """True when the environment variable CI is set (CI=true on CI services; "", 0, false, no: unset)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


# --- the nbgitpuller link -------------------------------------------------------------------------

def decoded(link: str) -> tuple:
    """(scheme, host, path, query as a dict) decoded by urllib.parse, independently of the helper."""
    parts = urlsplit(link)
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    assert all(len(values) == 1 for values in query.values()), query
    return parts.scheme, parts.netloc, parts.path, {key: values[0] for key, values in query.items()}


def test_link_for_a_github_course():
    link = nbgitpuller_link("https://hub.example.org", "https://github.com/someone/mnist-from-scratch.git")
    assert decoded(link) == ("https", "hub.example.org", "/hub/user-redirect/git-pull", {
        "repo": "https://github.com/someone/mnist-from-scratch.git",
        "branch": "main",
        "targetpath": "mnist-from-scratch",
        "urlpath": "lab/tree/mnist-from-scratch/notebooks/00_start_here.ipynb",
    })


@pytest.mark.parametrize("branch", ["fix/a+b&c=d", "50%-off#2", "ünïcode/ブランチ", "a b?c"])
def test_every_value_survives_the_round_trip(branch):
    repo = "https://git.example.org/a group/course?x=1&y=2#frag"
    link = nbgitpuller_link("http://127.0.0.1:8000/", repo, branch, path="notebooks/09 lab.ipynb",
                            targetpath="my course")
    scheme, host, path, query = decoded(link)
    assert (scheme, host, path) == ("http", "127.0.0.1:8000", "/hub/user-redirect/git-pull")
    assert query["repo"] == repo and query["branch"] == branch and query["targetpath"] == "my course"
    # urlpath is itself a URL path: percent-encoded inside the encoded query value
    assert query["urlpath"] == "lab/tree/my%20course/notebooks/09%20lab.ipynb"
    assert unquote(query["urlpath"]) == "lab/tree/my course/notebooks/09 lab.ipynb"
    # nothing but unreserved characters and %XX escapes inside each value
    for pair in urlsplit(link).query.split("&"):
        key, value = pair.split("=")
        assert set(value) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~%"), value


def test_a_hub_under_a_base_path_and_a_local_repository():
    link = nbgitpuller_link("https://example.org/jupyter/", "/srv/courses/mnist.git", "spring-2027")
    _, host, path, query = decoded(link)
    assert (host, path) == ("example.org", "/jupyter/hub/user-redirect/git-pull")
    assert (query["repo"], query["branch"], query["targetpath"]) == ("/srv/courses/mnist.git", "spring-2027", "mnist")


@pytest.mark.parametrize("repo, expected", [
    ("https://github.com/o/course.git", "course"), ("https://github.com/o/course/", "course"),
    ("file:///srv/course.git", "course"), ("/srv/course", "course")])
def test_default_targetpath(repo, expected):
    assert link_module.default_targetpath(repo) == expected


@pytest.mark.parametrize("kwargs, message", [
    ({"hub_url": "hub.example.org"}, "hub_url must be an http:// or https:// address"),
    ({"hub_url": "ftp://hub.example.org"}, "hub_url must be an http:// or https:// address"),
    ({"hub_url": "https://hub.example.org/?next=x"}, "without ?query"),
    ({"repo_url": ""}, "repo_url must be a non-empty string"),
    ({"branch": " "}, "branch must be a non-empty string"),
    ({"targetpath": "../elsewhere"}, "targetpath must be a relative path"),
    ({"targetpath": "/root"}, "targetpath must be a relative path"),
    ({"path": "a/../../x.ipynb"}, "path must be a relative path"),
])
def test_mistakes_are_named(kwargs, message):
    args = {"hub_url": "https://hub.example.org", "repo_url": "https://github.com/o/r", **kwargs}
    with pytest.raises(ValueError, match=message.replace("?", r"\?")):
        nbgitpuller_link(**args)


def test_command_line(capsys):
    link_module.main(["http://127.0.0.1:8000", "/srv/course.git", "--branch", "dev"])
    out = capsys.readouterr().out.strip()
    assert out == nbgitpuller_link("http://127.0.0.1:8000", "/srv/course.git", "dev")
    with pytest.raises(SystemExit) as exit_info:
        link_module.main(["127.0.0.1:8000", "/srv/course.git"])
    assert exit_info.value.code == 2
    assert "hub_url must be an http:// or https:// address" in capsys.readouterr().err


# --- the hub's config -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def mnist_cache(tmp_path_factory):
    """One MNIST cache folder for the config tests: filled once, then found filled."""
    return tmp_path_factory.mktemp("mnist-cache")


@pytest.fixture
def hub_env(tmp_path, mnist_cache, monkeypatch):
    """Run the config with its state in tmp_path, on a machine with systemd."""
    for name in list(os.environ):
        if name.startswith("CLASSROOM_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CLASSROOM_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("CLASSROOM_MNIST_CACHE", str(mnist_cache))
    monkeypatch.setenv("CLASSROOM_SPAWNER", "systemd")
    return tmp_path


def load_config():
    return PyFileConfigLoader("jupyterhub_config.py", path=str(CLASSROOM)).load_config()


def test_config_limits_culler_admins_and_passwords(hub_env, mnist_cache, monkeypatch):
    monkeypatch.setenv("CLASSROOM_ADMINS", "ada,grace")
    monkeypatch.setenv("CLASSROOM_MEM_LIMIT", "2G")
    c = load_config()
    assert c.JupyterHub.spawner_class == "systemdspawner.SystemdSpawner"
    assert (c.Spawner.mem_limit, c.Spawner.cpu_limit) == ("2G", 1.0)
    assert c.Authenticator.admin_users == {"ada", "grace"}
    assert c.Spawner.cmd == [str(Path(sys.executable).parent / "jupyterhub-singleuser")]
    assert c.Spawner.environment["MNIST_LIB_CACHE"] == str(mnist_cache)
    assert c.ConfigurableHTTPProxy.command == [str(CLASSROOM / "node_modules/.bin/configurable-http-proxy")]
    culler, progress = c.JupyterHub.services
    assert culler["command"][1:] == ["-m", "jupyterhub_idle_culler", "--timeout=3600", "--cull-every=300"]
    roles = {role["name"]: role for role in c.JupyterHub.load_roles}
    assert roles["idle-culler"]["services"] == ["idle-culler"]
    assert "delete:servers" in roles["idle-culler"]["scopes"]
    # kernels on Unix sockets, in a folder of sockets private to each student
    assert c.Spawner.args == ["--KernelManager.transport=ipc"]
    assert callable(c.Spawner.pre_spawn_hook)
    # passwords: made at random, long enough for the authenticator, private, kept across restarts
    student, admin = c.SharedPasswordAuthenticator.user_password, c.SharedPasswordAuthenticator.admin_password
    assert len(student) >= 8 and len(admin) >= 32 and student != admin
    for name in ("student-password", "admin-password"):
        assert stat.S_IMODE((hub_env / "state" / name).stat().st_mode) == 0o600
    again = load_config().SharedPasswordAuthenticator
    assert (again.user_password, again.admin_password) == (student, admin)
    # the shared MNIST cache is filled and readable by every student
    cached = [p for p in mnist_cache.iterdir() if p.is_file()]
    assert cached and all(p.stat().st_mode & 0o004 for p in cached)


def test_config_progress_service_scopes_and_roles(hub_env, monkeypatch):
    monkeypatch.setenv("CLASSROOM_ADMINS", "ada")
    monkeypatch.setenv("CLASSROOM_TEACHERS", "tom,tia")
    c = load_config()
    progress = next(s for s in c.JupyterHub.services if s["name"] == "progress")
    assert progress["url"] == "http://127.0.0.1:10101"  # the hub's internal address only
    assert progress["command"][1:] == [str(CLASSROOM / "progress_service.py"), "--db",
                                       str(hub_env / "state" / "progress.sqlite")]
    assert progress["display"] is True and progress["oauth_client_allowed_scopes"] == ["custom:progress:read"]
    assert set(c.JupyterHub.custom_scopes) == {"custom:progress:read", "custom:progress:write"}
    roles = {role["name"]: role for role in c.JupyterHub.load_roles}
    # the kernel's token: the server role's scopes that the user holds
    assert "custom:progress:write" in roles["server"]["scopes"]
    assert "custom:progress:write" in roles["user"]["scopes"] and "self" in roles["user"]["scopes"]
    assert {"users:activity!user", "access:servers!server"} <= set(roles["server"]["scopes"])
    assert roles["teacher"]["groups"] == ["teachers"]
    assert set(roles["teacher"]["scopes"]) == {"custom:progress:read", "access:services!service=progress"}
    assert not any("custom:progress:read" in r["scopes"] for name, r in roles.items() if name != "teacher")
    assert c.JupyterHub.load_groups["teachers"]["users"] == ["ada", "tia", "tom"]
    assert c.Spawner.environment["MNIST_LIB_PROGRESS_URL"] == \
        "http://127.0.0.1:10101/services/progress/api/results"
    monkeypatch.setenv("CLASSROOM_PROGRESS_PORT", "12345")
    assert load_config().Spawner.environment["MNIST_LIB_PROGRESS_URL"].startswith("http://127.0.0.1:12345/")


def test_zero_to_jupyterhub_has_the_same_progress_service(hub_env):
    """z2jh/config.yaml spells out in Helm's terms what progress_config.py adds on one machine."""
    import yaml

    helm = yaml.safe_load((CLASSROOM / "z2jh" / "config.yaml").read_text())
    c = load_config()
    roles = {role["name"]: role for role in c.JupyterHub.load_roles}
    for name, role in helm["hub"]["loadRoles"].items():
        assert sorted(role["scopes"]) == sorted(roles[name]["scopes"]), name
        for kind in ("groups", "services"):
            assert role.get(kind) == roles[name].get(kind), (name, kind)
    assert helm["hub"]["config"]["JupyterHub"]["custom_scopes"] == c.JupyterHub.custom_scopes
    assert "teachers" in helm["hub"]["config"]["JupyterHub"]["load_groups"]
    service = helm["hub"]["services"]["progress"]
    ours = next(s for s in c.JupyterHub.services if s["name"] == "progress")
    for key in ("display", "oauth_no_confirm", "oauth_client_allowed_scopes"):
        assert service[key] == ours[key], key
    port = int(service["url"].rsplit(":", 1)[1])
    assert helm["hub"]["service"]["extraPorts"][0]["targetPort"] == port
    assert service["command"][1] == helm["hub"]["extraFiles"]["progress-service"]["mountPath"]
    assert helm["singleuser"]["extraEnv"]["MNIST_LIB_PROGRESS_URL"].endswith("/services/progress/api/results")


def test_config_private_runtime_dir(hub_env, monkeypatch, request):
    from types import SimpleNamespace

    from jupyterhub.spawner import SimpleLocalProcessSpawner

    short = Path(tempfile.mkdtemp(prefix="rt-"))  # pytest's own folders are too long for sockets
    request.addfinalizer(lambda: shutil.rmtree(short, ignore_errors=True))
    monkeypatch.setenv("CLASSROOM_RUNTIME_DIR", str(short / "run"))
    hook = load_config().Spawner.pre_spawn_hook
    spawner = SimpleLocalProcessSpawner.__new__(SimpleLocalProcessSpawner)
    spawner.user = SimpleNamespace(id=7, name="amal")
    spawner.environment = {"MNIST_LIB_CACHE": "/cache"}
    hook(spawner)
    folder = short / "run" / "7"
    assert spawner.environment == {"MNIST_LIB_CACHE": "/cache", "JUPYTER_RUNTIME_DIR": str(folder)}
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and folder.stat().st_uid == os.getuid()
    assert stat.S_IMODE((short / "run").stat().st_mode) == 0o711
    folder.rmdir()
    folder.symlink_to(hub_env)  # someone's trap: replaced by a folder of its own
    hook(spawner)
    assert not folder.is_symlink() and folder.is_dir()
    monkeypatch.setenv("CLASSROOM_RUNTIME_DIR", "/" + "x" * 50)
    with pytest.raises(ValueError, match="CLASSROOM_RUNTIME_DIR must be an absolute path of at most 50"):
        load_config()


def test_config_roster_and_spawner_choice(hub_env, monkeypatch):
    (hub_env / "roster.txt").write_text("amal\nbo\n\nchen\n")
    monkeypatch.setenv("CLASSROOM_ROSTER", str(hub_env / "roster.txt"))
    monkeypatch.setenv("CLASSROOM_SPAWNER", "local")
    c = load_config()
    assert c.Authenticator.allowed_users == {"amal", "bo", "chen"}
    assert c.JupyterHub.spawner_class == "local"
    monkeypatch.setenv("CLASSROOM_SPAWNER", "docker")
    with pytest.raises(ValueError, match='CLASSROOM_SPAWNER must be "systemd" or "local", got \'docker\''):
        load_config()


# --- the load test --------------------------------------------------------------------------------

def code_cells_at_head() -> int:
    """Code cells of notebook 04 as committed (the load test pulls the committed HEAD)."""
    text = subprocess.run(["git", "-C", str(ROOT), "show", f"HEAD:{NOTEBOOK}"], check=True,
                          capture_output=True, text=True).stdout
    return sum(cell["cell_type"] == "code" for cell in json.loads(text)["cells"])


@pytest.mark.classroom
def test_ten_students_at_once(tmp_path):
    missing = [name for name in ("jupyterhub", "nbgitpuller", "jupyterhub_idle_culler",
                                 "jupyter_kernel_client")
               if importlib.util.find_spec(name) is None]
    if not (CLASSROOM / "node_modules/.bin/configurable-http-proxy").exists():
        missing.append("configurable-http-proxy (npm ci in classroom/)")
    if missing:
        reason = f"not installed: {', '.join(missing)} (make classroom-test installs them)"
        if in_ci():
            pytest.fail(f"{reason}; CI is set, so the classroom test must run", pytrace=False)
        pytest.skip(reason)
    report_path = tmp_path / "report.json"
    process = subprocess.Popen([sys.executable, str(CLASSROOM / "load_test.py"), "--students", "10",
                                "--timeout", str(LOAD_TEST_TIMEOUT - 60), "--json", str(report_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        output, _ = process.communicate(timeout=LOAD_TEST_TIMEOUT)
    finally:
        if process.poll() is None:  # it stops its hub and servers on SIGTERM
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
    print(output)
    assert process.returncode == 0, output[-3000:]
    report = json.loads(report_path.read_text())
    students = report["students"]
    assert len(students) == 10
    cells = code_cells_at_head() + 2  # the notebook, one run_lr_experiment, the answers
    for s in students:
        assert s["finished"] and s["error"] is None and s["cell_errors"] == [], s
        assert s["cells_run"] == cells == len(s["cell_seconds"]), s["name"]
        assert s["lab_output"].startswith("learning rate 0.1: validation accuracy") and "diverged False" in s["lab_output"]
        for key in ("kernel_after_load", "kernel_end", "server_end"):
            assert s[key]["uss"] > 0 and s[key]["pss"] > 0, (s["name"], key)
    assert report["admin_sees_servers"] == 10
    assert set(report["services"]) == {"hub", "proxy", "idle culler", "progress service"}
    assert all(m["uss"] > 0 for m in report["services"].values())
    # the teacher's table of notebook 04: exactly what the students handed in
    table = report["progress"]
    assert [s["name"] for s in table["students"]] == [s["name"] for s in students]
    assert {e["id"]: (e["passed"], e["tried"], e["not_yet"], e["most_common"])
            for e in table["exercises"]} == expected_table(10)
    # refused: a student's kernel posting for another, a malformed and an oversized body; a
    # student opening the teacher's page
    probe = next(s["probe"] for s in students if s["name"] == "student01")
    assert probe == {"forged": 403, "malformed": 400, "oversized": 413}
    assert report["student_sees_page"] == 403


def expected_table(students: int) -> dict:
    """Notebook 04's table as the class's plan makes it (classroom/load_test.py, PLAN), computed
    here: every notebook starter fails, so a student passed an exercise when their answer was
    right; the most common mistake is counted among those who did not pass (a tie goes to the
    first mistake id in alphabetical order, as the page says); its hint is the one the check gives
    the answer that makes it (run here, in this process)."""
    import collections
    import contextlib
    import io

    import mnist_lib.progress

    load_test = load_module("load_test")
    table = {}
    for exercise, keys in load_test.PLAN.items():
        answers = [load_test.ANSWERS[exercise][keys[(k - 1) % len(keys)]] for k in range(1, students + 1)]
        passed = sum(mistake is None and code is not None for mistake, code in answers)
        not_yet = sum(code is None for _, code in answers)
        mistakes = collections.Counter(mistake for mistake, _ in answers if mistake)
        common = None
        if mistakes:
            mistake, count = sorted(mistakes.items(), key=lambda item: (-item[1], item[0]))[0]
            code = next(c for m, c in load_test.ANSWERS[exercise].values() if m == mistake)
            results = []
            with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(io.StringIO()):
                patch.setattr(mnist_lib.progress, "record", results.append)
                if exercise.startswith("exit_"):
                    exec(load_test.ANSWERS_HEADER + f"check_exit_ticket('04', {{{exercise[5:]}: {code!r}}})", {})
                else:
                    exec(load_test.ANSWERS_HEADER + code, {})
            assert results[-1].mistake == mistake, (exercise, results[-1])
            common = {"mistake": mistake, "students": count, "hint": results[-1].hint}
        table[exercise] = (passed, students - passed - not_yet, not_yet, common)
    return table


def test_the_plan_of_answers_makes_its_mistakes():
    """Each answer the simulated students hand in makes the mistake the plan says (or passes)."""
    import contextlib
    import io

    import mnist_lib.progress

    load_test = load_module("load_test")
    for exercise, answers in load_test.ANSWERS.items():
        for key, (mistake, code) in answers.items():
            if code is None:
                continue
            results = []
            with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(io.StringIO()):
                patch.setattr(mnist_lib.progress, "record", results.append)
                if exercise.startswith("exit_"):
                    exec(load_test.ANSWERS_HEADER + f"check_exit_ticket('04', {{{exercise[5:]}: {code!r}}})", {})
                else:
                    exec(load_test.ANSWERS_HEADER + code, {})
            assert (results[-1].passed, results[-1].mistake) == (mistake is None, mistake), (exercise, key)
    table = expected_table(10)
    assert table["practice_forward"][:3] == (3, 7, 0) and table["exit_3"][:3] == (5, 0, 5)
    assert (table["batch_accuracy"][3]["mistake"], table["batch_accuracy"][3]["students"]) == \
        ("count-not-fraction", 4)
    assert expected_table(3)["forward_by_hand"][3]["mistake"] == "missing-biases"  # a tie: 1 and 1
