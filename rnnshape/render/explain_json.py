"""The JSON contract of `rnnshape explain -f json` (documented in the README).

Kept apart from the table and Markdown renderers so that the JSON path never imports
tabulate.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import re

from ..errors import RnnshapeError
from ..poly import Poly
from ..report import STORAGE_BYTES, FailedLayer, LayerReport, ModelReport
from ..spec import Shape

if TYPE_CHECKING:
    from ..expect import Mismatch


def _shape_json(shapes: tuple[Shape, ...]) -> Any:
    return list(shapes[0]) if len(shapes) == 1 else [list(s) for s in shapes]


def report_dict(
    report: ModelReport, mismatches: list[Mismatch] | None = None, *, batch_size: int = 1, optimizer: str = "adam"
) -> dict[str, Any]:
    """The stable JSON contract documented in the README."""
    # Where a layer's weights cannot be counted (a custom class), the totals are null too.
    known = not report.unknown_params
    out: dict[str, Any] = {
        "file": report.source,
        "name": report.name,
        "layers": _layers_json(report),
        "total_params": report.total_params if known else None,
        "trainable_params": report.trainable_params if known else None,
        "non_trainable_params": report.non_trainable_params if known else None,
        "param_bytes": report.param_bytes if known else None,
        "total_macs": report.total_macs,
        "unknown_macs": [layer.name for layer in report.unknown_macs],
        "total_flops": report.total_flops,
        "unknown_flops": [layer.name for layer in report.unknown_flops],
        "memory": _memory_json(report, batch_size, optimizer),
    }
    if report.unknowns:
        out.update(_unbuilt_totals(report))
        out["memory"]["param_bytes"] = {
            dtype: _times(report.params_poly, n).constant if known else None for dtype, n in STORAGE_BYTES.items()
        }
    if not known:
        out["unknown_params"] = [layer.name for layer in report.unknown_params]
        out.update(total_params=None, trainable_params=None, non_trainable_params=None, param_bytes=None)
    if mismatches:
        out["expect_mismatches"] = [{"key": m.key, "message": m.message} for m in mismatches]
    return out


def _unbuilt_totals(report: ModelReport) -> dict[str, Any]:
    """An unbuilt model's totals: null where they depend on an unknown, each with its formula."""
    total, trainable, size = report.params_poly, report.trainable_poly, report.param_bytes_poly
    return {
        "unknowns": list(report.unknowns),
        "total_params": total.constant,
        "trainable_params": trainable.constant,
        "non_trainable_params": (total - trainable).constant,
        "param_bytes": size.constant,
        "total_params_formula": total.text(),
        "trainable_params_formula": trainable.text(),
        "non_trainable_params_formula": (total - trainable).text(),
        "param_bytes_formula": size.text(),
    }


def _times(poly: Poly, factor: int) -> Poly:
    return poly * Poly.const(factor)


def _symbolic_layer(layer: LayerReport) -> dict[str, Any]:
    """The keys an unbuilt model's layer adds: shapes and counts that depend on an unknown, as formulas."""
    sym = layer.symbolic
    if sym is None:
        return {}
    out: dict[str, Any] = {"output_shape_formula": sym.outputs[0] if len(sym.outputs) == 1 else list(sym.outputs)}
    if sym.weights:
        total, trainable = layer.params_poly, layer.trainable_poly
        out.update(
            params=total.constant, trainable_params=trainable.constant, non_trainable_params=(total - trainable).constant,
            params_formula=total.text(), trainable_params_formula=trainable.text(),
            non_trainable_params_formula=(total - trainable).text(),
            weights=[
                {"name": w.name, "shape": list(w.shape), "trainable": w.trainable, "shape_formula": w.text}
                for w in sym.weights
            ],
        )
    return out


def _memory_json(report: ModelReport, batch_size: int, optimizer: str) -> dict[str, Any]:
    """Parameter bytes per storage type, then the activation and training estimates (docs/cost.md)."""
    from ..memory import estimate

    memory = estimate(report, batch_size=batch_size, optimizer=optimizer)
    known = not report.unknown_params  # a custom class's weights cannot be counted
    return {
        "param_bytes": {dtype: report.param_bytes_as(dtype) if known else None for dtype in STORAGE_BYTES},
        "batch_size": memory.batch_size,
        "activation_bytes_per_sample": memory.activation_bytes_per_sample,
        "inference_bytes": memory.inference_bytes,
        "training_bytes_per_sample": memory.training_bytes_per_sample,
        "gradient_bytes": memory.gradient_bytes,
        "optimizer": memory.optimizer,
        "optimizer_state_bytes": memory.optimizer_state_bytes,
        "training_bytes": memory.training_bytes,
        "unknown": list(memory.unknown),
    }


def error_dict(
    file: str | None, error: RnnshapeError, partial: ModelReport | None = None, failure: FailedLayer | None = None
) -> dict[str, Any]:
    """A model that failed: its file, the error, and (when inference began) the layers up to the break."""
    pos = error.pos
    out: dict[str, Any] = {
        "file": file,
        "name": partial.name if partial is not None else None,
        "error": {
            "message": error.message,
            "code": _error_code(error),
            "exit_code": error.exit_code,
            "layer": error.layer,
            "position": None if pos is None else {"source": pos.source, "line": pos.line, "col": pos.col, "cell": pos.cell},
            "hint": error.hint,
        },
    }
    if partial is not None:
        out["layers"] = _layers_json(partial)
    if failure is not None and failure.layer is not None:
        inputs = failure.input_shapes
        out["failed_layer"] = {
            "name": failure.layer,
            "class_name": failure.class_name,
            "input_shape": _shape_json(inputs) if inputs else None,
        }
    return out


def _error_code(error: RnnshapeError) -> str:
    """A stable name of the kind of error: ``ShapeError`` -> ``shape-error``, ``UnknownLayer`` -> ``unknown-layer``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", type(error).__name__).lower()


def _layers_json(report: ModelReport) -> list[dict[str, Any]]:
    layers = []
    for layer in report.layers:
        inputs = layer.input_shapes or layer.outputs
        layers.append(
            {
                "name": layer.name,
                "class_name": layer.class_name,
                "input_shape": _shape_json(inputs) if inputs else None,
                "output_shape": _shape_json(layer.outputs),
                "params": layer.params if layer.params_known else None,
                "trainable_params": layer.trainable_params if layer.params_known else None,
                "non_trainable_params": layer.non_trainable_params if layer.params_known else None,
                "weights": [
                    {"name": w.name, "shape": list(w.shape), "trainable": w.trainable} for w in layer.weights
                ],
                "formula": layer.formula,
                # Cost (docs/cost.md): null when a dimension it needs is unknown.
                "macs": layer.macs,
                "macs_formula": layer.macs_formula,
                "flops": layer.flops,
                "flops_formula": layer.flops_formula,
                **_symbolic_layer(layer),
            }
        )
    return layers


def render_json(reports: list[dict[str, Any]], *, as_list: bool = False) -> str:
    """One object for one model from one input; a list for several inputs or models."""
    payload: Any = reports if as_list or len(reports) != 1 else reports[0]
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
