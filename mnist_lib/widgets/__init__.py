"""Interactive labs for JupyterLab (ipywidgets), one module per lab.

- :func:`learning_rate_lab` (``lr_lab``): train a small network on real MNIST with the settings of
  your choice and watch it train, crawl, stall or blow up; every run is added to one figure and
  one table.
- :func:`gradient_descent_lab` (``descent_lab``): gradient descent on a 2-D function (a round bowl
  or a long narrow valley), redrawn as you move the sliders.
- :func:`draw_digit_lab` (``draw_lab``): draw a digit with the mouse and watch a network you trained
  read it: the 28x28 input it sees, its hidden layer and its ten probabilities.

Each lab's logic lives in plain functions that return numbers, so it can be used (and tested)
without widgets: :func:`run_lr_experiment`, :func:`classify_run`, :func:`loss_signals`,
:func:`describe_run`, :func:`draw_runs`; :func:`gradient_descent_path`, :func:`classify_path`,
:func:`describe_path`, :func:`draw_path`; :func:`render_strokes`, :func:`read_digit`,
:func:`draw_reading`. The widgets only call them.

Every lab returns a widget (an ``ipywidgets.VBox``) whose controls are attributes, so a test or a
notebook cell can drive it: ``lab = learning_rate_lab(); lab.lr.value = 10;
lab.train_button.click(); lab.runs[-1].history.diverged``.
"""
from .descent_lab import (EXTENT, FUNCTIONS, GradientDescentLab, bowl, classify_path,
                          describe_path, draw_path, gradient_descent_lab, gradient_descent_path,
                          valley)
from .draw_lab import (CANVAS_SIZE, PEN_WIDTH, DrawDigitLab, Reading, draw_digit_lab,
                       draw_reading, read_digit, render_strokes)
from .lr_lab import (LabRun, LearningRateLab, MnistData, classify_run, describe_run, draw_runs,
                     learning_rate_lab, loss_signals, run_label, run_lr_experiment)
from .shared import figure_to_png, show_figure

__all__ = [
    "run_lr_experiment", "classify_run", "loss_signals", "describe_run", "draw_runs", "run_label", "LabRun",
    "LearningRateLab", "learning_rate_lab", "MnistData",
    "bowl", "valley", "FUNCTIONS", "EXTENT", "gradient_descent_path", "classify_path",
    "describe_path", "draw_path", "GradientDescentLab", "gradient_descent_lab",
    "render_strokes", "read_digit", "draw_reading", "Reading", "DrawDigitLab", "draw_digit_lab",
    "CANVAS_SIZE", "PEN_WIDTH",
    "figure_to_png", "show_figure",
]
