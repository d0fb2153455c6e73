"""Every link in the notebooks, the README and the teacher's pages resolves in JupyterLab.

A relative link must name a file that exists, and its fragment, if any, must be the id JupyterLab 4
gives exactly one heading of the target (tests/jupyterlab_links.py says how it makes them; the
browser test tests/test_browser_links.py confirms it on every heading of the course). Links to other
sites are not followed: the course runs offline.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from jupyterlab_links import heading_id, heading_ids, is_external, links, needs_encoding, problem, render

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + [ROOT / "README.md"]
           + sorted((ROOT / "teaching").glob("*.md")))


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_resolves(source):
    broken = [p for link in links(source) if (p := problem(source, link))]
    assert not broken, "\n".join(broken)


def test_the_course_is_linked_together():
    relative = [link for source in SOURCES for link in links(source) if not is_external(link)]
    assert len(relative) >= 110
    assert sum("#" in link for link in relative) >= 2  # links into a notebook's sections


@pytest.mark.parametrize("markdown, expected", [
    ("# Title", ["Title"]),                                               # JupyterLab's own tests
    ("# test'\"></title><img>test {#'\"><img>}", ["test'\">test-{#'\">}"]),
    ("## 5. The gradient of a tiny network", ["5.-The-gradient-of-a-tiny-network"]),
    ("### Try it 2: a gradient with `numerical_gradient`", ["Try-it-2:-a-gradient-with-numerical_gradient"]),
    ("## 2. The shape of $-\\log y$, and *why*", ["2.-The-shape-of-,-and-why"]),
    ("```\n# not a heading\n```\n\nText\n\n## **Bold** [link](x.md)", ["Bold-link"]),
])
def test_heading_ids_as_jupyterlab_makes_them(markdown, expected):
    assert [heading_id(text) for text in render(markdown)[0]] == expected


def test_what_the_browser_would_encode_cannot_be_linked():
    assert not needs_encoding("7.-How-much-faster-is-backpropagation?")
    assert needs_encoding("Try-it:-σ") and needs_encoding('a"b') and needs_encoding("a b")


def test_a_link_that_does_not_resolve_is_reported(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# A page\n\n## Its section\n\n[a](page.md#Its-section) [b](missing.md) "
                    "[c](page.md#its-section) [d](#A-page) [e](https://example.org)\n")
    assert heading_ids(page) == ["A-page", "Its-section"]
    found = {link: problem(page, link) for link in links(page)}
    assert found["page.md#Its-section"] is None and found["#A-page"] is None
    assert found["https://example.org"] is None
    assert "no file" in found["missing.md"]
    assert "Its-section" in found["page.md#its-section"]  # case matters: the id is "Its-section"
