"""The two ways generated code can hold a batch, as data: Keras rows or maths columns.

Keras keeps a batch as rows, ``x_t`` is ``(N, D)`` and a step is ``x_t·Wx``; the
column convention of the textbooks keeps one column per sample, ``x_t`` is
``(D, N)`` and a step is ``Wx·x_t`` with the kernels transposed. Everything that
differs between the two is a field here, so a template writes each statement once
and asks its ``Layout`` for the spelling.
"""

from __future__ import annotations
from ..records import record


# How a weight is stored for the convention: transposed, as a column, or as Keras has it.
TRANSPOSE = "transpose"  # kernel (D, M) -> Wx (M, D)
COLUMN_BIAS = "column"  # bias (M,) -> (M, 1); GRU's (2, 3M) -> (3M, 2)
AS_IS = "as-is"


@record
class Layout:
    """One convention's spellings; ``{...}`` fields are filled by the methods below."""

    matrix_text: str  # a Keras (rows, cols) weight as the code holds it
    vector_text: str  # a Keras (n,) bias as the code holds it
    batch_text: str  # k features for every sample
    product_text: str  # a weight applied to a batch
    dot_text: str  # a weight applied to a vector, as the equations write it
    block_text: str  # features a..b of a batch
    step_text: str  # timestep t of a whole sequence
    keras_text: str  # a batch back in Keras's rows
    kernel_layout: str  # how the kernels are stored (TRANSPOSE or AS_IS)
    bias_layout: str  # how the biases are stored (COLUMN_BIAS or AS_IS)
    units: str  # the statement that reads the number of units M from Wh
    bias_split: str  # GRU reset_after: the input and recurrent bias
    zeros: str  # a zero state
    inputs: tuple[tuple[str, str], ...]  # the input part of every step, before the loop
    x_step: str  # x_t in Keras's rows, for tracing
    mask_step: str  # the mask of step t, broadcastable against a state
    stack: tuple[str, str, str]  # stacking the outputs: code, comment, the go_backwards remark

    def matrix(self, rows: str, cols: str) -> str:
        return self.matrix_text.format(rows=rows, cols=cols)

    def vector(self, n: str) -> str:
        return self.vector_text.format(n=n)

    def batch(self, k: str) -> str:
        return self.batch_text.format(k=k)

    def product(self, w: str, v: str) -> str:
        return self.product_text.format(w=w, v=v)

    def dot(self, w: str, v: str) -> str:
        return self.dot_text.format(w=w, v=v)

    def block(self, v: str, a: str, b: str) -> str:
        return self.block_text.format(v=v, a=a, b=b)

    def step(self, v: str) -> str:
        return self.step_text.format(v=v)

    def keras(self, v: str) -> str:
        return self.keras_text.format(v=v)


ROWS = Layout(
    matrix_text="({rows}, {cols})",
    vector_text="({n},)",
    batch_text="(N, {k})",
    product_text="{v} @ {w}",
    dot_text="{v}·{w}",
    block_text="{v}[:, {a}:{b}]",
    step_text="{v}[:, t]",
    keras_text="{v}",
    kernel_layout=AS_IS,
    bias_layout=AS_IS,
    units="M = Wh.shape[0]",
    bias_split="bx, bh = b",
    zeros="np.zeros((N, M), dtype=x.dtype)",
    inputs=(("Zx = x @ Wx{bias}", "(N, T, {gm}): x_t·Wx{bias} for every t"),),
    x_step="x[:, t]",
    mask_step="mask[:, t, None]",
    stack=("y_seq = np.stack(ys, axis=1)", "(N, T, {m})", " in processing order (reversed in time)"),
)

COLUMNS = Layout(
    matrix_text="({cols}, {rows})",
    vector_text="({n}, 1)",
    batch_text="({k}, N)",
    product_text="{w} @ {v}",
    dot_text="{w}·{v}",
    block_text="{v}[{a}:{b}]",
    step_text="{v}[t]",
    keras_text="{v}.T",
    kernel_layout=TRANSPOSE,
    bias_layout=COLUMN_BIAS,
    units="M = Wh.shape[1]",
    bias_split="bx, bh = b[:, :1], b[:, 1:]",
    zeros="np.zeros((M, N), dtype=x.dtype)",
    inputs=(
        ("X = x.transpose(1, 2, 0)", "(T, {d}, N): one column x_t per sample"),
        ("Zx = Wx @ X{bias}", "(T, {gm}, N): Wx·x_t{bias} for every t"),
    ),
    x_step="X[t].T",
    mask_step="mask[:, t]",
    stack=("y_seq = np.stack(ys).transpose(2, 0, 1)", "(T, {m}, N) -> (N, T, {m})", ", in processing order (reversed)"),
)
