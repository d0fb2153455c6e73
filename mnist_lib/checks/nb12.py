"""The exercises of notebook 12_initialisation_and_batch_norm.ipynb: the scale of Xavier and He
initial weights, and batch normalisation's forward pass and backward pass.

The forward pass is compared with the paper's formulas written out here; the backward pass with
central differences of that forward pass (float64), as the book checks its own layer
(``ch06/batch_norm_gradient_check.py``), so the check holds whatever form the learner's formula
takes.
"""
from __future__ import annotations

import math

import numpy as np

from .core import Attempt, Case, CheckResult, Exercise, compare, gives, raises, run_check, same, when

# --- Try it 1: the scale of the initial weights -------------------------------------------------------

_GAIN = {"relu": 2.0, "sigmoid": 1.0}
_SCALES = [((784, "relu"), "the first layer of an MNIST network"), ((200, "sigmoid"), ""),
           ((100, "relu"), ""), ((50, "sigmoid"), ""), ((1, "relu"), "a single input")]


def _all_wrong_are(rule) -> callable:
    """Recognise, across the cases tried, an answer that gives ``rule(fan_in, activation)`` whenever
    it is wrong."""
    def recognise(attempt: Attempt) -> bool:
        wrong = [a for a in attempt.attempts if a.problems]
        return bool(wrong) and all(a.error is None and same(a.got, rule(*a.args)) for a in wrong)
    return recognise


#: Try it 1 "the scale of the initial weights": ``init_std(fan_in, activation)`` is
#: ``sqrt(1 / fan_in)`` for "sigmoid" (Xavier) and ``sqrt(2 / fan_in)`` for "relu" (He).
INIT_STD = Exercise(
    notebook="12", id="init_std", title="the scale of the initial weights", function="init_std",
    params=("fan_in", "activation"), report="all", layout="lines",
    cases=tuple(Case(args, math.sqrt(_GAIN[args[1]] / args[0]), label=f"init_std{args}", edge=edge,
                     rtol=1e-6) for args, edge in _SCALES),
    mistakes=(
        gives("variance-not-std", "that is the variance, 2 / fan_in or 1 / fan_in: the standard "
              "deviation is its square root", lambda n, act: _GAIN[act] / n),
        gives("fan-in-upside-down", "the more inputs a unit adds up, the smaller each weight must "
              "be: divide by fan_in, sqrt(gain / fan_in)", lambda n, act: math.sqrt(n / _GAIN[act])),
        when("relu-gain-for-both", "the sigmoid keeps all of its input (around 0 it is almost "
             "linear): Xavier's sqrt(1 / fan_in) for it, He's sqrt(2 / fan_in) for ReLU",
             _all_wrong_are(lambda n, act: math.sqrt(2 / n)), scope="answer"),
        when("sigmoid-gain-for-both", "ReLU zeroes half of its inputs, so its weights need twice "
             "the variance: sqrt(2 / fan_in) for ReLU",
             _all_wrong_are(lambda n, act: math.sqrt(1 / n)), scope="answer"),
        when("gains-swapped", "He's 2 is for ReLU, which zeroes half of its inputs; Xavier's 1 "
             "for the sigmoid", _all_wrong_are(lambda n, act: math.sqrt((3 - _GAIN[act]) / n)),
             scope="answer"),
        when("fixed-scale", "a fixed scale such as 0.01 ignores the layer: the scale depends on "
             "fan_in", lambda a: all(x.got == a.attempts[0].got for x in a.attempts)
             and len(a.attempts) > 1, scope="answer"),
    ))


def check_init_std(init_std) -> CheckResult:
    """Try it 1 "the scale of the initial weights": ``init_std(fan_in, activation)`` returns the
    standard deviation of the initial weights of a layer with ``fan_in`` inputs: Xavier's
    ``sqrt(1 / fan_in)`` for "sigmoid", He's ``sqrt(2 / fan_in)`` for "relu"."""
    return run_check(INIT_STD, init_std)


# --- batch normalisation, written out ------------------------------------------------------------------

EPS = 1e-6  # mnist_lib's BatchNormalization; any epsilon from 1e-8 to 1e-5 passes the checks,
            # whose tolerance (1e-3) is far below what any mistake changes (5% and more)


def _normalise(x, gamma, beta, mean, var, eps=EPS):
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


def _batch(x, gamma, beta, eps=EPS):
    return _normalise(x, gamma, beta, x.mean(axis=0), x.var(axis=0), eps)


class _Absent:
    """The layer has no such attribute."""

    def __repr__(self) -> str:
        return "(missing)"


_ABSENT = _Absent()


