"""The learning-rate lab in a real browser: JupyterLab driven through Debian's chromium by playwright.

The browser harness (tests/browser_support.py) runs all cells of a copy of
notebooks/09_learning_rate_lab.ipynb in a fresh JupyterLab. The test then moves the learning-rate
slider with the keyboard, clicks Train, waits for the figure and the table to change, checks the
new run's row and saves a screenshot under tmp_path.

Without chromium (or playwright) the test is skipped, except when the environment variable CI is
set: a CI machine must run it, so there it fails instead.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import STDERR, notebook_in_lab

pytestmark = pytest.mark.browser

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "09_learning_rate_lab.ipynb"
RUN_ALL_TIMEOUT = 180_000  # milliseconds: the notebook takes ~30 s; leave room for a busy machine
TRAIN_TIMEOUT = 60_000     # milliseconds: a default Train click takes ~1-3 s


def test_learning_rate_lab_in_jupyterlab(tmp_path):
    from playwright.sync_api import expect

    with notebook_in_lab(NOTEBOOK, tmp_path, viewport={"width": 1400, "height": 1600},
                         run_all_timeout=RUN_ALL_TIMEOUT) as lab_run:
        page = lab_run.page
        assert lab_run.run_all == "done: true", \
            f"Run All ended with {lab_run.run_all!r}; errors:\n{lab_run.errors()}"
        expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(1)
        expect(page.locator(STDERR)).to_have_count(0)

        lab = page.locator(".learning-rate-lab")
        expect(lab).to_have_count(1)
        lab.scroll_into_view_if_needed()
        rows = lab.locator(".lab-table tr.lab-run")
        expect(rows).to_have_count(2)  # the notebook's two runs: lr 0.1 and lr 10
        figure = lab.locator(".lab-figure img")
        expect(figure).to_have_count(1)
        old_figure = figure.get_attribute("src")

        # Five steps of 0.1 in log10: from 0.1 to 10**-0.5 = 0.316.
        readout = lab.locator(".lab-lr .widget-readout")
        expect(readout).to_have_text("0.1")
        lab.locator(".lab-lr .noUi-handle").focus()
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        expect(readout).to_have_text("0.316")

        train = lab.locator("button.lab-train")
        expect(train).to_be_enabled()
        train.click()
        expect(rows).to_have_count(3, timeout=TRAIN_TIMEOUT)
        row = rows.nth(2)
        expect(row).to_have_attribute("data-run", "3")
        expect(row.locator("td").nth(1)).to_have_text("0.316")  # the learning rate
        expect(row.locator("td").nth(2)).to_have_text("SGD")  # the optimiser
        expect(row.locator("td").nth(10)).to_have_text(re.compile(r"^\d{1,3}\.\d%$"))  # validation accuracy
        expect(row.locator("td").last).to_have_text("trained")
        expect(figure).not_to_have_attribute("src", old_figure)
        expect(lab.locator(".lab-status")).to_contain_text("Run 3: trained")
        expect(train).to_be_enabled()

        shot = tmp_path / "learning_rate_lab.png"
        lab.screenshot(path=str(shot))
        print(f"screenshot of the learning-rate lab: {shot}")
        assert shot.stat().st_size > 10_000

        gd_lab = page.locator(".gradient-descent-lab")
        expect(gd_lab.locator(".gd-figure img")).to_have_count(1)
        gd_lab.screenshot(path=str(tmp_path / "gradient_descent_lab.png"))
        print(f"screenshot of the gradient-descent lab: {tmp_path / 'gradient_descent_lab.png'}")
