"""One table of hand-computed cases, reused by the core, CLI and Keras tests.

Every number here was worked out by hand from the formulas in
keras-semantics.md §1 (e.g. LSTM: 4U(D+U+1)), not copied from rnnshape's output.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

Shape = tuple[Optional[int], ...]


class Case(NamedTuple):
    id: str
    exprs: tuple[str, ...]
    input_shape: Optional[str]  # --input-shape
    batch_input_shape: Optional[str]  # --batch-input-shape
    # (layer name, output shape(s), params) per layer, in order.
    expected: tuple[tuple[str, tuple[Shape, ...], int], ...]


CASES = [
    Case(
        "seed000-simple-rnn-dense",
        ("SimpleRNN(5)", "Dense(2)"),
        "10,3",
        None,
        (("simple_rnn", ((None, 5),), 5 * (3 + 5 + 1)), ("dense", ((None, 2),), 2 * (5 + 1))),
    ),
    Case(
        "seed003-fixed-batch-sequences",
        ("SimpleRNN(3, return_sequences=True)",),
        None,
        "8,2,10",
        (("simple_rnn", ((8, 2, 3),), 3 * (10 + 3 + 1)),),
    ),
    Case(
        "seed004-dynamic-time",
        ("SimpleRNN(2, use_bias=True, return_sequences=True)",),
        None,
        "None,None,5",
        (("simple_rnn", ((None, None, 2),), 2 * (5 + 2 + 1)),),
    ),
    Case("lstm", ("LSTM(4)",), "7,5", None, (("lstm", ((None, 4),), 4 * 4 * (5 + 4 + 1)),)),
    Case("gru-reset-after", ("GRU(4)",), "7,5", None, (("gru", ((None, 4),), 3 * 4 * (5 + 4 + 2)),)),
    Case(
        "gru-reset-before",
        ("GRU(4, reset_after=False)",),
        "7,5",
        None,
        (("gru", ((None, 4),), 3 * 4 * (5 + 4 + 1)),),
    ),
    Case("rnn-no-bias", ("SimpleRNN(4, use_bias=False)",), "7,5", None, (("simple_rnn", ((None, 4),), 4 * (5 + 4)),)),
    Case("lstm-no-bias", ("LSTM(4, use_bias=False)",), "7,5", None, (("lstm", ((None, 4),), 4 * 4 * (5 + 4)),)),
    Case("gru-no-bias", ("GRU(4, use_bias=False)",), "7,5", None, (("gru", ((None, 4),), 3 * 4 * (5 + 4)),)),
    Case(
        "stacked-lstm",
        ("LSTM(32, return_sequences=True)", "LSTM(16)", "Dense(1)"),
        "10,8",
        None,
        (
            ("lstm", ((None, 10, 32),), 5248),
            ("lstm_1", ((None, 16),), 3136),
            ("dense", ((None, 1),), 17),
        ),
    ),
    Case(
        "lstm-sequences-and-states",
        ("LSTM(4, return_sequences=True, return_state=True)",),
        "7,5",
        None,
        (("lstm", ((None, 7, 4), (None, 4), (None, 4)), 160),),
    ),
    Case(
        "gru-state",
        ("GRU(4, return_state=True)",),
        "7,5",
        None,
        (("gru", ((None, 4), (None, 4)), 132),),
    ),
    Case("dense-on-sequences", ("Dense(8)",), "7,5", None, (("dense", ((None, 7, 8),), 8 * (5 + 1)),)),
    Case("dense-no-bias", ("Dense(8, use_bias=False)",), "5", None, (("dense", ((None, 8),), 8 * 5),)),
    Case(
        "dropout-identity",
        ("LSTM(6, return_sequences=True)", "Dropout(0.5)", "Dense(2)"),
        "7,5",
        None,
        (
            ("lstm", ((None, 7, 6),), 4 * 6 * (5 + 6 + 1)),
            ("dropout", ((None, 7, 6),), 0),
            ("dense", ((None, 7, 2),), 2 * (6 + 1)),
        ),
    ),
    Case(
        "stateful-gru",
        ("GRU(4, stateful=True, return_sequences=True)",),
        None,
        "3,7,5",
        (("gru", ((3, 7, 4),), 132),),
    ),
    Case(
        "go-backwards",
        ("LSTM(4, go_backwards=True, return_sequences=True)",),
        "7,5",
        None,
        (("lstm", ((None, 7, 4),), 160),),
    ),
    Case(
        "keras-namespaces-and-names",
        ("keras.layers.SimpleRNN(3, name='encoder')", "tf.keras.layers.Dense(units=1, name='head')"),
        "4,2",
        None,
        (("encoder", ((None, 3),), 3 * (2 + 3 + 1)), ("head", ((None, 1),), 1 * (3 + 1))),
    ),
    Case(
        "one-unit",
        ("SimpleRNN(1)", "Dense(1)"),
        "1,1",
        None,
        (("simple_rnn", ((None, 1),), 3), ("dense", ((None, 1),), 2)),
    ),
]
