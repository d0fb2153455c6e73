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

from .functions import sigmoid, softmax
from .networks import forward, init_network

PASSED = "All tests passed"


class CheckResult:
    """What a check returns: true when every test passed, false otherwise.

    The check has already printed its feedback, so in a notebook the result itself shows nothing
    (no extra ``Out: False`` under the feedback).
    """

    def __init__(self, passed: bool):
        self.passed = bool(passed)

    def __bool__(self) -> bool:
        return self.passed

    def __eq__(self, other) -> bool:
        return self.passed == (other.passed if isinstance(other, CheckResult) else other)

    __hash__ = None

    def __repr__(self) -> str:
        return f"CheckResult(passed={self.passed})"

    def _ipython_display_(self) -> None:
        """Show nothing: the feedback is already on screen."""


def report(problems: list[str]) -> CheckResult:
    """Print every problem (or "All tests passed"); the result is true when there were none."""
    if problems:
        for p in problems:
            print("✗", p)
        return CheckResult(False)
    print("✓", PASSED)
    return CheckResult(True)


def compare(got, expected, name: str = "your result", rtol: float = 1e-5, atol: float = 1e-8) -> list[str]:
    """Differences between ``got`` and ``expected``: type, shape, kind of dtype, then values.

    ``expected`` may be a number, a bool, a sequence or an array. Returns a list of sentences
    (empty when they agree).
    """
    if got is None:
        return [f"{name} is None: did you forget to return a value?"]
    if isinstance(expected, (bool, np.bool_)):  # only a single bool or number can be True/False
        ok = isinstance(got, (bool, int, float, np.bool_, np.number)) and bool(got) == bool(expected)
        return [] if ok else [f"{name} should be {expected}, got {got!r}"]
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

_GATE_INPUTS = ((0, 0), (1, 0), (0, 1), (1, 1))


def _gate_problems(gate: Callable, name: str, outputs: tuple[int, int, int, int],
                   if_opposite: str | None = None) -> list[str]:
    """Compare ``gate(x1, x2)`` with a truth table (``outputs`` for the inputs 00, 10, 01, 11).

    ``if_opposite``: a hint added when every answer is the opposite of the expected one.
    """
    problems, answers = [], []
    for (x1, x2), want in zip(_GATE_INPUTS, outputs):
        call = f"{name}({x1}, {x2})"
        try:
            got = gate(x1, x2)
        except Exception as err:  # the student's code: report, do not crash
            problems.append(f"{call} raised {type(err).__name__}: {err}")
            continue
        if got is None:
            problems.append(f"{call} returned None: did you forget to `return` the result?")
        elif isinstance(got, (bool, np.bool_)):
            problems.append(f"{call} returned {got}, a True/False value: return the number 1 or 0 "
                            f"instead (e.g. `return int(tmp > 0)`)")
        elif not isinstance(got, (int, np.integer)):
            problems.append(f"{call} returned {got!r} ({type(got).__name__}): a gate should "
                            f"return the integer 0 or 1")
        else:
            answers.append(int(got))
            if got != want:
                problems.append(f"{call} should be {want}, got {got}")
    if if_opposite and answers == [1 - o for o in outputs]:
        problems.append(f"Every output is the opposite of {name}'s: {if_opposite}")
    return problems


def check_nand(NAND: Callable) -> CheckResult:
    """``NAND(x1, x2)`` returns the integer 0 only for (1, 1), and 1 for the other three inputs."""
    return report(_gate_problems(NAND, "NAND", (1, 1, 1, 0),
                                 if_opposite="flip the signs of both weights and of the bias"))


