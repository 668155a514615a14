"""Following the file's own functions and loops: argument binding, loop items, side effects.

The statement reader (``python_source``) reads a function's body when the function is
called, with its parameters bound to the call's arguments and defaults, and unrolls a
``for`` loop whose items are known constants. The pure pieces of that live here.
"""

from __future__ import annotations

import ast
from typing import Sequence

from .python_values import Const, Function, Items, Unknown, Value

# Methods that change a model's architecture; any other method (compile, fit, predict,
# evaluate, summary, save, load_weights, ...) leaves the layers as they are.
ARCHITECTURE_METHODS = frozenset({"add", "pop", "build"})


def parameter_names(node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[list[str], list[str]]:
    """(positional, keyword-only) parameter names of a function definition."""
    args = node.args
    return [p.arg for p in (*args.posonlyargs, *args.args)], [p.arg for p in args.kwonlyargs]


def default_nodes(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[tuple[str, ast.expr]]:
    """Each parameter that has a default, with the default's expression."""
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    pairs = list(zip((p.arg for p in positional[len(positional) - len(args.defaults) :]), args.defaults))
    pairs += [(p.arg, d) for p, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
    return pairs


def bind_arguments(func: Function, args: Sequence[Value], kwargs: dict[str, Value], missing: Unknown) -> dict[str, Value]:
    """The function's local names at entry: parameters bound as Python binds them.

    A parameter the call leaves unset (and that has no default, or that ``*args`` /
    ``**kwargs`` of unknown length may set) is ``missing``.
    """
    positional, keyword_only = parameter_names(func.node)
    bound: dict[str, Value] = dict(zip(positional, args))
    extra = list(args[len(positional) :])
    spec = func.node.args
    if spec.vararg is not None:
        bound[spec.vararg.arg] = constant_or_items(extra, is_list=False)
    leftover: dict[str, Value] = {}
    for key, value in kwargs.items():
        if key in positional or key in keyword_only:
            bound.setdefault(key, value)
        else:
            leftover[key] = value
    if spec.kwarg is not None:
        bound[spec.kwarg.arg] = missing
    for name in (*positional, *keyword_only):
        if name not in bound:
            bound[name] = func.defaults.get(name, missing)
    return bound


def constant_or_items(values: Sequence[Value], is_list: bool) -> Value:
    """A tuple/list of values: a ``Const`` when every item is one, else ``Items``."""
    if all(isinstance(v, Const) for v in values):
        items = [v.value for v in values if isinstance(v, Const)]
        return Const(items if is_list else tuple(items))
    return Items(tuple(values), is_list)


def loop_items(value: Value) -> list[Value] | None:
    """The items a ``for`` loop or comprehension visits, when they are known; else None."""
    if isinstance(value, Const) and isinstance(value.value, (tuple, list, str)):
        return [Const(v) for v in value.value]
    if isinstance(value, Items):
        return list(value.values)
    return None


def loop_length(value: Value) -> int | None:
    """How many items ``loop_items`` would give, without making them."""
    if isinstance(value, Const) and isinstance(value.value, (tuple, list, str)):
        return len(value.value)
    if isinstance(value, Items):
        return len(value.values)
    return None


def jumps_out(stmts: Sequence[ast.stmt]) -> bool:
    """A ``break``/``continue`` (at any depth): the loop is then not unrolled."""
    return any(isinstance(n, (ast.Break, ast.Continue)) for s in stmts for n in ast.walk(s))


def returns_in(stmts: Sequence[ast.stmt]) -> bool:
    return any(isinstance(n, ast.Return) for s in stmts for n in ast.walk(s))


def changes_architecture(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a function may add, remove or build layers of a model handed to it."""
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ARCHITECTURE_METHODS:
                return True
    return False


def mentions_gpu_only(nodes: Sequence[ast.AST]) -> bool:
    """Code that names a CuDNN layer: the branch that runs only on a machine with a GPU."""
    for top in nodes:
        for node in ast.walk(top):
            name = (
                node.id if isinstance(node, ast.Name)
                else node.attr if isinstance(node, ast.Attribute)
                else node.name if isinstance(node, ast.alias)
                else ""
            )
            if name.startswith("CuDNN"):
                return True
    return False
