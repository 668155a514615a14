"""``@record``: a frozen dataclass that costs a tenth as much to define.

``@dataclass(frozen=True)`` writes the source of six methods per class and compiles
each (about 0.5 ms a class); rnnshape defines some thirty records before it can
explain anything, a fifth of what the whole command may cost. ``@record`` asks the
standard ``dataclass`` for the class's fields only (no method generated, nothing
compiled) and adds methods built from closures instead, with the same behaviour as
the frozen dataclass's: ``__init__`` (positional or keyword, defaults, default
factories, ``__post_init__``), ``__repr__``, ``__eq__`` and ``__hash__`` over the
compared fields, and assignment or deletion raising ``FrozenInstanceError``.

A record is a dataclass in every other respect: ``dataclasses.replace``, ``fields``
and ``is_dataclass`` work on it, and mypy treats it as frozen (PEP 681).
A method the class body defines itself is kept, as ``dataclass`` keeps it. A record's
base classes and subclasses must be records too: to the standard ``dataclass`` a record
is not frozen, and it refuses to mix frozen and unfrozen classes in one hierarchy.
"""

from __future__ import annotations

import dataclasses
from operator import attrgetter
from reprlib import recursive_repr
from typing import TYPE_CHECKING, Any, Callable, TypeVar

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda decorator: decorator


T = TypeVar("T")


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(cls: type[T]) -> type[T]:
    """Make ``cls`` a frozen dataclass (eq and hash over its fields)."""
    body = dict(cls.__dict__)
    for name in ("__setattr__", "__delattr__"):
        if name in body:
            raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
    # The class body's own __hash__, unless Python set it to None because the body defines __eq__.
    explicit_hash = "__hash__" in body and not (body["__hash__"] is None and "__eq__" in body)
    undocumented = not cls.__doc__
    if undocumented:  # else dataclass() documents the class with inspect.signature (2 ms the first time)
        cls.__doc__ = cls.__name__
    dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
    fields = list(dataclasses.fields(cls))  # type: ignore[arg-type]  # cls is a dataclass now
    if undocumented:
        cls.__doc__ = f"{cls.__name__}({', '.join(f.name for f in fields)})"
    methods: dict[str, Any] = {
        "__init__": _init(cls, fields),
        "__repr__": _repr(fields),
        "__eq__": _eq(fields),
        "__setattr__": _frozen_setattr(cls, fields),
        "__delattr__": _frozen_delattr(cls, fields),
    }
    if not explicit_hash:
        methods["__hash__"] = _hash(fields)
    for name, method in methods.items():
        if name not in body or name in ("__setattr__", "__delattr__", "__hash__"):
            method.__qualname__ = f"{cls.__qualname__}.{name}"
            setattr(cls, name, method)
    return cls


def _init(cls: type, fields: list[dataclasses.Field[Any]]) -> Callable[..., None]:
    names = tuple(f.name for f in fields)
    known = frozenset(names)
    fallback = {f.name: _fallback(f) for f in fields}
    post_init = getattr(cls, "__post_init__", None) is not None
    where = f"{cls.__qualname__}.__init__()"

    def default(name: str) -> Any:
        value = fallback[name]
        if value is None:
            raise TypeError(f"{where} missing 1 required argument: {name!r}")
        return value[0] if value[1] is None else value[1]()

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(names):
            raise TypeError(f"{where} takes {len(names) + 1} positional arguments but {len(args) + 1} were given")
        values = dict(zip(names, args))
        if kwargs:
            for key, value in kwargs.items():
                if key in values:
                    raise TypeError(f"{where} got multiple values for argument {key!r}")
                if key not in known:
                    raise TypeError(f"{where} got an unexpected keyword argument {key!r}")
                values[key] = value
            # In field order, as the dataclass's __init__ assigns them.
            values = {name: values[name] if name in values else default(name) for name in names}
        else:
            for name in names[len(args):]:
                values[name] = default(name)
        self.__dict__.update(values)
        if post_init:
            self.__post_init__()

    return __init__


def _fallback(f: dataclasses.Field[Any]) -> tuple[Any, Any] | None:
    """A field's default as (value, None) or (None, factory); None when the field is required."""
    if f.default is not dataclasses.MISSING:
        return (f.default, None)
    if f.default_factory is not dataclasses.MISSING:
        return (None, f.default_factory)
    return None


def _repr(fields: list[dataclasses.Field[Any]]) -> Callable[[Any], str]:
    shown = [f.name for f in fields if f.repr]

    @recursive_repr()
    def __repr__(self: Any) -> str:
        inside = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{type(self).__qualname__}({inside})"

    return __repr__


def _values(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The fields as one tuple (attrgetter of one name returns the value alone)."""
    if len(names) == 1:
        only = attrgetter(names[0])
        return lambda obj: (only(obj),)
    if not names:
        return lambda obj: ()
    return attrgetter(*names)


def _eq(fields: list[dataclasses.Field[Any]]) -> Callable[[Any, Any], Any]:
    compared = _values([f.name for f in fields if f.compare])

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    return __eq__


def _hash(fields: list[dataclasses.Field[Any]]) -> Callable[[Any], int]:
    hashed = _values([f.name for f in fields if (f.compare if f.hash is None else f.hash)])

    def __hash__(self: Any) -> int:
        return hash(hashed(self))

    return __hash__


def _frozen_setattr(cls: type[Any], fields: list[dataclasses.Field[Any]]) -> Callable[[Any, str, Any], None]:
    names = frozenset(f.name for f in fields)

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    return __setattr__


def _frozen_delattr(cls: type[Any], fields: list[dataclasses.Field[Any]]) -> Callable[[Any, str], None]:
    names = frozenset(f.name for f in fields)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __delattr__
