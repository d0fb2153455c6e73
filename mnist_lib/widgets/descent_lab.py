"""The gradient-descent lab: gradient descent on a 2-D function (a round bowl or a long narrow
valley), redrawn as you move the sliders.

The path and its verdict are plain functions of :mod:`mnist_lib.experiments`
(:func:`~mnist_lib.experiments.gradient_descent_path`,
:func:`~mnist_lib.experiments.descent_verdict`, exact for these quadratic functions) and the figure
is :func:`mnist_lib.plots.draw_descent`; the widget only calls them.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..experiments import FUNCTIONS, PathVerdict, descent_verdict, gradient_descent_path
from ..plots import draw_descent
from .shared import WIDE, show_figure

#: The part of the plane the gradient-descent lab shows: x from -10 to 10, y from -5 to 5.
EXTENT = (-10.0, 10.0, -5.0, 5.0)


class GradientDescentLab(widgets.VBox):
    """The gradient-descent lab (see :func:`gradient_descent_lab`), a VBox whose parts are attributes.

    Controls: ``function`` (a Dropdown of :data:`~mnist_lib.experiments.FUNCTIONS`), ``lr`` (log
    slider), ``steps``, ``start_x``, ``start_y``. Results: ``path`` (``(steps + 1, 2)``),
    ``verdict`` (a :class:`~mnist_lib.experiments.PathVerdict`), ``title`` (the figure's title)
    and ``figure`` (an Output).
    """

    def __init__(self) -> None:
        super().__init__()
        self.function = widgets.Dropdown(options=list(FUNCTIONS), value="round bowl",
                                         description="function", style=WIDE)
        self.lr = widgets.FloatLogSlider(value=0.1, base=10, min=-3, max=0.3, step=0.05,
                                         description="learning rate", readout_format=".3",
                                         style=WIDE, layout=widgets.Layout(width="420px"))
        self.steps = widgets.IntSlider(value=30, min=1, max=100, description="steps", style=WIDE,
                                       layout=widgets.Layout(width="420px"))
        self.start_x = widgets.FloatSlider(value=-7.0, min=-9.5, max=9.5, step=0.5,
                                           description="start x", style=WIDE,
                                           layout=widgets.Layout(width="420px"))
        self.start_y = widgets.FloatSlider(value=2.0, min=-4.5, max=4.5, step=0.5,
                                           description="start y", style=WIDE,
                                           layout=widgets.Layout(width="420px"))
        self.figure = widgets.Output()
        self.figure.add_class("gd-figure")
        self.path: np.ndarray = np.zeros((1, 2))
        self.verdict: PathVerdict | None = None
        self.title = ""
        for control in (self.function, self.lr, self.steps, self.start_x, self.start_y):
            control.observe(lambda _: self.redraw(), names="value")
        self.children = (
            widgets.HBox([widgets.VBox([self.function, self.lr, self.steps]),
                          widgets.VBox([self.start_x, self.start_y])]),
            self.figure,
        )
        self.add_class("gradient-descent-lab")
        self.redraw()

    def __repr__(self) -> str:
        return f"GradientDescentLab(function={self.function.value!r}, lr={self.lr.value:.3g}, steps={self.steps.value})"

    @property
    def outcome(self) -> str:
        """The verdict's word: "converged", "converged with a zig-zag", "crawled",
        "oscillates forever" or "diverged"."""
        return self.verdict.verdict

    def redraw(self) -> None:
        """Recompute the path and its verdict for the current settings and redraw the figure."""
        f = FUNCTIONS[self.function.value]
        start = (self.start_x.value, self.start_y.value)
        self.path = gradient_descent_path(f, start, self.lr.value, self.steps.value)
        self.verdict = descent_verdict(f, self.lr.value, self.steps.value, start)
        self.title = descent_title(self.function.value, self.lr.value, self.steps.value, self.verdict)
        show_figure(self.figure, draw_descent(f, self.path, self.title, EXTENT), self.title)


def descent_title(name: str, lr: float, steps: int, verdict: PathVerdict) -> str:
    """The lab's figure title: the settings, then the verdict (its word and the factor behind it)."""
    return f"{name}, learning rate {lr:.3g}, {steps} steps\n{verdict.short}"


def gradient_descent_lab() -> GradientDescentLab:
    """Gradient descent on a round bowl or a long narrow valley, redrawn as the sliders move.

    The figure's title gives the verdict, exact from the contraction factors
    (:func:`mnist_lib.experiments.descent_verdict`): converged, converged with a zig-zag, crawled,
    oscillates forever or diverged.

    Returns:
        The lab, a :class:`GradientDescentLab` (an ``ipywidgets.VBox``): show it as a cell's last
        value; its controls, ``path``, ``verdict`` and ``title`` are attributes.
    """
    return GradientDescentLab()
