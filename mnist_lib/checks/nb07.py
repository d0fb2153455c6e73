"""Checks for the exercises of notebook 07_backpropagation.ipynb."""
from __future__ import annotations

import numpy as np

from .core import CheckResult, _first_match, compare, report


def check_sigmoid_layer(layer_class) -> CheckResult:
    """Exercise "Sigmoid backward": ``layer_class()`` has ``forward(x)`` and ``backward(dout)``.

    ``forward`` returns ``y = 1 / (1 + exp(-x))``; ``backward`` returns ``dout * y * (1 - y)``.
    """
    x = np.array([[-2.0, 0.0, 1.0], [3.0, -0.5, 0.5]])
    dout = np.array([[1.0, 2.0, -1.0], [0.5, 1.0, 3.0]])
    y = 1 / (1 + np.exp(-x))
    try:
        layer = layer_class()
        out = layer.forward(x.copy())
        dx = layer.backward(dout.copy())
    except Exception as err:  # the student's code: report, do not crash
        return report([f"your layer raised {type(err).__name__}: {err}"])
    problems = compare(out, y, "forward(x)")
    if problems:
        return report(problems)
    problems = compare(dx, dout * y * (1 - y), "backward(dout)")
    if problems:
        twice = 1 / (1 + np.exp(-y))
        problems += _first_match(dx, [
            (y * (1 - y), "backward forgot dout: multiply the local derivative y * (1 - y) by "
                          "the gradient dout that arrives from above (the chain rule)"),
            (dout * x * (1 - x), "use the output y (self.out), not the input x: the sigmoid's "
                                 "derivative is y * (1 - y)"),
            (dout * twice * (1 - twice), "self.out is already sigmoid(x): use self.out * (1 - "
                                         "self.out), without applying the sigmoid again"),
            (dout * y, "the local derivative is y * (1 - y), not y"),
        ])
    return report(problems)


def check_linear_backward(linear_backward) -> CheckResult:
    """Exercise "Affine backward" in PyTorch's layout: ``out = x @ W.T + b`` with ``W`` of shape ``(M, D)``.

    ``linear_backward(dout, cache)``, with ``cache = (x, W)``, returns ``(dx, dW, db)``, shaped
    like ``x (N, D)``, ``W (M, D)`` and ``b (M,)``.
    """
    rng = np.random.default_rng(7)
    n, d, m = 4, 3, 2  # all different, so a wrong shape cannot pass by accident
    x, W, dout = rng.standard_normal((n, d)), rng.standard_normal((m, d)), rng.standard_normal((n, m))
    shapes = f"dout is ({n}, {m}), x is ({n}, {d}) and W is ({m}, {d})"
    try:
        result = linear_backward(dout.copy(), (x.copy(), W.copy()))
    except Exception as err:  # the student's code: report, do not crash
        return report([f"linear_backward(dout, cache) raised {type(err).__name__}: {err}. "
                       f"Check the shapes: {shapes}"])
    if result is None:
        return report(["linear_backward returned None: return dx, dW, db"])
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        return report(["linear_backward should return three arrays: return dx, dW, db"])
    expected = {"dx": (dout @ W, "x"), "dW": (dout.T @ x, "W"), "db": (dout.sum(axis=0), "b")}
    problems = []
    for got, (name, (exp, of)) in zip(result, expected.items()):
        found = compare(got, exp, name)
        if found and got is not None and np.shape(got) != exp.shape:
            found = [f"{name} has shape {np.shape(got)}, but a gradient has the shape of what it "
                     f"is the gradient of: {of} is {exp.shape}. Which product of the arrays gives "
                     f"that shape? ({shapes})"]
        if found and name == "db":
            found += _first_match(got, [(dout.mean(axis=0), "db is the mean of dout's rows: b is "
                                         "added to every row, so its gradient is their sum")])
        problems += found
    return report(problems)


def check_affine_layer(layer_class) -> CheckResult:
    """Exercise "find the bug": ``layer_class(W, b)`` works like ``mnist_lib.Affine``.

    ``forward(x)`` returns ``x @ W + b``; ``backward(dout)`` returns ``dx`` and stores
    ``self.dW`` and ``self.db``.
    """
    rng = np.random.default_rng(3)
    n, d, m = 4, 3, 2
    x, W, b = rng.standard_normal((n, d)), rng.standard_normal((d, m)), rng.standard_normal(m)
    dout = rng.standard_normal((n, m))
    try:
        layer = layer_class(W.copy(), b.copy())
        out = layer.forward(x.copy())
        dx = layer.backward(dout.copy())
    except Exception as err:  # the student's code: report, do not crash
        return report([f"your layer raised {type(err).__name__}: {err}"])
    problems = compare(out, x @ W + b, "forward(x)") + compare(dx, dout @ W.T, "backward(dout)")
    for name, exp in (("dW", x.T @ dout), ("db", dout.sum(axis=0))):
        got = getattr(layer, name, None)
        if got is None:
            problems.append(f"after backward the layer has no {name}: store it as self.{name}")
            continue
        found = compare(got, exp, f"self.{name}")
        if found and name == "db":
            found += _first_match(got, [(dout.mean(axis=0), "db is the mean of dout's rows, but b "
                                         "is added to every one of the N rows, so its gradient "
                                         "is their sum (the loss has already divided by N)")])
        problems += found
    return report(problems)
