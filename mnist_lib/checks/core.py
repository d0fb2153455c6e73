"""The exercise-check engine: an exercise is data, one runner checks any of them.

An :class:`Exercise` is declared in its notebook's module (``checks/nb04.py`` for notebook 04): its
notebook and id, the name of what the learner hands in, its :class:`Case` list (inputs, the expected
result and its tolerance, and the edge each case is there for: a batch of one, a .5 tie, the last
row...), whether the learner's function may change its inputs, and its catalogue of known mistakes:
each :class:`Mistake` has a short stable id ("sum-not-mean"), a recogniser and the hint it earns.

:func:`run_check` runs any exercise against a learner's answer::

    result = run_check(nb04.PRACTICE_FORWARD, practice_forward)

It tries the cases in order, describes the first wrong one (or every wrong one, for exercises that
report all), names the first catalogued mistake it recognises, prints the feedback, and returns a
:class:`CheckResult`: true when every case passed, and carrying the notebook, the exercise, the
recognised mistake's id and hint, and the printed message. Every result is finished in one place,
:func:`finish`.

The printed feedback: one ``✗`` line per wrong case (what was wrong, in the words of
:func:`compare`), then the hint of the recognised mistake, on a line of its own (``layout="lines"``)
or after the problem (``layout="joined"``); or ``✓ All tests passed``.
"""
from __future__ import annotations

import copy
import re
import string
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .. import progress

__all__ = ["PASSED", "CheckResult", "Case", "Mistake", "Exercise", "Attempt", "run_check", "finish",
           "report", "compare", "show", "same", "gives", "raises", "warns", "when", "CHANGES_INPUT",
           "MISSING", "shape_questions", "SHAPE_MISTAKES"]

PASSED = "All tests passed"

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


# --- the result -----------------------------------------------------------------------------------

class CheckResult:
    """What a check returns: true when every case passed, false otherwise.

    It carries what a teacher's dashboard needs: ``notebook`` ("04"), ``exercise``
    ("practice_forward"), ``passed``, ``mistake`` (the id of the recognised mistake, such as
    "relu-at-output"; None when the answer passed or no catalogued mistake matched), ``hint`` (that
    mistake's hint as printed) and ``message`` (everything the check printed). The check has already
    printed its feedback, so in a notebook the result itself shows nothing (no extra ``Out: False``).
    """

    def __init__(self, passed: bool, *, notebook: str | None = None, exercise: str | None = None,
                 mistake: str | None = None, hint: str | None = None, message: str = ""):
        self.passed = bool(passed)
        self.notebook, self.exercise = notebook, exercise
        self.mistake, self.hint, self.message = mistake, hint, message

    def __bool__(self) -> bool:
        return self.passed

    def __eq__(self, other) -> bool:
        return self.passed == (other.passed if isinstance(other, CheckResult) else other)

    __hash__ = None

    def __repr__(self) -> str:
        where = f"notebook={self.notebook!r}, exercise={self.exercise!r}, " if self.exercise else ""
        return f"CheckResult({where}passed={self.passed}, mistake={self.mistake!r})"

    def _ipython_display_(self) -> None:
        """Show nothing: the feedback is already on screen."""


def finish(notebook: str | None, exercise: str | None, problems: Sequence[str],
           mistake: str | None = None, hint: str | None = None) -> CheckResult:
    """Print the feedback and make the result: the one place where every check's result is finished,
    and recorded (:func:`mnist_lib.progress.record`) when it names its notebook and exercise.

    ``problems``: the lines to print after ``✗`` (none: the answer passed).
    """
    lines = [f"✗ {p}" for p in problems] or [f"✓ {PASSED}"]
    message = "\n".join(lines)
    print(message)
    result = CheckResult(not problems, notebook=notebook, exercise=exercise,
                         mistake=mistake if problems else None, hint=hint if problems else None,
                         message=message)
    if notebook is not None and exercise is not None:
        progress.record(result)  # the learner's progress file (and a class's hub); never raises
    return result


def report(problems: list[str]) -> CheckResult:
    """Print every problem (or "All tests passed"); the result is true when there were none.

    For checks written before the engine (they carry no notebook or exercise id)."""
    return finish(None, None, problems)


# --- describing values and comparing them ---------------------------------------------------------

