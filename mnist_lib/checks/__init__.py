"""Instant feedback for the notebooks' "Try it" exercises: one module per notebook, one engine.

Every check prints what is wrong, phrased for a beginner ("expected shape (2, 3), got (3, 2)",
"NAND(1, 1) should be 0, got 1") and the hint a known mistake earns, or "All tests passed", and
returns a :class:`CheckResult`: true when it passed, and carrying the notebook, the exercise, the
recognised mistake's id and the message. Each exercise is declared as data in its notebook's
module (``nb04`` holds notebook 04's) and checked by the one runner in ``core``,
:func:`~mnist_lib.checks.core.run_check`. :data:`EXERCISES` lists them all, by ``(notebook, id)``.
Every notebook ends with an exit ticket, a few questions declared in ``tickets`` and checked the
same way (:func:`~mnist_lib.checks.tickets.check_exit_ticket`). Import the checks from here:
``from mnist_lib.checks import check_softmax``.
"""
from . import nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08, nb09, nb10, nb11, nb12, nb13, tickets
from .core import PASSED, CheckResult, Exercise, compare, run_check
from .nb01 import check_nand, check_or_weights, check_xor
from .nb02 import check_relu, check_sigmoid, check_softmax
from .nb03 import (BUG_B, BUG_W, PRODUCT_SHAPES, check_layer_output, check_product_shapes,
                   check_shape_bug_fix)
from .nb04 import (BATCH_SHAPES, PRACTICE_HIDDEN, PRACTICE_X, check_batch_accuracy,
                   check_batch_shapes, check_forward_by_hand, check_practice_forward,
                   practice_network)
from .nb05 import check_cross_entropy_batch, check_get_batch, check_mse, check_one_hot
from .nb06 import check_central_diff, check_descent_lr, check_gradient
from .nb07 import check_affine_layer, check_linear_backward, check_sigmoid_layer
from .nb08 import check_iterations_per_epoch, check_sgd_update, check_training_lr
from .nb09 import check_budget, check_edge_lr, check_range_lr, check_stalled_lr
from .nb10 import check_centre_of_mass, check_confusion_matrix, check_fit_in_box
from .nb11 import check_adagrad, check_adam, check_momentum, check_rmsprop, check_sgd
from .nb12 import check_batchnorm_backward, check_batchnorm_forward, check_init_std
from .nb13 import check_dropout, check_early_stopping, check_log_uniform, check_weight_decay
from .tickets import check_exit_ticket

#: Every exercise checked by the engine, by ``(notebook, id)``, in course order: each notebook's
#: exercises, then its exit ticket's questions.
EXERCISES: dict[tuple[str, str], Exercise] = {
    (exercise.notebook, exercise.id): exercise
    for exercise in sorted(
        [exercise for module in (nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08, nb09, nb10,
                                 nb11, nb12, nb13)
         for exercise in module.EXERCISES]
        + [exercise for ticket in tickets.EXERCISES.values() for exercise in ticket],
        key=lambda exercise: exercise.notebook)}  # a stable sort: each notebook's order stays

__all__ = [
    "PASSED",
    "CheckResult",
    "Exercise",
    "EXERCISES",
    "run_check",
    "compare",
    "check_nand",
    "check_or_weights",
    "check_xor",
    "check_sigmoid",
    "check_relu",
    "check_softmax",
    "PRODUCT_SHAPES",
    "check_product_shapes",
    "check_layer_output",
    "BUG_W",
    "BUG_B",
    "check_shape_bug_fix",
    "check_forward_by_hand",
    "BATCH_SHAPES",
    "check_batch_shapes",
    "check_batch_accuracy",
    "PRACTICE_X",
    "PRACTICE_HIDDEN",
    "practice_network",
    "check_practice_forward",
    "check_mse",
    "check_cross_entropy_batch",
    "check_one_hot",
    "check_get_batch",
    "check_central_diff",
    "check_gradient",
    "check_descent_lr",
    "check_sigmoid_layer",
    "check_linear_backward",
    "check_affine_layer",
    "check_sgd_update",
    "check_training_lr",
    "check_iterations_per_epoch",
    "check_edge_lr",
    "check_range_lr",
    "check_stalled_lr",
    "check_budget",
    "check_centre_of_mass",
    "check_fit_in_box",
    "check_confusion_matrix",
    "check_sgd",
    "check_momentum",
    "check_adagrad",
    "check_rmsprop",
    "check_adam",
    "check_init_std",
    "check_batchnorm_forward",
    "check_batchnorm_backward",
    "check_weight_decay",
    "check_dropout",
    "check_early_stopping",
    "check_log_uniform",
    "check_exit_ticket",
]