def check_or_weights(w, b) -> CheckResult:
    """Weights ``w = (w1, w2)`` and a bias ``b`` that make ``1 if w1*x1 + w2*x2 + b > 0 else 0`` an OR gate."""
    try:
        w_arr, b_arr = np.asarray(w, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return report([f"w should be two numbers and b one number, got w = {w!r} and b = {b!r}"])
    if w_arr.shape != (2,):
        return report([f"w should hold 2 numbers (one weight per input), got shape {w_arr.shape}"])
    if b_arr.shape != ():
        return report([f"b should be a single number, got shape {b_arr.shape}"])
    if not (np.all(np.isfinite(w_arr)) and np.isfinite(b_arr)):
        return report([f"w and b should be ordinary numbers, got w = {w!r} and b = {b!r}"])
    (w1, w2), bias = w_arr, float(b_arr)
    sign = "+" if bias >= 0 else "-"
    problems = []
    for (x1, x2), want in zip(_GATE_INPUTS, (0, 1, 1, 1)):
        total = w1 * x1 + w2 * x2 + bias
        got = int(total > 0)
        if got != want:
            verdict = "which is > 0" if got else "which is not > 0"
            problems.append(f"OR({x1}, {x2}) should be {want}, got {got}: {w1:g}*{x1} + {w2:g}*{x2} "
                            f"{sign} {abs(bias):g} = {total + 0.0:.4g}, {verdict}")
    return report(problems)


def check_xor(XOR: Callable) -> CheckResult:
    """``XOR(x1, x2)`` returns the integer 1 when exactly one input is 1, else 0."""
    return report(_gate_problems(XOR, "XOR", (0, 1, 1, 0)))


# ---------------------------------------------------------------------------------------------
# 02_activation_functions
# ---------------------------------------------------------------------------------------------


def _run(fn: Callable, x: np.ndarray):
    """Call ``fn`` on a copy of the float array ``x``, recording what a beginner's function can get wrong.

    Returns ``(result, error, changed_input, numpy_warnings)``: the exception as text (or None),
    whether ``fn`` modified its argument, and the messages of NumPy's RuntimeWarnings ("overflow
    encountered in exp", ...), each once.
    """
    import warnings

    arg = np.array(x, dtype=float)
    result, error = None, None
    with warnings.catch_warnings(record=True) as caught, \
            np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            result = fn(arg)
        except Exception as err:  # the student's code: report, do not crash
            error = f"{type(err).__name__}: {err}"
    changed = arg.shape != np.shape(x) or not np.array_equal(arg, x)
    messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    return result, error, changed, list(dict.fromkeys(messages))


def _has_nan(got) -> bool:
    """True when ``got`` is a float array (or number) holding a nan."""
    try:
        a = np.asarray(got)
        return a.dtype.kind in "fc" and bool(np.isnan(a).any())
    except (TypeError, ValueError):
        return False


_CHANGED_INPUT = ("{name} changed its input array (with `x -= ...`, `x[...] = ...` or similar): "
                  "compute a new array instead, so the caller's data stays as it was")


def check_sigmoid(sigmoid: Callable) -> CheckResult:
    """``sigmoid(x) = 1 / (1 + exp(-x))`` elementwise, any shape, without overflow at x = -1000 or 1000."""
    import math

    problems, hints = [], []
    cases = [np.array([-2.0, -1.0, 0.0, 1.0, 2.0]), np.array([[-3.0, -2.0, -1.0], [0.0, 1.0, 2.0]]),
             np.array([-1000.0]), np.array([1000.0])]
    for x in cases:
        call = f"sigmoid(np.array({x.tolist()}))"
        if abs(x).max() > 700:  # math.exp would overflow; the true values are 0 and 1 to 400+ digits
            expected = (x > 0).astype(float)
        else:
            expected = np.array([1 / (1 + math.exp(-v)) for v in x.ravel()]).reshape(x.shape)
        got, error, changed, messages = _run(sigmoid, x)
        if error:
            problems.append(f"{call} raised {error}")
            continue
        if messages:
            problems.append(f"{call} made NumPy warn: {'; '.join(messages)}")
        if any("overflow" in m for m in messages):
            hints.append("np.exp(1000) is far beyond the largest float64 (about 1.8e308), so it "
                         "overflows to inf. Hint: e = np.exp(-np.abs(x)) never overflows, and "
                         "sigmoid(x) is 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0: let "
                         "np.where pick (it computes both branches, so both must be safe)")
        if _has_nan(got):
            problems.append(f"{call} gave nan (not a number), expected {_fmt(expected)}")
        else:
            problems += compare(got, expected, name=call)
        if changed:
            hints.append(_CHANGED_INPUT.format(name="sigmoid"))
    return report(problems + list(dict.fromkeys(hints)))


def check_relu(relu: Callable) -> CheckResult:
    """``relu(x) = max(0, x)`` elementwise on float arrays of any shape, returning a new array."""
    problems, hints = [], []
    cases = [(np.array([-2.0, -0.5, 0.0, 0.5, 3.0]), np.array([0.0, 0.0, 0.0, 0.5, 3.0])),
             (np.array([[-1.0, 2.0], [3.0, -4.0]]), np.array([[0.0, 2.0], [3.0, 0.0]]))]
    for x, expected in cases:
        call = f"relu(np.array({x.tolist()}))"
        got, error, changed, _ = _run(relu, x)
        if error:
            problems.append(f"{call} raised {error}")
            if "truth value of an array" in error:
                hints.append("Python's max(0, x) compares two single numbers and cannot handle an "
                             "array; np.maximum(0, x) compares 0 with every element")
            else:
                hints.append("Hint: np.maximum(0, x) compares 0 with every element (np.max(x) "
                             "finds the single largest element, which is something else)")
            continue
        if np.asarray(got).dtype == bool:
            problems.append(f"{call} returned True/False values (a comparison such as x > 0): "
                            f"return the numbers themselves, e.g. np.maximum(0, x)")
        else:
            problems += compare(got, expected, name=call)
        if changed:
            hints.append(_CHANGED_INPUT.format(name="relu"))
    return report(problems + list(dict.fromkeys(hints)))


def check_softmax(softmax: Callable) -> CheckResult:
    """A stable softmax: probabilities summing to 1 for scores ``(C,)`` and for each row of ``(N, C)``.

    Tries [0, 1, 2], [1010, 1000, 990] (whose exp overflows unless the maximum is subtracted first)
    and the batch of both rows, [[0, 1, 2], [1010, 1000, 990]].
    """
    import math

    def exact(row):  # the maximum subtracted, in plain Python
        e = [math.exp(v - max(row)) for v in row]
        return [v / sum(e) for v in e]

    small, large = [0.0, 1.0, 2.0], [1010.0, 1000.0, 990.0]
    problems, hints = [], []
    for x in (np.array(small), np.array(large), np.array([small, large])):
        call = f"softmax(np.array({x.tolist()}))"
        expected = np.array([exact(row) for row in x.reshape(-1, 3)]).reshape(x.shape)
        got, error, changed, messages = _run(softmax, x)
        if error:
            problems.append(f"{call} raised {error}")
            if "broadcast" in error:
                hints.append("Hint: keep the row axis with keepdims=True: np.max(x, axis=-1, "
                             "keepdims=True) has shape (N, 1), which broadcasts against (N, C)")
            elif "out of bounds" in error:
                hints.append("Hint: axis=-1 (the last axis) works for both (C,) and (N, C)")
            continue
        if messages:
            problems.append(f"{call} made NumPy warn: {'; '.join(messages)}")
            hints.append("Hint: subtract the largest score before np.exp, so exp never sees a "
                         "number above 0 (the probabilities do not change)")
        got_arr = None if got is None else np.asarray(got)
        if _has_nan(got):
            problems.append(f"{call} gave nan (not a number) instead of probabilities")
        elif (x.ndim == 2 and got_arr is not None and got_arr.shape == x.shape
              and got_arr.dtype.kind == "f" and not np.allclose(got_arr.sum(axis=-1), 1.0)):
            problems.append(f"{call}: each row should sum to 1, got row sums "
                            f"{_fmt(np.round(got_arr.sum(axis=-1), 4))}")
            hints.append("Hint: take the max and the sum of each row on its own: axis=-1, "
                         "keepdims=True")
        else:
            problems += compare(got, expected, name=call)
        if changed:
            hints.append(_CHANGED_INPUT.format(name="softmax"))
    return report(problems + list(dict.fromkeys(hints)))


# ---------------------------------------------------------------------------------------------
# 03_matrix_products
# ---------------------------------------------------------------------------------------------

#: The shape quiz: each product of arrays with these shapes, and its result ("error" if none).
#: A (2, 3), B (3, 4), x (3,), W (3, 5), X (100, 784), W1 (784, 50).
PRODUCT_SHAPES = {"A @ B": (2, 4), "B @ A": "error", "x @ W": (5,), "X @ W1": (100, 50),
                  "A @ A.T": (2, 2)}
_PRODUCT_WHY = {
    "A @ B": "(2, 3) @ (3, 4): the inner 3s match; the result keeps A's 2 rows and B's 4 columns",
    "B @ A": "(3, 4) @ (2, 3): the inner sizes 4 and 2 differ, so NumPy raises an error",
    "x @ W": "(3,) @ (3, 5): a 1-D vector on the left acts as one row, and the result is 1-D again",
    "X @ W1": "(100, 784) @ (784, 50): one row of 50 outputs for each of the 100 inputs",
    "A @ A.T": "A.T turns (2, 3) into (3, 2), and (2, 3) @ (3, 2) gives (2, 2)",
}


def _shape_problems(answers, expected: dict, why: dict | None = None) -> list[str]:
    """Compare a dict of predicted shapes (tuples, or "error") with the expected ones."""
    if not isinstance(answers, dict):
        return [f"the answers should be a dict such as {{'A @ B': (7, 1)}}, "
                f"got {type(answers).__name__}"]
    allow_error = "error" in expected.values()
    example = '(7, 1)' + (' or "error"' if allow_error else "")
    problems = []
    for key, want in expected.items():
        because = f". {why[key]}" if why and key in why else ""
        if key not in answers:
            problems.append(f"{key}: no answer (the key {key!r} is missing from the dict)")
            continue
        got = answers[key]
        if got is None:
            problems.append(f"{key}: no answer yet (replace None with a shape such as {example})")
        elif isinstance(got, str):
            if got.strip().lower() != "error":
                problems.append(f"{key}: {got!r} is not a shape; write a tuple such as {example}")
            elif want != "error":
                what = "product" if allow_error else "step"
                problems.append(f"{key}: this {what} works: expected shape {want}, "
                                f"got \"error\"{because}")
        elif isinstance(got, (int, np.integer)):
            problems.append(f"{key}: {got} is a number, not a shape; a shape is a tuple, and a 1-D "
                            f"shape needs a comma: ({got},)")
        else:
            try:
                got = tuple(int(n) for n in got)
            except (TypeError, ValueError):
                problems.append(f"{key}: {got!r} is not a shape; write a tuple such as {example}")
                continue
            if want == "error":
                problems.append(f"{key}: expected \"error\", got {got}{because}")
            elif got != want:
                turned = want[::-1]
                swapped = ", rows and columns swapped" if turned != want and got == turned else ""
                problems.append(f"{key}: expected shape {want}, got {got}{swapped}{because}")
    return problems


def check_product_shapes(answers: dict) -> CheckResult:
    """Predicted shapes of the products in :data:`PRODUCT_SHAPES` (a tuple each, or "error")."""
    return report(_shape_problems(answers, PRODUCT_SHAPES, _PRODUCT_WHY))


def _arg_text(name: str, value) -> str:
    """``x = [1., 2.]`` for a short vector, ``W of shape (2, 3)`` for anything bigger."""
    a = np.asarray(value)
    return f"{name} = {_fmt(a)}" if a.ndim <= 1 and a.size <= 6 else f"{name} of shape {a.shape}"


def _first_wrong_case(fn: Callable, fname: str, argnames: tuple[str, ...], cases):
    """Like :func:`check_cases`, but names the arguments briefly and stops at the first wrong case.

    Returns ``(problems, got, args, expected)`` of that case (``got`` is None when it raised), or
    ``([], None, None, None)`` when every case is right.
    """
    for args, expected in cases:
        call = f"{fname}({', '.join(argnames)}) with " + ", ".join(
            _arg_text(n, a) for n, a in zip(argnames, args))
        try:
            got = fn(*[np.array(a, copy=True) for a in args])
        except Exception as err:  # the student's code: report, do not crash
            return [f"{call} raised {type(err).__name__}: {err}"], None, args, expected
        problems = compare(got, expected, name=call)
        if problems:
            return problems, got, args, expected
    return [], None, None, None


def _same(got, expected) -> bool:
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == np.shape(expected) and np.allclose(got, expected)


_W23 = np.array([[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]])
_B3 = np.array([0.1, 0.2, 0.3])
_X32 = np.array([[1.0, 2.0], [0.0, 1.0], [-1.0, 0.5]])
#: ``layer(X, W, b)`` cases: one input, a batch of three, another layer (3 inputs, 2 neurons).
LAYER_CASES = [
    ((np.array([1.0, 2.0]), _W23, _B3), np.array([5.1, 11.2, 17.3])),
    ((_X32, _W23, _B3), np.array([[5.1, 11.2, 17.3], [2.1, 4.2, 6.3], [0.1, -0.8, -1.7]])),
    ((np.array([1.0, 0.0, -1.0]), np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]),
      np.array([0.5, -0.5])), np.array([-3.5, -4.5])),
]


