"""The exercises of notebook 11_optimizers.ipynb: the five optimisers of the book's ``optimizer.py``,
each a class with ``update(params, grads)``, checked against ``mnist_lib.optimizer``.

Every case builds the learner's class with some settings, calls ``update`` on a dict of two arrays
(a weight matrix and a bias vector) once per gradient of a short sequence, and compares the arrays
at the end. A case with tiny gradients tells where the small epsilon goes (outside the square root:
inside, it swamps a gradient of 1e-5); its tolerance (5%) accepts the 1e-8 of the Adam paper and
of PyTorch as well as the book's 1e-7, and the paper's form of Adam as well as the book's. The
cases compare how far each array moved, not where it ended, so that a small step is judged as
closely as a large one.
"""
from __future__ import annotations

import math

import numpy as np

from .. import optimizer as reference
from .core import (Attempt, Case, CheckResult, Exercise, Mistake, compare, raises, run_check, same,
                   when)

_SETTING_ERRORS = ("unexpected keyword argument", "positional argument")


# --- what every optimiser exercise shares ----------------------------------------------------------

def _start(seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {"W": rng.standard_normal((2, 3)), "b": rng.standard_normal(3)}


def _gradients(seed: int, steps: int, tiny: float | None = None) -> list[dict[str, np.ndarray]]:
    """``steps`` gradients for ``_start``'s arrays, of either sign at random: sizes from 0.3 to 2,
    or all about ``tiny`` (0.8 to 1.2 times it). No size comes near 0, where the choice of epsilon
    (1e-7 or 1e-8) would show in the other cases."""
    rng = np.random.default_rng(seed + 100)
    low, high = (0.3, 2.0) if tiny is None else (0.8 * tiny, 1.2 * tiny)

    def draw(shape):
        return rng.uniform(low, high, shape) * rng.choice([-1.0, 1.0], shape)
    return [{"W": draw((2, 3)), "b": draw(3)} for _ in range(steps)]


def _updates(optimizer_class, settings: dict, params: dict, gradients: list) -> tuple:
    """Build the optimiser, update ``params`` once per gradient; return the dict, the arrays it held
    at the start, and their values at the start."""
    held = dict(params)
    before = {key: p.copy() for key, p in params.items()}
    optimizer = optimizer_class(**settings)
    for grads in gradients:
        optimizer.update(params, grads)
    return params, held, before


def _moves(optimizer_class, settings: dict, params: dict, gradients: list) -> dict:
    """How far ``optimizer_class``'s updates move every array (worked on copies)."""
    moved = {key: p.copy() for key, p in params.items()}
    optimizer = optimizer_class(**settings)
    for grads in gradients:
        optimizer.update(moved, {key: g.copy() for key, g in grads.items()})
    return {key: moved[key] - params[key] for key in params}


def _judge(got, case: Case) -> list[str]:
    params, held, before = got
    rebound = [key for key in before if params.get(key) is not held[key]]
    if rebound:
        return [f"params[{rebound[0]!r}] = ... makes a new array, but the network's layers still "
                f"hold the old one"]
    if all(np.array_equal(held[key], before[key]) for key in before):
        return [f"{case.label}: update did not change params"]
    for key in before:  # the moves, not the values: a small move on a large value still counts
        found = compare(held[key] - before[key], case.expected[key],
                        f"{case.label}: the change of params[{key!r}]", rtol=case.rtol, atol=1e-15)
        if found:
            return found
    return []


def _cases(optimizer_class, settings: list[dict], tiny: float, tiny_rtol: float) -> tuple[Case, ...]:
    """One step, five steps, other settings, and tiny gradients (where epsilon matters)."""
    plan = [(settings[0], 1, 1.0, "one step", "", 1e-4),
            (settings[0], 5, 1.0, "five steps", "what the optimiser remembers between steps", 1e-4),
            (settings[1], 3, 1.0, f"three steps with {_text(settings[1])}",
             "other settings than the defaults", 1e-4),
            (settings[0], 2, tiny, f"two steps with gradients of about {tiny:g}",
             "tiny gradients: where the epsilon goes", tiny_rtol)]
    cases = []
    for k, (chosen, steps, scale, label, edge, rtol) in enumerate(plan):
        params, gradients = _start(k), _gradients(k, steps, None if scale == 1.0 else scale)
        expected = _moves(optimizer_class, chosen, params, gradients)
        cases.append(Case((chosen, params, gradients), expected, label=label, edge=edge, rtol=rtol,
                          judge=_judge))
    return tuple(cases)


def _text(settings: dict) -> str:
    return ", ".join(f"{k}={v:g}" for k, v in settings.items())


def _made_by(wrong_class, rtol: float = 1e-6) -> callable:
    """Recognise an answer whose arrays end as ``wrong_class``'s would."""
    def recognise(attempt: Attempt) -> bool:
        if attempt.got is None:
            return False
        _, held, before = attempt.got
        wrong = _moves(wrong_class, *attempt.args)
        return all(same(held[key] - before[key], wrong[key], rtol=rtol, atol=1e-15)
                   for key in wrong)
    return recognise


def _infinite_step(attempt: Attempt) -> bool:
    """A division by zero: raised (Python floats) or inf and nan in the arrays (NumPy's)."""
    if isinstance(attempt.error, ZeroDivisionError):
        return True
    return attempt.got is not None and not all(np.isfinite(a).all() for a in attempt.got[1].values())


def _unchanged(attempt: Attempt) -> bool:
    return attempt.got is not None and all(np.array_equal(attempt.got[1][k], attempt.got[2][k])
                                           for k in attempt.got[2])


def _no_update() -> Mistake:
    return when("no-update", "change every array of params in place, for key in params: "
                "params[key] -= ...", _unchanged)


def _rebinds() -> Mistake:
    return when("rebinds-arrays", "change each array in place, params[key] -= ... (or += for a "
                "velocity): the network's layers hold those very arrays",
                lambda a: a.got is not None and any(a.got[0].get(k) is not a.got[1][k]
                                                    for k in a.got[1]))


def _renamed(signature: str) -> Mistake:
    return raises("renamed-settings", f"keep the starter's names and defaults, {signature}: the "
                  f"check builds the class with them", TypeError, _SETTING_ERRORS)


def _optimizer_exercise(id: str, title: str, name: str, optimizer_class, settings: list[dict],
                        tiny: float, tiny_rtol: float, mistakes: tuple) -> Exercise:
    return Exercise(
        notebook="11", id=id, title=title, function=name,
        params=("settings", "params", "gradients"),
        cases=_cases(optimizer_class, settings, tiny, tiny_rtol), run=_updates,
        may_change_inputs=("params",), report="first", layout="lines", mistakes=mistakes)


# --- the wrong optimisers the catalogue recognises ---------------------------------------------------

class _Uphill(reference.SGD):
    def update(self, params, grads):
        for key in params:
            params[key] += self.lr * grads[key]


class _NoLr(reference.SGD):
    def update(self, params, grads):
        for key in params:
            params[key] -= grads[key]


class _FixedLr(reference.SGD):
    def update(self, params, grads):
        for key in params:
            params[key] -= 0.01 * grads[key]


class _MomentumUphill(reference.Momentum):
    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(p) for key, p in params.items()}
        for key in params:
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] -= self.v[key]


