"""RS9xx: file problems. The file cannot be read as a model, or its lint comments are wrong.

These rules have no check: the linter raises them itself, from a file or a model it
cannot read (RS901, RS902, RS904) and from the inline ignore comments it finds (RS903).
"""

from __future__ import annotations

from .problem import Level
from .rule import Rule

RS901 = Rule(
    "RS901", "unreadable-file", Level.ERROR,
    "A model file that cannot be read: invalid YAML/JSON, not UTF-8, too large, a broken archive.",
    "Fix the syntax at the position shown",
    """
What it does
    Reports a model file that fails to parse, with the position of the syntax error.

Why is this bad?
    Nothing else in the file can be checked, and Keras cannot load it either.

Example
    layers:
      - LSTM: {units: 8          # RS901: invalid YAML (flow mapping not closed)

Fix
    Correct the syntax.
""",
)


RS902 = Rule(
    "RS902", "invalid-model-config", Level.ERROR,
    "A model file that parses but does not describe a model rnnshape can follow "
    "(a malformed layer entry, unknown top-level key, broken graph).",
    "Follow the hint in the message",
    """
What it does
    Reports structural problems of a model file: an unknown top-level key, a layer
    written as something other than `- Class: args`, a graph whose layers refer to
    tensors nobody produces. (A model without an input shape is valid Keras 3: RS905.)

Why is this bad?
    The shapes cannot be followed, so no other rule can run on the model.

Example
    input_shape: [10, 3]
    layers:
      - [LSTM, 8]           # RS902: a layer must be a mapping

Fix
    layers:
      - LSTM: 8
""",
)


RS903 = Rule(
    "RS903", "unknown-code-in-ignore", Level.WARNING,
    "An inline `# rnnshape: ignore[...]` comment names a code that no rule has.",
    "Use an existing rule code (`rnnshape rules` lists them)",
    """
What it does
    Checks the codes inside `# rnnshape: ignore[...]` comments.

Why is this bad?
    A misspelt code suppresses nothing, so the problem it was meant to silence still
    fires, or a stale comment hides nothing and confuses readers.

Example
    - Dense: 1    # rnnshape: ignore[RS2O4]     (letter O instead of zero)

Fix
    - Dense: 1    # rnnshape: ignore[RS204]
""",
)


RS904 = Rule(
    "RS904", "model-not-read-statically", Level.WARNING,
    "A model in a .py file or notebook that rnnshape cannot read without running the code, so it is not checked.",
    "Use literal values (or constants assigned from literals) where the model is built",
    """
What it does
    Reports a model in a Python file or notebook whose definition depends on something
    only known when the program runs: a function call, a loop, a custom layer class, a
    name never assigned. rnnshape reads source files statically and never runs them.

Why is this bad?
    Nothing in that model is checked, so its shape errors reach you only at run time.

Example
    n_out = load_config()["classes"]          # RS904: a function call
    model = keras.Sequential([keras.Input((5,)), layers.Dense(n_out)])

Fix
    n_out = 3                                  # a literal rnnshape can follow
""",
)


RULES = (RS901, RS902, RS903, RS904)
