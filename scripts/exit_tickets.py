"""Write every notebook's last cells: its exit ticket (from mnist_lib/checks/tickets.py) and its
progress table.

    python scripts/exit_tickets.py            # update notebooks/NN_*.ipynb whose ticket is declared
    python scripts/exit_tickets.py --check    # change nothing; exit 1 if a notebook is out of date

A notebook whose number has a ticket in ``mnist_lib.checks.tickets.TICKETS`` ends with four cells,
each found again by its tag:

1. ``exit-ticket`` (Markdown): the questions, with their choices;
2. ``exit-ticket`` (code): the learner's answers, all ``None`` to start with, and the check;
3. ``progress`` (Markdown): what the next cell shows;
4. ``progress`` (code): ``progress.show("NN")``, or the whole course's table in notebook 00. Its
   output is the learner's own, so nbval runs the cell without comparing it (``nbval-ignore-output``).

A cell whose text changed is written anew, without outputs: execute the notebook again afterwards
(``jupyter nbconvert --to notebook --execute --inplace``), then run ``python scripts/slides.py``.
Cells already right are left as they are, so a second run changes nothing.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
TICKET_TAG, PROGRESS_TAG = "exit-ticket", "progress"
IGNORE_OUTPUT = "nbval-ignore-output"


def progress_text(notebook: str) -> str:
    if notebook == "00":
        return ("## Your progress\n\n"
                "The cell below shows which exercises and exit-ticket questions of the whole "
                "course you have done (✓), tried (✗) or not started yet (·). Every check you run "
                "is kept on your computer (`mnist_lib.progress` says where), so run this cell "
                "again whenever you come back to see where you are.")
    return ("## Your progress\n\n"
            "Your exercises and exit-ticket questions in this notebook: done (✓), tried (✗) or "
            "not started yet (·), with the last hint for those you are still working on. "
            "`progress.show()` shows the whole course.")


def progress_code(notebook: str) -> str:
    call = "progress.show()" if notebook == "00" else f'progress.show("{notebook}")'
    return f"from mnist_lib import progress\n\n{call}"


def wanted(notebook: str) -> list[tuple[str, str, list[str]]]:
    """The last cells of a notebook: (cell type, source, tags)."""
    from mnist_lib.checks import tickets

    return [("markdown", tickets.markdown(notebook), [TICKET_TAG]),
            ("code", tickets.code(notebook), [TICKET_TAG]),
            ("markdown", progress_text(notebook), [PROGRESS_TAG]),
            ("code", progress_code(notebook), [PROGRESS_TAG, IGNORE_OUTPUT])]


def is_ours(cell) -> bool:
    tags = cell.metadata.get("tags", [])
    return TICKET_TAG in tags or PROGRESS_TAG in tags


def new_cell(kind: str, source: str, tags: list[str], notebook: str, k: int):
    cell = nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source)
    cell.id = f"{'exit-ticket' if TICKET_TAG in tags else 'progress'}-{notebook}-{k}"
    cell.metadata["tags"] = list(tags)
    return cell


def update(nb, notebook: str) -> bool:
    """Make the notebook end with its ticket and progress cells; True when something changed."""
    ours = [cell for cell in nb.cells if is_ours(cell)]
    rest = [cell for cell in nb.cells if not is_ours(cell)]
    changed = False
    cells = []
    for k, (kind, source, tags) in enumerate(wanted(notebook)):
        old = ours[k] if k < len(ours) else None
        if old is None or old.cell_type != kind or old.source != source:
            cells.append(new_cell(kind, source, tags, notebook, k + 1))
            continue
        others = [t for t in old.metadata.get("tags", [])
                  if t not in (TICKET_TAG, PROGRESS_TAG, IGNORE_OUTPUT)]
        if old.metadata.get("tags") != others + tags:
            old.metadata["tags"] = others + tags
            changed = True
        cells.append(old)
    new = rest + cells
    changed = changed or [id(c) for c in new] != [id(c) for c in nb.cells]
    nb.cells = new
    return changed


def notebooks() -> list[tuple[str, Path]]:
    from mnist_lib.checks.tickets import TICKETS

    found = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        if path.name[:2] in TICKETS:
            found.append((path.name[:2], path))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; fail if out of date")
    args = parser.parse_args(argv)
    failed = False
    for notebook, path in notebooks():
        nb = nbformat.read(path, as_version=4)
        if not update(nb, notebook):
            status = "up to date"
        elif args.check:
            status, failed = "out of date: run python scripts/exit_tickets.py", True
        else:
            nbformat.write(nb, path)
            status = "updated: execute it again, then run python scripts/slides.py"
        print(f"{path.name}: {status}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
