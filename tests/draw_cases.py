"""The models every drawing test draws: one table for the SVG, browser and docs tests.

Each case is ``name -> (inputs, --input-shape or None)``; the inputs are paths relative
to the repository or layer expressions.
"""

from __future__ import annotations

from pathlib import Path

from rnnshape import formats
from rnnshape.infer import infer_model
from rnnshape.report import ModelReport
from rnnshape.spec import ModelSpec

ROOT = Path(__file__).resolve().parent.parent

SEEDS = [p.stem for p in sorted((ROOT / "examples").glob("*.yaml"))]

CASES: dict[str, tuple[list[str], str | None]] = {
    **{seed: ([f"examples/{seed}.yaml"], None) for seed in SEEDS},
    "bigru_merge_none": (["Bidirectional(GRU(4, return_sequences=True), merge_mode=None)"], "10,3"),
    "bilstm_states": (["Bidirectional(LSTM(6, return_state=True))"], "12,3"),
    "lstm_backwards": (["LSTM(5, go_backwards=True, return_sequences=True)"], "None,3"),
    "gru_reset_before": (["GRU(4, reset_after=False, use_bias=True)"], "6,3"),
    "seq2seq": (["examples/keras/seq2seq.json"], None),
    "unbuilt": (["examples/broken/unbuilt_keras2.json"], "None,8"),
    "branches": (["tests/fixtures/draw/branches.py"], None),
    "convlstm_5d": (["ConvLSTM2D(4, 3, return_sequences=True)", "Flatten()"], "5,16,16,3"),
}


def load(name: str) -> tuple[ModelSpec, ModelReport]:
    """The case's one model and its inference."""
    specs, shape = CASES[name]
    inputs = [str(ROOT / s) if s.endswith((".yaml", ".json", ".py")) else s for s in specs]
    (model,) = formats.load_models(inputs, input_shape=shape, batch_input_shape=None, model=None)
    assert isinstance(model, ModelSpec), model
    return model, infer_model(model)


def has_recurrent(report: ModelReport) -> bool:
    from rnnshape.draw.labels import recurrent_core

    return any(recurrent_core(layer) is not None for layer in report.layers)
