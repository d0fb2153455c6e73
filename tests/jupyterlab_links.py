"""Links and heading anchors as JupyterLab 4 resolves them, for the link tests.

JupyterLab renders a markdown cell (or a markdown file in its Markdown Preview) with ``marked``,
then gives every heading an id, ``data-jupyter-id``, made by ``createHeaderId`` in
``packages/rendermime/src/renderers.ts``: the heading's ``textContent`` with every space replaced
by ``-``. Case and punctuation are kept and inline markup (`code`, *emphasis*, links) is reduced
to its text. Math (``$...$``) is taken out before the markdown is parsed and typeset by MathJax
before the ids are made, and a typeset formula adds no text: the heading "2. The shape of
$-\\log y$, and ..." has the id ``2.-The-shape-of-,-and-...``. (tests/test_browser_links.py reads
the ids from a real JupyterLab and confirms these rules on every heading of the course.)
JupyterLab's own test (``packages/toc/test/markdown.spec.ts``, ``#getHeadingId``) gives two
examples: ``# Title`` has the id ``Title``, and ``# test'"></title><img>test {#'"><img>}`` has
``test'">test-{#'">}``.

A click on a link to ``other.ipynb#fragment`` opens the notebook and looks the fragment up as the
browser hands it over, ``a.hash``: the URL standard's fragment percent-encode set (controls,
space, ``"``, ``<``, ``>``, a backtick, and every non-ASCII character) comes percent-encoded, and
JupyterLab matches it against the ids as it is (``[data-jupyter-id="..."]``, after ``CSS.escape``).
A fragment with ``=`` is read as ``kind=value`` ("heading=...", "cell-id=..."). So a link resolves
when its fragment, as written, is an id of the target and needs no encoding.
"""
from __future__ import annotations

import re
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import mistune
import nbformat

# Math is taken out before parsing, as JupyterLab's removeMath does: $$...$$, then $...$.
MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$[^$\n]+?\$", re.S)
_MARKDOWN = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])


def _protect_math(source: str) -> tuple[str, list[str]]:
    found: list[str] = []

    def keep(match: re.Match) -> str:
        found.append(match.group(0))
        return f"@@{len(found) - 1}@@"
    return MATH.sub(keep, source), found


def _restore_math(text: str, found: list[str]) -> str:
    return re.sub(r"@@(\d+)@@", lambda m: found[int(m.group(1))], text)


class _Collector(HTMLParser):
    """The text of every h1-h6, and the href of every a and src of every img."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[str] = []
        self.links: list[str] = []
        self._in_heading = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._in_heading = True
            self.headings.append("")
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "img" and attrs.get("src"):
            self.links.append(attrs["src"])

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._in_heading = False

    def handle_data(self, data):
        if self._in_heading:
            self.headings[-1] += data


def render(source: str) -> tuple[list[str], list[str]]:
    """The headings' text (their textContent once the math is typeset) and the link targets of
    one markdown source."""
    protected, math = _protect_math(source)
    collector = _Collector()
    collector.feed(_MARKDOWN(protected))
    headings = [re.sub(r"@@\d+@@", "", text.strip()) for text in collector.headings]
    return headings, [_restore_math(link, math) for link in collector.links]


def heading_id(text: str) -> str:
    """JupyterLab's ``createHeaderId``: the heading's text, every space a dash."""
    return text.replace(" ", "-")


def markdown_sources(path: Path) -> list[str]:
    """The markdown of a file: each markdown cell of a notebook, or the whole file."""
    if path.suffix == ".ipynb":
        return [cell.source for cell in nbformat.read(path, as_version=4).cells
                if cell.cell_type == "markdown"]
    return [path.read_text(encoding="utf-8")]


def heading_ids(path: Path) -> list[str]:
    """The ids of every heading of a notebook or markdown file, in order."""
    return [heading_id(text) for source in markdown_sources(path) for text in render(source)[0]]


def links(path: Path) -> list[str]:
    """Every link target and image source of a notebook or markdown file."""
    return [link for source in markdown_sources(path) for link in render(source)[1]]


def needs_encoding(fragment: str) -> bool:
    """True when a browser would percent-encode something in this fragment (WHATWG URL standard,
    the fragment percent-encode set: C0 controls, space, ", <, >, ` and anything beyond ~)."""
    return any(ord(c) <= 0x20 or ord(c) > 0x7E or c in '"<>`' for c in fragment)


def is_external(target: str) -> bool:
    return bool(urllib.parse.urlsplit(target).scheme)


def problem(source: Path, target: str) -> str | None:
    """Why the link ``target`` written in ``source`` would not resolve in JupyterLab, or None."""
    if is_external(target):
        return None
    parts = urllib.parse.urlsplit(target)
    path = source if not parts.path else (source.parent / urllib.parse.unquote(parts.path)).resolve()
    if not path.exists():
        return f"{target}: no file {path}"
    if not parts.fragment:
        return None
    fragment = parts.fragment
    if needs_encoding(fragment) or "=" in fragment:
        return (f"{target}: JupyterLab cannot find #{fragment}: the browser would encode it, or "
                f"read it as kind=value; link to a heading without such characters")
    if path.suffix not in (".ipynb", ".md"):
        return f"{target}: a fragment on a file that is neither a notebook nor markdown"
    ids = heading_ids(path)
    if ids.count(fragment) != 1:
        close = [i for i in ids if i.lower() == fragment.lower() or fragment in i]
        return (f"{target}: {ids.count(fragment)} headings of {path.name} have the id "
                f"{fragment!r} (JupyterLab's ids there include {close or ids[:5]})")
    return None
