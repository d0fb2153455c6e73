"""Interactive labs for JupyterLab (ipywidgets), one module per lab.

- :func:`learning_rate_lab` (``lr_lab``): train a small network on real MNIST with the settings of
  your choice and watch it train, crawl, jump about, stall or blow up; every run is added to one
  figure and one table, with its verdict and the numbers behind it.
- :func:`gradient_descent_lab` (``descent_lab``): gradient descent on a 2-D function (a round bowl
  or a long narrow valley), redrawn as you move the sliders, with the path's exact verdict.
- :func:`draw_digit_lab` (``draw_lab``): draw a digit with the mouse and watch a network you trained
  read it: the 28x28 input it sees, its hidden layer and its ten probabilities.

The widgets are thin: the experiments and their verdicts are plain functions of
:mod:`mnist_lib.experiments` (``run_lr_experiment``, ``judge_run``, ``descent_verdict``,
``gradient_descent_path``, re-exported here for convenience), the figures are
:mod:`mnist_lib.plots`'s (``draw_lab_runs``, ``draw_descent``), and the drawing lab's logic is
:func:`render_strokes`, :func:`read_digit`, :func:`draw_reading`. So every experiment can be run
(and tested) without widgets.

Every lab returns a widget (an ``ipywidgets.VBox``) whose controls are attributes, so a test or a
notebook cell can drive it: ``lab = learning_rate_lab(); lab.lr.value = 10;
lab.train_button.click(); lab.runs[-1].verdict.verdict``.
"""
from ..experiments import (FUNCTIONS, bowl, descent_verdict, gradient_descent_path, judge_run,
                           run_lr_experiment, valley)
from .descent_lab import EXTENT, GradientDescentLab, descent_title, gradient_descent_lab
from .draw_lab import (CANVAS_SIZE, PEN_WIDTH, DrawDigitLab, Reading, draw_digit_lab,
                       draw_reading, read_digit, render_strokes)
from .lr_lab import WEIGHT_INITS, LearningRateLab, learning_rate_lab, run_label
from .shared import figure_to_png, show_figure

__all__ = [
    "learning_rate_lab", "LearningRateLab", "run_label", "WEIGHT_INITS",
    "gradient_descent_lab", "GradientDescentLab", "descent_title", "EXTENT",
    "run_lr_experiment", "judge_run", "bowl", "valley", "FUNCTIONS", "gradient_descent_path",
    "descent_verdict",
    "render_strokes", "read_digit", "draw_reading", "Reading", "DrawDigitLab", "draw_digit_lab",
    "CANVAS_SIZE", "PEN_WIDTH",
    "figure_to_png", "show_figure",
]
