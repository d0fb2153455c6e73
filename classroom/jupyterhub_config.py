"""JupyterHub for the course on one machine: `jupyterhub -f classroom/jupyterhub_config.py`.

Run it as root with the course's environment (the ``.venv`` that ``make install`` creates, with
``classroom/requirements.txt`` added): the hub, every student's server and every kernel use that
one environment, so a class runs exactly what ``make test`` tested. ``classroom/README.md`` walks
through it step by step. Settings come from environment variables, all optional:

CLASSROOM_BIND_URL     where students connect (default http://127.0.0.1:8000, this machine only;
                       put a TLS proxy in front, or use The Littlest JupyterHub, before opening
                       it to a network: passwords travel in clear over plain http)
CLASSROOM_STATE_DIR    the hub's database, cookie secret and passwords (default /srv/classroom)
CLASSROOM_ADMINS       comma-separated admin user names (default "teacher")
CLASSROOM_ROSTER       a file with one student user name per line; without it anyone who knows
                       the student password can log in under any name
CLASSROOM_MEM_LIMIT    memory per student server (default 1G)
CLASSROOM_CPU_LIMIT    CPU cores per student server (default 1)
CLASSROOM_IDLE_TIMEOUT seconds without activity before a student's server is stopped (default 3600)
CLASSROOM_MNIST_CACHE  the MNIST cache every kernel shares (default /var/cache/mnist-from-scratch)
CLASSROOM_SPAWNER      "systemd" (the default where systemd runs) or "local"
CLASSROOM_TEACHERS     comma-separated user names who see the class's progress page besides the
                       admins (the group "teachers")
CLASSROOM_PROGRESS_PORT the port of the progress service on the hub's internal address (default
                       10101)
CLASSROOM_RUNTIME_DIR  where each student's kernels get their private folder of sockets, with the
                       local spawners (default /run/classroom; at most 40 characters)

Log-in: one password for students and one for admins (JupyterHub's SharedPasswordAuthenticator),
made at random on the first start and kept in CLASSROOM_STATE_DIR (student-password,
admin-password, readable by root only). Hand the student password out in class.

Limits: ``mem_limit`` and ``cpu_limit`` are enforced by SystemdSpawner (each server is a systemd
unit with MemoryMax and CPUQuota) and by KubeSpawner (Zero to JupyterHub); LocalProcessSpawner
cannot enforce them and only passes them to the server as MEM_LIMIT and CPU_LIMIT.

Kernels talk to their server over Unix sockets (``KernelManager.transport = "ipc"``), in a folder
of sockets private to the student: no TCP ports, so no two kernels starting at the same moment can
pick the same ones (with TCP, jupyter_client picks free ports and releases them before the kernel
binds them; a kernel starting at the same moment could take them, and a student's messages would
reach a kernel that has another key: "Invalid Signature"). A socket's path must fit in 107
characters, so the folder is short: SystemdSpawner gives each server its own /tmp, where
/tmp/jupyter-runtime serves; the local spawners get CLASSROOM_RUNTIME_DIR/<the user's number>,
made by the hub, readable by that user only.

The class's progress page: the managed service ``progress`` (progress_config.py,
progress_service.py), in the hub's menu for the admins and the group "teachers"; its results
are in CLASSROOM_STATE_DIR/progress.sqlite.
"""
import os
import pwd
import secrets
import subprocess
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub defines get_config for its config files)

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from progress_config import add_progress_service  # noqa: E402 (beside this file)
BIN = Path(sys.executable).parent  # the course's environment: the hub runs from it
STATE = Path(os.environ.get("CLASSROOM_STATE_DIR", "/srv/classroom"))
MNIST_CACHE = Path(os.environ.get("CLASSROOM_MNIST_CACHE", "/var/cache/mnist-from-scratch"))
RUNTIME = Path(os.environ.get("CLASSROOM_RUNTIME_DIR", "/run/classroom"))
# A kernel's socket is RUNTIME/<user number>/kernel-<36-character id>-ipc-<1..5>: at most 107
# characters in all (the size of sun_path, Linux's limit), with up to 6 digits for the number.
MAX_RUNTIME_DIR = 107 - len("/123456/kernel-00000000-0000-0000-0000-000000000000-ipc-5")
if not RUNTIME.is_absolute() or len(str(RUNTIME)) > MAX_RUNTIME_DIR:
    raise ValueError(f"CLASSROOM_RUNTIME_DIR must be an absolute path of at most {MAX_RUNTIME_DIR} "
                     f"characters (a kernel's socket path must fit in 107), got {str(RUNTIME)!r}")


def secret(name: str, length: int) -> str:
    """The password kept in STATE/name, made at random on the first start."""
    path = STATE / name
    if not path.exists():
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
            f.write(secrets.token_urlsafe(length) + "\n")  # readable by root only from the start
    return path.read_text().strip()


