"""Check many models in one TensorFlow process: infer, budget, build, run, compare.

Failures of one model (rnnshape refuses it, Keras refuses it, it is too large) are
recorded on that model and the run goes on.
"""

from __future__ import annotations

import collections
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence, TextIO

from ..errors import RnnshapeError, TooLarge
from ..hints import fitted
from ..graph import all_layers
from ..infer import infer_model
from ..report import ModelReport
from ..spec import LayerSpec, ModelSpec
from .budget import Estimate, estimate, refuse_if_too_deep, refuse_if_too_large
from .keras_args import NotBuilt, plan_model
from .compare import Finding, LayerCheck, compare_reports
from .numeric import ForwardFn, NumericResult
from .probe import ProbeInput, concrete_spec, plan_probe, probe_arrays
from ..records import record

PROBE_SEED = 0
# Models built between two keras.backend.clear_session() calls.
CLEAR_EVERY = 32


def rnnshape_report(model: ModelSpec) -> ModelReport:
    """rnnshape's side of every comparison. Tests replace this to inject a wrong answer."""
    return infer_model(model)


@record
class CheckOptions:
    device: str = "auto"  # auto | cpu | gpu
    force: bool = False
    numeric: bool = False
    atol: float = 1e-5
    seed: int = PROBE_SEED


@record
class ModelCheck:
    """The outcome for one model. ``status``: agree | mismatch | error | refused."""

    name: str
    source: str
    status: str
    layers: tuple[LayerCheck, ...] = ()
    findings: tuple[Finding, ...] = ()  # model-level: totals, missing layers
    probe: tuple[ProbeInput, ...] = ()
    notes: tuple[str, ...] = ()
    error: str | None = None  # why rnnshape or Keras could not take part
    device: str | None = None
    estimate: Estimate | None = None
    numeric: NumericResult | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "agree"

    @property
    def mismatches(self) -> tuple[Finding, ...]:
        return tuple(f for layer in self.layers for f in layer.findings) + self.findings


