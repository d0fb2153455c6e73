"""The classroom material: slide metadata in every notebook, and a teacher's guide page per notebook.

- every cell has a slide type; the first cell is a slide, the recap is the last slide, the set-up
  code before the first section is skipped, no worked solution is shown, and no notebook has more
  than 40 slides and subslides;
- the notebooks are up to date with scripts/slides.py (running it would change nothing), and the
  script itself is idempotent and leaves outputs and execution counts alone;
- teaching/ has an overview and one page per notebook, and every exercise of a notebook (its "Try
  it" and "Exercise" headings, and the heading above each worked solution) is named in its page.
"""
from __future__ import annotations

import copy
import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
TEACHING = ROOT / "teaching"
SCRIPT = ROOT / "scripts" / "slides.py"
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
MAX_SLIDES = 40
HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
DETAILS = re.compile(r"<details>.*?</details>", re.S)


def slide_type(cell) -> str | None:
    return cell.metadata.get("slideshow", {}).get("slide_type")


def is_solution(cell) -> bool:
    return cell.cell_type == "markdown" and "<details>" in cell.source


def headings(source: str) -> list[tuple[int, str]]:
    """(level, text) of every markdown heading of a cell, outside fenced code blocks."""
    return [(len(m.group(1)), m.group(2).strip()) for line in FENCE.sub("", source).splitlines()
            if (m := HEADING.match(line))]


def exercise_name(heading: str) -> str:
    """ "3. Try it: NAND" -> "NAND"; "Exercise 2: batch shapes" -> "batch shapes"."""
    name = re.sub(r"^\d+\.\s*", "", heading)
    return re.sub(r"^(try it|exercise|question)\s*\d*\s*:?\s*", "", name, flags=re.I).strip()


EXERCISE = re.compile(r"^(\d+\.\s*)?(try it|exercise|question)\b", re.I)


def exercises(path: Path) -> list[str]:
    """The names of a notebook's exercises: its "Try it" / "Exercise" / "Question" headings, and
    the subsection heading (### or deeper) just above a worked solution, such as the two parts of
    one "Try it"."""
    names: list[str] = []
    last = None  # (level, text) of the last heading seen
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "markdown":
            continue
        source = cell.source
        if is_solution(cell):
            if last is not None and last[0] >= 3:
                names.append(exercise_name(last[1]))
            source = DETAILS.sub("", source)  # a heading after the solution opens the next one
        for level, heading in headings(source):
            last = (level, heading)
            if EXERCISE.match(heading):
                names.append(exercise_name(heading))
    return list(dict.fromkeys(name for name in names if name))


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


