"""The exercises of notebook 09_learning_rate_lab.ipynb: the edge of gradient descent on three
bowls, a learning rate chosen from a range test, a learning rate that stalls, and 92% within a
budget. Every verdict they quote comes from :mod:`mnist_lib.experiments`."""
from __future__ import annotations

import functools
import math

from ..experiments import (LabRun, Quadratic, bowl, descent_verdict, lr_range_test,
                           run_lr_experiment, steep_bowl, valley)
from .core import (Attempt, Case, CheckResult, Exercise, not_a_positive_number, run_check, when)

# --- Try it 1: predict the edge ---------------------------------------------------------------------

#: Try it 1's functions, in the order of the answer: the round bowl, the valley, the steep bowl.
EDGE_FUNCTIONS: dict[str, Quadratic] = {"bowl": bowl, "valley": valley, "steep": steep_bowl}
_EDGE_START = (1.0, 1.0)  # both coordinates move
_EDGE_STEPS = 100


def _number_problem(value, name: str) -> list[str]:
    return not_a_positive_number(value, name)


def _edge_verdict(value, name: str):
    return descent_verdict(EDGE_FUNCTIONS[name], float(value), _EDGE_STEPS, _EDGE_START)


def _judge_edge(value, case: Case) -> list[str]:
    name = case.args[0]
    problem = _number_problem(value, name)
    if problem:
        return problem
    verdict = _edge_verdict(value, name)
    if verdict.verdict == "oscillates forever":
        return []
    f = EDGE_FUNCTIONS[name]
    return [f"{name} (f = {f.formula()}): at lr = {value:g} the path {verdict.verdict} "
            f"(factors {', '.join(f'{r:.4g}' for r in verdict.factors)}), it does not oscillate "
            f"forever"]


def _edge_case(name: str) -> Case:
    return Case((name,), label=name, judge=_judge_edge,
                run=lambda answer, name: answer[list(EDGE_FUNCTIONS).index(name)],
                edge="the steep direction sets it" if name == "valley" else "")


def _the_three(answer, case: Case) -> list[str]:
    if isinstance(answer, tuple) and len(answer) == 3:
        return []
    return [f"give three learning rates, one per function, got {answer!r}"]


def _edge_is(ratio: float, *, names: tuple[str, ...] = tuple(EDGE_FUNCTIONS),
             flat: bool = False) -> callable:
    """Recognise an answer that is ``ratio`` times a function's edge (``flat``: the flattest
    direction's edge, 1 / min(a), instead)."""
    def recognise(attempt: Attempt) -> bool:
        name = attempt.case.args[0] if attempt.case.args else None
        if name not in names or _number_problem(attempt.got, name):
            return False
        f = EDGE_FUNCTIONS[name]
        edge = 1 / min(f.curvatures) if flat else f.edge()
        return math.isclose(attempt.got, ratio * edge, rel_tol=1e-3)
    return recognise


def _verdict_is(*words: str) -> callable:
    def recognise(attempt: Attempt) -> bool:
        name = attempt.case.args[0] if attempt.case.args else None
        return (name in EDGE_FUNCTIONS and not _number_problem(attempt.got, name)
                and _edge_verdict(attempt.got, name).verdict in words)
    return recognise


#: Try it 1 "predict the edge": for each of the bowl x² + y², the valley x²/20 + y² and the steep
#: bowl 5x² + 5y², the learning rate where gradient descent stops converging: the steepest
#: direction's factor 1 - 2·lr·a is exactly -1 there (lr = 1 / max(a): 1, 1 and 0.2), and the path
#: oscillates forever. The verdicts are exact (mnist_lib.experiments.descent_verdict): a learning
#: rate that still converges (0.99) or already diverges (1.0009) is not the edge.
EDGE_LR = Exercise(
    notebook="09", id="edge_lr", title="predict the edge", function="the edges",
    params=("bowl_edge", "valley_edge", "steep_edge"),
    cases=(Case(label="the answer", judge=_the_three, blocking=True, run=lambda answer: answer),)
    + tuple(_edge_case(name) for name in EDGE_FUNCTIONS),
    report="all", layout="joined",
    mistakes=(
        when("not-a-number", "replace None with a number: the learning rate at which the path stops "
             "converging", lambda a: a.case.args and bool(_number_problem(a.got, a.case.args[0]))),
        when("flat-direction", "the flat x direction alone would allow up to 20, but the steep y "
             "direction diverges long before: the steepest direction sets the edge",
             _edge_is(1.0, names=("valley",), flat=True)),
        when("fastest-not-edge", "at this learning rate a factor is 0 (one step lands on the "
             "minimum); above it the path converges with a zig-zag, up to the edge where the factor "
             "reaches -1", _edge_is(0.5)),
        when("forgot-factor-2", "the gradient of a x² is 2 a x, so a step multiplies x by "
             "1 - 2·lr·a: do not forget the factor 2", _edge_is(2.0)),
        when("still-converges", "the path still converges there (every factor is above -1): the "
             "edge is where it stops converging, a little higher",
             _verdict_is("converged", "converged with a zig-zag", "crawled")),
        when("already-diverges", "the path already diverges there (a factor is below -1): the "
             "edge is where it starts to, a little lower", _verdict_is("diverged")),
    ))


