"""Everything ``check`` asks of TensorFlow: pick a device, build, run, read the facts.

Imported only by the check runner, after ``import_keras`` succeeded.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from ..errors import MissingDependency
from ..report import ModelReport
from ..spec import ModelSpec, TensorRef
from ..layers import find_layer_def
from ..layers.tensor_ops import OP_CATEGORY
from .compare import KerasFacts, KerasLayerFacts, KerasWeight, Params
from .keras_build import MASK_OPS
from ..records import record


@record
class Device:
    """Where models are built and run."""

    logical: str  # for tf.device(), e.g. "/CPU:0"
    physical: str  # e.g. "/physical_device:GPU:0"
    description: str  # e.g. "NVIDIA H200" or "CPU"


@record
class Environment:
    device: Device
    tensorflow: str
    keras: str
    gpus: tuple[str, ...]  # every GPU TensorFlow sees
    requested: str = "auto"


def select_device(wanted: str) -> Environment:
    """``auto`` takes the first GPU TensorFlow sees, else the CPU; ``gpu`` insists on one."""
    import keras
    import tensorflow as tf

    from .keras_build import quiet_native_stderr

    with quiet_native_stderr():  # the CUDA probe prints "failed call to cuInit" on CPU-only hosts
        gpus = tf.config.list_physical_devices("GPU")
    names = tuple(_gpu_name(tf, g) for g in gpus)
    if wanted == "gpu" and not gpus:
        raise MissingDependency(
            "--device gpu: TensorFlow sees no GPU on this machine",
            hint="use --device auto or --device cpu, or install a CUDA-enabled TensorFlow",
        )
    if wanted in ("gpu", "auto") and gpus:
        device = Device("/GPU:0", gpus[0].name, names[0])
    else:
        cpus = tf.config.list_physical_devices("CPU")
        device = Device("/CPU:0", cpus[0].name if cpus else "/physical_device:CPU:0", "CPU")
    return Environment(device, tf.__version__, keras.__version__, names, wanted)


def _gpu_name(tf: Any, gpu: Any) -> str:
    try:
        details = tf.config.experimental.get_device_details(gpu)
    except Exception:  # noqa: BLE001 - details are cosmetic
        details = {}
    return str(details.get("device_name") or gpu.name)


def physical_name(tensor_device: str, env: Environment) -> str:
    """``/job:localhost/replica:0/task:0/device:GPU:0`` -> ``/physical_device:GPU:0``."""
    tail = tensor_device.rsplit("device:", 1)[-1] if "device:" in tensor_device else ""
    return f"/physical_device:{tail}" if tail else env.device.physical


def device_scope(env: Environment) -> Any:
    import tensorflow as tf

    return tf.device(env.device.logical)


def forward_pass(
    keras: Any, keras_model: Any, tensors: dict[TensorRef, Any], model: ModelSpec, report: ModelReport,
    arrays: Sequence[Any],
) -> tuple[dict[str, tuple[tuple[int, ...], ...]], str, Any]:
    """Run the probe once through a model that outputs every layer's (first-call) outputs.

    Returns the actual output shapes per layer name, the device the outputs live on, and
    the probe model (it holds every layer, even one whose output the model leaves unused).
    """
    wanted: list[TensorRef] = []
    spans: dict[str, tuple[int, int]] = {}
    input_names = {inp.name for inp in model.inputs}
    # Group the first-call outputs by layer once: a scan of every tensor per layer is quadratic.
    first_call: dict[str, list[TensorRef]] = {}
    for ref in tensors:
        if ref.node == 0:
            first_call.setdefault(ref.layer, []).append(ref)
    for layer in report.layers:
        if layer.name in input_names:
            continue
        refs = sorted(first_call.get(layer.name, ()), key=lambda r: r.tensor)
        spans[layer.name] = (len(wanted), len(wanted) + len(refs))
        wanted += refs
    inputs = keras_model.inputs
    feed: Any = list(arrays) if len(inputs) > 1 else arrays[0]
    probe = keras.Model(inputs if len(inputs) > 1 else inputs[0], [tensors[r] for r in wanted])
    results = probe(feed, training=False)
    results = list(results) if isinstance(results, (list, tuple)) else [results]
    shapes: dict[str, tuple[tuple[int, ...], ...]] = {}
    for name, (start, stop) in spans.items():
        shapes[name] = tuple(tuple(int(d) for d in results[i].shape) for i in range(start, stop))
    for inp, array in zip(model.inputs, arrays):
        shapes[inp.name] = (tuple(int(d) for d in array.shape),)
    device = str(getattr(results[0], "device", "") or "") if results else ""
    return shapes, device, probe


def keras_facts(
    keras_model: Any, probe_model: Any, report: ModelReport, model: ModelSpec,
    outputs: dict[str, tuple[tuple[int, ...], ...]], device: str,
) -> KerasFacts:
    """What Keras says about every layer rnnshape reports on, as plain data.

    Totals are the real model's; layers are looked up in the probe model, which holds all.
    """
    by_name = {k.name: k for k in probe_model.layers}
    by_name.update({k.name: k for k in keras_model.layers})
    layers = {}
    for layer in report.layers:
        entry = find_layer_def(layer.spec.class_name) if layer.spec is not None else None
        if layer.class_name in MASK_OPS or entry is not None and entry.category == OP_CATEGORY:
            # Applied with keras.ops: no layer object, no weights; its output measured by the probe.
            layers[layer.name] = KerasLayerFacts(
                layer.name, layer.class_name, outputs.get(layer.name, ()), Params(0, 0, 0), ()
            )
            continue
        k_layer = by_name.get(layer.name)
        if k_layer is None:
            continue
        layers[layer.name] = KerasLayerFacts(
            name=layer.name,
            class_name=type(k_layer).__name__,
            outputs=outputs.get(layer.name, ()),
            params=_params(k_layer),
            weights=_weights(k_layer),
        )
    known = set(layers) | {inp.name for inp in model.inputs}
    extra = tuple(k.name for k in keras_model.layers if k.name not in known)
    return KerasFacts(layers, _params(keras_model), device, extra)


def _params(obj: Any) -> Params:
    trainable = sum(_size(w) for w in obj.trainable_weights)
    non_trainable = sum(_size(w) for w in obj.non_trainable_weights)
    return Params(int(obj.count_params()), trainable, non_trainable)


def _weights(layer: Any) -> tuple[KerasWeight, ...]:
    trainable_ids = {id(w) for w in layer.trainable_weights}
    return tuple(
        KerasWeight(str(w.path), tuple(int(d) for d in w.shape), id(w) in trainable_ids) for w in layer.weights
    )


def _size(weight: Any) -> int:
    return math.prod(int(d) for d in weight.shape)
