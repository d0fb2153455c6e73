"""The draw-a-digit lab: its plain functions, and its widget driven as the browser would."""
import math
from types import SimpleNamespace

import numpy as np
import pytest
from matplotlib.figure import Figure

from mnist_lib import softmax
from mnist_lib.preprocess import to_mnist
from mnist_lib.widgets import DrawDigitLab, draw_digit_lab, draw_reading, read_digit, render_strokes

ONE = [[(150, 40), (130, 240)]]
SEVEN = [[(60, 50), (220, 50)], [(220, 50), (110, 250)]]


def mouse(lab, event, x, y):
    """What ipycanvas does when the browser reports a mouse event on the canvas."""
    lab.canvas._handle_frontend_event(None, {"event": event, "x": x, "y": y}, [])


# The plain functions ---------------------------------------------------------------------------

def test_render_strokes_draws_a_round_pen_of_the_given_width():
    ink = render_strokes([[(50, 100), (150, 100)]], size=200, width=20)
    assert ink.shape == (200, 200) and ink.min() >= 0 and ink.max() == 1
    assert ink[100, 100] == 1 and ink[100 + 15, 100] == 0
    assert ink[:, 100].sum() == pytest.approx(20, abs=1)       # 20 pixels wide
    dot = render_strokes([[(60, 60)]], size=120, width=30)
    assert dot.sum() == pytest.approx(math.pi * 15**2, rel=0.03)  # a disc of radius 15
    assert render_strokes([], size=10).sum() == 0


def test_render_strokes_rejects_bad_strokes():
    with pytest.raises(ValueError, match="stroke 0"):
        render_strokes([[1, 2, 3]])
    with pytest.raises(ValueError, match="width"):
        render_strokes(ONE, width=0)


def test_read_digit_is_the_forward_pass_layer_by_layer(mnist, net):
    _, (x_test, _) = mnist
    digit = x_test[0].reshape(28, 28)
    reading = read_digit(net, digit, preprocess=False)
    W1, b1 = net.params["W1"], net.params["b1"]
    assert np.allclose(reading.hidden[0], np.maximum(0, x_test[0] @ W1 + b1), atol=1e-5)
    assert np.allclose(reading.probabilities, softmax(net.predict(x_test[:1]))[0], atol=1e-6)
    assert reading.probabilities.sum() == pytest.approx(1.0)
    assert reading.prediction == int(np.argmax(reading.probabilities))
    assert reading.confidence == pytest.approx(reading.probabilities.max())
    assert np.array_equal(read_digit(net, digit).image, to_mnist(digit))
    with pytest.raises(ValueError, match=r"\(28, 28\)"):
        read_digit(net, np.zeros((30, 30)), preprocess=False)
    with pytest.raises(TypeError, match="TwoLayerNet"):
        read_digit({"W1": W1}, digit)


def test_read_digit_takes_layers_in_a_list_or_a_dict(mnist, net):
    _, (x_test, _) = mnist
    layers = list(net.layers.values()) if isinstance(net.layers, dict) else list(net.layers)
    as_list, as_dict = SimpleNamespace(layers=layers), SimpleNamespace(
        layers={f"layer{k}": layer for k, layer in enumerate(layers)})
    digit = x_test[1].reshape(28, 28)
    assert np.array_equal(read_digit(as_list, digit).probabilities,
                          read_digit(as_dict, digit).probabilities)


@pytest.mark.parametrize("strokes, digit", [(ONE, 1), (SEVEN, 7)])
def test_drawn_digits_are_read(net, strokes, digit):
    assert read_digit(net, render_strokes(strokes)).prediction == digit


def test_draw_reading_has_the_three_panels(net):
    fig = draw_reading(read_digit(net, render_strokes(SEVEN)), label=7)
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0] == "what the network sees"
    assert titles[1].startswith("reads 7 (") and titles[1].endswith("true digit 7")
    assert titles[2].startswith("hidden layer:") and titles[2].endswith("of 50 active")


# The widget, driven as the browser drives it ---------------------------------------------------