def _sequence(layer_class, gamma, beta, batches, flags, momentum=0.9):
    """Build the layer, run forward on every batch with its train_flg; return the last output and
    the running statistics the layer ends with."""
    layer = layer_class(gamma, beta, momentum=momentum)
    out = None
    for x, flag in zip(batches, flags):
        out = layer.forward(x, train_flg=flag)
    return (out, getattr(layer, "running_mean", _ABSENT), getattr(layer, "running_var", _ABSENT))


def _statistics(batches, flags, momentum, mean0, var0, swapped=False):
    """The running statistics after the training batches, as they should be (or as a mistake
    makes them)."""
    mean, var = mean0.copy(), var0.copy()
    keep = 1 - momentum if swapped else momentum
    for x, flag in zip(batches, flags):
        if flag:
            mean = keep * mean + (1 - keep) * x.mean(axis=0)
            var = keep * var + (1 - keep) * x.var(axis=0)
    return mean, var


def _forward_case(seed: int, n: int, d: int, flags: tuple, label: str, edge: str = "",
                  constant: bool = False, part: str = "out") -> Case:
    rng = np.random.default_rng(seed)
    gamma, beta = rng.uniform(0.5, 2.0, d), rng.standard_normal(d)
    sizes = [8] * (len(flags) - 1) + [n]
    batches = [rng.normal(rng.uniform(-2, 2, d), rng.uniform(0.5, 3, d), (size, d)) for size in sizes]
    if constant:
        batches[-1][:, 0] = 1.5  # a feature with no spread at all
    mean, var = _statistics(batches, flags, 0.9, np.zeros(d), np.ones(d))
    x = batches[-1]
    if part == "out":
        expected = _batch(x, gamma, beta) if flags[-1] else _normalise(x, gamma, beta, mean, var)
    else:
        expected = {"running_mean": mean, "running_var": var}[part]
    return Case((gamma, beta, batches, flags), expected, label=label, edge=edge,
                run=_forward_run(part), judge=_judge_part(part), rtol=1e-3, atol=1e-3)


def _forward_run(part: str):
    def run(layer_class, gamma, beta, batches, flags):
        out, mean, var = _sequence(layer_class, gamma, beta, batches, flags)
        return {"out": out, "running_mean": mean, "running_var": var}[part]
    return run


def _judge_part(part: str):
    def judge(got, case: Case) -> list[str]:
        if got is _ABSENT:
            return [f"the layer has no {part}: keep it as self.{part}, as the starter sets it up"]
        return compare(got, case.expected, name=case.label, rtol=case.rtol, atol=case.atol)
    return judge


def _forward_cases() -> tuple[Case, ...]:
    return (
        _forward_case(0, 6, 4, (True,), "forward(x) in training", "a batch of 6 with 4 features"),
        _forward_case(1, 5, 3, (True,), "forward(x) in training, a feature that does not vary",
                      "a feature with variance 0", constant=True),
        _forward_case(2, 8, 3, (True, True, True), "running_mean after three training batches",
                      "the moving average of the means", part="running_mean"),
        _forward_case(2, 8, 3, (True, True, True), "running_var after three training batches",
                      "the moving average of the variances", part="running_var"),
        _forward_case(3, 6, 3, (True, True, True, False),
                      "forward(x, train_flg=False) after three training batches",
                      "in use: the moving averages"),
        _forward_case(4, 1, 3, (True, True, False), "forward(x, train_flg=False) for one image",
                      "in use, a batch of one"),
    )


def _in_use_like_training(attempt: Attempt) -> bool:
    gamma, beta, batches, flags = attempt.args
    if flags[-1] or attempt.got is None:
        return False
    x = batches[-1]
    with np.errstate(all="ignore"):
        return same(attempt.got, _batch(x, gamma, beta), rtol=1e-3, atol=1e-3) or (
            len(x) == 1 and np.allclose(np.nan_to_num(attempt.got, nan=0.0), beta, atol=1e-6))


def _running(part: str, swapped: bool) -> callable:
    """Recognise running statistics updated with the momentum ``swapped``."""
    def recognise(attempt: Attempt) -> bool:
        if not attempt.case.label.startswith(part) or attempt.got is None:
            return False
        gamma, beta, batches, flags = attempt.args
        d = len(gamma)
        mean, var = _statistics(batches, flags, 0.9, np.zeros(d), np.ones(d), swapped)
        return same(attempt.got, mean if part == "running_mean" else var, rtol=1e-3, atol=1e-3)
    return recognise


def _training_output(wrong) -> callable:
    """Recognise a training output equal to ``wrong(x, gamma, beta)``."""
    def recognise(attempt: Attempt) -> bool:
        gamma, beta, batches, flags = attempt.args
        if not flags[-1] or attempt.got is None:
            return False
        with np.errstate(all="ignore"):
            return same(attempt.got, wrong(batches[-1], gamma, beta), rtol=1e-3, atol=1e-3)
    return recognise


