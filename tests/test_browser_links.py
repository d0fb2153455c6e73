"""Heading anchors in a real JupyterLab: the ids it gives agree with tests/jupyterlab_links.py.

The link test (tests/test_links.py) checks every link against heading ids computed in Python, as
JupyterLab 4 makes them. This test asks JupyterLab itself: it serves every notebook from a fresh
JupyterLab (tests/browser_support.py) with the notebook's windowing off, so that every markdown
cell is rendered, opens each one in Debian's chromium and reads the ``data-jupyter-id`` of its
headings; they must be the ids computed in Python, in the same order. Then it clicks notebook 07's
link to a section of notebook 06 and checks that 06 opens with that heading on the screen.

Without chromium (or playwright) the test is skipped, except when the environment variable CI is
set: there it fails instead.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from browser_support import CHROMIUM, LabServer, launch_chromium, open_notebook, unavailable
from jupyterlab_links import heading_ids

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LINK_FROM = "07_backpropagation.ipynb"
LINK = "06_numerical_gradients.ipynb#5.-The-gradient-of-a-tiny-network"
LINK_TEXT = "notebook 06's tiny network"  # the link's words in 07
CURRENT = "(window.jupyterapp && window.jupyterapp.shell.currentWidget?.context?.path)"
HEADINGS = """() => Array.from(window.jupyterapp.shell.currentWidget.node.querySelectorAll(
    '.jp-MarkdownOutput :is(h1, h2, h3, h4, h5, h6)')).map(h => h.getAttribute('data-jupyter-id'))"""


def test_jupyterlab_gives_the_heading_ids_the_link_test_expects(tmp_path):
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Python package playwright is not installed")
    root, home = tmp_path / "notebooks", tmp_path / "jupyter"
    root.mkdir()
    for notebook in NOTEBOOKS:
        shutil.copy(notebook, root / notebook.name)
    # every cell rendered at once, not only those scrolled into view
    settings = home / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    server = LabServer(root, home)
    try:
        server.wait_until_ready()
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright, tmp_path / "chromium-profile",
                                      {"width": 1280, "height": 720})
            try:
                page = browser.pages[0] if browser.pages else browser.new_page()
                for notebook in NOTEBOOKS:
                    expected = heading_ids(notebook)
                    # the headings only: no need to wait for the notebook's kernel
                    page.goto(f"{server.url}/lab/tree/{notebook.name}?token={server.token}")
                    page.wait_for_function(f"() => {CURRENT} === '{notebook.name}' && "
                                           f"({HEADINGS})().length >= {len(expected)}",
                                           timeout=60_000)
                    assert page.evaluate(HEADINGS) == expected, notebook.name

                page = open_notebook(browser, server, LINK_FROM)
                page.locator("a", has_text=LINK_TEXT).first.click()
                page.wait_for_function(f"() => {CURRENT} === '{LINK.split('#')[0]}'",
                                       timeout=30_000)
                heading = page.locator(f'[data-jupyter-id="{LINK.split("#")[1]}"]').first
                heading.wait_for(timeout=30_000)
                page.wait_for_function(
                    """(id) => { const h = document.querySelector(`[data-jupyter-id="${id}"]`);
                                  const box = h && h.getBoundingClientRect();
                                  return !!box && box.top >= 0 && box.bottom <= window.innerHeight; }""",
                    arg=LINK.split("#")[1], timeout=30_000)
            finally:
                browser.close()
    finally:
        server.stop()
