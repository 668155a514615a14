"""The data of ``rnnshape numpy --input``: a .npy file or a Python literal, checked against the model.

A literal is parsed with ``ast`` and evaluated by hand: numbers, signs, lists and tuples,
and the repetition of a list by an integer (``[1.0]*5``), nothing else, so no text ever
runs. Every list is counted before it is built, so ``[[0]*10**6]*10**6`` stops at the
limit instead of filling the memory. A .npy file is read as plain numbers only.
"""

from __future__ import annotations

import ast
import os
from typing import Any, Sequence

import numpy as np

from ..errors import UsageError
from ..limits import EXPR_CHARS, INPUT_VALUES, PY_EXPR_DEPTH, exceeded, too_deep, value

NPY_MAGIC = b"\x93NUMPY"


def read_input(text: str) -> np.ndarray:
    """``--input``'s value as a float32 array: a path to a .npy file, else a literal."""
    if text.lower().endswith(".npy") or os.path.isfile(text):
        return _read_npy(text)
    return parse_literal(text)


def _read_npy(path: str) -> np.ndarray:
    try:
        with open(path, "rb") as handle:
            if handle.read(len(NPY_MAGIC)) != NPY_MAGIC:
                raise UsageError(f"--input: {path} is not a .npy file", hint="save it with numpy.save, or pass a literal")
        mapped = np.load(path, mmap_mode="r", allow_pickle=False)  # the header only, until the size is known
        _check_count(int(mapped.size), f"--input: {path} holds an array of shape {mapped.shape}")
        if not (np.issubdtype(mapped.dtype, np.integer) or np.issubdtype(mapped.dtype, np.floating)):
            raise UsageError(f"--input: {path} holds {mapped.dtype} values, not real numbers")
        return np.array(mapped, dtype=np.float32)
    except OSError as err:
        raise UsageError(f"--input: cannot read {path}: {err.strerror or err}") from None
    except ValueError as err:  # object arrays and damaged headers
        raise UsageError(f"--input: {path}: {err}", hint="only plain numeric arrays are read") from None


def parse_literal(text: str) -> np.ndarray:
    """``"[[1]*5, [2]*5, [3]*5]"`` -> a (3, 5) array; anything but literal numbers is refused."""
    if len(text) > value(EXPR_CHARS):
        raise UsageError("--input: " + exceeded(EXPR_CHARS, f"a literal of {len(text):,} characters"),
                         hint="save larger data with numpy.save and pass the .npy file")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise UsageError(f"--input: not a .npy file nor a Python literal: {err.msg}",
                         hint='write numbers in nested lists, e.g. --input "[[1]*5, [2]*5]"') from None
    nested = _Literal().build(tree.body, 0)
    try:
        data = np.array(nested, dtype=np.float32)
    except ValueError:
        raise UsageError("--input: the rows of the literal differ in length",
                         hint="every row of one level needs the same number of items") from None
    return data


class _Literal:
    """Builds nested lists from the allowed nodes, counting every number on the way."""

    def __init__(self) -> None:
        self.count = 0

    def build(self, node: ast.expr, depth: int) -> Any:
        if depth > value(PY_EXPR_DEPTH):
            raise UsageError("--input: " + too_deep(PY_EXPR_DEPTH, "a literal"))
        if isinstance(node, ast.Constant) and _is_number(node.value):
            self._add(1)
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self.build(node.operand, depth + 1)
            if isinstance(inner, list):
                raise self._refuse(node)
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, (ast.List, ast.Tuple)):
            return [self.build(item, depth + 1) for item in node.elts]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
            return self._repeat(node, depth)
        raise self._refuse(node)

    def _repeat(self, node: ast.BinOp, depth: int) -> list[Any]:
        """``[items] * n`` or ``n * [items]``: the items counted n times before the list exists."""
        seq, times = (node.left, node.right) if isinstance(node.left, (ast.List, ast.Tuple, ast.BinOp)) else (node.right, node.left)
        if not (isinstance(times, ast.Constant) and type(times.value) is int and times.value >= 0):
            raise self._refuse(node)
        before = self.count
        items = self.build(seq, depth + 1)
        if not isinstance(items, list):
            raise self._refuse(node)
        self._add((self.count - before) * (times.value - 1))
        return _copies(items, times.value)

    def _add(self, n: int) -> None:
        self.count += n
        _check_count(self.count, "--input: the literal holds more numbers than allowed")

    @staticmethod
    def _refuse(node: ast.AST) -> UsageError:
        return UsageError(
            f"--input: {ast.unparse(node)[:60]!r} is not allowed in the data literal",
            hint="only numbers, lists, tuples, signs and list * count, e.g. [[1]*5, [2]*5]",
        )


def _copies(items: list[Any], times: int) -> list[Any]:
    return [item for _ in range(times) for item in items]


def _is_number(v: object) -> bool:
    return type(v) in (int, float)


def _check_count(count: int, found: str) -> None:
    if count > value(INPUT_VALUES):
        raise UsageError(exceeded(INPUT_VALUES, found))


def fit_to_input(data: np.ndarray, batch_shape: Sequence[int | None], *, what: str = "the model's input") -> np.ndarray:
    """``data`` shaped for the model: one sample without the batch axis gains it; every fixed size must agree."""
    given = data.shape
    if data.ndim == len(batch_shape) - 1:
        data = data[None]  # one sample, like the seeds' tf.reshape(x, (1, T, D))
    expected = "(" + ", ".join("None" if d is None else str(d) for d in batch_shape) + ")"
    if data.ndim != len(batch_shape):
        raise UsageError(
            f"--input has shape {given}, but {what} is {expected}",
            hint=f"give {len(batch_shape)} axes (a batch), or {len(batch_shape) - 1} for one sample",
        )
    for axis, (got, want) in enumerate(zip(data.shape, batch_shape)):
        if want is not None and got != want:
            raise UsageError(
                f"--input has shape {given}, but {what} is {expected}: axis {axis} is {got}, not {want}"
                + (" (read as one sample with a batch axis added)" if data.ndim != len(given) else "")
            )
    if 0 in data.shape:
        raise UsageError(f"--input has shape {data.shape}: an empty axis leaves nothing to run")
    return data


def check_token_ids(data: np.ndarray, vocab: int) -> None:
    """An input read by an Embedding holds token ids: whole numbers from 0 to ``vocab - 1``."""
    bad = (data != np.round(data)) | (data < 0) | (data >= vocab)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise UsageError(
            f"--input feeds an Embedding of {vocab} tokens, but holds {data[first]:g} at {first}",
            hint=f"token ids are whole numbers from 0 to {vocab - 1}",
        )
