"""Instant feedback for the notebooks' "Try it" exercises.

Every check prints what is wrong, phrased for a beginner ("expected shape (2, 3), got (3, 2)",
"NAND(1, 1) should be 0, got 1"), or "All tests passed", and returns True when it passed.
The shared helpers are :func:`compare` (type, shape, dtype, values) and :func:`check_cases`
(a function against a table of inputs and expected outputs); each exercise's check is a few
lines on top of them.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

PASSED = "All tests passed"


def report(problems: list[str]) -> bool:
    """Print every problem (or "All tests passed") and return True when there were none."""
    if problems:
        for p in problems:
            print("✗", p)
        return False
    print("✓", PASSED)
    return True


def compare(got, expected, name: str = "your result", rtol: float = 1e-5, atol: float = 1e-8) -> list[str]:
    """Differences between ``got`` and ``expected``: type, shape, kind of dtype, then values.

    ``expected`` may be a number, a bool, a sequence or an array. Returns a list of sentences
    (empty when they agree).
    """
    if got is None:
        return [f"{name} is None: did you forget to return a value?"]
    if isinstance(expected, (bool, np.bool_)):
        return [] if bool(got) == bool(expected) and np.ndim(got) == 0 else [f"{name} should be {expected}, got {got!r}"]
    if isinstance(expected, np.ndarray) and not isinstance(got, np.ndarray):
        return [f"{name} should be a NumPy array, got {type(got).__name__} (wrap it in np.array)"]
    try:
        got_a = np.asarray(got)
        exp_a = np.asarray(expected)
    except (ValueError, TypeError) as err:
        return [f"{name} cannot be read as an array ({err})"]
    if got_a.dtype == object or not (np.issubdtype(got_a.dtype, np.number) or got_a.dtype == bool):
        return [f"{name} should hold numbers, got {got!r}"]
    if got_a.shape != exp_a.shape:
        return [f"{name}: expected shape {exp_a.shape}, got {got_a.shape}"]
    if np.issubdtype(exp_a.dtype, np.integer) and not np.issubdtype(got_a.dtype, np.integer):
        if np.all(np.isfinite(got_a)) and np.array_equal(got_a, exp_a):
            return [f"{name} has the right values but dtype {got_a.dtype}; expected integers "
                    f"(use .astype(np.int64))"]
    if not np.allclose(got_a, exp_a, rtol=rtol, atol=atol, equal_nan=False):
        if got_a.ndim == 0:
            return [f"{name} should be {_fmt(exp_a)}, got {_fmt(got_a)}"]
        bad = ~np.isclose(got_a, exp_a, rtol=rtol, atol=atol)
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        where = first[0] if len(first) == 1 else first
        return [f"{name}: {int(bad.sum())} of {bad.size} values differ; at index {where} "
                f"expected {_fmt(exp_a[first])}, got {_fmt(got_a[first])}"]
    return []


def check_cases(fn: Callable, cases: Iterable[tuple[tuple, object]], name: str | None = None,
                **tolerance) -> list[str]:
    """Call ``fn(*args)`` for each ``(args, expected)`` and describe every wrong answer or error."""
    name = name or getattr(fn, "__name__", "your function")
    problems = []
    for args, expected in cases:
        call = f"{name}({', '.join(_fmt(a) for a in args)})"
        try:
            got = fn(*args)
        except Exception as err:  # the student's code: report, do not crash
            problems.append(f"{call} raised {type(err).__name__}: {err}")
            continue
        problems += compare(got, expected, name=call, **tolerance)
    return problems


def _fmt(value) -> str:
    """Short, readable text for a number or array."""
    a = np.asarray(value)
    if a.ndim == 0:
        v = a.item()
        return f"{v:.6g}" if isinstance(v, float) else repr(v)
    return np.array2string(a, precision=6, separator=", ", threshold=20)


# ---------------------------------------------------------------------------------------------
# 01_perceptrons
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# 02_activation_functions
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# 03_matrix_products
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# 04_three_layer_forward_pass
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# 05_loss_functions
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# 06_numerical_gradients
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# 07_backpropagation
# ---------------------------------------------------------------------------------------------


def _first_match(got, candidates) -> list[str]:
    """The hint of the first ``(wrong_answer, hint)`` that ``got`` equals, as a one-item list."""
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return []
    for wrong, hint in candidates:
        if got.shape == np.shape(wrong) and np.allclose(got, wrong):
            return [hint]
    return []


def check_sigmoid_layer(layer_class) -> bool:
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


def check_linear_backward(linear_backward) -> bool:
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


def check_affine_layer(layer_class) -> bool:
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


# ---------------------------------------------------------------------------------------------
# 08_training
# ---------------------------------------------------------------------------------------------


def check_sgd_update(sgd_update) -> bool:
    """Exercise "write the SGD update": ``sgd_update(params, grads, lr)`` changes ``params`` in place.

    Every array must become ``params[key] - lr * grads[key]``, in the same array object (the
    network's layers hold those very arrays), for every key.
    """
    rng = np.random.default_rng(5)
    params = {"W1": rng.standard_normal((3, 2)), "b1": rng.standard_normal(2),
              "W2": rng.standard_normal((2, 2)), "b2": rng.standard_normal(2)}
    grads = {key: rng.standard_normal(p.shape) for key, p in params.items()}
    lr = 0.1
    held = dict(params)  # the arrays themselves, as a network's layers hold them
    before = {key: p.copy() for key, p in params.items()}
    try:
        sgd_update(params, {key: g.copy() for key, g in grads.items()}, lr)
    except Exception as err:  # the student's code: report, do not crash
        return report([f"sgd_update(params, grads, lr) raised {type(err).__name__}: {err}"])
    rebound = [key for key in before if params[key] is not held[key]]
    if rebound:
        return report([f"params[{rebound[0]!r}] = ... makes a new array, but the network's layers "
                       f"still hold the old one: change each array in place with "
                       f"params[key] -= lr * grads[key]"])
    unchanged = [key for key, old in before.items() if np.array_equal(held[key], old)]
    if len(unchanged) == len(before):
        return report(["sgd_update did not change params: for every key, params[key] -= lr * grads[key]"])
    problems = [f"params[{key!r}] did not change: update every key, biases too" for key in unchanged]
    for key, old in before.items():
        if key in unchanged:
            continue
        found = compare(held[key], old - lr * grads[key], f"params[{key!r}] after the update")
        if found:
            found += _first_match(held[key], [
                (old + lr * grads[key], "that step goes uphill: subtract the gradient"),
                (old - grads[key], "the step forgot the learning rate: lr * grads[key]"),
            ])
            return report(problems + found)  # the first wrong array is enough to see the mistake
    return report(problems)


def check_learning_rate(lr) -> bool:
    """Exercise "choose a learning rate": trains a ``TwoLayerNet(784, 50, 10)`` for 300 iterations with ``lr``.

    Passes when the network reaches 80 % accuracy on 2,000 test images (training on the first
    10,000 training images, batch 100, seed 0); takes about a second.
    """
    from .data import load_mnist
    from .networks import TwoLayerNet
    from .training import train

    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not np.isfinite(lr) or lr <= 0:
        return report([f"lr should be a positive number such as 0.05, got {lr!r}"])
    (x_train, t_train), (x_test, t_test) = load_mnist()
    net = TwoLayerNet(784, 50, 10, seed=0)
    history = train(net, (x_train[:10000], t_train[:10000]), lr=lr, iterations=300, seed=0,
                    eval_every=10**9)
    if history.diverged:
        return report([f"with lr = {lr:g} training diverged (the loss blew up): the steps are far "
                       f"too large, try a smaller learning rate"])
    acc = net.accuracy(x_test[:2000], t_test[:2000])
    if acc >= 0.8:
        return report([])
    size = "small, the network has hardly moved: try a larger" if lr < 0.5 else \
        "large, the steps overshoot: try a smaller"
    return report([f"with lr = {lr:g} the network reached only {acc:.2f} test accuracy after 300 "
                   f"iterations (the goal is 0.80): the learning rate is too {size} one"])


def check_iterations_per_epoch(iterations_per_epoch) -> bool:
    """Exercise "an epoch's iteration count": ``iterations_per_epoch(n, batch_size)``, an int.

    One epoch shows every sample once; the last batch may be smaller, so it is ``ceil(n / batch_size)``
    (as ``mnist_lib.train`` counts it).
    """
    cases = [((60000, 100), 600), ((60000, 64), 938), ((60000, 128), 469), ((10, 3), 4),
             ((50, 100), 1), ((1000, 1000), 1)]
    problems, rounded_down = [], False
    for (n, batch_size), expected in cases:
        call = f"iterations_per_epoch({n}, {batch_size})"
        try:
            got = iterations_per_epoch(n, batch_size)
        except Exception as err:  # the student's code: report, do not crash
            problems.append(f"{call} raised {type(err).__name__}: {err}")
            continue
        if got is None:
            return report([f"{call} returned None: did you forget to return a value?"])
        if isinstance(got, (float, np.floating)):
            return report([f"{call} returned {got!r}, a float: an iteration count is a whole "
                           f"number; math.ceil(...) returns an int"])
        problems += compare(got, expected, call)
        rounded_down = rounded_down or (got == expected - 1 and n % batch_size != 0)
    if rounded_down:
        problems.append("the last, smaller batch counts too: round up (math.ceil), not down")
    return report(problems)