def show(value) -> str:
    """Short, readable text for a number or an array: ``0.5``, ``[1., 2.]``."""
    a = np.asarray(value)
    if a.ndim == 0:
        v = a.item()
        return f"{v:.6g}" if isinstance(v, float) else repr(v)
    return np.array2string(a, precision=6, separator=", ", threshold=20)


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _has_nan(a: np.ndarray) -> bool:
    return a.dtype.kind in "fc" and bool(np.isnan(a).any())


def compare(got, expected, name: str = "your result", rtol: float = 1e-5,
            atol: float = 1e-8) -> list[str]:
    """What is wrong with ``got`` against ``expected``: type, shape, kind of dtype, then values.

    ``expected`` may be a number, a bool, a string (a choice such as "b"; compared exactly), a
    sequence or an array. Returns a list of sentences (empty when they agree), at most one.
    """
    if got is None:
        return [f"{name} is None: did you forget to return a value?"]
    if isinstance(expected, str):
        return [] if got == expected else [f"{name} should be {expected!r}, got {got!r}"]
    if isinstance(expected, (bool, np.bool_)):  # only a single bool or number can be True/False
        ok = isinstance(got, (bool, int, float, np.bool_, np.number)) and bool(got) == bool(expected)
        return [] if ok else [f"{name} should be {expected}, got {got!r}"]
    if _is_int(expected):
        if isinstance(got, (bool, np.bool_)):
            return [f"{name} should be the number {expected}, got {got}, a True/False value"]
        if isinstance(got, (float, np.floating)) and got == expected:
            return [f"{name} should be the whole number {expected}, got the float {got!r}"]
    if isinstance(expected, np.ndarray) and not isinstance(got, np.ndarray):
        return [f"{name} should be a NumPy array, got {type(got).__name__} (wrap it in np.array)"]
    try:
        got_a, exp_a = np.asarray(got), np.asarray(expected)
    except (ValueError, TypeError) as err:
        return [f"{name} cannot be read as an array ({err})"]
    if got_a.dtype == object or not (np.issubdtype(got_a.dtype, np.number) or got_a.dtype == bool):
        return [f"{name} should hold numbers, got {got!r}"]
    if got_a.shape != exp_a.shape:
        return [f"{name}: expected shape {exp_a.shape}, got {got_a.shape}"]
    if _has_nan(got_a) and not _has_nan(exp_a):
        return [f"{name} gave nan (not a number), expected {show(exp_a)}"]
    if np.issubdtype(exp_a.dtype, np.integer) and not np.issubdtype(got_a.dtype, np.integer):
        if got_a.dtype != bool and np.all(np.isfinite(got_a)) and np.array_equal(got_a, exp_a):
            return [f"{name} has the right values but dtype {got_a.dtype}; expected integers "
                    f"(use .astype(np.int64))"]
    if not np.allclose(got_a, exp_a, rtol=rtol, atol=atol):
        if got_a.ndim == 0:
            return [f"{name} should be {show(exp_a)}, got {show(got_a)}"]
        bad = ~np.isclose(got_a, exp_a, rtol=rtol, atol=atol)
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        where = first[0] if len(first) == 1 else first
        return [f"{name}: {int(bad.sum())} of {bad.size} values differ; at index {where} "
                f"expected {show(exp_a[first])}, got {show(got_a[first])}"]
    return []


