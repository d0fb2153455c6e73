"""The exercises of notebook 07_backpropagation.ipynb: Sigmoid backward, Affine backward in PyTorch's
layout, and the bug in an Affine layer."""
from __future__ import annotations

import numpy as np

from .core import Attempt, Case, CheckResult, Exercise, compare, gives, raises, run_check, when

_PRODUCT_ERRORS = ("not aligned", "mismatch in its core dimension")


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


# --- Try it 1: Sigmoid backward -----------------------------------------------------------------------

def _forward(layer_class, x):
    return layer_class().forward(x)


def _backward(layer_class, x, dout):
    layer = layer_class()
    layer.forward(x)
    return layer.backward(dout)


_X = np.array([[-2.0, 0.0, 1.0], [3.0, -0.5, 0.5]])
_DOUT = np.array([[1.0, 2.0, -1.0], [0.5, 1.0, 3.0]])
_X1 = np.array([[-30.0, 0.0, 30.0]])
_DOUT1 = np.array([[2.0, -1.0, 0.5]])


def _local(x, dout):
    """dout * y * (1 - y) with y the sigmoid of x: the chain rule, checked by central differences
    in the tests."""
    y = _sigmoid(x)
    return dout * y * (1 - y)


#: Try it 1 "Sigmoid backward": ``forward(x)`` returns ``y = 1 / (1 + exp(-x))``; ``backward(dout)``
#: returns ``dout * y * (1 - y)``.
SIGMOID_LAYER = Exercise(
    notebook="07", id="sigmoid_layer", title="Sigmoid backward", function="Sigmoid",
    params=("x", "dout"),
    cases=(Case((_X,), _sigmoid(_X), label="forward(x)", run=_forward),
           Case((_X, _DOUT), _local(_X, _DOUT), label="backward(dout)", run=_backward),
           Case((_X1, _DOUT1), _local(_X1, _DOUT1), label="backward(dout) for x of shape (1, 3)",
                run=_backward, edge="a batch of one; large and negative inputs")),
    mistakes=(
        gives("forgot-dout", "backward forgot dout: multiply the local derivative y * (1 - y) by "
              "the gradient dout that arrives from above (the chain rule)",
              lambda x, dout: _sigmoid(x) * (1 - _sigmoid(x))),
        gives("uses-the-input", "use the output y (self.out), not the input x: the sigmoid's "
              "derivative is y * (1 - y)", lambda x, dout: dout * x * (1 - x)),
        gives("sigmoid-twice", "self.out is already sigmoid(x): use self.out * (1 - self.out), "
              "without applying the sigmoid again",
              lambda x, dout: dout * _sigmoid(_sigmoid(x)) * (1 - _sigmoid(_sigmoid(x)))),
        gives("y-not-y-times-1-minus-y", "the local derivative is y * (1 - y), not y",
              lambda x, dout: dout * _sigmoid(x)),
        gives("1-minus-y-only", "the local derivative is y * (1 - y): the factor y is missing",
              lambda x, dout: dout * (1 - _sigmoid(x))),
    ))


def check_sigmoid_layer(layer_class) -> CheckResult:
    """Try it 1 "Sigmoid backward": ``layer_class()`` has ``forward(x)`` and ``backward(dout)``.

    ``forward`` returns ``y = 1 / (1 + exp(-x))``; ``backward`` returns ``dout * y * (1 - y)``.
    """
    return run_check(SIGMOID_LAYER, layer_class)


# --- Try it 2: Affine backward in PyTorch's layout ----------------------------------------------------

def _linear_case(n: int, d: int, m: int, seed: int) -> tuple:
    rng = np.random.default_rng(seed)
    x, W, dout = rng.standard_normal((n, d)), rng.standard_normal((m, d)), rng.standard_normal((n, m))
    return dout, (x, W)


_SIZES = {"dx": "x", "dW": "W", "db": "b"}


def _judge_triple(got, case: Case) -> list[str]:
    if got is None:
        return ["linear_backward returned None: return dx, dW, db"]
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return ["linear_backward should return three arrays: return dx, dW, db"]
    return []


def _gradient_of(name: str):
    """The case of one of the three gradients: its part of the learner's result, and the right one."""
    index = list(_SIZES).index(name)

    def run(fn, dout, cache):
        return fn(dout, cache)[index]

    def right(dout, cache):
        x, W = cache
        return {"dx": dout @ W, "dW": dout.T @ x, "db": dout.sum(axis=0)}[name]
    return run, right


def _linear_cases() -> tuple[Case, ...]:
    cases = []
    for (n, d, m, seed), edge in [((4, 3, 2, 7), "N, D and M all different"),
                                  ((1, 3, 2, 8), "a batch of one")]:
        dout, cache = _linear_case(n, d, m, seed)
        where = "" if n > 1 else " for a batch of one"
        cases.append(Case((dout, cache), label=f"linear_backward(dout, cache){where}",
                          judge=_judge_triple, blocking=True, edge=edge))
        for name in _SIZES:
            run, right = _gradient_of(name)
            cases.append(Case((dout, cache), right(dout, cache), label=name + where, run=run))
    return tuple(cases)


def _wrong_shape(a: Attempt) -> dict | bool:
    name = a.case.label.split()[0]
    if name not in _SIZES or a.got is None or np.shape(a.got) == np.shape(a.expected):
        return False
    dout, (x, W) = a.args
    return {"variable": _SIZES[name], "shape": np.shape(a.expected), "dout": dout.shape,
            "x": x.shape, "W": W.shape}


