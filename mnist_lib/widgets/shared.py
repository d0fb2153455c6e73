"""What the labs share: figures drawn with ``matplotlib.figure.Figure`` (no pyplot state) and shown
as PNG bytes, and the width of the controls' labels."""
from __future__ import annotations

import base64
import io

import ipywidgets as widgets
import matplotlib
from matplotlib.figure import Figure

from ..plots import STYLE

#: Room for the controls' descriptions ("hidden neurons", "training images").
WIDE = {"description_width": "130px"}


def figure_to_png(fig: Figure) -> str:
    """The figure as a base64-encoded PNG (what a notebook output's ``image/png`` holds)."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def show_figure(out: widgets.Output, fig: Figure, text: str) -> None:
    """Replace what ``out`` shows by ``fig`` (as a PNG), with ``text`` as its plain-text version.

    Assigning ``out.outputs`` works the same in JupyterLab, in a notebook run by nbclient or nbval,
    and in plain Python (a test): ``with out: display(fig)`` does not.
    """
    out.outputs = ({"output_type": "display_data",
                    "data": {"image/png": figure_to_png(fig), "text/plain": text},
                    "metadata": {}},)
