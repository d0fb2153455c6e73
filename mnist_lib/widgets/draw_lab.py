"""The draw-a-digit lab: draw with the mouse, and watch a network you trained read your digit.

The logic is in plain functions that return numbers: :func:`render_strokes` (mouse strokes to an
ink image), :func:`mnist_lib.preprocess.to_mnist` (that image prepared the way MNIST digits were),
:func:`read_digit` (the network's hidden activations and probabilities) and :func:`draw_reading`
(the figure). The widget (:func:`draw_digit_lab`, an ``ipycanvas`` canvas and two buttons) only
calls them, so a notebook can run the same pipeline on strokes written as lists of points.
"""
from __future__ import annotations

import html
import time
from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as widgets
import matplotlib
import numpy as np
from matplotlib.figure import Figure

from ..data import load_mnist
from ..functions import softmax
from ..layers import Relu, Sigmoid
from ..plots import STYLE, plot_activations, plot_probabilities
from ..preprocess import to_mnist
from .shared import show_figure

__all__ = ["CANVAS_SIZE", "PEN_WIDTH", "Reading", "render_strokes", "read_digit", "draw_reading",
           "DrawDigitLab", "draw_digit_lab"]

#: The canvas is CANVAS_SIZE x CANVAS_SIZE pixels: ten screen pixels per MNIST pixel.
CANVAS_SIZE = 280
#: The pen's width in canvas pixels: a digit drawn 200 pixels tall gets strokes about 2 MNIST pixels
#: wide after :func:`~mnist_lib.preprocess.to_mnist`, as thick as MNIST's.
PEN_WIDTH = 22.0

#: A stroke: the points ``(x, y)`` the pen passed through, in canvas pixels (x right, y down).
Stroke = Sequence[tuple[float, float]]


def _add_segment(ink: np.ndarray, start: tuple[float, float], end: tuple[float, float],
                 width: float) -> None:
    """Draw one segment of a round pen into ``ink (H, W)`` in place, anti-aliased.

    A pixel's ink is how much of it the pen covers, approximated from the distance between the
    pixel's centre and the segment: 1 well inside, 0 outside, a ramp over one pixel at the edge.
    """
    (x0, y0), (x1, y1) = start, end
    reach = width / 2 + 1
    h, w = ink.shape
    top, bottom = max(int(min(y0, y1) - reach), 0), min(int(max(y0, y1) + reach) + 1, h)
    left, right = max(int(min(x0, x1) - reach), 0), min(int(max(x0, x1) + reach) + 1, w)
    if top >= bottom or left >= right:
        return  # the segment is outside the canvas
    ys = np.arange(top, bottom)[:, None] + 0.5
    xs = np.arange(left, right)[None, :] + 0.5
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy
    along = 0.0 if length2 == 0 else np.clip(((xs - x0) * dx + (ys - y0) * dy) / length2, 0, 1)
    distance = np.hypot(xs - (x0 + along * dx), ys - (y0 + along * dy))
    cover = np.clip(width / 2 + 0.5 - distance, 0.0, 1.0)
    np.maximum(ink[top:bottom, left:right], cover, out=ink[top:bottom, left:right])


def render_strokes(strokes: Sequence[Stroke], size: int = CANVAS_SIZE,
                   width: float = PEN_WIDTH) -> np.ndarray:
    """The ink image of pen strokes: what the canvas shows, as numbers.

    Args:
        strokes: each stroke a sequence of points ``(x, y)`` in pixels (x to the right, y down, as
            on a screen), e.g. a "1" is ``[[(140, 40), (140, 240)]]``; a single point is a dot.
        size: the canvas is ``size x size`` pixels.
        width: the pen's width in pixels (its ends and joints are round).

    Returns:
        ``(size, size)`` float64 ink in [0, 1]: 0 where the pen never passed, 1 where it covered
        the whole pixel, grey at the edges.
    """
    if width <= 0:
        raise ValueError(f"width must be positive, got {width}")
    ink = np.zeros((size, size))
    for k, stroke in enumerate(strokes):
        points = np.asarray(stroke, dtype=float)
        if points.ndim != 2 or points.shape[1] != 2 or len(points) == 0:
            raise ValueError(f"stroke {k} must be a list of points (x, y), got shape {points.shape}")
        if len(points) == 1:
            points = np.repeat(points, 2, axis=0)
        for a, b in zip(points[:-1], points[1:]):
            _add_segment(ink, tuple(a), tuple(b), width)
    return ink


