"""Hypothesis strategies for hostile model inputs: mutations of real files, and random bytes.

The seeds are real, valid inputs (examples/, the Keras reference files, the Python and
notebook fixtures); strategies mutate them structurally (a value anywhere in the JSON or
YAML tree replaced by a hostile one, keys dropped, layers wrapped deeply) and at the
byte level (flips, cuts, splices, inserted tokens), so most examples get deep into the
readers instead of failing at the first byte.
"""

from __future__ import annotations

import copy
import io
import json
import math
import zipfile
from pathlib import Path
from typing import Any, Callable

import yaml
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
KERAS_FILES = ROOT / "tests" / "keras-files"


def _read(paths: list[Path]) -> list[bytes]:
    return [p.read_bytes() for p in sorted(paths) if p.is_file()]


YAML_SEEDS = _read(list((ROOT / "examples").glob("*.yaml")) + list((ROOT / "tests" / "lint_fixtures").rglob("*.yaml")))
JSON_SEEDS = _read(list(KERAS_FILES.glob("*.json")) + list((ROOT / "tests" / "lint_fixtures").rglob("*.json")))
KERAS_SEEDS = _read(list(KERAS_FILES.glob("*.keras")))
H5_SEEDS = _read([p for p in KERAS_FILES.glob("*.h5") if "weights" not in p.name])
PY_SEEDS = _read(list((ROOT / "tests" / "fixtures" / "pysrc").glob("*.py")) + list((ROOT / "tests" / "lint_fixtures").rglob("*.py")))
NB_SEEDS = _read(list((ROOT / "tests" / "fixtures" / "seeds").glob("*.ipynb")))

LAYER_NAMES = [
    "SimpleRNN", "LSTM", "GRU", "Dense", "Dropout", "Bidirectional", "TimeDistributed", "RNN", "LSTMCell",
    "Embedding", "Conv1D", "Flatten", "Reshape", "InputLayer", "Lambda", "Masking", "Attention", "Concatenate",
    "Sequential", "Functional", "NoSuchLayer", "", "__import__", "os.system",
]
ARG_NAMES = [
    "units", "rate", "return_sequences", "return_state", "activation", "layer", "cell", "merge_mode", "name",
    "input_shape", "batch_input_shape", "shape", "batch_shape", "input_dim", "output_dim", "target_shape",
    "filters", "kernel_size", "dropout", "use_bias", "stateful", "unroll", "go_backwards", "dtype", "bogus",
]

# Values chosen to break things: NaN/inf, huge and negative numbers, wrong types.
HOSTILE_SCALARS: list[Any] = [
    math.nan, math.inf, -math.inf, -1, 0, 2.5, 10**30, -(10**30), 2**31, 2**63, 1e308, "five", "", "\x00",
    "\u202e", "x" * 300, None, True, False, [], {}, [None], [[[]]], {"class_name": "LSTM"},
    {"class_name": "LSTM", "config": None}, {"class_name": 5, "config": []},
]

json_values = st.recursive(
    st.one_of(
        st.sampled_from(HOSTILE_SCALARS),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=20),
        st.sampled_from(LAYER_NAMES + ARG_NAMES),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(ARG_NAMES + ["class_name", "config", "layers"]), children, max_size=4),
    ),
    max_leaves=12,
)

TOKENS = [
    b"NaN", b"Infinity", b"-1", b"1e999", b"9" * 5000, b'"', b"[", b"]", b"{", b"}", b"[[[[[[[[", b"&a ", b"*a",
    b"!!python/object/apply:os.system", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\n", b"\t", b": ", b"- ",
    b"LSTM(", b")", b"%%bash\n", b"!pip install x\n", b"\\u0000", b"\\ud800", b"null", b"true",
]


