"""The gradient-descent lab: gradient descent on a 2-D function (a round bowl or a long narrow
valley), redrawn as you move the sliders.

The logic is in plain functions that return numbers (:func:`gradient_descent_path`,
:func:`classify_path`, :func:`describe_path`, :func:`draw_path`); the widget only calls them.
"""
from __future__ import annotations

import math
from typing import Callable

import ipywidgets as widgets
import matplotlib
import numpy as np
from matplotlib.figure import Figure

from ..gradient import gradient_descent
from ..plots import OKABE_ITO, STYLE
from .shared import WIDE, show_figure


def bowl(x: np.ndarray) -> float | np.ndarray:
    """A round bowl, ``f(x, y) = x**2 + y**2``, minimum 0 at (0, 0).

    ``x``: a point ``(2,)`` (gives a number), or a grid ``(2, ...)`` of points (gives ``(...)``).
    """
    return x[0] ** 2 + x[1] ** 2


def valley(x: np.ndarray) -> float | np.ndarray:
    """A long narrow valley, ``f(x, y) = x**2 / 20 + y**2``: 20 times steeper across than along.

    ``x``: a point ``(2,)`` (gives a number), or a grid ``(2, ...)`` of points (gives ``(...)``).
    """
    return x[0] ** 2 / 20 + x[1] ** 2


#: The functions of the gradient-descent lab, by name; both have their minimum at (0, 0).
FUNCTIONS: dict[str, Callable[[np.ndarray], float]] = {"round bowl": bowl,
                                                       "long narrow valley": valley}

#: The part of the plane the gradient-descent lab shows: x from -10 to 10, y from -5 to 5.
EXTENT = (-10.0, 10.0, -5.0, 5.0)


def gradient_descent_path(f: Callable[[np.ndarray], float], start: tuple[float, float] | np.ndarray,
                          lr: float, steps: int) -> np.ndarray:
    """Every point gradient descent visits on ``f``: shape ``(steps + 1, 2)``, the start first.

    Uses :func:`mnist_lib.gradient_descent` (numerical gradients, as in notebook 06). A path that
    blows up holds huge numbers, then inf or nan, without warnings.
    """
    _, path = gradient_descent(f, np.asarray(start, dtype=np.float64), lr=lr, step_num=steps)
    return path


