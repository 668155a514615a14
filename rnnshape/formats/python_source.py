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
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .. import limits
from ..errors import FormatError, Position, RnnshapeError, Skipped
from ..spec import ModelSpec
from . import python_graph as g
from .python_eval import Evaluator
from .python_keras import FUNCTIONAL_CLASSES, keras_symbol, might_define_model
from .python_values import Const, Path, check_syntax_size


@dataclass
class Extraction:
    """Every model definition found, by name, plus warnings about parts that were skipped."""

    models: list[tuple[str, ModelSpec | RnnshapeError]] = field(default_factory=list)
    warnings: list[RnnshapeError] = field(default_factory=list)


class SourceReader(Evaluator):
    """Reads one module (or the code cells of one notebook, in order) statement by statement."""

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

    def finish(self) -> Extraction:
        return Extraction(g.model_specs(self.builder.found, self.builder.graph, self.source), self.warnings)


def parse_module(text: str, source: str) -> ast.Module:
    check_syntax_size(text, source)
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
