"""The exercises of notebook 13_regularisation_and_search.ipynb: weight decay, a Dropout layer,
early stopping, and log-uniform draws for a random search.

Dropout is random, so its check judges properties rather than values: the share of values
dropped, the kept values scaled by one common factor, the gradient through the same mask, a new
mask at every pass, and an output in use equal to the average training output. It accepts the
book's form (scale by ``1 - dropout_ratio`` in use) and "inverted" dropout (divide by it in
training). The learner's masks may come from ``np.random`` (the book's) or from a Generator: each
case seeds ``np.random`` (and puts its state back afterwards), so the feedback is the same at
every run.
"""
from __future__ import annotations

import math

import numpy as np

from .core import Attempt, Case, CheckResult, Exercise, compare, run_check, same, when

# --- Try it 1: weight decay -----------------------------------------------------------------------------


def _layers(seed: int, sizes: list[int]) -> tuple[dict, dict]:
    rng = np.random.default_rng(seed)
    params, grads = {}, {}
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        params[f"W{i}"], params[f"b{i}"] = rng.standard_normal((a, b)), rng.standard_normal(b)
    for key, p in params.items():
        grads[key] = rng.standard_normal(p.shape)
    return params, grads


def _decayed(loss, grads, params, lam, *, half=True, biases=False, factor=1.0, squared=True):
    """The loss and gradients with weight decay (or with one of its mistakes)."""
    decayed = [k for k in params if k.startswith("W") or biases]
    size = sum(float(np.sum(params[k] ** 2 if squared else np.abs(params[k]))) for k in decayed)
    new_grads = {k: g + factor * lam * params[k] if k in decayed else g.copy()
                 for k, g in grads.items()}
    return loss + (0.5 if half else 1.0) * lam * size, new_grads


def _judge_decay(got, case: Case) -> list[str]:
    if got is None:
        return [f"{case.label} returned None: return the new loss and the new gradients"]
    if not isinstance(got, (tuple, list)) or len(got) != 2 or not isinstance(got[1], dict):
        return [f"{case.label} should return two things, (loss, grads) with grads a dict, got "
                f"{type(got).__name__}"]
    loss, grads = got
    want_loss, want_grads = case.expected
    problems = compare(loss, want_loss, f"{case.label}: the loss")
    if problems:
        return problems
    if set(grads) != set(want_grads):
        return [f"{case.label}: the gradients should have the keys {sorted(want_grads)}, got "
                f"{sorted(grads)}"]
    for key in want_grads:
        problems = compare(grads[key], want_grads[key], f"{case.label}: grads[{key!r}]")
        if problems:
            return problems
    return []


def _decay_cases() -> tuple[Case, ...]:
    cases = []
    for seed, sizes, lam, loss, edge in [(0, [3, 2, 2], 0.1, 1.3, "two layers"),
                                         (1, [4, 3, 3, 2], 0.01, 0.7,
                                          "three layers, another lambda")]:
        params, grads = _layers(seed, sizes)
        cases.append(Case((loss, grads, params, lam), _decayed(loss, grads, params, lam),
                          label=f"with_weight_decay(loss, grads, params, {lam:g})", edge=edge,
                          judge=_judge_decay))
    return tuple(cases)


def _decay_mistake(**how) -> callable:
    def recognise(attempt: Attempt) -> bool:
        if not isinstance(attempt.got, (tuple, list)) or len(attempt.got) != 2:
            return False
        loss, grads = _decayed(*attempt.args, **how)
        return same(attempt.got[0], loss) and isinstance(attempt.got[1], dict) and all(
            k in attempt.got[1] and same(attempt.got[1][k], g) for k, g in grads.items())
    return recognise


def _loss_only(**how) -> callable:
    """Recognise a loss made as ``how`` says (whatever the gradients)."""
    def recognise(attempt: Attempt) -> bool:
        if not isinstance(attempt.got, (tuple, list)) or len(attempt.got) != 2:
            return False
        return same(attempt.got[0], _decayed(*attempt.args, **how)[0])
    return recognise