def test_the_lab_starts_blank(net, mnist):
    lab = draw_digit_lab(net, examples=mnist[1][0][:20])
    assert isinstance(lab, DrawDigitLab)
    assert lab.reading is None and not lab.ink.any()
    assert "Draw a digit" in lab.prediction.value
    assert lab.figure.outputs == ()
    assert repr(lab) == "DrawDigitLab(strokes=0, blank)"


def test_mouse_strokes_are_read_after_each_stroke(net, mnist):
    lab = draw_digit_lab(net, examples=mnist[1][0][:20])
    mouse(lab, "mouse_move", 10, 10)                 # moving without the button: no ink
    assert not lab.ink.any() and lab.updates == 1
    for stroke in SEVEN:
        mouse(lab, "mouse_down", *stroke[0])
        mouse(lab, "mouse_move", *np.mean(stroke, axis=0))
        assert lab.updates == 1 + len(lab.strokes)   # no reading in the middle of a stroke
        mouse(lab, "mouse_up", *stroke[1])
    assert len(lab.strokes) == 2 and lab.updates == 3
    assert np.allclose(lab.ink, render_strokes(SEVEN))
    assert lab.reading.prediction == 7
    assert "<b class='draw-digit' style='font-size:40px'>7</b>" in lab.prediction.value
    assert "data-updates='3'" in lab.prediction.value
    (output,) = lab.figure.outputs
    assert output["data"]["image/png"] and "reads 7" in output["data"]["text/plain"]
    assert lab.update_seconds > 0


def test_a_stroke_leaving_the_canvas_ends_there(net, mnist):
    lab = draw_digit_lab(net, examples=mnist[1][0][:20])
    mouse(lab, "mouse_down", 140, 40)
    mouse(lab, "mouse_move", 140, 200)
    mouse(lab, "mouse_out", 140, 279)
    mouse(lab, "mouse_move", 10, 10)                 # back over the canvas, button released
    assert len(lab.strokes) == 1 and lab.reading.prediction == 1
    assert lab.ink[10, 10] == 0


def test_draw_stroke_is_the_mouse(net, mnist):
    by_code = draw_digit_lab(net, examples=mnist[1][0][:20])
    for stroke in SEVEN:
        by_code.draw_stroke(stroke)
    by_mouse = draw_digit_lab(net, examples=mnist[1][0][:20])
    for stroke in SEVEN:
        mouse(by_mouse, "mouse_down", *stroke[0])
        mouse(by_mouse, "mouse_up", *stroke[1])
    assert np.array_equal(by_code.ink, by_mouse.ink)
    assert np.array_equal(by_code.reading.probabilities, by_mouse.reading.probabilities)


def test_clear_and_example_buttons(net, mnist):
    _, (x_test, t_test) = mnist
    lab = draw_digit_lab(net, examples=x_test[:50], seed=3)
    lab.draw_stroke(ONE[0])
    lab.clear_button.click()
    assert lab.reading is None and not lab.ink.any() and lab.strokes == []
    lab.example_button.click()
    index = np.random.default_rng(3).permutation(50)[0]
    expected = read_digit(net, np.kron(x_test[index].reshape(28, 28), np.ones((10, 10))))
    assert np.allclose(lab.reading.probabilities, expected.probabilities)
    assert lab.ink.shape == (280, 280) and lab.ink.max() == pytest.approx(x_test[index].max())
    lab.example_button.click()                       # the next example
    second = np.random.default_rng(3).permutation(50)[1]
    assert np.allclose(lab.ink[::10, ::10], x_test[second].reshape(28, 28))


def test_the_lab_rejects_what_it_cannot_use(net, mnist):
    with pytest.raises(TypeError, match="TwoLayerNet"):
        draw_digit_lab({"W1": None}, examples=mnist[1][0][:5])
    with pytest.raises(ValueError, match=r"\(N, 784\)"):
        draw_digit_lab(net, examples=np.zeros((5, 28, 28)))
    lab = draw_digit_lab(net, examples=mnist[1][0][:5])
    with pytest.raises(ValueError, match="at least one point"):
        lab.draw_stroke([])
