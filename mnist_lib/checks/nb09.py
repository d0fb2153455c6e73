"""Checks for the exercises of notebook 09_learning_rate_lab.ipynb."""
from __future__ import annotations

import math
import numbers

from .core import CheckResult, report

#: Exercise 1's functions ``f(x, y) = a x**2 + b y**2`` as ``(a, b)``, and the largest learning rate
#: that converges for each: a step multiplies x by ``1 - 2 a lr`` and y by ``1 - 2 b lr``, and both
#: factors must stay above -1, so ``lr < 1 / max(a, b)``.
STABILITY_CASES = {"bowl": (1.0, 1.0), "valley": (1 / 20, 1.0), "steep": (5.0, 5.0)}

#: Exercise 3: reach this validation accuracy within this many iterations.
BUDGET_ACCURACY = 0.92
BUDGET_ITERATIONS = 300


def _number(value, name: str) -> str:
    """"" when ``value`` is a finite number > 0, else a sentence saying what is wrong."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return f"{name} should be a number (a learning rate), got {value!r}"
    if not math.isfinite(value) or value <= 0:
        return f"{name} should be a finite number greater than 0, got {value!r}"
    return ""


def check_largest_stable_lr(bowl, valley, steep) -> CheckResult:
    """Exercise "predict the edge": the largest learning rate that still converges on three bowls.

    ``bowl``: ``f = x**2 + y**2``; ``valley``: ``f = x**2 / 20 + y**2``; ``steep``:
    ``f = 5 x**2 + 5 y**2``. The answer is the edge itself (just below it converges; at it the
    path oscillates for ever).
    """
    answers = {"bowl": bowl, "valley": valley, "steep": steep}
    problems = [p for name, value in answers.items() if (p := _number(value, name))]
    if problems:
        return report(problems)
    for name, value in answers.items():
        a, b = STABILITY_CASES[name]
        edge = 1 / max(a, b)
        if math.isclose(value, edge, rel_tol=1e-3):
            continue
        formula = f"{a:g} x² + {b:g} y²" if name != "valley" else "x²/20 + y²"
        hint = (f"for {name} (f = {formula}): {value:g} is not the edge. One step multiplies x by "
                f"1 - 2·{a:g}·lr and y by 1 - 2·{b:g}·lr; the path blows up as soon as one factor "
                f"drops below -1")
        if math.isclose(value, edge / 2, rel_tol=1e-3):
            hint += (f". At {value:g} a factor is 0 (one step lands at the minimum); above it the "
                     f"path zig-zags but still converges, up to where the factor reaches -1")
        elif name == "valley" and math.isclose(value, 1 / a, rel_tol=1e-3):
            hint += (": the flat x direction would allow up to 20, but the steep y direction blows "
                     "up long before: the steepest direction sets the limit")
        elif math.isclose(value, 2 * edge, rel_tol=1e-3):
            hint += ": the gradient of a x² is 2 a x, so do not forget the factor 2"
        problems.append(hint)
    return report(problems)


def check_stalled_lr(lr) -> CheckResult:
    """Exercise "find a stall": a learning rate whose run at the lab's default settings stalls.

    Trains the lab's default network (``run_lr_experiment(lr)``, about a second) and checks that
    :func:`~mnist_lib.widgets.classify_run` says "stalled".
    """
    from ..widgets.lr_lab import classify_run, run_lr_experiment  # ipywidgets: only when needed

    problem = _number(lr, "lr")
    if problem:
        return report([problem])
    history = run_lr_experiment(lr)
    verdict = classify_run(history)
    if verdict == "trained":
        return report([f"lr = {lr:g} trains (validation accuracy {100 * history.val_acc[-1]:.0f}%): "
                       f"a stall needs a larger learning rate, beyond the largest that trains"])
    if verdict == "crawled":
        return report([f"lr = {lr:g} crawls: it is too small, not too large; a stall is on the "
                       f"other side of the learning rates that train, go up by a factor of 10 or "
                       f"more"])
    if verdict == "diverged":
        return report([f"lr = {lr:g} diverges (the loss blew up at iteration "
                       f"{history.diverged_at}): too large even to stall; try learning rates a few "
                       f"times smaller"])
    return report([])


def check_budget(settings) -> CheckResult:
    """Exercise "train within a budget": settings of ``run_lr_experiment`` that reach 92%.

    ``settings``: a dict of keyword arguments of :func:`~mnist_lib.widgets.run_lr_experiment`
    (``lr`` required; ``batch_size``, ``hidden_size``, ``epochs``, ``activation``,
    ``train_size``, ``seed`` optional). Passes when the run takes at most 300 iterations and
    reaches at least 92% validation accuracy.
    """
    from ..widgets.lr_lab import classify_run, run_lr_experiment  # ipywidgets: only when needed

    if not isinstance(settings, dict) or "lr" not in settings:
        return report([f"settings should be a dict such as {{'lr': 0.1, 'epochs': 3}}, with at "
                       f"least 'lr', got {settings!r}"])
    allowed = {"lr", "batch_size", "hidden_size", "epochs", "activation", "train_size", "seed"}
    unknown = sorted(set(settings) - allowed)
    if unknown:
        return report([f"unknown setting {unknown[0]!r}: the settings are {sorted(allowed)}"])
    full = {"batch_size": 100, "epochs": 3, "train_size": 10_000, **settings}
    try:
        iterations = full["epochs"] * math.ceil(full["train_size"] / full["batch_size"])
    except TypeError:
        iterations = None
    if iterations is not None and iterations > BUDGET_ITERATIONS:
        return report([f"these settings take {full['epochs']} × ceil({full['train_size']} / "
                       f"{full['batch_size']}) = {iterations} iterations, over the budget of "
                       f"{BUDGET_ITERATIONS}: fewer epochs, fewer images or bigger batches"])
    try:
        history = run_lr_experiment(**settings)
    except (TypeError, ValueError) as err:
        return report([f"run_lr_experiment(**settings) refused them: {err}"])
    verdict = classify_run(history)
    if verdict in ("diverged", "stalled"):
        return report([f"the run {verdict}: lr = {settings['lr']:g} is too large for these settings"])
    accuracy = history.val_acc[-1]
    if accuracy >= BUDGET_ACCURACY:
        return report([])
    return report([f"the run {verdict} to {100 * accuracy:.1f}% validation accuracy, below "
                   f"{100 * BUDGET_ACCURACY:.0f}%: the default lr 0.1 is cautious; a larger learning "
                   f"rate (well below the edge) or more hidden neurons learn more per iteration"])
