"""The teacher's guide says what the code and the notebooks do, and its numbers add up.

- The "Common mistakes" tables are generated from the checks' catalogue (scripts/teaching_tables.py):
  they are up to date, every catalogued mistake has something to say, and each row quotes the hint
  as the check prints it. The exit tickets' questions are listed with their answers, and every
  wrong answer's hint (which is what to say) on the page of their notebook.
- The speaker notes have one home: a note is one of its page's *Ask* prompts, or a text no page
  holds.
- Every plan's timings add up, by the pages' own figures; the overview's times are the pages'.
- The overview maps every notebook to the book's chapters and sections.
- The README's quick start imports every name it uses.
"""
from __future__ import annotations

import ast
import builtins
import importlib.util
import re
from pathlib import Path

import pytest

from mnist_lib.checks import EXERCISES
from mnist_lib.checks.core import CHANGES_INPUT
from mnist_lib.checks.tickets import TICKETS, is_ticket

ROOT = Path(__file__).resolve().parent.parent
TEACHING = ROOT / "teaching"
OVERVIEW = (TEACHING / "README.md").read_text(encoding="utf-8")


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tables = load("teaching_tables")
slides = load("slides")


def page(number: str) -> str:
    [path] = TEACHING.glob(f"{number}_*.md")
    return path.read_text(encoding="utf-8")


# --- the tables of common mistakes -----------------------------------------------------------------

def test_the_tables_are_up_to_date(capsys):
    status = tables.main(["--check"])
    report = capsys.readouterr().out
    assert status == 0, f"python scripts/teaching_tables.py would change the pages:\n{report}"


def test_every_page_of_a_notebook_with_exercises_has_a_table():
    numbers = {notebook for (notebook, _), e in EXERCISES.items() if not is_ticket(e)} | {"08", "09"}
    for number in sorted(numbers):
        assert tables.BEGIN in page(number) and tables.END in page(number), number


def test_every_catalogued_mistake_has_what_to_say_and_nothing_else_does():
    say = tables.what_to_say()
    for (notebook, exercise_id), exercise in EXERCISES.items():
        if is_ticket(exercise):  # a ticket's hints are what to say (the page's exit ticket)
            continue
        entries = say.get(notebook, {}).get(exercise_id, {})
        for mistake in exercise.mistakes:
            assert mistake.id in entries or mistake.id in say["all"], (notebook, exercise_id, mistake.id)
        unknown = set(entries) - {m.id for m in exercise.mistakes}
        assert not unknown, f"what_to_say.toml names mistakes {notebook}/{exercise_id} does not have: {unknown}"
    for notebook, section in say.items():
        if notebook == "all":
            continue
        for key in section:
            assert key in ("older", "other") or (notebook, key) in EXERCISES, (notebook, key)


def test_each_row_quotes_the_hint_as_the_check_prints_it():
    for (notebook, exercise_id), exercise in EXERCISES.items():
        if is_ticket(exercise):
            continue
        text = page(notebook)
        for mistake in exercise.mistakes:
            quoted = f'"{tables.cell(mistake.render())}"'
            assert quoted in text, (notebook, exercise_id, mistake.id)
            assert mistake.pattern().match(mistake.render())
        assert f"`{CHANGES_INPUT.id}`" in text or CHANGES_INPUT not in exercise.mistakes


@pytest.mark.parametrize("number", sorted(TICKETS))
def test_each_page_lists_its_exit_ticket_with_answers_and_hints(number):
    text = page(number)
    assert tables.TICKET_BEGIN in text and tables.TICKET_END in text
    section = text[text.index(tables.TICKET_BEGIN):text.index(tables.TICKET_END)]
    for k, question in enumerate(TICKETS[number], start=1):
        item = section[section.index(f"\n{k}. "):]
        item = item[:item.index(f"\n{k + 1}. ")] if f"\n{k + 1}. " in item else item
        assert " ".join(question.text.split()) in item
        assert f"**Answer: {tables.answer_text(question)}.**" in item
        for wrong in question.wrong:
            assert f'`{wrong.id}`: "{wrong.hint}"' in item, (number, k, wrong.id)


def test_numbers_from_training_may_move_in_the_older_rows():
    assert tables.agrees("reached only 0.27 accuracy", "reached only 0.28 accuracy")
    assert not tables.agrees("reached only 0.27 accuracy", "reached only 0.47 accuracy")
    assert not tables.agrees("reached only 0.27 accuracy", "reached just 0.27 accuracy")


# --- speaker notes -----------------------------------------------------------------------------------

def normalise(text: str) -> str:
    return " ".join(re.sub(r"[*\"“”]", " ", text).lower().split())


def test_speaker_notes_have_one_home():
    notes = slides.load_notes()  # each `ask` names exactly one *Ask* prompt of its page
    assert "NOTES: dict[str, list[tuple[str, str]]] = load_notes()" in (ROOT / "scripts" / "slides.py").read_text()
    for number, entries in notes.items():
        prompts = [normalise(p) for p in slides.ask_prompts(page(number))]
        for heading, text in entries:
            if normalise(text) in prompts:
                continue  # the page's own prompt
            question = normalise(re.sub(r"^ask( the class)?:?", "", text, flags=re.I))
            assert not any(question[:40] in p for p in prompts), (
                f"notebook {number}, {heading!r}: this note repeats a page's *Ask* prompt; name the "
                f"prompt with `ask` in teaching/speaker_notes.toml instead")


