"""RS905/RS906: valid Keras 3 models that rnnshape can check only in part. They never
fail a run: a model without an input shape is only noted, and a real Keras layer that
rnnshape does not support is a warning (it fails only with --strict)."""

from __future__ import annotations

from .problem import Level
from .rule import Rule

RS905 = Rule(
    "RS905", "no-input-shape", Level.INFO,
    "A model that declares no input shape: valid Keras 3 (built at its first call); its shapes are checked with its input size as the unknown D.",
    "Declare the input (keras.Input(shape=...) first, or input_shape: in the config) to have the shapes checked",
    """
What it does
    Notes a Sequential model whose first layer declares no input shape, such as
    Sequential([LSTM(32), Dense(1)]). Where the first layer builds its weights on the
    input's features, the shapes are checked with that size as the unknown D (parameter
    counts become formulas in D); otherwise only the checks that need no shapes (Keras 2
    arguments, unknown arguments, cuDNN eligibility, ...) run. The classic Keras 2 text
    classifier Sequential([Embedding(max_features, 128), LSTM(64), Dense(1)]) is read on
    its token ids of unknown length and checked in full, without a note, unless a later
    layer builds weights on that length (Flatten then Dense): noted there, never an error.

Why is this bad?
    It is not: Keras 3 builds such a model when it is first called or fitted. But
    rnnshape cannot follow every shape it does not know, so some shape errors in the
    model go unnoticed until then.

Example
    layers:                 # RS905
      - LSTM: 32
      - Dense: 1

Fix
    input_shape: [80, 8]    (or keras.Input(shape=(80, 8)) first in Python; or pass
                             --input-shape 80,8)
""",
)

RS906 = Rule(
    "RS906", "unsupported-layer", Level.WARNING,
    "A real Keras 3 layer that rnnshape does not support: shapes are not followed past it.",
    "Leave it (Keras has it), or ask for it to be supported; `rnnshape layers` lists the supported ones",
    """
What it does
    Flags a layer class that keras.layers has in Keras 3 but rnnshape's registry does
    not (e.g. SeparableConv1D, RandomFlip). rnnshape stops following shapes there, so
    later layers are not checked. A class Keras does not have at all is RS104.

Why is this bad?
    It is not an error in the model; it only means this part of it is not checked.

Example
    - SeparableConv1D: {filters: 8, kernel_size: 3}     # RS906
    - LSTM: 16

Fix
    Nothing to fix in the model. Ignore it on that line (# rnnshape: ignore[RS906]),
    or leave it out with --ignore RS906.
""",
)

RULES = (RS905, RS906)