#: Try it 2 "Affine backward, PyTorch's way round": ``out = x @ W.T + b`` with ``W: (M, D)``;
#: ``linear_backward(dout, (x, W))`` returns ``dx (N, D), dW (M, D), db (M,)``.
LINEAR_BACKWARD = Exercise(
    notebook="07", id="linear_backward", title="Affine backward, PyTorch's way round",
    function="linear_backward", params=("dout", "cache"), cases=_linear_cases(), report="all",
    mistakes=(
        raises("book-layout", "here W is (M, D), PyTorch's way round: dx = dout @ W, where the "
               "book's layout had dout @ W.T", ValueError, _PRODUCT_ERRORS),
        gives("book-dw", "x.T @ dout is the book's dW, for W of shape (D, M); this W is (M, D), so "
              "its gradient is the transpose, dout.T @ x",
              lambda dout, cache: cache[0].T @ dout if dout.shape[1] != cache[0].shape[1] else None),
        gives("db-mean", "db is the mean of dout's rows: b is added to every row, so its gradient "
              "is their sum", lambda dout, cache: dout.mean(axis=0)),
        when("gradient-shape", "a gradient has the shape of what it is the gradient of: "
             "{variable} is {shape}. Which product of dout {dout}, x {x} and W {W} gives that "
             "shape?", _wrong_shape, example={"variable": "W", "shape": (2, 3), "dout": (4, 2),
                                              "x": (4, 3), "W": (2, 3)}),
    ))


def check_linear_backward(linear_backward) -> CheckResult:
    """Try it 2 "Affine backward" in PyTorch's layout: ``out = x @ W.T + b`` with ``W`` of shape ``(M, D)``.

    ``linear_backward(dout, cache)``, with ``cache = (x, W)``, returns ``(dx, dW, db)``, shaped
    like ``x (N, D)``, ``W (M, D)`` and ``b (M,)``.
    """
    return run_check(LINEAR_BACKWARD, linear_backward)


# --- Try it 3: find the bug in an Affine layer --------------------------------------------------------

class _Absent:
    """The layer has no such attribute."""


_ABSENT = _Absent()


def _affine(part: str):
    def run(layer_class, W, b, x, dout):
        layer = layer_class(W, b)
        out = layer.forward(x)
        if part == "forward(x)":
            return out
        dx = layer.backward(dout)
        return dx if part.startswith("backward") else getattr(layer, part.split(".")[1], _ABSENT)
    return run


def _judge_stored(got, case: Case) -> list[str]:
    name = case.label.split()[0].split(".")[1]
    if got is _ABSENT or got is None:
        return [f"after backward the layer has no {name}"]
    return compare(got, case.expected, name=case.label)


def _affine_cases() -> tuple[Case, ...]:
    cases = []
    for (n, d, m, seed), where in [((4, 3, 2, 3), ""), ((1, 3, 2, 4), " for a batch of one")]:
        rng = np.random.default_rng(seed)
        x, W, b = rng.standard_normal((n, d)), rng.standard_normal((d, m)), rng.standard_normal(m)
        dout = rng.standard_normal((n, m))
        args = (W, b, x, dout)
        edge = "a batch of one" if n == 1 else ""
        cases += [Case(args, x @ W + b, label="forward(x)" + where, run=_affine("forward(x)"),
                       edge=edge, blocking=n == 1),
                  Case(args, dout @ W.T, label="backward(dout)" + where, run=_affine("backward"),
                       edge=edge),
                  Case(args, x.T @ dout, label="self.dW" + where, run=_affine("self.dW"),
                       judge=_judge_stored, edge=edge),
                  Case(args, dout.sum(axis=0), label="self.db" + where, run=_affine("self.db"),
                       judge=_judge_stored, edge=edge)]
    return tuple(cases)


#: Try it 3 "find the bug": ``layer_class(W, b)`` works like ``mnist_lib.Affine``: ``forward(x)``
#: returns ``x @ W + b``; ``backward(dout)`` returns ``dx`` and stores ``self.dW`` and ``self.db``.
AFFINE_LAYER = Exercise(
    notebook="07", id="affine_layer", title="find the bug", function="MyAffine",
    params=("W", "b", "x", "dout"), cases=_affine_cases(), report="all",
    mistakes=(
        gives("db-mean", "db is the mean of dout's rows, but b is added to every one of the N rows, "
              "so its gradient is their sum (the loss has already divided by N)",
              lambda W, b, x, dout: dout.mean(axis=0)),
        when("gradient-not-stored", "store it on the layer, self.dW = ... and self.db = ...: the "
             "network reads layer.dW and layer.db after backward", lambda a: a.got is _ABSENT),
        gives("dw-transposed", "dW must have W's shape (D, M): x.T @ dout, not dout.T @ x",
              lambda W, b, x, dout: dout.T @ x),
        raises("dx-without-transpose", "dx = dout @ W.T: dout is (N, M) and W is (D, M), so W must "
               "be turned around", ValueError, _PRODUCT_ERRORS),
    ))


def check_affine_layer(layer_class) -> CheckResult:
    """Try it 3 "find the bug": ``layer_class(W, b)`` works like ``mnist_lib.Affine``.

    ``forward(x)`` returns ``x @ W + b``; ``backward(dout)`` returns ``dx`` and stores
    ``self.dW`` and ``self.db``.
    """
    return run_check(AFFINE_LAYER, layer_class)


EXERCISES = (SIGMOID_LAYER, LINEAR_BACKWARD, AFFINE_LAYER)