def test_ask_prompts_are_read_to_the_end_of_their_paragraph():
    text = ("1. **An idea.**\n   *Ask:* \"Why?\" (Because\n   of this.)\n2. **Another.**\n\n"
            "*Ask (before running):* \"What comes out?\"\n\nNext paragraph.")
    assert slides.ask_prompts(text) == ['*Ask:* "Why?" (Because of this.)',
                                        '*Ask (before running):* "What comes out?"']


# --- plans and timings ---------------------------------------------------------------------------------

def paragraph(text: str, start: str) -> str:
    found = text[text.index(start):]
    return " ".join(found[:found.index("\n\n")].split())


def times(number: str) -> tuple[int, int | None, list[int]]:
    """(minutes in class, minutes of the short version, the parts' minutes) from a page."""
    text = paragraph(page(number), "**Time in class:**")
    total = int(re.match(r"\*\*Time in class:\*\* (\d+) minutes", text).group(1))
    depth, start = 0, text.index("(")
    for end, char in enumerate(text[start:], start):  # the bracket that closes the first one
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            break
    first = text[start + 1:end]
    parts = [int(m) for m in re.findall(r":\s*(\d+)", first)]
    short = re.search(r"Short version \((\d+) min\)", text)
    return total, int(short.group(1)) if short else None, parts


NUMBERS = [f"{k:02d}" for k in range(14)]


@pytest.mark.parametrize("number", NUMBERS)
def test_each_page_time_adds_up(number):
    total, short, parts = times(number)
    if parts:
        assert sum(parts) == total, f"teaching/{number}: the parts add up to {sum(parts)}, not {total}"
    assert short is None or short < total


def test_the_overview_gives_each_page_time():
    for number in NUMBERS:
        row = next(line for line in OVERVIEW.splitlines() if line.startswith(f"| {number} | ["))
        assert row.rstrip(" |").endswith(f"{times(number)[0]} min"), row
    total = sum(times(number)[0] for number in NUMBERS)
    hours = int(re.search(r"The whole course takes about (\w+) hours", OVERVIEW).group(1)
                .replace("seven", "7"))
    assert abs(total / 60 - hours) <= 0.5, (total, hours)


def minute_table(title: str) -> list[list[str]]:
    start = OVERVIEW.index(title)
    rows = []
    for line in OVERVIEW[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip("|").split("|")])
    return rows


@pytest.mark.parametrize("length, title", [(45, "| lesson of 45 minutes |"),
                                           (90, "| lesson of 90 minutes |")])
def test_every_lesson_fits_by_the_pages_own_figures(length, title):
    seen = []
    for lesson, notebooks, minutes in minute_table(title):
        parts = []
        for item in re.split(r"[,;] (?=\d\d)", notebooks):
            number = item[:2]
            total, short, _ = times(number)
            parts.append(short if "short version" in item else total)
            seen.append(number)
        stated = [int(n) for n in re.findall(r"\d+", minutes)]
        assert stated[:len(parts)] == parts and stated[-1] == sum(parts), (lesson, parts, minutes)
        assert sum(parts) <= length, f"lesson {lesson} takes {sum(parts)} minutes, not {length}"
    assert seen == NUMBERS, "every notebook once, in order"


@pytest.mark.parametrize("length, title", [(45, "### The whole course in one 45-minute session"),
                                           (90, "### The whole course in one 90-minute session")])
def test_the_one_session_plans_fill_their_time(length, title):
    section = OVERVIEW[OVERVIEW.index(title):]
    section = section[:section.index("\n### ")]
    spans = [tuple(map(int, m)) for m in re.findall(r"^\| (\d+)-(\d+) \|", section, re.M)]
    assert spans[0][0] == 0 and spans[-1][1] == length
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:])), spans


def test_the_overview_maps_every_notebook_to_the_book():
    section = OVERVIEW[OVERVIEW.index("## The notebooks and the book"):]
    section = section[:section.index("\n## ")]
    rows = [line for line in section.splitlines() if re.match(r"\| \d\d \|", line)]
    assert [row[2:4] for row in rows] == NUMBERS
    for row in rows:
        chapters, sections = row.strip("|").split("|")[2:4]
        assert re.search(r"\b[1-6]\b", chapters), row
        assert re.search(r"\b[1-6]\.\d", sections), row


# --- the README -----------------------------------------------------------------------------------------

def test_the_readme_quick_start_names_only_what_it_imports():
    # the code is not run here (it trains for three epochs); every name it uses must be imported
    # or assigned before, and its imports must work
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = next(block for block in re.findall(r"```python\n(.*?)```", readme, re.S)
                if "load_mnist()" in block)
    tree = ast.parse(code)
    defined = set(dir(builtins))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            exec(compile(ast.Module([node], []), "README.md", "exec"), {})
            defined |= {alias.asname or alias.name.split(".")[0] for alias in node.names}
    for statement in tree.body:  # in order: a name must be defined before it is used
        used = {n.id for n in ast.walk(statement) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        assert used <= defined, f"the README's code uses {sorted(used - defined)} before defining it"
        defined |= {n.id for n in ast.walk(statement) if isinstance(n, ast.Name)
                    and isinstance(n.ctx, ast.Store)}
