"""The BLAS thread count of the course's own runs: the one place that sets it.

Two threads, unless the environment already sets a count: the notebooks' stored outputs were
computed with two, so a run with the same count on a similar CPU matches them to the last digit
(elsewhere, within each cell's declared tolerance: README, "What is reproducible"). OpenBLAS,
OpenMP and MKL each read their own variable; ``VARIABLES`` sets all three, whichever BLAS NumPy
was built with.

Who reads it: ``conftest.py`` (pytest, and every notebook kernel that nbval starts),
``bench/benchmark.py`` and ``make lab`` take the default. Three runs ask for one thread on purpose,
through ``environment(1)`` or ``--threads 1``: ``make test`` (pytest-xdist puts a worker on each
core, and two-thread workers on a 2-core machine wait on each other for minutes), the browser
tests' kernel (tests/browser_support.py: one thread is much faster on a busy 2-core machine, and
they compare no printed numbers) and CI's second pass over the notebooks (.ci/run: the float32
sums come out as on another CPU). The
classroom's one thread per kernel is set in the hub's own configuration, which a hub reads without
this repository on its import path (classroom/jupyterhub_config.py, classroom/z2jh/config.yaml).

    python blas_threads.py COMMAND [ARGS...]              # COMMAND with the default count
    python blas_threads.py --threads 1 COMMAND [ARGS...]  # COMMAND with exactly one thread
"""
from __future__ import annotations

import argparse
import os
from collections.abc import MutableMapping

THREADS = 2
VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def environment(threads: int = THREADS) -> dict[str, str]:
    """The variables that give a new process ``threads`` BLAS threads (to add to its environment)."""
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise ValueError(f"threads must be a whole number of at least 1, got {threads!r}")
    return {name: str(threads) for name in VARIABLES}


def set_default(environ: MutableMapping[str, str] = os.environ) -> None:
    """Give every variable of ``VARIABLES`` that ``environ`` does not set yet the default count.

    Call it before NumPy is imported: BLAS reads the count once, when it is loaded. Processes
    started afterwards inherit it."""
    for name, value in environment().items():
        environ.setdefault(name, value)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Run a command with the course's BLAS thread count "
                    f"({THREADS}, unless the environment sets one).")
    parser.add_argument("--threads", type=int,
                        help="exactly this many threads, whatever the environment says")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command and its arguments")
    args = parser.parse_args(argv)
    if not args.command:
        parser.error("give a command to run")
    if args.threads is not None and args.threads < 1:
        parser.error(f"--threads must be at least 1, got {args.threads}")
    if args.threads is None:
        set_default()
    else:
        os.environ.update(environment(args.threads))
    os.execvp(args.command[0], args.command)  # the command takes this process's place


if __name__ == "__main__":
    main()