def check_layer_output(layer: Callable) -> CheckResult:
    """``layer(X, W, b)``: the weighted sums ``X @ W + b`` of a layer, for one input or a batch."""
    problems, got, args, expected = _first_wrong_case(layer, "layer", ("X", "W", "b"), LAYER_CASES)
    if got is not None:
        X, W, b = args
        if _same(got, X @ W):
            problems.append("hint: that is X @ W without the bias; add + b")
        elif np.ndim(expected) == 2 and _same(got, expected.T):
            problems.append("hint: rows and columns are swapped; X @ W + b gives one row per input")
    return report(problems)


#: The layer of the shape-bug exercise: 4 inputs, 3 neurons, weights stored one row per neuron.
BUG_W = np.array([[0.1, 0.2, 0.3, 0.4], [-0.5, 0.6, -0.7, 0.8], [0.9, -1.0, 1.1, -1.2]])
BUG_B = np.array([0.1, 0.2, 0.3])
_BUG_X = [np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0],
                    [0.0, 0.0, 0.0, 1.0], [1.0, 1.0, 1.0, 1.0]]),
          np.array([[1.0, 2.0, 3.0, 4.0], [0.5, -1.0, 0.0, 2.0]])]


def check_shape_bug_fix(layer_outputs: Callable) -> CheckResult:
    """``layer_outputs(X)``: the fixed layer of :data:`BUG_W` (one row per neuron), :data:`BUG_B`.

    For a batch ``X`` of shape ``(N, 4)`` the answer is ``X @ BUG_W.T + BUG_B``, shape ``(N, 3)``.
    """
    problems = []
    for X in _BUG_X:
        call = f"layer_outputs(X) for X of shape {X.shape}"
        try:
            got = layer_outputs(X.copy())
        except Exception as err:  # the student's code
            problems.append(f"{call} raised {type(err).__name__}: {err}")
            if isinstance(err, ValueError):
                problems.append("hint: for X @ W the last size of X must equal the first size "
                                "of W; print X.shape and W.shape to see which one to turn around")
            break
        expected = X @ BUG_W.T + BUG_B
        found = compare(got, expected, name=call)
        if found and _same(got, expected.T):
            found = [f"{call}: expected shape {expected.shape}, got {expected.T.shape}: one row "
                     f"per input, please (X @ W.T rather than W @ X.T)"]
        elif found and _same(got, X @ BUG_W.reshape(4, 3) + BUG_B):
            found.append("hint: reshape keeps the numbers in reading order, so it mixes the "
                         "weights of different neurons; the transpose W.T keeps each neuron's "
                         "weights together")
        problems += found
        if found:
            break
    return report(problems)


