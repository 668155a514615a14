"""Token preprocessing: TextVectorization, StringLookup and IntegerLookup. None has
weights (their vocabularies live in lookup tables, not variables).

The vocabulary is data. A literal list is read to size the output; a string is
refused, because Keras would open it as a file path and rnnshape never opens a
file a model names. Without a literal vocabulary (one learned by ``adapt``) the
vocabulary size is unknown, and so is the depth of a one_hot/multi_hot/count/tf_idf
output, unless ``pad_to_max_tokens=True`` fixes it at ``max_tokens``.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from .. import limits
from ..errors import ArgumentError, ShapeError
from ..spec import Dim, Shape
from . import flops, macs
from .base import Arg, Built, Context, Infer, LayerDef, boolean, format_shape, one_of, positive_int

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
# Keras's older spellings of two output modes, accepted and renamed.
_MODE_ALIASES = {"binary": "multi_hot", "tf-idf": "tf_idf"}


def _mode(cfg: Mapping[str, Any]) -> str:
    mode = cfg["output_mode"]
    return str(_MODE_ALIASES.get(mode, mode))


def _vocabulary_check(item_type: type, what: str) -> Any:
    def check(value: Any) -> str | None:
        if isinstance(value, str):
            return (
                "is a string, which Keras would open as a vocabulary file; rnnshape never opens a file "
                f"a model names: give the vocabulary as a list of {what}"
            )
        if not isinstance(value, (list, tuple)):
            return f"must be a list of {what}"
        if len(value) > limits.value(limits.DIM):
            return f"has more than {limits.value(limits.DIM):,} entries"
        if not all(isinstance(v, item_type) and not isinstance(v, bool) for v in value):
            return f"must be a list of {what}"
        return None

    return check


def _idf_check(value: Any) -> str | None:
    if not isinstance(value, (list, tuple)) or not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in value
    ):
        return "must be a list of numbers"
    return None


def _max_tokens(value: Any) -> str | None:
    problem = positive_int(value)
    return problem or (None if value > 1 else "must be greater than 1")


def _non_negative_int(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= limits.value(limits.DIM)
    return None if ok else "must be an integer >= 0"


def _optional_str(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be a string"


def _salt(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return None
    pair = isinstance(value, (list, tuple)) and len(value) == 2
    return None if pair and all(isinstance(v, int) and not isinstance(v, bool) for v in value) else (
        "must be an integer or a pair of integers"
    )


def _fail(message: str, arg: str) -> ArgumentError:
    return ArgumentError(message, arg=arg, kind="invalid")


def check_lookup_options(cfg: Mapping[str, Any], *, integer_keys: bool) -> None:
    """The combinations Keras's lookup layers refuse at construction."""
    mode = _mode(cfg)
    if cfg["pad_to_max_tokens"] and cfg["max_tokens"] is None:
        raise _fail("pad_to_max_tokens=True needs max_tokens", "pad_to_max_tokens")
    if cfg.get("invert") and mode != "int":
        raise _fail(f"invert=True needs output_mode='int', got {cfg['output_mode']!r}", "invert")
    if cfg["sparse"] and mode == "int":
        raise _fail("sparse=True needs an output_mode other than 'int'", "sparse")
    if cfg["idf_weights"] is not None and mode != "tf_idf":
        raise _fail("idf_weights is only used with output_mode='tf_idf'", "idf_weights")
    if mode == "tf_idf" and cfg["vocabulary"] is not None and cfg["idf_weights"] is None:
        raise _fail("output_mode='tf_idf' with a vocabulary needs idf_weights too", "idf_weights")
    if cfg.get("salt") is not None and integer_keys and cfg.get("oov_method") != "farmhash":
        raise _fail("salt= can only be used with oov_method='farmhash'", "salt")