def check_edge_lr(bowl_edge, valley_edge, steep_edge) -> CheckResult:
    """Try it 1 "predict the edge": the learning rate at which gradient descent stops converging
    on ``x² + y²``, ``x²/20 + y²`` and ``5x² + 5y²`` (there it oscillates forever).

    Each answer is judged by the exact verdict of :func:`mnist_lib.experiments.descent_verdict`
    (factors within 1e-9 of -1 count as -1): 1, 1 and 0.2 pass; 0.99 (converges) and 1.0009
    (diverges) do not.
    """
    return run_check(EDGE_LR, (bowl_edge, valley_edge, steep_edge))


# --- the lab's runs, trained once per setting ---------------------------------------------------------

@functools.lru_cache(maxsize=64)
def _lab_run(lr: float, settings: tuple = ()) -> LabRun:
    """The lab's run with ``lr`` and ``settings`` (``(key, value)`` pairs), trained once."""
    return run_lr_experiment(lr, **dict(settings))


@functools.lru_cache(maxsize=1)
def _lab_range_test():
    """The range test of the lab's default network (the notebook's), run once."""
    from ..data import load_mnist, split_validation
    from ..networks import MultiLayerNet

    (x_train, t_train), _ = split_validation(*load_mnist()[0])
    network = MultiLayerNet(784, [50], 10, activation="relu", weight_init_std="he", seed=0)
    return lr_range_test(network, (x_train[:10_000], t_train[:10_000]))


def _lr_number(lr, case: Case) -> list[str]:
    return not_a_positive_number(lr, "lr", example=0.1)


def _run_of(attempt: Attempt) -> LabRun | None:
    """The lab's run with the attempt's learning rate (None for an answer that is not one)."""
    if _lr_number(attempt.got, attempt.case):
        return None
    return _lab_run(float(attempt.got))


def _lab_verdict(*words: str, edge: bool | None = None) -> callable:
    """Recognise a learning rate whose lab run gets one of ``words`` (and, when ``edge`` is given,
    is or is not near the edge); the hint may quote the verdict as ``{verdict}``."""
    def recognise(attempt: Attempt) -> dict | bool:
        run = _run_of(attempt)
        if run is None or run.verdict.verdict not in words:
            return False
        if edge is not None and bool(run.verdict.near_edge) != edge:
            return False
        return {"verdict": run.verdict.message}
    return recognise


_LR_MISTAKES = (
    when("not-a-number", "a learning rate is a number greater than 0, such as 0.1",
         lambda a: bool(_lr_number(a.got, a.case))),
)

_VERDICT_EXAMPLE = {"verdict": "trained: validation accuracy 90.9%, loss 2.38 → 0.35 in 300 "
                               "iterations, 0 of 50 hidden units dead"}


# --- Try it 2: choose a learning rate from the range test ---------------------------------------------

def _judge_range_lr(lr, case: Case) -> list[str]:
    run = _lab_run(float(lr))
    if run.verdict.verdict == "trained":
        return []
    return [f"lr = {lr:g} at the lab's default settings: {run.verdict.message}"]


def _near_lowest(attempt: Attempt) -> bool:
    if _lr_number(attempt.got, attempt.case):
        return False
    lowest = _lab_range_test().lowest
    return lowest / 2.5 <= attempt.got <= lowest * 2.5