def same(got, value, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """True when ``got`` has the shape and values of ``value`` (tuples and lists element by element)."""
    if isinstance(value, (tuple, list)) and any(isinstance(v, (tuple, list, np.ndarray)) for v in value):
        return (isinstance(got, (tuple, list)) and len(got) == len(value)
                and all(same(g, v, rtol, atol) for g, v in zip(got, value)))
    try:
        got_a = np.asarray(got, dtype=float)
        value_a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    if got_a.shape != value_a.shape:
        return False
    with np.errstate(invalid="ignore"):
        return bool(np.allclose(got_a, value_a, rtol=rtol, atol=atol, equal_nan=True))


# --- mistakes ---------------------------------------------------------------------------------------

@dataclass
class Attempt:
    """One case tried on the learner's answer: what a mistake's recogniser looks at.

    ``got``: the learner's result (None when it raised ``error``); ``warnings``: NumPy's messages
    ("overflow encountered in exp"); ``changed``: the names of the inputs the learner's code
    changed; ``problems``: what is wrong, one line each (none when the case passed);
    ``right_result``: the result itself is right (a problem is then a warning or a changed input);
    ``attempts``: every attempt of this check so far, in order (for mistakes seen across cases).
    """

    case: Case
    got: Any = None
    error: BaseException | None = None
    warnings: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    problems: list[str] = field(default_factory=list)
    right_result: bool = False
    attempts: list[Attempt] = field(default_factory=list, repr=False)

    @property
    def args(self) -> tuple:
        return self.case.args

    @property
    def expected(self):
        return self.case.expected


@dataclass(frozen=True, eq=False)
class Mistake:
    """A known mistake: a stable ``id`` (a slug such as "sum-not-mean"), a ``recognise(attempt)``
    that says whether an attempt shows it, and the ``hint`` it earns.

    ``hint`` may hold ``{fields}``, filled in with what the recogniser returns (a dict instead of
    True) and with ``name`` (what the learner hands in) and ``label`` (the case, as the feedback
    names it); ``example`` gives every field a typical value, to quote the hint on the teacher's
    pages. ``scope``: "case" (seen in one wrong case; the default) or "answer" (seen across all the
    cases tried, such as "every output is the opposite"; printed once, after the cases).
    ``side_effect``: the mistake is in what the code does besides its result (it warns, it changes
    an input); only such mistakes are tried on a case whose result is right.
    """

    id: str
    hint: str
    recognise: Callable[[Attempt], bool | dict | None] = field(repr=False)
    example: dict = field(default_factory=dict)
    scope: str = "case"
    side_effect: bool = False

    def __post_init__(self):
        if not _SLUG.match(self.id):
            raise ValueError(f"a mistake id is a slug of lower-case words and dashes, got {self.id!r}")
        if self.scope not in ("case", "answer"):
            raise ValueError(f"scope must be 'case' or 'answer', got {self.scope!r}")
        missing = set(self.fields()) - set(self.example) - {"name", "label"}
        if missing:
            raise ValueError(f"mistake {self.id!r}: example has no value for {sorted(missing)}")

    def fields(self) -> list[str]:
        """The names of the ``{fields}`` in the hint."""
        return [name for _, name, _, _ in string.Formatter().parse(self.hint) if name]

    def render(self, values: dict | None = None) -> str:
        """The hint with its fields filled in (by default with the example values)."""
        return self.hint.format(**(self.example if values is None else values))

    def pattern(self) -> re.Pattern:
        """A regular expression that matches the hint whatever its fields' values."""
        parts = []
        for text, name, _, _ in string.Formatter().parse(self.hint):
            parts.append(re.escape(text))
            if name:
                parts.append(".+?")
        return re.compile("".join(parts) + r"\Z", re.S)


def _quietly(fn: Callable, *args):
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args)


def gives(id: str, hint: str, wrong: Callable, *, example: dict | None = None, rtol: float = 1e-6,
          atol: float = 1e-9) -> Mistake:
    """A mistake recognised by its result: ``wrong(*case.args)`` is what that mistake returns."""
    def recognise(attempt: Attempt) -> bool:
        if attempt.error is not None or attempt.got is None:
            return False
        try:
            value = _quietly(wrong, *attempt.args)
        except Exception:  # the mistake cannot happen on this case (its shapes do not fit)
            return False
        return same(attempt.got, value, rtol, atol)
    return Mistake(id, hint, recognise, example or {})


def raises(id: str, hint: str, error: type[BaseException] = Exception,
           match: str | tuple[str, ...] = "", *, example: dict | None = None) -> Mistake:
    """A mistake recognised by the error it makes the learner's code raise (``match``: a part of
    the error's message, or a tuple of parts of which one must be there)."""
    parts = (match,) if isinstance(match, str) else match

    def recognise(attempt: Attempt) -> bool:
        return isinstance(attempt.error, error) and any(p in str(attempt.error) for p in parts)
    return Mistake(id, hint, recognise, example or {})


def warns(id: str, hint: str, match: str, *, example: dict | None = None) -> Mistake:
    """A mistake recognised by a NumPy warning ("overflow encountered in exp")."""
    def recognise(attempt: Attempt) -> bool:
        return any(match in message for message in attempt.warnings)
    return Mistake(id, hint, recognise, example or {}, side_effect=True)


def when(id: str, hint: str, test: Callable[[Attempt], bool | dict | None], *,
         example: dict | None = None, scope: str = "case") -> Mistake:
    """A mistake recognised by ``test(attempt)``: True, or a dict of values for the hint's fields."""
    return Mistake(id, hint, test, example or {}, scope)