@dataclass
class Reading:
    """What a network made of one image: its input, its hidden layers and its probabilities.

    ``image``: ``(28, 28)``, the input it saw. ``hidden``: the activations of each hidden layer,
    ``(H,)`` each (one array for a ``TwoLayerNet``). ``probabilities``: ``(10,)``, the softmax of
    the output scores.
    """

    image: np.ndarray
    hidden: list[np.ndarray]
    probabilities: np.ndarray

    @property
    def prediction(self) -> int:
        """The digit with the highest probability."""
        return int(self.probabilities.argmax())

    @property
    def confidence(self) -> float:
        """The probability of the predicted digit."""
        return float(self.probabilities.max())


def read_digit(network, image: np.ndarray, preprocess: bool = True) -> Reading:
    """Run ``network`` on one picture of a digit, layer by layer, and keep what each layer made.

    Args:
        network: a trained :class:`~mnist_lib.TwoLayerNet` or :class:`~mnist_lib.MultiLayerNet`
            (anything with ``layers``, a list or a dict of Affine and activation layers in order).
        image: ``(H, W)`` ink, light on dark (a canvas's ink from :func:`render_strokes`, or an
            MNIST digit reshaped to ``(28, 28)``).
        preprocess: True prepares the image with :func:`~mnist_lib.preprocess.to_mnist` first; False
            gives it to the network as it is (it must then be ``(28, 28)``).
    """
    if not hasattr(network, "layers"):
        raise TypeError(f"network must be a trained TwoLayerNet or MultiLayerNet, got "
                        f"{type(network).__name__}")
    image = np.asarray(image)
    if preprocess:
        image = to_mnist(image)
    elif image.shape != (28, 28):
        raise ValueError(f"with preprocess=False the image must be (28, 28), got shape {image.shape}")
    x = image.reshape(1, 784).astype(np.float32)
    hidden = []
    # the layers in order, kept in a list or (as in the book) in a dict by name
    layers = network.layers.values() if isinstance(network.layers, dict) else network.layers
    for layer in layers:
        x = layer.forward(x)
        if isinstance(layer, (Relu, Sigmoid)):
            hidden.append(x[0].copy())
    return Reading(image=np.asarray(image, dtype=np.float32), hidden=hidden,
                   probabilities=softmax(x[0].astype(np.float64)))


def draw_reading(reading: Reading, label: int | None = None, title: str | None = None) -> Figure:
    """One figure of a :class:`Reading`: the 28x28 input, the ten probabilities, the first hidden layer.

    ``label``: the true digit, when known (a wrong reading is then drawn in vermillion).
    Drawn on a ``matplotlib.figure.Figure`` (no pyplot), so the lab can redraw it often.
    """
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(11, 3.3))
        fig.subplots_adjust(left=0.02, right=0.98, top=0.84, bottom=0.17, wspace=0.3)
        grid = fig.add_gridspec(1, 3, width_ratios=[1, 1.6, 1.2])
        ax_in, ax_p, ax_h = (fig.add_subplot(grid[0, k]) for k in range(3))
        ax_in.imshow(reading.image, cmap="gray_r", vmin=0, vmax=1)
        ax_in.set_xticks([])
        ax_in.set_yticks([])
        ax_in.grid(False)
        ax_in.set_title("what the network sees")
        plot_probabilities(reading.probabilities, label=label, ax=ax_p)
        if reading.hidden:
            plot_activations(reading.hidden[0], ax=ax_h)
        if title:
            fig.suptitle(title)
    return fig


# ---------------------------------------------------------------------------------------------
# The widget
# ---------------------------------------------------------------------------------------------

