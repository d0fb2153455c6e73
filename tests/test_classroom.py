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
import signal
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from traitlets.config.loader import PyFileConfigLoader

ROOT = Path(__file__).resolve().parent.parent
CLASSROOM = ROOT / "classroom"
NOTEBOOK = "notebooks/04_three_layer_forward_pass.ipynb"
LOAD_TEST_TIMEOUT = 600  # seconds; ten students take about two minutes on two busy cores


def load_module(name: str):
    """A module from classroom/ by its file (classroom/ holds scripts, not an installed package)."""
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
    (culler,) = c.JupyterHub.services
    assert culler["command"][1:] == ["-m", "jupyterhub_idle_culler", "--timeout=3600", "--cull-every=300"]
    (role,) = c.JupyterHub.load_roles
    assert role["services"] == ["idle-culler"] and "delete:servers" in role["scopes"]
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
    cells = code_cells_at_head() + 1  # the notebook, then one run_lr_experiment
    for s in students:
        assert s["finished"] and s["error"] is None and s["cell_errors"] == [], s
        assert s["cells_run"] == cells == len(s["cell_seconds"]), s["name"]
        assert s["lab_output"].startswith("learning rate 0.1: validation accuracy") and "diverged False" in s["lab_output"]
        for key in ("kernel_after_load", "kernel_end", "server_end"):
            assert s[key]["uss"] > 0 and s[key]["pss"] > 0, (s["name"], key)
    assert report["admin_sees_servers"] == 10
    assert set(report["services"]) == {"hub", "proxy", "idle culler"}
    assert all(m["uss"] > 0 for m in report["services"].values())