def _grads_unchanged(attempt: Attempt) -> bool:
    if not isinstance(attempt.got, (tuple, list)) or len(attempt.got) != 2:
        return False
    _, grads, _, _ = attempt.args
    return isinstance(attempt.got[1], dict) and all(
        k in attempt.got[1] and same(attempt.got[1][k], g) for k, g in grads.items())


#: Try it 1 "weight decay": ``with_weight_decay(loss, grads, params, lam)`` returns the loss plus
#: ``0.5 * lam * sum(W**2)`` over the weight matrices, and new gradients with ``lam * W`` added to
#: every ``dW`` (the biases' unchanged).
WEIGHT_DECAY = Exercise(
    notebook="13", id="weight_decay", title="weight decay", function="with_weight_decay",
    params=("loss", "grads", "params", "lam"), cases=_decay_cases(), layout="lines",
    mistakes=(
        when("decays-biases", "decay the weight matrices only (the keys W1, W2, ...): the biases "
             "only shift a unit's threshold", lambda a: _decay_mistake(biases=True)(a)
             or _loss_only(biases=True)(a)),
        when("no-half", "the penalty is 0.5 * lam * sum(W**2): the 0.5 makes its gradient lam * W",
             _loss_only(half=False)),
        when("penalty-not-squared", "the penalty adds up the squares of the weights, "
             "np.sum(W ** 2)", _loss_only(squared=False)),
        when("forgot-the-penalty", "the loss gains 0.5 * lam * sum(W**2) too, not only the "
             "gradients", lambda a: isinstance(a.got, (tuple, list)) and len(a.got) == 2
             and same(a.got[0], a.args[0])),
        when("gradient-doubled", "the derivative of 0.5 * lam * W**2 is lam * W: the 0.5 and the "
             "2 of the square cancel", _decay_mistake(factor=2.0)),
        when("forgot-the-gradient", "add lam * W to every dW as well: that term is what pulls "
             "the weights towards 0 at every step", _grads_unchanged),
    ))


def check_weight_decay(with_weight_decay) -> CheckResult:
    """Try it 1 "weight decay": ``with_weight_decay(loss, grads, params, lam)`` returns
    ``(loss + 0.5 * lam * sum of W**2 over the weight matrices, new grads)`` where every
    ``grads["W<i>"]`` gains ``lam * params["W<i>"]``; ``grads`` itself is left as it was."""
    return run_check(WEIGHT_DECAY, with_weight_decay)


# --- Try it 2: a Dropout layer --------------------------------------------------------------------------

_SHAPE = (100, 400)  # 40,000 values: the share dropped is known to within 0.3% (one standard error)


def _seeded(fn):
    """Run ``fn()`` with np.random seeded, then put np.random's state back."""
    state = np.random.get_state()
    np.random.seed(0)
    try:
        return fn()
    finally:
        np.random.set_state(state)


def _dropout_passes(layer_class, ratio, x, dout) -> dict:
    """A training pass, backward, a second training pass and a pass in use, np.random seeded."""
    def passes():
        layer = layer_class(ratio)
        first = layer.forward(x, train_flg=True)
        dx = layer.backward(dout)
        second = layer.forward(x, train_flg=True)
        in_use = layer.forward(x, train_flg=False)
        return {"first": first, "dx": dx, "second": second, "in_use": in_use}
    return _seeded(passes)


def _scale(out, x) -> float | None:
    """The one factor the kept values were multiplied by (None: there is no single one)."""
    kept = out != 0
    if not kept.any():
        return None
    factors = out[kept] / x[kept]
    return float(factors[0]) if np.allclose(factors, factors[0], rtol=1e-5) else None