@st.composite
def mutated_bytes(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A seed with a few byte-level edits, or (sometimes) random bytes."""
    if not seeds or draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=2048))
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.integers(0, 5))
        at = draw(st.integers(0, len(data)))
        if op == 0 and data:  # flip a byte
            at = min(at, len(data) - 1)
            data[at] = draw(st.integers(0, 255))
        elif op == 1:  # cut a slice
            end = draw(st.integers(at, min(len(data), at + 64)))
            del data[at:end]
        elif op == 2:  # insert a hostile token
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif op == 3:  # insert random bytes
            data[at:at] = draw(st.binary(max_size=16))
        elif op == 4:  # duplicate a slice
            end = draw(st.integers(at, min(len(data), at + 64)))
            data[at:at] = data[at:end]
        else:  # truncate
            del data[at:]
    return bytes(data)


def _paths(tree: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(tree, dict):
        for key, value in tree.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            out += _paths(value, (*prefix, i))
    return out


def _set(tree: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = tree
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return tree


def _delete(tree: Any, path: tuple[Any, ...]) -> Any:
    if not path:
        return tree
    parent = tree
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    return tree


@st.composite
def mutated_tree(draw: st.DrawFn, tree: Any) -> Any:
    """``tree`` (a parsed config, copied) with values replaced, deleted or deeply wrapped."""
    tree = json.loads(json.dumps(tree))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(tree)
        path = draw(st.sampled_from(paths))
        op = draw(st.integers(0, 3))
        if op == 0:
            # A copy: sampled_from hands out the very objects in HOSTILE_SCALARS, and a later
            # mutation inside one would change the strategy itself.
            tree = _set(tree, path, copy.deepcopy(draw(json_values)))
        elif op == 1 and path:
            tree = _delete(tree, path)
        elif op == 2:  # wrap in many Bidirectional layers (past the nesting limit or not)
            inner: Any = {"class_name": "LSTM", "config": {"units": 4}}
            for _ in range(draw(st.sampled_from([1, 5, 40, 300]))):
                inner = {"class_name": draw(st.sampled_from(["Bidirectional", "TimeDistributed"])), "config": {"layer": inner}}
            tree = _set(tree, path, inner)
        else:  # repeat a list (many layers)
            if path and isinstance(_get(tree, path), list):
                items = _get(tree, path)
                _set(tree, path, copy.deepcopy(items * draw(st.sampled_from([2, 50]))))
    return tree


def _get(tree: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        tree = tree[key]
    return tree


def _json_dump(tree: Any) -> bytes:
    return json.dumps(tree, allow_nan=True).encode("utf-8")


def _yaml_dump(tree: Any) -> bytes:
    try:
        return yaml.safe_dump(tree, sort_keys=False, allow_unicode=True).encode("utf-8")
    except (yaml.YAMLError, RecursionError):
        return b"layers: []\n"


def _parsed(seeds: list[bytes], parse: Callable[[bytes], Any]) -> list[Any]:
    """The seeds that parse (some lint fixtures are broken on purpose); our own files, safe loader."""
    out = []
    for seed in seeds:
        try:
            tree = parse(seed)
        except (ValueError, yaml.YAMLError):
            continue
        if isinstance(tree, (dict, list)):
            out.append(tree)
    return out


JSON_TREES = _parsed(JSON_SEEDS, json.loads)
YAML_TREES = _parsed(YAML_SEEDS, yaml.safe_load)


@st.composite
def keras_json_files(draw: st.DrawFn) -> bytes:
    if draw(st.booleans()):
        return _json_dump(draw(mutated_tree(draw(st.sampled_from(JSON_TREES)))))
    return draw(mutated_bytes(JSON_SEEDS))


@st.composite
def yaml_files(draw: st.DrawFn) -> bytes:
    if draw(st.booleans()):
        return _yaml_dump(draw(mutated_tree(draw(st.sampled_from(YAML_TREES)))))
    return draw(mutated_bytes(YAML_SEEDS))


@st.composite
def keras_archives(draw: st.DrawFn) -> bytes:
    """A zip holding a (mutated) config.json, or a byte-mutated real .keras file."""
    if KERAS_SEEDS and draw(st.integers(0, 3)) == 0:
        return draw(mutated_bytes(KERAS_SEEDS))
    buffer = io.BytesIO()
    method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
    with zipfile.ZipFile(buffer, "w", method) as archive:
        if draw(st.integers(0, 7)):
            archive.writestr("config.json", draw(keras_json_files()))
        if draw(st.booleans()):
            archive.writestr("metadata.json", draw(st.one_of(st.binary(max_size=64), st.just(b'{"keras_version": "3.5.0"}'))))
        if draw(st.integers(0, 5)) == 0:  # highly compressible padding: a small zip bomb
            archive.writestr("config.json" if draw(st.booleans()) else "pad", b" " * 200_000)
    data = buffer.getvalue()
    if draw(st.integers(0, 4)) == 0:
        data = draw(mutated_bytes([data]))
    return data


@st.composite
def h5_attributes(draw: st.DrawFn) -> Any:
    """What a hostile .h5 root might hold as ``model_config``."""
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return draw(keras_json_files())
    if kind == 1:
        return draw(keras_json_files()).decode("utf-8", "replace")
    if kind == 2:
        return draw(st.integers(-(2**62), 2**62))
    if kind == 3:
        return draw(st.lists(st.floats(allow_nan=True), max_size=8))
    return draw(st.binary(max_size=64))


@st.composite
def python_files(draw: st.DrawFn) -> bytes:
    if not PY_SEEDS:
        return draw(st.binary(max_size=512))
    if draw(st.booleans()):
        text = draw(st.sampled_from(PY_SEEDS)).decode("utf-8")
        for _ in range(draw(st.integers(1, 3))):
            token = draw(st.sampled_from(["8", "5", "True", "'tanh'", "(10, 3)", "None"]))
            replacement = draw(st.sampled_from(
                ["-1", "0", "10**30", "2.5", "'x'", "float('nan')", "1e999", "[[[[1]]]]", "(" * 150 + "1" + ")" * 150,
                 "10 ** 10 ** 10", "'x' * 10**9", "keras.layers.Lambda(lambda x: x)", "__import__('os')", "eval('1')"]
            ))
            text = text.replace(token, replacement, 1)
        return text.encode("utf-8")
    return draw(mutated_bytes(PY_SEEDS))


@st.composite
def notebook_files(draw: st.DrawFn) -> bytes:
    if NB_SEEDS and draw(st.booleans()):
        tree = json.loads(draw(st.sampled_from(NB_SEEDS)))
        return _json_dump(draw(mutated_tree(tree)))
    if draw(st.booleans()):
        code = draw(python_files()).decode("utf-8", "replace")
        cells = [{"cell_type": draw(st.sampled_from(["code", "markdown", "raw"])), "source": code.splitlines(True)}]
        return _json_dump({"cells": cells, "nbformat": 4})
    return draw(mutated_bytes(NB_SEEDS))


# ------------------------------------------------------------------ layer expressions

_literal = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=False).map(repr),
    st.sampled_from(["'tanh'", "'relu'", "None", "True", "False", "'x'", "(10, 3)", "[]", "{}", "1e999", "-1e999",
                     "float('nan')", "x", "lambda x: x", "__import__('os')", "*a", "**k", "1 + 1"]),
)


@st.composite
def layer_expressions(draw: st.DrawFn, depth: int = 0) -> str:
    """Keras call syntax built from layer and argument names, sometimes nested or broken."""
    if draw(st.integers(0, 15)) == 0:
        return draw(st.text(max_size=40))
    name = draw(st.sampled_from(LAYER_NAMES))
    if depth < 3 and name in ("Bidirectional", "TimeDistributed", "RNN") and draw(st.booleans()):
        args = [draw(layer_expressions(depth=depth + 1))]
    else:
        args = draw(st.lists(_literal, max_size=3))
    kwargs = draw(st.lists(st.tuples(st.sampled_from(ARG_NAMES), _literal), max_size=3))
    parts = args + [f"{k}={v}" for k, v in kwargs]
    text = f"{name}({', '.join(parts)})"
    if draw(st.integers(0, 20)) == 0:
        deep = draw(st.sampled_from([40, 200, 2000]))
        text = "Bidirectional(" * deep + text + ")" * deep
    if draw(st.integers(0, 10)) == 0:
        text = draw(mutated_bytes([text.encode()])).decode("utf-8", "replace")
    return text
