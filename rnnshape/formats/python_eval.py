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
import builtins
from dataclasses import replace
from typing import Any, Mapping

from .. import limits
from ..errors import Position, RnnshapeError
from .python_builder import ModelBuilder
from .python_displays import Displays
from .python_calls import constant_or_items, loop_items, mentions_gpu_only
from .python_keras import keras_symbol, merge_helper_class
from .python_tensors import TensorSyntax, find_op, unread_op
from .python_values import (
    SAFE_BUILTINS,
    Const,
    FoldBudget,
    FoldError,
    Function,
    Items,
    LayerObj,
    ModelRef,
    Path,
    StepBudget,
    Tensor,
    Unknown,
    Value,
    fold_binary,
    fold_builtin,
    fold_compare,
    fold_unary,
)


class Evaluator(Displays, TensorSyntax):
    """The names known so far in one module (or notebook), and the expressions over them."""

    def __init__(self, source: str, settings: Mapping[str, Any] | None = None) -> None:
        self.source = source
        self.settings = dict(settings or {})  # --set NAME=VALUE, by canonical NAME
        self.cell: int | None = None
        self.env: dict[str, Value] = {}
        self.star_modules: list[Path] = []
        self.local_functions: set[str] = set()
        # The classes the file defines: kind (python_keras.CUSTOM_LAYER, ...) and position.
        self.custom_classes: dict[str, tuple[str, Position]] = {}
        self.warnings: list[RnnshapeError] = []
        self.builder = ModelBuilder(self)
        self.depth = 0
        # Following the file's own functions and loops (see ``SourceReader.call_function``).
        self.budget = StepBudget()
        # Every value folding builds is charged here; see python_values.FoldBudget.
        self.fold_budget = FoldBudget()
        self.call_depth = 0
        self.unsure: Unknown | None = None  # set when the function being read returns under a condition
        self.uncalled: dict[int, RnnshapeError] = {}  # warnings about models in functions never called
        self.notes: list[str] = []  # remarks for every model of the file

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
            if isinstance(value, Unknown) and value.error is None:
                value = self.settable_name(target.id, value, target)
            self.env[target.id] = value
            if isinstance(value, ModelRef):
                self.builder.name_model(value, target.id, self.call_depth)
        elif isinstance(target, (ast.Tuple, ast.List)):
            starred = [i for i, e in enumerate(target.elts) if isinstance(e, ast.Starred)]
            if len(starred) == 1:
                parts = self.unpack_starred(value, len(target.elts), starred[0], target)
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

    def unpack_starred(self, value: Value, n: int, star: int, node: ast.AST) -> list[Value]:
        """``first, *rest = value``: the starred name takes a list of what the others leave."""
        items: list[Value] | None
        if isinstance(value, Tensor) and value.whole:  # out, *states = lstm(x): count its outputs
            count = self.builder.output_count(value.node)
            items = None if count is None else [Tensor(value.node, i, False) for i in range(count)]
        else:
            items = loop_items(value)
        if items is None or len(items) < n - 1:
            reason = value if isinstance(value, Unknown) else self.unknown("cannot unpack this value", node)
            return [reason] * n
        tail = n - 1 - star
        rest = items[star : len(items) - tail]
        return [*items[:star], constant_or_items(rest, is_list=True), *items[len(items) - tail :]]

    def break_model(self, target: ast.expr, reason: str, node: ast.AST, cause: Unknown | None = None) -> None:
        if isinstance(target, ast.Name):
            self.builder.break_model(self.env.get(target.id), reason, node, cause)

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
        if ident in SAFE_BUILTINS or ident in _PYTHON_BUILTINS:
            return Path(("builtins", ident))  # only SAFE_BUILTINS are ever folded
        if ident == "__name__":  # a file is read as the script it is run as
            return Const("__main__")
        return self.unknown(f"'{ident}' is not defined before it is used", node)

    def expr(self, node: ast.expr) -> Value:
        self.depth += 1
        try:
            if self.depth > limits.value(limits.PY_EXPR_DEPTH):
                return self.unknown("the expression is nested too deeply", node)
            value = self._expr(node)
        finally:
            self.depth -= 1
        if isinstance(value, Unknown) and value.error is None:
            return self.settable(value, node)
        return value

    def settable(self, value: Unknown, node: ast.expr) -> Value:
        """An unknown value ``--set`` can give: the value given, or the unknown naming what to set.

        A variable names itself; an attribute, subscript or call of data names the whole
        expression (``raw_data.shape[-1]``, ``len(chars)``), the outermost one that is not
        arithmetic, so that ``len(chars) + 1`` asks for ``len(chars)``.
        """
        if value.argument and value.setting is not None:
            return value  # a layer argument's value is what to set, not the layer or tensor it spoils
        if isinstance(node, ast.Name):  # a name never assigned, or assigned where rnnshape cannot follow
            if node.id in self.settings:
                return Const(self.settings[node.id])
            return value if value.setting is not None else replace(value, setting=node.id, setting_at=self.at(node))
        if isinstance(node, ast.Call):
            path = self.static_path(node.func)
            if path is not None and keras_symbol(path) is not None:
                return value  # a Keras layer with an unknown argument: that argument is what to set
            builtin = isinstance(node.func, ast.Name) and node.func.id in SAFE_BUILTINS and node.func.id not in self.env
            if builtin and getattr(node.func, "id", "") != "len" and (value.setting or "").isidentifier():
                return value  # range(depth - 1), int(n): the variable is what to set
        elif not isinstance(node, (ast.Attribute, ast.Subscript)):
            return value
        key = ast.unparse(node)
        if key in self.settings:
            return Const(self.settings[key])
        return replace(value, setting=key, setting_at=self.at(node))

    def settable_name(self, name: str, value: Unknown, node: ast.AST) -> Value:
        if name in self.settings:
            return Const(self.settings[name])
        if value.setting is not None and (value.setting.isidentifier() or value.argument):
            return value  # the variable first assigned, or the expression a layer argument holds, is what to set
        reason = f"'{name}' ({self.at(node)}) is known only at run time: {value.reason}"
        return replace(value, reason=reason, setting=name, setting_at=self.at(node))

    def _expr(self, node: ast.expr) -> Value:
        if isinstance(node, ast.Constant):
            return Const(node.value)  # already in the syntax tree: nothing new is built
        if isinstance(node, ast.Name):
            return self.lookup(node.id, node)
        if isinstance(node, ast.Attribute):
            return self.attribute(self.expr(node.value), node)
        if isinstance(node, (ast.Tuple, ast.List)):
            values: list[Value] = []
            for elt in node.elts:
                if isinstance(elt, ast.Starred):  # [Input(...), *layers, Dense(1)]
                    inner = self.expr(elt.value)
                    items = loop_items(inner)
                    values += items if items is not None else [inner if isinstance(inner, Unknown) else self.unknown("starred items known only at run time", elt)]
                else:
                    values.append(self.expr(elt))
            folded = constant_or_items(values, isinstance(node, ast.List))
            # A constant display is charged like any folded value (``a = [a, a]`` doubles).
            return self.folded(lambda: folded.value, node) if isinstance(folded, Const) else folded
        if isinstance(node, ast.BinOp):
            return self.binary(node.op, self.expr(node.left), self.expr(node.right), node)
        if isinstance(node, ast.UnaryOp):
            operand = self.expr(node.operand)
            if isinstance(operand, Tensor) and not isinstance(node.op, (ast.Not, ast.Invert)):
                return operand if isinstance(node.op, ast.UAdd) else self.tensor_operator("USub", [operand], node)
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
            return self.if_exp(node)
        if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
            return self.comprehension(node)
        if isinstance(node, ast.JoinedStr):
            return self.f_string(node)
        if isinstance(node, ast.Dict):
            return self.dict_display(node)
        if isinstance(node, ast.Subscript):
            return self.subscript(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.NamedExpr):
            value = self.expr(node.value)
            self.bind(node.target, value)
            return value
        kind = _EXPRESSION_NAMES.get(type(node).__name__, f"{type(node).__name__} expression")
        return self.unknown(f"a {kind} is not evaluated", node)

    def if_exp(self, node: ast.IfExp) -> Value:
        test = self.expr(node.test)
        if isinstance(test, Const):
            return self.expr(node.body if test.value else node.orelse)
        gpu_body, gpu_else = mentions_gpu_only([node.body]), mentions_gpu_only([node.orelse])
        if gpu_body != gpu_else:  # LSTM = CuDNNLSTM if gpu else LSTM
            self.note_gpu_branch(node)
            return self.expr(node.orelse if gpu_body else node.body)
        return test if isinstance(test, Unknown) else self.unknown("a conditional expression on a non-constant", node)

    def note_gpu_branch(self, node: ast.AST) -> None:
        note = (
            f"{self.at(node)}: read the branch that runs on a machine without a GPU "
            "(CuDNN layers are Keras 2 only; Keras 3's LSTM and GRU use cuDNN by themselves)"
        )
        if note not in self.notes:
            self.notes.append(note)

    def folded(self, fold: Any, node: ast.AST) -> Value:
        """A constant built by ``fold()``, charged to the file's budget; or why it is not known."""
        try:
            return Const(self.fold_budget.charge_value(fold()))
        except FoldError as err:
            return self.unknown(f"cannot compute this constant: {err}", node)

    def binary(self, op: ast.operator, left: Value, right: Value, node: ast.AST) -> Value:
        if isinstance(left, Tensor) or isinstance(right, Tensor):  # x + y, x * 2: an operation
            return self.tensor_operator(type(op).__name__, [left, right], node)
        if isinstance(left, Const) and isinstance(right, Const):
            return self.folded(lambda: fold_binary(op, left.value, right.value), node)
        if isinstance(op, ast.Add) and isinstance(left, (Const, Items)) and isinstance(right, (Const, Items)):
            # [decoder_inputs] + decoder_states_inputs: lists of tensors or layers joined
            first, second = loop_items(left), loop_items(right)
            if first is not None and second is not None and _is_list(left) == _is_list(right):
                return constant_or_items([*first, *second], _is_list(left))
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
        if isinstance(base, ModelRef):  # model.inputs, model.layers[0].output
            return self.model_attribute(base, node.attr, node)
        if isinstance(base, LayerObj) and node.attr == "output" and len(self.builder.calls_of(base)) == 1:
            return Tensor(self.builder.calls_of(base)[0])
        return self.unknown(f"'.{node.attr}' is known only at run time", node)

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
            op = find_op(func)
            if op is not None:  # keras.ops.reshape(x, ...), tf.reduce_max(x, ...)
                return self.op_call(*op, func, node)
            if unread_op(func):
                return self.unknown(unread_op(func) or "", node)
            sym = keras_symbol(func)
            helper = merge_helper_class(sym)
            if helper is not None:  # keras.layers.concatenate([a, b])
                return self.merge_helper(helper, node)
            if sym is not None:
                return self.builder.keras_call(sym, func, node)
            if func.parts[0] == "builtins" and len(func.parts) == 2 and func.parts[1] in SAFE_BUILTINS:
                return self.builtin(func.parts[1], node)
        if isinstance(func, Function):
            return self.call_function(func, node)
        if isinstance(func, LayerObj):
            return self.builder.apply_layer(func, node)
        if isinstance(func, ModelRef):
            layer = self.builder.model_layer(func, node)
            return self.builder.apply_layer(layer, node) if isinstance(layer, LayerObj) else layer
        if isinstance(func_node, ast.Name) and func_node.id in self.custom_classes:
            return self.instantiate(func_node.id, node)
        if isinstance(func_node, ast.Name) and func_node.id in self.local_functions:
            # A function of this file may change a model handed to it.
            for arg in node.args:
                self.break_model(arg, f"it is passed to {func_node.id}(), which rnnshape does not run", node)
        if isinstance(func, Unknown):
            # Calling something unknown (a method of data, a layer rnnshape could not make): its cause.
            return func
        if isinstance(func, Path) and len(func.parts) > 1 and func.parts[-1][:1].isupper():  # a class from another module
            return self.unknown(f"{_short(func_node)}(...) comes from module '{'.'.join(func.parts[:-1])}', which rnnshape does not read", node)
        return self.unknown(f"{_short(func_node)}(...) is a function call, which rnnshape does not run", node)

    def instantiate(self, class_name: str, node: ast.Call) -> Value:
        """``MyLayer(16)`` of a class the file defines; the statement reader (``SourceReader``) knows them."""
        return self.unknown(f"'{class_name}' is a class of the file, known only to the statement reader", node)

    def call_function(self, func: Function, node: ast.Call) -> Value:
        """A call of one of the file's functions; the statement reader (``SourceReader``) reads it."""
        return self.unknown(f"{func.node.name}(...) is a function of the file, read only by the statement reader", node)

    def builtin(self, name: str, node: ast.Call) -> Value:
        args = [self.expr(a) for a in node.args]
        if node.keywords or not all(isinstance(a, Const) for a in args):
            return next((a for a in args if isinstance(a, Unknown)), None) or self.unknown(
                f"{name}(...) of a non-constant", node
            )
        values = [a.value for a in args if isinstance(a, Const)]
        return self.folded(lambda: fold_builtin(name, values), node)


# How an expression the reader does not evaluate is named in its messages.
_EXPRESSION_NAMES = {"SetComp": "set comprehension", "DictComp": "dict comprehension", "Lambda": "lambda expression"}

_PYTHON_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))


def _is_list(value: Const | Items) -> bool:
    return value.is_list if isinstance(value, Items) else isinstance(value.value, list)


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
