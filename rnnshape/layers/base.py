"""The declarative pieces a layer entry is made of.

A ``LayerDef`` says which keyword arguments a Keras layer takes (with Keras 3
defaults and a validity check each), how it turns input shapes into output shapes
and named weight shapes, and the formula that explains its parameter count.
Parameter counts are never written down: they are the sum of the weight sizes.

An entry is the one place for every fact about its layer. Besides the arguments and
the shape rule it carries the flags other parts of rnnshape ask about (the readers,
lint, the NumPy generator), so none of them keeps a set of class names of its own:
``category`` ("recurrent" and "merging" are read as flags), ``arity``, ``states``,
``gates``, ``step_of``, ``initial_state``, ``positional_build`` and
``shape_preserving``.

Its cost is a fact of the entry too: ``macs`` is the rule that counts the
multiply-accumulates of one sample's forward pass (``rnnshape.layers.macs``), or a
sentence saying why it does no matrix products (a stated zero). ``flops`` likewise
counts its element-wise work (``rnnshape.layers.flops``): a layer's FLOPs are
2·MACs plus that.

Every entry also says how ``rnnshape numpy`` writes it, with exactly one of:

* ``numpy="module:function"``: its forward template, a function in
  ``rnnshape.numpy_gen.<module>`` taking a ``Site`` and returning a ``LayerCode``.
  It is named, not imported, so that ``rnnshape.layers`` (and ``explain``) never
  imports NumPy; ``rnnshape.numpy_gen.templates.template_for`` resolves it.
* ``no_numpy="..."``: the reason there is none, shown to the user who asks for one.

``tests/test_layer_facts.py`` fails for an entry with neither (or both), and for a
template name that does not resolve. Adding a layer therefore means: its entry here
(with ``numpy=`` or ``no_numpy=``), and its case in the Keras differential tests.
"""

from __future__ import annotations

import math
from dataclasses import field
from typing import Any, Callable, Mapping, Sequence

from .. import limits
from ..errors import ArgumentError, RankError, ShapeError, UnknownAxis
from ..spec import LayerSpec, Shape
from ..text import shown
from ..records import record

REQUIRED: Any = object()

Check = Callable[[Any], "str | None"]


@record
class Arg:
    """One keyword argument of a Keras layer constructor."""

    name: str
    default: Any = REQUIRED
    check: Check | None = None


@record
class WeightSpec:
    """A named weight variable: ``kernel (3, 5)``.

    ``axes`` optionally names each axis with the layer's formula terms, e.g.
    ``("{D}", "4·{U}")``, so ``--symbols`` can show ``kernel (D, 4M)``.
    """

    name: str
    shape: tuple[int, ...]
    trainable: bool = True
    axes: tuple[str, ...] | None = None

    @property
    def size(self) -> int:
        return math.prod(self.shape)


@record
class Term:
    """A quantity in a formula: its value and how to name it symbolically.

    ``role`` is ``"in"`` (the input's last axis: its symbol comes from whoever made
    it), ``"units"`` (the axis this layer creates), or ``"fixed"`` (named by
    ``symbol`` as given, e.g. ``k`` for a kernel size).
    """

    value: int
    role: str = "fixed"
    symbol: str | None = None


@record
class Formula:
    """A parameter formula such as ``{U}({D}+{U}+1)``; ``·`` marks multiplication."""

    template: str
    terms: Mapping[str, Term]

    def render(self, names: Mapping[str, str], total: int) -> str:
        symbolic = symbolic_text(self.template, names)
        numeric = self.template.format(**{k: str(t.value) for k, t in self.terms.items()})
        if symbolic == numeric:
            return f"{numeric} = {total:,}"
        return f"{symbolic} = {numeric} = {total:,}"


def symbolic_text(template: str, names: Mapping[str, str]) -> str:
    """Fill a template with symbols; "4·M" reads better as "4M" ("K·D" keeps its dot)."""
    return _drop_dot_after_digit(template.format(**names))


