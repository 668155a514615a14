"""`rnnshape draw`: every style on every case is well-formed SVG holding its labels as text.

The pictures' geometry (no overlapping text, nothing outside the drawing) is checked in
a real browser by tests/test_draw_browser.py; here the structure and the goldens.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from draw_cases import CASES, has_recurrent, load
from rnnshape.draw import render
from rnnshape.draw.labels import shape_text
from rnnshape.layers.base import format_shape

SVG = "{http://www.w3.org/2000/svg}"
STYLES = ("graph", "unrolled", "boxes", "cell")


def texts(svg: str) -> list[str]:
    """Every text element's content, as a browser shows it (entities decoded)."""
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg"
    return [el.text or "" for el in root.iter(SVG + "text")]


def joined(svg: str) -> str:
    return "\n".join(texts(svg))


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("style", STYLES)
def test_every_style_draws_every_case_as_well_formed_svg(name: str, style: str) -> None:
    model, report = load(name)
    if style in ("unrolled", "cell") and not has_recurrent(report):
        from rnnshape.errors import UsageError

        with pytest.raises(UsageError, match="no SimpleRNN, LSTM or GRU layer"):
            render(style, model, report)
        return
    svg = render(style, model, report)
    root = ET.fromstring(svg)
    width, height = float(root.get("width", "0")), float(root.get("height", "0"))
    assert width > 0 and height > 0
    assert texts(svg), "every label is a <text> element"
    assert not root.findall(f".//{SVG}image"), "no raster images inside"


@pytest.mark.parametrize("name", list(CASES))
def test_graph_names_every_layer_and_labels_every_tensor_with_its_shape(name: str) -> None:
    model, report = load(name)
    shown = joined(render("graph", model, report))
    for layer in report.layers:
        assert layer.name in shown.splitlines(), layer.name
        if layer.class_name != "InputLayer":
            assert layer.class_name in shown.splitlines()
            assert f"{layer.params:,} param" in shown
    for ref, (shape, _, _) in report.tensors.items():
        consumed = any(ref in (*c.inputs, *c.initial_state) for c in model.calls) or ref in model.outputs
        if consumed:
            assert format_shape(shape) in shown, (ref, shape)


def test_graph_draws_states_shared_layers_and_several_outputs() -> None:
    shown = joined(render("graph", *load("seq2seq")))
    assert "initial_state state_h (None, 5)" in shown and "initial_state state_c (None, 5)" in shown
    assert "Output 0" in shown and "Output 1" in shown
    shown = joined(render("graph", *load("branches")))
    assert "shared: 2 calls" in shown
    assert "shared_lstm[0][0] (None, 10, 4)" in shown and "shared_lstm[1][0] (None, 10, 4)" in shown


def test_graph_with_symbols_writes_named_axes() -> None:
    model, report = load("rnn_shapes")
    shown = texts(render("graph", model, report, symbols=True))
    assert "(N, T, D)" in shown and "(N, M)" in shown and "(N, K)" in shown


def test_unrolled_shows_first_steps_an_ellipsis_and_the_last() -> None:
    model, report = load("seq2seq")  # enc: LSTM over T = 10, return_state
    shown = texts(render("unrolled", model, report, steps=4))
    assert {"x₁", "x₂", "x₃", "x₁₀"} <= set(shown) and "x₄" not in shown
    assert "⋯" in shown
    assert "h₀ = 0" in shown and "c₀ = 0" in shown
    assert "output = h₁₀" in shown  # return_sequences=False: only the last h leaves
    assert "state_h = h₁₀ (None, 5)" in shown and "state_c = c₁₀ (None, 5)" in shown
    assert "h₃" in shown and "h₉" in shown  # the states into the step after the ellipsis