#: Added to the catalogue of every exercise whose cases pass arrays (or dicts of them) to the
#: learner's function, unless the exercise lets the function change its inputs.
CHANGES_INPUT = Mistake(
    "changes-input",
    "compute a new array instead of changing the one you were given (no `x -= ...` or "
    "`x[...] = ...` on an argument): the caller still needs it as it was",
    lambda attempt: bool(attempt.changed), side_effect=True)


# --- cases and exercises ----------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Case:
    """One thing to try on the learner's answer, and what must come out.

    ``args``: what the learner's function is called with (each call gets fresh copies);
    ``expected``: the right result, compared by :func:`compare` with the tolerance (``rtol``,
    ``atol``: the exercise's unless given here); ``label``: how the feedback names this call
    (default: the function, its parameters and short arguments); ``edge``: what the case is there
    for ("a batch of one", "a .5 tie", "the last row", "large and negative values"); ``note``:
    said after the problem when this case is wrong and no known mistake explains it; ``judge``:
    ``judge(got, case)`` returns the problems instead of :func:`compare` (for answers that are not
    one value, or properties rather than values); ``run``: ``run(answer, *args)`` gets the learner's
    result instead of the exercise's way; ``blocking``: a gate: the case is tried only when every
    case before it passed, and when it is wrong, no later case is tried.
    """

    args: tuple = ()
    expected: Any = None
    label: str = ""
    edge: str = ""
    note: str = ""
    judge: Callable[[Any, Case], list[str]] | None = field(default=None, repr=False)
    run: Callable | None = field(default=None, repr=False)
    rtol: float | None = None
    atol: float | None = None
    blocking: bool = False


def _call(answer, *args):
    return answer(*args)


