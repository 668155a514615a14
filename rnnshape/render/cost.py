"""The cost section `explain --cost` prints under the table: each layer's MACs and FLOPs, and how."""

from __future__ import annotations

from ..poly import Poly
from ..memory import OPTIMIZER_NAMES, MemoryEstimate
from ..report import STORAGE_BYTES, ModelReport, readable_size


def cost_text(report: ModelReport, memory: MemoryEstimate | None = None) -> str:
    """One line per layer with work to show, then the total (or which layers are unknown and why)."""
    lines = _count_block(
        "MACs (multiply-accumulates of one sample's forward pass; docs/cost.md):", "MACs",
        [(layer.name, layer.macs, layer.macs_formula) for layer in report.layers], report.total_macs,
        [layer.name for layer in report.unknown_macs],
    )
    lines += flops_lines(report)
    more = " + unknown" if report.unknown_params else ""  # weights of a custom class are not counted
    if report.unknowns:  # an unbuilt model: bytes are formulas in its unknowns
        sizes = ", ".join(f"{(report.params_poly * Poly.const(n)).text()} bytes {dtype}" for dtype, n in STORAGE_BYTES.items())
    else:
        sizes = ", ".join(f"{readable_size(report.param_bytes_as(dtype))} {dtype}" for dtype in STORAGE_BYTES)
    lines.append(f"Parameter memory: {sizes}{more}")
    if memory is not None:
        lines += memory_lines(memory)
    return "\n".join(lines) + "\n"


def flops_lines(report: ModelReport) -> list[str]:
    """The FLOPs block: one line per layer that computes anything, then the total."""
    lines = _count_block(
        "FLOPs (2 per MAC, plus bias adds, activations, gates and other element-wise work; docs/cost.md):", "FLOPs",
        [(layer.name, layer.flops, layer.flops_formula) for layer in report.layers], report.total_flops,
        [layer.name for layer in report.unknown_flops],
    )
    return [*lines, ""]


def _count_block(
    title: str, unit: str, rows: list[tuple[str, int | None, str]], total: int | None, unknown: list[str],
) -> list[str]:
    """A titled block of per-layer counts with their formulas (a stated zero is left out), then the total."""
    shown = [(name, formula) for name, value, formula in rows if not (value == 0 and formula == "0")]
    width = max((len(name) for name, _ in shown), default=0)
    lines = ["", title, *(f"  {name.ljust(width)}  {formula}" for name, formula in shown)]
    if total is not None:
        return [*lines, f"Total {unit}: {total:,}"]
    return [*lines, f"Total {unit}: unknown (the counts of {', '.join(unknown)} are unknown, as shown above)"]


def memory_lines(memory: MemoryEstimate) -> list[str]:
    """The memory footer: weights, then per sample what inference and training add, then one batch."""
    optimizer = OPTIMIZER_NAMES[memory.optimizer]
    inference, training = memory.activation_bytes_per_sample, memory.training_bytes_per_sample
    params = "unknown" if memory.param_bytes is None else readable_size(memory.param_bytes)
    if inference is None or training is None:
        if memory.strings:
            why = f"{_names(memory.strings)} {'holds' if len(memory.strings) == 1 else 'hold'} strings, of no fixed size"
        else:
            why = f"the tensors of {_names(memory.unknown)} have an unknown dimension"
        return [f"Estimated memory: params {params}, inference and training unknown ({why})"]
    state = "weights and gradients" if memory.optimizer == "none" else f"weights, gradients, {optimizer} state"
    fixed = memory.training_fixed_bytes
    line = (f"Estimated memory: params {params}, inference {readable_size(inference)}/sample, "
            f"training {readable_size(training)}/sample + {'unknown' if fixed is None else readable_size(fixed)} ({state})")
    if memory.inference_bytes is None or memory.training_bytes is None:
        return [line, "Batch totals unknown: the weights of a layer rnnshape cannot count are unknown"]
    return [
        line,
        f"Batch of {memory.batch_size:,}: inference {readable_size(memory.inference_bytes)}, "
        f"training {readable_size(memory.training_bytes)} (weights included)",
    ]


def _names(names: tuple[str, ...], shown: int = 4) -> str:
    """``a``, ``a and b``, ``a, b and c``; past ``shown`` names, ``a, b, c, d and 5 more``."""
    if len(names) > shown:
        return f"{', '.join(names[:shown])} and {len(names) - shown} more"
    return " and ".join(", ".join(names).rsplit(", ", 1))