def _number_dots(text: str) -> str:
    """Like ``symbolic_text``, but "M1·K" keeps its dot: only a plain number glues to a letter ("4M")."""
    out = []
    for i, ch in enumerate(text):
        if ch == "·" and 0 < i < len(text) - 1 and text[i + 1].isalpha():
            j = i - 1
            while j >= 0 and text[j].isdigit():
                j -= 1
            if j < i - 1 and (j < 0 or not text[j].isalnum() and text[j] != "_"):
                continue
        out.append(ch)
    return "".join(out)


def _drop_dot_after_digit(text: str) -> str:
    out = []
    for i, ch in enumerate(text):
        if ch == "·" and i > 0 and _ends_in_number(text[:i]) and i + 1 < len(text) and text[i + 1].isalpha():
            continue
        out.append(ch)
    return "".join(out)


def _ends_in_number(text: str) -> bool:
    """``3`` but not ``k2``: a numbered symbol keeps its dot (``k2·F1``, never ``k2F1``)."""
    stem = text.rstrip("0123456789")
    return len(stem) < len(text) and not (stem and stem[-1].isalpha())


@record
class CostTerm:
    """A quantity in a cost formula; unlike a weight's, it may be unknown (None).

    ``role`` as for ``Term``, plus ``"time"`` (the input's timestep axis, named by
    whoever made it, ``T`` by default).
    """

    value: int | None
    role: str = "fixed"
    symbol: str | None = None


@record
class Macs:
    """Multiply-accumulates of one layer's matrix products, for one sample and one forward pass.

    ``value`` is None when a dimension it needs is unknown; the formula then stays
    symbolic. ``template`` is written like a parameter formula: ``{T}·4·{U}({D}+{U})``.
    """

    value: int | None
    template: str = "0"
    terms: Mapping[str, CostTerm] = field(default_factory=dict)

    def render(self, names: Mapping[str, str]) -> str:
        if not self.terms:
            return "0" if self.value == 0 else self.template
        symbolic = _number_dots(self.template.format(**names))
        if self.value is None:
            unknown = sorted({names.get(k, k) for k, t in self.terms.items() if t.value is None})
            return f"{symbolic} (unknown: {', '.join(unknown)})" if unknown else f"{symbolic} (unknown)"
        numeric = self.template.format(**{k: str(t.value) for k, t in self.terms.items()})
        if symbolic == numeric:
            return f"{numeric} = {self.value:,}"
        return f"{symbolic} = {numeric} = {self.value:,}"


NO_MACS = Macs(0)


@record
class Built:
    """What a layer entry computes for given input shapes."""

    outputs: tuple[Shape, ...]
    weights: tuple[WeightSpec, ...] = ()
    formula: Formula | None = None
    # Filled in by the core from the entry's ``macs`` rule (wrappers compose their children's).
    macs: Macs | None = None
    # Likewise from its ``flops`` rule: the element-wise work; FLOPs = 2·MACs + this.
    elementwise: Macs | None = None


# An entry's MAC rule: resolved arguments, input shapes and what infer built -> the count.
MacRule = Callable[[Mapping[str, Any], Sequence[Shape], Built], Macs]
# An entry's element-wise rule, called the same way: bias adds, activations, gate products...
ElementwiseRule = Callable[[Mapping[str, Any], Sequence[Shape], Built], Macs]


class Context:
    """What an ``infer`` function may ask of the core: building nested layers."""

    def build_nested(self, spec: LayerSpec, inputs: Sequence[Shape]) -> Built:  # pragma: no cover
        raise NotImplementedError


Infer = Callable[[Mapping[str, Any], Sequence[Shape], Context], Built]