def load_script():
    spec = importlib.util.spec_from_file_location("slides", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_cell_has_a_slide_type(notebook):
    cells = nbformat.read(notebook, as_version=4).cells
    missing = [k for k, cell in enumerate(cells) if slide_type(cell) not in SLIDE_TYPES]
    assert not missing, (f"{notebook.name}: cells {missing} have no slide type; "
                         f"run python scripts/slides.py")


def test_slides_read_well(notebook):
    cells = nbformat.read(notebook, as_version=4).cells
    kinds = [slide_type(cell) for cell in cells]
    assert kinds[0] == "slide", f"{notebook.name}: the title cell must open the first slide"
    slides = sum(kind in ("slide", "subslide") for kind in kinds)
    assert slides <= MAX_SLIDES, f"{notebook.name}: {slides} slides and subslides, more than {MAX_SLIDES}"
    shown_solutions = [k for k, cell in enumerate(cells) if is_solution(cell) and kinds[k] != "skip"]
    assert not shown_solutions, f"{notebook.name}: worked solutions in cells {shown_solutions} are shown"
    # the recap is the last slide, but for the exit ticket right after it (the progress table,
    # which is the learner's own, is not shown)
    ticket = [k for k, cell in enumerate(cells) if "exit-ticket" in cell.metadata.get("tags", [])]
    before = ticket[0] if ticket else len(cells)
    last_slide = max(k for k, kind in enumerate(kinds[:before]) if kind == "slide")
    assert any(h.lower().startswith("recap") for _, h in headings(cells[last_slide].source)), \
        f"{notebook.name}: the last slide (cell {last_slide}) is not the recap"
    after = [k for k, kind in enumerate(kinds) if k >= before and kind in ("slide", "subslide")]
    assert after == ticket[:1], f"{notebook.name}: slides after the recap other than the exit ticket: {after}"
    first_section = next(k for k, cell in enumerate(cells) if cell.cell_type == "markdown"
                         and any(line.startswith("## ") for line in cell.source.splitlines()))
    shown_setup = [k for k, cell in enumerate(cells[:first_section])
                   if cell.cell_type == "code" and kinds[k] != "skip"]
    assert not shown_setup, f"{notebook.name}: set-up code cells {shown_setup} are shown as slides"


def test_notebooks_are_up_to_date_with_the_slide_script(notebooks, capsys):
    status = load_script().main(["--check"])
    report = capsys.readouterr().out
    assert status == 0, f"python scripts/slides.py would change the notebooks:\n{report}"
    assert len(report.splitlines()) == len(notebooks)


def test_the_slide_script_keeps_outputs_and_is_idempotent():
    slides = load_script()
    nb = nbformat.read(ROOT / "notebooks" / "04_three_layer_forward_pass.ipynb", as_version=4)
    for cell in nb.cells:  # start from a notebook without any slide metadata or notes
        cell.metadata.pop("slideshow", None)
    nb.cells = [cell for cell in nb.cells if not slides.is_note(cell)]
    before = copy.deepcopy(nb)
    slides.update(nb, "04")
    once = nbformat.writes(nb)
    slides.update(nb, "04")
    assert nbformat.writes(nb) == once, "a second run of the slide script changed the notebook"
    code = [(c.source, c.outputs, c.execution_count) for c in nb.cells if c.cell_type == "code"]
    assert code == [(c.source, c.outputs, c.execution_count) for c in before.cells
                    if c.cell_type == "code"], "the slide script changed code cells"
    notes = [cell for cell in nb.cells if slides.is_note(cell)]
    assert len(notes) == len(slides.NOTES["04"]) and all(slide_type(c) == "notes" for c in notes)
    assert [c.source for c in nb.cells if not slides.is_note(c)] == [c.source for c in before.cells]


def test_the_slide_script_gives_a_solution_a_cell_of_its_own():
    slides = load_script()
    solution = "<details>\n<summary>Solution</summary>\n\n```python\nx = 1\n```\n\n</details>"
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 99 Title"),
        nbformat.v4.new_markdown_cell("## 1. A section"),
        nbformat.v4.new_code_cell("x = 0"),
        nbformat.v4.new_markdown_cell(f"{solution}\n\n### Try it 2: the next one\n\nText."),
        nbformat.v4.new_markdown_cell("## Recap")])
    for k, cell in enumerate(nb.cells):
        cell.id = f"c{k}"
    slides.update(nb, "99")
    once = nbformat.writes(nb)
    slides.update(nb, "99")
    assert nbformat.writes(nb) == once
    assert [(c.id, slide_type(c)) for c in nb.cells] == [
        ("c0", "slide"), ("c1", "slide"), ("c2", "-"), ("c3", "skip"), ("c3-2", "subslide"),
        ("c4", "slide")]
    assert nb.cells[3].source == solution
    assert nb.cells[4].source == "### Try it 2: the next one\n\nText."


def test_the_slide_script_refuses_a_note_without_its_heading():
    slides = load_script()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title")])
    with pytest.raises(SystemExit, match="no heading contains"):
        slides.place_notes(nb, "04")


def test_the_guide_has_an_overview_and_a_page_per_notebook(notebooks):
    assert (TEACHING / "README.md").is_file()
    missing = [p.stem for p in notebooks if not (TEACHING / f"{p.stem}.md").is_file()]
    assert not missing, f"teaching/ has no page for {missing}"
    overview = (TEACHING / "README.md").read_text(encoding="utf-8")
    unlinked = [p.stem for p in notebooks if f"({p.stem}.md)" not in overview]
    assert not unlinked, f"teaching/README.md does not link the pages of {unlinked}"


def test_exercise_names_are_found():
    """The exercise finder sees the kinds of headings the notebooks use."""
    names = exercises(ROOT / "notebooks" / "01_perceptrons.ipynb")
    assert "NAND" in names and "find weights for OR" in names and "compose XOR" in names
    assert exercise_name("Exercise 2: batch shapes") == "batch shapes"
    assert exercise_name("Try it 1: Sigmoid backward") == "Sigmoid backward"


def test_every_exercise_is_in_the_guide(notebook):
    page = TEACHING / f"{notebook.stem}.md"
    if not page.is_file():
        pytest.fail(f"teaching/{page.name} is missing")
    text = normalise(page.read_text(encoding="utf-8"))
    missing = [name for name in exercises(notebook) if normalise(name) not in text]
    assert not missing, f"teaching/{page.name} does not name the exercises {missing}"
