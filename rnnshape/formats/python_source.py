"""Keras models read statically from Python source: the file is parsed, never imported or run.

A small abstract interpreter walks the top-level statements in order. It knows
imports (so ``tf.keras.layers.LSTM``, ``layers.LSTM`` and ``from keras.layers import
LSTM as R`` all mean LSTM), folds constants (``T = 10; D = 3; shape=(T, D)``), and
records ``Input(...)``, layer objects, layer calls and model definitions
(``Sequential([...])``, ``Sequential()`` + ``.add``, ``Model(inputs, outputs)``,
``layer.build(input_shape)``). Anything it cannot know without running code (a function
call, a loop, a custom layer class, ...) becomes an ``Unknown`` carrying its reason and
line; a model that depends on one is skipped with a warning.

The reader is three modules, one concern each:

- this one: the statements (``SourceReader``: imports, assignments, ``if`` on a
  constant, what a loop or a function hides) and the entry points;
- ``python_eval``: the expressions (``Evaluator``: names, constant folding, calls),
  which ``SourceReader`` extends;
- ``python_builder``: the Keras side (``ModelBuilder``: layer specs, the tensor graph,
  model definitions), a collaborator the evaluator hands Keras calls to.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import Any, Iterable, Mapping, Sequence

from .. import limits
from ..errors import FormatError, Position, Skipped
from ..spec import LayerSpec, ModelSpec
from . import python_graph as g
from .python_calls import (
    ARCHITECTURE_METHODS,
    bind_arguments,
    changes_architecture,
    default_nodes,
    jumps_out,
    loop_items,
    loop_length,
    mentions_gpu_only,
    returns_in,
)
from .python_eval import Evaluator
from .python_rejected import rejected_calls, unread
from .python_graph import Extraction
from .python_keras import (
    CUSTOM_LAYER,
    FUNCTIONAL_CLASSES,
    LAYER_NAMESPACES,
    SUBCLASSED_MODEL,
    keras_symbol,
    might_define_model,
    subclassed_model_reason,
)
from .python_values import CALL_DEPTH, STEP_BUDGET, Const, Function, Path, Unknown, Value, check_syntax_size

__all__ = ["Extraction", "SourceReader", "extract_python", "parse_module"]


class SourceReader(Evaluator):
    """Reads one module (or the code cells of one notebook, in order) statement by statement."""

    unrolling = 0  # how many unrolled loops enclose the statement being read

    def __init__(self, source: str, settings: Mapping[str, Any] | None = None) -> None:
        super().__init__(source, settings)
        self.rejected: dict[Position, tuple[str, str]] = {}  # python_rejected: every layer call's

    def read(self, body: Sequence[ast.stmt]) -> None:
        """The module's (or one notebook cell's) statements, then their layer calls as written."""
        self.run(body)
        for where, class_name, key in rejected_calls(body, self.static_path, self.pos):
            self.rejected[where] = (class_name, key)

    def run(self, stmts: Sequence[ast.stmt]) -> None:
        # Statements read again (in unrolled loops and called functions) cost steps.
        if (self.unrolling or self.call_depth) and not self.budget.charge(len(stmts)):
            raise _OutOfSteps()
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
            self.if_stmt(node)
        elif isinstance(node, ast.For):
            self.for_stmt(node)
        elif isinstance(node, (ast.AsyncFor, ast.While)):
            self.opaque([node], "in a loop", node)
        elif isinstance(node, ast.Return):
            self.return_stmt(node)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.expr(item.context_expr)
                if item.optional_vars is not None:
                    self.bind(item.optional_vars, self.unknown("a context manager's value is known only at run time", item.optional_vars))
            self.run(node.body)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            self.try_stmt(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.function_def(node)
        elif isinstance(node, ast.ClassDef):
            self.class_def(node)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.env.pop(target.id, None)
        elif isinstance(node, ast.Match):
            self.opaque([node], "in a match statement", node)

    def if_stmt(self, node: ast.If) -> None:
        test = self.expr(node.test)
        if isinstance(test, Const):
            self.run(node.body if test.value else node.orelse)
        elif mentions_gpu_only(node.body) != mentions_gpu_only(node.orelse):
            self.note_gpu_branch(node)
            self.run(node.orelse if mentions_gpu_only(node.body) else node.body)
        else:
            self.opaque([node], "under a condition", node, test if isinstance(test, Unknown) else None)

    def for_stmt(self, node: ast.For) -> None:
        """A loop over known items is unrolled (within the step budget); any other is opaque.

        When nested loops run out of steps, the outermost one is read as opaque as a whole.
        """
        value = self.expr(node.iter)
        count = loop_length(value)
        if count is None or jumps_out(node.body):
            cause = value if isinstance(value, Unknown) else None
            self.opaque([node], "in a loop", node, None if jumps_out(node.body) else cause)
            return
        if not self.budget.charge(count):
            if self.unrolling:
                raise _OutOfSteps()
            self.opaque([node], f"in a loop (more than {STEP_BUDGET:,} steps to unroll)", node)
            return
        self.unrolling += 1
        try:
            for item in loop_items(value) or ():
                self.bind(node.target, item)
                self.run(node.body)
            self.run(node.orelse)
        except _OutOfSteps:
            if self.unrolling > 1:
                raise
            self.opaque([node], f"in a loop (more than {STEP_BUDGET:,} steps to unroll)", node)
        finally:
            self.unrolling -= 1

    def try_stmt(self, node: ast.stmt) -> None:
        """The happy path: the try body runs to the end and handlers do not, except that
        a body naming CuDNN layers (Keras 2, GPU only) fails on Keras 3 and its handler runs."""
        body, handlers = getattr(node, "body"), getattr(node, "handlers")
        if handlers and mentions_gpu_only(body) and not mentions_gpu_only(handlers[0].body):
            self.note_gpu_branch(node)
            self.run(handlers[0].body)
        else:
            self.run(body)
            self.run(getattr(node, "orelse"))
        self.run(getattr(node, "finalbody"))

    def function_def(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """A function is read when it is called; defaults are evaluated here, as Python does."""
        defaults = {name: self.expr(value) for name, value in default_nodes(node)}
        self.local_functions.add(node.name)
        self.env[node.name] = Function(node, defaults, self.env, self.cell)
        warning = self.model_warning(
            node.body,
            f"inside function '{node.name}'",
            "the file never calls it, and rnnshape reads a function's models only where it is called",
        )
        if warning is not None:
            self.uncalled[id(node)] = warning

    def return_stmt(self, node: ast.Return) -> None:
        if self.call_depth:
            raise _Return(self.expr(node.value) if node.value is not None else Const(None))

    def call_function(self, func: Function, node: ast.Call) -> Value:
        """Read a function of the file as called here: its body, with the arguments bound."""
        name = func.node.name
        if isinstance(func.node, ast.AsyncFunctionDef) or any(
            isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(func.node)
        ):
            return self.unfollowed(func, node, "it is a generator or coroutine")
        if self.call_depth >= CALL_DEPTH:
            return self.unfollowed(func, node, f"it is called {CALL_DEPTH} calls deep (recursion)")
        if not self.budget.charge():
            return self.unfollowed(func, node, f"the file used up its {STEP_BUDGET:,} steps of calls and loops")
        args, kwargs, missing = self.call_arguments(node, name)
        self.uncalled.pop(id(func.node), None)
        local = {**func.scope, **bind_arguments(func, args, kwargs, missing)}
        saved = self.env, self.cell, self.unsure
        self.env, self.cell, self.unsure = local, func.cell, None
        self.call_depth += 1
        result: Value = Const(None)
        out_of_steps = False
        try:
            self.run(func.node.body)
        except _Return as ret:
            result = ret.value
        except _OutOfSteps:
            if self.unrolling or self.call_depth > 1:
                raise
            out_of_steps = True
        finally:
            self.call_depth -= 1
            unsure = self.unsure
            self.env, self.cell, self.unsure = saved
        if out_of_steps:
            return self.unfollowed(func, node, f"the file used up its {STEP_BUDGET:,} steps of calls and loops")
        if unsure is not None:
            # The model it returns may be another one, or be changed after: not shown as read.
            self.builder.mark_broken(result, unsure)
            return unsure
        return result

    def unfollowed(self, func: Function, node: ast.Call, why: str) -> Unknown:
        """A call not read: a model handed to it is skipped if the function may change its layers."""
        name = func.node.name
        if changes_architecture(func.node):
            for arg in node.args:
                self.break_model(arg, f"it is passed to {name}(), which is not followed: {why}", node)
        return self.unknown(f"{name}(...) is not followed: {why}", node)

    def call_arguments(self, node: ast.Call, name: str) -> tuple[list[Value], dict[str, Value], Unknown]:
        """The call's positional and keyword values, and what an unset parameter is."""
        missing = self.unknown(f"a parameter of {name}() gets no value in the call at {self.at(node)}", node)
        args: list[Value] = []
        for arg in node.args:
            if not isinstance(arg, ast.Starred):
                args.append(self.expr(arg))
                continue
            items = loop_items(self.expr(arg.value))
            if items is None:
                return args, {}, self.unknown(f"*{_name(arg.value)} in the call to {name}() is known only at run time", arg)
            args += items
        kwargs: dict[str, Value] = {}
        for kw in node.keywords:
            if kw.arg is None:
                missing = self.unknown(f"**{_name(kw.value)} in the call to {name}() is not followed", kw.value)
            else:
                kwargs[kw.arg] = self.expr(kw.value)
        return args, kwargs, missing

    def class_def(self, node: ast.ClassDef) -> None:
        """A class of the file: its code is never run. A custom layer class becomes a placeholder
        layer where it is used (``python_builder.custom_layer``); a subclassed model is named as
        what rnnshape does not read, where it is instantiated (or, never instantiated, here)."""
        kind = self.class_kind(node)
        self.custom_classes[node.name] = (kind, self.pos(node))
        self.env[node.name] = self.unknown(f"'{node.name}' is a {kind} defined in the file", node)
        if kind == SUBCLASSED_MODEL:
            self.uncalled[id(node)] = Skipped(
                subclassed_model_reason(node.name, g.describe(self.pos(node))), pos=self.pos(node),
                hint="rnnshape reads a model built with Sequential(...) or Model(inputs, outputs); "
                "build the same layers that way to have them explained",
            )
            return
        warning = self.model_warning(node.body, f"inside class '{node.name}'")
        if warning is not None:
            self.warnings.append(warning)

    def instantiate(self, class_name: str, node: ast.Call) -> Value:
        """``MyLayer(16)`` of a class the file defines, whose code is never run: a custom layer is a
        placeholder layer (python_builder.custom_layer), a subclassed model a model not read."""
        kind, defined_at = self.custom_classes[class_name]
        where = g.describe(defined_at)
        if kind == CUSTOM_LAYER:
            return self.builder.custom_layer(class_name, defined_at, node)
        if kind == SUBCLASSED_MODEL:
            self.uncalled = {k: v for k, v in self.uncalled.items() if v.pos != defined_at}
            return self.builder.subclassed_model(self.unknown(subclassed_model_reason(class_name, where), node))
        return self.unknown(f"'{class_name}' is a class defined at {where}, whose code rnnshape does not run", node)

    def class_kind(self, node: ast.ClassDef) -> str:
        """What a class of the file is, from its bases: a custom layer, a subclassed model, or other."""
        for base in node.bases:
            if isinstance(base, ast.Name) and base.id in self.custom_classes:
                inherited = self.custom_classes[base.id][0]
                if inherited != "class":
                    return inherited
            path = self.static_path(base)
            sym = keras_symbol(path) if path is not None else None
            if sym is None:
                continue
            if sym[1] in FUNCTIONAL_CLASSES or sym[1] == "Sequential":
                return SUBCLASSED_MODEL
            if sym[0] in LAYER_NAMESPACES and sym[1][:1].isupper():
                return CUSTOM_LAYER
        return "class"

    def opaque(self, stmts: Iterable[ast.stmt], how: str, where: ast.AST, cause: Unknown | None = None) -> None:
        """Code that may run zero or many times: whatever it assigns or adds is unknown.

        Calls that leave a model's layers as they are (compile, fit, predict, summary,
        save, a function of the file that adds no layers, ...) change nothing.
        """
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
                elif isinstance(node, ast.Call):
                    self.opaque_call(node, how, cause)
        if self.call_depth and returns_in(stmts) and self.unsure is None:
            self.unsure = self.unknown(f"the function returns {how}", where)
        warning = self.model_warning(stmts, how)
        if warning is not None:
            self.warnings.append(warning)

    def opaque_call(self, node: ast.Call, how: str, cause: Unknown | None = None) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ARCHITECTURE_METHODS:
            self.break_model(func.value, f"layers are added to it {how}", node, cause)
        elif isinstance(func, ast.Name):
            target = self.env.get(func.id)
            changes = isinstance(target, Function) and changes_architecture(target.node)
            if changes or (func.id in self.local_functions and not isinstance(target, Function)):
                for arg in node.args:
                    self.break_model(arg, f"it is passed {how} to {func.id}(), which may change its layers", node)

    def model_warning(self, stmts: Sequence[ast.stmt], where: str, why: str | None = None) -> Skipped | None:
        """The warning about a model built where rnnshape does not look (a loop it cannot unroll, ...)."""
        for stmt in stmts:
            for node in ast.walk(stmt):
                if not isinstance(node, ast.Call):
                    continue
                path = self.static_path(node.func)
                sym = keras_symbol(path) if path is not None else None
                if sym is not None and (sym[1] == "Sequential" or sym[1] in FUNCTIONAL_CLASSES):
                    return Skipped(
                        f"a model built {where} ({self.at(node)}) is not read: "
                        + (why or "rnnshape does not run code whose values are known only at run time"),
                        pos=self.pos(node),
                        hint="build the model at the top level of the file, or in a function the file calls",
                    )
        return None

    def finish(self, given: LayerSpec | None = None) -> Extraction:
        """The models found; ``given`` (--input-shape) is the input of one the code gives none."""
        models = g.model_specs(self.builder.found, self.builder.graph, self.source, given)
        if self.notes:
            models = [
                (name, replace(entry, notes=(*entry.notes, *self.notes)) if isinstance(entry, ModelSpec) else entry)
                for name, entry in models
            ]
        read = [m for _, entry in models for m in (entry, getattr(entry, "known_part", None)) if isinstance(m, ModelSpec)]
        return Extraction(models, [*self.warnings, *self.uncalled.values(), *unread(self.rejected, read)])