@record
class LayerDef:
    """One registry entry: everything rnnshape knows about a Keras layer class."""

    class_name: str
    args: tuple[Arg, ...]
    infer: Infer
    summary: str
    # The class Keras names this entry's rows by, where the registry key differs: the
    # tensor operations are keyed ``ops.reshape`` but Keras shows ``Reshape``.
    keras_class: str | None = None
    formula_text: str = "0"
    units_symbol: str | None = None
    # Inputs this layer takes: 1, or "many" for merge layers called on a list.
    arity: int | str = 1
    category: str = "core"
    extra_args: frozenset[str] = field(default_factory=frozenset)
    # The state tensors one recurrent step carries, in Keras's order: ("h", "c") for LSTM.
    states: tuple[str, ...] = ()
    # The gate blocks side by side in its kernels, in Keras's order: ("i", "f", "c", "o") for LSTM.
    gates: tuple[str, ...] = ()
    # A cell: the recurrent layer whose loop runs the same step (LSTMCell -> "LSTM").
    step_of: str | None = None
    # Accepts initial_state=...; Keras 2 files list those tensors as extra node inputs.
    initial_state: bool = False
    # Keras 3's build() names its shape argument ``sequences_shape``: build(input_shape=...) raises.
    positional_build: bool = False
    # The output has exactly the input's shape (lint looks through such layers).
    shape_preserving: bool = False
    # Its NumPy forward template, "module:function" under rnnshape.numpy_gen ...
    numpy: str | None = None
    # ... or why it has none (see the module docstring: exactly one of the two).
    no_numpy: str | None = None
    # Its MAC rule (rnnshape.layers.macs), or the reason it has none: a stated zero.
    # None only for the core's stand-ins; tests/test_cost.py fails for a registry entry without one.
    macs: MacRule | str | None = None
    # Its element-wise rule (rnnshape.layers.flops), or why it does none: FLOPs = 2·MACs + this.
    # None only for the core's stand-ins; tests/test_flops.py fails for a registry entry without one.
    flops: ElementwiseRule | str | None = None
    # The dtype of its outputs when it is not the layer's compute dtype: "bool" for a mask
    # operation, "input" for one that keeps its input's dtype (rnnshape.memory sizes tensors by it).
    output_dtype: str | None = None

    @property
    def arg_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.args)

    @property
    def shown_class(self) -> str:
        """The class name Keras's summary and ``to_json`` show for this entry's rows."""
        return self.keras_class or self.class_name

    @property
    def recurrent(self) -> bool:
        """A layer that loops over timesteps (SimpleRNN, LSTM, GRU, RNN, ConvLSTM)."""
        return self.category == "recurrent"

    @property
    def merge(self) -> bool:
        """A merge layer: called on a list of tensors whose shapes must agree."""
        return self.category == "merging"


# The initializer, regularizer and constraint arguments of a layer with a kernel and a bias, in the
# order of Keras's signatures (Dense, Conv*, MultiHeadAttention): they never change a shape.
KERNEL_BIAS_ARGS: tuple[Arg, ...] = (
    Arg("kernel_initializer", "glorot_uniform"),
    Arg("bias_initializer", "zeros"),
    Arg("kernel_regularizer", None),
    Arg("bias_regularizer", None),
    Arg("activity_regularizer", None),
    Arg("kernel_constraint", None),
    Arg("bias_constraint", None),
)

# Keyword arguments every Keras 3 layer accepts (``keras.layers.Layer.__init__``).
BASE_ARGS: tuple[Arg, ...] = (
    Arg("name", None, lambda v: None if v is None or isinstance(v, str) else "must be a string"),
    Arg("trainable", True, lambda v: None if isinstance(v, bool) else "must be true or false"),
    Arg("dtype", None),
    Arg("autocast", True),
    Arg("activity_regularizer", None),
    # Accepted (with a Keras warning) and used only on the first layer of a Sequential.
    Arg("input_shape", None),
    Arg("input_dim", None),
)


def resolve_args(layer_def: LayerDef, spec: LayerSpec) -> dict[str, Any]:
    """Merge the user's arguments with Keras 3 defaults, validating each one."""
    # A layer's own argument wins over a base one of the same name (Embedding's input_dim).
    known = {a.name: a for a in BASE_ARGS + layer_def.args}
    resolved: dict[str, Any] = {}
    for key, value in spec.args.items():
        arg = known.get(key)
        if arg is None:
            if key in layer_def.extra_args:
                continue
            raise ArgumentError(
                f"{spec.class_name} has no argument '{key}'",
                arg=key,
                kind="unknown",
                pos=spec.arg_pos.get(key, spec.pos),
                layer=spec.name,
                hint=did_you_mean(key, known) or f"valid arguments: {', '.join(layer_def.arg_names)}",
            )
        if arg.check is not None and not (value is None and arg.default is None):
            problem = arg.check(value)
            if problem:
                raise ArgumentError(
                    f"{spec.class_name}({key}={shown(value)}): {key} {problem}",
                    arg=key,
                    kind="invalid",
                    pos=spec.arg_pos.get(key, spec.pos),
                    layer=spec.name,
                )
        resolved[key] = value
    for arg in layer_def.args + BASE_ARGS:
        if arg.name not in resolved:
            if arg.default is REQUIRED:
                raise ArgumentError(
                    f"{spec.class_name} needs the argument '{arg.name}'",
                    arg=arg.name,
                    kind="missing",
                    pos=spec.pos,
                    layer=spec.name,
                    hint=f"e.g. {spec.class_name}({arg.name}=...)",
                )
            resolved[arg.name] = arg.default
    return resolved


