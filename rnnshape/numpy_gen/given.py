"""Where the weights of a generated forward pass come from, and where its .npz goes.

Shared by ``rnnshape numpy`` and ``rnnshape.numpy_source`` so both embed the same weights
with the same provenance line and name the .npz beside the code the same way.
"""

from __future__ import annotations

import os

import numpy as np

from ..report import ModelReport


def weights_file(path: str, report: ModelReport) -> tuple[dict[str, list[np.ndarray]], str]:
    """The trained weights a .keras/.weights.h5/.h5 file holds for ``report``'s model, and
    the code's provenance line."""
    from ..weights import read_weights

    # Only datasets of the shapes this model has are read (hostile files: issue 12).
    expected = {layer.name: [tuple(w.shape) for w in layer.weights] for layer in report.layers}
    return read_weights(path, expected), f"read from {os.path.basename(path)}"


def npz_name_for(output: str | None) -> str | None:
    """``forward.npz`` beside ``-o forward.py``: where arrays too large to embed are written."""
    return None if output is None else os.path.splitext(os.path.basename(output))[0] + ".npz"