def classify_path(path: np.ndarray, minimum: np.ndarray | tuple | None = None,
                  tol: float = 1e-2) -> str:
    """How a gradient-descent path went: "diverged", "converged", "oscillated" or "crawled".

    Args:
        path: the points visited, shape ``(steps + 1,)`` or ``(steps + 1, d)``, the start first.
        minimum: where the function's minimum is (default: the origin).
        tol: "converged" means the last point is closer to the minimum than ``tol`` times the
            start's distance (by default: less than 1% of the way is left).

    In this order: "diverged" if the last point is not finite or is farther from the minimum than
    the start (by more than 1%); "converged" as above; "oscillated" if the path zig-zagged: it
    travelled more than twice as far as it got; otherwise "crawled" (it moved towards the
    minimum, too slowly to arrive in this many steps).
    """
    path = np.asarray(path, dtype=np.float64)
    path = path.reshape(len(path), -1)
    centre = np.zeros(path.shape[1]) if minimum is None else np.asarray(minimum, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        if not np.all(np.isfinite(path[-1])):
            return "diverged"
        start, end = (float(np.linalg.norm(p - centre)) for p in (path[0], path[-1]))
        if not math.isfinite(end) or end > 1.01 * start:
            return "diverged"
        if end <= tol * start:
            return "converged"
        travelled = float(np.sum(np.linalg.norm(np.diff(path, axis=0), axis=1)))
        progress = float(np.linalg.norm(path[-1] - path[0]))
    return "oscillated" if travelled > 2 * progress else "crawled"


def describe_path(path: np.ndarray, minimum: np.ndarray | tuple | None = None) -> str:
    """:func:`classify_path`'s verdict with the numbers behind it, e.g. "converged: ended 0.0021
    from the minimum (started 7.28 away)"."""
    path = np.asarray(path, dtype=np.float64).reshape(len(path), -1)
    centre = np.zeros(path.shape[1]) if minimum is None else np.asarray(minimum, dtype=np.float64)
    outcome = classify_path(path, centre)
    with np.errstate(over="ignore", invalid="ignore"):
        start, end = (float(np.linalg.norm(p - centre)) for p in (path[0], path[-1]))
    if not math.isfinite(end):
        return f"{outcome}: the steps grew until the numbers overflowed"
    return f"{outcome}: ended {end:.3g} from the minimum (started {start:.3g} away)"


def draw_path(f: Callable[[np.ndarray], float], path: np.ndarray, title: str) -> Figure:
    """A contour plot of ``f`` over :data:`EXTENT` with the path ``(steps + 1, 2)`` on it.

    ``f`` maps a point ``(2,)`` to a number (and, faster, a grid ``(2, H, W)`` to ``(H, W)``).
    """
    x0, x1, y0, y1 = EXTENT
    xs, ys = np.meshgrid(np.linspace(x0, x1, 201), np.linspace(y0, y1, 101))
    try:
        zs = np.asarray(f(np.stack([xs, ys])), dtype=np.float64)  # every point at once
    except (TypeError, ValueError):
        zs = None
    if zs is None or zs.shape != xs.shape:  # f takes one point at a time
        zs = np.vectorize(lambda a, b: float(f(np.array([a, b]))))(xs, ys)
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(10, 6.2), layout="constrained")
        ax = fig.subplots()
        levels = np.geomspace(max(zs.min(), 0.02), zs.max(), 12)
        contours = ax.contour(xs, ys, zs, levels=levels, colors="0.55", linewidths=1)
        ax.clabel(contours, levels[6::2], fontsize=11, fmt="%.2g")  # the inner rings are too tight
        with np.errstate(over="ignore", invalid="ignore"):
            shown = np.where(np.isfinite(path), np.clip(path, -1e6, 1e6), np.nan)
        ax.plot(shown[:, 0], shown[:, 1], "o-", color=OKABE_ITO[3], markersize=5, linewidth=2,
                label="path")
        ax.plot(*path[0], "o", color=OKABE_ITO[0], markersize=13, label="start")
        ax.plot(0, 0, "*", color="black", markersize=18, label="minimum")
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal")
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.set_title(title)
        ax.legend(loc="upper right", framealpha=0.9)
    return fig


# ---------------------------------------------------------------------------------------------
class GradientDescentLab(widgets.VBox):
    """The gradient-descent lab (see :func:`gradient_descent_lab`), a VBox whose parts are attributes.

    Controls: ``function`` (a Dropdown of :data:`FUNCTIONS`), ``lr`` (log slider), ``steps``,
    ``start_x``, ``start_y``. Results: ``path`` (``(steps + 1, 2)``), ``outcome`` (see
    :func:`classify_path`), ``title`` (the figure's title) and ``figure`` (an Output).
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
        self.outcome = ""
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

    def redraw(self) -> None:
        """Recompute the path for the current settings and redraw the figure."""
        f = FUNCTIONS[self.function.value]
        self.path = gradient_descent_path(f, (self.start_x.value, self.start_y.value),
                                          self.lr.value, self.steps.value)
        self.outcome = classify_path(self.path)
        self.title = (f"{self.function.value}, learning rate {self.lr.value:.3g}, "
                      f"{self.steps.value} steps\n{describe_path(self.path)}")
        show_figure(self.figure, draw_path(f, self.path, self.title), self.title)


def gradient_descent_lab() -> GradientDescentLab:
    """Gradient descent on a round bowl or a long narrow valley, redrawn as the sliders move.

    The figure's title says whether the path converged, crawled, oscillated or diverged
    (:func:`classify_path`).

    Returns:
        The lab, a :class:`GradientDescentLab` (an ``ipywidgets.VBox``): show it as a cell's last
        value; its controls, ``path``, ``outcome`` and ``title`` are attributes.
    """
    return GradientDescentLab()