class _OutOfSteps(Exception):
    """Unwinds nested unrolled loops to the outermost one when the step budget is spent."""


class _Return(Exception):
    """Unwinds a function body at ``return``, carrying the returned value."""

    def __init__(self, value: Value) -> None:
        super().__init__("return")
        self.value = value


def _name(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else "..."


def parse_module(text: str, source: str) -> ast.Module:
    check_syntax_size(text, source)
    try:
        return ast.parse(text, filename=source)
    except SyntaxError as err:
        raise FormatError(f"not valid Python: {limits.number_error_text(SyntaxError(err.msg))}", pos=Position(source, err.lineno, err.offset)) from None
    except (ValueError, RecursionError, MemoryError):
        raise FormatError("cannot be parsed as Python", pos=Position(source)) from None


def extract_python(
    text: str, source: str, given: LayerSpec | None = None, settings: Mapping[str, Any] | None = None
) -> Extraction:
    """Every Keras model a Python file defines (at the top level or in functions it calls).

    ``given`` is the input from --input-shape for a model the code gives none; ``settings``
    are the --set values (``python_settings``) for values known only at run time.
    """
    if not might_define_model(text):
        return Extraction()
    reader = SourceReader(source, settings)
    try:
        reader.read(parse_module(text, source).body)
    except RecursionError:
        raise FormatError("the code is nested too deeply to be read", pos=Position(source)) from None
    return reader.finish(given)