def _unchanged_statistics(attempt: Attempt) -> bool:
    if attempt.got is None or not attempt.case.label.startswith("running"):
        return False
    start = 0.0 if attempt.case.label.startswith("running_mean") else 1.0
    return bool(np.all(np.asarray(attempt.got) == start))


#: Try it 2 "batch normalisation, forward": ``layer_class(gamma, beta, momentum=0.9)``, with
#: ``forward(x, train_flg=True)``: the batch's statistics in training (and moving averages of
#: them), the moving averages in use.
BATCHNORM_FORWARD = Exercise(
    notebook="12", id="batchnorm_forward", title="batch normalisation, forward",
    function="BatchNorm", params=("gamma", "beta", "batches", "flags"),
    cases=_forward_cases(), report="first", layout="lines",
    mistakes=(
        when("no-epsilon", "a feature that does not vary has variance 0: add the small eps "
             "inside the square root, np.sqrt(var + 1e-6), so that it becomes 0 and not nan",
             lambda a: a.got is not None and a.case.edge == "a feature with variance 0"
             and bool(np.isnan(np.asarray(a.got, dtype=float)).any())),
        when("wrong-axis", "normalise each feature over the batch, the mean and variance of each "
             "column: axis=0", _training_output(lambda x, g, b: g * (x - x.mean(axis=1, keepdims=True))
                                                / np.sqrt(x.var(axis=1, keepdims=True) + EPS) + b)),
        when("no-scale-and-shift", "after normalising, scale and shift: gamma * xn + beta",
             _training_output(lambda x, g, b: (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + EPS))),
        when("divides-by-variance", "divide by the standard deviation, np.sqrt(var + eps), not "
             "by the variance", _training_output(lambda x, g, b: g * (x - x.mean(axis=0))
                                                 / (x.var(axis=0) + EPS) + b)),
        when("unbiased-variance", "batch normalisation divides by N, not N - 1: np.mean(xc**2, "
             "axis=0), or x.var(axis=0) without ddof=1",
             _training_output(lambda x, g, b: g * (x - x.mean(axis=0))
                              / np.sqrt(x.var(axis=0, ddof=1) + EPS) + b)),
        when("running-statistics-not-updated", "update the moving averages at every training "
             "pass: running_mean = momentum * running_mean + (1 - momentum) * mean (and the same "
             "for the variance)", _unchanged_statistics),
        when("momentum-swapped", "momentum is the share of the old average that is kept: "
             "momentum * running_mean + (1 - momentum) * mean",
             lambda a: _running("running_mean", swapped=True)(a)
             or _running("running_var", swapped=True)(a)),
        when("batch-statistics-in-use", "in use (train_flg=False), normalise with the moving "
             "averages running_mean and running_var, not with the batch's own mean and variance: "
             "an image's answer must not depend on the other images of its batch",
             _in_use_like_training),
        raises("train-flg-missing", "forward takes train_flg as well: def forward(self, x, "
               "train_flg=True)", TypeError, "train_flg"),
    ))


def check_batchnorm_forward(layer_class) -> CheckResult:
    """Try it 2 "batch normalisation, forward": ``layer_class(gamma, beta, momentum=0.9)`` and its
    ``forward(x, train_flg=True)``.

    Training: ``xn = (x - mean) / sqrt(var + eps)`` with the batch's mean and variance (divided by
    N) per feature, ``out = gamma * xn + beta``, and ``running_mean`` and ``running_var`` move
    towards them (``momentum * old + (1 - momentum) * new``). In use: the same with the running
    averages.
    """
    return run_check(BATCHNORM_FORWARD, layer_class)


# --- Try it 3: batch normalisation, backward -----------------------------------------------------------

_H = 1e-5


def _numerical(x, gamma, beta, dout) -> dict[str, np.ndarray]:
    """d/d(x, gamma, beta) of sum(forward(x) * dout), by central differences (float64)."""
    arrays = {"dx": x.copy(), "dgamma": gamma.copy(), "dbeta": beta.copy()}

    def weighted_output() -> float:
        return float(np.sum(_batch(arrays["dx"], arrays["dgamma"], arrays["dbeta"]) * dout))
    grads = {}
    for name, array in arrays.items():
        grad = np.zeros_like(array)
        for idx in np.ndindex(array.shape):
            original = array[idx]
            array[idx] = original + _H
            plus = weighted_output()
            array[idx] = original - _H
            minus = weighted_output()
            array[idx] = original
            grad[idx] = (plus - minus) / (2 * _H)
        grads[name] = grad
    return grads


def _backward_run(part: str):
    def run(layer_class, x, gamma, beta, dout):
        layer = layer_class(gamma, beta)
        layer.forward(x, train_flg=True)
        dx = layer.backward(dout)
        return dx if part == "dx" else getattr(layer, part, _ABSENT)
    return run


