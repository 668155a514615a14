"""The model graph module: the one walk over calls and tensors, and over nested layers.

The first tests pin what the walk hands every interpreter (order, node indices, the
three kinds of input edge, nested models); the last ones keep it the only walk.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from rnnshape.errors import SpecError
from rnnshape.graph import (
    TensorTable,
    all_layers,
    edges,
    first_calls,
    layer_tree,
    map_children,
    nested_model,
    steps,
    topological_order,
)
from rnnshape.infer import infer_model
from rnnshape.spec import Call, LayerSpec, ModelSpec, NamedLayer, TensorRef, sequential_model

PACKAGE = Path(__file__).resolve().parent.parent / "rnnshape"


def _inner() -> ModelSpec:
    """A small Sequential used as a layer (so it can be called twice)."""
    return sequential_model(
        "block", LayerSpec("InputLayer", {"shape": [6, 4]}, "block_in"), [LayerSpec("Dense", {"units": 4}, "block_dense")]
    )


def _model() -> ModelSpec:
    """Encoder states into a decoder, a shared Dense, a keyword tensor and a nested model called twice."""
    enc_in = LayerSpec("InputLayer", {"shape": [6, 3]}, "enc_in")
    dec_in = LayerSpec("InputLayer", {"shape": [6, 3]}, "dec_in")
    encoder = LayerSpec("LSTM", {"units": 4, "return_state": True, "return_sequences": True}, "encoder")
    decoder = LayerSpec("LSTM", {"units": 4, "return_sequences": True}, "decoder")
    shared = LayerSpec("Dense", {"units": 4}, "shared")
    attention = LayerSpec("Attention", {}, "attention")
    block = LayerSpec("Sequential", {"model": _inner()}, "block")
    calls = (
        Call(encoder, (TensorRef("enc_in"),)),
        Call(decoder, (TensorRef("dec_in"),), initial_state=(TensorRef("encoder", 0, 1), TensorRef("encoder", 0, 2))),
        Call(shared, (TensorRef("encoder"),)),
        Call(shared, (TensorRef("decoder"),)),
        Call(attention, (TensorRef("shared", 1), TensorRef("shared", 0)), as_list=True,
             kwarg_inputs=(("key", TensorRef("encoder")),)),
        Call(block, (TensorRef("attention"),)),
        Call(block, (TensorRef("block"),)),
    )
    return ModelSpec("graph", (enc_in, dec_in), calls, (TensorRef("block", 1),), sequential=False)


def test_steps_give_order_and_node_indices() -> None:
    model = _model()
    walked = [(s.position, s.name, s.node, s.first) for s in steps(model)]
    assert walked == [
        (0, "encoder", 0, True),
        (1, "decoder", 0, True),
        (2, "shared", 0, True),
        (3, "shared", 1, False),  # the shared Dense's second call is its node 1
        (4, "attention", 0, True),
        (5, "block", 0, True),
        (6, "block", 1, False),  # so is a nested model's second call
    ]
    assert [s.output(2) for s in steps(model)][3] == TensorRef("shared", 1, 2)
    assert list(first_calls(model)) == ["encoder", "decoder", "shared", "attention", "block"]
    assert first_calls(model)["shared"] is model.calls[2]


def test_edges_are_inputs_then_states_then_keyword_tensors() -> None:
    decoder, attention = _model().calls[1], _model().calls[4]
    assert edges(decoder) == (TensorRef("dec_in"), TensorRef("encoder", 0, 1), TensorRef("encoder", 0, 2))
    assert edges(attention) == (TensorRef("shared", 1), TensorRef("shared", 0), TensorRef("encoder"))


def test_a_tensor_table_resolves_every_edge_by_node() -> None:
    """Store each tensor's own label: what comes back shows exactly which tensor was resolved."""
    model = _model()
    table: TensorTable[str] = TensorTable()
    for inp in model.inputs:
        table.add_input(inp, inp.name)
    seen = {}
    for step in steps(model):
        seen[step.position] = (table.inputs(step.call), table.initial_state(step.call), table.edges(step.call))
        table.add_outputs(step, [f"{step.name}[{step.node}][{t}]" for t in range(3)])
    assert seen[1][1] == ["encoder[0][1]", "encoder[0][2]"]  # initial_state
    assert seen[4][0] == ["shared[1][0]", "shared[0][0]"]  # node 1 and node 0 of the shared layer
    assert seen[4][2][-1] == "encoder[0][0]"  # the key= tensor
    assert seen[6][0] == ["block[0][0]"]  # the nested model's second call reads its first
    assert table.outputs(model) == ["block[1][0]"]


