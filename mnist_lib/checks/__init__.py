"""Instant feedback for the notebooks' "Try it" exercises: one module per notebook.

Every check prints what is wrong, phrased for a beginner ("expected shape (2, 3), got (3, 2)",
"NAND(1, 1) should be 0, got 1"), or "All tests passed", and returns a :class:`CheckResult` that is
true when it passed. ``core`` holds what the checks share (:func:`compare`, :func:`check_cases`,
:func:`report`); ``nb04`` holds the checks of notebook 04, and so on. Import them from here:
``from mnist_lib.checks import check_softmax``.
"""
from .core import PASSED, CheckResult, report, compare, check_cases
from .nb01 import check_nand, check_or_weights, check_xor
from .nb02 import check_sigmoid, check_relu, check_softmax
from .nb03 import (PRODUCT_SHAPES, check_product_shapes, LAYER_CASES, check_layer_output, BUG_W,
                   BUG_B, check_shape_bug_fix)
from .nb04 import (check_forward_by_hand, BATCH_SHAPES, check_batch_shapes, ACCURACY_CASES,
                   check_batch_accuracy)
from .nb05 import check_mse, check_cross_entropy_batch, check_one_hot, check_get_batch
from .nb06 import check_central_diff, check_gradient, check_descent_lr
from .nb07 import check_sigmoid_layer, check_linear_backward, check_affine_layer
from .nb08 import check_sgd_update, check_training_lr, check_iterations_per_epoch
from .nb09 import check_largest_stable_lr, check_stalled_lr, check_budget
from .nb10 import check_centre_of_mass, check_fit_in_box, check_confusion_matrix

__all__ = [
    "PASSED",
    "CheckResult",
    "report",
    "compare",
    "check_cases",
    "check_nand",
    "check_or_weights",
    "check_xor",
    "check_sigmoid",
    "check_relu",
    "check_softmax",
    "PRODUCT_SHAPES",
    "check_product_shapes",
    "LAYER_CASES",
    "check_layer_output",
    "BUG_W",
    "BUG_B",
    "check_shape_bug_fix",
    "check_forward_by_hand",
    "BATCH_SHAPES",
    "check_batch_shapes",
    "ACCURACY_CASES",
    "check_batch_accuracy",
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
    "check_largest_stable_lr",
    "check_stalled_lr",
    "check_budget",
    "check_centre_of_mass",
    "check_fit_in_box",
    "check_confusion_matrix",
]
