"""Displays and comprehensions of the static Python reader: dicts, f-strings, list comprehensions.

``Displays`` is the part of the evaluator (``python_eval.Evaluator``) that builds
collections: a constant dict (``{"units": 64}``) or a dict of tensors in the key order
Keras flattens it in, an f-string over constants (``f"lstm_{i}"``), and a list
comprehension over known items (``[LSTM(u) for u in SIZES]``), unrolled within the
file's step budget.
"""

from __future__ import annotations

import ast

from .python_calls import constant_or_items, loop_items, loop_length
from .python_values import Const, Items, StepBudget, Unknown, Value, fold_binary


class Displays:
    """Collections over evaluated expressions; ``Evaluator`` supplies what is declared here."""

    env: dict[str, Value]
    budget: StepBudget

    def expr(self, node: ast.expr) -> Value:
        raise NotImplementedError

    def bind(self, target: ast.expr, value: Value) -> None:
        raise NotImplementedError

    def unknown(self, reason: str, node: ast.AST) -> Unknown:
        raise NotImplementedError

    def folded(self, fold: object, node: ast.AST) -> Value:
        raise NotImplementedError

    def dict_display(self, node: ast.Dict) -> Value:
        """``{"units": 64}`` is a constant; a dict of tensors (``Model(inputs={"a": a, "b": b})``)
        is its values in key order, the order in which Keras flattens it."""
        keys = [self.expr(k) if k is not None else None for k in node.keys]
        if not all(isinstance(k, Const) and isinstance(k.value, (str, int)) for k in keys):
            return self.unknown("a dict whose keys are not constant strings or numbers", node)
        values = [self.expr(v) for v in node.values]
        plain_keys = [k.value for k in keys if isinstance(k, Const)]
        if all(isinstance(v, Const) for v in values):
            return Const({k: v.value for k, v in zip(plain_keys, values) if isinstance(v, Const)})
        if len(set(map(type, plain_keys))) > 1:
            return self.unknown("a dict of mixed key types", node)
        ordered = sorted(zip(plain_keys, values), key=lambda pair: pair[0])
        return Items(tuple(v for _, v in ordered), True, tuple(k for k, _ in ordered))

    def f_string(self, node: ast.JoinedStr) -> Value:
        """``f"lstm_{i}"`` over known values (layer names built in loops)."""
        parts: list[str] = []
        for part in node.values:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                parts.append(part.value)
                continue
            if not isinstance(part, ast.FormattedValue) or part.format_spec is not None:
                return self.unknown("a formatted string with a format spec is not evaluated", node)
            value = self.expr(part.value)
            if not isinstance(value, Const) or not isinstance(value.value, (str, int, float, bool, type(None))):
                return value if isinstance(value, Unknown) else self.unknown("a formatted string of a non-constant", node)
            parts.append(repr(value.value) if part.conversion == ord("r") else str(value.value))
        return self.folded(lambda: fold_binary(ast.Add(), "", "".join(parts)), node)

    def comprehension(self, node: ast.ListComp | ast.GeneratorExp) -> Value:
        """``[LSTM(u, return_sequences=True) for u in (64, 32)]``: unrolled when the items are known."""
        saved = self.env
        self.env = dict(saved)  # the loop names stay inside the comprehension
        try:
            values = self.generate(node.elt, node.generators, node)
        finally:
            self.env = saved
        if isinstance(values, Unknown):
            return values
        result = constant_or_items(values, is_list=True)
        # Items repeat shared values: the list is charged to the fold budget like any constant.
        return self.folded(lambda: result.value, node) if isinstance(result, Const) else result

    def generate(self, elt: ast.expr, generators: list[ast.comprehension], node: ast.AST) -> list[Value] | Unknown:
        if not generators:
            return [self.expr(elt)]
        first = generators[0]
        source = self.expr(first.iter)
        count = loop_length(source)
        if first.is_async or count is None:
            return source if isinstance(source, Unknown) else self.unknown("a comprehension over values known only at run time", node)
        if not self.budget.charge(count):
            return self.unknown("the comprehension is not unrolled: the file used up its steps of calls and loops", node)
        items = loop_items(source) or []
        out: list[Value] = []
        for item in items:
            self.bind(first.target, item)
            tests = [self.expr(cond) for cond in first.ifs]
            if not all(isinstance(t, Const) for t in tests):
                return self.unknown("a comprehension filtered on values known only at run time", node)
            if all(isinstance(t, Const) and t.value for t in tests):
                more = self.generate(elt, generators[1:], node)
                if isinstance(more, Unknown):
                    return more
                out += more
        return out
