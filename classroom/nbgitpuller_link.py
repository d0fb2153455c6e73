"""Make the nbgitpuller link that hands the course to every student of a JupyterHub in one click.

Opening the link logs the student in, starts their server, clones the repository into their home
(or, on later clicks, merges new commits without overwriting their own edits) and opens the first
notebook in JupyterLab.

    python classroom/nbgitpuller_link.py https://hub.example.org https://github.com/OWNER/REPO
    python classroom/nbgitpuller_link.py http://127.0.0.1:8000 /srv/course.git --branch main
"""
from __future__ import annotations

import argparse
import posixpath
from urllib.parse import quote, urlencode, urlsplit

FIRST_NOTEBOOK = "notebooks/00_start_here.ipynb"


def default_targetpath(repo_url: str) -> str:
    """The folder nbgitpuller clones into: the repository's last path part without ``.git``."""
    name = repo_url.rstrip("/").rsplit("/", 1)[-1]
    return name[:-4] if name.endswith(".git") else name


def nbgitpuller_link(hub_url: str, repo_url: str, branch: str = "main", *,
                     path: str = FIRST_NOTEBOOK, targetpath: str | None = None) -> str:
    """The link that pulls ``repo_url`` at ``branch`` into each student's home and opens ``path``.

    Args:
        hub_url: the hub's address, e.g. ``https://hub.example.org`` (a base path such as
            ``https://example.org/jupyter`` is kept).
        repo_url: what ``git clone`` is given: an https URL, or a path or ``file://`` URL on the
            hub's machine.
        branch: the branch to pull.
        path: the file to open after pulling, relative to the repository's root.
        targetpath: the folder in the student's home to clone into; default: the repository's
            name (``default_targetpath``).

    Returns:
        ``<hub_url>/hub/user-redirect/git-pull?repo=...&branch=...&targetpath=...&urlpath=...``,
        every value percent-encoded (``urlpath`` is a URL path, so it is encoded twice).
    """
    parts = urlsplit(hub_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"hub_url must be an http:// or https:// address such as "
                         f"https://hub.example.org, got {hub_url!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"hub_url must be the hub's address without ?query or #fragment, got {hub_url!r}")
    for name, value in (("repo_url", repo_url), ("branch", branch), ("path", path)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    if targetpath is None:
        targetpath = default_targetpath(repo_url)
    for name, value in (("targetpath", targetpath), ("path", path)):
        clean = posixpath.normpath(value)
        if value.startswith("/") or clean == "." or clean.split("/")[0] == "..":
            raise ValueError(f"{name} must be a relative path inside the student's home, got {value!r}")
    query = urlencode({
        "repo": repo_url,
        "branch": branch,
        "targetpath": targetpath,
        "urlpath": "lab/tree/" + quote(posixpath.join(targetpath, path)),
    }, quote_via=quote, safe="")
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("hub_url", help="the hub's address, e.g. https://hub.example.org")
    parser.add_argument("repo_url", help="the course's git repository (URL, or path on the hub)")
    parser.add_argument("--branch", default="main", help="branch to pull (default: main)")
    parser.add_argument("--path", default=FIRST_NOTEBOOK,
                        help=f"file to open after pulling (default: {FIRST_NOTEBOOK})")
    parser.add_argument("--targetpath", help="folder in each home (default: the repository's name)")
    args = parser.parse_args(argv)
    try:
        print(nbgitpuller_link(args.hub_url, args.repo_url, args.branch, path=args.path,
                               targetpath=args.targetpath))
    except ValueError as err:
        parser.error(str(err))


if __name__ == "__main__":
    main()
