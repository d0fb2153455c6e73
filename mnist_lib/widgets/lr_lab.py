"""The learning-rate lab: train a small network on real MNIST with the settings of your choice and
watch it train, crawl, stall or blow up; every run is added to one figure and one table.

The logic is in plain functions that return numbers (:func:`run_lr_experiment`,
:func:`classify_run`, :func:`describe_run`, :func:`draw_runs`); the widget only calls them.
"""
from __future__ import annotations

import html
import math
import time
from dataclasses import dataclass
from typing import Callable

import ipywidgets as widgets
import matplotlib
import numpy as np
from matplotlib.figure import Figure

from .. import validate
from ..data import load_mnist, split_validation
from ..networks import MultiLayerNet
from ..plots import STYLE, draw_runs_on, run_style
from ..training import History, train
from .shared import WIDE, show_figure

#: ``((x_train, t_train), (x_test, t_test))`` as returned by :func:`mnist_lib.load_mnist`.
MnistData = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

#: The fewest training images a run may use: ten of each digit on average.
MIN_TRAIN_SIZE = 100
#: "trained": the loss at the end is at most this fraction of the first one...
TRAINED_FRACTION = 0.5
#: ...and the validation accuracy at least this (a network that only learned its few training
#: images by heart has a small loss and a poor validation accuracy).
TRAINED_ACCURACY = 0.5
#: "stalled" (too large) when the loss overshoots: the average of 3 iterations in a row above
#: this many times the first loss (a step that lands higher up than it started)...
OVERSHOOT_FACTOR = 1.5
#: ...or when the smoothed loss climbs back up, above its lowest so far, by this fraction of the
#: first loss (it jumps about instead of falling). A run that does neither only "crawled".
CLIMB_FRACTION = 0.1
#: The smoothed loss averages the batch losses of about this many images, so that its noise is
#: the same for every batch size (10 iterations of batch 100, 100 iterations of batch 10).
SMOOTHING_IMAGES = 1000


def run_lr_experiment(lr: float, *, batch_size: int = 100, hidden_size: int = 50,
                      epochs: int = 3, activation: str = "relu", train_size: int = 10_000,
                      seed: int = 0, data: MnistData | None = None, evaluations: int = 6,
                      callback: Callable[[History], None] | None = None) -> History:
    """Train a ``784-hidden-10`` network on MNIST with learning rate ``lr`` and return its History.

    The last 10,000 training images are set aside as a validation set
    (:func:`~mnist_lib.data.split_validation`); the network trains on the first ``train_size`` of
    the other 50,000 and its accuracy is measured on the validation images. The test images are
    not used: they are for the one final report, once the settings are chosen.

    Args:
        lr: the learning rate of plain mini-batch SGD, a number > 0.
        batch_size: images per update.
        hidden_size: neurons in the hidden layer.
        epochs: passes over the training images (``epochs * ceil(train_size / batch_size)``
            iterations in all).
        activation: "relu" (He initial weights) or "sigmoid" (Xavier initial weights).
        train_size: train on the first ``train_size`` of the 50,000 training images (at least
            100); the default 10,000 keeps a run to a second or two.
        seed: seeds the initial weights and the order of the batches (same seed, same run).
        data: ``((x_train (N, 784), t_train (N,)), (x_test (M, 784), t_test (M,)))``;
            None loads MNIST (~0.1 s once cached).
        evaluations: about how many times the validation accuracy is measured during the run.
        callback: called as ``callback(history)`` after every iteration (for live plots).

    Returns:
        The :class:`~mnist_lib.training.History`: ``loss`` per iteration, ``val_acc`` at
        ``eval_iterations``; a run that blows up stops early with ``diverged``, ``diverged_at``
        and a plain-words ``reason``.
    """
    batch_size = validate.positive_int(batch_size, "batch_size")
    hidden_size = validate.positive_int(hidden_size, "hidden_size")
    epochs = validate.positive_int(epochs, "epochs")
    train_size = validate.positive_int(train_size, "train_size")
    evaluations = validate.positive_int(evaluations, "evaluations")
    if activation not in ("relu", "sigmoid"):
        raise ValueError(f'activation must be "relu" or "sigmoid", got {activation!r}')
    (x_all, t_all), _ = data if data is not None else load_mnist()
    (x_train, t_train), val = split_validation(x_all, t_all)
    if not MIN_TRAIN_SIZE <= train_size <= len(x_train):
        raise ValueError(f"train_size must be between {MIN_TRAIN_SIZE} (ten images of each digit) "
                         f"and {len(x_train)} (all training images but the validation set), "
                         f"got {train_size}")
    network = MultiLayerNet(x_train.shape[1], [hidden_size], 10, activation=activation,
                            weight_init_std="he" if activation == "relu" else "xavier", seed=seed)
    iterations = epochs * math.ceil(train_size / batch_size)
    return train(network, (x_train[:train_size], t_train[:train_size]), val_data=val, lr=lr,
                 batch_size=batch_size, epochs=epochs, eval_every=math.ceil(iterations / evaluations),
                 seed=seed, callback=callback)