def test_unrolled_draws_every_step_when_they_fit_and_every_h_with_return_sequences() -> None:
    shown = texts(render("unrolled", *load("rnn_basics_batch")))  # T = 2, return_sequences
    assert "⋯" not in shown
    assert shown.count("h₁") == 2 and shown.count("h₂") == 1  # h₁ passed on and returned; h₂ returned
    assert shown.count("(8, 10)") == 2 and "(8, 3)" in shown


def test_unrolled_unknown_length_is_drawn_as_t_and_go_backwards_runs_right_to_left() -> None:
    shown = texts(render("unrolled", *load("lstm_backwards")))
    assert "x_T" in shown and "⋯" in shown
    # The states run right to left: zeros enter beside x_T, and the last state is beside x₁.
    assert "h_T+1 = 0" in shown and "c_T+1 = 0" in shown and shown.count("h₁") == 1
    assert any("T unknown" in t and "go_backwards: reads x_T first" in t for t in shown)


def test_unrolled_bidirectional_has_two_rows_and_its_merge() -> None:
    shown = texts(render("unrolled", *load("bigru_merge_none")))
    assert "h→₁" in shown and "h←₁" in shown
    assert "merge_mode=None: two outputs" in shown
    assert "forward  (None, 10, 4)" in shown and "backward (None, 10, 4)" in shown
    shown = texts(render("unrolled", *load("bilstm_states")))
    assert "merge_mode='concat'" in shown and "output (None, 12)" in shown
    assert any(t.startswith("forward state_c") for t in shown) and any(t.startswith("backward state_h") for t in shown)


def test_unrolled_picks_the_layer_and_refuses_what_is_not_recurrent() -> None:
    from rnnshape.errors import UsageError

    model, report = load("stacked_lstm")
    assert "LSTM" in joined(render("unrolled", model, report, layer="lstm_1"))
    with pytest.raises(UsageError, match="is a Dense"):
        render("unrolled", model, report, layer="dense")
    with pytest.raises(UsageError, match="no layer of that name"):
        render("cell", model, report, layer="nope")


@pytest.mark.parametrize(
    "name, gates",
    [
        ("stacked_lstm", ["i: input gate", "f: forget gate", "g: candidate cell state c~", "o: output gate"]),
        ("gru_forecaster", ["z: update gate", "r: reset gate", "hh: candidate state h~"]),
        ("rnn_shapes", ["h: hidden state"]),
    ],
)
def test_cell_labels_each_gate_in_keras_order(name: str, gates: list[str]) -> None:
    shown = texts(render("cell", *load(name)))
    found = [t for t in shown if t in gates]
    assert found == gates


def test_cell_names_the_slice_of_each_weight_with_real_sizes() -> None:
    shown = joined(render("cell", *load("stacked_lstm")))  # first LSTM: D = 8, M = 32
    assert "W_f = kernel[:, M:2M = 32:64]  (8, 32)" in shown
    assert "U_o = recurrent_kernel[:, 3M:4M = 96:128]  (32, 32)" in shown
    assert "c_t = f ⊙ c_t-1 + i ⊙ g" in shown
    # GRU, reset_after=True (Keras 3's default): two bias rows, r applied after the product.
    shown = joined(render("cell", *load("gru_forecaster")))
    assert "b_zx = bias[0, 0:M = 0:64]  (64,)" in shown and "b_zh = bias[1, 0:M = 0:64]  (64,)" in shown
    assert "hh = tanh(x_t·W_h + b_hx + r ⊙ (h_t-1·U_h + b_hh))" in shown
    shown = joined(render("cell", *load("gru_reset_before")))
    assert "hh = tanh(x_t·W_h + (r ⊙ h_t-1)·U_h + b_h)" in shown and "b_z = bias[0:M = 0:4]  (4,)" in shown


def test_boxes_draw_every_tensor_with_named_axes() -> None:
    model, report = load("seq2seq")
    shown = texts(render("boxes", model, report))
    captions = [t for t in shown if re.match(r"\d+\. ", t)]
    assert len(captions) == len(report.tensors)
    assert captions[0] == "1. input enc_in" and "4. enc: state_h" in captions
    assert {"T = 10", "D = 8", "N = 4"} <= set(shown)
    for shape, syms, _ in report.tensors.values():
        assert shape_text(shape, syms, False) in shown