def test_a_missing_tensor_raises_what_the_interpreter_chose() -> None:
    model = _model()
    table: TensorTable[str] = TensorTable(lambda ref, call: SpecError(f"no {ref.layer} for {call and call.layer.name}"))
    with pytest.raises(SpecError, match="no enc_in for encoder"):
        table.inputs(model.calls[0])
    with pytest.raises(KeyError):
        TensorTable[str]().get(TensorRef("nowhere"))


def test_topological_order_puts_producers_first_and_keeps_node_order() -> None:
    """A file lists calls layer by layer; the order must let every tensor exist before it is read."""
    calls = _model().calls
    # The shared Dense is listed first, its two nodes together, as a Keras config stores them.
    listed = [(0, calls[2]), (1, calls[3]), (0, calls[0]), (0, calls[1]), (0, calls[4]), (0, calls[5]), (1, calls[6])]
    ordered = topological_order(listed, {"enc_in", "dec_in"}, {c.layer.name for c in calls})
    # Ready calls keep their listed order: shared's node 0 runs once the encoder has, before
    # the decoder; its node 1 waits for both the decoder and its node 0.
    assert [calls.index(c) for c in ordered] == [0, 2, 1, 3, 4, 5, 6]
    with pytest.raises(SpecError, match="which is no layer of this model"):
        topological_order([(0, calls[0])], set(), {"encoder"})
    loop = Call(LayerSpec("Dense", {"units": 1}, "loop"), (TensorRef("loop", 1),))
    with pytest.raises(SpecError, match="cycle"):
        topological_order([(0, loop), (1, loop)], set(), {"loop"})


def test_nested_models_are_walked_with_the_same_steps() -> None:
    model = _model()
    inner = nested_model(model.calls[5].layer)
    assert inner is not None and nested_model(model.calls[0].layer) is None
    assert [(s.name, s.node) for s in steps(inner)] == [("block_dense", 0)]
    # Inference resolves the same graph: node labels and the shared layers' rows.
    report = infer_model(model)
    rows = {r.name: r for r in report.layers}
    assert rows["attention"].inbound == ("shared[1][0]", "shared[0][0]", "encoder[0][0]")
    assert rows["shared"].inbound == ("encoder[0][0]", "decoder[0][0]")
    assert rows["block"].inbound == ("attention[0][0]", "block[0][0]")
    assert rows["decoder"].inbound == ("dec_in[0][0]", "encoder[0][1]", "encoder[0][2]")
    assert report.outputs == ((None, 6, 4),)


def test_placed_layers_always_have_a_name() -> None:
    call = Call(LayerSpec("LSTM", {"units": 2}), (TensorRef("input_layer"),))
    model = ModelSpec("m", (LayerSpec("InputLayer", {"shape": [3, 2]}),), (call,), (TensorRef("LSTM"),), False)
    assert isinstance(call.layer, NamedLayer) and call.layer.name == "LSTM"
    assert isinstance(model.inputs[0], NamedLayer) and model.inputs[0].name == "input_layer"
    assert [r.name for r in infer_model(model).layers] == ["input_layer", "LSTM"]
    named = NamedLayer("Dense", {"units": 1}, "head")
    assert Call(named, ()).layer is named  # already named: kept as it is


def _wrapped() -> tuple[LayerSpec, LayerSpec]:
    """TimeDistributed(Bidirectional(LSTM, backward_layer=LSTM)), and an RNN over two cells."""
    forward = LayerSpec("LSTM", {"units": 2}, "fwd")
    backward = LayerSpec("LSTM", {"units": 2, "go_backwards": True}, "bwd")
    both = LayerSpec("Bidirectional", {"layer": forward, "backward_layer": backward})
    cells = [LayerSpec("LSTMCell", {"units": 2}), LayerSpec("GRUCell", {"units": 3})]
    return LayerSpec("TimeDistributed", {"layer": both}, "td"), LayerSpec("RNN", {"cell": cells}, "stack")


def test_layer_tree_visits_parents_before_children_in_argument_order() -> None:
    td, rnn = _wrapped()
    tree = [(site.spec.class_name, site.parent.class_name if site.parent else None, site.arg) for site in layer_tree(td)]
    assert tree == [
        ("TimeDistributed", None, None),
        ("Bidirectional", "TimeDistributed", "layer"),
        ("LSTM", "Bidirectional", "layer"),
        ("LSTM", "Bidirectional", "backward_layer"),
    ]
    assert [(s.spec.class_name, s.arg) for s in layer_tree(rnn)] == [("RNN", None), ("LSTMCell", "cell"), ("GRUCell", "cell")]