def _judge_dropout(part: str):
    def judge(got, case: Case) -> list[str]:
        ratio, x, dout = case.args
        first = np.asarray(got["first"]) if got["first"] is not None else None
        if first is None or first.shape != x.shape:
            return [f"forward(x) in training should return an array of x's shape {x.shape}, got "
                    f"{None if first is None else first.shape}"]
        dropped = float(np.mean(first == 0))
        scale = _scale(first, x)
        if part == "share":
            if abs(dropped - ratio) > 0.02:
                return [f"with dropout_ratio={ratio}, a training pass should drop about "
                        f"{ratio:.0%} of the values, it dropped {dropped:.1%}"]
            if scale is None:
                return ["in training, the kept values should all be x times one number (1, or "
                        "1 / (1 - dropout_ratio) for inverted dropout)"]
            return []
        if scale is None:
            return []  # reported by the first case
        if part == "backward":
            want = np.where(first == 0, 0.0, dout * scale)
            return compare(got["dx"], want, "backward(dout)")
        if part == "new mask":
            second = np.asarray(got["second"])
            same_mask = np.array_equal(second == 0, first == 0)
            return ["a second training pass dropped exactly the same values: draw a new mask at "
                    "every forward pass"] if same_mask else []
        want = x * scale * (1 - ratio)  # the average training output
        return compare(got["in_use"], want, "forward(x, train_flg=False)", rtol=1e-5, atol=1e-8)
    return judge


def _dropout_cases() -> tuple[Case, ...]:
    rng = np.random.default_rng(13)
    x = rng.uniform(1.0, 2.0, _SHAPE)  # no zeros: a zero in the output was dropped
    dout = rng.standard_normal(_SHAPE)
    cases = []
    for ratio in (0.2, 0.5):
        for part, label in [("share", "a training pass"), ("backward", "backward after it"),
                            ("new mask", "a second training pass"),
                            ("in use", "forward(x, train_flg=False)")]:
            cases.append(Case((ratio, x, dout), label=f"{label}, dropout_ratio={ratio}",
                              run=_dropout_passes, judge=_judge_dropout(part),
                              edge="" if ratio == 0.2 else "another ratio"))
    return tuple(cases)


def _got(attempt: Attempt, part: str):
    return None if attempt.got is None else attempt.got.get(part)


def _first_scale(attempt: Attempt) -> float | None:
    first = _got(attempt, "first")
    if first is None or np.shape(first) != attempt.args[1].shape:
        return None
    return _scale(np.asarray(first), attempt.args[1])


def _keeps_the_ratio(attempt: Attempt) -> bool:
    first = _got(attempt, "first")
    ratio = attempt.args[0]
    return (first is not None and ratio != 0.5
            and abs(np.mean(np.asarray(first) == 0) - (1 - ratio)) < 0.02)


def _in_use_is(inverted: bool, factor) -> callable:
    """Recognise, after a training pass of the book's form (``inverted`` False: kept values as they
    are) or an inverted one, an output in use of ``x * factor(ratio)``."""
    def recognise(attempt: Attempt) -> bool:
        scale, in_use = _first_scale(attempt), _got(attempt, "in_use")
        if scale is None or in_use is None or not attempt.case.label.startswith("forward"):
            return False
        ratio, x, _ = attempt.args
        return (math.isclose(scale, 1.0) != inverted) and same(in_use, x * factor(ratio), rtol=1e-5)
    return recognise


def _dropped_in_use(attempt: Attempt) -> bool:
    in_use = _got(attempt, "in_use")
    return (attempt.case.label.startswith("forward") and in_use is not None
            and bool(np.any(np.asarray(in_use) == 0)))


def _backward_is(wrong) -> callable:
    def recognise(attempt: Attempt) -> bool:
        if not attempt.case.label.startswith("backward") or _got(attempt, "dx") is None:
            return False
        ratio, x, dout = attempt.args
        return same(_got(attempt, "dx"), wrong(dout, np.asarray(_got(attempt, "first"))))
    return recognise


def _backward_with_another_mask(attempt: Attempt) -> bool:
    dx = _got(attempt, "dx")
    if not attempt.case.label.startswith("backward") or dx is None:
        return False
    blocked = np.asarray(dx) == 0
    return abs(blocked.mean() - attempt.args[0]) < 0.02 and not np.array_equal(
        blocked, np.asarray(_got(attempt, "first")) == 0)


