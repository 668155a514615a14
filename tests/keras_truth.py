"""What real Keras says about a model, per layer, for the differential tests.

``keras_rows(model)`` gives ``{name: (class_name, output_shapes, params)}`` for every
row Keras's own summary prints (layers, and in Functional models the mask
operations), with a shared layer's shapes taken from its last call as the summary does.
Works for Keras 3 and for tf_keras (Keras 2).
"""

from __future__ import annotations

from typing import Any


def _shapes(value: Any) -> tuple[tuple[Any, ...], ...]:
    if isinstance(value, (list, tuple)) and value and not isinstance(value[0], (int, type(None))):
        out: list[tuple[Any, ...]] = []
        for item in value:
            out += _shapes(item)
        return tuple(out)
    return (tuple(value),)


def keras_rows(model: Any) -> dict[str, tuple[str, tuple[tuple[Any, ...], ...], int]]:
    ops = getattr(model, "operations", None) or model.layers
    rows = {}
    for op in ops:
        nodes = [n for n in getattr(op, "_inbound_nodes", [])]
        if nodes:
            outs = nodes[-1].output_tensors if hasattr(nodes[-1], "output_tensors") else nodes[-1].outputs
            flat = outs if isinstance(outs, (list, tuple)) else [outs]
            shapes = _shapes([tuple(t.shape) for t in _flatten(flat)])
        else:
            shapes = _shapes(op.output_shape)
        params = op.count_params() if hasattr(op, "count_params") and getattr(op, "built", True) else 0
        rows[op.name] = (type(op).__name__, tuple(tuple(s) for s in shapes), params)
    return rows


def _flatten(items: Any) -> list[Any]:
    out = []
    for item in items:
        if isinstance(item, (list, tuple)):
            out += _flatten(item)
        else:
            out.append(item)
    return out


def rnnshape_rows(report: Any) -> dict[str, tuple[str, tuple[tuple[Any, ...], ...], int]]:
    return {layer.name: (layer.class_name, tuple(layer.outputs), layer.params) for layer in report.layers}


def assert_same_rows(ours: dict[str, Any], theirs: dict[str, Any], *, skip_inputs: bool = False) -> None:
    """Every Keras row must appear in rnnshape's report with the same shapes and params."""
    for name, (cls, shapes, params) in theirs.items():
        if skip_inputs and cls == "InputLayer":
            continue
        assert name in ours, f"rnnshape has no row for Keras layer {name} ({cls}); it has {sorted(ours)}"
        _, our_shapes, our_params = ours[name]
        assert our_shapes == shapes, f"{name}: rnnshape says {our_shapes}, Keras says {shapes}"
        assert our_params == params, f"{name}: rnnshape counts {our_params} params, Keras {params}"
