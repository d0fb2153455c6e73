"""Give every notebook slide metadata for RISE (jupyterlab-rise) and the teacher's speaker notes.

    python scripts/slides.py            # update notebooks/[0-9][0-9]_*.ipynb, print slides per notebook
    python scripts/slides.py --check    # change nothing; exit 1 if a notebook is not up to date

Every cell gets ``metadata.slideshow.slide_type`` by these rules, in order:

1. the first cell (title and objectives) is a ``slide``;
2. a markdown cell holding a worked solution (``<details>``) is ``skip``ped: the class guesses first
   (a cell that also holds other text is first split, so that the solution has a cell of its own);
3. a speaker-note cell (tag ``teacher-note``, written by this script from ``NOTES``) is ``notes``;
   a cell of the learner's progress table (tag ``progress``, the notebook's last cells, written by
   scripts/exit_tickets.py) is ``skip``ped: it shows the learner's own results, not the class's;
4. a markdown cell with a ``## `` (or ``# ``) heading is a ``slide`` (the recap is one, and the last);
5. a markdown cell with a ``### `` heading is a ``subslide``;
6. a code cell before the first ``## `` heading (the set-up: imports, loading data), a code cell of
   imports only, and a code cell whose text output is longer than ``LONG_OUTPUT_LINES`` are ``skip``ped;
7. any other markdown cell that follows a shown code cell starts a ``subslide``: the next idea;
   so does a code cell that draws a figure right after another code cell, so that the figure
   gets the screen to itself;
8. everything else (a code cell with its output, a paragraph after a paragraph) is ``-``: it stays
   on the slide of the idea it belongs to.

Speaker notes: for each notebook, ``teaching/speaker_notes.toml`` lists (heading, prompt) pairs; a
prompt is one of the *Ask* prompts of the notebook's teacher's page (named there by a few of its
words, so the page holds the one copy) or a text of its own. It becomes a markdown cell of type
``notes`` right after the cell with that heading (RISE shows notes in its speaker view, key ``t``).
Notes cells are removed and written anew on every run, with fixed ids.

Each notebook's ``metadata.rise`` is set to ``{"scroll": true}``, so that a slide longer than the
screen scrolls instead of being cut off (``notebooks/rise.css`` keeps each figure within the
screen's height). The script only edits this metadata, cell metadata, notes cells and (by splitting) markdown
cells that mix a solution with other text: outputs and execution counts are never
touched, and a second run changes nothing. It refuses a notebook that would have more than
``MAX_SLIDES`` slides and subslides, and a note whose heading it cannot find.
"""
from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_GLOB = "notebooks/[0-9][0-9]_*.ipynb"
MAX_SLIDES = 40
LONG_OUTPUT_LINES = 25
NOTE_TAG = "teacher-note"
PROGRESS_TAG = "progress"
Node = nbformat.NotebookNode  # a notebook, or one of its cells
SHOWN = ("slide", "subslide", "-", "fragment")

TEACHING = ROOT / "teaching"
SPEAKER_NOTES = TEACHING / "speaker_notes.toml"
ASK = re.compile(r"\*Ask\b[^*]*\*")              # *Ask:* or *Ask (before running):*
NEW_ITEM = re.compile(r"\s*(\d+\.|[-*])\s")          # the start of a list item


def ask_prompts(page: str) -> list[str]:
    """Every *Ask* prompt of a teacher's page, from the marker to the end of its paragraph (or of
    its list item), on one line."""
    prompts, lines = [], page.splitlines()
    for k, line in enumerate(lines):
        found = ASK.search(line)
        if not found:
            continue
        words = [line[found.start():]]
        for following in lines[k + 1:]:
            if not following.strip() or NEW_ITEM.match(following) or ASK.search(following):
                break
            words.append(following)
        prompts.append(" ".join(" ".join(words).split()))
    return prompts