#: Try it 2 "a Dropout layer": ``Dropout(dropout_ratio)``, ``forward(x, train_flg=True)`` and
#: ``backward(dout)``: drop about that share of the values in training (a new mask each pass),
#: the gradient through the same mask, and in use the average training output.
DROPOUT = Exercise(
    notebook="13", id="dropout", title="a Dropout layer", function="Dropout",
    params=("dropout_ratio", "x", "dout"), cases=_dropout_cases(), layout="lines",
    mistakes=(
        when("keeps-the-ratio", "dropout_ratio is the share of values dropped: keep a value where "
             "np.random.rand(*x.shape) > dropout_ratio", _keeps_the_ratio),
        when("mask-drawn-once", "draw a new mask at every training pass (inside forward): the "
             "same mask every time trains one smaller network, not many",
             lambda a: a.case.label.startswith("a second") and bool(a.problems)),
        when("backward-ignores-mask", "the dropped values did not reach the output, so no "
             "gradient goes back to them: return dout * self.mask",
             _backward_is(lambda dout, first: dout)),
        when("new-mask-in-backward", "backward must use the mask of the forward pass, kept as "
             "self.mask, not draw a new one", _backward_with_another_mask),
        when("dropped-in-use", "in use (train_flg=False) nothing is dropped: every value takes "
             "part, scaled as the average training pass", _dropped_in_use),
        when("not-scaled-in-use", "a training pass keeps only 1 - dropout_ratio of the values, so "
             "in use scale them to match: return x * (1.0 - self.dropout_ratio)",
             _in_use_is(False, lambda ratio: 1.0)),
        when("scaled-twice", "this training pass already divides by 1 - dropout_ratio (inverted "
             "dropout): in use, return x as it is",
             _in_use_is(True, lambda ratio: 1 - ratio)),
    ))


def check_dropout(layer_class) -> CheckResult:
    """Try it 2 "a Dropout layer": ``layer_class(dropout_ratio)`` with ``forward(x, train_flg=True)``
    and ``backward(dout)``.

    In training it drops about ``dropout_ratio`` of the values (a new mask at every pass) and keeps
    the others times one factor; ``backward`` lets the gradient through the same mask; in use
    (``train_flg=False``) nothing is dropped and the output is the average training output (the
    book's ``x * (1 - dropout_ratio)``, or ``x`` for inverted dropout).
    """
    return run_check(DROPOUT, layer_class)


# --- Try it 3: early stopping ---------------------------------------------------------------------------

def _early(val_acc: list[float], patience: int) -> tuple[int, int]:
    best = 0
    for i, acc in enumerate(val_acc):
        if acc > val_acc[best]:
            best = i
        if i - best >= patience:
            return best, i
    return best, len(val_acc) - 1


_CURVES = [
    (([0.50, 0.62, 0.70, 0.66, 0.68, 0.69, 0.74, 0.75], 3), "a dip, then no better for 3 checks"),
    (([0.50, 0.70, 0.70, 0.69, 0.70, 0.71], 3), "a tie is not an improvement"),
    (([0.40, 0.50, 0.60, 0.70], 2), "still improving at the end: it never stops"),
    (([0.90, 0.80, 0.85, 0.88, 0.95], 1), "patience 1: stop at the first check without progress"),
    (([0.50, 0.60, 0.55, 0.58, 0.59, 0.61, 0.60], 4), "patience 4"),
]


def _judge_pair(got, case: Case) -> list[str]:
    if got is None:
        return [f"{case.label} returned None: return (best, stop)"]
    try:
        best, stop = got
    except (TypeError, ValueError):
        return [f"{case.label} should return two whole numbers (best, stop), got {got!r}"]
    if (best, stop) != case.expected:
        return [f"{case.label} should be {case.expected}, got ({best!r}, {stop!r})"]
    return []


