"""The per-cell numeric tolerance of nbval (tests/nbval_tolerance.py): numbers within it pass;
a number beyond it, a changed word, a missing line, or any difference in a cell that declares no
tolerance still fails."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from nbval_tolerance import first_difference, read_tolerance

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("got, stored, abs_tol, rel_tol", [
    ("test accuracy 0.9706\n", "test accuracy 0.9704\n", 0.001, 0),
    ("lr 0.5: trained, 97.1%\n", "lr 0.5: trained, 96.8%\n", 0.5, 0),
    ("loss 2.302e-01\n", "loss 2.299e-01\n", 0, 0.01),
    ("epochs 3, loss -0.25", "epochs 3, loss -0.25", 0, 0),
])
def test_numbers_within_the_tolerance_match(got, stored, abs_tol, rel_tol):
    assert first_difference(got, stored, abs_tol, rel_tol) is None


@pytest.mark.parametrize("got, stored, why", [
    ("test accuracy 0.9804\n", "test accuracy 0.9704\n", "0.9804 differs from the stored 0.9704"),
    ("lr 1.2: crawled, 46.0%\n", "lr 1.2: diverged, 46.0%\n", "text around the numbers"),
    ("a 0.97\n", "a 0.97\nb 0.98\n", "text around the numbers"),
    ("a 0.97 0.5\n", "a 0.97\n", "text around the numbers"),
    ("3 epochs\n", "4 epochs\n", "3 differs from the stored 4"),
])
def test_a_change_beyond_the_tolerance_is_reported(got, stored, why):
    assert why in first_difference(got, stored, 0.002, 0)


def test_the_metadata_is_read_and_checked():
    assert read_tolerance({}) is None
    assert read_tolerance({"tolerance": {"abs": 0.01, "why": "training"}}) == (0.01, 0.0)
    assert read_tolerance({"tolerance": {"rel": 0.1}}) == (0.0, 0.1)
    for bad in ({"why": "no bound"}, {"abs": -1}, {"abs": 0.1, "absolute": 1}, 0.01):
        with pytest.raises(ValueError, match="tolerance"):
            read_tolerance({"tolerance": bad})


def _cell(source: str, stored: str, count: int, tolerance: dict | None = None):
    cell = nbformat.v4.new_code_cell(source, execution_count=count)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=stored)]
    if tolerance is not None:
        cell.metadata["tolerance"] = tolerance
    return cell


def test_nbval_uses_the_tolerance_and_stays_strict_elsewhere(tmp_path):
    """A real nbval run over a notebook whose stored outputs differ from what its cells print."""
    tol = {"abs": 0.001, "why": "a test"}
    cells = [
        ("within", _cell('print("accuracy 0.9706")', "accuracy 0.9704\n", 1, tol)),
        ("beyond", _cell('print("accuracy 0.9806")', "accuracy 0.9704\n", 2, tol)),
        ("word", _cell('print("lr 1.2: crawled")', "lr 1.2: diverged\n", 3, tol)),
        ("line", _cell('print("a 0.5")', "a 0.5\nb 0.6\n", 4, tol)),
        ("strict", _cell('print("accuracy 0.9706")', "accuracy 0.9704\n", 5)),
        ("exact", _cell('print("accuracy 0.9704")', "accuracy 0.9704\n", 6)),
    ]
    nb = nbformat.v4.new_notebook(cells=[c for _, c in cells])
    nbformat.write(nb, tmp_path / "tolerance.ipynb")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tests"))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "tolerance.ipynb", "-v", "-p", "nbval_tolerance",
         "-p", "no:cacheprovider", "-o", "addopts=", "--nbval", "--nbval-current-env",
         "--rootdir", str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    outcome = dict(re.findall(r"::Cell (\d+) (PASSED|FAILED)", run.stdout))
    assert outcome == {"0": "PASSED", "1": "FAILED", "2": "FAILED", "3": "FAILED", "4": "FAILED",
                       "5": "PASSED"}, run.stdout + run.stderr
    assert "0.9806 differs from the stored 0.9704 by more than abs=0.001" in run.stdout