def load_notes() -> dict[str, list[tuple[str, str]]]:
    """Speaker notes: notebook number -> [(text found in a heading, what the teacher says or asks)],
    from teaching/speaker_notes.toml and the *Ask* prompts of the teacher's pages."""
    with open(SPEAKER_NOTES, "rb") as f:
        table = tomllib.load(f)
    notes: dict[str, list[tuple[str, str]]] = {}
    for number, entries in table.items():
        pages = list(TEACHING.glob(f"{number}_*.md"))
        prompts = ask_prompts(pages[0].read_text(encoding="utf-8")) if pages else []
        for entry in entries:
            if ("ask" in entry) == ("note" in entry):
                raise SystemExit(f"{SPEAKER_NOTES.name}, notebook {number}, heading "
                                 f"{entry['heading']!r}: give either `ask` or `note`")
            if "note" in entry:
                text = entry["note"]
            else:
                found = [p for p in prompts if entry["ask"] in p]
                if len(found) != 1:
                    raise SystemExit(f"{SPEAKER_NOTES.name}, notebook {number}: {len(found)} *Ask* "
                                     f"prompts of its page contain {entry['ask']!r}, not 1")
                text = found[0]
            notes.setdefault(number, []).append((entry["heading"], text))
    return notes


#: Speaker notes: notebook number -> [(text found in a heading, what the teacher says or asks)].
NOTES: dict[str, list[tuple[str, str]]] = load_notes()

HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def headings(source: str) -> list[tuple[int, str]]:
    """(level, text) of every markdown heading in a cell, outside fenced code blocks."""
    return [(len(m.group(1)), m.group(2).strip()) for line in FENCE.sub("", source).splitlines()
            if (m := HEADING.match(line))]


def heading_level(source: str) -> int:
    """The level of the cell's largest heading (1 for "# "), or 0 if it has none."""
    return min((level for level, _ in headings(source)), default=0)


def output_lines(cell: Node) -> int:
    """How many lines of text a code cell's outputs take."""
    lines = 0
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            lines += out.get("text", "").rstrip("\n").count("\n") + 1
        elif out.get("output_type") == "error":
            lines += len(out.get("traceback", []))
        elif "text/plain" in out.get("data", {}) and not set(out["data"]) & {"image/png", "text/html"}:
            lines += out["data"]["text/plain"].rstrip("\n").count("\n") + 1
    return lines


def has_figure(cell: Node) -> bool:
    """True when a code cell's outputs hold an image (a figure)."""
    return any("image/png" in out.get("data", {}) for out in cell.get("outputs", []))


def imports_only(source: str) -> bool:
    """True for code made only of import lines (and comments)."""
    code = [line for line in source.splitlines() if line.strip() and not line.strip().startswith("#")]
    return bool(code) and all(line.startswith(("import ", "from ")) for line in code)


def is_solution(cell: Node) -> bool:
    """A markdown cell holding a collapsed worked solution."""
    return cell.cell_type == "markdown" and "<details>" in cell.source


def is_note(cell: Node) -> bool:
    """A speaker-note cell written by this script."""
    return NOTE_TAG in cell.metadata.get("tags", [])


def note_cell(number: str, k: int, prompt: str) -> Node:
    """The k-th speaker note of notebook ``number``, with a fixed id so that reruns change nothing."""
    cell = nbformat.v4.new_markdown_cell(f"**Teacher:** {prompt}")
    cell.id = f"teacher-note-{number}-{k}"
    cell.metadata = {"slideshow": {"slide_type": "notes"}, "tags": [NOTE_TAG]}
    return cell


DETAILS = re.compile(r"<details>.*?</details>", re.S)


def split_solutions(nb: Node) -> None:
    """Give every worked solution a cell of its own, so that skipping it hides nothing else.

    A markdown cell holding a ``<details>`` block and other text (the next exercise's heading, say)
    becomes one cell per part, in order; the first part keeps the cell's id, the others get
    ``<id>-2``, ``<id>-3``. Cells that hold only a solution are left alone.
    """
    cells = []
    for cell in nb.cells:
        parts = []
        if cell.cell_type == "markdown" and "<details>" in cell.source:
            start = 0
            for match in DETAILS.finditer(cell.source):
                parts += [cell.source[start:match.start()], match.group(0)]
                start = match.end()
            parts = [part.strip("\n") for part in parts + [cell.source[start:]]]
            parts = [part for part in parts if part.strip()]
        if len(parts) < 2:
            cells.append(cell)
            continue
        for k, part in enumerate(parts, start=1):
            piece = nbformat.v4.new_markdown_cell(part)
            piece.id = cell.id if k == 1 else f"{cell.id}-{k}"[-64:]
            piece.metadata = {key: value for key, value in cell.metadata.items() if key != "slideshow"}
            cells.append(piece)
    nb.cells = cells


