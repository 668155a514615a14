"""The expression half of the static Python reader: names, constants and calls.

``Evaluator`` knows what each name means (imports, so ``tf.keras.layers.LSTM``,
``layers.LSTM`` and ``from keras.layers import LSTM as R`` all mean LSTM; assigned
values), folds constants (``T = 10; D = 3; shape=(T, D)``) and evaluates expressions
to the values of ``python_values``. Calls that are Keras are handed to its
``ModelBuilder`` (``python_builder``); anything it cannot know without running code
becomes an ``Unknown`` carrying its reason and position. The statements are walked by
``SourceReader`` in ``python_source``, which extends this class.
"""

from __future__ import annotations

import ast
from typing import Any

from .. import limits
from ..errors import Position, RnnshapeError
from .python_builder import ModelBuilder
from .python_keras import keras_symbol
from .python_values import (
    SAFE_BUILTINS,
    Const,
    FoldBudget,
    FoldError,
    Items,
    LayerObj,
    ModelRef,
    Path,
    Tensor,
    Unknown,
    Value,
    fold_binary,
    fold_builtin,
    fold_compare,
    fold_unary,
)


class Evaluator:
    """The names known so far in one module (or notebook), and the expressions over them."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.cell: int | None = None
        self.env: dict[str, Value] = {}
        self.star_modules: list[Path] = []
        self.local_functions: set[str] = set()
        self.custom_classes: dict[str, str] = {}
        self.warnings: list[RnnshapeError] = []
        self.builder = ModelBuilder(self)
        self.depth = 0
        # Every value folding builds is charged here; see python_values.FoldBudget.
        self.budget = FoldBudget()

    # ------------------------------------------------------------ positions

    def pos(self, node: ast.AST) -> Position:
        line = getattr(node, "lineno", None)
        col = getattr(node, "col_offset", None)
        return Position(self.source, line, None if col is None else col + 1, self.cell)

    def at(self, node: ast.AST) -> str:
        line = getattr(node, "lineno", "?")
        return f"cell {self.cell}, line {line}" if self.cell is not None else f"line {line}"

    def unknown(self, reason: str, node: ast.AST) -> Unknown:
        return Unknown(reason, self.pos(node))

    # ------------------------------------------------------------ names

    def bind(self, target: ast.expr, value: Value) -> None:
        if isinstance(target, ast.Name):
            self.env[target.id] = value
            if isinstance(value, ModelRef):
                self.builder.name_model(value, target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            if any(isinstance(e, ast.Starred) for e in target.elts):
                parts: list[Value] = [self.unknown("starred unpacking is not followed", target)] * len(target.elts)
            else:
                parts = self.unpack(value, len(target.elts), target)
            for elt, part in zip(target.elts, parts):
                self.bind(elt.value if isinstance(elt, ast.Starred) else elt, part)
        # Attributes and subscripts (self.x = ..., d[k] = ...) are not tracked.

    def unpack(self, value: Value, n: int, node: ast.AST) -> list[Value]:
        if isinstance(value, Const) and isinstance(value.value, (tuple, list)) and len(value.value) == n:
            return [Const(v) for v in value.value]
        if isinstance(value, Items) and len(value.values) == n:
            return list(value.values)
        if isinstance(value, Tensor) and value.whole:
            return [Tensor(value.node, i, False) for i in range(n)]
        if isinstance(value, Unknown):
            return [value] * n
        return [self.unknown(f"cannot unpack this value into {n} names", node)] * n

    def break_model(self, target: ast.expr, reason: str, node: ast.AST) -> None:
        if isinstance(target, ast.Name):
            self.builder.break_model(self.env.get(target.id), reason, node)

    def static_path(self, node: ast.expr) -> Path | None:
        """The import path a Name/Attribute chain refers to, without evaluating anything else."""
        if isinstance(node, ast.Name):
            value = self.env.get(node.id)
            if value is None:
                value = self.star_name(node.id)
            return value if isinstance(value, Path) else None
        if isinstance(node, ast.Attribute):
            base = self.static_path(node.value)
            return base.child(node.attr) if base is not None else None
        return None

    # ------------------------------------------------------------ expressions

    def star_name(self, ident: str) -> Path | None:
        for module in reversed(self.star_modules):
            if keras_symbol(module.child(ident)) is not None and ident[:1].isupper():
                return module.child(ident)
        return None

    def lookup(self, ident: str, node: ast.AST) -> Value:
        if ident in self.env:
            return self.env[ident]
        star = self.star_name(ident)
        if star is not None:
            return star
        if ident in SAFE_BUILTINS:
            return Path(("builtins", ident))
        return self.unknown(f"'{ident}' is not defined before it is used", node)

    def expr(self, node: ast.expr) -> Value:
        self.depth += 1
        try:
            if self.depth > limits.value(limits.PY_EXPR_DEPTH):
                return self.unknown("the expression is nested too deeply", node)
            return self._expr(node)
        finally:
            self.depth -= 1

    def _expr(self, node: ast.expr) -> Value:
        if isinstance(node, ast.Constant):
            return Const(node.value)  # already in the syntax tree: nothing new is built
        if isinstance(node, ast.Name):
            return self.lookup(node.id, node)
        if isinstance(node, ast.Attribute):
            return self.attribute(self.expr(node.value), node)
        if isinstance(node, (ast.Tuple, ast.List)):
            values = [
                self.unknown("starred items are not followed", e) if isinstance(e, ast.Starred) else self.expr(e)
                for e in node.elts
            ]
            if all(isinstance(v, Const) for v in values):
                items = [v.value for v in values if isinstance(v, Const)]
                return self.folded(lambda: items if isinstance(node, ast.List) else tuple(items), node)
            return Items(tuple(values), isinstance(node, ast.List))
        if isinstance(node, ast.BinOp):
            return self.binary(node.op, self.expr(node.left), self.expr(node.right), node)
        if isinstance(node, ast.UnaryOp):
            operand = self.expr(node.operand)
            if not isinstance(operand, Const):
                return operand if isinstance(operand, Unknown) else self.unknown("an operator on a non-constant", node)
            return self.folded(lambda: fold_unary(node.op, operand.value), node)
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            left, right = self.expr(node.left), self.expr(node.comparators[0])
            if isinstance(left, Const) and isinstance(right, Const):
                return self.folded(lambda: fold_compare(node.ops[0], left.value, right.value), node)
            return self.unknown("a comparison of non-constants", node)
        if isinstance(node, ast.BoolOp):
            return self.bool_op(node)
        if isinstance(node, ast.IfExp):
            test = self.expr(node.test)
            if isinstance(test, Const):
                return self.expr(node.body if test.value else node.orelse)
            return self.unknown("a conditional expression on a non-constant", node)
        if isinstance(node, ast.Subscript):
            return self.subscript(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.NamedExpr):
            value = self.expr(node.value)
            self.bind(node.target, value)
            return value
        return self.unknown(f"a {type(node).__name__} expression is not evaluated", node)

    def folded(self, fold: Any, node: ast.AST) -> Value:
        """A constant built by ``fold()``, charged to the file's budget; or why it is not known."""
        try:
            return Const(self.budget.charge_value(fold()))
        except FoldError as err:
            return self.unknown(f"cannot compute this constant: {err}", node)

    def binary(self, op: ast.operator, left: Value, right: Value, node: ast.AST) -> Value:
        if isinstance(left, Const) and isinstance(right, Const):
            return self.folded(lambda: fold_binary(op, left.value, right.value), node)
        for side in (left, right):
            if isinstance(side, Unknown):
                return side
            # A list holding an unknown (e.g. a constant over the fold budget): say why.
            inner = next((v for v in side.values if isinstance(v, Unknown)), None) if isinstance(side, Items) else None
            if inner is not None:
                return inner
        return self.unknown("arithmetic on a value that is not a constant", node)

    def bool_op(self, node: ast.BoolOp) -> Value:
        result: Value = Const(None)
        for operand in node.values:
            result = self.expr(operand)
            if not isinstance(result, Const):
                return result if isinstance(result, Unknown) else self.unknown("and/or on a non-constant", node)
            if isinstance(node.op, ast.And) and not result.value:
                return result
            if isinstance(node.op, ast.Or) and result.value:
                return result
        return result

    def attribute(self, base: Value, node: ast.Attribute) -> Value:
        if isinstance(base, Path):
            return base.child(node.attr)
        if isinstance(base, Unknown):
            return base
        return self.unknown(f"'.{node.attr}' is known only at run time", node)

    def subscript(self, node: ast.Subscript) -> Value:
        base = self.expr(node.value)
        if isinstance(base, Unknown):
            return base
        if isinstance(node.slice, ast.Slice):
            bounds = [self.expr(b) if b is not None else Const(None) for b in (node.slice.lower, node.slice.upper, node.slice.step)]
            if isinstance(base, Const) and all(isinstance(b, Const) for b in bounds):
                parts = [b.value for b in bounds if isinstance(b, Const)]
                return self.folded(lambda: _index(base.value, slice(*parts)), node)
            return self.unknown("a slice of a non-constant", node)
        index = self.expr(node.slice)
        if not isinstance(index, Const) or isinstance(index.value, bool) or not isinstance(index.value, int):
            return index if isinstance(index, Unknown) else self.unknown("a subscript that is not a constant integer", node)
        i = index.value
        if isinstance(base, Const):
            return self.folded(lambda: _index(base.value, i), node)
        if isinstance(base, Items) and -len(base.values) <= i < len(base.values):
            return base.values[i]
        if isinstance(base, Tensor) and base.whole and i >= 0:
            return Tensor(base.node, i, False)
        return self.unknown("this subscript is known only at run time", node)

    # ------------------------------------------------------------ calls

    def call(self, node: ast.Call) -> Value:
        func_node = node.func
        if isinstance(func_node, ast.Attribute):
            base = self.expr(func_node.value)
            if isinstance(base, ModelRef):
                return self.builder.model_method(base, func_node.attr, node)
            if isinstance(base, LayerObj):
                if func_node.attr == "build":
                    return self.builder.layer_build(base, func_node.value, node)
                if func_node.attr == "__call__":
                    return self.builder.apply_layer(base, node)
                return self.unknown(f"the result of .{func_node.attr}(...) is known only at run time", node)
            func = self.attribute(base, func_node)
        else:
            func = self.expr(func_node)
        if isinstance(func, Path):
            sym = keras_symbol(func)
            if sym is not None:
                return self.builder.keras_call(sym, func, node)
            if func.parts[0] == "builtins" and len(func.parts) == 2:
                return self.builtin(func.parts[1], node)
        if isinstance(func, LayerObj):
            return self.builder.apply_layer(func, node)
        if isinstance(func, ModelRef):
            return self.unknown("a model called like a layer is not followed", node)
        if isinstance(func_node, ast.Name) and func_node.id in self.custom_classes:
            return self.unknown(f"{self.custom_classes[func_node.id]} cannot be read statically", node)
        if isinstance(func_node, ast.Name) and func_node.id in self.local_functions:
            # A function of this file may change a model handed to it.
            for arg in node.args:
                self.break_model(arg, f"it is passed to {func_node.id}(), which rnnshape does not run", node)
        return self.unknown(f"{_short(func_node)}(...) is a function call, which rnnshape does not run", node)

    def builtin(self, name: str, node: ast.Call) -> Value:
        args = [self.expr(a) for a in node.args]
        if node.keywords or not all(isinstance(a, Const) for a in args):
            return next((a for a in args if isinstance(a, Unknown)), None) or self.unknown(
                f"{name}(...) of a non-constant", node
            )
        values = [a.value for a in args if isinstance(a, Const)]
        return self.folded(lambda: fold_builtin(name, values), node)


def _index(value: Any, index: Any) -> Any:
    if not isinstance(value, (tuple, list, str)):
        raise FoldError("only tuples, lists and strings are indexed")
    try:
        return value[index]
    except (IndexError, TypeError, ValueError) as err:
        raise FoldError(str(err)) from None


def _short(node: ast.expr) -> str:
    """``np.random.randint`` for a Name/Attribute chain (cheap: no ``ast.unparse`` per call)."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    else:
        parts.append("(...)")
    text = ".".join(reversed(parts))
    return text if len(text) <= 40 else "..." + text[-37:]
