"""RS208-RS209: whether Keras 3 can run an LSTM/GRU with the fast cuDNN kernel."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..spec import LayerSpec
from ..text import shown
from .context import ModelContext
from .helpers import describe
from .problem import Finding, Level
from .rule import Rule
from .vocabulary import activation_name

CUDNN_LAYERS = frozenset({"LSTM", "GRU"})


def cudnn_blockers(class_name: str, cfg: Mapping[str, Any]) -> list[str]:
    """Why Keras 3 (TensorFlow backend) will not run this LSTM/GRU with cuDNN.

    The conditions of keras/src/layers/rnn/{lstm,gru}.py and backend cudnn_ok():
    activation is tanh, recurrent_activation is sigmoid, recurrent_dropout is 0,
    unroll is False, use_bias is True, GRU reset_after is True, use_cudnn is not False.
    """
    reasons = []
    if activation_name(cfg.get("activation")) != "tanh":
        reasons.append(f"activation={shown(cfg.get('activation'))} (needs 'tanh')")
    if activation_name(cfg.get("recurrent_activation")) != "sigmoid":
        reasons.append(f"recurrent_activation={shown(cfg.get('recurrent_activation'))} (needs 'sigmoid')")
    if cfg.get("recurrent_dropout"):
        reasons.append(f"recurrent_dropout={shown(cfg.get('recurrent_dropout'))} (needs 0)")
    if cfg.get("unroll"):
        reasons.append("unroll=True (needs False)")
    if not cfg.get("use_bias", True):
        reasons.append("use_bias=False (needs True)")
    if class_name == "GRU" and not cfg.get("reset_after", True):
        reasons.append("reset_after=False (needs True)")
    return reasons


def _cudnn_sites(ctx: ModelContext) -> Iterator[tuple[LayerSpec, dict[str, Any], list[str]]]:
    for site in ctx.layers():
        if site.spec.class_name not in CUDNN_LAYERS:
            continue
        cfg = ctx.config(site.spec)
        if cfg is not None:
            yield site.spec, cfg, cudnn_blockers(site.spec.class_name, cfg)


def _first_blocking_arg(spec: LayerSpec, reasons: list[str]) -> str | None:
    for reason in reasons:
        key = reason.split("=")[0]
        if key in spec.args:
            return key
    return None


def _no_cudnn(ctx: ModelContext) -> Iterator[Finding]:
    for spec, cfg, reasons in _cudnn_sites(ctx):
        if reasons and cfg.get("use_cudnn") == "auto":
            yield Finding(
                f"{describe(spec)} will not use the fast cuDNN kernel on GPU: {', '.join(reasons)}",
                spec,
                _first_blocking_arg(spec, reasons),
            )


RS208 = Rule(
    "RS208", "no-cudnn-kernel", Level.INFO,
    "An LSTM/GRU that will not get the fast cuDNN kernel on GPU, and why.",
    "Use the defaults cuDNN needs, or accept the slower kernel",
    """
What it does
    Checks every LSTM and GRU against the conditions under which Keras 3 (TensorFlow
    backend, keras/src/layers/rnn/lstm.py and gru.py, backend cudnn_ok) runs the cuDNN
    kernel:
      1. activation == 'tanh'
      2. recurrent_activation == 'sigmoid'
      3. recurrent_dropout == 0
      4. unroll is False
      5. use_bias is True
      6. GRU only: reset_after is True
    and names every condition that fails. Layers with use_cudnn=False are skipped (you
    chose). Two run-time conditions cannot be checked from a config: masked inputs must
    be strictly right-padded, and the model must run eagerly in the outermost context
    (no jit_compile around the RNN). dropout (on the inputs) does not block cuDNN.

Why is this bad?
    On GPU the generic kernel is often several times slower than cuDNN. Keras falls
    back silently.

Example
    - LSTM: {units: 64, recurrent_dropout: 0.2}      # RS208: recurrent_dropout=0.2 (needs 0)

Fix
    Use dropout instead of recurrent_dropout, the default activations, use_bias=True,
    unroll=False (and reset_after=True for GRU), or set use_cudnn=False to say the slow
    kernel is intended.
""",
    _no_cudnn,
)


def _cudnn_forced(ctx: ModelContext) -> Iterator[Finding]:
    for spec, cfg, reasons in _cudnn_sites(ctx):
        if reasons and cfg.get("use_cudnn") is True:
            yield Finding(
                f"{describe(spec)} has use_cudnn=True, but cuDNN cannot run it: {', '.join(reasons)}",
                spec,
                "use_cudnn",
            )


RS209 = Rule(
    "RS209", "cudnn-forced-ineligible", Level.ERROR,
    "use_cudnn=True on an LSTM/GRU whose configuration cuDNN cannot run.",
    "Set use_cudnn='auto', or meet the cuDNN conditions (see RS208)",
    """
What it does
    Flags use_cudnn=True on an LSTM/GRU that breaks one of the cuDNN conditions listed
    in RS208.

Why is this bad?
    Keras 3 raises "use_cudnn=True was specified, but cuDNN is not supported for this
    layer configuration with this backend" on the first call. (use_cudnn=True also
    fails on any machine without a GPU.)

Example
    - LSTM: {units: 8, use_cudnn: true, activation: relu}      # RS209

Fix
    use_cudnn: auto (falls back to the generic kernel), or activation: tanh.
""",
    _cudnn_forced,
)


RULES = (RS208, RS209)
