"""mnist_lib: the helper package of the course "Neural networks from scratch on MNIST".

One module per concept, with the names of the book's ``common/`` package:
``data`` (load_mnist, standardize, split_validation), ``perceptron``, ``functions``, ``gradient``,
``layers``, ``networks``, ``optimizer`` (SGD, Momentum, AdaGrad, RMSprop, Adam), ``training``
(train), ``evaluation`` (confusion_matrix), ``preprocess`` (to_mnist: a drawing prepared as
MNIST's digits were), ``plots``, ``experiments`` (the labs' experiments and every verdict on
them), ``widgets`` (the labs), ``checks`` (exercise feedback), ``progress`` (every check's result,
kept for the learner and a class's hub) and ``validate`` (the argument checks behind every clear
error message).
"""
from .data import DataError, load_mnist, split_validation, standardize
from .functions import (cross_entropy_error, identity_function, mean_squared_error, relu,
                        relu_grad, sigmoid, sigmoid_grad, softmax, softmax_loss, step_function, tanh,
                        tanh_grad)
from .gradient import gradient_descent, numerical_diff, numerical_gradient
from .layers import (Affine, AddLayer, BatchNormalization, Dropout, MulLayer, Relu, Sigmoid,
                     SoftmaxWithLoss)
from .networks import (MultiLayerNet, MultiLayerNetExtend, TwoLayerNet, forward, init_network,
                       load_sample_weights, predict)
from .optimizer import SGD, AdaGrad, Adam, Momentum, RMSprop
from .training import History, train

__version__ = "0.1.0"

__all__ = [
    "DataError", "load_mnist", "split_validation", "standardize",
    "cross_entropy_error", "identity_function", "mean_squared_error", "relu", "relu_grad",
    "sigmoid", "sigmoid_grad", "softmax", "softmax_loss", "step_function", "tanh", "tanh_grad",
    "gradient_descent", "numerical_diff", "numerical_gradient",
    "Affine", "AddLayer", "MulLayer", "Relu", "Sigmoid", "SoftmaxWithLoss", "BatchNormalization",
    "Dropout",
    "MultiLayerNet", "MultiLayerNetExtend", "TwoLayerNet", "forward", "init_network",
    "load_sample_weights", "predict",
    "SGD", "Momentum", "AdaGrad", "RMSprop", "Adam",
    "History", "train",
]
