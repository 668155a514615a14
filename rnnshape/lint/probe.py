"""Shape errors that hold whatever a value from data is.

A model whose ``vocab_size = len(tokenizer.word_index) + 1`` is known only at run time is
skipped (RS904), but a ``Concatenate(axis=1)`` of widths 32 and 16 after its Embedding fails
in Keras 3 for every vocabulary size. Lint reads such a file again with the values that
rnnshape cannot know (those ``--set`` would give) set to two different probe values, and
reports the shape errors found in both readings with the same words: an error that depends
on the value names it (a dimension, a count) and so differs between them. Only shape errors
(RS101, RS102, RS109) are kept, and a tf.* function on a Keras tensor (RS214: Keras 3 raises
on it whatever the value); what the probes make of anything else says nothing.
"""

from __future__ import annotations

from typing import Any, Mapping

from ..errors import ModelSkipped, RnnshapeError
from ..formats import load_entries
from ..spec import ModelSpec
from .problem import Level, Problem

# Two values no model is likely to use for two different things; an error that does not
# depend on the value reads the same with both.
PROBES = (6, 7)
KEPT_CODES = frozenset({"RS101", "RS102", "RS109", "RS214"})
# How many values from data, one after another, a model may need before lint gives up on it.
MAX_ROUNDS = 4


def shape_errors_despite_unknowns(
    path: str, entries: list[ModelSpec | RnnshapeError], settings: Mapping[str, Any]
) -> list[Problem]:
    """The shape errors (and RS214) of the models ``entries`` skips for a value from data, whatever it is."""
    from .engine import lint_model

    skipped: dict[str, str] = {e.model: e.setting for e in entries if isinstance(e, ModelSkipped) and e.model and e.setting}
    found: list[set[Problem]] = []
    for probe in PROBES:
        given = dict(settings)
        problems: set[Problem] = set()
        pending: dict[str, str] = dict(skipped)
        for _ in range(MAX_ROUNDS):
            given.update({setting: probe for setting in pending.values() if setting not in given})
            try:
                read = load_entries(path, settings=given)
            except RnnshapeError:
                return []
            pending = {}
            for entry in read:
                if isinstance(entry, ModelSpec) and entry.name in skipped:
                    problems.update(p for p in lint_model(entry) if p.level is Level.ERROR and p.code in KEPT_CODES)
                elif isinstance(entry, ModelSkipped) and entry.model in skipped and entry.setting:
                    if entry.setting not in given:
                        pending[entry.model] = entry.setting
            if not pending:
                break
        found.append(problems)
    return sorted(set.intersection(*found), key=lambda p: p.sort_key)