def vocabulary_size(cfg: Mapping[str, Any], mask_token: Any, num_oov: int) -> Dim:
    """The lookup's vocabulary size (the depth of non-int outputs), as Keras counts it:
    the mask index (int mode only), the OOV indices, then the tokens. Unknown without a
    literal vocabulary."""
    mode = _mode(cfg)
    if cfg["pad_to_max_tokens"]:
        return int(cfg["max_tokens"])
    vocabulary = cfg["vocabulary"]
    if vocabulary is None:
        return None
    mask_slots = 1 if mask_token is not None and mode == "int" else 0
    start = mask_slots + num_oov
    special = [mask_token] * mask_slots + [cfg["oov_token"]] * num_oov
    tokens = list(vocabulary[start:]) if list(vocabulary[:start]) == special else list(vocabulary)
    if not tokens and not vocabulary:
        raise _fail("vocabulary is empty", "vocabulary")
    if len(set(tokens)) != len(tokens):
        raise _fail("vocabulary repeats a token", "vocabulary")
    if mask_token is not None and mask_token in tokens:
        raise _fail(f"vocabulary holds the mask token {mask_token!r} elsewhere than at its start", "vocabulary")
    if cfg.get("invert") and cfg["oov_token"] is not None and cfg["oov_token"] in tokens:
        raise _fail(f"vocabulary holds the OOV token {cfg['oov_token']!r} elsewhere than at its start", "vocabulary")
    size = start + len(tokens)
    if cfg["max_tokens"] is not None and size > cfg["max_tokens"]:
        raise _fail(f"the vocabulary ({size} entries with the special tokens) exceeds max_tokens={cfg['max_tokens']}", "max_tokens")
    return size


def encoded_shape(x: Shape, mode: str, depth: Dim) -> Shape:
    """A lookup's output: ids in place (int), one vector per id (one_hot), or one
    vector per sample along the last axis (multi_hot, count, tf_idf)."""
    if mode == "int":
        return x
    if mode == "one_hot":
        return (*x[:-1], depth) if len(x) > 1 and x[-1] == 1 else (*x, depth)
    return (*x[:-1], depth)


