"""The JSON contract of `rnnshape explain -f json` (documented in the README).

Kept apart from the table and Markdown renderers so that the JSON path never imports
tabulate.
"""

from __future__ import annotations

import json
from typing import Any

from ..expect import Mismatch
from ..report import STORAGE_BYTES, ModelReport
from ..spec import Shape


def _shape_json(shapes: tuple[Shape, ...]) -> Any:
    return list(shapes[0]) if len(shapes) == 1 else [list(s) for s in shapes]


def report_dict(report: ModelReport, mismatches: list[Mismatch] | None = None) -> dict[str, Any]:
    """The stable JSON contract documented in the README."""
    layers = []
    for layer in report.layers:
        inputs = layer.input_shapes or layer.outputs
        layers.append(
            {
                "name": layer.name,
                "class_name": layer.class_name,
                "input_shape": _shape_json(inputs) if inputs else None,
                "output_shape": _shape_json(layer.outputs),
                "params": layer.params,
                "trainable_params": layer.trainable_params,
                "non_trainable_params": layer.non_trainable_params,
                "weights": [
                    {"name": w.name, "shape": list(w.shape), "trainable": w.trainable} for w in layer.weights
                ],
                "formula": layer.formula,
                # Cost (docs/cost.md): null when a dimension it needs is unknown.
                "macs": layer.macs,
                "macs_formula": layer.macs_formula,
            }
        )
    out: dict[str, Any] = {
        "name": report.name,
        "layers": layers,
        "total_params": report.total_params,
        "trainable_params": report.trainable_params,
        "non_trainable_params": report.non_trainable_params,
        "param_bytes": report.param_bytes,
        "total_macs": report.total_macs,
        "unknown_macs": [layer.name for layer in report.unknown_macs],
        # Parameter bytes per storage type (docs/cost.md); more memory figures join this object.
        "memory": {"param_bytes": {dtype: report.param_bytes_as(dtype) for dtype in STORAGE_BYTES}},
    }
    if mismatches:
        out["expect_mismatches"] = [{"key": m.key, "message": m.message} for m in mismatches]
    return out


def render_json(reports: list[dict[str, Any]]) -> str:
    payload: Any = reports[0] if len(reports) == 1 else reports
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
