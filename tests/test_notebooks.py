"""Notebook hygiene and exercise solutions (nbval itself re-runs every notebook as part of the suite).

- every code cell of every notebook was executed, in order, in one fresh kernel (no stale cells);
- every worked solution (a ```python block inside a <details> block of a markdown cell) runs on its
  own, in a fresh namespace, and its check prints "All tests passed".
"""
from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import nbformat

from mnist_lib.checks import EXERCISES
from mnist_lib.checks.tickets import is_ticket

DETAILS = re.compile(r"<details>(.*?)</details>", re.S)
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def solutions(path: Path) -> list[str]:
    """The code of every solution block of a notebook, in order."""
    nb = nbformat.read(path, as_version=4)
    found = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for details in DETAILS.findall(cell.source):
                found += PYTHON_BLOCK.findall(details)
    return found


def test_the_notebooks_are_numbered_from_00(notebooks):
    assert len(notebooks) >= 10, f"only {len(notebooks)} notebooks found in notebooks/"
    assert notebooks[0].name == "00_start_here.ipynb"
    assert [p.name[:2] for p in notebooks] == [f"{k:02d}" for k in range(len(notebooks))]


def test_every_code_cell_executed_in_order(notebook):
    nb = nbformat.read(notebook, as_version=4)
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert counts, f"{notebook.name} has no code cells"
    assert counts == list(range(1, len(counts) + 1)), (
        f"{notebook.name}: execution counts {counts} are not 1..{len(counts)}; restart the kernel, "
        f"run all cells, and save")


def test_every_solution_passes_its_check(notebook):
    codes = solutions(notebook)
    if not codes:  # 00: the course's map, with no exercises of its own (its exit ticket has none)
        exercises = [e.id for e in EXERCISES.values()
                     if e.notebook == notebook.name[:2] and not is_ticket(e)]
        assert not exercises, f"{notebook.name} has exercises {exercises} but no worked solutions"
        return
    for k, code in enumerate(codes, start=1):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, f"{notebook.name}:solution-{k}", "exec"), {"__name__": "__solution__"})
        assert "All tests passed" in out.getvalue(), (
            f"{notebook.name}, solution {k} does not pass its check; it printed:\n{out.getvalue()}")