# ---------------------------------------------------------------------------------------------
# 04_three_layer_forward_pass
# ---------------------------------------------------------------------------------------------



def _forward_slips(network: dict, x: np.ndarray) -> dict[str, np.ndarray]:
    """What the usual slips in the 3-layer forward pass give, keyed by a hint naming the slip."""
    W1, W2, W3 = network["W1"], network["W2"], network["W3"]
    b1, b2, b3 = network["b1"], network["b2"], network["b3"]
    a1 = x @ W1 + b1
    a2 = sigmoid(a1) @ W2 + b2
    a3 = sigmoid(a2) @ W3 + b3
    return {
        "the sigmoid after layer 1 is missing (z1 = sigmoid(a1))": sigmoid(a1 @ W2 + b2) @ W3 + b3,
        "the sigmoid after layer 2 is missing (z2 = sigmoid(a2))": a2 @ W3 + b3,
        "this network's output layer is the identity: return a3 itself, not sigmoid(a3)":
            sigmoid(a3),
        "this network's output layer is the identity: return a3 itself, not softmax(a3)":
            softmax(a3),
        "the biases are missing (each layer computes z @ W + b)":
            sigmoid(sigmoid(x @ W1) @ W2) @ W3,
    }


def _small_network(sizes: tuple[int, int, int, int], seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    net = {}
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        net[f"W{i}"] = np.round(rng.uniform(-1, 1, (n_in, n_out)), 1)
        net[f"b{i}"] = np.round(rng.uniform(-0.5, 0.5, n_out), 1)
    return net


def _forward_cases() -> list[tuple[str, dict, np.ndarray]]:
    """(description, network, x): the book's net on one input and on a batch; a 3-4-3-2 net."""
    return [("init_network()", init_network(), np.array([1.0, 0.5])),
            ("init_network()", init_network(), np.array([[1.0, 0.5], [-1.0, 2.0], [0.0, 0.0]])),
            ("a 3-4-3-2 network", _small_network((3, 4, 3, 2), seed=0), np.array([0.5, -1.0, 2.0]))]


def check_forward_by_hand(my_forward: Callable) -> CheckResult:
    """``my_forward(network, x)``: sigmoid, sigmoid, identity, for nets shaped like init_network's.

    Tried on init_network() with x = [1.0, 0.5] (the answer is [0.31682708, 0.69627909]), on a
    batch of three inputs, and on a 3-4-3-2 network with other weights.
    """
    problems = []
    for what, network, x in _forward_cases():
        call = f"my_forward({what}, x={_fmt(x)})"
        try:
            got = my_forward({k: v.copy() for k, v in network.items()}, x.copy())
        except Exception as err:  # the student's code
            problems.append(f"{call} raised {type(err).__name__}: {err}")
            break
        found = compare(got, forward(network, x), name=call)
        if found:
            problems += found
            problems += [f"hint: {hint}" for hint, slip in _forward_slips(network, x).items()
                         if _same(got, slip)]
            break
    return report(problems)


#: Shapes in the 784-50-100-10 sample network for a batch of 100 images.
BATCH_SHAPES = {"X": (100, 784), "A1": (100, 50), "Z1": (100, 50), "A2": (100, 100),
                "Z2": (100, 100), "A3": (100, 10), "Y": (100, 10)}
_BATCH_WHY = {
    "X": "100 images, one row of 784 pixels each",
    "A1": "X (100, 784) @ W1 (784, 50), plus b1 (50,)",
    "Z1": "the sigmoid works elementwise and keeps the shape of A1",
    "A2": "Z1 (100, 50) @ W2 (50, 100), plus b2 (100,)",
    "Z2": "the sigmoid keeps the shape of A2",
    "A3": "Z2 (100, 100) @ W3 (100, 10), plus b3 (10,)",
    "Y": "softmax works row by row and keeps the shape: 10 probabilities per image",
}


def check_batch_shapes(shapes: dict) -> CheckResult:
    """Predicted shapes of every step of the 784-50-100-10 network on a batch of 100 images."""
    return report(_shape_problems(shapes, BATCH_SHAPES, _BATCH_WHY))


#: ``batch_accuracy(y, t)`` cases: network outputs (N, C) (probabilities or scores), labels (N,).
ACCURACY_CASES = [
    ((np.array([[0.1, 0.8, 0.1], [0.6, 0.3, 0.1], [0.05, 0.05, 0.9], [0.3, 0.4, 0.3]]),
      np.array([1, 2, 2, 0])), 0.5),
    ((np.array([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6], [0.7, 0.3], [0.55, 0.45]]),
      np.array([0, 1, 1, 0, 0])), 1.0),
    ((np.array([[2.0, -1.0, 0.5, 3.0], [0.0, 0.1, -0.2, 0.05], [-1.0, -2.0, -0.5, -3.0]]),
      np.array([3, 3, 0])), 1 / 3),
]


