"""Answers a learner might hand in for every exercise the check engine runs, right and wrong.

They are written from each exercise's words in its notebook (its heading, its text, its starter
cell), the way a learner would write them, not from the check's code: a wrong answer is a slip
someone makes (an off-by-one, a rounding choice, the wrong axis, a missing bias, transposed
weights, an activation at the wrong layer, a changed input, code that is right only on the obvious
case, a value just past a boundary), and it names the mistake id the check must recognise in it.
A right answer is written differently from the notebook's solution. ``tests/test_catalogue.py``
runs them all.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    """One answer to one exercise: ``answer`` is what the check receives (a function, a class or a
    value; a tuple for checks that take two things, such as ``check_or_weights(w, b)``)."""

    notebook: str
    exercise: str
    answer: object
    passes: bool
    mistake: str | None  # the mistake the check must name (None: no catalogued mistake)
    why: str             # what the learner did, in a few words
    says: tuple[str, ...] = ()  # fragments the feedback must contain as well

    @property
    def id(self) -> str:
        kind = "right" if self.passes else (self.mistake or "unnamed")
        return f"{self.notebook}-{self.exercise}-{kind}-{self.why.replace(' ', '_')}"


def right(notebook: str, exercise: str, answer, why: str) -> Answer:
    return Answer(notebook, exercise, answer, True, None, why)


def wrong(notebook: str, exercise: str, mistake: str | None, answer, why: str,
          says: str | tuple[str, ...] = ()) -> Answer:
    return Answer(notebook, exercise, answer, False, mistake, why,
                  (says,) if isinstance(says, str) else tuple(says))


from . import nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08, nb09, nb10, nb11, nb12, nb13, tickets  # noqa: E402

ANSWERS: list[Answer] = [answer for module in (nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08, nb09, nb10,
                                               nb11, nb12, nb13, tickets)
                         for answer in module.ANSWERS]
