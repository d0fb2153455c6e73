"""Test set-up for the whole project (tests/ and every notebook nbval runs).

- The course's BLAS thread count (blas_threads.py) for the test run and for every notebook kernel
  it starts, unless the environment already sets one (CI also runs the notebooks with one thread,
  as another CPU would compute them).
- ``tests/nbval_tolerance.py``: the per-cell numeric tolerance for nbval (see its docstring).
"""
import blas_threads  # beside this file: pytest puts the project's root on sys.path for it

blas_threads.set_default()

pytest_plugins = ["nbval_tolerance"]  # found through pythonpath = ["tests"] in pyproject.toml