def check_batch_accuracy(batch_accuracy: Callable) -> CheckResult:
    """``batch_accuracy(y, t)``: the fraction of rows of ``y`` whose largest entry is at ``t``."""
    problems, got, args, _ = _first_wrong_case(batch_accuracy, "batch_accuracy", ("y", "t"),
                                               ACCURACY_CASES)
    if got is not None:
        y, t = args
        if _same(got, np.sum(np.argmax(y, axis=1) == t)):
            problems.append("hint: that is the number of correct predictions; divide it by the "
                            "number of images, len(t) (or use np.mean)")
        elif _same(got, np.mean(np.argmax(y) == t)) or _same(got, np.sum(np.argmax(y) == t)):
            problems.append("hint: np.argmax(y) without axis gives one number for the whole array; "
                            "np.argmax(y, axis=1) gives one predicted label per row")
    return report(problems)


# ---------------------------------------------------------------------------------------------
# 05_loss_functions
# ---------------------------------------------------------------------------------------------

def _first_wrong_answer(fn: Callable, cases, name: str, hints: Callable | None = None,
                      rtol: float = 1e-4, scalar: str | None = None) -> list[str]:
    """The problem of the first case ``fn`` gets wrong (one focused message), or ``[]``.

    ``cases``: ``(args, expected, description)``. ``hints(*args)``: ``(value, advice)`` pairs, the
    results of typical mistakes; a wrong answer close to one of them gets that advice. Two keys
    instead of a value: "not finite" (advice for inf or nan), "close" (for a number within 1% of
    the answer) and "otherwise" (for any other wrong number).
    ``scalar``: when set, the answer must be one number and this text says what it is.
    """
    for args, expected, where in cases:
        call = f"{name}{where}"
        try:
            got = fn(*args)
        except Exception as err:  # the student's code: report, do not crash
            return [f"{call} raised {type(err).__name__}: {err}"]
        if scalar and got is not None and np.ndim(got) != 0:
            return [f"{call} should be one number ({scalar}), got an array of shape "
                    f"{np.shape(got)}: did you forget to add the values up with np.sum?"]
        problems = compare(got, expected, name=call, rtol=rtol)
        if not problems:
            continue
        if hints is not None and np.ndim(got) == 0 and not isinstance(got, (str, bytes)):
            try:
                value = float(got)
            except (TypeError, ValueError):
                return problems
            if not np.isfinite(value):
                return [f"{call} should be {_fmt(expected)}, got {value}: "
                        + dict(hints(*args)).get("not finite", "a number must be finite")]
            with np.errstate(all="ignore"):
                for mistake, advice in hints(*args):
                    if not isinstance(mistake, str) and np.isclose(value, mistake, rtol=rtol, atol=1e-9):
                        return [f"{problems[0]}: {advice}"]
            advice = dict(hints(*args))
            if "close" in advice and np.isclose(value, expected, rtol=1e-2):
                return [f"{problems[0]}: {advice['close']}"]
            if "otherwise" in advice:
                return [f"{problems[0]}: {advice['otherwise']}"]
        return problems
    return []


_BOOK_T = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0], dtype=np.float64)
_BOOK_Y_RIGHT = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
_BOOK_Y_WRONG = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])