def place_notes(nb: Node, number: str) -> None:
    """Remove the old notes cells and insert this notebook's notes after their headings."""
    nb.cells = [cell for cell in nb.cells if not is_note(cell)]
    for k, (key, prompt) in reversed(list(enumerate(NOTES.get(number, []), start=1))):
        where = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown"
                 and not is_solution(cell)
                 and any(key.lower() in text.lower() for _, text in headings(cell.source))]
        if not where:
            raise SystemExit(f"notebook {number}: no heading contains {key!r}; edit "
                             f"{SPEAKER_NOTES.relative_to(ROOT)}")
        nb.cells.insert(where[0] + 1, note_cell(number, k, prompt))


def slide_types(cells: list[Node]) -> list[str]:
    """The slide type of every cell, by the rules in this module's docstring."""
    types: list[str] = []
    in_body = False        # a "## " heading has been seen: the set-up is over
    last_shown = None      # the cell type of the last cell shown on a slide
    for i, cell in enumerate(cells):
        level = heading_level(cell.source) if cell.cell_type == "markdown" else 0
        if i == 0:
            kind = "slide"
        elif is_solution(cell):
            kind = "skip"
        elif is_note(cell):
            kind = "notes"
        elif PROGRESS_TAG in cell.metadata.get("tags", []):
            kind = "skip"
        elif level and level <= 2:
            kind, in_body = "slide", True
        elif level == 3:
            kind = "subslide"
        elif cell.cell_type == "code":
            setup = not in_body or imports_only(cell.source)
            if setup or output_lines(cell) > LONG_OUTPUT_LINES:
                kind = "skip"
            else:
                kind = "subslide" if has_figure(cell) and last_shown == "code" else "-"
        elif last_shown == "code":
            kind = "subslide"
        else:
            kind = "-"
        if kind in SHOWN:
            last_shown = cell.cell_type
        types.append(kind)
    return types


def count_slides(nb: Node) -> int:
    """Slides and subslides a notebook shows (what reveal.js will render as sections)."""
    return sum(cell.metadata.get("slideshow", {}).get("slide_type") in ("slide", "subslide")
               for cell in nb.cells)


def update(nb: Node, number: str) -> None:
    """Notes, slide types and the rise settings of notebook ``number`` (e.g. "04"), in place."""
    split_solutions(nb)
    place_notes(nb, number)
    for cell, kind in zip(nb.cells, slide_types(nb.cells)):
        cell.metadata["slideshow"] = {"slide_type": kind}
    # Long slides scroll instead of being cut off at the bottom of the screen.
    nb.metadata["rise"] = {"scroll": True}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; fail if out of date")
    parser.add_argument("notebooks", nargs="*", type=Path, help=f"default: {NOTEBOOK_GLOB}")
    args = parser.parse_args(argv)
    failed = False
    for path in args.notebooks or sorted(ROOT.glob(NOTEBOOK_GLOB)):
        text = path.read_text(encoding="utf-8")
        nb = nbformat.reads(text, as_version=4)
        update(nb, path.name[:2])
        new_text = nbformat.writes(nb) + "\n"
        slides = count_slides(nb)
        if slides > MAX_SLIDES:
            status, failed = f"more than {MAX_SLIDES}: left as it was; merge sections", True
        elif new_text == text:
            status = "up to date"
        elif args.check:
            status, failed = "out of date: run python scripts/slides.py", True
        else:
            path.write_text(new_text, encoding="utf-8")
            status = "updated"
        print(f"{path.name}: {slides} slides ({status})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