class _MomentumForgets(reference.Momentum):
    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]  # a fresh velocity of 0 at every step is SGD


class _MomentumDamped(reference.Momentum):
    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(p) for key, p in params.items()}
        for key in params:
            self.v[key] = self.momentum * self.v[key] - (1 - self.momentum) * self.lr * grads[key]
            params[key] += self.v[key]


class _MomentumFixed(reference.Momentum):
    def __init__(self, lr=0.01, momentum=0.9):
        super().__init__(0.01, 0.9)


class _AdaGradNotSummed(reference.AdaGrad):
    def update(self, params, grads):
        for key in params:
            h = grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(h) + reference.EPSILON)


class _EpsilonInside:
    """``/ sqrt(h + 1e-7)`` instead of ``/ (sqrt(h) + 1e-7)``, for AdaGrad and RMSprop."""

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(p) for key, p in params.items()}
        for key in params:
            self._remember(key, grads[key])
            params[key] -= self.lr * grads[key] / np.sqrt(self.h[key] + reference.EPSILON)


class _AdaGradEpsilonInside(_EpsilonInside, reference.AdaGrad):
    def _remember(self, key, g):
        self.h[key] += g * g


class _AdaGradNoRoot(reference.AdaGrad):
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(p) for key, p in params.items()}
        for key in params:
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (self.h[key] + reference.EPSILON)


class _RMSpropSwapped(reference.RMSprop):
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(p) for key, p in params.items()}
        for key in params:
            self.h[key] = (1 - self.decay_rate) * self.h[key] + self.decay_rate * grads[key] ** 2
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + reference.EPSILON)


class _RMSpropSums(reference.RMSprop):
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(p) for key, p in params.items()}
        for key in params:
            self.h[key] += (1 - self.decay_rate) * grads[key] ** 2
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + reference.EPSILON)


class _RMSpropEpsilonInside(_EpsilonInside, reference.RMSprop):
    def _remember(self, key, g):
        self.h[key] = self.decay_rate * self.h[key] + (1 - self.decay_rate) * g * g