def test_text_from_a_file_is_escaped() -> None:
    from rnnshape.draw.svg import escape

    assert escape('<a href="x">&\x1b') == "&lt;a href=&quot;x&quot;&gt;&amp;\\x1b"


GOLDEN_CASES = [
    ("rnn_shapes", "graph"), ("seq2seq", "graph"), ("branches", "graph"),
    ("rnn_shapes", "unrolled"), ("seq2seq", "unrolled"), ("bigru_merge_none", "unrolled"), ("lstm_backwards", "unrolled"),
    ("rnn_shapes", "boxes"), ("seq2seq", "boxes"),
    ("stacked_lstm", "cell"), ("gru_forecaster", "cell"), ("gru_reset_before", "cell"),
]


@pytest.mark.parametrize("name, style", GOLDEN_CASES)
def test_goldens(name: str, style: str, golden) -> None:  # type: ignore[no-untyped-def]
    golden(f"draw/{name}_{style}.svg", render(style, *load(name)))


def test_cli_prints_svg_and_writes_files(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from draw_cases import ROOT

    seed = str(ROOT / "examples" / "rnn_shapes.yaml")
    result = cli("draw", seed, "--style", "boxes")
    assert result.code == 0 and result.stdout.startswith("<svg") and result.stdout.rstrip().endswith("</svg>")
    out = tmp_path / "m.svg"
    result = cli("draw", seed, "-o", str(out))
    assert result.code == 0 and result.stdout == "" and out.read_text().startswith("<svg")
    assert cli("draw", seed, "-o", str(out)).code == 2  # exists
    assert cli("draw", seed, "-o", str(out), "--force", "--style", "cell").code == 0
    assert "one step of SimpleRNN" in out.read_text()
    assert cli("draw", seed, "-o", str(tmp_path / "m.pdf")).code == 2
    assert cli("draw", seed, "--style", "unrolled", "--layer", "dense").code == 2
    assert cli("draw", "LSTM(4)", "--input-shape", "5,3", "--style", "unrolled", "--steps", "3").code == 0


def test_png_output_through_cairosvg_or_a_missing_dependency(cli, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sys

    from draw_cases import ROOT

    seed = str(ROOT / "examples" / "rnn_shapes.yaml")
    out = tmp_path / "m.png"
    result = cli("draw", seed, "-o", str(out))
    assert result.code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    monkeypatch.setitem(sys.modules, "cairosvg", None)  # as if the [png] extra were not installed
    result = cli("draw", seed, "-o", str(tmp_path / "n.png"))
    assert result.code == 4 and "pip install 'rnnshape[png]'" in result.output
    assert not (tmp_path / "n.png").exists()


# An unbuilt model (no input shape): every style writes its unknown feature size as D.
_UNBUILT_SHAPES = {
    "graph": "(None, None, D)",
    "boxes": "(None, None, D)",
    "unrolled": "(None, D)",
    "cell": "(None, D)",
}


@pytest.mark.parametrize("style", STYLES)
def test_every_style_names_the_unknown_feature_size_of_an_unbuilt_model(style: str) -> None:
    from pathlib import Path

    from rnnshape import formats
    from rnnshape.infer import infer_model

    path = Path(__file__).resolve().parent.parent / "examples/broken/unbuilt_keras2.json"
    (model,) = formats.load_models([str(path)])
    assert model.symbolic_input
    svg = render(style, model, infer_model(model))
    lines = texts(svg)
    assert _UNBUILT_SHAPES[style] in lines
    assert not any("?" in line or "(None, None, None)" in line for line in lines), lines
    if style == "cell":  # the kernel slices too, and the title says which size is unknown
        assert "(D, 4)" in joined(svg) and "D unknown, M = 4" in joined(svg)