def _final_loss(history: History) -> float:
    """The mean loss over the last tenth of the iterations (one mini-batch is too noisy)."""
    k = max(1, len(history.loss) // 10)
    return float(np.mean(history.loss[-k:]))


def _moving_average(loss: list[float], window: int) -> np.ndarray:
    """Means of ``window`` losses in a row (``len(loss) - window + 1`` of them)."""
    window = max(1, min(window, len(loss)))
    return np.convolve(loss, np.ones(window) / window, mode="valid")


def loss_signals(history: History) -> dict[str, float]:
    """The measurements behind :func:`classify_run`, each relative to the first batch's loss.

    - ``final``: the mean loss over the last tenth of the run, as a fraction of the first loss.
    - ``overshoot``: the highest average of 3 iterations in a row, in multiples of the first loss
      (above 1: some steps landed higher up than the network started).
    - ``climb``: how far the smoothed loss (averaged over about 1000 images) climbed back up above
      its lowest value so far, as a fraction of the first loss (0 for a loss that only falls).
    """
    loss = np.asarray(history.loss, dtype=float)
    first = float(loss[0])
    smooth = _moving_average(history.loss, min(math.ceil(SMOOTHING_IMAGES / history.batch_size),
                                               max(1, len(loss) // 5)))
    return {"final": _final_loss(history) / first,
            "overshoot": float(_moving_average(history.loss, 3).max()) / first,
            "climb": float(np.max(smooth - np.minimum.accumulate(smooth))) / first}


def classify_run(history: History) -> str:
    """How a training run went: "diverged", "trained", "stalled" or "crawled".

    - "diverged": the loss blew up and the run was stopped (see :func:`~mnist_lib.training.train`).
    - "trained": the loss fell to at most half its first value (averaged over the last tenth of
      the run) and the validation accuracy, when measured, is at least 50%.
    - "stalled": the learning rate is too large: the loss overshot (3 iterations in a row average
      over 1.5 times the first loss) or jumped about (smoothed, it climbed back up by a tenth of
      the first loss), and it ended high.
    - "crawled": the learning rate is too small: the loss fell steadily, never overshooting nor
      climbing back, but too slowly to halve.

    At the lab's default settings, learning rates well inside each range (such as 0.001, 0.1, 3
    and 10) give signals far from these thresholds (see :func:`loss_signals`), so their verdicts
    are the same on every machine; a run near an edge (such as 1.4) may go either way.
    """
    if history.diverged:
        return "diverged"
    signals = loss_signals(history)
    accurate = not history.val_acc or history.val_acc[-1] >= TRAINED_ACCURACY
    if signals["final"] <= TRAINED_FRACTION and accurate:
        return "trained"
    if signals["overshoot"] > OVERSHOOT_FACTOR or signals["climb"] > CLIMB_FRACTION:
        return "stalled"
    return "crawled"


def describe_run(history: History) -> str:
    """One plain sentence about a run and what to try next.

    For example "trained: the loss fell from 2.38 to 0.35 in 300 iterations, validation accuracy
    90.9%".
    """
    outcome = classify_run(history)
    if outcome == "diverged":
        return history.reason or f"diverged at iteration {history.diverged_at}"
    n = len(history.loss)
    first, final = history.loss[0], _final_loss(history)
    accuracy = (f"validation accuracy {100 * history.val_acc[-1]:.1f}%" if history.val_acc
                else "no validation accuracy")
    if outcome == "trained":
        return f"trained: the loss fell from {first:.2f} to {final:.2f} in {n} iterations, {accuracy}"
    if outcome == "stalled":
        signals = loss_signals(history)
        how = (f"the first steps overshot (the loss rose from {first:.2f} to about "
               f"{first * signals['overshoot']:.2g}) and it stayed high"
               if signals["overshoot"] > OVERSHOOT_FACTOR else
               f"the loss jumped about instead of falling steadily (from {first:.2f})")
        return (f"stalled: {how}, ending at {final:.2f} ({accuracy}): the learning rate "
                f"{history.lr:.3g} is too large, try a smaller one")
    return (f"crawled: the loss fell slowly and steadily, from {first:.2f} to {final:.2f} in {n} "
            f"iterations ({accuracy}): the learning rate {history.lr:.3g} is too small for this "
            f"many iterations, try a larger one or more epochs")


def run_label(number: int, lr: float, batch_size: int, hidden_size: int, epochs: int,
              activation: str, train_size: int) -> str:
    """A short legend label, e.g. "#1 lr 0.1, batch 100, 50 ReLU, 3 ep"."""
    act = "ReLU" if activation == "relu" else activation
    size = "" if train_size == 10_000 else f", {train_size} images"
    return f"#{number} lr {lr:.3g}, batch {batch_size}, {hidden_size} {act}, {epochs} ep{size}"


@dataclass
class LabRun:
    """One Train click of the learning-rate lab: its settings and its History."""

    number: int
    lr: float
    batch_size: int
    hidden_size: int
    epochs: int
    activation: str
    train_size: int
    seed: int
    history: History

    @property
    def label(self) -> str:
        """A short legend label, e.g. "#1 lr 0.1, batch 100, 50 ReLU, 3 ep"."""
        return run_label(self.number, self.lr, self.batch_size, self.hidden_size, self.epochs,
                         self.activation, self.train_size)

    @property
    def outcome(self) -> str:
        """ "trained", "crawled", "stalled" or "diverged" (see :func:`classify_run`)."""
        return classify_run(self.history)

    @property
    def message(self) -> str:
        """What happened, in plain words (see :func:`describe_run`)."""
        return describe_run(self.history)

    @property
    def val_accuracy(self) -> float | None:
        """The last measured validation accuracy, or None (a run that blew up before any evaluation)."""
        return self.history.val_acc[-1] if self.history.val_acc else None


def draw_runs(runs: list[LabRun], training: tuple[str, History] | None = None) -> Figure:
    """The lab's figure: loss per iteration (log scale) and validation accuracy of every run.

    Args:
        runs: finished runs, drawn in order, each labelled with its settings.
        training: ``(label, history)`` of a run still training, drawn last (live updates).

    Drawn by :func:`mnist_lib.plots.draw_runs_on`: each batch's loss thin, its average over 10
    iterations thick, a diverged run marked with an x where it blew up.
    """
    curves = [(r.label, r.history) for r in runs] + ([training] if training else [])
    rows = math.ceil(len(curves) / 2)
    with matplotlib.rc_context(STYLE):
        height = 4.9 + 0.33 * rows  # fixed margins: a constrained layout takes longer to draw
        fig = Figure(figsize=(12, height))
        fig.subplots_adjust(left=0.075, right=0.985, top=1 - 0.45 / height,
                            bottom=(0.78 + 0.33 * rows) / height, wspace=0.22)
        ax_loss, ax_acc = fig.subplots(1, 2)
        draw_runs_on(ax_loss, ax_acc, curves, smooth=10, every_batch=True,
                     accuracy_against="iteration")
        ax_loss.set_title("loss (thin: each batch, thick: average of 10)")
        for k, (_, history) in enumerate(curves):
            ax_acc.plot(history.eval_iterations, history.val_acc, "o", color=run_style(k)["color"])
        ax_acc.set_xlim(ax_loss.get_xlim())
        ax_acc.set_ylabel("validation accuracy")
        ax_acc.set_title("validation accuracy")
        if curves:
            fig.legend(*ax_loss.get_legend_handles_labels(), loc="lower center",
                       bbox_to_anchor=(0.5, 0.0), ncols=2, frameon=False)
        else:
            for ax in (ax_loss, ax_acc):
                ax.text(0.5, 0.5, "press Train to add a run", transform=ax.transAxes,
                        ha="center", va="center", color="0.4")
    return fig


# ---------------------------------------------------------------------------------------------
# The widget
# ---------------------------------------------------------------------------------------------

_CELL = "padding:2px 10px;text-align:right"


class LearningRateLab(widgets.VBox):
    """The learning-rate lab (see :func:`learning_rate_lab`), a VBox whose parts are attributes.

    Controls: ``lr`` (log slider), ``batch_size``, ``hidden_size``, ``epochs``, ``activation``,
    ``train_size``, ``seed``; buttons ``train_button`` and ``clear_button``.
    Results: ``runs`` (a list of :class:`LabRun`), ``figure`` (an Output showing the figure as a
    PNG), ``table`` (an HTML table of the runs), ``status`` (what the last run did, in words),
    ``progress`` (an IntProgress bar).

    Args:
        data: MNIST as returned by :func:`mnist_lib.load_mnist`; None loads it (once per lab).
        redraw_every: seconds between live redraws while a run trains (at least twice as long as
            one redraw takes, so that drawing never slows training much); 0 redraws after every
            iteration.
    """

    def __init__(self, data: MnistData | None = None, redraw_every: float = 0.4) -> None:
        super().__init__()
        self.data: MnistData = data if data is not None else load_mnist()
        self.redraw_every = redraw_every
        self.runs: list[LabRun] = []
        n_train = len(split_validation(*self.data[0])[0][0])  # the validation images are not offered

        self.lr = widgets.FloatLogSlider(value=0.1, base=10, min=-3, max=1, step=0.1,
                                         description="learning rate", readout_format=".3",
                                         continuous_update=False, style=WIDE,
                                         layout=widgets.Layout(width="420px"))
        self.lr.add_class("lab-lr")
        self.batch_size = widgets.Dropdown(options=[10, 20, 50, 100, 200, 500, 1000], value=100,
                                           description="batch size", style=WIDE)
        self.hidden_size = widgets.Dropdown(options=[10, 20, 50, 100, 200], value=50,
                                            description="hidden neurons", style=WIDE)
        self.epochs = widgets.IntSlider(value=3, min=1, max=10, description="epochs",
                                        continuous_update=False, style=WIDE,
                                        layout=widgets.Layout(width="420px"))
        self.activation = widgets.Dropdown(options=[("ReLU", "relu"), ("sigmoid", "sigmoid")],
                                           value="relu", description="activation", style=WIDE)
        sizes = sorted({s for s in (1_000, 5_000, 10_000, 20_000, n_train) if s <= n_train})
        self.train_size = widgets.Dropdown(
            options=[(f"{s} (all)" if s == n_train else f"{s} (subset)", s) for s in sizes],
            value=min(10_000, n_train), description="training images", style=WIDE)
        self.seed = widgets.BoundedIntText(value=0, min=0, max=10**6, description="seed",
                                           style=WIDE, layout=widgets.Layout(width="230px"))
        self.train_button = widgets.Button(description="Train", button_style="primary", icon="play")
        self.train_button.add_class("lab-train")
        self.clear_button = widgets.Button(description="Clear", icon="trash")
        self.clear_button.add_class("lab-clear")
        self.progress = widgets.IntProgress(value=0, min=0, max=1, description="idle",
                                            style=WIDE, layout=widgets.Layout(width="420px"))
        self.status = widgets.HTML("Choose the settings, then press <b>Train</b>.",
                                   style={"font_size": "15px"})
        self.status.add_class("lab-status")
        self.figure = widgets.Output()
        self.figure.add_class("lab-figure")
        self.table = widgets.HTML()
        self.table.add_class("lab-table")

        self.controls = [self.lr, self.batch_size, self.hidden_size, self.epochs, self.activation,
                         self.train_size, self.seed, self.train_button, self.clear_button]
        self.train_button.on_click(lambda _: self.train())
        self.clear_button.on_click(lambda _: self.clear())
        self.children = (
            widgets.HBox([widgets.VBox([self.lr, self.epochs, self.seed]),
                          widgets.VBox([self.batch_size, self.hidden_size, self.activation,
                                        self.train_size])]),
            widgets.HBox([self.train_button, self.clear_button, self.progress]),
            self.status, self.figure, self.table,
        )
        self.add_class("learning-rate-lab")
        self._redraw()
        self._update_table()

    def __repr__(self) -> str:
        return f"LearningRateLab(runs={len(self.runs)})"

    def settings(self) -> dict:
        """The current settings, as keyword arguments of :func:`run_lr_experiment`."""
        return {"lr": float(self.lr.value), "batch_size": int(self.batch_size.value),
                "hidden_size": int(self.hidden_size.value), "epochs": int(self.epochs.value),
                "activation": self.activation.value, "train_size": int(self.train_size.value),
                "seed": int(self.seed.value)}

    def train(self) -> LabRun:
        """Train one network with the current settings, drawing it live; add it to the runs."""
        settings = self.settings()
        number = len(self.runs) + 1
        label = run_label(number, **{k: v for k, v in settings.items() if k != "seed"})
        iterations = settings["epochs"] * math.ceil(settings["train_size"] / settings["batch_size"])
        self.progress.max, self.progress.value = iterations, 0
        self.progress.description = "training…"
        self.progress.bar_style = ""
        self.status.value = f"Run {number}: training ({iterations} iterations)…"
        last = {"draw": time.perf_counter(), "took": 0.0, "bar": 0.0}

        def live(history: History) -> None:
            # Throttled by time: the bar at most 10 times a second, the figure every
            # `redraw_every` seconds, or less often when drawing is slow (a busy machine), so
            # drawing never takes more than about a third of the time.
            now = time.perf_counter()
            if now - last["bar"] >= 0.1:
                self.progress.value, last["bar"] = len(history.loss), now
            wait = max(self.redraw_every, 2 * last["took"]) if self.redraw_every > 0 else 0.0
            if now - last["draw"] >= wait:
                self._redraw(training=(label + " (training)", history))
                last["draw"] = time.perf_counter()
                last["took"] = last["draw"] - now

        for control in self.controls:
            control.disabled = True
        try:
            history = run_lr_experiment(**settings, data=self.data, callback=live)
            run = LabRun(number=number, history=history, **settings)
            self.runs.append(run)
            self.progress.value = len(history.loss)
            self.progress.description = "diverged" if history.diverged else "done"
            self.progress.bar_style = "danger" if history.diverged else "success"
            colour = "#D55E00" if history.diverged else "inherit"
            self.status.value = (f"<span style='color:{colour}'>Run {number}: "
                                 f"{html.escape(run.message)} ({history.seconds:.1f} s).</span>")
            self._redraw()
            self._update_table()
            return run
        except Exception as err:
            self.progress.description, self.progress.bar_style = "failed", "danger"
            self.status.value = f"Run {number} failed: {html.escape(f'{type(err).__name__}: {err}')}"
            raise
        finally:
            for control in self.controls:
                control.disabled = False

    def clear(self) -> None:
        """Forget every run."""
        self.runs = []
        self.progress.value, self.progress.description, self.progress.bar_style = 0, "idle", ""
        self.status.value = "Cleared. Choose the settings, then press <b>Train</b>."
        self._redraw()
        self._update_table()

    def _redraw(self, training: tuple[str, History] | None = None) -> None:
        n = len(self.runs) + (training is not None)
        text = f"<Figure: loss and validation accuracy of {n} run{'s' * (n != 1)}>"
        show_figure(self.figure, draw_runs(self.runs, training), text)

    def _update_table(self) -> None:
        head = ["#", "learning rate", "batch", "hidden", "activation", "epochs", "images",
                "seed", "validation accuracy", "time", "outcome"]
        rows = []
        for r in self.runs:
            acc = "–" if r.val_accuracy is None else f"{100 * r.val_accuracy:.1f}%"
            outcome = (f"diverged at iteration {r.history.diverged_at}" if r.history.diverged
                       else r.outcome)
            colour = "#D55E00" if r.history.diverged else "inherit"
            activation = "ReLU" if r.activation == "relu" else r.activation
            cells = [r.number, f"{r.lr:.3g}", r.batch_size, r.hidden_size, activation, r.epochs,
                     r.train_size, r.seed, acc, f"{r.history.seconds:.1f} s"]
            rows.append(f"<tr class='lab-run' data-run='{r.number}'>"
                        + "".join(f"<td style='{_CELL}'>{c}</td>" for c in cells)
                        + f"<td style='{_CELL};text-align:left;color:{colour}'>{outcome}</td></tr>")
        if not rows:
            rows = [f"<tr><td colspan='{len(head)}' style='{_CELL};text-align:left'>"
                    "no runs yet</td></tr>"]
        header = "".join(f"<th style='{_CELL}'>{h}</th>" for h in head[:-1])
        header += f"<th style='{_CELL};text-align:left'>{head[-1]}</th>"
        self.table.value = (f"<table style='font-size:15px;border-collapse:collapse'>"
                            f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def learning_rate_lab(data: MnistData | None = None) -> LearningRateLab:
    """Train small networks on MNIST and compare how the learning rate changes training.

    Controls: learning rate (log slider, 0.001 to 10), batch size, hidden neurons, epochs,
    activation (ReLU or sigmoid), training images (a 10000-image subset by default, so a run takes
    a second or two; all 50000 on request, the other 10000 being the validation set) and seed;
    buttons Train and Clear. Each Train adds a run to the figure (loss per iteration on a log
    scale, and validation accuracy) and to the table below it, with its verdict (trained,
    crawled, stalled or diverged, see :func:`classify_run`). A run that blows up stops early and
    says so.

    Args:
        data: MNIST as returned by :func:`mnist_lib.load_mnist`; None loads it (once per lab).

    Returns:
        The lab, a :class:`LearningRateLab` (an ``ipywidgets.VBox``): show it as a cell's last
        value; its controls, ``runs``, ``figure`` and ``table`` are attributes.
    """
    return LearningRateLab(data)
