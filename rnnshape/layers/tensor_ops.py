"""Operations on symbolic tensors: ``keras.ops`` calls and Python operators on Keras tensors.

Keras 3 records ``keras.ops.reshape(x, ...)``, ``x + y`` or ``x[:, -1]`` in a Functional
model as an *operation*: a row of ``model.summary()`` with 0 params (``reshape (Reshape)``),
listed in ``model.operations`` but not in ``model.layers``, and an entry of ``to_json()``.
rnnshape shows them as those rows. This module is the one place that knows each one:

- the spellings the Python reader accepts (``keras.ops.X``, ``ops.X`` after ``from keras
  import ops``, ``keras.ops.numpy.X``, and the ``tf.X`` function of tf.keras 2 code that
  computes the same shape; Keras 3 raises on those, so the model says so in a note);
- its arguments, checked like layer arguments (``LayerDef.args``);
- its shape rule, with Keras's own error text when shapes do not fit;
- the ``keras.ops`` function ``check`` calls to rebuild it.

Registry keys are ``ops.<function>`` (``ops.reshape``): several Keras operation classes
share their name with a layer class (``Reshape``, ``Concatenate``, ``Add``) but not its
arguments or rule. ``LayerDef.keras_class`` is the name Keras shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from ..spec import Shape
from . import flops, macs
from .base import REQUIRED, Arg, Built, Context, ElementwiseRule, LayerDef, MacRule, boolean, positive_int
from . import tensor_op_rules as rules

OP_CATEGORY = "op"
NO_NUMPY = "a tensor operation: the NumPy generator writes layers only, not operations on tensors"
# What Keras 3 raises when a tf.* function gets a Keras tensor (the first sentence of the
# ValueError of ``KerasTensor.__tf_tensor__``, keras/src/backend/common/keras_tensor.py).
KERAS3_TF_ERROR = "A KerasTensor cannot be used as input to a TensorFlow function"


def tf_call_rejected(call: str) -> str:
    """Why ``tf.X(...)`` on a Keras tensor is an error: explain's note and lint's RS214 say it alike."""
    return f'{call}(...) on a Keras tensor is tf.keras 2 code: Keras 3 raises ValueError ("{KERAS3_TF_ERROR}")'


# ---------------------------------------------------------------- the entries


@dataclass(frozen=True)
class TfSpelling:
    """A TensorFlow function of tf.keras 2 code that computes the same shape as the op.

    ``params`` are its parameters in its own positional order, each with the op's name for
    it, or None where the parameter changes no shape (``name``, ``on_value``): dropped.
    """

    names: tuple[str, ...]  # under ``tensorflow.``: "reduce_max", "math.reduce_max"
    params: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class TensorOp:
    """One operation: its ``keras.ops`` function, parameters and registry entry."""

    function: str
    params: tuple[str, ...]  # Keras's positional order
    tensors: tuple[str, ...]  # the parameters that are tensors
    layer: LayerDef
    tf: TfSpelling | None = None
    as_list: bool = False  # its one tensor parameter is a list of tensors (concatenate, stack)

    @property
    def key(self) -> str:
        return self.layer.class_name


def _op(
    function: str,
    keras_class: str,
    params: tuple[str, ...],
    tensors: tuple[str, ...],
    args: tuple[Arg, ...],
    infer: Callable[[Mapping[str, Any], Sequence[Shape], Context], Built],
    summary: str,
    tf: TfSpelling | None = None,
    cost: str | MacRule = macs.ZERO_SHAPE,
    as_list: bool = False,
    work: str | ElementwiseRule = flops.ZERO_SHAPE,
) -> TensorOp:
    many = as_list or len(tensors) > 1
    layer = LayerDef(
        class_name=f"ops.{function}",
        keras_class=keras_class,
        args=args,
        infer=infer,
        summary=f"keras.ops.{function}: {summary}" + (f"; tf.keras 2: tf.{', tf.'.join(tf.names)}" if tf else ""),
        arity="many" if many else 1,
        category=OP_CATEGORY,
        no_numpy=NO_NUMPY,
        macs=cost,
        flops=work,
    )
    return TensorOp(function, params, tensors, layer, tf, as_list)


def _tf(names: str, *params: tuple[str, str | None]) -> TfSpelling:
    return TfSpelling(tuple(names.split()), (*params, ("name", None)))


_AXIS_KEEPDIMS = (Arg("axis", None, rules.axis_or_axes), Arg("keepdims", False, boolean))


def _reduction(function: str, keras_class: str, what: str, extra: tuple[Arg, ...] = ()) -> TensorOp:
    names = f"reduce_{function} math.reduce_{function}"
    return _op(
        function, keras_class, ("x", "axis", "keepdims", *(a.name for a in extra)), ("x",),
        (*_AXIS_KEEPDIMS, *extra), rules.reduce, f"{what} over axis (keepdims keeps it as 1)",
        _tf(names, ("input_tensor", "x"), ("axis", "axis"), ("keepdims", "keepdims")), macs.ZERO_POOL,
        work=rules.reduction_flops(1 if function == "mean" else 0),
    )


def _arithmetic(function: str, keras_class: str, symbol: str) -> TensorOp:
    return _op(
        function, keras_class, ("x1", "x2"), ("x1", "x2"),
        (Arg("x1", None, rules.number), Arg("x2", None, rules.number)), rules.binary,
        f"x1 {symbol} x2 with broadcasting (also the operator {symbol})", cost=macs.ZERO_ELEMENTWISE,
        work=flops.per_element(1),
    )


TENSOR_OPS: tuple[TensorOp, ...] = (
    _op(
        "one_hot", "OneHot", ("x", "num_classes", "axis", "dtype", "sparse"), ("x",),
        (Arg("num_classes", REQUIRED, positive_int), Arg("axis", -1, rules.an_int), Arg("dtype", None, rules.dtype_name),
         Arg("sparse", False, boolean)),
        rules.one_hot, "a new axis of num_classes at axis",
        _tf("one_hot", ("indices", "x"), ("depth", "num_classes"), ("on_value", None), ("off_value", None),
            ("axis", "axis"), ("dtype", "dtype")),
        macs.ZERO_ENCODING, work=flops.ZERO_ENCODING,
    ),
    _op(
        "concatenate", "Concatenate", ("xs", "axis"), ("xs",), (Arg("axis", 0, rules.an_int),), rules.concatenate,
        "joins tensors along axis", _tf("concat", ("values", "xs"), ("axis", "axis")), as_list=True,
    ),
    _op(
        "stack", "Stack", ("x", "axis"), ("x",), (Arg("axis", 0, rules.an_int),), rules.stack,
        "stacks same-shape tensors on a new axis", _tf("stack", ("values", "x"), ("axis", "axis")), as_list=True,
    ),
    _op(
        "expand_dims", "ExpandDims", ("x", "axis"), ("x",), (Arg("axis", REQUIRED, rules.axis_or_axes),), rules.expand_dims,
        "a new axis of size 1", _tf("expand_dims", ("input", "x"), ("axis", "axis")),
    ),
    _op(
        "squeeze", "Squeeze", ("x", "axis"), ("x",), (Arg("axis", None, rules.axis_or_axes),), rules.squeeze,
        "drops axes of size 1", _tf("squeeze", ("input", "x"), ("axis", "axis")),
    ),
    _op(
        "reshape", "Reshape", ("x", "newshape"), ("x",), (Arg("newshape", REQUIRED, rules.int_list),), rules.reshape,
        "a new shape, batch axis included (-1: inferred)", _tf("reshape", ("tensor", "x"), ("shape", "newshape")),
    ),
    _op(
        "transpose", "Transpose", ("x", "axes"), ("x",), (Arg("axes", None, rules.int_list),), rules.transpose,
        "permutes the axes (all of them, batch included)",
        _tf("transpose", ("a", "x"), ("perm", "axes"), ("conjugate", None)),
    ),
    _reduction("sum", "Sum", "sum"),
    _reduction("mean", "Mean", "mean"),
    _reduction("max", "Max", "maximum", (Arg("initial", None, rules.number),)),
    _reduction("min", "Min", "minimum", (Arg("initial", None, rules.number),)),
    _reduction("prod", "Prod", "product", (Arg("dtype", None, rules.dtype_name),)),
    _op(
        "matmul", "Matmul", ("x1", "x2"), ("x1", "x2"), (), rules.matmul,
        "matrix product over the last two axes, leading axes broadcast (also the operator @)",
        _tf("matmul linalg.matmul", ("a", "x1"), ("b", "x2")), rules.matmul_macs,
        work="a matrix product: its FLOPs are 2·MACs, with no element-wise work besides",
    ),
    _op(
        "split", "Split", ("x", "indices_or_sections", "axis"), ("x",),
        (Arg("indices_or_sections", REQUIRED, rules.sections), Arg("axis", 0, rules.an_int)), rules.split,
        "n equal parts along axis, or the parts between the given indices (several outputs)",
    ),
    _op(
        "cast", "Cast", ("x", "dtype"), ("x",), (Arg("dtype", REQUIRED, rules.dtype_name),), rules.same_shape,
        "the same shape in another dtype", _tf("cast", ("x", "x"), ("dtype", "dtype")), macs.ZERO_SHAPE,
    ),
    _arithmetic("add", "Add", "+"),
    _arithmetic("subtract", "Subtract", "-"),
    _arithmetic("multiply", "Multiply", "*"),
    _arithmetic("true_divide", "TrueDivide", "/"),
    _op(
        "negative", "Negative", ("x",), ("x",), (), rules.same_shape, "-x (also the operator -)", cost=macs.ZERO_ELEMENTWISE,
        work=flops.per_element(1),
    ),
    _op(
        "get_item", "GetItem", ("x", "key"), ("x",), (Arg("key", REQUIRED, rules.item_key),), rules.get_item,
        "x[key]: an index drops an axis, a slice keeps it, None adds one",
    ),
)

BY_FUNCTION: dict[str, TensorOp] = {op.function: op for op in TENSOR_OPS}
# keras.ops.divide builds the same TrueDivide operation as ``/``.
BY_FUNCTION["divide"] = BY_FUNCTION["true_divide"]
BY_TF_NAME: dict[str, TensorOp] = {name: op for op in TENSOR_OPS if op.tf for name in op.tf.names}
BY_KEY: dict[str, TensorOp] = {op.key: op for op in TENSOR_OPS}
# Python operators on Keras tensors (``KerasTensor.__add__`` calls ``keras.ops.add``), by ``ast`` class name.
OPERATORS: dict[str, TensorOp] = {
    "Add": BY_FUNCTION["add"],
    "Sub": BY_FUNCTION["subtract"],
    "Mult": BY_FUNCTION["multiply"],
    "Div": BY_FUNCTION["true_divide"],
    "MatMult": BY_FUNCTION["matmul"],
    "USub": BY_FUNCTION["negative"],
}