def _canvas_pixels(ink: np.ndarray) -> np.ndarray:
    """Ink ``(H, W)`` in [0, 1] as the canvas shows it: dark ink on white, ``(H, W, 3)`` uint8."""
    grey = np.round(255 * (1 - np.clip(ink, 0, 1))).astype(np.uint8)
    return np.repeat(grey[:, :, None], 3, axis=2)


class DrawDigitLab(widgets.VBox):
    """The draw-a-digit lab (see :func:`draw_digit_lab`), a VBox whose parts are attributes.

    Parts: ``canvas`` (an ``ipycanvas.Canvas``), ``clear_button``, ``example_button``,
    ``prediction`` (an HTML line: "reads 7 (98%)") and ``figure`` (an Output showing
    :func:`draw_reading` as a PNG). State: ``ink`` ``(size, size)``, ``strokes`` (the strokes drawn
    since the last Clear), ``reading`` (the last :class:`Reading`, None on a blank canvas),
    ``updates`` (how many times the reading was redrawn) and ``update_seconds`` (how long the last
    redraw took in Python: preparing, reading and drawing the figure).
    """

    def __init__(self, network, examples: np.ndarray | None = None, size: int = CANVAS_SIZE,
                 pen_width: float = PEN_WIDTH, seed: int = 0) -> None:
        from ipycanvas import Canvas  # imported here: the other labs work without ipycanvas

        super().__init__()
        if not hasattr(network, "layers"):
            raise TypeError(f"network must be a trained TwoLayerNet or MultiLayerNet, got "
                            f"{type(network).__name__}")
        self.network = network
        self.examples = examples if examples is not None else load_mnist()[1][0]
        if self.examples.ndim != 2 or self.examples.shape[1] != 784:
            raise ValueError(f"examples must be MNIST images (N, 784), got shape "
                             f"{self.examples.shape}")
        self.order = np.random.default_rng(seed).permutation(len(self.examples))
        self.size, self.pen_width = size, pen_width
        self.ink = np.zeros((size, size))
        self.strokes: list[list[tuple[float, float]]] = []
        self.reading: Reading | None = None
        self.updates, self.update_seconds = 0, 0.0
        self._examples_shown = 0
        self._stroke: list[tuple[float, float]] | None = None  # the stroke being drawn

        self.canvas = Canvas(width=size, height=size,
                             layout=widgets.Layout(width=f"{size}px", height=f"{size}px",
                                                   border="2px solid #888", flex="none"))
        self.canvas.add_class("draw-canvas")
        self.canvas.line_width = pen_width
        self.canvas.line_cap = "round"
        self.canvas.line_join = "round"
        self.canvas.stroke_style = "black"
        self.canvas.on_client_ready(self._repaint)
        self.canvas.on_mouse_down(self._pen_down)
        self.canvas.on_mouse_move(self._pen_move)
        self.canvas.on_mouse_up(self._pen_up)
        self.canvas.on_mouse_out(self._pen_up)

        self.clear_button = widgets.Button(description="Clear", icon="trash")
        self.clear_button.add_class("draw-clear")
        self.example_button = widgets.Button(description="Example digit", icon="image")
        self.example_button.add_class("draw-example")
        self.clear_button.on_click(lambda _: self.clear())
        self.example_button.on_click(lambda _: self.show_example())
        self.prediction = widgets.HTML(style={"font_size": "20px"})
        self.prediction.add_class("draw-prediction")
        self.figure = widgets.Output()
        self.figure.add_class("draw-figure")
        help_text = widgets.HTML("Draw one digit with the mouse, as large as you like, anywhere "
                                 "on the white square.")
        self.children = (
            help_text,
            widgets.HBox([self.canvas,
                          widgets.VBox([self.prediction,
                                        widgets.HBox([self.clear_button, self.example_button])],
                                       layout=widgets.Layout(padding="0 0 0 16px"))]),
            self.figure,
        )
        self.add_class("draw-digit-lab")
        self.update()

    def __repr__(self) -> str:
        read = "blank" if self.reading is None else f"reads {self.reading.prediction}"
        return f"DrawDigitLab(strokes={len(self.strokes)}, {read})"

    # What the buttons and the notebook call ------------------------------------------------

    def draw_stroke(self, points: Stroke) -> Reading | None:
        """Draw one stroke (points ``(x, y)`` in canvas pixels) as the mouse would, then read the digit."""
        points = [(float(x), float(y)) for x, y in points]
        if not points:
            raise ValueError("a stroke needs at least one point (x, y)")
        self._pen_down(*points[0])
        for x, y in points[1:]:
            self._pen_move(x, y)
        self._pen_up(*points[-1])
        return self.reading

    def clear(self) -> None:
        """Wipe the canvas."""
        self.ink[:] = 0
        self.strokes = []
        self._stroke = None
        self.canvas.clear()
        self.update()

    def show_example(self) -> Reading | None:
        """Put the next MNIST example digit on the canvas (enlarged ten times) and read it."""
        digit = self.examples[self.order[self._examples_shown % len(self.order)]].reshape(28, 28)
        self._examples_shown += 1
        scale = self.size // 28
        self.ink = np.zeros((self.size, self.size))
        big = np.kron(digit, np.ones((scale, scale)))
        self.ink[:big.shape[0], :big.shape[1]] = big
        self.strokes = []
        self._repaint()
        self.update()
        return self.reading

    def update(self) -> None:
        """Prepare the ink, read it with the network, and show the prediction, then the figure."""
        start = time.perf_counter()
        self.updates += 1
        if not self.ink.any():
            self.reading = None
            self.prediction.value = (f"<div class='draw-answer' data-updates='{self.updates}'>"
                                     f"Draw a digit.</div>")
            self.figure.outputs = ()
            self.update_seconds = time.perf_counter() - start
            return
        self.reading = read_digit(self.network, self.ink)
        r = self.reading
        self.prediction.value = (
            f"<div class='draw-answer' data-updates='{self.updates}'>The network reads "
            f"<b class='draw-digit' style='font-size:40px'>{r.prediction}</b> "
            f"({html.escape(f'{100 * r.confidence:.0f}%')} sure)</div>")
        show_figure(self.figure, draw_reading(r),
                    f"<Figure: reads {r.prediction}, {len(self.strokes)} strokes>")
        self.update_seconds = time.perf_counter() - start

    # The mouse -----------------------------------------------------------------------------

    def _pen_down(self, x: float, y: float) -> None:
        self._stroke = [(x, y)]
        _add_segment(self.ink, (x, y), (x, y), self.pen_width)
        self.canvas.stroke_line(x, y, x, y)

    def _pen_move(self, x: float, y: float) -> None:
        if self._stroke is None:
            return  # the mouse moves over the canvas without drawing
        last = self._stroke[-1]
        self._stroke.append((x, y))
        _add_segment(self.ink, last, (x, y), self.pen_width)
        self.canvas.stroke_line(*last, x, y)

    def _pen_up(self, x: float, y: float) -> None:
        if self._stroke is None:
            return
        self._pen_move(x, y)
        self.strokes.append(self._stroke)
        self._stroke = None
        self.update()

    def _repaint(self) -> None:
        """Show ``ink`` on the canvas (a browser that just connected gets a blank canvas)."""
        self.canvas.put_image_data(_canvas_pixels(self.ink), 0, 0)


def draw_digit_lab(network, examples: np.ndarray | None = None, seed: int = 0) -> DrawDigitLab:
    """Draw a digit with the mouse and watch ``network`` read it, live.

    After every stroke the lab prepares the drawing the way MNIST's digits were prepared
    (:func:`~mnist_lib.preprocess.to_mnist`), runs the network on it and shows the prediction,
    the 28x28 input the network saw, the ten probabilities and the hidden layer's activations.
    **Clear** wipes the canvas; **Example digit** puts an MNIST test digit on it.

    Args:
        network: a trained :class:`~mnist_lib.TwoLayerNet` (or ``MultiLayerNet``).
        examples: the images ``(N, 784)`` for Example digit; None uses MNIST's test images.
        seed: the order in which the examples come.

    Returns:
        The lab, a :class:`DrawDigitLab` (an ``ipywidgets.VBox``): show it as a cell's last value;
        ``lab.draw_stroke([(x, y), ...])`` draws from code.
    """
    return DrawDigitLab(network, examples=examples, seed=seed)