def _all_wrong_are(rule) -> callable:
    """Recognise, across the cases tried, an answer that gives ``rule(val_acc, patience)`` whenever
    it is wrong."""
    def recognise(attempt: Attempt) -> bool:
        wrong = [a for a in attempt.attempts if a.problems]
        return bool(wrong) and all(a.error is None and a.got is not None
                                   and tuple(a.got) == rule(*a.args) for a in wrong)
    return recognise


def _ties_improve(val_acc, patience):
    best = 0
    for i, acc in enumerate(val_acc):
        if acc >= val_acc[best]:
            best = i
        if i - best >= patience:
            return best, i
    return best, len(val_acc) - 1


def _one_late(val_acc, patience):
    best = 0
    for i, acc in enumerate(val_acc):
        if acc > val_acc[best]:
            best = i
        if i - best > patience:
            return best, i
    return best, len(val_acc) - 1


def _best_of_all(val_acc, patience):
    return int(np.argmax(val_acc)), _early(val_acc, patience)[1]


def _stop_as_best(val_acc, patience):
    stop = _early(val_acc, patience)[1]
    return stop, stop


#: Try it 3 "early stopping": ``early_stopping(val_acc, patience)`` returns ``(best, stop)``: where
#: training stops (the first check ``patience`` checks after the best so far, or the last check)
#: and the best check up to there (the first of equal ones).
EARLY_STOPPING = Exercise(
    notebook="13", id="early_stopping", title="early stopping", function="early_stopping",
    params=("val_acc", "patience"), report="all", layout="lines",
    cases=tuple(Case(args, _early(*args), label=f"early_stopping({args[0]}, {args[1]})", edge=edge,
                     judge=_judge_pair) for args, edge in _CURVES),
    mistakes=(
        when("tie-counts-as-progress", "only a higher accuracy is progress: compare with >, so "
             "that a tie does not reset the patience", _all_wrong_are(_ties_improve),
             scope="answer"),
        when("one-check-too-late", "stop as soon as patience checks have passed without progress: "
             "i - best >= patience", _all_wrong_are(_one_late), scope="answer"),
        when("best-of-all-checks", "the best check is the best up to the stop: the checks after it "
             "were never made", _all_wrong_are(_best_of_all), scope="answer"),
        when("stop-is-not-best", "keep the weights of the best check, not of the last one: best is "
             "where the validation accuracy was highest", _all_wrong_are(_stop_as_best),
             scope="answer"),
    ))


def check_early_stopping(early_stopping) -> CheckResult:
    """Try it 3 "early stopping": ``early_stopping(val_acc, patience)`` returns ``(best, stop)``,
    indices into ``val_acc``: training stops at the first check ``patience`` checks after the best
    one so far (or at the last check), and ``best`` is the best check up to there (a tie is not
    progress)."""
    return run_check(EARLY_STOPPING, early_stopping)


# --- Try it 4: log-uniform draws ------------------------------------------------------------------------

_DRAWS = 4000


def _draw_run(answer, low, high):
    """Three calls: two from generators seeded alike, one from another seed."""
    return tuple(answer(low, high, _DRAWS, np.random.default_rng(seed)) for seed in (0, 0, 1))


def _judge_draws(got, case: Case) -> list[str]:
    low, high = case.args
    first = got[0]
    if first is None:
        return [f"{case.label} returned None: return the array of draws"]
    first = np.asarray(first, dtype=float)
    if first.shape != (_DRAWS,):
        return [f"{case.label} should return {_DRAWS} numbers, shape ({_DRAWS},), got shape "
                f"{first.shape}"]
    if first.min() < low or first.max() > high:
        return [f"{case.label}: every draw should lie between {low:g} and {high:g}, got values "
                f"from {first.min():.3g} to {first.max():.3g}"]
    middle = math.sqrt(low * high)  # half of the decades lie below it
    below = float(np.mean(first < middle))
    if abs(below - 0.5) > 0.04:
        return [f"{case.label}: half of the draws should lie below {middle:g} (the middle "
                f"decade, on a log scale), got {below:.1%}"]
    if not np.array_equal(np.asarray(got[1], dtype=float), first):
        return [f"{case.label}: two generators seeded alike gave different draws: draw from the "
                f"rng you are given"]
    if np.array_equal(np.asarray(got[2], dtype=float), first):
        return [f"{case.label}: generators seeded differently gave the same draws"]
    return []


