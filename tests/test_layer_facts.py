"""Every layer entry carries its own facts: a NumPy template or the reason it has none,
and the flags the readers, lint and the generator read instead of sets of their own."""

from __future__ import annotations

import subprocess
import sys

import pytest

from rnnshape.layers import REGISTRY, REMOVED, current_class, find_layer_def
from rnnshape.layers.base import LayerDef
from rnnshape.numpy_gen.templates import TEMPLATES, template_for

ENTRIES = sorted(REGISTRY.items())


@pytest.mark.parametrize(("class_name", "entry"), ENTRIES, ids=[c for c, _ in ENTRIES])
def test_every_entry_has_a_numpy_template_or_a_reason(class_name: str, entry: LayerDef) -> None:
    assert (entry.numpy is None) != (entry.no_numpy is None), (
        f"{class_name}: give exactly one of numpy='module:function' or no_numpy='why' (see layers/base.py)"
    )
    if entry.numpy is not None:
        assert callable(TEMPLATES[class_name])
        assert TEMPLATES[class_name].__name__ == entry.numpy.partition(":")[2]
    else:
        assert entry.no_numpy and entry.no_numpy.strip() == entry.no_numpy
        with pytest.raises(Exception, match=f"{class_name} has no NumPy forward template: "):
            template_for(class_name, layer="x")


def test_templates_are_exactly_the_entries_that_name_one() -> None:
    assert set(TEMPLATES) == {c for c, d in REGISTRY.items() if d.numpy is not None}


def test_importing_the_registry_imports_no_numpy() -> None:
    """`explain` stays fast: the entries name their templates instead of importing them."""
    code = "import sys, rnnshape.layers; print('numpy' in sys.modules, 'rnnshape.numpy_gen' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_recurrent_flags() -> None:
    recurrent = {c for c, d in REGISTRY.items() if d.recurrent}
    assert recurrent == {"SimpleRNN", "LSTM", "GRU", "RNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"}
    assert REGISTRY["LSTM"].states == ("h", "c") and REGISTRY["GRU"].states == ("h",)
    assert REGISTRY["LSTM"].gates == ("i", "f", "c", "o") and REGISTRY["GRU"].gates == ("z", "r", "h")
    assert REGISTRY["SimpleRNN"].gates == ()
    # A cell and the layer that runs its step carry the same state and gate facts.
    for cell in ("SimpleRNNCell", "LSTMCell", "GRUCell"):
        layer = REGISTRY[cell].step_of
        assert layer is not None
        assert (REGISTRY[cell].states, REGISTRY[cell].gates) == (REGISTRY[layer].states, REGISTRY[layer].gates)
    # Keras 2 node inputs after the first are initial states exactly for these.
    takes_states = {c for c, d in REGISTRY.items() if d.initial_state}
    assert takes_states == recurrent | {"Bidirectional"}
    assert {c for c, d in REGISTRY.items() if d.positional_build} == {"SimpleRNN", "LSTM", "GRU", "RNN", "Bidirectional"}


def test_merge_and_shape_preserving_flags() -> None:
    merges = {c for c, d in REGISTRY.items() if d.merge}
    assert merges == {"Concatenate", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Dot"}
    assert all(REGISTRY[c].arity == "many" for c in merges)
    keeps = {c for c, d in REGISTRY.items() if d.shape_preserving}
    assert {"Dropout", "Activation", "Masking", "LayerNormalization"} <= keeps
    assert not keeps & merges and "Dense" not in keeps


def test_removed_classes_name_their_replacement_once() -> None:
    assert current_class("CuDNNLSTM") == "LSTM" and current_class("LSTM") == "LSTM"
    assert str(REMOVED["CuDNNGRU"]) == "GRU (Keras 3 picks the cuDNN kernel by itself)"
    for old, removed in REMOVED.items():
        assert old not in REGISTRY and find_layer_def(removed.replacement) is not None


def test_where_lists_every_entry_under_the_module_that_defines_it() -> None:
    """The registry imports a module only for the classes WHERE assigns to it: a new entry
    missing from WHERE (or listed under another module) would be a layer rnnshape never finds."""
    import importlib
    import pkgutil

    import rnnshape.layers as layers
    from rnnshape.layers import WHERE, module_entries

    defined: dict[str, str] = {}
    for info in pkgutil.iter_modules(layers.__path__):
        for entry in module_entries(importlib.import_module(f"rnnshape.layers.{info.name}")):
            assert entry.class_name not in defined, f"{entry.class_name}: in {defined[entry.class_name]} and {info.name}"
            defined[entry.class_name] = info.name
    assert defined == WHERE
    assert all(REGISTRY[class_name].class_name == class_name for class_name in WHERE)


def test_looking_up_a_layer_imports_only_its_module() -> None:
    code = (
        "import sys\n"
        "from rnnshape.layers import REGISTRY, find_layer_def, get_layer_def\n"
        "assert 'LSTM' in REGISTRY and 'Conv1D' in REGISTRY and find_layer_def('Nope') is None\n"
        "get_layer_def('LSTM')\n"
        "print(' '.join(m for m in sys.modules if m.startswith('rnnshape.layers.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    from rnnshape.layers import WHERE

    entry_modules = {f"rnnshape.layers.{m}" for m in WHERE.values()}
    assert set(out.split()) & entry_modules == {"rnnshape.layers.recurrent"}