#: Try it 2 "choose a rate from the range test": a learning rate read off the range test's plot
#: (where the loss falls fastest, or about ten times below its lowest point), confirmed by training
#: the lab's default network with it: its verdict must be "trained" (judged on validation images).
RANGE_LR = Exercise(
    notebook="09", id="range_lr", title="choose a rate from the range test", function="lr",
    run=lambda lr: lr,
    cases=(Case(label="lr", judge=_lr_number, blocking=True),
           Case(label="the lab's run with it", judge=_judge_range_lr,
                edge="the lowest point of the range test is already at the edge")),
    layout="lines",
    mistakes=_LR_MISTAKES + (
        when("at-the-lowest-point", "the range test's lowest point is close to the edge: past it "
             "the steps are too large. Take a rate about ten times smaller than the lowest point",
             lambda a: _near_lowest(a) and bool(
                 _lab_verdict("unstable", "stalled")(a))),
        when("past-the-lowest-point", "past its lowest point the range test's loss shoots up: "
             "that learning rate is far too large", _lab_verdict("unstable", "stalled", "diverged")),
        when("in-the-flat-start", "the flat start of the curve is where the learning rate is too "
             "small to move the loss: choose one where the curve falls", _lab_verdict("crawled")),
    ))


def check_range_lr(lr) -> CheckResult:
    """Try it 2 "choose a rate from the range test": trains the lab's default network (batch 100,
    50 ReLU units with He's initial weights, 3 epochs of 10,000 images, seed 0) with ``lr`` and
    passes when its verdict (:func:`mnist_lib.experiments.judge_run`) is "trained"."""
    return run_check(RANGE_LR, lr)


# --- Try it 3: find a learning rate that stalls -------------------------------------------------------

def _judge_stall(lr, case: Case) -> list[str]:
    verdict = _lab_run(float(lr)).verdict
    if verdict.verdict == "stalled" and not verdict.near_edge:
        return []
    return [f"lr = {lr:g} at the lab's default settings: {verdict.message}"]


#: Try it 3 "find a learning rate that stalls": a learning rate whose run at the lab's default
#: settings stalls (validation accuracy near chance and most hidden units dead), clearly: a run
#: near the edge (such as lr 1.5, between unstable and stalled) may say otherwise on another
#: computer, so it does not count.
STALLED_LR = Exercise(
    notebook="09", id="stalled_lr", title="find a learning rate that stalls", function="lr",
    run=lambda lr: lr,
    cases=(Case(label="lr", judge=_lr_number, blocking=True),
           Case(label="the lab's run with it", judge=_judge_stall,
                edge="between unstable and stalled")),
    layout="lines",
    mistakes=_LR_MISTAKES + (
        when("near-the-edge", "that run is near the edge: choose a learning rate well inside "
             "the stalling range, where another computer would say the same",
             _lab_verdict("stalled", "unstable", edge=True)),
        when("trains", "it still trains: a stall needs a larger learning rate, beyond the largest "
             "that trains", _lab_verdict("trained")),
        when("still-learns", "it is unstable but still learns: go higher, until most hidden units "
             "die", _lab_verdict("unstable")),
        when("crawls", "it crawls: that learning rate is too small, not too large; a stall is on "
             "the other side of the learning rates that train, go up by a factor of 10 or more",
             _lab_verdict("crawled")),
        when("diverges", "it diverges: too large even to stall; try learning rates a few times "
             "smaller", _lab_verdict("diverged")),
    ))


def check_stalled_lr(lr) -> CheckResult:
    """Try it 3 "find a learning rate that stalls": trains the lab's default network with ``lr``
    and passes when its verdict is "stalled" and not near the edge."""
    return run_check(STALLED_LR, lr)


# --- Try it 4: 92% within a budget --------------------------------------------------------------------

#: Try it 4: reach this validation accuracy within this many iterations.
BUDGET_ACCURACY = 0.92
BUDGET_ITERATIONS = 300
_SETTINGS = ("lr", "batch_size", "hidden_size", "epochs", "activation", "weight_init_std",
             "train_size", "seed", "optimizer")
_DEFAULTS = {"batch_size": 100, "epochs": 3, "train_size": 10_000}


def _judge_settings(settings, case: Case) -> list[str]:
    if not isinstance(settings, dict) or "lr" not in settings:
        return [f"settings should be a dict such as {{'lr': 0.1, 'epochs': 3}}, with at least "
                f"'lr', got {settings!r}"]
    unknown = sorted(set(settings) - set(_SETTINGS))
    if unknown:
        return [f"unknown setting {unknown[0]!r}: the settings are {list(_SETTINGS)}"]
    return []


