"""Test set-up for the whole project (tests/ and every notebook nbval runs).

- The course's BLAS thread count (blas_threads.py) for the test run and for every notebook kernel
  it starts, unless the environment already sets one (``make test`` runs with one thread per
  pytest-xdist worker; CI also runs the notebooks with another OpenBLAS kernel).
- ``tests/nbval_tolerance.py``: the per-cell numeric tolerance for nbval (see its docstring).
- Exercise results (``mnist_lib.progress``) go to a progress file of the test run's own, for the
  tests and every notebook kernel, never to the developer's own progress nor to a class's hub.
"""
import os
import shutil
import tempfile

import blas_threads  # beside this file: pytest puts the project's root on sys.path for it

blas_threads.set_default()

_PROGRESS_DIR = tempfile.mkdtemp(prefix="mnist-progress-test-")
os.environ["MNIST_LIB_PROGRESS"] = os.path.join(_PROGRESS_DIR, "progress.json")
os.environ.pop("MNIST_LIB_PROGRESS_URL", None)

pytest_plugins = ["nbval_tolerance"]  # found through pythonpath = ["tests"] in pyproject.toml


def pytest_unconfigure(config):
    shutil.rmtree(_PROGRESS_DIR, ignore_errors=True)
