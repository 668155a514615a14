"""``@record`` behaves as ``@dataclass(frozen=True)`` does: the same class body under both
decorators gives the same constructor, repr, equality, hashing, immutability and
``dataclasses`` support."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import field
from typing import Any

import pytest

from rnnshape.records import record


def _pair(body: dict[str, Any], annotations: dict[str, str], name: str = "Thing") -> tuple[type, type]:
    """The same class made twice: by the standard frozen dataclass and by ``record``."""
    def make() -> type:
        return type(name, (), {**body, "__annotations__": dict(annotations), "__module__": __name__})

    return dataclasses.dataclass(frozen=True)(make()), record(make())


LAYER_FIELDS = {"class_name": "str", "args": "Any", "name": "str | None", "pos": "Any", "arg_pos": "Any"}
LAYER_BODY = {"name": None, "pos": None, "arg_pos": field(default_factory=dict)}
CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    (("Dense", {"units": 2}), {}),
    (("Dense", {}, "d"), {}),
    (("LSTM", (), "l", ("f.yaml", 3), {"units": 1}), {}),
    (("GRU",), {"args": (), "arg_pos": {"x": 1}}),
    ((), {"class_name": "A", "args": 1, "name": "n"}),
]


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_construction_repr_and_fields_match_the_dataclass(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    standard, fast = _pair(LAYER_BODY, LAYER_FIELDS)
    a, b = standard(*args, **kwargs), fast(*args, **kwargs)
    assert repr(a) == repr(b)
    assert vars(a) == vars(b) and list(vars(a)) == list(vars(b))  # same values, same order
    assert [f.name for f in dataclasses.fields(a)] == [f.name for f in dataclasses.fields(b)]
    assert dataclasses.is_dataclass(b) and b.__match_args__ == a.__match_args__
    assert dataclasses.replace(b, name="z") == fast(**{**vars(b), "name": "z"})
    assert dataclasses.asdict(b) == dataclasses.asdict(a)
    assert copy.deepcopy(b) == b and copy.copy(b) == b


def test_each_instance_gets_its_own_default_from_a_factory() -> None:
    _, fast = _pair(LAYER_BODY, LAYER_FIELDS)
    first, second = fast("A", {}), fast("B", {})
    assert first.arg_pos == {} and first.arg_pos is not second.arg_pos


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((), {}), (("A",), {}), (("A", {}, "n", None, {}, "extra"), {}), (("A", {}), {"class_name": "B"}), (("A", {}), {"nope": 1})],
)
def test_bad_calls_raise_type_error_as_the_dataclass_does(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for cls in _pair(LAYER_BODY, LAYER_FIELDS):
        with pytest.raises(TypeError):
            cls(*args, **kwargs)


def test_equality_and_hash_follow_the_compared_fields() -> None:
    body = {"b": field(default=0, compare=False), "c": field(default=0, hash=False)}
    standard, fast = _pair(body, {"a": "int", "b": "int", "c": "int"})
    for cls in (standard, fast):
        assert cls(1, 2, 3) == cls(1, 5, 3) and cls(1, 2, 3) != cls(1, 2, 4)
        assert hash(cls(1, 2, 3)) == hash(cls(1, 9, 4))  # b is not compared, c is not hashed
    assert hash(fast(1, 2, 3)) == hash(standard(1, 2, 3)) == hash((1,))
    other = record(type("Other", (), {"__annotations__": {"a": "int", "b": "int", "c": "int"}, "b": 0, "c": 0}))
    assert fast(1) != other(1) and (fast(1) == 1) is False
    with pytest.raises(TypeError):
        hash(fast([1]))  # an unhashable field makes the record unhashable, as with dataclass


def test_a_record_is_frozen() -> None:
    _, fast = _pair(LAYER_BODY, LAYER_FIELDS)
    thing = fast("A", {})
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'name'"):
        thing.name = "x"
    with pytest.raises(dataclasses.FrozenInstanceError):
        thing.other = 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        del thing.name


def test_post_init_inheritance_and_own_methods() -> None:
    @record
    class Base:
        a: int
        b: tuple[int, ...] = ()

        def __post_init__(self) -> None:
            object.__setattr__(self, "b", tuple(self.b))

        def __str__(self) -> str:
            return f"base {self.a}"

    @record
    class Child(Base):
        b: tuple[int, ...]
        c: str = "c"

        def __repr__(self) -> str:
            return "own repr"

    assert Base(1, [2]).b == (2,)  # type: ignore[arg-type]
    child = Child(1, [2, 3])  # type: ignore[arg-type]
    assert child.b == (2, 3) and child.c == "c" and str(child) == "base 1" and repr(child) == "own repr"
    assert child != Base(1, (2, 3)) and hash(child) == hash((1, (2, 3), "c"))
    assert [f.name for f in dataclasses.fields(child)] == ["a", "b", "c"]


def test_a_class_that_sets_attributes_itself_cannot_be_a_record() -> None:
    class Mutable:
        a: int

        def __setattr__(self, name: str, value: object) -> None:
            object.__setattr__(self, name, value)

    with pytest.raises(TypeError, match="__setattr__"):
        record(Mutable)


def test_records_of_the_package_pickle() -> None:
    from rnnshape.errors import Position
    from rnnshape.spec import LayerSpec, NamedLayer

    layer = NamedLayer("LSTM", {"units": 4}, "lstm", Position("m.yaml", 3, 5), {"units": Position("m.yaml", 4)})
    assert pickle.loads(pickle.dumps(layer)) == layer and type(pickle.loads(pickle.dumps(layer))) is NamedLayer
    assert layer != LayerSpec("LSTM", {"units": 4}, "lstm", Position("m.yaml", 3, 5), {"units": Position("m.yaml", 4)})