def check_mse(fn: Callable) -> CheckResult:
    """Exercise: ``fn(y, t)`` is the book's mean squared error ``0.5 * np.sum((y - t)**2)``.

    Expected values: the book's two 10-class examples (0.0975 and 0.5975), a 3-class example and
    a perfect prediction (0).
    """
    def hints(y, t):
        d = np.asarray(y, dtype=float) - np.asarray(t, dtype=float)
        return [
            (np.sum(d ** 2), "that is twice the expected value: the book's MSE has a factor 0.5 "
                             "in front of the sum"),
            (0.5 * np.mean(d ** 2), "you took the mean over the classes; the book's version adds "
                                    "them up with np.sum"),
            (np.mean(d ** 2), "you took the mean over the classes; the book's version is "
                              "0.5 * np.sum((y - t)**2)"),
            (0.5 * np.sum(np.abs(d)), "square the differences, (y - t)**2, instead of taking "
                                      "their absolute value"),
            (0.5 * np.sum(d), "square the differences, (y - t)**2, before adding them up"),
            (np.sqrt(np.sum(d ** 2)), "no square root: the book's MSE is 0.5 * np.sum((y - t)**2)"),
        ]
    cases = [
        ((_BOOK_Y_RIGHT, _BOOK_T), 0.0975, "(y, t) for the book's example with 0.6 on the true class 2"),
        ((_BOOK_Y_WRONG, _BOOK_T), 0.5975, "(y, t) for the book's example with 0.6 on class 7"),
        ((np.array([0.1, 0.8, 0.1]), np.array([0.0, 1.0, 0.0])), 0.03,
         "([0.1, 0.8, 0.1], [0, 1, 0])"),
        ((np.array([0.0, 1.0, 0.0]), np.array([0.0, 1.0, 0.0])), 0.0,
         "([0, 1, 0], [0, 1, 0]), a perfect prediction,"),
    ]
    return report(_first_wrong_answer(fn, cases, getattr(fn, "__name__", "your function"), hints,
                                    scalar="the sum over all classes"))


def check_cross_entropy_batch(fn: Callable) -> CheckResult:
    """Exercise: ``fn(y, t)``, the mean cross-entropy of a batch ``y: (N, C)`` with integer labels ``t: (N,)``.

    It should be ``-np.sum(np.log(y[np.arange(N), t] + 1e-7)) / N``. Wrong answers that match a
    typical mistake (the sum instead of the mean, a missing minus sign, log10, ``y[:, t]``, the
    one-hot formula, no guard against log(0)) get advice on that mistake.
    """
    def hints(y, t):
        y, t = np.asarray(y, dtype=float), np.asarray(t)
        n = len(y)
        picked = np.log(y[np.arange(n), t] + 1e-7)
        with np.errstate(all="ignore"):
            columns = -np.sum(np.log(y[:, t] + 1e-7)) / n
            one_hot_formula = -np.sum(t * np.log(y + 1e-7)) / n if y.shape[1] == n else np.nan
        return [
            ("not finite", "np.log(0) is minus infinity; add a tiny constant inside the log, "
                           "np.log(y + 1e-7), as mnist_lib does"),
            ("close", "close, but not equal: use the course's guard, exactly 1e-7, inside the "
                      "log: np.log(y + 1e-7)"),
            (-np.sum(picked), "that is the sum over the batch; divide by the batch size "
                              "N = y.shape[0] to get the mean"),
            (np.sum(picked) / n, "the sign is wrong: the loss is minus the log, and it is "
                                 "never negative"),
            (-np.sum(picked) / n / np.log(10), "use the natural logarithm np.log, not np.log10"),
            (columns, "y[:, t] takes whole columns; take one entry per row, the true class's "
                      "probability, with y[np.arange(N), t]"),
            (one_hot_formula, "-np.sum(t * np.log(y)) is the formula for one-hot targets; with "
                              "integer labels take y[np.arange(N), t]"),
        ] + ([("otherwise", "a true class has probability 0 here; guard the log with the course's "
                            "constant, np.log(y + 1e-7), which gives that sample a loss of "
                            "-log(1e-7) ≈ 16.12")] if np.any(y[np.arange(n), t] == 0) else [])
    y3 = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]])
    # Expected values from the definition: the mean of -ln(probability of the true class).
    cases = [
        ((y3, np.array([0, 1, 2])), -(np.log(0.7) + np.log(0.8) + np.log(0.6)) / 3,
         "(y, t) with y = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]] and t = [0, 1, 2]"),
        ((np.stack([_BOOK_Y_RIGHT, _BOOK_Y_WRONG]), np.array([2, 2])),
         -(np.log(0.6) + np.log(0.1)) / 2, "(y, t) for the book's two examples as a batch, t = [2, 2]"),
        ((np.array([[0.1, 0.8, 0.1]]), np.array([1])), -np.log(0.8),
         "(y, t) for a batch of one, y = [[0.1, 0.8, 0.1]] and t = [1]"),
        ((np.array([[0.0, 1.0], [0.5, 0.5]]), np.array([0, 1])), -(np.log(1e-7) + np.log(0.5)) / 2,
         "(y, t) with y = [[0.0, 1.0], [0.5, 0.5]] and t = [0, 1] (probability 0 on a true class)"),
    ]

    def safe_fn(y, t):  # a broadcasting error from the one-hot formula gets a hint of its own
        try:
            return fn(y, t)
        except ValueError as err:
            if "broadcast" in str(err):
                raise ValueError(f"{err} (t holds one label per row, not one-hot rows: take "
                                 f"y[np.arange(N), t])") from None
            raise
    return report(_first_wrong_answer(safe_fn, cases, getattr(fn, "__name__", "your function"),
                                    hints, scalar="the mean loss over the batch"))