def _lookup(integer_keys: bool) -> Infer:
    def infer(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
        (x,) = inputs
        check_lookup_options(cfg, integer_keys=integer_keys)
        depth = vocabulary_size(cfg, cfg["mask_token"], cfg["num_oov_indices"])
        return Built(outputs=(encoded_shape(x, _mode(cfg), depth),))

    return infer


def _lookup_args(integer_keys: bool) -> tuple[Arg, ...]:
    vocab = _vocabulary_check(int, "integers") if integer_keys else _vocabulary_check(str, "strings")
    token = (lambda v: None if isinstance(v, int) and not isinstance(v, bool) else "must be an integer") if integer_keys else _optional_str
    common = (
        Arg("max_tokens", None, _max_tokens),
        Arg("num_oov_indices", 1, _non_negative_int),
        Arg("mask_token", None, token),
        Arg("oov_token", -1 if integer_keys else "[UNK]", token),
        Arg("vocabulary", None, vocab),
    )
    mode = Arg("output_mode", "int", one_of(*OUTPUT_MODES, *_MODE_ALIASES))
    if integer_keys:
        return (
            *common,
            Arg("vocabulary_dtype", "int64", one_of("int32", "int64")),
            Arg("idf_weights", None, _idf_check),
            Arg("invert", False, boolean),
            mode,
            Arg("sparse", False, boolean),
            Arg("pad_to_max_tokens", False, boolean),
            Arg("oov_method", "floormod", one_of("floormod", "farmhash")),
            Arg("salt", None, _salt),
        )
    return (
        *common,
        Arg("idf_weights", None, _idf_check),
        Arg("invert", False, boolean),
        mode,
        Arg("pad_to_max_tokens", False, boolean),
        Arg("sparse", False, boolean),
        Arg("encoding", "utf-8", _optional_str),
        Arg("salt", None, _salt),
    )


_LOOKUP_SUMMARY = (
    "maps {what} to integer ids (int: shape unchanged) or to vectors over the vocabulary "
    "(one_hot: (N, T) -> (N, T, V); multi_hot/count/tf_idf: (N, T) -> (N, V))"
)

# A vocabulary lookup (hash tables, string splitting) is not array arithmetic.
_NO_LOOKUP_NUMPY = "text and vocabulary lookups are not NumPy arithmetic; the generator does not write them"

STRING_LOOKUP = LayerDef(
    class_name="StringLookup",
    macs=macs.ZERO_LOOKUP,
    flops=flops.ZERO_LOOKUP,
    args=_lookup_args(False),
    infer=_lookup(False),
    summary=_LOOKUP_SUMMARY.format(what="strings"),
    category="preprocessing",
    no_numpy=_NO_LOOKUP_NUMPY,
)
INTEGER_LOOKUP = LayerDef(
    class_name="IntegerLookup",
    macs=macs.ZERO_LOOKUP,
    flops=flops.ZERO_LOOKUP,
    args=_lookup_args(True),
    infer=_lookup(True),
    summary=_LOOKUP_SUMMARY.format(what="integers"),
    category="preprocessing",
    no_numpy=_NO_LOOKUP_NUMPY,
)


def _ngrams_check(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return None
    if isinstance(value, tuple) and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return None
    return "must be None, an integer, or a tuple of integers"


def _text_vectorization(cfg: Mapping[str, Any], inputs: Sequence[Shape], ctx: Context) -> Built:
    (x,) = inputs
    mode = _mode(cfg)
    if mode != "int" and cfg["output_sequence_length"] is not None:
        raise _fail("output_sequence_length is only used with output_mode='int'", "output_sequence_length")
    if cfg["ragged"] and mode != "int":
        raise _fail("ragged=True needs output_mode='int'", "ragged")
    check_lookup_options(cfg, integer_keys=False)
    # rnnshape reads one string per sample: (N,) or (N, 1), which Keras squeezes before splitting.
    if len(x) > 2 or (len(x) == 2 and x[1] != 1 and cfg["split"] is not None):
        raise ShapeError(
            f"splits one string per sample, so its input must be (N,) or (N, 1), got {format_shape(x)}",
            hint="keras.Input(shape=(1,), dtype='string')",
        )
    if mode == "int":
        return Built(outputs=((x[0], cfg["output_sequence_length"]),))
    # Keras's inner StringLookup uses "" as its mask token (unused outside int mode).
    depth = vocabulary_size({**cfg, "oov_token": "[UNK]", "invert": False}, "", 1)
    if cfg["split"] is None:
        if len(x) == 1:
            # Keras encodes a whole (N,) batch of unsplit tokens as one sample, dropping the batch axis.
            raise ShapeError(
                f"with split=None and output_mode={cfg['output_mode']!r}, a {format_shape(x)} input is "
                "encoded as one single sample (the batch axis is lost)",
                hint="give each sample its own axis: keras.Input(shape=(1,), dtype='string')",
            )
        return Built(outputs=(encoded_shape(x, mode, depth),))
    if mode == "one_hot":
        # One vector per token: the token axis is ragged (its length differs per sample).
        return Built(outputs=((x[0], None, depth),))
    return Built(outputs=((x[0], depth),))


TEXT_VECTORIZATION = LayerDef(
    class_name="TextVectorization",
    macs=macs.ZERO_LOOKUP,
    flops=flops.ZERO_LOOKUP,
    args=(
        Arg("max_tokens", None, _max_tokens),
        Arg("standardize", "lower_and_strip_punctuation", one_of(None, "lower_and_strip_punctuation", "lower", "strip_punctuation")),
        Arg("split", "whitespace", one_of(None, "whitespace", "character")),
        Arg("ngrams", None, _ngrams_check),
        Arg("output_mode", "int", one_of(*OUTPUT_MODES, *_MODE_ALIASES)),
        Arg("output_sequence_length", None, positive_int),
        Arg("pad_to_max_tokens", False, boolean),
        Arg("vocabulary", None, _vocabulary_check(str, "strings")),
        Arg("idf_weights", None, _idf_check),
        Arg("sparse", False, boolean),
        Arg("ragged", False, boolean),
        Arg("encoding", "utf-8", _optional_str),
    ),
    infer=_text_vectorization,
    summary="one string per sample -> token ids (N, output_sequence_length), (N, V) "
    "counts/flags over the vocabulary (multi_hot, count, tf_idf), or one_hot (N, None, V)",
    category="preprocessing",    no_numpy=_NO_LOOKUP_NUMPY,
)
