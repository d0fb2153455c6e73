"""Notebooks 04 and 09 as RISE slides in a real browser: JupyterLab, jupyterlab-rise, Debian's chromium, playwright.

The browser harness (tests/browser_support.py) serves copies of notebook 04 and of
notebooks/rise.css in a fresh JupyterLab and runs all cells, as a teacher would before class. The
test then starts the slideshow with RISE's command (``RISE:slideshow``, which opens the slides in
a new tab; alt+r opens the same slides beside the notebook). In the 1280x720 tab it checks that
reveal.js rendered one section per slide and subslide of the notebook's metadata, moves forward
through the first slides, runs a code cell in slide mode and sees its new output, checks that its
figure fits on the screen, and saves screenshots of the title slide and of that code slide under
tmp_path.

Notebook 09's labs are widgets, which the slide page cannot show (it has no widget manager): under
the learning-rate lab, 09 stores the lab's figure of the same runs. The second test opens 09's
slides at the lab's slide, moves down to that figure and checks that it is shown and fits the screen.

Without chromium (or playwright) the tests are skipped, except when the environment variable CI is
set: there they fail instead.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser_support import notebook_in_lab

pytestmark = pytest.mark.browser

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOK = NOTEBOOKS / "04_three_layer_forward_pass.ipynb"
LAB_NOTEBOOK = NOTEBOOKS / "09_learning_rate_lab.ipynb"
LAB_RUN_ALL_TIMEOUT = 600_000  # milliseconds: 09 trains a few dozen small networks (~1-2 min)
SCREEN = {"width": 1280, "height": 720}  # a common projector resolution
RUN_ALL_TIMEOUT = 180_000  # milliseconds: the notebook runs in ~15 s; leave room for a busy machine
CURRENT = ".reveal .slides > section.present > section.present"


def slide_plan(path: Path) -> list[dict]:
    """Per shown slide or subslide of a notebook, in order: the cells on it, as read from its metadata."""
    slides: list[dict] = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        kind = cell["metadata"].get("slideshow", {}).get("slide_type", "-")
        if kind in ("slide", "subslide"):
            slides.append({"kind": kind, "cells": []})
        if kind not in ("skip", "notes") and slides:
            slides[-1]["cells"].append(cell)
    return slides


def position(plan: list[dict], k: int) -> tuple[int, int]:
    """Where reveal.js puts the k-th slide or subslide: (horizontal, vertical), as in #/slide-h-v."""
    slide = max(j for j in range(k + 1) if plan[j]["kind"] == "slide")
    return sum(s["kind"] == "slide" for s in plan[:k + 1]) - 1, k - slide


def has_figure(cell: dict) -> bool:
    return any("image/png" in out.get("data", {}) for out in cell.get("outputs", []))


