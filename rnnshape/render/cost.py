"""The cost section `explain --cost` prints under the table: each layer's MACs and FLOPs, and how."""

from __future__ import annotations

from ..poly import Poly
from ..report import STORAGE_BYTES, ModelReport, readable_size


def cost_text(report: ModelReport) -> str:
    """One line per layer with work to show, then the total (or which layers are unknown and why)."""
    lines = ["", "MACs (multiply-accumulates of one sample's forward pass; docs/cost.md):"]
    width = max((len(layer.name) for layer in report.layers), default=0)
    for layer in report.layers:
        if layer.macs == 0 and layer.macs_formula == "0":
            continue
        lines.append(f"  {layer.name.ljust(width)}  {layer.macs_formula}")
    total = report.total_macs
    if total is not None:
        lines.append(f"Total MACs: {total:,}")
    else:
        unknown = ", ".join(layer.name for layer in report.unknown_macs)
        lines.append(f"Total MACs: unknown (the counts of {unknown} are unknown, as shown above)")
    lines += flops_lines(report)
    more = " + unknown" if report.unknown_params else ""  # weights of a custom class are not counted
    if report.unknowns:  # an unbuilt model: bytes are formulas in its unknowns
        sizes = ", ".join(f"{(report.params_poly * Poly.const(n)).text()} bytes {dtype}" for dtype, n in STORAGE_BYTES.items())
    else:
        sizes = ", ".join(f"{readable_size(report.param_bytes_as(dtype))} {dtype}" for dtype in STORAGE_BYTES)
    lines.append(f"Parameter memory: {sizes}{more}")
    return "\n".join(lines) + "\n"


def flops_lines(report: ModelReport) -> list[str]:
    """The FLOPs block: one line per layer that computes anything, then the total."""
    lines = ["", "FLOPs (2 per MAC, plus bias adds, activations, gates and other element-wise work; docs/cost.md):"]
    shown = [layer for layer in report.layers if not (layer.flops == 0 and layer.flops_formula == "0")]
    width = max((len(layer.name) for layer in shown), default=0)
    lines += [f"  {layer.name.ljust(width)}  {layer.flops_formula}" for layer in shown]
    total = report.total_flops
    if total is not None:
        lines.append(f"Total FLOPs: {total:,}")
    else:
        unknown = ", ".join(layer.name for layer in report.unknown_flops)
        lines.append(f"Total FLOPs: unknown (the counts of {unknown} are unknown, as shown above)")
    return [*lines, ""]
