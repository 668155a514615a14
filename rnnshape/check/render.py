"""A check run as a terminal table or as JSON (no TensorFlow needed to render)."""

from __future__ import annotations

import json
import math
from typing import Any

from tabulate import tabulate

from ..layers.base import format_shape
from ..report import readable_size
from .compare import LayerCheck, Params, shapes_text
from .probe import describe
from .runner import CheckRun, ModelCheck
from ..text import visible

VERDICT = {"agree": "agree", "mismatch": "MISMATCH", "error": "ERROR", "refused": "REFUSED"}


def environment_line(run: CheckRun) -> str:
    env = run.environment
    used = run.devices_used or [env.device.physical]
    device = ", ".join(used)
    if env.device.description != "CPU":
        device += f" ({env.device.description})"
    return f"device: {device} · TensorFlow {env.tensorflow} · Keras {env.keras}"


def render_table(run: CheckRun) -> str:
    blocks = [environment_line(run)]
    for model in run.models:
        blocks.append(_model_block(model))
    blocks.append(summary_line(run))
    return "\n\n".join(blocks) + "\n"


def summary_line(run: CheckRun) -> str:
    counts: dict[str, int] = {}
    for m in run.models:
        counts[m.status] = counts.get(m.status, 0) + 1
    parts = [f"{counts[s]} {VERDICT[s].lower() if s != 'agree' else 'agree'}" for s in VERDICT if counts.get(s)]
    total = len(run.models)
    return f"{total} model{'s' if total != 1 else ''} checked: " + ", ".join(parts or ["none"])


def _model_block(model: ModelCheck) -> str:
    lines = [visible(f"{model.name} ({model.source})") + f": {VERDICT[model.status]}"]
    lines += [visible(f"  note: {n}") for n in model.notes]
    if model.probe:
        probe = ", ".join(
            f"{p.name} {format_shape(p.shape)} {p.dtype}"
            + (f" ids < {p.id_range}" if p.is_integer else "")
            + (f" (declared {format_shape(p.declared)})" if p.declared != p.shape else "")
            for p in model.probe
        )
        lines.append(f"  probe input: {probe}")
    if model.error:
        lines += ["  " + visible(line) for line in model.error.splitlines()]
    if model.layers:
        lines.append(_indent(_layer_table(model)))
    mismatches = model.mismatches
    if mismatches:
        lines.append("  mismatches:")
        lines += [visible(f"    {finding}") for finding in mismatches]
    if model.numeric is not None:
        n = model.numeric
        verdict = "pass" if n.passed else "FAIL"
        detail = n.problem or f"max |numpy - keras| = {n.max_abs_diff:.3g}"
        lines.append(f"  numeric: {detail} (atol {n.atol:g}, seed {n.seed}): {verdict}")
    return "\n".join(lines)


def _layer_table(model: ModelCheck) -> str:
    headers = ["Layer (type)", "Output: rnnshape", "Output: keras", "Params: rnnshape", "Params: keras", "Weights", "Verdict"]
    rows = [_layer_row(layer) for layer in model.layers]
    ours = sum((layer.ours_params.total for layer in model.layers), 0)
    theirs = sum((layer.keras_params.total for layer in model.layers if layer.keras_params), 0)
    totals_ok = not any(f.layer == "(model)" for f in model.findings)
    rows.append(["Total", "", "", f"{ours:,}", f"{theirs:,}", "", "agree" if totals_ok else "MISMATCH"])
    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)


def _layer_row(layer: LayerCheck) -> list[str]:
    ok_weights = sum(1 for w in layer.weights if w.ok)
    weights = f"{ok_weights}/{len(layer.weights)} agree" if layer.weights else "-"
    if layer.ok:
        verdict = "agree"
    else:
        aspects = sorted({f.aspect.split(" (")[0].replace("#", "").split(" ")[0] for f in layer.findings})
        verdict = "MISMATCH: " + ", ".join(aspects)
    return [
        visible(f"{layer.name} ({layer.class_name})"),
        shapes_text(layer.ours),
        shapes_text(layer.keras) if layer.keras_params is not None else "absent",
        str(layer.ours_params),
        str(layer.keras_params) if layer.keras_params else "-",
        weights,
        verdict,
    ]


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


# ---------------------------------------------------------------- JSON


def run_dict(run: CheckRun) -> dict[str, Any]:
    env = run.environment
    return {
        "ok": run.ok,
        "device": {
            "requested": env.requested,
            "used": run.devices_used or [env.device.physical],
            "description": env.device.description,
            "gpus_visible": list(env.gpus),
        },
        "tensorflow": env.tensorflow,
        "keras": env.keras,
        "models": [model_dict(m) for m in run.models],
    }


def model_dict(model: ModelCheck) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": model.name,
        "source": model.source,
        "status": model.status,
        "ok": model.ok,
        "notes": list(model.notes),
        "error": model.error,
        "device": model.device,
        "probe_inputs": describe(model.probe),
        "layers": [_layer_dict(layer) for layer in model.layers],
        "mismatches": [
            {"layer": f.layer, "aspect": f.aspect, "rnnshape": f.rnnshape, "keras": f.keras} for f in model.mismatches
        ],
        "seconds": round(model.seconds, 4),
    }
    if model.estimate is not None:
        e = model.estimate
        out["estimate"] = {
            "param_bytes": e.param_bytes,
            "activation_bytes": e.activation_bytes,
            "total_bytes": e.total_bytes,
            "readable": readable_size(e.total_bytes),
            "macs": e.macs,
        }
    if model.numeric is not None:
        n = model.numeric
        out["numeric"] = {
            "max_abs_diff": None if math.isinf(n.max_abs_diff) else n.max_abs_diff,
            "per_output": [None if math.isinf(d) else d for d in n.per_output],
            "atol": n.atol,
            "seed": n.seed,
            "passed": n.passed,
            "problem": n.problem,
        }
    return out


def _params_dict(p: Params | None) -> dict[str, int] | None:
    if p is None:
        return None
    return {"total": p.total, "trainable": p.trainable, "non_trainable": p.non_trainable}


def _layer_dict(layer: LayerCheck) -> dict[str, Any]:
    return {
        "name": layer.name,
        "class_name": layer.class_name,
        "ok": layer.ok,
        "output_shape": {
            "declared": [list(s) for s in layer.declared],
            "rnnshape": [list(s) for s in layer.ours],
            "keras": [list(s) for s in layer.keras],
        },
        "params": {"rnnshape": _params_dict(layer.ours_params), "keras": _params_dict(layer.keras_params)},
        "weights": [
            {
                "ok": w.ok,
                "rnnshape": None if w.ours is None else {
                    "name": w.ours.name, "shape": list(w.ours.shape), "trainable": w.ours.trainable,
                },
                "keras": None if w.keras is None else {
                    "name": w.relative_path, "path": w.keras.path, "shape": list(w.keras.shape),
                    "trainable": w.keras.trainable,
                },
            }
            for w in layer.weights
        ],
    }


def render_json(run: CheckRun) -> str:
    return json.dumps(run_dict(run), indent=2) + "\n"
