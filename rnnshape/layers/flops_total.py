"""A layer's FLOPs put together: 2·MACs plus the element-wise work its entry's rule counts.

The rules live in ``rnnshape.layers.flops`` (one per entry, or a stated zero); the core
calls ``with_elementwise`` right after the MAC rule, and ``layer_flops`` for the figure
and the formula each report row carries.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping, Sequence

from ..spec import Shape
from .base import Built, LayerDef, Macs, _number_dots


def with_elementwise(entry: LayerDef, cfg: Mapping[str, Any], inputs: Sequence[Shape], built: Built) -> Built:
    """``built`` with its element-wise count from the entry's rule (a string there is a stated zero)."""
    rule = entry.flops
    if rule is None:
        return built
    return replace(built, elementwise=Macs(0) if isinstance(rule, str) else rule(cfg, inputs, built))


def layer_flops(macs: Macs, elementwise: Macs, names: Mapping[str, str]) -> tuple[int | None, str]:
    """2·MACs + the element-wise work, and how: ``2·MACs + T·17M = 2·1,600 + 10·17·5 = 4,050``."""
    value = None if macs.value is None or elementwise.value is None else 2 * macs.value + elementwise.value
    has_macs, has_work = macs.value != 0, elementwise.value != 0  # a zero part is left out
    if not has_work and not has_macs:
        return value, "0"
    if value is None and not macs.terms and not elementwise.terms:  # assumed layers, nested models
        return None, macs.template if macs.value is None else elementwise.template
    if not has_macs:
        return value, elementwise.render(names)
    symbolic, numeric = ["2·MACs"], ["2·" + ("?" if macs.value is None else f"{macs.value:,}")]
    if has_work:
        symbolic.append(_number_dots(elementwise.template.format(**names)) if elementwise.terms else elementwise.template)
        numeric.append(elementwise.template.format(**{k: str(t.value) for k, t in elementwise.terms.items()}))
    sym = " + ".join(symbolic)
    if value is None:
        unknown = sorted({names.get(k, k) for part in (macs, elementwise) for k, t in part.terms.items() if t.value is None})
        return None, f"{sym} (unknown: {', '.join(unknown)})" if unknown else f"{sym} (unknown)"
    return value, f"{sym} = {' + '.join(numeric)} = {value:,}"