def did_you_mean(word: str, candidates: Mapping[str, Any] | Sequence[str]) -> str | None:
    import difflib  # only needed when something is already wrong

    if len(word) > 100:  # no name is that long, and difflib's cost grows with it
        return None
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


# ---------------------------------------------------------------- value checks


def positive_int(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"must be a positive integer, got {type(value).__name__}"
    if value <= 0:
        return "must be a positive integer"
    if value > limits.value(limits.DIM):
        return f"is absurdly large (limit {limits.value(limits.DIM):,}; set {limits.DIM.env} to raise it)"
    return None


def integer(value: Any) -> str | None:
    """A plain integer such as a ``seed`` (None is skipped by ``resolve_args``)."""
    return None if isinstance(value, int) and not isinstance(value, bool) else "must be an integer"


def boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"must be true or false, got {shown(value)}"


def rate(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"must be a number in [0, 1), got {type(value).__name__}"
    if not 0 <= value < 1:  # also rejects NaN
        return "must be in [0, 1)"
    return None


def one_of(*choices: Any) -> Check:
    def check(value: Any) -> str | None:
        if value in choices and not isinstance(value, bool):
            return None
        shown = ", ".join(repr(c) for c in choices)
        return f"must be one of {shown}"

    return check


# Keras 3's activation registry (keras.activations), checked by a differential test.
ACTIVATIONS = frozenset(
    """celu elu exponential gelu glu hard_shrink hard_sigmoid hard_silu hard_swish
    hard_tanh leaky_relu linear log_sigmoid log_softmax mish relu relu6 selu sigmoid
    silu soft_shrink softmax softplus softsign sparse_plus sparse_sigmoid sparsemax
    squareplus swish tanh tanh_shrink threshold""".split()
)


def activation(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and value in ACTIVATIONS):
        return None
    if isinstance(value, dict):  # a serialized custom activation: nothing to check
        return None
    hint = did_you_mean(str(value), sorted(ACTIVATIONS))
    return "is not a Keras activation" + (f" ({hint})" if hint else "")


# ---------------------------------------------------------------- shape helpers


def need_rank(shape: Shape, ranks: Sequence[int], *, at_least: bool = False) -> None:
    """Raise the compiler-style error for a wrong input rank."""
    rank = len(shape)
    ok = rank >= ranks[0] if at_least else rank in ranks
    if ok:
        return
    wanted = f"at least {ranks[0]}" if at_least else " or ".join(str(r) for r in ranks)
    meaning = {3: " (batch, timesteps, features)", 2: " (batch, features)"}.get(ranks[0], "") if len(ranks) == 1 else ""
    raise RankError(
        f"expects a {wanted}-D input{meaning}, got {rank}-D {format_shape(shape)}",
        expected=tuple(ranks),
        got=rank,
    )


def last_dim(shape: Shape) -> int:
    """The feature axis a weight is built on; it must be known."""
    d = shape[-1]
    if d is None:
        raise UnknownAxis(
            f"the last axis of its input {format_shape(shape)} is unknown (None), "
            "but the weights are built on it",
            hint="give the input's feature size explicitly",
        )
    return d


def format_shape(shape: Shape) -> str:
    """Keras's own rendering: ``(None, 10, 3)``, rank 1 as ``(None)``."""
    return "(" + ", ".join(str(d) for d in shape) + ")"


def param_count(weights: Sequence[WeightSpec]) -> int:
    return sum(w.size for w in weights)