def _mutable(value) -> bool:
    if isinstance(value, np.ndarray):
        return True
    if isinstance(value, dict):
        return any(_mutable(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return isinstance(value, list) or any(_mutable(v) for v in value)
    return False


def _unchanged(before, after) -> bool:
    if isinstance(before, np.ndarray):
        return (isinstance(after, np.ndarray) and before.shape == after.shape
                and np.array_equal(before, after, equal_nan=before.dtype.kind in "fc"))
    if isinstance(before, dict):
        return (isinstance(after, dict) and before.keys() == after.keys()
                and all(_unchanged(before[k], after[k]) for k in before))
    if isinstance(before, (list, tuple)):
        return (type(after) is type(before) and len(after) == len(before)
                and all(_unchanged(b, a) for b, a in zip(before, after)))
    return True


def _arg_text(name: str, value) -> str:
    """``x = [1., 2.]`` for a number or short vector, ``W of shape (2, 3)`` for anything bigger."""
    a = np.asarray(value) if isinstance(value, (np.ndarray, list, tuple, int, float)) else None
    if a is None or a.dtype == object:
        return name
    return f"{name} = {show(a)}" if a.ndim <= 1 and a.size <= 6 else f"{name} of shape {a.shape}"


@dataclass(frozen=True, eq=False)
class Exercise:
    """A "Try it" exercise as data: what :func:`run_check` needs to judge an answer.

    ``notebook``: "04"; ``id``: "practice_forward" (the check is ``check_<id>``); ``title``: the
    exercise's name in its notebook's heading; ``function``: what the feedback calls the learner's
    answer ("practice_forward", "lr"); ``params``: the names of its arguments; ``cases``;
    ``mistakes``: the catalogue, in the order they are tried (the first that recognises a wrong
    case names it); ``run``: ``run(answer, *args)`` gets a case's result from the answer (default:
    ``answer(*args)``: the answer is a function); ``may_change_inputs``: True, or the names of
    the parameters the function is meant to change (``("params",)``); any other change of an
    input is a problem, :data:`CHANGES_INPUT`; ``quiet``: a NumPy warning (overflow, invalid value)
    is a problem even when the values are right; ``report``: "first" (stop at the first wrong case)
    or "all"; ``layout``: "lines" (the hint on a line of its own) or "joined" (after the problem).
    """

    notebook: str
    id: str
    title: str
    function: str
    cases: tuple[Case, ...]
    mistakes: tuple[Mistake, ...] = ()
    params: tuple[str, ...] = ()
    run: Callable = field(default=_call, repr=False)
    rtol: float = 1e-5
    atol: float = 1e-8
    may_change_inputs: bool | tuple[str, ...] = False
    quiet: bool = False
    report: str = "first"
    layout: str = "lines"

    def __post_init__(self):
        if self.report not in ("first", "all") or self.layout not in ("lines", "joined"):
            raise ValueError(f"{self.id}: report is 'first' or 'all', layout 'lines' or 'joined'")
        cases = tuple(case if case.label else replace(case, label=self._label(case.args))
                      for case in self.cases)
        object.__setattr__(self, "cases", cases)
        mistakes = tuple(self.mistakes)
        if self.may_change_inputs is not True and CHANGES_INPUT not in mistakes and any(
                _mutable(a) and n not in self._changeable() for c in cases
                for n, a in zip(self._names(c.args), c.args)):
            mistakes += (CHANGES_INPUT,)
        ids = [m.id for m in mistakes]
        if len(set(ids)) != len(ids):
            raise ValueError(f"{self.id}: mistake ids must be unique, got {ids}")
        object.__setattr__(self, "mistakes", mistakes)

    def _names(self, args: tuple) -> tuple[str, ...]:
        return self.params or tuple(f"arg{k}" for k in range(len(args)))

    def _changeable(self) -> tuple[str, ...]:
        return self.may_change_inputs if isinstance(self.may_change_inputs, tuple) else ()

    def _label(self, args: tuple) -> str:
        names = self._names(args)
        call = f"{self.function}({', '.join(names)})"
        return call + " with " + ", ".join(_arg_text(n, a) for n, a in zip(names, args)) if args else call

    def mistake(self, id: str) -> Mistake:
        """The catalogued mistake with this id."""
        for m in self.mistakes:
            if m.id == id:
                return m
        raise KeyError(f"exercise {self.notebook}/{self.id} has no mistake {id!r}")


# --- questions whose answer is a dict of shapes ------------------------------------------------------

class _Missing:
    """The answer has no entry for this question."""

    def __repr__(self) -> str:
        return "(missing)"


MISSING = _Missing()
_SHAPE_TEXT = re.compile(r"\s*\(?\s*\d+\s*(,\s*\d+\s*)*,?\s*\)?\s*")


def _the_answers(answers, case: Case) -> list[str]:
    if isinstance(answers, dict):
        return []
    return [f"the answers should be a dict such as {{'A @ B': (7, 1)}}, got {type(answers).__name__}"]


def _shape_of(got) -> tuple | None:
    """``got`` as a tuple of ints, or None when it is not a shape."""
    if isinstance(got, (str, bytes, int, np.integer)) or got is None or got is MISSING:
        return None
    try:
        return tuple(int(n) for n in got)
    except (TypeError, ValueError):
        return None


def _judge_shape(got, case: Case, why: str, example: str, work: str) -> list[str]:
    key, want = case.label, case.expected
    because = f". {why}" if why else ""
    if got is MISSING:
        return [f"{key}: no answer (the key {key!r} is missing from the dict)"]
    if got is None:
        return [f"{key}: no answer yet (replace None with a shape such as {example})"]
    if isinstance(got, str):
        if got.strip().lower() != "error":
            return [f"{key}: {got!r} is not a shape; write a tuple such as {example}"]
        return [] if want == "error" else [f"{key}: this {work} works: expected shape {want}, "
                                           f"got \"error\"{because}"]
    if isinstance(got, (int, np.integer)):
        return [f"{key}: {got} is a number, not a shape"]
    shape = _shape_of(got)
    if shape is None:
        return [f"{key}: {got!r} is not a shape; write a tuple such as {example}"]
    if want == "error":
        return [f"{key}: expected \"error\", got {shape}{because}"]
    return [] if shape == want else [f"{key}: expected shape {want}, got {shape}{because}"]


def shape_questions(expected: dict, why: dict, work: str = "product") -> tuple[Case, ...]:
    """The cases of an exercise whose answer is a dict of predicted shapes (tuples, or "error").

    ``expected``: the right shape of each key (or "error"); ``why``: the explanation shown when a
    key's answer is wrong; ``work``: what a key stands for ("product", "step"), for the feedback.
    """
    example = "(7, 1)" + (' or "error"' if "error" in expected.values() else "")
    first = Case(label="the answers", judge=_the_answers, blocking=True,
                 run=lambda answers: answers)
    return (first,) + tuple(
        Case((key,), want, label=key, run=lambda answers, key: answers.get(key, MISSING),
             judge=lambda got, case, w=why.get(key, ""): _judge_shape(got, case, w, example, work))
        for key, want in expected.items())


#: The mistakes of every shape question.
SHAPE_MISTAKES = (
    when("rows-and-columns-swapped", "rows and columns are swapped: the first number counts the "
         "rows, one per input",
         lambda a: _shape_of(a.got) is not None and a.expected != "error"
         and a.expected != a.expected[::-1] and _shape_of(a.got) == a.expected[::-1]),
    when("number-not-shape", "a shape is a tuple, and a 1-D shape needs a comma: ({got},)",
         lambda a: {"got": a.got} if isinstance(a.got, (int, np.integer))
         and not isinstance(a.got, bool) else False, example={"got": 5}),
    when("shape-as-text", "write the shape itself, a tuple such as (100, 50), not text in quotes",
         lambda a: isinstance(a.got, str) and bool(_SHAPE_TEXT.fullmatch(a.got))),
)


# --- the runner -------------------------------------------------------------------------------------

def _try(exercise: Exercise, case: Case, answer, attempts: list[Attempt]) -> Attempt:
    """Run one case on the answer: the result, the error, NumPy's warnings and changed inputs."""
    args = copy.deepcopy(case.args)
    runner = case.run or exercise.run
    got, error = None, None
    with warnings.catch_warnings(record=True) as caught, \
            np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            got = runner(answer, *args)
        except Exception as err:  # the learner's code: report it, do not crash
            error = err
    messages = tuple(dict.fromkeys(str(w.message) for w in caught
                                   if issubclass(w.category, RuntimeWarning)))
    changed = tuple(n for n, before, after in zip(exercise._names(args), case.args, args)
                    if _mutable(before) and not _unchanged(before, after)
                    and n not in exercise._changeable())
    attempt = Attempt(case, got, error, messages, changed, attempts=attempts)
    if error is not None:
        attempt.problems = [f"{case.label} raised {type(error).__name__}: {error}"]
        return attempt
    if case.judge is not None:
        problems = case.judge(got, case)
    else:
        rtol = exercise.rtol if case.rtol is None else case.rtol
        atol = exercise.atol if case.atol is None else case.atol
        problems = compare(got, case.expected, name=case.label, rtol=rtol, atol=atol)
    attempt.right_result = not problems
    if not problems and exercise.quiet and messages:
        problems = [f"{case.label} made NumPy warn: {'; '.join(messages)}"]
    if not problems and changed and exercise.may_change_inputs is not True:
        problems = [f"{case.label} changed its input {' and '.join(changed)}"]
    attempt.problems = list(problems)
    return attempt


def _recognise(mistakes: Sequence[Mistake], attempt: Attempt, exercise: Exercise):
    """The first mistake that recognises ``attempt``, with its hint filled in, or (None, None)."""
    for m in mistakes:
        if attempt.right_result and not m.side_effect:
            continue
        try:
            seen = _quietly(m.recognise, attempt)
        except Exception:  # a recogniser meets an answer it cannot read: not this mistake
            seen = False
        if seen:
            values = {"name": exercise.function, "label": attempt.case.label, **m.example}
            if isinstance(seen, dict):
                values.update(seen)
            return m, m.render(values)
    return None, None


def run_check(exercise: Exercise, answer) -> CheckResult:
    """Check ``answer`` (the learner's function, class or value) against ``exercise``; print the
    feedback and return the :class:`CheckResult`."""
    attempts: list[Attempt] = []
    for case in exercise.cases:
        if case.blocking and any(a.problems for a in attempts):
            break
        attempt = _try(exercise, case, answer, attempts)
        attempts.append(attempt)
        if attempt.problems and (exercise.report == "first" or case.blocking):
            break
    wrong = [a for a in attempts if a.problems]
    if not wrong:
        return finish(exercise.notebook, exercise.id, [])
    case_mistakes = [m for m in exercise.mistakes if m.scope == "case"]
    answer_mistakes = [m for m in exercise.mistakes if m.scope == "answer"]
    lines, hints, seen = [], [], []
    for attempt in wrong:
        mistake, hint = _recognise(case_mistakes, attempt, exercise)
        first, *rest = attempt.problems
        if mistake is None and attempt.case.note:
            first += f"; {attempt.case.note}"
        if mistake is not None:
            seen.append((mistake.id, hint))
            if exercise.layout == "joined":
                first += f": {hint}"
            else:
                hints.append(hint)
        lines += [first, *rest]
    mistake, hint = _recognise(answer_mistakes, wrong[-1], exercise)
    if mistake is not None:
        seen.append((mistake.id, hint))
        hints.append(hint)
    lines += list(dict.fromkeys(hints))
    first_id, first_hint = seen[0] if seen else (None, None)
    return finish(exercise.notebook, exercise.id, lines, first_id, first_hint)