def test_all_layers_can_enter_nested_models() -> None:
    model = _model()
    plain = [s.name for s in all_layers(model)]
    assert plain == ["enc_in", "dec_in", "encoder", "decoder", "shared", "shared", "attention", "block", "block"]
    deep = [s.name for s in all_layers(model, into_models=True)]
    assert deep[:7] == plain[:7]
    assert deep[7:] == ["block", "block_in", "block_dense", "block", "block_in", "block_dense"]


def test_map_children_replaces_nested_layers_only() -> None:
    _, rnn = _wrapped()
    spec = LayerSpec("Bidirectional", {"layer": rnn, "merge_mode": "concat", "weights": [1, 2]})
    mapped = map_children(spec.args, lambda inner: inner.class_name)
    assert mapped == {"layer": "RNN", "merge_mode": "concat", "weights": [1, 2]}
    assert map_children(rnn.args, lambda inner: inner.class_name) == {"cell": ["LSTMCell", "GRUCell"]}


# ---- the one-walker rule


def _walks_calls(node: ast.AST) -> bool:
    """``for ... in X.calls`` (also through ``enumerate``/``zip`` or a slice)."""
    if isinstance(node, ast.Attribute) and node.attr == "calls":
        return True
    if isinstance(node, ast.Subscript):
        return _walks_calls(node.value)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("enumerate", "zip", "reversed"):
        return any(_walks_calls(arg) for arg in node.args)
    return False


def _builds_a_table(body: list[ast.AST]) -> bool:
    """Makes ``TensorRef`` keys, or counts nodes with ``counter.get(name, 0)``."""
    for stmt in body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "TensorRef":
                return True
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and len(node.args) == 2
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value == 0
            ):
                return True
    return False


def own_graph_walks(source: str) -> list[int]:
    """Lines where code walks a model's calls keeping its own tensor table or node counter,
    or declares a table keyed by ``TensorRef``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.For) and _walks_calls(node.iter) and _builds_a_table(node.body):
            found.append(node.lineno)
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            if any(_walks_calls(g.iter) for g in node.generators) and _builds_a_table([node]):
                found.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "sum":
            # Counting earlier calls of a layer is computing its node index.
            if any(isinstance(a, ast.GeneratorExp) and any(_walks_calls(g.iter) for g in a.generators) for a in node.args):
                found.append(node.lineno)
        elif isinstance(node, ast.AnnAssign) and "dict[TensorRef" in ast.unparse(node.annotation):
            found.append(node.lineno)
    return found


def test_the_rule_catches_a_hand_written_interpreter() -> None:
    old_infer = """
def infer_model(model):
    tensors: dict[TensorRef, tuple] = {}
    nodes_seen = {}
    for call in model.calls:
        name = call.layer.name
        node = nodes_seen.get(name, 0)
        nodes_seen[name] = node + 1
"""
    old_numpy = """
def plan(model):
    for call in model.calls:
        for t, var in enumerate(outs):
            tensors[TensorRef(name, node, t)] = var
"""
    counted = "node = sum(1 for c in model.calls[: model.calls.index(call)] if c.layer.name == name)\n"
    keyed = "refs = {TensorRef(c.layer.name) for c in model.calls}\n"
    assert own_graph_walks(old_infer) == [3, 5]
    assert own_graph_walks(old_numpy) == [3]
    assert own_graph_walks(counted) == [1]
    assert own_graph_walks(keyed) == [1]
    assert own_graph_walks("for call in model.calls:\n    print(call.layer.name)\n") == []


def test_only_the_graph_module_walks_calls_with_its_own_tensor_table() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "graph.py" or path.parent != PACKAGE
        if (lines := own_graph_walks(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "walk the model with rnnshape.graph (steps, TensorTable) instead"


def test_the_numpy_generator_refuses_keyword_tensors_it_cannot_pass() -> None:
    """Walking through the graph module, the generator sees ``mask=`` edges; it says so
    rather than writing a forward pass that silently drops them."""
    from rnnshape.numpy_gen import generate

    inp = LayerSpec("InputLayer", {"shape": [5, 3]}, "x")
    flags = LayerSpec("InputLayer", {"shape": [5], "dtype": "bool"}, "flags")
    lstm = Call(LayerSpec("LSTM", {"units": 2}, "lstm"), (TensorRef("x"),), kwarg_inputs=(("mask", TensorRef("flags")),))
    model = ModelSpec("masked", (inp, flags), (lstm,), (TensorRef("lstm"),), sequential=False)
    assert infer_model(model).outputs == ((None, 2),)
    with pytest.raises(SpecError, match=r"'lstm' is called with keyword tensors \(mask=\)"):
        generate(model)
