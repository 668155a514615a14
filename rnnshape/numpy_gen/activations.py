"""Keras activations as NumPy expressions, plus the helper functions some of them need.

Each entry is a format string applied to the pre-activation expression, and the
names of helpers (defined once at the top of the generated module) it calls.
Keras 3 definitions: ``hard_sigmoid(x) = relu6(x + 3) / 6``, ``leaky_relu`` slope 0.2.
"""

from __future__ import annotations

from ..errors import SpecError

# name -> (expression template, helpers it uses)
ACTIVATIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "linear": ("{}", ()),
    "tanh": ("np.tanh({})", ()),
    "sigmoid": ("sigmoid({})", ("sigmoid",)),
    "relu": ("np.maximum({}, 0.0)", ()),
    "relu6": ("np.clip({}, 0.0, 6.0)", ()),
    "hard_sigmoid": ("hard_sigmoid({})", ("hard_sigmoid",)),
    "softmax": ("softmax({})", ("softmax",)),
    "softplus": ("np.logaddexp({}, 0.0)", ()),
    "softsign": ("softsign({})", ("softsign",)),
    "elu": ("elu({})", ("elu",)),
    "selu": ("selu({})", ("selu",)),
    "exponential": ("np.exp({})", ()),
    "swish": ("silu({})", ("sigmoid", "silu")),
    "silu": ("silu({})", ("sigmoid", "silu")),
    "leaky_relu": ("leaky_relu({})", ("leaky_relu",)),
    "hard_tanh": ("np.clip({}, -1.0, 1.0)", ()),
    "log_softmax": ("log_softmax({})", ("log_softmax",)),
}

# Helper definitions, in the order they are written into the module.
HELPERS: dict[str, str] = {
    "sigmoid": '''def sigmoid(z):
    """The logistic function 1 / (1 + e^-z), squashing to (0, 1)."""
    return 1.0 / (1.0 + np.exp(-z))''',
    "hard_sigmoid": '''def hard_sigmoid(z):
    """Keras 3's piecewise-linear sigmoid: relu6(z + 3) / 6 (Keras 2 used 0.2z + 0.5)."""
    return np.clip(z + 3.0, 0.0, 6.0) / 6.0''',
    "softmax": '''def softmax(z):
    """Normalised exponentials over the last axis (shifted by the max for stability)."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)''',
    "log_softmax": '''def log_softmax(z):
    """log(softmax(z)) over the last axis."""
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))''',
    "softsign": '''def softsign(z):
    """z / (1 + |z|)."""
    return z / (1.0 + np.abs(z))''',
    "elu": '''def elu(z):
    """z for z > 0, e^z - 1 otherwise."""
    return np.where(z > 0, z, np.expm1(np.minimum(z, 0.0)))''',
    "selu": '''def selu(z):
    """Scaled ELU with the constants of Klambauer et al. (2017)."""
    alpha, scale = 1.6732632423543772, 1.0507009873554805
    return scale * np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))''',
    "silu": '''def silu(z):
    """z * sigmoid(z) (a.k.a. swish)."""
    return z * sigmoid(z)''',
    "leaky_relu": '''def leaky_relu(z):
    """z for z > 0, 0.2 z otherwise (Keras 3's default slope)."""
    return np.where(z > 0, z, 0.2 * z)''',
}


def activation_expr(name: object, inner: str, *, layer: str) -> tuple[str, tuple[str, ...]]:
    """``np.tanh(z)`` for ``("tanh", "z")``; a SpecError for an activation without a NumPy form."""
    key = "linear" if name is None else name
    if not isinstance(key, str) or key not in ACTIVATIONS:
        raise SpecError(
            f"activation {name!r} has no NumPy template",
            layer=layer,
            hint="supported: " + ", ".join(sorted(ACTIVATIONS)),
        )
    template, helpers = ACTIVATIONS[key]
    return template.format(inner), helpers
