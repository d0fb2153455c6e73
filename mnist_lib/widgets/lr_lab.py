"""The learning-rate lab: train a small network on real MNIST with the settings of your choice and
watch it train, crawl, jump about, stall or blow up; every run is added to one figure and one table.

The experiment and its verdict are plain functions of :mod:`mnist_lib.experiments`
(:func:`~mnist_lib.experiments.run_lr_experiment`, :func:`~mnist_lib.experiments.judge_run`) and
the figure is :func:`mnist_lib.plots.draw_lab_runs`; the widget only calls them.
"""
from __future__ import annotations

import html
import time

import ipywidgets as widgets

from ..data import load_mnist, split_validation
from ..experiments import OPTIMIZER_NAMES, LabRun, LabSettings, MnistData, run_lr_experiment
from ..plots import draw_lab_runs
from ..training import History
from .shared import WIDE, show_figure

#: The initial weights the lab offers: the book's small constant, Xavier's and He's.
WEIGHT_INITS = [("He", "he"), ("Xavier", "xavier"), ("0.01 (the book's)", 0.01)]


def run_label(number: int, settings: LabSettings) -> str:
    """A short legend label, e.g. "#1 lr 0.1, batch 100, 50 ReLU (He), 3 ep"."""
    return f"#{number} {settings.describe()}"


_CELL = "padding:2px 10px;text-align:right"