def check_one_hot(fn: Callable) -> CheckResult:
    """Exercise: ``fn(labels, num_classes)``, integer labels ``(N,)`` as one-hot rows ``(N, num_classes)``."""
    name = getattr(fn, "__name__", "your function")
    cases = [
        ((np.array([2, 7, 0]), 10), np.eye(10)[[2, 7, 0]]),
        ((np.array([1]), 3), np.array([[0.0, 1.0, 0.0]])),
        ((np.array([0, 0, 1, 2]), 3), np.array([[1.0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]])),
    ]
    problems = []
    for args, expected in cases:
        call = f"{name}({_fmt(args[0])}, {args[1]})"
        try:
            got = fn(*args)
        except Exception as err:  # the student's code: report, do not crash
            return report([f"{call} raised {type(err).__name__}: {err}"])
        problems = compare(got, expected, name=call)
        if problems:
            if np.shape(got) == expected.T.shape and expected.shape[0] != expected.shape[1]:
                problems[0] += ": one row per label, so the shape is (N, num_classes)"
            break
    return report(problems)


def check_get_batch(fn: Callable) -> CheckResult:
    """Exercise: ``fn(x, t, batch_size, rng)`` returns ``(x_batch, t_batch)``, rows drawn at random.

    Checks the shapes, that each label stays with its image, that the draw uses ``rng`` (the
    same seed gives the same batch) and that it is random (other seeds, other batches).
    """
    name = getattr(fn, "__name__", "your function")
    x = np.arange(60 * 4, dtype=np.float64).reshape(60, 4)  # row i is [4i, 4i+1, 4i+2, 4i+3]
    t = np.arange(60) % 10                                   # the label of row i is i % 10

    def draw(batch_size, seed):
        try:
            out = fn(x, t, batch_size, np.random.default_rng(seed))
        except Exception as err:  # the student's code: report, do not crash
            return None, f"{name}(x, t, {batch_size}, rng) raised {type(err).__name__}: {err}"
        if out is None:
            return None, f"{name} returned None: did you forget to return x_batch, t_batch?"
        if not isinstance(out, tuple) or len(out) != 2:
            return None, f"{name} should return two arrays, x_batch, t_batch; got {type(out).__name__}"
        xb, tb = np.asarray(out[0]), np.asarray(out[1])
        if xb.shape != (batch_size, 4) or tb.shape != (batch_size,):
            return None, (f"with batch_size={batch_size} and x of shape {x.shape}, expected x_batch "
                          f"of shape ({batch_size}, 4) and t_batch of shape ({batch_size},), got "
                          f"{xb.shape} and {tb.shape}")
        rows = xb[:, 0] / 4
        if not (np.all(rows == np.round(rows)) and np.all((rows >= 0) & (rows < len(x)))
                and np.array_equal(xb, x[np.clip(rows, 0, len(x) - 1).astype(int)])):
            return None, "x_batch should hold whole rows of x: index x with the drawn indices, x[idx]"
        if not np.array_equal(tb, t[rows.astype(int)]):
            return None, ("t_batch[i] should be the label of x_batch[i]: draw the indices once "
                          "and use them for both, x[idx] and t[idx]")
        return rows.astype(int), None

    first, problem = draw(10, 0)
    if problem:
        return report([problem])
    again, problem = draw(10, 0)
    if problem or not np.array_equal(first, again):
        return report([problem or "two generators with the same seed gave different batches: draw "
                       "with the generator you are given, rng.choice(...), not np.random.choice"])
    others = [draw(10, seed)[0] for seed in (1, 2, 3)]
    if all(o is not None and np.array_equal(o, first) for o in others):
        return report([f"{name} picks the same rows whatever the seed (rows {first.tolist()}): "
                       "draw them at random with rng.choice(len(x), batch_size)"])
    _, problem = draw(3, 5)
    return report([problem] if problem else [])


# ---------------------------------------------------------------------------------------------
# 06_numerical_gradients
# ---------------------------------------------------------------------------------------------

def check_central_diff(fn: Callable) -> CheckResult:
    """Exercise: ``fn(f, x, h=1e-4)``, the central difference ``(f(x + h) - f(x - h)) / (2 * h)``.

    Expected values are exact derivatives: ``0.01x² + 0.1x`` has slope 0.2 at 5 and 0.3 at 10,
    ``sin`` has slope 1 at 0, and for ``x³`` at 2 with h = 0.1 the central difference is exactly
    ``3·2² + h² = 12.01`` (the forward difference would give 12.61).
    """
    def book_f(x):
        return 0.01 * x ** 2 + 0.1 * x

    def cube(x):
        return x ** 3

    def hints(f, x, h=1e-4):
        a, b, c = f(x + h), f(x - h), f(x)
        return [
            ("not finite", "the result should be a finite slope: is h 0, or so small that x + h == x? "
                           "Use h = 1e-4"),
            (0.0, "a slope of 0 here means x + h == x: h is too small to change x (try h = 1e-4)"),
            ((a - c) / h, "that is the forward difference (f(x + h) - f(x)) / h; the central "
                          "difference compares f(x + h) with f(x - h)"),
            ((a - b) / h, "divide by 2 * h, the distance between x - h and x + h"),
            ((a - b) / 2 * h, "write / (2 * h) with brackets: a / 2 * h means (a / 2) * h"),
            (a - b / (2 * h), "put brackets around the difference: (f(x + h) - f(x - h)) / (2 * h)"),
            ((f(x + 1e-4) - f(x - 1e-4)) / 2e-4, "your result ignores the h you were given: use the "
                                                  "argument h, do not set it inside the function"),
        ]

    def call(f, x, h=None):
        if h is None:
            return fn(f, x)
        try:
            return fn(f, x, h)
        except TypeError as err:
            if "positional argument" in str(err):
                raise TypeError(f"{err} (give your function a third parameter: "
                                f"def {getattr(fn, '__name__', 'central_diff')}(f, x, h=1e-4))") from None
            raise

    def hints_for(f, x, h=None):
        return hints(f, x) if h is None else hints(f, x, h)

    cases = [
        ((book_f, 5.0), 0.2, "(f, 5.0) for f(x) = 0.01x² + 0.1x"),
        ((book_f, 10.0), 0.3, "(f, 10.0) for f(x) = 0.01x² + 0.1x"),
        ((np.sin, 0.0), 1.0, "(np.sin, 0.0)"),
        ((cube, 2.0, 0.1), 12.01, "(f, 2.0, h=0.1) for f(x) = x³"),
    ]
    return report(_first_wrong_answer(call, cases, getattr(fn, "__name__", "your function"),
                                    hints_for, rtol=1e-6, scalar="the slope at x"))