STATE.mkdir(mode=0o700, parents=True, exist_ok=True)

# The hub, and the proxy in front of it (configurable-http-proxy: `npm ci` in classroom/).
c.JupyterHub.bind_url = os.environ.get("CLASSROOM_BIND_URL", "http://127.0.0.1:8000")
c.ConfigurableHTTPProxy.command = [str(HERE / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")

# Who may log in.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = secret("student-password", 12)
c.SharedPasswordAuthenticator.admin_password = secret("admin-password", 32)  # 32+ characters
admins = set(filter(None, os.environ.get("CLASSROOM_ADMINS", "teacher").split(",")))
c.Authenticator.admin_users = admins
if os.environ.get("CLASSROOM_ROSTER"):
    roster = Path(os.environ["CLASSROOM_ROSTER"]).read_text().split()
    c.Authenticator.allowed_users = set(roster)
else:
    c.Authenticator.allow_all = True

# Every student's server: JupyterLab from the course's environment, with resource limits.
spawner = os.environ.get("CLASSROOM_SPAWNER") or (
    "systemd" if Path("/run/systemd/system").is_dir() else "local")
if spawner == "systemd":
    c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
    c.SystemdSpawner.dynamic_users = True      # no Unix accounts to create: home is /var/lib/<name>
    c.SystemdSpawner.isolate_tmp = True
    c.SystemdSpawner.isolate_devices = True
    c.SystemdSpawner.disable_user_sudo = True
elif spawner == "local":
    c.JupyterHub.spawner_class = "local"       # every student needs a Unix account (useradd -m NAME)
else:
    raise ValueError(f'CLASSROOM_SPAWNER must be "systemd" or "local", got {spawner!r}')
c.Spawner.mem_limit = os.environ.get("CLASSROOM_MEM_LIMIT", "1G")
c.Spawner.cpu_limit = float(os.environ.get("CLASSROOM_CPU_LIMIT", "1"))
# A whole class starts at the bell: give each server time to start on busy cores.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.args = ["--KernelManager.transport=ipc"]  # Unix sockets: see "Kernels" above
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.environment = {
    "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",
    # One BLAS thread per kernel: with a class sharing the cores, more threads only fight. On
    # purpose not the course's own count (blas_threads.py at the root: two, for make lab and the
    # tests), and written out here: the hub reads this file without the repository importable.
    "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    # One MNIST cache for everybody, so the kernels share its pages instead of each holding a copy.
    "MNIST_LIB_CACHE": str(MNIST_CACHE),
    "NBGITPULLER_APP": "lab",
}



def private_runtime_dir(spawner) -> None:
    """Give the student's server a folder for its kernels' sockets that only the student can use
    (pre_spawn_hook): /tmp/jupyter-runtime in the server's own /tmp with SystemdSpawner (dynamic
    users imply PrivateTmp), RUNTIME/<user number> with the local spawners, made here, owned by the
    user the server runs as, mode 700."""
    from jupyterhub.spawner import LocalProcessSpawner, SimpleLocalProcessSpawner

    if not isinstance(spawner, LocalProcessSpawner):
        folder = Path("/tmp/jupyter-runtime")
    else:
        uid = (os.getuid() if isinstance(spawner, SimpleLocalProcessSpawner)
               else pwd.getpwnam(spawner.user.name).pw_uid)
        RUNTIME.mkdir(mode=0o711, parents=True, exist_ok=True)
        folder = RUNTIME / str(spawner.user.id)
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            folder.unlink()
        folder.mkdir(mode=0o700, exist_ok=True)
        os.chown(folder, uid, -1)
        folder.chmod(0o700)
    spawner.environment = {**spawner.environment, "JUPYTER_RUNTIME_DIR": str(folder)}


c.Spawner.pre_spawn_hook = private_runtime_dir

# Fill the shared MNIST cache now, as root, so no student's kernel has to build it: the files are
# readable by every student and writable by root only.
MNIST_CACHE.mkdir(mode=0o755, parents=True, exist_ok=True)
subprocess.run([sys.executable, "-c", "from mnist_lib import load_mnist; load_mnist()"],
               env={**os.environ, "MNIST_LIB_CACHE": str(MNIST_CACHE)}, check=True)

# Stop servers nobody used for CLASSROOM_IDLE_TIMEOUT seconds (frees their memory).
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                f"--timeout={int(os.environ.get('CLASSROOM_IDLE_TIMEOUT', '3600'))}",
                "--cull-every=300"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]

# The class's progress page (classroom/README.md, "During class: the progress page").
teachers = admins | set(filter(None, os.environ.get("CLASSROOM_TEACHERS", "").split(",")))
add_progress_service(c, python=sys.executable, db=STATE / "progress.sqlite",
                     port=int(os.environ.get("CLASSROOM_PROGRESS_PORT", "10101")), teachers=teachers)