def _judge_gradient(got, case: Case) -> list[str]:
    name = case.label.split()[0]
    if got is _ABSENT:
        return [f"after backward the layer has no {name}: keep it as self.{name}"]
    return compare(got, case.expected, name=case.label, rtol=1e-3, atol=1e-5)


def _backward_cases() -> tuple[Case, ...]:
    cases = []
    for seed, (n, d), where, edge in [(5, (5, 3), "", "a batch of 5 with 3 features"),
                                      (6, (8, 4), " for another batch", "8 images, 4 features")]:
        rng = np.random.default_rng(seed)
        x = rng.normal(rng.uniform(-1, 1, d), rng.uniform(0.5, 2, d), (n, d))
        gamma, beta, dout = rng.uniform(0.5, 2, d), rng.standard_normal(d), rng.standard_normal((n, d))
        numeric = _numerical(x, gamma, beta, dout)
        for name in ("dx", "dgamma", "dbeta"):
            label = "dx = backward(dout)" if name == "dx" else name
            cases.append(Case((x, gamma, beta, dout), numeric[name], label=label + where,
                              run=_backward_run(name), judge=_judge_gradient, edge=edge))
    return tuple(cases)


def _backward_gives(part: str, wrong) -> callable:
    """Recognise ``part`` (dx, dgamma or dbeta) equal to ``wrong(x, gamma, beta, dout, xn, std)``."""
    def recognise(attempt: Attempt) -> bool:
        if not attempt.case.label.startswith(part if part != "dx" else "dx ") or attempt.got is None:
            return False
        x, gamma, beta, dout = attempt.args
        std = np.sqrt(x.var(axis=0) + EPS)
        xn = (x - x.mean(axis=0)) / std
        return same(attempt.got, wrong(x, gamma, beta, dout, xn, std), rtol=1e-3, atol=1e-5)
    return recognise


#: Try it 3 "batch normalisation, backward": after a training forward, ``backward(dout)`` returns
#: ``dx`` and keeps ``self.dgamma`` and ``self.dbeta``; compared with central differences.
BATCHNORM_BACKWARD = Exercise(
    notebook="12", id="batchnorm_backward", title="batch normalisation, backward",
    function="BatchNorm", params=("x", "gamma", "beta", "dout"), cases=_backward_cases(),
    report="all", layout="lines",
    mistakes=(
        when("gradient-not-stored", "keep the parameters' gradients on the layer, self.dgamma = "
             "... and self.dbeta = ...: the network reads them after backward",
             lambda a: a.got is _ABSENT),
        when("dbeta-mean", "beta is added to every row, so its gradient is the sum of dout's rows, "
             "not their mean", _backward_gives("dbeta", lambda x, g, b, d, xn, s: d.mean(axis=0))),
        when("dgamma-uses-x", "gamma multiplies the normalised xn, not x: dgamma = np.sum(xn * "
             "dout, axis=0)", _backward_gives("dgamma", lambda x, g, b, d, xn, s: np.sum(x * d, axis=0))),
        when("gradient-per-image", "sum over the batch: gamma and beta are shared by every image, "
             "so dgamma and dbeta have one value per feature, shape (D,)",
             lambda a: a.got is not None and a.got is not _ABSENT and np.ndim(a.got) == 2
             and np.ndim(a.expected) == 1),
        when("ignores-batch-statistics", "the mean and the variance depend on x too: "
             "dx = (dxn - mean(dxn) - xn * mean(dxn * xn)) / std, with dxn = gamma * dout and "
             "every mean over the batch", _backward_gives("dx", lambda x, g, b, d, xn, s: g * d / s)),
        when("forgot-the-variance-path", "the mean's path is there, the variance's is missing: "
             "subtract xn * mean(dxn * xn) as well",
             _backward_gives("dx", lambda x, g, b, d, xn, s: (g * d - (g * d).mean(axis=0)) / s)),
        when("forgot-gamma", "the output is gamma * xn + beta, so the gradient reaching xn is "
             "dxn = gamma * dout", _backward_gives(
                 "dx", lambda x, g, b, d, xn, s: (d - d.mean(axis=0) - xn * np.mean(d * xn, axis=0))
                 / s)),
    ))


def check_batchnorm_backward(layer_class) -> CheckResult:
    """Try it 3 "batch normalisation, backward": ``layer_class(gamma, beta)``; after
    ``forward(x, train_flg=True)``, ``backward(dout)`` returns ``dx`` and keeps ``self.dgamma`` and
    ``self.dbeta``, each compared with central differences of the forward pass (float64)."""
    return run_check(BATCHNORM_BACKWARD, layer_class)


EXERCISES = (INIT_STD, BATCHNORM_FORWARD, BATCHNORM_BACKWARD)