def test_notebook_04_as_slides(tmp_path):
    from playwright.sync_api import expect

    plan = slide_plan(NOTEBOOK)
    # The code slide to run: the first subslide whose only code cell draws a figure.
    code_slide = next(k for k, s in enumerate(plan) if s["kind"] == "subslide"
                      and [has_figure(c) for c in s["cells"] if c["cell_type"] == "code"] == [True])
    code_cells = sum(c["cell_type"] == "code" and c["source"] != [] for c in
                     json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"])

    # Before class: every cell run once, so that any cell can be run live in slide mode.
    with notebook_in_lab(NOTEBOOK, tmp_path, viewport=SCREEN, run_all_timeout=RUN_ALL_TIMEOUT,
                         also=[NOTEBOOKS / "rise.css"]) as lab_run:
        page, browser = lab_run.page, lab_run.browser
        assert page.evaluate("() => window.jupyterapp.commands.hasCommand('RISE:slideshow')"), \
            "jupyterlab-rise is not installed: JupyterLab has no RISE:slideshow command"
        # Run All resolves false when a cell raised: 04 has one that raises on purpose (tagged
        # raises-exception, so the run goes on). The live run's prompt, [code cells + 1], shows
        # below that every cell ran.
        assert lab_run.run_all.startswith("done"), f"{lab_run.run_all}; errors:\n{lab_run.errors()}"
        # The slideshow starts at the selected cell: select the first one.
        page.evaluate("() => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = 0; }")

        # Start the slideshow: RISE saves the notebook and opens the slides in a new tab.
        with browser.expect_page(timeout=30_000) as new_tab:
            page.evaluate("() => window.jupyterapp.commands.execute('RISE:slideshow')")
        slides = new_tab.value
        slides.set_viewport_size(SCREEN)
        expect(slides.locator(".reveal.ready")).to_have_count(1, timeout=60_000)

        # One reveal.js section per slide, one nested section per slide or subslide.
        expect(slides.locator(".reveal .slides > section")).to_have_count(
            sum(s["kind"] == "slide" for s in plan))
        expect(slides.locator(".reveal .slides > section > section")).to_have_count(len(plan))
        current = slides.locator(CURRENT)
        expect(current).to_have_count(1)
        expect(current.locator("h1")).to_contain_text("04 A three-layer network")
        expect(current.locator("h1")).to_be_in_viewport()
        title_shot = tmp_path / "slides_title.png"
        slides.screenshot(path=str(title_shot))

        # Forward, slide by slide (space goes down through subslides, then right).
        for k in range(1, code_slide + 1):
            slides.keyboard.press("Space")
            h, v = position(plan, k)
            expect(slides).to_have_url(re.compile(rf"#/slide-{h}-{v}$"), timeout=10_000)

        # Run the slide's code cell live: RISE selects the first code cell of a new slide; the
        # teacher clicks it and presses ctrl+enter (shift+enter would also move on).
        cell = current.locator(".jp-CodeCell")
        expect(cell).to_have_count(1)
        expect(cell).to_have_class(re.compile(r"\bjp-mod-active\b"))
        prompt = cell.locator(".jp-InputArea-prompt")
        stored_prompt = prompt.inner_text()
        cell.focus()
        slides.keyboard.press("Control+Enter")
        expect(prompt).to_have_text(f"[{code_cells + 1}]:", timeout=60_000)
        assert stored_prompt != f"[{code_cells + 1}]:"
        figure = cell.locator(".jp-OutputArea-output img")
        expect(figure).to_have_count(1)
        expect(cell.locator(".jp-OutputArea-output[data-mime-type="
                            "'application/vnd.jupyter.stderr']")).to_have_count(0)
        figure.scroll_into_view_if_needed()
        box = figure.bounding_box()
        assert box and box["width"] > 200, f"the figure is not shown: {box}"
        assert 0 <= box["x"] and box["x"] + box["width"] <= SCREEN["width"], \
            f"the figure is cut off at the sides at {SCREEN}: {box}"
        assert 0 <= box["y"] and box["y"] + box["height"] <= SCREEN["height"], \
            f"the figure does not fit on the screen at {SCREEN}: {box}"
        code_shot = tmp_path / "slides_code.png"
        slides.screenshot(path=str(code_shot))
        for shot in (title_shot, code_shot):
            print(f"screenshot: {shot}")
            assert shot.stat().st_size > 10_000


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def lab_slides(plan: list[dict]) -> tuple[int, int]:
    """Where 09's learning-rate lab is: the index of the slide whose code shows the widget, and of
    the slide or subslide under it (the same horizontal slide) whose code cell shows the lab's
    stored figure."""
    lab = next(k for k, s in enumerate(plan) if any(
        c["cell_type"] == "code" and "learning_rate_lab(" in source(c) for c in s["cells"]))
    figure = next(k for k in range(lab, len(plan)) if any(
        c["cell_type"] == "code" and "draw_lab_runs(" in source(c) and has_figure(c)
        for c in plan[k]["cells"]))
    assert all(plan[k]["kind"] == "subslide" for k in range(lab + 1, figure + 1)), \
        "the lab's figure must be on the lab's slide or a subslide under it"
    return lab, figure


def test_notebook_09_lab_slide_shows_the_labs_figure(tmp_path):
    from playwright.sync_api import expect

    plan = slide_plan(LAB_NOTEBOOK)
    lab, figure_slide = lab_slides(plan)
    with notebook_in_lab(LAB_NOTEBOOK, tmp_path, viewport=SCREEN, run_all_timeout=LAB_RUN_ALL_TIMEOUT,
                         also=[NOTEBOOKS / "rise.css"]) as lab_run:
        page, browser = lab_run.page, lab_run.browser
        assert lab_run.run_all.startswith("done"), f"{lab_run.run_all}; errors:\n{lab_run.errors()}"
        page.evaluate("() => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = 0; }")
        with browser.expect_page(timeout=30_000) as new_tab:
            page.evaluate("() => window.jupyterapp.commands.execute('RISE:slideshow')")
        slides = new_tab.value
        slides.set_viewport_size(SCREEN)
        expect(slides.locator(".reveal.ready")).to_have_count(1, timeout=60_000)
        expect(slides.locator(".reveal .slides > section > section")).to_have_count(len(plan))

        # To the lab's slide, then down to the figure under it, as a presenting teacher would.
        for k in range(1, figure_slide + 1):
            slides.keyboard.press("Space")
            h, v = position(plan, k)
            expect(slides).to_have_url(re.compile(rf"#/slide-{h}-{v}$"), timeout=10_000)
            if k == lab:
                # the widget itself is a line of text on a slide: the reason for the figure below
                expect(slides.locator(CURRENT)).to_contain_text("LearningRateLab(runs=")
        current = slides.locator(CURRENT)
        figure = current.locator(".jp-OutputArea-output img")
        expect(figure).to_have_count(1)
        figure.scroll_into_view_if_needed()
        box = figure.bounding_box()
        assert box and box["width"] > 400 and box["height"] > 200, f"the figure is not shown: {box}"
        assert 0 <= box["x"] and box["x"] + box["width"] <= SCREEN["width"], \
            f"the figure is cut off at the sides at {SCREEN}: {box}"
        assert box["height"] <= SCREEN["height"], f"the figure is taller than the screen: {box}"
        natural = figure.evaluate("img => img.naturalWidth")
        assert natural > 400, f"the figure's image did not load: natural width {natural}"
        shot = tmp_path / "slides_lab_figure.png"
        slides.screenshot(path=str(shot))
        print(f"screenshot: {shot}")
        assert shot.stat().st_size > 10_000