def _values(attempt: Attempt) -> np.ndarray | None:
    if attempt.got is None or attempt.got[0] is None or np.shape(attempt.got[0]) != (_DRAWS,):
        return None
    return np.asarray(attempt.got[0], dtype=float)


def _mostly_in_the_top_decade(attempt: Attempt) -> bool:
    values, (low, high) = _values(attempt), attempt.args
    return values is not None and values.min() >= low and np.mean(values >= high / 10) > 0.8


def _exponents_returned(attempt: Attempt) -> bool:
    values, (low, high) = _values(attempt), attempt.args
    return values is not None and values.min() >= math.log10(low) and values.max() <= math.log10(high)


def _fills(logs: np.ndarray, low: float, high: float) -> bool:
    """Whether ``logs`` spread over the whole of [low, high] and no further."""
    margin = 0.05 * (high - low)
    return bool(low - 1e-9 <= logs.min() < low + margin and high - margin < logs.max() <= high + 1e-9)


def _natural_base(attempt: Attempt) -> bool:
    """np.exp of exponents drawn for base 10, or 10 ** of exponents drawn in natural logs."""
    values, (low, high) = _values(attempt), attempt.args
    if values is None or values.min() <= 0:
        return False
    return (_fills(np.log(values), math.log10(low), math.log10(high))
            or _fills(np.log10(values), math.log(low), math.log(high)))


def _unseeded(attempt: Attempt) -> bool:
    values = _values(attempt)
    return values is not None and not np.array_equal(np.asarray(attempt.got[1], dtype=float), values)


#: Try it 4 "log-uniform draws": ``log_uniform(low, high, size, rng)`` returns ``size`` numbers
#: whose logarithms are spread evenly from ``log10(low)`` to ``log10(high)``, drawn from ``rng``.
LOG_UNIFORM = Exercise(
    notebook="13", id="log_uniform", title="log-uniform draws", function="log_uniform",
    params=("low", "high"), run=_draw_run, report="first", layout="lines",
    cases=(Case((1e-4, 1.0), label="log_uniform(1e-4, 1, 4000, rng)", judge=_judge_draws),
           Case((1e-8, 1e-4), label="log_uniform(1e-8, 1e-4, 4000, rng)", judge=_judge_draws,
                edge="small numbers")),
    mistakes=(
        when("uniform-not-log", "rng.uniform(low, high) puts 9 draws in 10 in the top decade: draw "
             "the exponent evenly, 10 ** rng.uniform(np.log10(low), np.log10(high), size)",
             _mostly_in_the_top_decade),
        when("exponent-not-raised", "these are the exponents: raise 10 to them, 10 ** ...",
             _exponents_returned),
        when("natural-and-base-10-mixed", "np.log10 and 10 ** go together (or np.log and "
             "np.exp): mixing them moves the range", _natural_base),
        when("ignores-rng", "draw from the generator you are given, rng.uniform(...), not from "
             "np.random: the same seed must give the same search", _unseeded),
    ))


def check_log_uniform(log_uniform) -> CheckResult:
    """Try it 4 "log-uniform draws": ``log_uniform(low, high, size, rng)`` returns ``size`` numbers
    from ``low`` to ``high`` whose logarithms are evenly spread (as many in each decade), drawn from
    the generator ``rng`` (so that the same seed gives the same draws)."""
    return run_check(LOG_UNIFORM, log_uniform)


EXERCISES = (WEIGHT_DECAY, DROPOUT, EARLY_STOPPING, LOG_UNIFORM)
