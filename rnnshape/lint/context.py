"""What a check sees: the model as written, every layer with its place, and the report.

Arguments are examined once per layer by calling the core's ``resolve_args`` again
and again, dropping the offending argument each time, so every bad argument is found
with the core's own message (one source of truth) and the rest still resolves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ..errors import ArgumentError, RnnshapeError, UnknownLayer
from ..graph import layer_tree
from ..layers import current_class, get_layer_def
from ..layers.base import resolve_args
from ..layers.core import input_batch_shape
from ..report import LayerReport, ModelReport
from ..spec import LayerSpec, ModelSpec
from ..records import record


@record
class ArgIssue:
    kind: str  # "unknown", "invalid" or "missing"
    arg: str
    message: str
    hint: str | None


@record
class LayerSite:
    """A layer and where it sits: top-level call (or input), or nested in a wrapper."""

    spec: LayerSpec
    top: LayerSpec  # the model-level layer this one is, or is nested in
    index: int  # position among the model's calls; -1 for input layers
    is_last: bool  # the last call of the model
    parent: LayerSpec | None = None
    parent_arg: str | None = None

    @property
    def is_input(self) -> bool:
        return self.index < 0

    @property
    def nested(self) -> bool:
        return self.parent is not None


def examine_args(spec: LayerSpec) -> tuple[list[ArgIssue], dict[str, Any] | None]:
    """Every argument problem of one layer, and its resolved config if it has one."""
    try:
        layer_def = get_layer_def(current_class(spec.class_name))
    except UnknownLayer:
        return [], None
    args = dict(spec.args)
    issues: list[ArgIssue] = []
    for _ in range(len(spec.args) + 1):
        trial = LayerSpec(spec.class_name, args, spec.name, spec.pos, spec.arg_pos)
        try:
            return issues, resolve_args(layer_def, trial)
        except ArgumentError as err:
            if err.kind == "missing" and any(i.arg == err.arg for i in issues):
                break  # a required argument with an invalid value: already said
            issues.append(ArgIssue(err.kind, err.arg, err.message, err.hint))
            if err.kind == "missing" or err.arg not in args:
                break
            del args[err.arg]
    return issues, None


@dataclass
class ModelContext:
    """Everything about one model that the checks may ask for."""

    model: ModelSpec
    report: ModelReport | None = None
    sites: list[LayerSite] = field(default_factory=list)
    _args: dict[int, tuple[list[ArgIssue], dict[str, Any] | None]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        calls = self.model.calls
        for inp in self.model.inputs:
            self._add(inp, -1, False)
        for i, call in enumerate(calls):
            self._add(call.layer, i, i == len(calls) - 1)

    def _add(self, top: LayerSpec, index: int, last: bool) -> None:
        for site in layer_tree(top):
            self.sites.append(LayerSite(site.spec, top, index, last, site.parent, site.arg))

    def layers(self) -> Iterator[LayerSite]:
        """Every layer except the model inputs, nested ones included."""
        return (s for s in self.sites if not s.is_input)

    def arg_issues(self, spec: LayerSpec) -> list[ArgIssue]:
        return self._examined(spec)[0]

    def config(self, spec: LayerSpec) -> dict[str, Any] | None:
        """The layer's arguments with Keras 3 defaults, bad arguments left out."""
        return self._examined(spec)[1]

    def _examined(self, spec: LayerSpec) -> tuple[list[ArgIssue], dict[str, Any] | None]:
        key = id(spec)
        if key not in self._args:
            self._args[key] = examine_args(spec)
        return self._args[key]

    @property
    def batch_sizes(self) -> list[int | None]:
        """The batch axis of every model input (None where dynamic or unreadable)."""
        sizes: list[int | None] = []
        for inp in self.model.inputs:
            try:
                shape = input_batch_shape(inp)
            except RnnshapeError:
                shape = ()
            sizes.append(shape[0] if shape else None)  # an empty shape has no batch axis
        return sizes

    def layer_report(self, name: str | None) -> LayerReport | None:
        if self.report is None or name is None:
            return None
        return next((r for r in self.report.layers if r.name == name), None)

    def producer(self, report: LayerReport, skip: frozenset[str] = frozenset()) -> LayerReport | None:
        """The layer whose output feeds ``report``'s first input, walking back past ``skip`` classes."""
        current: LayerReport | None = report
        for _ in range(len(self.report.layers) if self.report else 0):
            if current is None or not current.inbound:
                return None
            current = self.layer_report(current.inbound[0].split("[")[0])
            if current is None or current.class_name not in skip:
                return current
        return None
