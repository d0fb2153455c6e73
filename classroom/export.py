"""The class's results for a gradebook: nbgrader's CSV and otter-grader's results JSON.

    python classroom/export.py --db /srv/classroom/progress.sqlite --out grades/
    python classroom/export.py --db ... --out grades/ --roster roster.txt   # also who sent nothing

It reads the progress service's SQLite file (on the hub's machine: nothing is sent anywhere) and
writes, for every notebook (an "assignment") and every student:

- ``grades/grades.csv``: the columns of nbgrader's CSV export (``nbgrader export``, its
  ``CsvExportPlugin``): assignment, duedate, timestamp, student_id, last_name, first_name, email,
  raw_score, late_submission_penalty, score, max_score. One row per assignment and student, a
  student with no result scoring 0, as nbgrader does. The score counts the notebook's exercises and
  exit-ticket questions passed; max_score is how many it has.
- ``grades/otter/<assignment>/<student>.json``: otter-grader's results file (what ``otter run``
  writes as results.json, in Gradescope's autograder format): ``{"tests": [...]}`` with one test
  per exercise, each with name, score, max_score, visibility and output.

Names and e-mail addresses stay empty: the hub knows students by their user name only, which is
the student_id. Due dates are empty too (the course has none).
"""
from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOTEBOOKS = HERE.parent / "notebooks"
#: nbgrader's CSV export columns, in its order (nbgrader.plugins.export.CsvExportPlugin).
NBGRADER_COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name",
                    "email", "raw_score", "late_submission_penalty", "score", "max_score"]


def catalogue() -> dict[tuple[str, str], str] | None:
    """Every exercise of the course, ``(notebook, id) -> title``, when mnist_lib is installed."""
    try:
        from mnist_lib.checks import EXERCISES
    except ImportError:
        return None
    return {key: exercise.title for key, exercise in EXERCISES.items()}


def assignment_name(notebook: str) -> str:
    """The notebook's file name without .ipynb ("04_three_layer_forward_pass"), as the assignment's
    name; "notebook04" when the notebooks are not beside this folder."""
    found = sorted(NOTEBOOKS.glob(f"{notebook}_*.ipynb"))
    return found[0].stem if found else f"notebook{notebook}"


def read(db: Path) -> list[dict]:
    if not db.is_file():
        raise SystemExit(f"--db: no such file: {db}")
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)  # read only: the service writes
    try:
        cursor = connection.execute("SELECT user, notebook, exercise, passed, tries, mistake, hint, "
                                    "last_at FROM results")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor]
    finally:
        connection.close()


def export(rows: list[dict], out: Path, roster: list[str] = (),
           exercises: dict[tuple[str, str], str] | None = None) -> tuple[Path, list[Path]]:
    """Write the CSV and the otter files into ``out``; returns their paths."""
    if exercises is None:
        exercises = {(r["notebook"], r["exercise"]): r["exercise"] for r in sorted(
            rows, key=lambda r: (r["notebook"], r["exercise"]))}
    by_notebook: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for (notebook, exercise), title in exercises.items():
        by_notebook[notebook].append((exercise, title))
    students = sorted(set(roster) | {r["user"] for r in rows})
    got = {(r["user"], r["notebook"], r["exercise"]): r for r in rows}
    out.mkdir(parents=True, exist_ok=True)
    csv_path, otter_paths = out / "grades.csv", []
    with open(csv_path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=NBGRADER_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for notebook in sorted(by_notebook):
            name = assignment_name(notebook)
            for student in students:
                mine = [got.get((student, notebook, ex)) for ex, _ in by_notebook[notebook]]
                score = float(sum(bool(r and r["passed"]) for r in mine))
                times = [r["last_at"] for r in mine if r and r["last_at"]]
                writer.writerow({"assignment": name, "duedate": "", "timestamp": max(times, default=""),
                                 "student_id": student, "last_name": "", "first_name": "",
                                 "email": "", "raw_score": score, "late_submission_penalty": 0.0,
                                 "score": score, "max_score": float(len(mine))})
                otter_paths.append(otter(out / "otter" / name / f"{student}.json",
                                         by_notebook[notebook], mine))
    return csv_path, otter_paths


def otter(path: Path, exercises: list[tuple[str, str]], results: list[dict | None]) -> Path:
    """One student's results for one notebook, as otter-grader's results JSON."""
    tests = []
    for (exercise, title), r in zip(exercises, results):
        if r is None:
            output = "not tried"
        elif r["passed"]:
            output = f"passed ({r['tries']} {'try' if r['tries'] == 1 else 'tries'})"
        else:
            output = f"not passed yet after {r['tries']} {'try' if r['tries'] == 1 else 'tries'}"
            if r["mistake"]:
                output += f"; last mistake {r['mistake']}" + (f": {r['hint']}" if r["hint"] else "")
        tests.append({"name": title, "score": 1.0 if r and r["passed"] else 0.0, "max_score": 1.0,
                      "visibility": "visible", "output": output})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"tests": tests}, indent=4), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True,
                        help="the progress service's SQLite file (CLASSROOM_STATE_DIR/progress.sqlite)")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write into")
    parser.add_argument("--roster", type=Path,
                        help="a file with one student name per line: they get rows even with no result")
    args = parser.parse_args(argv)
    roster = args.roster.read_text().split() if args.roster else []
    csv_path, otter_paths = export(read(args.db), args.out, roster, catalogue())
    print(f"wrote {csv_path} and {len(otter_paths)} otter-grader result files in {args.out / 'otter'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
