"""The class's progress service in a JupyterHub configuration: ``add_progress_service(c, ...)``.

Used by ``jupyterhub_config.py`` (one machine) and by The Littlest JupyterHub's
``jupyterhub_config.d`` (classroom/README.md shows the file); ``z2jh/config.yaml`` writes the same
settings in Helm's terms. What it adds:

- the managed service ``progress`` (``progress_service.py``), on the hub's internal address, in the
  hub's menu, its results in SQLite;
- two custom scopes: ``custom:progress:write`` (record one's own results), held by every user
  (the ``user`` role) and requested by the hub's ``server`` role, the role of the token every
  student's server and kernel holds as ``JUPYTERHUB_API_TOKEN`` (since JupyterHub 4 that token
  gets the server role's scopes that its user holds); ``custom:progress:read`` (the teacher's
  page), granted to the group ``teachers`` (the admins, and the users named in ``teachers``);
- the address the kernels send their results to, in every student's environment
  (``MNIST_LIB_PROGRESS_URL``, read by ``mnist_lib.progress``).
"""
from __future__ import annotations

from pathlib import Path

SERVICE = "progress"
WRITE_SCOPE = "custom:progress:write"
READ_SCOPE = "custom:progress:read"
TEACHERS_GROUP = "teachers"
#: The scopes of JupyterHub's own ``user`` and ``server`` roles (jupyterhub.roles.get_default_roles),
#: which the roles keep: redefining a role replaces its scopes.
USER_SCOPES = ["self"]
SERVER_SCOPES = ["users:activity!user", "access:servers!server"]


def add_progress_service(c, *, python: str, db: Path, port: int, teachers: set[str],
                         host: str = "127.0.0.1") -> str:
    """Add the progress service, its scopes and roles to the JupyterHub config ``c``; returns the
    URL the students' kernels post their results to.

    ``python``: the interpreter that runs the service (it needs jupyterhub, and the course's
    mnist_lib for the list of exercises); ``db``: its SQLite file; ``port`` and ``host``: where it
    listens, the hub's internal address; ``teachers``: the users who see the page (the admins)."""
    url = f"http://{host}:{port}"
    service = Path(__file__).resolve().parent / "progress_service.py"
    services = list(c.JupyterHub.services) if "services" in c.JupyterHub else []
    services.append({
        "name": SERVICE,
        "url": url,
        "command": [python, str(service), "--db", str(db)],
        "display": True,                           # the hub's "Services" menu lists it
        "oauth_no_confirm": True,                  # the teacher is not asked to authorize it
        "oauth_client_allowed_scopes": [READ_SCOPE],
    })
    c.JupyterHub.services = services
    c.JupyterHub.custom_scopes = {
        WRITE_SCOPE: {"description": "Record one's own exercise results in the class's progress "
                                     "service."},
        READ_SCOPE: {"description": "See every student's exercise results on the class's "
                                    "progress page."},
    }
    groups = dict(c.JupyterHub.load_groups) if "load_groups" in c.JupyterHub else {}
    groups[TEACHERS_GROUP] = {"users": sorted(teachers)}
    c.JupyterHub.load_groups = groups
    roles = list(c.JupyterHub.load_roles) if "load_roles" in c.JupyterHub else []
    roles += [
        {"name": "user", "description": "Standard user privileges, and recording one's own "
                                        "exercise results",
         "scopes": USER_SCOPES + [WRITE_SCOPE]},
        {"name": "server", "description": "A student's server and kernels: post activity, "
                                          "record the student's own exercise results",
         "scopes": SERVER_SCOPES + [WRITE_SCOPE]},
        {"name": "teacher", "description": "See the class's progress page",
         "scopes": [READ_SCOPE, f"access:services!service={SERVICE}"],
         "groups": [TEACHERS_GROUP]},
        {"name": "progress-service", "description": "List the students for the progress page",
         "scopes": ["list:users", "read:users:name", "read:users:groups"],
         "services": [SERVICE]},
    ]
    c.JupyterHub.load_roles = roles
    results = f"{url}/services/{SERVICE}/api/results"
    environment = dict(c.Spawner.environment) if "environment" in c.Spawner else {}
    environment["MNIST_LIB_PROGRESS_URL"] = results
    c.Spawner.environment = environment
    return results
