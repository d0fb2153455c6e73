"""Test set-up for the whole project (tests/ and every notebook nbval runs).

- One BLAS thread count for the test run and for every notebook kernel it starts, unless the
  environment already sets one (CI also runs the notebooks as other CPUs would).
- ``tests/nbval_tolerance.py``: the per-cell numeric tolerance for nbval (see its docstring).
"""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "2")

pytest_plugins = ["nbval_tolerance"]  # found through pythonpath = ["tests"] in pyproject.toml
