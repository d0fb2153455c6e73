"""A numeric tolerance for nbval, declared per cell, so notebooks stay strict on every machine.

Float32 training gives the same numbers to about 8 digits on every CPU, but BLAS kernels and thread
counts sum in different orders, and long runs grow that last-bit difference into printed digits
(0.9704 on one machine, 0.9706 on another). A code cell whose printed numbers come from such a run
declares how far they may move, in its metadata (in JupyterLab: the property inspector, "Cell
Metadata")::

    "tolerance": {"abs": 0.005, "why": "test accuracy after 3 epochs of float32 training"}

``abs`` and ``rel`` (both optional, default 0): every number in the cell's text outputs may differ
from the stored one by at most ``abs + rel * |stored|``. Everything else is compared exactly, as
nbval always does: every word (a verdict such as "diverged" must not change), every line, the
count and order of the numbers. Cells without the key are compared exactly (after the sanitizer in
``nbval_sanitize.cfg``). Loaded for every pytest run by the project's root ``conftest.py``.
"""
from __future__ import annotations

import copy
import math
import re

from nbval.plugin import IPyNbCell

__all__ = ["NUMBER", "first_difference", "read_tolerance"]

#: A number as printed by Python or NumPy: 3, -0.25, 1e-05, 97.0 (a "%" or a unit follows as text).
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")

_KEYS = {"abs", "rel", "why"}


def read_tolerance(metadata: dict) -> tuple[float, float] | None:
    """``(abs, rel)`` from a cell's metadata, or None when the cell declares no tolerance."""
    tol = metadata.get("tolerance")
    if tol is None:
        return None
    if not isinstance(tol, dict) or not set(tol) <= _KEYS or not {"abs", "rel"} & set(tol):
        raise ValueError(f'cell metadata "tolerance" must be a dict with "abs" and/or "rel" (and an '
                         f'optional "why"), got {tol!r}')
    bounds = float(tol.get("abs", 0.0)), float(tol.get("rel", 0.0))
    if not all(math.isfinite(b) and b >= 0 for b in bounds):
        raise ValueError(f'cell metadata "tolerance" needs finite, non-negative bounds, got {tol!r}')
    return bounds


def first_difference(got: str, stored: str, abs_tol: float, rel_tol: float) -> str | None:
    """Why ``got`` does not match ``stored`` within the tolerance, or None when it does.

    The text between numbers must be identical and the numbers must pair up one to one.
    """
    if NUMBER.split(got) != NUMBER.split(stored):
        return "the text around the numbers differs (words, lines or the count of numbers)"
    for g, s in zip(NUMBER.findall(got), NUMBER.findall(stored)):
        if abs(float(g) - float(s)) > abs_tol + rel_tol * abs(float(s)):
            return f"{g} differs from the stored {s} by more than abs={abs_tol:g} + rel={rel_tol:g}"
    return None


def _texts(output) -> list[tuple[tuple[str, ...], str]]:
    """The comparable text fields of one output: ``(path, text)`` pairs."""
    if output.get("output_type") == "stream":
        return [(("text",), output.get("text", ""))]
    data = output.get("data", {})
    return [(("data", mime), value) for mime, value in data.items()
            if isinstance(value, str) and not mime.startswith("image/")]


def _get(output, path):
    for key in path:
        output = output.get(key) if hasattr(output, "get") else None
    return output


def _set(output, path, value) -> None:
    for key in path[:-1]:
        output = output[key]
    output[path[-1]] = value


_nbval_compare = IPyNbCell.compare_outputs


def compare_outputs(self: IPyNbCell, test, ref, skip_compare=None) -> bool:
    """nbval's comparison, after replacing numbers that agree within the cell's tolerance."""
    bounds = read_tolerance(self.cell.metadata)
    if bounds is None:
        return _nbval_compare(self, test, ref, skip_compare)
    adopted, problems = [], []
    for k, out in enumerate(test):
        out = copy.deepcopy(out)
        stored = ref[k] if k < len(ref) else None
        if stored is not None and out.get("output_type") == stored.get("output_type"):
            for path, text in _texts(out):
                want = _get(stored, path)
                if not isinstance(want, str):
                    continue
                got_s, want_s = self.sanitize(text), self.sanitize(want)
                if got_s == want_s:
                    continue
                why = first_difference(got_s, want_s, *bounds)
                if why is None:
                    _set(out, path, want)  # equal within tolerance: compare the stored text
                else:
                    problems.append(f"output {k} ({'/'.join(path)}): {why}")
        adopted.append(out)
    same = _nbval_compare(self, adopted, ref, skip_compare)
    if not same:
        self.comparison_traceback.append(
            f"(this cell declares a tolerance abs={bounds[0]:g}, rel={bounds[1]:g} in its metadata; "
            + ("; ".join(problems) if problems else "the difference is not in its numbers") + ")")
    return same


IPyNbCell.compare_outputs = compare_outputs
