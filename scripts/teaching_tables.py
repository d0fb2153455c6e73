"""Write the "Common mistakes" table and the "Exit ticket" answers of every teacher's page from the
checks' catalogue.

    python scripts/teaching_tables.py            # rewrite the tables in teaching/NN_*.md
    python scripts/teaching_tables.py --check    # change nothing; exit 1 if a table is out of date

Each row is one known mistake of one exercise: its id (what a results dashboard shows), the hint
as the check prints it (a hint with ``{fields}`` is filled in with the catalogue's example values),
and what to say, from ``teaching/what_to_say.toml``. The catalogue is in ``mnist_lib/checks``
(one module per notebook), so a page can never quote a message the check no longer prints. Checks
not on the engine yet are quoted by running them on an answer the TOML file gives.

The exit ticket's questions (``mnist_lib/checks/tickets.py``) are listed in a section of their
own, each with its choices, its answer and why, and every wrong answer the check names with its
mistake id and hint (the hint is what to say). Only the text between a page's markers is written;
a page without the markers is left alone.
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import io
import math
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEACHING = ROOT / "teaching"
SAY = TEACHING / "what_to_say.toml"
BEGIN = ("<!-- common mistakes: begin. Written by scripts/teaching_tables.py from the checks' "
         "catalogue (mnist_lib/checks) and teaching/what_to_say.toml: edit those, not this table. -->")
END = "<!-- common mistakes: end -->"
TICKET_BEGIN = ("<!-- exit ticket: begin. Written by scripts/teaching_tables.py from "
                "mnist_lib/checks/tickets.py: edit that, not this list. -->")
TICKET_END = "<!-- exit ticket: end -->"
HEADER = ["| exercise | mistake | the check says | what to say |", "|---|---|---|---|"]


def what_to_say() -> dict:
    with open(SAY, "rb") as f:
        return tomllib.load(f)


def cell(text: str) -> str:
    """Text for a cell of a markdown table: one line, its pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def printed_by(check_name: str, answer: str) -> str:
    """What a check prints for an answer (``answer``: its arguments, a Python literal), one line."""
    import mnist_lib.checks

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        getattr(mnist_lib.checks, check_name)(*ast.literal_eval(answer))
    return " / ".join(line[2:] for line in out.getvalue().splitlines() if line[:2] in ("✗ ", "✓ "))


def rows(notebook: str, say: dict) -> list[str]:
    """The table rows of one notebook: its exercises' mistakes in catalogue order, then a row for
    changing an input, then the older checks' rows and the other rows."""
    from mnist_lib.checks import EXERCISES
    from mnist_lib.checks.core import CHANGES_INPUT
    from mnist_lib.checks.tickets import is_ticket

    lines, shared = [], []
    for (nb, exercise_id), exercise in EXERCISES.items():
        if nb != notebook or is_ticket(exercise):  # the exit ticket has a section of its own
            continue
        own = say.get(notebook, {}).get(exercise_id, {})
        for mistake in exercise.mistakes:
            if mistake is CHANGES_INPUT and mistake.id not in own:
                shared.append(exercise.title)
                continue
            what = own.get(mistake.id, say["all"].get(mistake.id))
            if what is None:
                raise SystemExit(f"{SAY.name}: no entry for {notebook}/{exercise_id}: {mistake.id}")
            lines.append(f"| {cell(exercise.title)} | `{mistake.id}` | \"{cell(mistake.render())}\" "
                         f"| {cell(what)} |")
    if shared:
        lines.append(f"| {cell(', '.join(shared))} | `{CHANGES_INPUT.id}` | "
                     f"\"{cell(CHANGES_INPUT.render())}\" | {cell(say['all'][CHANGES_INPUT.id])} |")
    for row in say.get(notebook, {}).get("older", []):
        lines.append(f"| `{row['check']}` | | \"{cell(printed_by(row['check'], row['answer']))}\" "
                     f"| {cell(row['say'])} |")
    for row in say.get(notebook, {}).get("other", []):
        lines.append(f"| | | {cell(row['shows'])} | {cell(row['say'])} |")
    return lines


def table(notebook: str, say: dict) -> str:
    return "\n".join([BEGIN, *HEADER, *rows(notebook, say), END])


def value_text(value) -> str:
    """A ticket's answer as the page writes it: a choice's letter in parentheses, or the number."""
    if isinstance(value, str):
        return f"({value})"
    return f"{value:g}" if isinstance(value, float) else str(value)


def answer_text(question) -> str:
    from mnist_lib.checks.tickets import LETTERS

    if not question.choices:
        return value_text(question.answer)
    return f"({question.answer}) {question.choices[LETTERS.index(question.answer)]}"


def ticket(notebook: str) -> str:
    """The exit ticket's list: each question, its choices, its answer and why, and the wrong answers
    the check names (mistake id and hint)."""
    from mnist_lib.checks.tickets import LETTERS, TICKETS

    lines = [TICKET_BEGIN]
    for k, q in enumerate(TICKETS.get(notebook, ()), start=1):
        choices = " · ".join(f"({letter}) {choice}" for letter, choice in zip(LETTERS, q.choices))
        lines.append(f"{k}. **{q.topic.capitalize()}.** {' '.join(q.text.split())}"
                     + (f" {choices}" if choices else ""))
        lines.append(f"   - **Answer: {answer_text(q)}.** *Why:* {q.why}.")
        wrong = "; ".join(f"{value_text(w.value)} `{w.id}`: \"{w.hint}\"" for w in q.wrong)
        lines.append(f"   - *Wrong answers the check names:* {wrong}.")
    lines.append(TICKET_END)
    return "\n".join(lines)


def update(text: str, notebook: str, say: dict) -> str:
    """``text`` (a page) with the regions between the markers written anew."""
    if BEGIN in text:
        start, end = text.index(BEGIN), text.index(END) + len(END)
        text = text[:start] + table(notebook, say) + text[end:]
    if TICKET_BEGIN in text:
        start, end = text.index(TICKET_BEGIN), text.index(TICKET_END) + len(TICKET_END)
        text = text[:start] + ticket(notebook) + text[end:]
    return text


NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def agrees(page: str, generated: str, rel: float = 0.05) -> bool:
    """True when ``page`` is ``generated``, or differs only in numbers within ``rel`` of each other.

    The older checks quote accuracies from short float32 training runs, whose last digits depend
    on the computer (README, "What is reproducible"); every other part of a table must match.
    """
    if page == generated:
        return True
    if NUMBER.split(page) != NUMBER.split(generated):
        return False
    return all(math.isclose(float(a), float(b), rel_tol=rel)
               for a, b in zip(NUMBER.findall(page), NUMBER.findall(generated)))


def pages() -> list[Path]:
    return sorted(TEACHING.glob("[0-9][0-9]_*.md"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; fail if out of date")
    args = parser.parse_args(argv)
    say, failed = what_to_say(), False
    for page in pages():
        text = page.read_text(encoding="utf-8")
        new = update(text, page.name[:2], say)
        if BEGIN not in text and TICKET_BEGIN not in text:
            status = "no table"
        elif new == text or (args.check and agrees(text, new)):
            status = "up to date"
        elif args.check:
            status, failed = "out of date: run python scripts/teaching_tables.py", True
        else:
            page.write_text(new, encoding="utf-8")
            status = "updated"
        print(f"{page.name}: {status}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
