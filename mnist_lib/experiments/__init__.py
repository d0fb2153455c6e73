"""Learning-rate experiments and the words for what they show: the one home of every verdict.

Two kinds of experiment, each with its own five words, each printed with the numbers behind it:

**Gradient descent on a quadratic** ``f(x) = a1 x1² + a2 x2² + ...`` (notebooks 06 and 09, the
gradient-descent lab): one step multiplies each coordinate by its *contraction factor*
``r = 1 - 2·lr·a``, so the path's fate is known exactly from the factors (:func:`descent_verdict`):

- "diverged": some ``|r| > 1``: that coordinate flips and grows at every step;
- "oscillates forever": some ``|r| = 1`` (``r = -1``): it jumps between two points for ever;
- "crawled": every ``|r| < 1``, but the slowest coordinate's factor is positive and so close to 1
  that more than 1% of the way is left after the given steps;
- "converged with a zig-zag": every ``|r| < 1`` and some ``r < 0``: that coordinate flips sign at
  every step while it shrinks;
- "converged": every ``0 <= r < 1``.

A factor within 2% of ±1 is "near the edge". For a function that is not a known quadratic the
verdict is judged from the path itself (:func:`path_verdict`), and says so.

**Training a network** (notebooks 08 and 09, the learning-rate lab, :func:`~mnist_lib.train`): a
run is judged by :func:`judge_run`, in this order:

- "diverged": the loss blew up (inf, NaN, or its typical recent value above three times the first,
  and above 7.5: :func:`blow_up`, the rule ``train`` applies); ``train`` stopped the run and
  restored the weights;
- "stalled": it stopped learning: the validation accuracy is near chance (below 30%; chance is
  10%) **and** most hidden units are dead (at least half: :func:`dead_units`);
- "unstable": it learns, but the loss jumps about: at some point the loss (averaged over 300
  images) rose above 1.2 times its first value, or the validation accuracy, once above 50%, fell
  back by 3 points or more from its best, or the jumps killed most hidden units (at least half
  dead, with the accuracy still above 30%);
- "crawled": the learning rate is too small for the run's length: the loss was still falling
  steadily when the run ended (its last quarter brought 7% or more of its whole fall), or it
  hardly moved (the last quarter's loss is above 90% of the first);
- "trained": none of these: the loss fell and levelled off.

Every measurement is compared with its threshold; one within a small margin of it could land on
the other side on another computer (BLAS kernels sum in different orders), so a verdict that such
a change would flip is reported as "near the edge", with the measurement that is close.

Also here: the lab's experiment (:func:`run_lr_experiment`), the learning-rate range test
(:func:`lr_range_test`, Smith's "LR range test", fast.ai's ``lr_find``), and the functions of the
gradient-descent lab (:data:`bowl`, :data:`valley`, :func:`gradient_descent_path`).

One module per kind of experiment, all importable from here: :mod:`.descent` (paths on a
quadratic), :mod:`.runs` (training runs, the divergence rule, dead units), :mod:`.lab` (the
learning-rate lab's experiment) and :mod:`.range_test`.
"""
from .descent import (PATH_VERDICTS, CONVERGED_WITHIN, EXACT, EDGE_MARGIN, Quadratic, bowl, valley,
                      steep_bowl, FUNCTIONS, PathVerdict,
                      gradient_descent_path, descent_verdict, path_verdict)
from .runs import (RUN_VERDICTS, DIVERGENCE_FACTOR, DIVERGENCE_FLOOR, DIVERGENCE_WINDOW, blow_up,
                   divergence_message, hidden_units, dead_units, CHANCE,
                   STALL_ACCURACY, STALL_DEAD, OVERSHOOT_IMAGES, OVERSHOOT,
                   ACCURACY_DROP, LEARNED, LATE_FALL, HARDLY_MOVED, MARGINS,
                   RunVerdict, judge_run)
from .lab import (MnistData, MIN_TRAIN_SIZE, OPTIMIZERS, OPTIMIZER_NAMES, LabSettings, LabRun,
                  run_lr_experiment)
from .range_test import RangeTest, lr_range_test

__all__ = [
    "PATH_VERDICTS", "CONVERGED_WITHIN", "EXACT", "EDGE_MARGIN", "Quadratic", "bowl", "valley",
    "steep_bowl", "FUNCTIONS", "PathVerdict", "gradient_descent_path", "descent_verdict",
    "path_verdict", "RUN_VERDICTS", "DIVERGENCE_FACTOR", "DIVERGENCE_FLOOR",
    "DIVERGENCE_WINDOW", "blow_up", "divergence_message", "hidden_units", "dead_units",
    "CHANCE", "STALL_ACCURACY", "STALL_DEAD", "OVERSHOOT_IMAGES", "OVERSHOOT", "ACCURACY_DROP",
    "LEARNED", "LATE_FALL", "HARDLY_MOVED", "MARGINS", "RunVerdict", "judge_run", "MnistData",
    "MIN_TRAIN_SIZE", "OPTIMIZERS", "OPTIMIZER_NAMES", "LabSettings", "LabRun",
    "run_lr_experiment", "RangeTest", "lr_range_test",
]