class LearningRateLab(widgets.VBox):
    """The learning-rate lab (see :func:`learning_rate_lab`), a VBox whose parts are attributes.

    Controls: ``lr`` (log slider), ``optimizer`` (SGD, Momentum, AdaGrad, RMSprop or Adam),
    ``batch_size``, ``hidden_size``, ``epochs``, ``activation``, ``weight_init_std`` (the initial
    weights: He, Xavier or the book's 0.01), ``train_size``, ``seed``; buttons ``train_button`` and ``clear_button``. Results: ``runs`` (a list of
    :class:`~mnist_lib.experiments.LabRun`, each with its ``verdict``), ``figure`` (an Output
    showing the figure as a PNG), ``table`` (an HTML table of the runs), ``status`` (what the last
    run did, in words), ``progress`` (an IntProgress bar).

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

        self.lr = widgets.FloatLogSlider(value=0.1, base=10, min=-3, max=1.5, step=0.1,
                                         description="learning rate", readout_format=".3",
                                         continuous_update=False, style=WIDE,
                                         layout=widgets.Layout(width="420px"))
        self.lr.add_class("lab-lr")
        self.optimizer = widgets.Dropdown(
            options=[(name, key) for key, name in OPTIMIZER_NAMES.items()], value="sgd",
            description="optimiser", style=WIDE)
        self.optimizer.add_class("lab-optimizer")
        self.batch_size = widgets.Dropdown(options=[10, 20, 50, 100, 200, 500, 1000], value=100,
                                           description="batch size", style=WIDE)
        self.hidden_size = widgets.Dropdown(options=[10, 20, 50, 100, 200], value=50,
                                            description="hidden neurons", style=WIDE)
        self.epochs = widgets.IntSlider(value=3, min=1, max=10, description="epochs",
                                        continuous_update=False, style=WIDE,
                                        layout=widgets.Layout(width="420px"))
        self.activation = widgets.Dropdown(options=[("ReLU", "relu"), ("sigmoid", "sigmoid")],
                                           value="relu", description="activation", style=WIDE)
        self.weight_init_std = widgets.Dropdown(options=WEIGHT_INITS, value="he",
                                                description="initial weights", style=WIDE)
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

        self.controls = [self.lr, self.optimizer, self.batch_size, self.hidden_size, self.epochs, self.activation,
                         self.weight_init_std, self.train_size, self.seed, self.train_button,
                         self.clear_button]
        self.train_button.on_click(lambda _: self.train())
        self.clear_button.on_click(lambda _: self.clear())
        self.children = (
            widgets.HBox([widgets.VBox([self.lr, self.optimizer, self.epochs, self.seed]),
                          widgets.VBox([self.batch_size, self.hidden_size, self.activation,
                                        self.weight_init_std, self.train_size])]),
            widgets.HBox([self.train_button, self.clear_button, self.progress]),
            self.status, self.figure, self.table,
        )
        self.add_class("learning-rate-lab")
        self._redraw()
        self._update_table()

    def __repr__(self) -> str:
        return f"LearningRateLab(runs={len(self.runs)})"

    def settings(self) -> LabSettings:
        """The current settings (the keyword arguments of
        :func:`~mnist_lib.experiments.run_lr_experiment`)."""
        return LabSettings(lr=float(self.lr.value), batch_size=int(self.batch_size.value),
                           hidden_size=int(self.hidden_size.value), epochs=int(self.epochs.value),
                           activation=self.activation.value,
                           weight_init_std=self.weight_init_std.value,
                           train_size=int(self.train_size.value), seed=int(self.seed.value),
                           optimizer=self.optimizer.value)

    def train(self) -> LabRun:
        """Train one network with the current settings, drawing it live; add it to the runs."""
        settings = self.settings()
        number = len(self.runs) + 1
        label = run_label(number, settings)
        self.progress.max, self.progress.value = settings.iterations, 0
        self.progress.description = "training…"
        self.progress.bar_style = ""
        self.status.value = f"Run {number}: training ({settings.iterations} iterations)…"
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
            run = run_lr_experiment(**vars(settings), data=self.data, callback=live)
            self.runs.append(run)
            history = run.history
            self.progress.value = len(history.loss)
            self.progress.description = run.verdict.verdict
            self.progress.bar_style = {"trained": "success", "crawled": "info",
                                       "unstable": "warning"}.get(run.verdict.verdict, "danger")
            colour = "#D55E00" if run.verdict.verdict in ("stalled", "diverged") else "inherit"
            self.status.value = (f"<span style='color:{colour}'>Run {number}: "
                                 f"{html.escape(run.verdict.message)} ({history.seconds:.1f} s).</span>")
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

    def curves(self) -> list[tuple[str, History]]:
        """``(label, History)`` of every run, as the figure draws them: its settings and its short
        verdict (a diverged run's legend says "(diverged)" by itself)."""
        return [(run_label(k, run.settings) + ("" if run.history.diverged else f": {run.verdict.short}"),
                 run.history) for k, run in enumerate(self.runs, start=1)]

    def _redraw(self, training: tuple[str, History] | None = None) -> None:
        curves = self.curves() + ([training] if training else [])
        n = len(curves)
        text = f"<Figure: loss and validation accuracy of {n} run{'s' * (n != 1)}>"
        show_figure(self.figure, draw_lab_runs(curves), text)

    def _update_table(self) -> None:
        head = ["#", "learning rate", "optimiser", "batch", "hidden", "activation", "initial weights", "epochs",
                "images", "seed", "validation accuracy", "loss first → last", "dead units", "time",
                "verdict"]
        rows = []
        for k, r in enumerate(self.runs, start=1):
            v, s = r.verdict, r.settings
            acc = "–" if v.val_acc is None else f"{100 * v.val_acc:.1f}%"
            dead = "–" if v.dead_units is None else f"{v.dead_units} of {v.hidden_units}"
            verdict = (f"diverged at iteration {r.history.diverged_at}" if r.history.diverged
                       else v.verdict) + (" (near the edge)" if v.near_edge else "")
            colour = "#D55E00" if v.verdict in ("stalled", "diverged") else "inherit"
            init = dict((value, name) for name, value in WEIGHT_INITS)[s.weight_init_std]
            cells = [k, f"{s.lr:.3g}", OPTIMIZER_NAMES[s.optimizer], s.batch_size, s.hidden_size,
                     "ReLU" if s.activation == "relu" else s.activation, init.split(" ")[0],
                     s.epochs, s.train_size, s.seed, acc, f"{v.loss_first:.2f} → {v.loss_last:.2f}",
                     dead, f"{r.history.seconds:.1f} s"]
            rows.append(f"<tr class='lab-run' data-run='{k}' title='{html.escape(v.message, quote=True)}'>"
                        + "".join(f"<td style='{_CELL}'>{c}</td>" for c in cells)
                        + f"<td style='{_CELL};text-align:left;color:{colour}'>{verdict}</td></tr>")
        if not rows:
            rows = [f"<tr><td colspan='{len(head)}' style='{_CELL};text-align:left'>"
                    "no runs yet</td></tr>"]
        header = "".join(f"<th style='{_CELL}'>{h}</th>" for h in head[:-1])
        header += f"<th style='{_CELL};text-align:left'>{head[-1]}</th>"
        self.table.value = (f"<table style='font-size:15px;border-collapse:collapse'>"
                            f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def learning_rate_lab(data: MnistData | None = None) -> LearningRateLab:
    """Train small networks on MNIST and compare how the learning rate changes training.

    Controls: learning rate (log slider, 0.001 to about 30), optimiser (plain SGD by default;
    Momentum, AdaGrad, RMSprop or Adam, notebook 11's), batch size, hidden neurons, epochs,
    activation (ReLU or sigmoid), initial weights (He, Xavier or the book's 0.01), training images
    (a 10000-image subset by default, so a run takes a second or two; all 50000 on request, the
    other 10000 being the validation set) and seed; buttons Train and Clear. Each Train adds a run
    to the figure (loss per iteration on a log scale, and validation accuracy) and to the table
    below it, with its verdict and the numbers behind it (trained, crawled, unstable, stalled or
    diverged: :func:`mnist_lib.experiments.judge_run`). A run that blows up stops early and says so.

    Args:
        data: MNIST as returned by :func:`mnist_lib.load_mnist`; None loads it (once per lab).

    Returns:
        The lab, a :class:`LearningRateLab` (an ``ipywidgets.VBox``): show it as a cell's last
        value; its controls, ``runs``, ``figure`` and ``table`` are attributes.
    """
    return LearningRateLab(data)