class _Adam(reference.Adam):
    """Adam with hooks for its mistakes: the step count a key sees and the denominator."""

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(p) for key, p in params.items()}
            self.v = {key: np.zeros_like(p) for key, p in params.items()}
        self.iter += 1
        for key in params:
            t = self._step(key)
            g = grads[key]
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * g
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * g * g
            params[key] -= self._move(self.m[key], self.v[key], t)

    def _step(self, key):
        return self.iter

    def _move(self, m, v, t):
        lr_t = self.lr * math.sqrt(1 - self.beta2 ** t) / (1 - self.beta1 ** t)
        return lr_t * m / (np.sqrt(v) + reference.EPSILON)


class _AdamUncorrected(_Adam):
    def _move(self, m, v, t):
        return self.lr * m / (np.sqrt(v) + reference.EPSILON)


class _AdamEpsilonInside(_Adam):
    def _move(self, m, v, t):
        m_hat, v_hat = m / (1 - self.beta1 ** t), v / (1 - self.beta2 ** t)
        return self.lr * m_hat / np.sqrt(v_hat + reference.EPSILON)


class _AdamCountsKeys(_Adam):
    """The step counter moves on for every array, not once per update."""

    def _step(self, key):
        if key != next(iter(self.m)):
            self.iter += 1
        return self.iter


# --- Try it 1: SGD ------------------------------------------------------------------------------------

#: Try it 1 "SGD": ``SGD(lr=0.01)``; ``update(params, grads)`` does ``params[key] -= lr * grads[key]``.
SGD_CLASS = _optimizer_exercise(
    "sgd", "SGD", "SGD", reference.SGD, [{"lr": 0.1}, {"lr": 0.03}], tiny=1e-5, tiny_rtol=1e-4,
    mistakes=(
        _rebinds(),
        _no_update(),
        when("uphill", "that step goes uphill: subtract lr * grads[key]", _made_by(_Uphill)),
        when("forgot-lr", "the step forgot the learning rate: self.lr * grads[key]",
             _made_by(_NoLr)),
        when("fixed-lr", "use the learning rate the optimiser was built with, self.lr, not a "
             "number of your own", _made_by(_FixedLr)),
        _renamed("SGD(lr=0.01)"),
    ))


def check_sgd(optimizer_class) -> CheckResult:
    """Try it 1 "SGD": ``optimizer_class(lr=...)`` with ``update(params, grads)``, changing every
    array of ``params`` in place by ``- lr * grads[key]``."""
    return run_check(SGD_CLASS, optimizer_class)


# --- Try it 2: Momentum -------------------------------------------------------------------------------

#: Try it 2 "Momentum": ``v = momentum * v - lr * grads[key]``; ``params[key] += v``; one ``v`` per key.
MOMENTUM_CLASS = _optimizer_exercise(
    "momentum", "Momentum", "Momentum", reference.Momentum,
    [{"lr": 0.05, "momentum": 0.9}, {"lr": 0.02, "momentum": 0.5}], tiny=1e-5, tiny_rtol=1e-4,
    mistakes=(
        _rebinds(),
        _no_update(),
        when("momentum-sign", "the step goes uphill: with v = momentum * v - lr * grad, the "
             "update is params[key] += v", _made_by(_MomentumUphill)),
        when("velocity-forgotten", "this is plain SGD: the velocity must live on the optimiser "
             "(self.v), created once and kept from one update to the next",
             _made_by(_MomentumForgets)),
        when("velocity-averaged", "(1 - momentum) * lr * grad makes the velocity an average, ten "
             "times smaller: add the whole - lr * grad", _made_by(_MomentumDamped)),
        when("fixed-settings", "use the settings the optimiser was built with, self.lr and "
             "self.momentum", _made_by(_MomentumFixed)),
        _renamed("Momentum(lr=0.01, momentum=0.9)"),
        raises("one-velocity", "keep one velocity per array, self.v[key], created with "
               "np.zeros_like(params[key]): the weights and the biases have different shapes",
               ValueError, ("broadcast", "shape")),
    ))


def check_momentum(optimizer_class) -> CheckResult:
    """Try it 2 "Momentum": ``optimizer_class(lr=..., momentum=...)``; ``update`` keeps one velocity
    ``v`` per key, ``v = momentum * v - lr * grads[key]``, and adds it to ``params[key]``."""
    return run_check(MOMENTUM_CLASS, optimizer_class)


# --- Try it 3: AdaGrad --------------------------------------------------------------------------------

_EPSILON_HINT = ("1e-7 goes outside the square root, np.sqrt(h) + 1e-7: inside, it swamps a tiny "
                 "gradient's square and makes its step far too small")