def _iterations(settings: dict) -> int | None:
    full = {**_DEFAULTS, **settings}
    try:
        return full["epochs"] * math.ceil(full["train_size"] / full["batch_size"])
    except (TypeError, ZeroDivisionError):
        return None  # run_lr_experiment says what is wrong with them


def _judge_budget(settings, case: Case) -> list[str]:
    n = _iterations(settings)
    if n is not None and n > BUDGET_ITERATIONS:
        full = {**_DEFAULTS, **settings}
        return [f"these settings take {full['epochs']} × ceil({full['train_size']} / "
                f"{full['batch_size']}) = {n} iterations, over the budget of {BUDGET_ITERATIONS}"]
    return []


def _budget_run(settings: dict) -> LabRun | str:
    """The lab's run with these settings, or what run_lr_experiment said against them."""
    try:
        return _lab_run(settings["lr"], tuple(sorted((k, v) for k, v in settings.items() if k != "lr")))
    except (TypeError, ValueError) as err:
        return str(err)


def _judge_goal(settings, case: Case) -> list[str]:
    run = _budget_run(settings)
    if isinstance(run, str):
        return [f"run_lr_experiment(**settings) refused them: {run}"]
    v = run.verdict
    if v.verdict in ("stalled", "diverged"):
        return [f"the run with these settings: {v.message}"]
    if v.val_acc >= BUDGET_ACCURACY:
        return []
    return [f"the run reaches {100 * v.val_acc:.1f}% validation accuracy, below the goal of "
            f"{100 * BUDGET_ACCURACY:.0f}% ({v.message})"]


def _budget_verdict(*words: str, below_goal: bool = False) -> callable:
    def recognise(attempt: Attempt) -> bool:
        if not isinstance(attempt.got, dict) or attempt.case.label != "the run":
            return False
        run = _budget_run(attempt.got)
        return (not isinstance(run, str) and run.verdict.verdict in words
                and (not below_goal or run.verdict.val_acc < BUDGET_ACCURACY))
    return recognise


#: Try it 4 "92% within a budget": settings of run_lr_experiment (a dict with "lr" and any of the
#: lab's other settings) whose run takes at most 300 iterations and reaches 92% validation
#: accuracy without stalling or diverging.
BUDGET = Exercise(
    notebook="09", id="budget", title="92% within a budget", function="settings",
    run=lambda settings: settings,
    cases=(Case(label="the settings", judge=_judge_settings, blocking=True),
           Case(label="the iterations", judge=_judge_budget, blocking=True,
                edge="fewer epochs or images, or bigger batches"),
           Case(label="the run", judge=_judge_goal)),
    layout="lines",
    mistakes=(
        when("not-settings", "write the settings as a dict of run_lr_experiment's keyword "
             "arguments, such as {{'lr': 0.3, 'hidden_size': 100}}",
             lambda a: a.case.label == "the settings" and not (isinstance(a.got, dict) and "lr" in a.got)),
        when("unknown-setting", "check the spelling of each key: they are run_lr_experiment's "
             "keyword arguments",
             lambda a: a.case.label == "the settings" and isinstance(a.got, dict)),
        when("over-budget", "iterations = epochs × ceil(images / batch size): fewer epochs, fewer "
             "images or bigger batches", lambda a: a.case.label == "the iterations"),
        when("refused", "use values the lab offers: its controls show which",
             lambda a: a.case.label == "the run" and isinstance(_budget_run(a.got), str)),
        when("too-large", "that learning rate is too large for these settings: stay well below the "
             "edge", _budget_verdict("stalled", "diverged")),
        when("below-goal", "the default lr 0.1 is cautious: a learning rate a few times larger "
             "(well below the edge) or more hidden neurons learn more per iteration",
             _budget_verdict("trained", "crawled", "unstable", below_goal=True)),
    ))


def check_budget(settings) -> CheckResult:
    """Try it 4 "92% within a budget": ``settings``, a dict of keyword arguments of
    :func:`~mnist_lib.experiments.run_lr_experiment` (``lr`` required), passes when the run takes
    at most 300 iterations and reaches 92% validation accuracy without stalling or diverging."""
    return run_check(BUDGET, settings)


EXERCISES = (EDGE_LR, RANGE_LR, STALLED_LR, BUDGET)
