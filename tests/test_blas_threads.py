"""blas_threads.py: the course's BLAS thread count, for this process and the commands it starts."""
import os
import subprocess
import sys
from pathlib import Path

import blas_threads
import pytest

ROOT = Path(__file__).resolve().parent.parent
NAMES = {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"}  # OpenBLAS, OpenMP, MKL


def test_environment_sets_every_variable():
    assert blas_threads.environment(3) == {name: "3" for name in NAMES}
    assert blas_threads.environment() == {name: "2" for name in NAMES}


@pytest.mark.parametrize("threads", [0, -1, 1.5, "2", True, None])
def test_environment_refuses_what_is_not_a_count(threads):
    expected = rf"threads must be a whole number of at least 1, got {threads!r}"
    with pytest.raises(ValueError, match=expected):
        blas_threads.environment(threads)


def test_set_default_keeps_a_count_already_set():
    environ = {"OMP_NUM_THREADS": "5", "PATH": "/bin"}
    blas_threads.set_default(environ)
    assert environ == {"OMP_NUM_THREADS": "5", "PATH": "/bin", "OPENBLAS_NUM_THREADS": "2",
                       "MKL_NUM_THREADS": "2"}


def counts_seen_by(args: list[str], **preset: str) -> dict[str, str]:
    """The thread variables a command started through ``python blas_threads.py ARGS`` sees."""
    env = {name: value for name, value in os.environ.items() if name not in NAMES} | preset
    show = ("import os; print(*(f'{n}={v}' for n, v in os.environ.items()"
            " if n.endswith('_NUM_THREADS')))")
    out = subprocess.run([sys.executable, str(ROOT / "blas_threads.py"), *args,
                          sys.executable, "-c", show],
                         env=env, capture_output=True, text=True, check=True).stdout
    return dict(pair.split("=") for pair in out.split())


def test_command_line_default_and_exact_count():
    assert counts_seen_by([]) == {name: "2" for name in NAMES}
    assert counts_seen_by([], OMP_NUM_THREADS="5") == {
        "OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "5", "MKL_NUM_THREADS": "2"}
    assert counts_seen_by(["--threads", "1"], OMP_NUM_THREADS="5") == {name: "1" for name in NAMES}


@pytest.mark.parametrize("args, message", [
    ([], "give a command to run"),
    (["--threads", "0", "true"], "--threads must be at least 1, got 0")])
def test_command_line_mistakes(args, message):
    result = subprocess.run([sys.executable, str(ROOT / "blas_threads.py"), *args],
                            capture_output=True, text=True)
    assert result.returncode == 2 and message in result.stderr
