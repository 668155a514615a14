"""Checking a config's ``expect:`` block against what inference found."""

from __future__ import annotations

from typing import Any

from .errors import Position
from .layers.base import format_shape
from .report import ModelReport
from .spec import Expectation, Shape
from .records import record


@record
class Mismatch:
    key: str  # output_shape, params or max_params
    message: str
    pos: Position | None
    # The expectation cannot be decided (an unbuilt model's count is a formula in its unknowns): said, not failed.
    undecided: bool = False


def _as_shapes(value: Any) -> tuple[Shape, ...] | None:
    """An expected shape, or a list of them for a model with several outputs."""
    if not isinstance(value, list):
        return None
    if all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in value):
        return (tuple(value),)
    if all(isinstance(v, list) for v in value):
        shapes = [_as_shapes(v) for v in value]
        if all(s is not None and len(s) == 1 for s in shapes):
            return tuple(s[0] for s in shapes if s)
    return None


def check_expectations(report: ModelReport, expect: Expectation | None) -> list[Mismatch]:
    if expect is None:
        return []
    found: list[Mismatch] = []
    last = report.layers[-1] if report.layers else None
    who = f"layer '{last.name}' ({last.class_name})" if last else "the model"
    if expect.output_shape is not None:
        wanted = _as_shapes(expect.output_shape)
        pos = expect.pos.get("output_shape")
        got = " and ".join(format_shape(s) for s in report.outputs)
        if wanted is None:
            found.append(Mismatch("output_shape", "expect.output_shape must be a list like [null, 2]", pos))
        elif wanted != report.outputs:
            shown = ", ".join(format_shape(s) for s in wanted)
            hint = ""
            if len(wanted) == 1 and len(report.outputs) == 1 and len(wanted[0]) + 1 == len(report.outputs[0]):
                hint = " (output_shape includes the batch axis: write null first)"
            found.append(Mismatch("output_shape", f"expected output shape {shown}, but {who} outputs {got}{hint}", pos))
    if report.params_poly.constant is None:
        return found + _undecided_params(report, expect) + _mac_budget(report, expect)
    breakdown = " + ".join(f"{r.name} {r.params:,}" for r in report.layers if r.params)
    total = report.total_params
    if expect.params is not None and expect.params != total:
        found.append(
            Mismatch(
                "params",
                f"expected {expect.params:,} parameters, but the model has {total:,} ({breakdown or 'no weights'})",
                expect.pos.get("params"),
            )
        )
    if expect.max_params is not None and total > expect.max_params:
        biggest = max(report.layers, key=lambda r: r.params)
        found.append(
            Mismatch(
                "max_params",
                f"the model has {total:,} parameters, over the budget of {expect.max_params:,} "
                f"(largest: '{biggest.name}' with {biggest.params:,})",
                expect.pos.get("max_params"),
            )
        )
    found += _mac_budget(report, expect)
    found += memory_budget(report, expect)
    return found


def _undecided_params(report: ModelReport, expect: Expectation) -> list[Mismatch]:
    """expect.params / max_params on a count that depends on an unknown input size: neither passes nor fails."""
    total = report.params_poly.text()
    unknown = ", ".join(report.unknowns)
    return [
        Mismatch(
            key,
            f"expect.{key} cannot be checked: the model's parameter count {total} depends on its unknown "
            f"input size {unknown}; declare the input shape to check it",
            expect.pos.get(key),
            undecided=True,
        )
        for key, value in (("params", expect.params), ("max_params", expect.max_params))
        if value is not None
    ]


def _mac_budget(report: ModelReport, expect: Expectation) -> list[Mismatch]:
    """expect.max_macs: over the budget, or not checkable because a layer's count is unknown."""
    if expect.max_macs is None:
        return []
    where = expect.pos.get("max_macs")
    total = report.total_macs
    if total is None:
        unknown = ", ".join(f"'{r.name}'" for r in report.unknown_macs)
        return [Mismatch("max_macs", f"the MACs of {unknown} are unknown (a dimension they need is unknown), "
                         "so the budget cannot be checked: give the input's timesteps", where)]
    if total <= expect.max_macs:
        return []
    biggest = max(report.layers, key=lambda r: r.macs or 0)
    return [Mismatch("max_macs", f"the model does {total:,} MACs per sample, over the budget of {expect.max_macs:,} "
                     f"(largest: '{biggest.name}' with {biggest.macs or 0:,})", where)]


def memory_budget(report: ModelReport, expect: Expectation) -> list[Mismatch]:
    """expect.max_memory: the weights plus one sample's inference activations (docs/cost.md)."""
    if expect.max_memory is None:
        return []
    from .memory import estimate
    from .report import readable_size

    where = expect.pos.get("max_memory")
    memory = estimate(report)
    total, weights = memory.inference_bytes, memory.param_bytes
    if weights is None:
        unknown = ", ".join(f"'{r.name}'" for r in report.unknown_params)
        return [Mismatch("max_memory", f"the weights of {unknown} cannot be counted, so the budget cannot be checked",
                         where)]
    if total is None:
        unknown = ", ".join(f"'{name}'" for name in memory.unknown)
        return [Mismatch("max_memory", f"the tensor sizes of {unknown} are unknown (a dimension they need is "
                         "unknown), so the budget cannot be checked: give the input's timesteps", where)]
    if total <= expect.max_memory:
        return []
    return [Mismatch("max_memory", f"one sample's inference needs {readable_size(total)} ({total:,} bytes: weights "
                     f"{readable_size(weights)}, activations {readable_size(total - weights)}), "
                     f"over the budget of {readable_size(expect.max_memory)} ({expect.max_memory:,} bytes)", where)]
