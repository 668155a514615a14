"""The values a static reading of Python source can know, and safe constant folding.

Nothing here runs user code: arithmetic is done on Python literals only, with bounds
so that ``10 ** 10 ** 10`` or ``"x" * 10**9`` is refused instead of computed.

Three kinds of bound keep folding cheap whatever a file holds:

- each operation refuses a result or a cost that is huge *before* computing it (big
  exponents, ``round`` with huge ``ndigits``, repetition of long sequences, %-formatting);
- ``FoldBudget``: one per file, charged with the size of every value folding builds
  (``folded_size``: one unit per number or item, one per character or byte, and shared
  parts counted each time they appear, so ``a = [a, a]`` doubles the charge). The reader
  calls ``budget.charge(n)`` for anything else that costs work in proportion to ``n``
  (unrolling a loop, calling a function of the file): past ``RNNSHAPE_MAX_PY_FOLD`` units
  it raises ``FoldError`` and the value becomes unknown;
- ``check_syntax_size`` refuses source whose syntax tree would be huge, before parsing.
"""

from __future__ import annotations

import ast
import operator
from dataclasses import dataclass
from typing import Any, Callable, Union

from .. import limits
from ..errors import FormatError, Position, RnnshapeError
from ..spec import LayerSpec


@dataclass(frozen=True)
class Const:
    """A plain Python value known statically (number, string, bool, None, tuple, list)."""

    value: Any


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be known without running the code, and why.

    ``pos`` is where the root cause is; ``error`` is set when the cause is a real
    mistake (e.g. an unknown Keras layer class) rather than a limit of static reading.
    """

    reason: str
    pos: Position | None = None
    error: RnnshapeError | None = None
    # What ``--set`` would give the value (a variable, or an expression such as
    # ``len(chars)``), and where it is (``line 7``); None when --set cannot help.
    setting: str | None = None
    setting_at: str | None = None
    argument: bool = False  # it is a layer argument's value: --set can give it (not a tensor or a layer)


@dataclass(frozen=True)
class Path:
    """An imported module or one of its attributes: ``("tensorflow", "keras", "layers")``."""

    parts: tuple[str, ...]

    def child(self, name: str) -> Path:
        return Path((*self.parts, name))

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True)
class LayerObj:
    """A Keras layer object not yet called (``rnn = SimpleRNN(5)``)."""

    uid: int
    spec: LayerSpec


@dataclass(frozen=True)
class Tensor:
    """A symbolic Keras tensor: output ``index`` of graph node ``node``.

    ``whole`` marks the full result of a layer call, which means output 0 when used as a
    tensor and the list of outputs when unpacked (``out, h, c = LSTM(...)(x)``).
    """

    node: int
    index: int = 0
    whole: bool = True


@dataclass(frozen=True)
class Items:
    """A tuple or list holding at least one non-constant value (tensors, layers)."""

    values: tuple[Value, ...]
    is_list: bool
    # A dict of tensors: its keys, in the (sorted) order of ``values``; ``d["words"]`` reads one.
    keys: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class ModelRef:
    """A model object (Sequential being built, or a Functional model)."""

    uid: int


@dataclass(frozen=True, eq=False)
class Function:
    """A function defined in the file (``def build_model(units=32): ...``), read when it is called.

    ``defaults`` are the values of its default arguments, evaluated where it is defined
    (as Python does); ``scope`` is the namespace it was defined in, read at call time;
    ``cell`` is the notebook cell holding its body, for positions.
    """

    node: ast.FunctionDef | ast.AsyncFunctionDef
    defaults: dict[str, "Value"]
    scope: dict[str, "Value"]
    cell: int | None


Value = Union[Const, Unknown, Path, LayerObj, Tensor, Items, ModelRef, Function]


# How many steps (function calls and unrolled loop iterations) one file may cost in
# all: reading stays linear in the file however its loops and calls multiply.
# The single place to charge them is ``StepBudget.charge``.
STEP_BUDGET = 20_000
# How deep calls of the file's own functions may nest (recursion is not followed).
CALL_DEPTH = 16


class StepBudget:
    """Steps left for unrolling loops and following calls in one file."""

    def __init__(self, steps: int = STEP_BUDGET) -> None:
        self.left = steps

    def charge(self, steps: int = 1) -> bool:
        """Take ``steps``; False (and nothing taken) when fewer are left."""
        if steps > self.left:
            return False
        self.left -= steps
        return True


class FoldError(Exception):
    """Constant folding refused (division by zero, result too large, wrong types)."""


_SEQUENCES = (str, bytes, tuple, list)
# Python nests folded containers at most this deep (a = [a] repeated) before folding stops.
_MAX_NESTING = 100


class FoldBudget:
    """The total size of the values folding may build in one file (``RNNSHAPE_MAX_PY_FOLD``)."""

    def __init__(self) -> None:
        self.limit = limits.value(limits.PY_FOLD)
        self.used = 0

    def charge(self, units: int) -> None:
        """Spend ``units``, or raise ``FoldError`` (spending nothing) if the file's total would pass
        the limit: the value that is too much becomes unknown, smaller ones still fold."""
        if self.used + max(units, 0) > self.limit:
            raise FoldError(limits.exceeded(limits.PY_FOLD, "the constants of this file grow too large"))
        self.used += max(units, 0)

    def charge_value(self, value: Any) -> Any:
        """Charge the size of a value folding just built, and return it."""
        self.charge(folded_size(value, self.limit - self.used + 1))
        return value


def folded_size(value: Any, cap: int) -> int:
    """Units of ``value``: 1 per scalar or container, 1 per character or byte; shared parts are
    counted every time they appear. Stops counting once past ``cap`` (the answer is then > cap)."""
    memo: dict[int, int] = {}

    def size(item: Any, depth: int) -> int:
        if isinstance(item, (str, bytes)):
            return 1 + len(item)
        if not isinstance(item, (tuple, list)):
            return 1
        if depth > _MAX_NESTING:
            raise FoldError("the value is nested too deeply")
        known = memo.get(id(item))
        if known is not None:
            return known
        total = 1
        for element in item:
            total += size(element, depth + 1)
            if total > cap:
                break
        memo[id(item)] = total
        return total

    return size(value, 0)


def _check(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and abs(value) > limits.value(limits.PY_INT):
        raise FoldError("the result is too large")
    if isinstance(value, _SEQUENCES) and len(value) > limits.value(limits.PY_LEN):
        raise FoldError("the result is too long")
    return value


def _power(a: Any, b: Any) -> Any:
    if isinstance(b, (int, float)) and abs(b) > 64:
        raise FoldError("the exponent is too large")
    if isinstance(a, int) and isinstance(b, int) and abs(a) > limits.value(limits.PY_INT):
        raise FoldError("the base is too large")
    return operator.pow(a, b)


def _repeat(a: Any, b: Any) -> Any:
    for seq, n in ((a, b), (b, a)):
        if isinstance(seq, _SEQUENCES) and isinstance(n, int):
            if len(seq) * max(n, 0) > limits.value(limits.PY_LEN):
                raise FoldError("the result is too long")
    return operator.mul(a, b)


def _round(number: Any, ndigits: Any = None) -> Any:
    # round(4, -10**15) computes 10**(10**15): refuse digit counts no float or real int needs.
    if isinstance(ndigits, int) and abs(ndigits) > 400:
        raise FoldError("ndigits is too large")
    return round(number, ndigits)


BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: _repeat,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: _power,
}

UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Not: operator.not_,
}

COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
}


def fold_binary(op: ast.operator, a: Any, b: Any) -> Any:
    func = BINARY.get(type(op))
    if func is None:
        raise FoldError(f"the operator {type(op).__name__} is not folded")
    if isinstance(a, (str, bytes)) and isinstance(op, ast.Mod):
        raise FoldError("%-formatting is not folded")
    try:
        return _check(func(a, b))
    except (ArithmeticError, TypeError, ValueError) as err:
        raise FoldError(str(err)) from None


def fold_unary(op: ast.unaryop, a: Any) -> Any:
    func = UNARY.get(type(op))
    if func is None:
        raise FoldError(f"the operator {type(op).__name__} is not folded")
    try:
        return _check(func(a))
    except (ArithmeticError, TypeError, ValueError) as err:
        raise FoldError(str(err)) from None


def fold_compare(op: ast.cmpop, a: Any, b: Any) -> Any:
    func = COMPARE.get(type(op))
    if func is None:
        raise FoldError(f"the comparison {type(op).__name__} is not folded")
    try:
        return bool(func(a, b))
    except TypeError as err:
        raise FoldError(str(err)) from None


def _sized(value: Any) -> Any:
    if isinstance(value, _SEQUENCES):
        return value
    raise FoldError("not a sequence")


def _range(*args: Any) -> tuple[int, ...]:
    if not all(isinstance(a, int) and not isinstance(a, bool) for a in args):
        raise FoldError("range() takes integers")
    span = range(*args)  # lazy: its length is known before anything is made
    if len(span) > limits.value(limits.PY_LEN):
        raise FoldError("the range is too long")
    return tuple(span)


# Pure builtins that are safe to apply to known constants (nothing else is ever called).
SAFE_BUILTINS: dict[str, Callable[..., Any]] = {
    "int": int,
    "float": float,
    "abs": abs,
    "min": min,
    "max": max,
    "round": _round,
    "len": lambda v: len(_sized(v)),
    "tuple": lambda v=(): tuple(_sized(v)),
    "list": lambda v=(): list(_sized(v)),
    "bool": bool,
    # Loop helpers, made into tuples (bounded by the sequences they are given).
    "range": _range,
    "enumerate": lambda v, start=0: tuple(enumerate(_sized(v), start)),
    "zip": lambda *vs: tuple(zip(*(_sized(v) for v in vs))),
    "reversed": lambda v: tuple(reversed(_sized(v))),
}


def fold_builtin(name: str, args: list[Any]) -> Any:
    func = SAFE_BUILTINS[name]
    if name in ("int", "float") and args and isinstance(args[0], (str, bytes)) and len(args[0]) > 100:
        raise FoldError("the string is too long")
    try:
        return _check(func(*args))
    except (ArithmeticError, TypeError, ValueError) as err:
        raise FoldError(str(err)) from None


# A syntax tree costs about 1 KB of memory per node; operators and delimiters bound the node count.
_SYNTAX_CHARS = ",;()[]{}.:=+-*/%<>&|^~@\n"


def check_syntax_size(text: str, source: str, before: int = 0) -> int:
    """Refuse, before parsing, source whose syntax tree would be huge (``RNNSHAPE_MAX_PY_TOKENS``).

    Counting characters is linear and allocates nothing, where ``ast.parse`` of a 15 MB
    list literal would build gigabytes of nodes first. ``before`` carries the count of the
    cells already read in a notebook; the new total is returned.
    """
    count = before + sum(text.count(c) for c in _SYNTAX_CHARS)
    if count > limits.value(limits.PY_TOKENS):
        raise FormatError(limits.exceeded(limits.PY_TOKENS, f"the code has {count:,} operators and delimiters"), pos=Position(source))
    return count
