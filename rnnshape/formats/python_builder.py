"""Keras models built from the calls a static reading of Python source meets.

The evaluator (``python_eval``) works out what each expression is; when a call turns
out to be Keras (``LSTM(8)``, ``Input(shape=...)``, ``layer(x)``, ``Sequential([...])``,
``model.add(...)``, ``Model(inputs, outputs)``, ``layer.build(shape)``) it hands the
call to the ``ModelBuilder`` here, which records layer specs, graph nodes and model
definitions. ``python_graph`` later cuts each model out of that record.

The builder is a collaborator rather than a mixin: it owns the model state (the graph,
the models found, the uid counter) and sees the evaluator only through the small
``Evaluating`` protocol below (evaluate an argument, give a position, make an
``Unknown``, add a warning), so the dependency between the two is explicit and typed.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import Any, Protocol, Sequence

from ..errors import Position, RnnshapeError, Skipped, SpecError, UnknownLayer
from ..layers import get_layer_def
from ..layers.tensor_ops import TensorOp
from ..spec import LayerSpec, ModelSpec
from . import python_graph as g
from .python_keras import (
    FUNCTIONAL_CLASSES,
    INPUT_POSITIONAL,
    LAYER_NAMESPACES,
    activation_name,
    dtype_value,
    input_layer_keras3,
    shape_free,
)
from .python_values import Const, Items, LayerObj, ModelRef, Path, Tensor, Unknown, Value


class Evaluating(Protocol):
    """What the builder needs from the evaluator."""

    warnings: list[RnnshapeError]

    def expr(self, node: ast.expr) -> Value: ...

    def pos(self, node: ast.AST) -> Position: ...

    def unknown(self, reason: str, node: ast.AST) -> Unknown: ...


class _Stop(Exception):
    """Unwinds out of building a layer when one of its arguments is unknown."""

    def __init__(self, unknown: Unknown) -> None:
        super().__init__(unknown.reason)
        self.unknown = unknown


class ModelBuilder:
    """The Keras graph and model definitions recorded so far, shared by every statement."""

    def __init__(self, reader: Evaluating) -> None:
        self.reader = reader
        self.graph: list[g.GraphNode] = []
        self.found: list[g.Found] = []
        self.models: dict[int, g.Found] = {}
        self.model_layers: dict[int, LayerObj | Unknown] = {}  # a model used as a layer, by its uid
        # A Sequential laid into the graph for ``model.inputs`` / ``model.layers[i].output``, by uid.
        # (Keyed by the layer count too: layers added later make a new lay-out, as Keras rebuilds.)
        self.laid_out: dict[tuple[int, int], tuple[list[Tensor], list[LayerObj]] | Unknown] = {}
        self.uids = 0

    def new_uid(self) -> int:
        self.uids += 1
        return self.uids

    def name_model(self, ref: ModelRef, var: str, depth: int = 0) -> None:
        """The first variable a model is assigned to names it; one in an outer function wins
        (``model = build_model(64)`` names it ``model`` whatever ``build_model`` calls it)."""
        found = self.models[ref.uid]
        if found.var is None or depth < found.depth:
            found.var = var
            found.depth = depth

    def break_model(self, ref: Value | None, reason: str, node: ast.AST, cause: Unknown | None = None) -> None:
        """A Sequential model changed by code rnnshape does not follow is skipped. ``cause`` is the
        value from data that hides the code (a loop's count, a condition): --set can give it."""
        why = self.reader.unknown(reason, node)
        if cause is not None and cause.setting is not None:
            why = replace(why, reason=f"{reason}: {cause.reason}", setting=cause.setting, setting_at=cause.setting_at, argument=True)
        self.mark_broken(ref, why)

    def mark_broken(self, ref: Value | None, why: Unknown) -> None:
        if isinstance(ref, ModelRef):
            model = self.models[ref.uid].model
            if isinstance(model, g.SequentialDef) and model.broken is None:
                model.broken = why

    # ------------------------------------------------------------ layers and tensors

    def keras_call(self, sym: tuple[str, str], path: Path, node: ast.Call) -> Value:
        namespace, name = sym
        if name == "Sequential":
            return self.new_sequential(node)
        if name in FUNCTIONAL_CLASSES:
            return self.new_functional(node)
        if name == "Input":
            return self.new_input(node)
        if namespace not in LAYER_NAMESPACES and namespace != "models" or not name[:1].isupper():
            return self.reader.unknown(f"{path.dotted}(...) is not a Keras layer", node)
        try:
            spec = self.layer_spec(name, node)
        except _Stop as stop:
            return stop.unknown
        if spec.class_name == "InputLayer":
            spec = input_layer_keras3(spec)
        return LayerObj(self.new_uid(), spec)

    def layer_spec(self, class_name: str, node: ast.Call, positional: Sequence[str] | None = None) -> LayerSpec:
        pos = self.reader.pos(node)
        try:
            layer_def = get_layer_def(class_name, pos=pos)
        except UnknownLayer as err:
            if err.removed:
                raise _Stop(Unknown(err.message, pos, err)) from None
            return self.unsupported_layer(class_name, node)
        except SpecError as err:
            raise _Stop(Unknown(err.message, pos, err)) from None
        names = list(positional if positional is not None else layer_def.arg_names)
        if len(node.args) > len(names):
            raise _Stop(
                Unknown("", None, SpecError(f"{class_name} takes at most {len(names)} positional arguments", pos=pos))
            )
        args: dict[str, Any] = {}
        arg_pos: dict[str, Position] = {}
        given: list[tuple[str | None, ast.expr]] = list(zip(names, node.args))
        given += [(kw.arg, kw.value) for kw in node.keywords]
        for key, value_node in given:
            if isinstance(value_node, ast.Starred) or key is None:
                raise _Stop(self.reader.unknown(f"{class_name}(*args/**kwargs) cannot be read statically", value_node))
            if key in args:
                raise _Stop(Unknown("", None, SpecError(f"{class_name} got the argument '{key}' twice", pos=self.reader.pos(value_node))))
            value = self.reader.expr(value_node)
            if shape_free(key):
                # An initializer, regularizer or constraint object, weights=[...] or a dtype
                # changes no shape or count: kept when it is plain data, else left out.
                try:
                    args[key] = self.plain(dtype_value(value), f"{class_name}({key}=...)", value_node)
                except _Stop:
                    continue
            else:
                args[key] = self.plain(value, f"{class_name}({key}=...)", value_node)
            arg_pos[key] = self.reader.pos(value_node)
        name = args.get("name") if isinstance(args.get("name"), str) else None
        return LayerSpec(layer_def.class_name, args, name, pos, arg_pos)

    def unsupported_layer(self, class_name: str, node: ast.Call) -> LayerSpec:
        """A Keras class rnnshape has no entry for (a ``Lambda``, a layer it does not support):
        kept as a layer with the keyword arguments that are plain data, so that inference
        names it and ``--assume NAME=SHAPE`` can carry the model past it."""
        args: dict[str, Any] = {}
        arg_pos: dict[str, Position] = {}
        for kw in node.keywords:
            if kw.arg is None:
                continue
            try:
                args[kw.arg] = self.plain(self.reader.expr(kw.value), f"{class_name}({kw.arg}=...)", kw.value)
            except _Stop:
                continue  # a function or object argument: it does not matter to --assume
            arg_pos[kw.arg] = self.reader.pos(kw.value)
        name = args.get("name") if isinstance(args.get("name"), str) else None
        return LayerSpec(class_name, args, name, self.reader.pos(node), arg_pos)

    def custom_layer(self, class_name: str, defined_at: Position, node: ast.Call) -> LayerObj:
        """``MyLayer(16)`` of a layer class the file defines: a placeholder layer (its code is
        never run), named as Keras names it, that inference stops at unless --assume carries it."""
        spec = replace(self.unsupported_layer(class_name, node), defined_at=defined_at)
        return LayerObj(self.new_uid(), spec)

    def subclassed_model(self, why: Unknown) -> ModelRef:
        """``MyModel()`` of a ``keras.Model`` subclass the file defines: a model that is not read."""
        return self.register(g.FunctionalDef(why.pos or Position("?"), None, why, why))

    def plain(self, value: Value, what: str, node: ast.AST) -> Any:
        """A layer argument as plain data (tuples become lists, layers nested specs)."""
        if isinstance(value, Const):
            return _listify(value.value)
        if isinstance(value, LayerObj):
            return value.spec
        if isinstance(value, Items):
            return [self.plain(v, what, node) for v in value.values]
        if isinstance(value, Path) and activation_name(value) is not None:
            return activation_name(value)
        if isinstance(value, Unknown):
            raise _Stop(replace(value, reason=f"{what}: {value.reason}", argument=True))
        raise _Stop(self.reader.unknown(f"{what}: this value cannot be read statically", node))

    def new_input(self, node: ast.Call) -> Value:
        try:
            spec = self.layer_spec("InputLayer", node, INPUT_POSITIONAL)
        except _Stop as stop:
            return stop.unknown
        shape = spec.args.get("shape")
        if isinstance(shape, (int, float)) and not isinstance(shape, bool):
            # Keras 2 took Input(1, 68) as shape=(1,), batch_size=68; Keras 3 raises on it.
            batch = spec.args.get("batch_size")
            fixed = f"keras.Input(shape=({shape},)" + (f", batch_size={batch})" if batch is not None else ")")
            error = SpecError(
                f"Input(shape={shape}) is not a shape: Keras 3 raises \"Cannot convert '{shape}' to a shape\" "
                "(Keras 2 read a bare number as a one-element shape)",
                pos=spec.arg_pos.get("shape", spec.pos),
                hint=f"write {fixed}",
            )
            return Unknown(error.message, error.pos, error)
        self.graph.append(g.InputNode(spec))
        return Tensor(len(self.graph) - 1)

    def apply_layer(self, layer: LayerObj, node: ast.Call) -> Value:
        if not node.args:
            return self.reader.unknown("a layer called without inputs", node)
        return self.apply_to(layer, self.reader.expr(node.args[0]), node.args[0], node)

    def apply_to(self, layer: LayerObj, value: Value, value_node: ast.expr, node: ast.Call) -> Value:
        """``layer(value)``: one call node (``initial_state=`` read from ``node``'s keywords)."""
        try:
            inputs, as_list = self.tensors(value, value_node)
            state: tuple[Tensor, ...] = ()
            for kw in node.keywords:
                if kw.arg == "initial_state":
                    state, _ = self.tensors(self.reader.expr(kw.value), kw.value)
        except _Stop as stop:
            return stop.unknown
        self.graph.append(g.CallNode(layer.uid, layer.spec, inputs, as_list, state, self.reader.pos(node)))
        return Tensor(len(self.graph) - 1)

    def helper_layer(self, class_name: str, node: ast.Call) -> LayerObj | Unknown:
        """The layer a lower-case merge helper makes (``concatenate(xs, axis=1)``); ``node`` holds
        the helper's arguments after its inputs."""
        try:
            return LayerObj(self.new_uid(), self.layer_spec(class_name, node))
        except _Stop as stop:
            return stop.unknown

    def op_node(
        self, op: TensorOp, args: dict[str, Any], inputs: Sequence[Tensor], node: ast.AST, tf_function: str | None = None
    ) -> Tensor:
        """One operation on tensors (``keras.ops.reshape``, ``x + y``): a node of its own, as
        Keras 3 records one operation per call; ``tf_function`` the ``tf.X`` it was written as."""
        pos = self.reader.pos(node)
        spec = LayerSpec(op.key, args, None, pos, {key: pos for key in args}, tf_function=tf_function)
        self.graph.append(g.CallNode(self.new_uid(), spec, tuple(inputs), op.as_list, (), pos))
        return Tensor(len(self.graph) - 1)

    def model_layer(self, ref: ModelRef, node: ast.AST) -> LayerObj | Unknown:
        """A model used as a layer (``encoder(x)``, ``Sequential([base, Dense(1)])``): one layer
        holding the model as it is then, the same layer object at every call (shared weights)."""
        if ref.uid not in self.model_layers:
            found = self.models[ref.uid]
            kind = "Sequential" if isinstance(found.model, g.SequentialDef) else "Functional"
            name = found.var or g.model_default_name(found.model)
            spec = g.one_spec(name, found.model, self.graph, self.reader.pos(node).source)
            if isinstance(spec, ModelSpec):
                keras_name = None if isinstance(found.model, g.BuiltLayerDef) else found.model.keras_name
                nested = LayerSpec(kind, {"model": spec}, keras_name, self.reader.pos(node))
                self.model_layers[ref.uid] = LayerObj(self.new_uid(), nested)
            else:
                why = f"model '{name}' is used as a layer here, and it cannot be read: {spec.message}"
                self.model_layers[ref.uid] = Unknown(why, spec.pos, None if isinstance(spec, Skipped) else spec)
        return self.model_layers[ref.uid]

    def lay_out(self, ref: ModelRef, name: str, node: ast.AST) -> tuple[list[Tensor], list[LayerObj]] | Unknown:
        found = self.models[ref.uid].model
        assert isinstance(found, g.SequentialDef)
        key = (ref.uid, len(found.layers))
        if key not in self.laid_out:
            spec = g.sequential_spec(name, found, self.reader.pos(node).source)
            if not isinstance(spec, ModelSpec):
                why = f"model '{name}' cannot be read: {spec.message}"
                self.laid_out[key] = Unknown(why, spec.pos, None if isinstance(spec, Skipped) else spec)
            else:
                # Names as the code gave them (None: named in the model that uses them, as Keras does).
                given = [s.name for s in found.layers if s.class_name != "InputLayer"]
                first = found.layers[0].name if found.layers[0].class_name == "InputLayer" else None
                self.graph.append(g.InputNode(_renamed(spec.inputs[0], first)))
                last, layers = Tensor(len(self.graph) - 1), []
                for call, own in zip(spec.calls, given):
                    layer = LayerObj(self.new_uid(), _renamed(call.layer, own))
                    self.graph.append(g.CallNode(layer.uid, layer.spec, (last,), False, (), self.reader.pos(node)))
                    last = Tensor(len(self.graph) - 1, 0, False)
                    layers.append(layer)
                self.laid_out[key] = ([Tensor(len(self.graph) - len(layers) - 1)], layers)
        return self.laid_out[key]

    def calls_of(self, layer: LayerObj) -> list[int]:
        """The graph nodes that call ``layer`` (``layer.output`` is known when there is one)."""
        return [i for i, n in enumerate(self.graph) if isinstance(n, g.CallNode) and n.layer == layer.uid]

    def output_count(self, node_id: int) -> int | None:
        """How many tensors a layer call returns (``out, *states = lstm(x)``), by inferring the
        graph up to it; None when that cannot be inferred yet."""
        from ..infer import infer_model  # the core; only a starred unpacking needs it

        call = self.graph[node_id]
        if not isinstance(call, g.CallNode):
            return 1
        inputs, stack, seen = [], [node_id], set()
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            node = self.graph[current]
            if isinstance(node, g.InputNode):
                inputs.append(Tensor(current))
            else:
                stack += [t.node for t in (*node.inputs, *node.initial_state)]
        probe = g.FunctionalDef(call.pos, None, sorted(inputs, key=lambda t: t.node), [Tensor(node_id, 0, False)])
        spec = g.functional_spec("probe", probe, self.graph, call.pos.source)
        try:
            report = infer_model(spec) if isinstance(spec, ModelSpec) else None
        except RnnshapeError:
            return None
        return len(report.layers[-1].outputs) if report is not None else None

    def tensors(self, value: Value, node: ast.AST) -> tuple[tuple[Tensor, ...], bool]:
        """Layer-call inputs: one tensor, or a list of them (``as_list``)."""
        if isinstance(value, Tensor):
            return (Tensor(value.node, value.index, False),), False
        if isinstance(value, Items) and all(isinstance(v, Tensor) for v in value.values):
            return tuple(Tensor(v.node, v.index, False) for v in value.values if isinstance(v, Tensor)), True
        if isinstance(value, Unknown):
            raise _Stop(value)
        if isinstance(value, Items):
            bad = next((v for v in value.values if isinstance(v, Unknown)), None)
            if bad is not None:
                raise _Stop(bad)
        raise _Stop(self.reader.unknown("this is not a Keras tensor from Input(...) or a layer call", node))

    # ------------------------------------------------------------ models

    def register(self, model: g.ModelDef, var: str | None = None) -> ModelRef:
        uid = self.new_uid()
        found = g.Found(model, var)
        self.models[uid] = found
        self.found.append(found)
        return ModelRef(uid)

    def keyword(self, node: ast.Call, name: str, index: int | None = None) -> ast.expr | None:
        if index is not None and len(node.args) > index:
            return node.args[index]
        return next((kw.value for kw in node.keywords if kw.arg == name), None)

    def keras_name(self, node: ast.Call) -> str | None:
        name_node = self.keyword(node, "name")
        value = self.reader.expr(name_node) if name_node is not None else None
        return value.value if isinstance(value, Const) and isinstance(value.value, str) else None

    def new_sequential(self, node: ast.Call) -> Value:
        model = g.SequentialDef(self.reader.pos(node), self.keras_name(node))
        layers_node = self.keyword(node, "layers", 0)
        if layers_node is not None:
            value = self.reader.expr(layers_node)
            if isinstance(value, Items):
                for item in value.values:
                    self.add_layer(model, item, layers_node)
            elif isinstance(value, Unknown):
                model.broken = value
            elif not (isinstance(value, Const) and value.value in ([], (), None)):
                model.broken = self.reader.unknown("the layers of Sequential(...) must be a list of layers", layers_node)
        return self.register(model)

    def add_layer(self, model: g.SequentialDef, value: Value, node: ast.AST) -> None:
        if model.broken is not None:
            return
        if isinstance(value, LayerObj):
            model.layers.append(value.spec)
        elif isinstance(value, Tensor) and value.whole and isinstance(self.graph[value.node], g.InputNode):
            model.layers.append(self.graph[value.node].spec)
        elif isinstance(value, Unknown):
            model.broken = value
        elif isinstance(value, ModelRef):
            layer = self.model_layer(value, node)
            if isinstance(layer, LayerObj):
                model.layers.append(layer.spec)
            else:
                model.broken = layer
        else:
            model.broken = self.reader.unknown("this is not a layer", node)

    def new_functional(self, node: ast.Call) -> Value:
        ins = self.keyword(node, "inputs", 0)
        outs = self.keyword(node, "outputs", 1)
        if ins is None or outs is None:
            why = self.reader.unknown("Model(...) without inputs and outputs (a subclassed model) cannot be read statically", node)
            return self.register(g.FunctionalDef(self.reader.pos(node), self.keras_name(node), why, why))
        return self.register(
            g.FunctionalDef(self.reader.pos(node), self.keras_name(node), self.model_tensors(ins), self.model_tensors(outs))
        )

    def model_tensors(self, node: ast.expr) -> list[Tensor] | Unknown:
        try:
            tensors, _ = self.tensors(self.reader.expr(node), node)
        except _Stop as stop:
            return stop.unknown
        return list(tensors)

    def model_method(self, ref: ModelRef, attr: str, node: ast.Call) -> Value:
        model = self.models[ref.uid].model
        if isinstance(model, g.SequentialDef):
            if attr == "add" and node.args:
                self.add_layer(model, self.reader.expr(node.args[0]), node.args[0])
                return Const(None)
            if attr == "pop" and model.broken is None:
                if model.layers:
                    model.layers.pop()
            elif attr == "build":
                shape_node = self.keyword(node, "input_shape", 0)
                shape = self.reader.expr(shape_node) if shape_node is not None else None
                if isinstance(shape, Const) and isinstance(shape.value, (tuple, list)):
                    model.build_shape = list(shape.value)
                elif isinstance(shape, Unknown) and model.broken is None:
                    model.broken = shape
        return self.reader.unknown(f"the result of model.{attr}(...) is known only at run time", node)

    def layer_build(self, layer: LayerObj, target: ast.expr, node: ast.Call) -> Value:
        shape_node = self.keyword(node, "input_shape", 0)
        shape = self.reader.expr(shape_node) if shape_node is not None else None
        var = target.id if isinstance(target, ast.Name) else None
        if isinstance(shape, Const) and isinstance(shape.value, (tuple, list)):
            keyword = not node.args
            self.found.append(g.Found(g.BuiltLayerDef(self.reader.pos(node), layer.spec, list(shape.value), keyword), var))
        elif isinstance(shape, Unknown):
            self.reader.warnings.append(
                Skipped(f"{var or 'layer'}.build(...) skipped: {shape.reason}", pos=shape.pos or self.reader.pos(node))
            )
        return Const(None)


def _renamed(spec: LayerSpec, name: str | None) -> LayerSpec:
    return LayerSpec(spec.class_name, spec.args, name, spec.pos, spec.arg_pos, spec.legacy, spec.defined_at, spec.tf_function)


def _listify(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_listify(v) for v in value]
    return value

