"""The native YAML config and CLI layer expressions: values, positions, and clear errors."""

from __future__ import annotations

import pytest

from rnnshape.errors import FormatError, RnnshapeError, SpecError, UsageError
from rnnshape.formats import from_expressions, parse_shape_option
from rnnshape.formats.expr import parse_layer_expr
from rnnshape.formats.yaml_config import load_yaml_text
from rnnshape.infer import infer_model
from rnnshape.spec import LayerSpec


def test_yaml_shorthands_and_positions() -> None:
    text = (
        "name: demo\n"
        "input_shape: [7, 5]\n"
        "layers:\n"
        "  - LSTM: {units: 4, return_sequences: true}\n"
        "  - Dropout: 0.5\n"
        "  - GRU: 3\n"
        "  - Dense:\n"
        "      units: 1\n"
        "      activation: sigmoid\n"
    )
    model = load_yaml_text(text, "m.yaml")
    layers = [c.layer for c in model.calls]
    assert [(l.class_name, dict(l.args)) for l in layers] == [
        ("LSTM", {"units": 4, "return_sequences": True}),
        ("Dropout", {"rate": 0.5}),
        ("GRU", {"units": 3}),
        ("Dense", {"units": 1, "activation": "sigmoid"}),
    ]
    assert [str(l.pos) for l in layers] == ["m.yaml:4:5", "m.yaml:5:5", "m.yaml:6:5", "m.yaml:7:5"]
    assert str(layers[3].arg_pos["activation"]) == "m.yaml:9:7"
    assert [l.name for l in layers] == ["lstm", "dropout", "gru", "dense"]
    assert infer_model(model).outputs == ((None, 1),)


def test_yaml_layer_names_from_config_are_kept() -> None:
    model = load_yaml_text("input_shape: [3, 2]\nlayers:\n  - SimpleRNN: {units: 2, name: enc}\n  - Dense: 1\n", "m")
    assert [c.layer.name for c in model.calls] == ["enc", "dense"]


@pytest.mark.parametrize(
    "text,error,fragment,where",
    [
        ("", FormatError, "the file is empty", "m.yaml"),
        ("layers: [\n", FormatError, "invalid YAML", "m.yaml:2:1"),
        ("input_shape: [3]\nlayer:\n  - Dense: 1\n", SpecError, "did you mean 'layers'", "m.yaml:2:1"),
        ("input_shape: [3]\nlayers: {Dense: 1}\n", SpecError, "'layers' must be a list", "m.yaml:2:9"),
        ("input_shape: [3]\nlayers:\n  - Dense: 1\n    LSTM: 2\n", SpecError, "exactly one key", "m.yaml:3:5"),
        ("input_shape: [3]\nlayers:\n  - Dnse: 1\n", SpecError, "did you mean 'Dense'", "m.yaml:3:5"),
        ("input_shape: [3, 0]\nlayers:\n  - Dense: 1\n", SpecError, "positive integer", "m.yaml:1:14"),
        ("layers:\n  - Dropout: 0.1\n", SpecError, "no input shape", "m.yaml:1:1"),
        ("input_shape: [3]\nlayers:\n  - Dense: {units: 2, bogus: 1}\n", SpecError, "no argument 'bogus'", "m.yaml:3:23"),
        (
            "input_shape: [3]\nlayers:\n  - Dense: 1\nexpect: {params: -1}\n",
            SpecError,
            "non-negative integer",
            "m.yaml:4:18",
        ),
        ("input_shape: &a [*a, *a]\nlayers:\n  - Dense: 1\n", FormatError, "nested more than", "m.yaml:1:"),
        ("- just\n- a list\n", SpecError, "must be a mapping", "m.yaml:1:1"),
    ],
)
def test_yaml_errors_have_positions(text: str, error: type, fragment: str, where: str) -> None:
    with pytest.raises(RnnshapeError) as info:
        infer_model(load_yaml_text(text, "m.yaml"))
    assert isinstance(info.value, error)
    assert fragment in str(info.value)
    assert str(info.value.pos).startswith(where)


def test_yaml_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"]
    for i in range(1, 9):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    text = "\n".join(lines) + "\ninput_shape: *a8\nlayers:\n  - Dense: 1\n"
    with pytest.raises(RnnshapeError):
        load_yaml_text(text, "bomb.yaml")


def test_yaml_python_tags_are_not_constructed() -> None:
    text = "input_shape: !!python/object/apply:os.system ['echo pwned']\nlayers:\n  - Dense: 1\n"
    with pytest.raises(FormatError):
        load_yaml_text(text, "evil.yaml")


def test_expression_positional_and_nested_values() -> None:
    spec = parse_layer_expr("LSTM(8, 'relu', return_sequences=True)", "<arg 1>")
    assert dict(spec.args) == {"units": 8, "activation": "relu", "return_sequences": True}
    assert str(spec.arg_pos["return_sequences"]) == "<arg 1>:1:34"
    nested = parse_layer_expr("Wrapper(layer=GRU(4))".replace("Wrapper", "Dropout"), "<arg 1>")
    assert isinstance(nested.args["layer"], LayerSpec)


@pytest.mark.parametrize(
    "text,fragment",
    [
        ("LSTM(4", "not a layer expression"),
        ("__import__('os').system('x')", "unknown layer class 'system'"),
        ("LSTM(units=4, units=5)", "got the argument 'units' twice"),
        ("LSTM(*a)", "cannot be read statically"),
        ("LSTM(**k)", "cannot be read statically"),
        ("LSTM(4, activation=f())", "unknown layer class 'f'"),
        ("42", "must be a call"),
        ("Dense(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14)", "positional arguments"),
        ("L" * 20000, "longer than"),
    ],
)
def test_expression_errors(text: str, fragment: str) -> None:
    with pytest.raises(SpecError) as info:
        parse_layer_expr(text, "<arg 1>")
    assert fragment in str(info.value)


def test_bare_class_name_is_a_call_without_arguments() -> None:
    assert parse_layer_expr("keras.layers.Dropout", "<arg 1>").class_name == "Dropout"


@pytest.mark.parametrize(
    "text,dims", [("10,3", [10, 3]), ("(8, 2, 10)", [8, 2, 10]), ("None,5", [None, 5]), ("[null, 4]", [None, 4])]
)
def test_shape_options(text: str, dims: list) -> None:
    assert parse_shape_option(text, "--input-shape") == dims


def test_shape_option_errors() -> None:
    # Wrong option values are usage errors (exit 2), not problems in a model.
    with pytest.raises(UsageError, match="comma-separated"):
        parse_shape_option("10x3", "--input-shape")
    with pytest.raises(UsageError, match="not both"):
        from_expressions(["Dense(1)"], input_shape="3", batch_input_shape="1,3")


def test_input_given_twice_is_an_error() -> None:
    with pytest.raises(SpecError, match="given twice"):
        from_expressions(["SimpleRNN(2, input_shape=(3, 4))"], input_shape="3,4")


def test_input_expression_as_first_layer() -> None:
    model = from_expressions(["Input(shape=(10, 3))", "SimpleRNN(5)"])
    assert infer_model(model).layers[0].params == 45
