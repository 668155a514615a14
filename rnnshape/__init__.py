"""rnnshape: explain and lint the shapes and parameter counts of Keras recurrent models.

The Python API (documented in docs/api.md)::

    import rnnshape
    rnnshape.explain(model)                      # -> Report (text, HTML, JSON contract)
    rnnshape.lint("model.py")                    # -> list[Problem]
    rnnshape.numpy_source(model)                 # -> str, a standalone NumPy forward pass
    rnnshape.check(model)                        # -> CheckReport (real Keras 3)

In IPython/Jupyter, ``%load_ext rnnshape`` adds the ``%rnnshape`` and ``%%rnnshape`` magics.

Importing this package is cheap: it imports neither TensorFlow, Keras nor NumPy. Each
public name is loaded from its module on first use (PEP 562).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name -> the module that defines it.
_EXPORTS = {
    "explain": "api",
    "numpy_source": "api",
    # rnnshape.check and rnnshape.lint are subpackages made callable (callable_module.py).
    "Report": "results",
    "CheckReport": "results",
    "Layer": "results",
    "Problem": "lint.problem",
    "Level": "lint.problem",
    "Position": "errors",
    "RnnshapeError": "errors",
    "load_ipython_extension": "ipython",
    "unload_ipython_extension": "ipython",
}

_CALLABLE_SUBPACKAGES = ("check", "lint")

__all__ = ["__version__", *_EXPORTS, *_CALLABLE_SUBPACKAGES]

if TYPE_CHECKING:
    from .api import explain, numpy_source
    from .errors import Position, RnnshapeError
    from .ipython import load_ipython_extension, unload_ipython_extension
    from .lint.problem import Level, Problem
    from .results import CheckReport, Layer, Report


def __getattr__(name: str) -> Any:
    from importlib import import_module

    if name in _CALLABLE_SUBPACKAGES:
        return import_module(f".{name}", __name__)  # importing it sets it as our attribute
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'rnnshape' has no attribute {name!r}")

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
