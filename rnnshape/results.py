"""What the Python API returns: ``Report`` (explain) and ``CheckReport`` (check).

Each renders through the CLI's own renderers: ``str()`` is the text table, ``to_dict()``
the JSON contract, ``_repr_html_`` the HTML fragment Jupyter shows. Renderers are imported
when asked for, so building a Report imports neither tabulate nor anything heavier.
"""

from __future__ import annotations

from dataclasses import field
from html import escape
from typing import TYPE_CHECKING, Any

from .check.compare import Finding
from .expect import Mismatch
from .layers.base import WeightSpec
from .report import ModelReport
from .spec import Shape
from .records import record

if TYPE_CHECKING:
    from .check.runner import CheckRun


@record
class Layer:
    """One row of the table, as plain typed data."""

    name: str
    class_name: str
    input_shapes: tuple[Shape, ...]
    output_shapes: tuple[Shape, ...]
    # None where the count depends on an unbuilt model's unknown input size (``params_formula`` has it).
    params: int | None
    trainable_params: int | None
    non_trainable_params: int | None
    weights: tuple[WeightSpec, ...]
    formula: str
    params_formula: str = ""  # "128D + 4,224"; the count itself for a built model


@record
class Report:
    """rnnshape's explanation of one model.

    ``built`` is None when there was no built model to compare with; otherwise the
    differences between rnnshape's answer and the live model's own (empty: it agrees).
    ``weights`` and ``symbols`` choose what the table shows, as ``explain --weights
    --symbols`` do; ``with_options`` returns a copy that shows more.
    """

    model: ModelReport
    mismatches: tuple[Mismatch, ...] = ()
    built: tuple[Finding, ...] | None = None
    weights: bool = False
    symbols: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def total_params(self) -> int | None:
        """The count; None for an unbuilt model whose count depends on its unknown input size."""
        return self.model.params_poly.constant

    @property
    def params_formula(self) -> str:
        """The total as text: ``57``, or ``128D + 4,257`` for an unbuilt model (D: its input features)."""
        return self.model.params_poly.text()

    @property
    def layers(self) -> tuple[Layer, ...]:
        rows = []
        for r in self.model.layers:
            total, trainable = r.params_poly, r.trainable_poly
            rows.append(Layer(
                r.name, r.class_name, r.input_shapes or r.outputs, r.outputs, total.constant, trainable.constant,
                (total - trainable).constant, r.weights, r.formula, total.text(),
            ))
        return tuple(rows)

    @property
    def agrees_with_built_model(self) -> bool | None:
        """True/False after a comparison with the live built model; None when there was none."""
        return None if self.built is None else not self.built

    def with_options(self, *, weights: bool | None = None, symbols: bool | None = None) -> Report:
        from dataclasses import replace

        return replace(
            self, weights=self.weights if weights is None else weights, symbols=self.symbols if symbols is None else symbols
        )

    def to_dict(self) -> dict[str, Any]:
        """Exactly the object ``rnnshape explain -f json`` prints for this model."""
        from .render.explain_json import report_dict

        return report_dict(self.model, list(self.mismatches))

    def built_lines(self) -> list[str]:
        """The cross-check with the built model, in words (nothing when there was none)."""
        if self.built is None:
            return []
        if not self.built:
            return ["agrees with the built model: every output shape, parameter count and weight"]
        return [f"differs from the built model: {finding}" for finding in self.built]

    def _extra_lines(self) -> list[str]:
        lines = self.built_lines() + [f"note: {note}" for note in self.notes]
        return lines + [f"expect.{m.key}: {m.message}" for m in self.mismatches]

    def __str__(self) -> str:
        from .render.explain import render_table

        text = render_table(self.model, weights=self.weights, symbols=self.symbols)
        return text + "".join(f"{line}\n" for line in self._extra_lines())

    def _repr_markdown_(self) -> str:
        from .render.explain import render_markdown

        text = render_markdown(self.model, weights=self.weights, symbols=self.symbols)
        return text + "".join(f"- {line}\n" for line in self._extra_lines())

    def _repr_html_(self) -> str:
        from .render.html import render_html

        html = render_html(self.model, weights=self.weights, symbols=self.symbols)
        extra = "".join(f"<li>{escape(line)}</li>" for line in self._extra_lines())
        return html + (f'<div class="rnnshape"><ul class="rnnshape-notes">{extra}</ul></div>\n' if extra else "")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Terminal IPython shows the text table, not the dataclass fields."""
        printer.text(str(self))


@record
class CheckReport:
    """``rnnshape check`` on one model: Keras 3 built it and compared every number."""

    run: CheckRun

    @property
    def ok(self) -> bool:
        return self.run.ok

    def to_dict(self) -> dict[str, Any]:
        """Exactly the object ``rnnshape check -f json`` prints."""
        from .check.render import run_dict

        return run_dict(self.run)

    def __str__(self) -> str:
        from .check.render import render_table

        return render_table(self.run)

    def _repr_html_(self) -> str:
        verdict = "agrees with Keras" if self.ok else "differs from Keras"
        return (
            f'<div class="rnnshape"><div class="rnnshape-title">rnnshape check: {escape(verdict)}</div>'
            f"<pre>{escape(str(self))}</pre></div>\n"
        )

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))