#: Try it 3 "AdaGrad": ``h += g * g``; ``params[key] -= lr * g / (sqrt(h) + 1e-7)``.
ADAGRAD_CLASS = _optimizer_exercise(
    "adagrad", "AdaGrad", "AdaGrad", reference.AdaGrad, [{"lr": 0.1}, {"lr": 0.5}], tiny=1e-5,
    tiny_rtol=0.05,
    mistakes=(
        _rebinds(),
        _no_update(),
        when("h-not-summed", "h must add up every squared gradient so far, self.h[key] += g * g, "
             "kept on the optimiser: this h holds only the last one", _made_by(_AdaGradNotSummed)),
        when("epsilon-inside-sqrt", _EPSILON_HINT, _made_by(_AdaGradEpsilonInside, rtol=1e-3)),
        when("no-square-root", "divide by the square root of h, np.sqrt(h) + 1e-7: h holds "
             "squares", _made_by(_AdaGradNoRoot)),
        _renamed("AdaGrad(lr=0.01)"),
    ))


def check_adagrad(optimizer_class) -> CheckResult:
    """Try it 3 "AdaGrad": ``optimizer_class(lr=...)``; ``update`` keeps ``h`` per key, the sum of
    every squared gradient, and steps by ``lr * g / (sqrt(h) + 1e-7)``."""
    return run_check(ADAGRAD_CLASS, optimizer_class)


# --- Try it 4: RMSprop --------------------------------------------------------------------------------

#: Try it 4 "RMSprop": ``h = decay_rate * h + (1 - decay_rate) * g * g``; the step as AdaGrad's.
RMSPROP_CLASS = _optimizer_exercise(
    "rmsprop", "RMSprop", "RMSprop", reference.RMSprop,
    [{"lr": 0.01, "decay_rate": 0.9}, {"lr": 0.003, "decay_rate": 0.5}], tiny=1e-4,
    tiny_rtol=0.05,
    mistakes=(
        _rebinds(),
        _no_update(),
        when("decay-swapped", "decay_rate is the share of the old h that is kept: h = "
             "decay_rate * h + (1 - decay_rate) * g * g", _made_by(_RMSpropSwapped)),
        when("h-never-fades", "h must fade too: multiply the old h by decay_rate before adding "
             "the new square, or it grows like AdaGrad's", _made_by(_RMSpropSums)),
        when("epsilon-inside-sqrt", _EPSILON_HINT, _made_by(_RMSpropEpsilonInside, rtol=1e-3)),
        _renamed("RMSprop(lr=0.01, decay_rate=0.99)"),
    ))


def check_rmsprop(optimizer_class) -> CheckResult:
    """Try it 4 "RMSprop": ``optimizer_class(lr=..., decay_rate=...)``; ``h`` per key is a moving
    average of the squared gradients; the step is ``lr * g / (sqrt(h) + 1e-7)``."""
    return run_check(RMSPROP_CLASS, optimizer_class)


# --- Try it 5: Adam -----------------------------------------------------------------------------------

#: Try it 5 "Adam": moving averages ``m`` (of g) and ``v`` (of g * g), corrected for their start at 0.
ADAM_CLASS = _optimizer_exercise(
    "adam", "Adam", "Adam", reference.Adam,
    [{"lr": 0.01, "beta1": 0.9, "beta2": 0.999}, {"lr": 0.003, "beta1": 0.5, "beta2": 0.9}],
    tiny=1e-4, tiny_rtol=0.05,
    mistakes=(
        _rebinds(),
        _no_update(),
        when("no-bias-correction", "m and v start at 0, so early on they are too small: correct "
             "them, lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t), with t the number of "
             "updates so far", _made_by(_AdamUncorrected)),
        when("step-counted-per-array", "count the steps once per update, not once per array: "
             "self.iter += 1 before the loop over the keys", _made_by(_AdamCountsKeys)),
        when("epsilon-inside-sqrt", "1e-7 goes outside the square root, np.sqrt(v) + 1e-7: "
             "inside, it swamps a tiny gradient's square and makes its step far too small",
             _made_by(_AdamEpsilonInside, rtol=1e-3)),
        when("step-count-from-zero", "the first update is step t = 1: with t = 0 the correction "
             "1 - beta1**0 is 0 and the step is infinite. Add 1 to the count before using it",
             _infinite_step),
        _renamed("Adam(lr=0.001, beta1=0.9, beta2=0.999)"),
    ))


def check_adam(optimizer_class) -> CheckResult:
    """Try it 5 "Adam": ``optimizer_class(lr=..., beta1=..., beta2=...)``; per key, moving averages
    ``m`` of the gradients and ``v`` of their squares; the step ``lr_t * m / (sqrt(v) + 1e-7)``
    with ``lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t)`` at update ``t`` (1, 2, ...)."""
    return run_check(ADAM_CLASS, optimizer_class)


EXERCISES = (SGD_CLASS, MOMENTUM_CLASS, ADAGRAD_CLASS, RMSPROP_CLASS, ADAM_CLASS)