@dataclass
class CheckRun:
    environment: Any  # keras_side.Environment
    models: list[ModelCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(m.ok for m in self.models)

    @property
    def devices_used(self) -> list[str]:
        return sorted({m.device for m in self.models if m.device})


class Progress:
    """A progress line on stderr: rewritten in place on a terminal, every ~10% otherwise."""

    def __init__(self, total: int, stream: TextIO | None = None, *, min_models: int = 10) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = total >= min_models or (self.tty and total > 1)
        self.start = time.perf_counter()
        self.step = max(1, total // 10)

    def update(self, done: int, name: str) -> None:
        if not self.enabled:
            return
        elapsed = time.perf_counter() - self.start
        if self.tty:
            line = f"\rrnnshape check: {done}/{self.total} {name[:40]:<40} {elapsed:6.1f} s"
            self.stream.write(line)
            self.stream.flush()
        elif done % self.step == 0 or done == self.total:
            self.stream.write(f"rnnshape check: {done}/{self.total} models checked ({elapsed:.1f} s)\n")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\r" + " " * 70 + "\r")
            self.stream.flush()


def check_models(
    models: Sequence[ModelSpec | RnnshapeError],
    options: CheckOptions,
    *,
    forward_function: Callable[[ModelSpec], ForwardFn] | None = None,
    progress: Progress | None = None,
) -> CheckRun:
    """Check every model in this process; TensorFlow is imported once, here."""
    from .keras_build import import_keras

    keras = import_keras()
    from .keras_side import select_device

    env = select_device(options.device)
    run = CheckRun(env)
    progress = progress or Progress(len(models))
    try:
        for done, model in enumerate(models, start=1):
            # Each model gets Keras's names as in a process of its own: auto-named nested
            # layers (Bidirectional's forward_lstm, cells) get the names rnnshape predicts.
            # A full clear_session (gc.collect, TF kernel caches) only every CLEAR_EVERY models.
            if done % CLEAR_EVERY == 0:
                keras.backend.clear_session()
            else:
                fresh_names(keras)
            started = time.perf_counter()
            result = _check_one(keras, env, model, options, forward_function)
            run.models.append(_with_time(result, time.perf_counter() - started))
            progress.update(done, result.name)
    finally:
        progress.close()
    return run


def fresh_names(keras: Any) -> None:
    """Restart Keras's automatic layer naming (``lstm``, ``lstm_1``, ...) without clearing
    TensorFlow's caches, which a full ``clear_session`` does at ~35% of a small check's cost."""
    try:
        from keras.src.backend.common import global_state
        from keras.src.utils import naming

        global_state.set_global_attribute("object_name_uids", collections.defaultdict(int))
        naming.get_uid("")  # fails here, not mid-build, if Keras changed where uids live
    except (ImportError, AttributeError, TypeError):
        keras.backend.clear_session(free_memory=False)


def _with_time(result: ModelCheck, seconds: float) -> ModelCheck:
    from dataclasses import replace

    return replace(result, seconds=seconds)


def _check_one(
    keras: Any,
    env: Any,
    model: ModelSpec | RnnshapeError,
    options: CheckOptions,
    forward_function: Callable[[ModelSpec], ForwardFn] | None,
) -> ModelCheck:
    from .keras_build import build_graph
    from .keras_side import device_scope, forward_pass, keras_facts, physical_name

    if isinstance(model, RnnshapeError):
        source = str(model.pos.source) if model.pos else "<input>"
        return ModelCheck(source, source, "error", error=f"cannot be read: {fitted(model)}")
    notes = normalisation_notes(model)
    try:
        declared = rnnshape_report(model)
    except RnnshapeError as err:
        return _rnnshape_refuses(model, notes, err)
    probe = plan_probe(model)
    try:
        concrete = rnnshape_report(concrete_spec(model, probe))
    except RnnshapeError as err:
        return ModelCheck(
            model.name, model.source, "error", probe=probe, notes=notes,
            error=f"rnnshape cannot infer the model on the probe input: {fitted(err)}",
        )
    est = estimate(concrete)
    # Decided before any Keras object of this model exists: size, depth, and what may be built.
    try:
        if not options.force:
            refuse_if_too_large(est, model.name)
        refuse_if_too_deep(concrete, model.name)
        plan_model(model)
    except (TooLarge, NotBuilt) as err:
        return ModelCheck(model.name, model.source, "refused", probe=probe, notes=notes, error=str(fitted(err)), estimate=est)
    arrays = probe_arrays(probe, options.seed)
    with device_scope(env):
        try:
            keras_model, tensors = build_graph(keras, model)
        except Exception as exc:  # noqa: BLE001 - Keras refusing a model rnnshape accepts is a finding
            return ModelCheck(
                model.name, model.source, "mismatch", probe=probe, notes=notes, estimate=est,
                findings=(Finding("(model)", "build", "accepts the model", _keras_error(exc)),),
            )
        try:
            outputs, tensor_device, probe_model = forward_pass(keras, keras_model, tensors, model, concrete, arrays)
        except Exception as exc:  # noqa: BLE001
            return ModelCheck(
                model.name, model.source, "mismatch", probe=probe, notes=notes, estimate=est,
                findings=(Finding("(model)", "forward pass", "runs", _keras_error(exc)),),
            )
        device = physical_name(tensor_device, env)
        facts = keras_facts(keras_model, probe_model, concrete, model, outputs, device)
        layers, findings = compare_reports(declared, concrete, facts)
        numeric = None
        if options.numeric and forward_function is not None:
            numeric = _numeric(model, keras_model, forward_function, options)
    agree = all(layer.ok for layer in layers) and not findings and (numeric is None or numeric.passed)
    return ModelCheck(
        model.name, model.source, "agree" if agree else "mismatch", layers, findings, probe, notes,
        device=device, estimate=est, numeric=numeric,
    )


def _numeric(
    model: ModelSpec, keras_model: Any, forward_function: Callable[[ModelSpec], ForwardFn], options: CheckOptions
) -> NumericResult:
    """The numeric comparison; a model the generator cannot handle fails it with the reason."""
    import math

    from .numeric import numeric_compare

    try:
        forward_fn = forward_function(model)
    except RnnshapeError as err:
        return NumericResult(math.inf, (), options.atol, options.seed, (), f"no NumPy forward pass: {err}")
    return numeric_compare(model, keras_model, forward_fn, options.atol, seed=options.seed)


def _rnnshape_refuses(model: ModelSpec, notes: tuple[str, ...], err: RnnshapeError) -> ModelCheck:
    """rnnshape rejects the model: report that, and build nothing.

    A refused model is never handed to Keras: rnnshape has not checked its classes and
    arguments, and Keras constructors act on some (paths, custom objects).
    """
    return ModelCheck(
        model.name, model.source, "error", notes=notes,
        error=f"rnnshape: {fitted(err)}\n  not built with Keras: check builds only models that rnnshape accepts",
    )


def normalisation_notes(model: ModelSpec) -> tuple[str, ...]:
    """Say when the Keras model is rnnshape's Keras 3 rendering of an older config."""
    notes = list(model.notes)
    legacy = sorted({f"{key} on '{spec.name or spec.class_name}'" for spec in all_layers(model) for key in spec.legacy})
    if notes or legacy:
        what = f" (Keras 2 arguments dropped: {', '.join(legacy)})" if legacy else ""
        notes.append(f"built the equivalent Keras 3 model from rnnshape's normalised spec{what}")
    return tuple(notes)


def _keras_error(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if len(text) > 300:
        text = text[:297] + "..."
    return f"{type(exc).__name__}: {text}"
