"""Keras models read statically from Python source: the file is parsed, never imported or run.

A small abstract interpreter walks the top-level statements in order. It knows
imports (so ``tf.keras.layers.LSTM``, ``layers.LSTM`` and ``from keras.layers import
LSTM as R`` all mean LSTM), folds constants (``T = 10; D = 3; shape=(T, D)``), and
records ``Input(...)``, layer objects, layer calls and model definitions
(``Sequential([...])``, ``Sequential()`` + ``.add``, ``Model(inputs, outputs)``,
``layer.build(input_shape)``). Anything it cannot know without running code (a function
call, a loop, a custom layer class, ...) becomes an ``Unknown`` carrying its reason and
line; a model that depends on one is skipped with a warning.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from .. import limits
from ..errors import FormatError, Position, RnnshapeError, Skipped, SpecError
from ..layers import get_layer_def
from ..spec import LayerSpec, ModelSpec
from . import python_graph as g
from .python_keras import (
    FUNCTIONAL_CLASSES,
    INPUT_POSITIONAL,
    LAYER_NAMESPACES,
    activation_name,
    input_layer_keras3,
    keras_symbol,
    might_define_model,
)
from .python_values import (
    SAFE_BUILTINS,
    Const,
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



class _Stop(Exception):
    """Unwinds out of building a layer when one of its arguments is unknown."""

    def __init__(self, unknown: Unknown) -> None:
        super().__init__(unknown.reason)
        self.unknown = unknown


@dataclass
class Extraction:
    """Every model definition found, by name, plus warnings about parts that were skipped."""

    models: list[tuple[str, ModelSpec | RnnshapeError]] = field(default_factory=list)
    warnings: list[RnnshapeError] = field(default_factory=list)


class SourceReader:
    """Reads one module (or the code cells of one notebook, in order) statement by statement."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.cell: int | None = None
        self.env: dict[str, Value] = {}
        self.star_modules: list[Path] = []
        self.local_functions: set[str] = set()
        self.custom_classes: dict[str, str] = {}
        self.graph: list[g.GraphNode] = []
        self.found: list[g.Found] = []
        self.models: dict[int, g.Found] = {}
        self.warnings: list[RnnshapeError] = []
        self.uids = 0
        self.depth = 0

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

    def new_uid(self) -> int:
        self.uids += 1
        return self.uids

    # ------------------------------------------------------------ statements

    def run(self, stmts: Sequence[ast.stmt]) -> None:
        for stmt in stmts:
            self.stmt(stmt)

    def stmt(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.env[alias.asname] = Path(tuple(alias.name.split(".")))
                else:
                    root = alias.name.split(".")[0]
                    self.env[root] = Path((root,))
        elif isinstance(node, ast.ImportFrom):
            module = tuple(node.module.split(".")) if node.module else ()
            if node.level:
                module = ("." * node.level, *module)
            for alias in node.names:
                if alias.name == "*":
                    self.star_modules.append(Path(module))
                else:
                    self.env[alias.asname or alias.name] = Path((*module, alias.name))
        elif isinstance(node, ast.Assign):
            value = self.expr(node.value)
            for target in node.targets:
                self.bind(target, value)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self.bind(node.target, self.expr(node.value))
        elif isinstance(node, ast.AugAssign):
            if isinstance(node.target, ast.Name):
                current = self.lookup(node.target.id, node.target)
                self.bind(node.target, self.binary(node.op, current, self.expr(node.value), node))
        elif isinstance(node, ast.Expr):
            self.expr(node.value)
        elif isinstance(node, ast.If):
            test = self.expr(node.test)
            if isinstance(test, Const):
                self.run(node.body if test.value else node.orelse)
            else:
                self.opaque([node], "under a condition", node)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            self.opaque([node], "in a loop", node)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.expr(item.context_expr)
                if item.optional_vars is not None:
                    self.bind(item.optional_vars, self.unknown("a context manager's value is known only at run time", item.optional_vars))
            self.run(node.body)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            # The happy path: the try body runs to the end, handlers do not run.
            self.run(getattr(node, "body"))
            self.run(getattr(node, "orelse"))
            self.run(getattr(node, "finalbody"))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.local_functions.add(node.name)
            self.env[node.name] = self.unknown(f"'{node.name}' is a function; rnnshape does not run functions", node)
            self.hidden_models(node.body, f"inside function '{node.name}'")
        elif isinstance(node, ast.ClassDef):
            self.class_def(node)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.env.pop(target.id, None)
        elif isinstance(node, ast.Match):
            self.opaque([node], "in a match statement", node)

    def class_def(self, node: ast.ClassDef) -> None:
        bases = [self.static_path(b) for b in node.bases]
        keras_base = any(b is not None and keras_symbol(b) is not None for b in bases)
        kind = "custom layer class" if keras_base else "class"
        self.custom_classes[node.name] = f"{kind} '{node.name}' (defined at {self.at(node)})"
        self.env[node.name] = self.unknown(f"'{node.name}' is a {kind} defined in the file", node)
        self.hidden_models(node.body, f"inside class '{node.name}'")

    def bind(self, target: ast.expr, value: Value) -> None:
        if isinstance(target, ast.Name):
            self.env[target.id] = value
            if isinstance(value, ModelRef):
                found = self.models[value.uid]
                if found.var is None:
                    found.var = target.id
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

    def opaque(self, stmts: Iterable[ast.stmt], how: str, where: ast.AST) -> None:
        """Code that may run zero or many times: whatever it assigns or adds is unknown."""
        stmts = list(stmts)
        for stmt in stmts:
            for node in ast.walk(stmt):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    self.env[node.id] = self.unknown(f"'{node.id}' is assigned {how}", node)
                elif isinstance(node, (ast.Import, ast.ImportFrom)):
                    for alias in node.names:
                        name = alias.asname or alias.name.split(".")[0]
                        self.env[name] = self.unknown(f"'{name}' is imported {how}", node)
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    self.env[node.name] = self.unknown(f"'{node.name}' is defined {how}", node)
                elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    self.break_model(node.func.value, f"layers are added to it {how}", node)
        self.hidden_models(stmts, how)

    def break_model(self, target: ast.expr, reason: str, node: ast.AST) -> None:
        if not isinstance(target, ast.Name):
            return
        ref = self.env.get(target.id)
        if isinstance(ref, ModelRef):
            model = self.models[ref.uid].model
            if isinstance(model, g.SequentialDef) and model.broken is None:
                model.broken = self.unknown(reason, node)

    def hidden_models(self, stmts: Sequence[ast.stmt], where: str) -> None:
        """Warn once about a model built where rnnshape does not look (a function, a loop)."""
        for stmt in stmts:
            for node in ast.walk(stmt):
                if not isinstance(node, ast.Call):
                    continue
                path = self.static_path(node.func)
                sym = keras_symbol(path) if path is not None else None
                if sym is not None and (sym[1] == "Sequential" or sym[1] in FUNCTIONAL_CLASSES):
                    self.warnings.append(
                        Skipped(
                            f"a model built {where} ({self.at(node)}) is not read: "
                            "rnnshape reads top-level code only and never runs functions or loops",
                            pos=self.pos(node),
                            hint="build the model at the top level of the file to have it explained",
                        )
                    )
                    return

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
            return Const(node.value)
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
                return Const(items if isinstance(node, ast.List) else tuple(items))
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
        try:
            return Const(fold())
        except FoldError as err:
            return self.unknown(f"cannot compute this constant: {err}", node)

    def binary(self, op: ast.operator, left: Value, right: Value, node: ast.AST) -> Value:
        if isinstance(left, Const) and isinstance(right, Const):
            return self.folded(lambda: fold_binary(op, left.value, right.value), node)
        for side in (left, right):
            if isinstance(side, Unknown):
                return side
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
                return self.model_method(base, func_node.attr, node)
            if isinstance(base, LayerObj):
                if func_node.attr == "build":
                    return self.layer_build(base, func_node.value, node)
                if func_node.attr == "__call__":
                    return self.apply_layer(base, node)
                return self.unknown(f"the result of .{func_node.attr}(...) is known only at run time", node)
            func = self.attribute(base, func_node)
        else:
            func = self.expr(func_node)
        if isinstance(func, Path):
            sym = keras_symbol(func)
            if sym is not None:
                return self.keras_call(sym, func, node)
            if func.parts[0] == "builtins" and len(func.parts) == 2:
                return self.builtin(func.parts[1], node)
        if isinstance(func, LayerObj):
            return self.apply_layer(func, node)
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

    def keras_call(self, sym: tuple[str, str], path: Path, node: ast.Call) -> Value:
        namespace, name = sym
        if name == "Sequential":
            return self.new_sequential(node)
        if name in FUNCTIONAL_CLASSES:
            return self.new_functional(node)
        if name == "Input":
            return self.new_input(node)
        if namespace not in LAYER_NAMESPACES and namespace != "models" or not name[:1].isupper():
            return self.unknown(f"{path.dotted}(...) is not a Keras layer", node)
        try:
            spec = self.layer_spec(name, node)
        except _Stop as stop:
            return stop.unknown
        if spec.class_name == "InputLayer":
            spec = input_layer_keras3(spec)
        return LayerObj(self.new_uid(), spec)

    def layer_spec(self, class_name: str, node: ast.Call, positional: Sequence[str] | None = None) -> LayerSpec:
        pos = self.pos(node)
        try:
            layer_def = get_layer_def(class_name, pos=pos)
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
                raise _Stop(self.unknown(f"{class_name}(*args/**kwargs) cannot be read statically", value_node))
            if key in args:
                raise _Stop(Unknown("", None, SpecError(f"{class_name} got the argument '{key}' twice", pos=self.pos(value_node))))
            args[key] = self.plain(self.expr(value_node), f"{class_name}({key}=...)", value_node)
            arg_pos[key] = self.pos(value_node)
        name = args.get("name") if isinstance(args.get("name"), str) else None
        return LayerSpec(layer_def.class_name, args, name, pos, arg_pos)

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
            raise _Stop(Unknown(f"{what}: {value.reason}", value.pos, value.error))
        raise _Stop(self.unknown(f"{what}: this value cannot be read statically", node))

    def new_input(self, node: ast.Call) -> Value:
        try:
            spec = self.layer_spec("InputLayer", node, INPUT_POSITIONAL)
        except _Stop as stop:
            return stop.unknown
        self.graph.append(g.InputNode(spec))
        return Tensor(len(self.graph) - 1)

    def apply_layer(self, layer: LayerObj, node: ast.Call) -> Value:
        if not node.args:
            return self.unknown("a layer called without inputs", node)
        try:
            inputs, as_list = self.tensors(self.expr(node.args[0]), node.args[0])
            state: tuple[Tensor, ...] = ()
            for kw in node.keywords:
                if kw.arg == "initial_state":
                    state, _ = self.tensors(self.expr(kw.value), kw.value)
        except _Stop as stop:
            return stop.unknown
        self.graph.append(g.CallNode(layer.uid, layer.spec, inputs, as_list, state, self.pos(node)))
        return Tensor(len(self.graph) - 1)

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
        raise _Stop(self.unknown("this is not a Keras tensor from Input(...) or a layer call", node))

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
        value = self.expr(name_node) if name_node is not None else None
        return value.value if isinstance(value, Const) and isinstance(value.value, str) else None

    def new_sequential(self, node: ast.Call) -> Value:
        model = g.SequentialDef(self.pos(node), self.keras_name(node))
        layers_node = self.keyword(node, "layers", 0)
        if layers_node is not None:
            value = self.expr(layers_node)
            if isinstance(value, Items):
                for item in value.values:
                    self.add_layer(model, item, layers_node)
            elif isinstance(value, Unknown):
                model.broken = value
            elif not (isinstance(value, Const) and value.value in ([], (), None)):
                model.broken = self.unknown("the layers of Sequential(...) must be a list of layers", layers_node)
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
            model.broken = self.unknown("a model used as a layer of another model is not followed", node)
        else:
            model.broken = self.unknown("this is not a layer", node)

    def new_functional(self, node: ast.Call) -> Value:
        ins = self.keyword(node, "inputs", 0)
        outs = self.keyword(node, "outputs", 1)
        if ins is None or outs is None:
            why = self.unknown("Model(...) without inputs and outputs (a subclassed model) cannot be read statically", node)
            return self.register(g.FunctionalDef(self.pos(node), self.keras_name(node), why, why))
        return self.register(
            g.FunctionalDef(self.pos(node), self.keras_name(node), self.model_tensors(ins), self.model_tensors(outs))
        )

    def model_tensors(self, node: ast.expr) -> list[Tensor] | Unknown:
        if isinstance(node, ast.Dict):
            return self.unknown("inputs/outputs given as a dict are not supported", node)
        try:
            tensors, _ = self.tensors(self.expr(node), node)
        except _Stop as stop:
            return stop.unknown
        return list(tensors)

    def model_method(self, ref: ModelRef, attr: str, node: ast.Call) -> Value:
        model = self.models[ref.uid].model
        if isinstance(model, g.SequentialDef):
            if attr == "add" and node.args:
                self.add_layer(model, self.expr(node.args[0]), node.args[0])
                return Const(None)
            if attr == "pop" and model.broken is None:
                if model.layers:
                    model.layers.pop()
            elif attr == "build":
                shape_node = self.keyword(node, "input_shape", 0)
                shape = self.expr(shape_node) if shape_node is not None else None
                if isinstance(shape, Const) and isinstance(shape.value, (tuple, list)):
                    model.build_shape = list(shape.value)
                elif isinstance(shape, Unknown) and model.broken is None:
                    model.broken = shape
        return self.unknown(f"the result of model.{attr}(...) is known only at run time", node)

    def layer_build(self, layer: LayerObj, target: ast.expr, node: ast.Call) -> Value:
        shape_node = self.keyword(node, "input_shape", 0)
        shape = self.expr(shape_node) if shape_node is not None else None
        var = target.id if isinstance(target, ast.Name) else None
        if isinstance(shape, Const) and isinstance(shape.value, (tuple, list)):
            keyword = not node.args
            self.found.append(g.Found(g.BuiltLayerDef(self.pos(node), layer.spec, list(shape.value), keyword), var))
        elif isinstance(shape, Unknown):
            self.warnings.append(
                Skipped(f"{var or 'layer'}.build(...) skipped: {shape.reason}", pos=shape.pos or self.pos(node))
            )
        return Const(None)

    def finish(self) -> Extraction:
        return Extraction(g.model_specs(self.found, self.graph, self.source), self.warnings)


def _index(value: Any, index: Any) -> Any:
    if not isinstance(value, (tuple, list, str)):
        raise FoldError("only tuples, lists and strings are indexed")
    try:
        return value[index]
    except (IndexError, TypeError, ValueError) as err:
        raise FoldError(str(err)) from None


def _listify(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_listify(v) for v in value]
    return value


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


def parse_module(text: str, source: str) -> ast.Module:
    try:
        return ast.parse(text, filename=source)
    except SyntaxError as err:
        raise FormatError(f"not valid Python: {limits.number_error_text(SyntaxError(err.msg))}", pos=Position(source, err.lineno, err.offset)) from None
    except (ValueError, RecursionError, MemoryError):
        raise FormatError("cannot be parsed as Python", pos=Position(source)) from None


def extract_python(text: str, source: str) -> Extraction:
    """Every Keras model defined at the top level of a Python file."""
    if not might_define_model(text):
        return Extraction()
    reader = SourceReader(source)
    try:
        reader.run(parse_module(text, source).body)
    except RecursionError:
        raise FormatError("the code is nested too deeply to be read", pos=Position(source)) from None
    return reader.finish()