def check_gradient(f: Callable, grad) -> CheckResult:
    """Exercise: ``f(x) = x[0]**2 + 3 * x[0] * x[1]`` and ``grad``, its gradient at (1, 2), i.e. (8, 3).

    ``f`` is checked on a few points first; then ``grad`` against the exact partial derivatives
    ``(2*x0 + 3*x1, 3*x0)``.
    """
    if not callable(f):
        return report([f"f should be a function of one array x, got {type(f).__name__}"])
    for point, expected in [((1.0, 2.0), 7.0), ((2.0, -1.0), -2.0), ((0.0, 5.0), 0.0)]:
        try:
            got = f(np.array(point))
        except TypeError as err:
            return report([f"f(np.array({list(point)})) raised TypeError: {err}. f takes ONE "
                           "argument, an array x; use x[0] and x[1] inside it"])
        except Exception as err:  # the student's code: report, do not crash
            return report([f"f(np.array({list(point)})) raised {type(err).__name__}: {err}"])
        problems = compare(got, expected, name=f"f(np.array({list(point)}))")
        if problems:
            return report([f"{problems[0]}; f should compute x[0]**2 + 3 * x[0] * x[1]"])
    if grad is None:
        return report(["grad is None: compute it with numerical_gradient(f, np.array([1.0, 2.0]))"])
    if np.ndim(grad) == 0:
        return report([f"grad should hold two numbers, one partial derivative per variable; got "
                       f"the single number {_fmt(grad)} (that is f's value, not its gradient?)"])
    problems = compare(grad, [8.0, 3.0], name="grad", rtol=1e-4)
    if problems and np.shape(grad) == (2,):
        g = np.asarray(grad, dtype=float)
        if np.allclose(g, [3.0, 8.0], rtol=1e-4):
            problems[0] += ": the two partial derivatives are swapped; grad[0] is ∂f/∂x0"
        elif np.allclose(g, [-8.0, -3.0], rtol=1e-4):
            problems[0] += ": the signs are flipped; that is the direction of steepest descent, -grad"
        elif np.allclose(g, [7.0, 6.0], rtol=1e-4):
            problems[0] += ": that is the gradient at (2, 1); evaluate at x = np.array([1.0, 2.0])"
    return report(problems)


def check_descent_lr(lr) -> CheckResult:
    """Exercise: an ``lr`` that brings gradient descent on ``x0² + x1²`` from (-3, 4) to (0, 0) in 20 steps.

    Within 0.01 of (0, 0) counts. Each step multiplies the point by ``1 - 2*lr``, so any lr between
    about 0.14 and 0.86 works; the feedback says whether the steps are too small, overshoot, or
    blow up.
    """
    from .gradient import gradient_descent  # here, so this section needs no import at the top

    if lr is None:
        return report(["lr is None: set it to a number, e.g. lr = 0.3"])
    if isinstance(lr, bool) or not isinstance(lr, (int, float, np.integer, np.floating)):
        return report([f"lr should be a number, got {type(lr).__name__} {lr!r}"])
    if lr <= 0:
        return report([f"lr = {lr} is not positive: with lr <= 0 each step goes uphill or stays "
                       "put; gradient descent needs lr > 0"])
    steps = 20
    _, path = gradient_descent(lambda x: x[0] ** 2 + x[1] ** 2, np.array([-3.0, 4.0]), lr=lr,
                               step_num=steps)
    with np.errstate(over="ignore", invalid="ignore"):
        dist = np.sqrt(np.sum(path ** 2, axis=1))
    if dist[-1] < 0.01:
        return report([])
    where = (f"after {steps} steps with lr = {lr:g} the point is at distance {_fmt(dist[-1])} "
             f"from the minimum (0, 0)")
    if not np.isfinite(dist[-1]) or dist[-1] > dist[0] + 1e-9:
        return report([f"{where}, farther than where it started (5): each step overshoots the "
                       "minimum by more than it gains, so the points grow. Use a smaller lr"])
    if np.isclose(dist[-1], dist[0]):
        if np.allclose(path[1], -path[0]):
            return report([f"{where}: it jumps back and forth between (-3, 4) and (3, -4) forever. "
                           "Use a smaller lr"])
        return report([f"{where}: it has hardly moved. The steps are far too small; use a larger lr"])
    if np.sign(path[1, 0]) != np.sign(path[0, 0]):
        return report([f"{where}: it zig-zags across the minimum, overshooting at every step. "
                       "Use a slightly smaller lr"])
    return report([f"{where}: it is heading the right way but too slowly. Use a larger lr"])


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


# ---------------------------------------------------------------------------------------------
# 08_training
# ---------------------------------------------------------------------------------------------


def check_sgd_update(sgd_update) -> CheckResult:
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


def check_training_lr(lr) -> CheckResult:
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


def check_iterations_per_epoch(iterations_per_epoch) -> CheckResult:
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
