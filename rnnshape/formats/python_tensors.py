"""Tensor plumbing in the static Python reader: operations on symbolic Keras tensors.

``TensorSyntax`` is the part of the evaluator (``python_eval.Evaluator``) that reads what
is done to a Keras tensor outside a layer: a ``keras.ops`` call (``ops.reshape(x, (-1, 8))``,
or the ``tf.reshape`` of tf.keras 2 code), a Python operator (``x + y``, ``x * 2``, ``-x``,
``x @ w``), a subscript (``x[:, -1, :]``; subscripts of constants, lists and dicts are read
here too), a model's ``inputs``/``layers[i].output``, and the lower-case merge helpers of
``keras.layers`` (``concatenate([a, b])`` is ``Concatenate()([a, b])``). Each operation
becomes one graph node of the operation's registry entry (``rnnshape.layers.tensor_ops``),
as Keras 3 records one operation per call. Nothing is run: only operations the registry
lists are read, with constant arguments; anything else stays unknown with its cause.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import Any, Sequence

from ..errors import SpecError
from ..layers.tensor_op_rules import ELLIPSIS
from ..layers.tensor_ops import BY_FUNCTION, BY_TF_NAME, OPERATORS, TensorOp, tf_call_rejected
from .python_builder import ModelBuilder
from .python_keras import dtype_value, keras_symbol
from . import python_graph as g
from .python_values import Const, FoldError, Items, ModelRef, Path, Tensor, Unknown, Value

# The TensorFlow package as an import path spells it (``import tensorflow as tf``).
_TF = "tensorflow"


def find_op(path: Path) -> tuple[TensorOp, bool] | None:
    """The operation a called path means, and whether it is the TensorFlow spelling."""
    sym = keras_symbol(path)
    parts = path.parts
    if sym is not None:
        keras_at = max(i for i, p in enumerate(parts) if p in ("keras", "tf_keras"))
        if sym[0] == "ops" or parts[keras_at + 1 : keras_at + 2] == ("ops",):
            found = BY_FUNCTION.get(sym[1])
            return (found, False) if found is not None else None
        return None
    if len(parts) >= 2 and parts[0] == _TF:
        found = BY_TF_NAME.get(".".join(parts[1:]))
        return (found, True) if found is not None else None
    return None


def unread_op(path: Path) -> str | None:
    """Why a ``keras.ops`` function the registry does not list is not read (None for other paths)."""
    sym = keras_symbol(path)
    if sym is None or sym[0] != "ops" or find_op(path) is not None:
        return None
    return (
        f"keras.ops.{sym[1]}(...) is an operation on tensors that rnnshape does not read "
        "(`rnnshape layers` lists the ones it does, under 'Operations on tensors')"
    )


class TensorSyntax:
    """Operations on tensors; ``Evaluator`` supplies what is declared here."""

    builder: ModelBuilder
    notes: list[str]

    def expr(self, node: ast.expr) -> Value:
        raise NotImplementedError

    def unknown(self, reason: str, node: ast.AST) -> Unknown:
        raise NotImplementedError

    def at(self, node: ast.AST) -> str:
        raise NotImplementedError

    def binary(self, op: ast.operator, left: Value, right: Value, node: ast.AST) -> Value:
        raise NotImplementedError

    def folded(self, fold: Any, node: ast.AST) -> Value:
        raise NotImplementedError

    # ------------------------------------------------------------ keras.ops.X(...), tf.X(...)

    def op_call(self, op: TensorOp, tf: bool, path: Path, node: ast.Call) -> Value:
        shown = ".".join(path.parts[1:]) if tf else f"keras.ops.{op.function}"
        bound = self._bind(op, tf, shown, node)
        if not isinstance(bound, dict):
            return bound
        inputs: list[Tensor] = []
        args: dict[str, Any] = {}
        for param in op.tensors:
            value = self.expr(bound.pop(param))
            if isinstance(value, Unknown):
                return value
            if op.as_list:
                value = self.as_outputs(value)
                if not (isinstance(value, Items) and value.values and all(isinstance(v, Tensor) for v in value.values)):
                    return self.unknown(f"{shown}(...) of something that is not a list of Keras tensors", node)
                inputs += [_one(v) for v in value.values if isinstance(v, Tensor)]
            elif isinstance(value, Tensor):
                inputs.append(_one(value))
            elif _is_number(value) and any(a.name == param for a in op.layer.args):
                args[param] = value.value if isinstance(value, Const) else None
            else:
                return self.unknown(f"{shown}(...) of something that is not a Keras tensor", node)
        if not inputs:
            return self.unknown(f"{shown}(...) of no Keras tensor is a function call, which rnnshape does not run", node)
        for param, value_node in bound.items():
            value = dtype_value(self.expr(value_node))
            if isinstance(value, Unknown):
                return replace(value, reason=f"{shown}({param}=...): {value.reason}", argument=True)
            if not isinstance(value, Const):
                return self.unknown(f"{shown}({param}=...): this value cannot be read statically", value_node)
            if not (tf and value.value is None):  # TensorFlow's None is its default
                args[param] = _plain(value.value)
        if not tf:
            return self.builder.op_node(op, args, inputs, node)
        call = f"tf.{shown}"
        note = f"{self.at(node)}: {tf_call_rejected(call)}; read as keras.ops.{op.function}, which gives the same shapes"
        if note not in self.notes:
            self.notes.append(note)
        return self.builder.op_node(op, args, inputs, node, tf_function=call)

    def _bind(self, op: TensorOp, tf: bool, shown: str, node: ast.Call) -> dict[str, ast.expr] | Unknown:
        """The call's arguments by the operation's parameter names (TensorFlow's renamed)."""
        pairs = op.tf.params if tf and op.tf is not None else tuple((p, p) for p in op.params)
        names = dict(pairs)
        if len(node.args) > len(pairs):
            return self._wrong(f"{shown}() takes at most {len(pairs)} positional arguments", node)
        given: dict[str, ast.expr] = {}
        for (_, param), arg in zip(pairs, node.args):
            if isinstance(arg, ast.Starred):
                return self.unknown(f"{shown}(*args) cannot be read statically", arg)
            if param is not None:
                given[param] = arg
        for kw in node.keywords:
            if kw.arg is None:
                return self.unknown(f"{shown}(**kwargs) cannot be read statically", kw.value)
            if kw.arg not in names:
                return self._wrong(f"{shown}() got an unexpected keyword argument '{kw.arg}'", kw.value)
            param = names[kw.arg]
            if param is not None:
                given[param] = kw.value
        missing = [p for p in op.tensors if p not in given]
        if missing:
            return self._wrong(f"{shown}() is missing the tensor argument '{missing[0]}'", node)
        return given

    def _wrong(self, message: str, node: ast.AST) -> Unknown:
        error = SpecError(message, pos=self.builder.reader.pos(node))
        return Unknown(message, error.pos, error)

    # ------------------------------------------------------------ operators and subscripts

    def tensor_operator(self, operator: str, operands: list[Value], node: ast.AST) -> Value:
        """``x + y``, ``x * 2``, ``1 - x``, ``x @ w``, ``-x``: the operation Keras 3 records."""
        if operator == "Add" and any(_is_list(v) for v in operands):  # ops.split(x, 2) + [y]: lists joined
            return self.binary(ast.Add(), self.as_outputs(operands[0]), self.as_outputs(operands[1]), node)
        op = OPERATORS.get(operator)
        if op is None:
            return self.unknown(f"the operator {operator} on a Keras tensor is not read", node)
        inputs: list[Tensor] = []
        args: dict[str, Any] = {}
        for param, value in zip(op.params, operands):
            if isinstance(value, Unknown):
                return value
            if isinstance(value, Tensor):
                inputs.append(_one(value))
            elif _is_number(value) and any(a.name == param for a in op.layer.args):
                args[param] = value.value if isinstance(value, Const) else None
            else:
                return self.unknown(f"the operator {operator} on a Keras tensor and a value that is not a number", node)
        return self.builder.op_node(op, args, inputs, node)

    def subscript(self, node: ast.Subscript) -> Value:
        base = self.expr(node.value)
        if isinstance(base, Unknown):
            return base
        if isinstance(base, Tensor):
            return self.tensor_subscript(base, node)
        if isinstance(node.slice, ast.Slice):
            bounds = [self.expr(b) if b is not None else Const(None) for b in (node.slice.lower, node.slice.upper, node.slice.step)]
            if isinstance(base, Const) and all(isinstance(b, Const) for b in bounds):
                parts = [b.value for b in bounds if isinstance(b, Const)]
                return self.folded(lambda: index_value(base.value, slice(*parts)), node)
            return self.unknown("a slice of a non-constant", node)
        index = self.expr(node.slice)
        if isinstance(base, Items) and base.keys is not None and isinstance(index, Const):  # inputs["words"]
            if index.value in base.keys:
                return base.values[base.keys.index(index.value)]
            return self.unknown(f"the dict has no key {index.value!r}", node)
        if isinstance(base, Const) and isinstance(base.value, dict) and isinstance(index, Const):
            key = index.value
            return self.folded(lambda: index_value(base.value, key), node)
        if not isinstance(index, Const) or isinstance(index.value, bool) or not isinstance(index.value, int):
            return index if isinstance(index, Unknown) else self.unknown("a subscript that is not a constant integer", node)
        i = index.value
        if isinstance(base, Const):
            return self.folded(lambda: index_value(base.value, i), node)
        if isinstance(base, Items) and -len(base.values) <= i < len(base.values):
            return base.values[i]
        return self.unknown("this subscript is known only at run time", node)

    def as_outputs(self, value: Value) -> Value:
        """The list of outputs of a call that returns several (``ops.split``, ``return_state``)."""
        if isinstance(value, Tensor) and value.whole:
            count = self.builder.output_count(value.node)
            if count is not None and count > 1:
                return Items(tuple(Tensor(value.node, i, False) for i in range(count)), True)
        return value

    def tensor_subscript(self, base: Tensor, node: ast.Subscript) -> Value:
        """``x[:, -1, :]`` on a tensor (a ``GetItem`` operation); on the whole result of a layer
        that returns several tensors (``lstm(x)[1]``, ``outputs[1:]``), the chosen outputs."""
        count = self.builder.output_count(base.node) if base.whole else 1
        # Not inferable yet (count None): a plain index or slice picks outputs as written,
        # a tuple key (``h[:, -1]``) can only be a GetItem.
        if base.whole and (count is not None and count > 1 or count is None and not isinstance(node.slice, ast.Tuple)):
            return self._outputs(base, count, node)
        key = self._key(node.slice)
        if isinstance(key, Unknown):
            return key
        return self.builder.op_node(BY_FUNCTION["get_item"], {"key": key}, [_one(base)], node)

    def _outputs(self, base: Tensor, count: int | None, node: ast.Subscript) -> Value:
        if isinstance(node.slice, ast.Slice):
            bounds = [self.expr(b) if b is not None else Const(None) for b in (node.slice.lower, node.slice.upper, node.slice.step)]
            if count is not None and all(isinstance(b, Const) and (b.value is None or _is_int(b.value)) for b in bounds):
                picked = range(count)[slice(*(b.value for b in bounds if isinstance(b, Const)))]
                return Items(tuple(Tensor(base.node, i, False) for i in picked), True)
            return self.unknown("this slice of a layer's outputs is known only at run time", node)
        index = self.expr(node.slice)
        if isinstance(index, Const) and _is_int(index.value):
            if count is None and index.value >= 0:  # not inferable yet: the index is taken as written
                return Tensor(base.node, index.value, False)
            if count is not None and -count <= index.value < count:
                return Tensor(base.node, index.value % count, False)
        return index if isinstance(index, Unknown) else self.unknown("this subscript of a layer's outputs is known only at run time", node)

    def _key(self, node: ast.expr) -> list[Any] | Unknown:
        parts = node.elts if isinstance(node, ast.Tuple) else [node]
        key: list[Any] = []
        for part in parts:
            if isinstance(part, ast.Slice):
                bounds = [self.expr(b) if b is not None else Const(None) for b in (part.lower, part.upper, part.step)]
                if not all(isinstance(b, Const) and (b.value is None or _is_int(b.value)) for b in bounds):
                    return next((b for b in bounds if isinstance(b, Unknown)), None) or self.unknown(
                        "a slice of a Keras tensor with bounds that are not constant integers", part
                    )
                key.append(["slice", *(b.value for b in bounds if isinstance(b, Const))])
                continue
            value = self.expr(part)
            if isinstance(value, Const) and (value.value is None or value.value is Ellipsis or _is_int(value.value)):
                key.append(ELLIPSIS if value.value is Ellipsis else value.value)
            elif isinstance(value, Unknown):
                return value
            else:
                return self.unknown("a subscript of a Keras tensor that is not integers, slices, None or ...", part)
        return key

    # ------------------------------------------------------------ model.inputs, model.layers[i].output

    def model_attribute(self, ref: ModelRef, attr: str, node: ast.AST) -> Value:
        """``model.inputs``/``input``/``outputs``/``output``, and a Sequential's ``model.layers``
        (whose ``.output`` is then known): a Sequential is laid into the graph for that, once."""
        found = self.builder.models[ref.uid]
        model = found.model
        if isinstance(model, g.SequentialDef):
            laid = self.builder.lay_out(ref, found.var or g.model_default_name(model), node)
            if isinstance(laid, Unknown):
                return laid
            ins, layers = laid
            outs = [Tensor(self.builder.calls_of(layers[-1])[0])] if layers else ins
        elif isinstance(model, g.FunctionalDef) and attr != "layers":
            if isinstance(model.inputs, Unknown):
                return model.inputs
            if isinstance(model.outputs, Unknown):
                return model.outputs
            ins, outs, layers = model.inputs, model.outputs, []
        else:
            return self.unknown(f"'.{attr}' of this model is known only at run time", node)
        chosen: dict[str, Sequence[Value]] = {"inputs": ins, "input": ins, "outputs": outs, "output": outs, "layers": layers}
        if attr not in chosen:
            return self.unknown(f"'.{attr}' of a model is known only at run time", node)
        values = chosen[attr]
        if attr in ("input", "output") and len(values) == 1:
            return values[0]
        return Items(tuple(values), True)

    # ------------------------------------------------------------ keras.layers.concatenate([...])

    def merge_helper(self, class_name: str, node: ast.Call) -> Value:
        """``keras.layers.concatenate(inputs, axis=-1)`` builds ``Concatenate(axis=-1)`` and calls
        it on ``inputs``; the other helpers likewise (``dot`` with ``axes=-1`` by default)."""
        inputs = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "inputs"), None)
        if inputs is None:
            return self.unknown(f"{class_name.lower()}(...) without its list of inputs", node)
        layer_call = ast.Call(node.func, node.args[1:], [k for k in node.keywords if k.arg != "inputs"])
        ast.copy_location(layer_call, node)
        if class_name == "Dot" and len(node.args) < 2 and not any(k.arg == "axes" for k in node.keywords):
            layer_call.keywords.append(ast.keyword("axes", ast.Constant(-1)))
        layer = self.builder.helper_layer(class_name, layer_call)
        if isinstance(layer, Unknown):
            return layer
        return self.builder.apply_to(layer, self.expr(inputs), inputs, node)


def index_value(value: Any, index: Any) -> Any:
    if isinstance(value, dict) and isinstance(index, (str, int)):
        if index not in value:
            raise FoldError(f"no key {index!r}")
        return value[index]
    if not isinstance(value, (tuple, list, str)):
        raise FoldError("only tuples, lists, strings and dicts are indexed")
    try:
        return value[index]
    except (IndexError, TypeError, ValueError) as err:
        raise FoldError(str(err)) from None


def _one(value: Tensor) -> Tensor:
    return Tensor(value.node, value.index, False)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_list(value: Value) -> bool:
    return isinstance(value, Items) and value.is_list or isinstance(value, Const) and isinstance(value.value, list)


def _is_number(value: Value) -> bool:
    return isinstance(value, Const) and isinstance(value.value, (int, float)) and not isinstance(value.value, bool)


def _plain(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value
