"""Lint one model: checks on the spec, inference on a cleaned copy, checks on the report.

Errors found before inference take their argument out of a cleaned copy of the model
(unknown or invalid arguments, Keras 2 arguments, ``stateful`` without a batch size,
...), and removed classes are read as their replacement, so inference still follows
the shapes through the rest of the model. An error that then stops inference is
reported only if no earlier error already explains that layer.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from ..errors import ArgumentError, CustomLayerClass, RejectedArgument, FormatError, NoInputShape, Position, RankError, RnnshapeError, ShapeError, UnknownAxis, UnknownLayer
from ..graph import map_children
from ..hints import current_options, fit_hint, sentence_start
from ..infer import infer_model
from ..layers import current_class
from ..spec import LayerSpec, ModelSpec
from .context import LayerSite, ModelContext
from .helpers import MERGE_LAYERS
from .problem import Finding, Level, Problem
from .registry import RULES
from .rule import Rule


def lint_model(model: ModelSpec, *, shapes: bool = True) -> list[Problem]:
    """All problems of one model; with ``shapes=False`` (no input shape declared) only
    the checks on the layers as written run, without inference."""
    ctx = ModelContext(model)
    sites = {id(site.spec): site for site in ctx.sites}
    problems: list[Problem] = []
    drops: dict[int, set[str]] = {}
    explained: set[str | None] = set()
    for rule in RULES.values():
        if rule.check is None or rule.stage != "spec":
            continue
        for finding in rule.check(ctx):
            site = sites.get(id(finding.layer)) if finding.layer is not None else None
            problems.append(_problem(rule, finding, site, model))
            if rule.level is Level.ERROR and site is not None:
                explained.add(site.top.name)
                if finding.arg:
                    drops.setdefault(id(site.spec), set()).add(finding.arg)
    if not shapes:
        return problems
    origin: dict[int, LayerSpec] = {}
    try:
        ctx.report = infer_model(_cleaned(model, drops, origin))
    except RnnshapeError as err:
        if isinstance(err, UnknownAxis) and model.undeclared_input:
            err = _first_call_only(err)
        if err.layer is None or err.layer not in explained:
            problems.append(problem_from_error(err, model.source, ctx))
        return problems
    for rule in RULES.values():
        if rule.check is not None and rule.stage == "report":
            for finding in rule.check(ctx):
                # Report checks see the cleaned layers; map them back to what was written.
                spec = origin.get(id(finding.layer), finding.layer) if finding.layer is not None else None
                site = sites.get(id(spec)) if spec is not None else None
                problems.append(_problem(rule, replace(finding, layer=spec), site, model))
    return problems


def _problem(rule: Rule, finding: Finding, site: LayerSite | None, model: ModelSpec) -> Problem:
    spec = finding.layer
    pos = finding.pos
    if pos is None and spec is not None:
        pos = (spec.arg_pos.get(finding.arg) if finding.arg else None) or spec.pos
    lines = tuple(p.line for p in (spec.pos if spec else None, site.top.pos if site else None) if p and p.line)
    return Problem(
        rule.code,
        finding.level or rule.level,
        finding.message,
        pos or Position(model.source),
        site.top.name if site else None,
        finding.fix or rule.fix,
        lines,
    )


Spec = TypeVar("Spec", bound=LayerSpec)


def _cleaned(model: ModelSpec, drops: dict[int, set[str]], origin: dict[int, LayerSpec]) -> ModelSpec:
    """The model with flagged arguments removed and removed classes replaced.

    ``origin`` maps each cleaned layer (by id) back to the layer as written.
    """

    def clean(spec: Spec) -> Spec:
        dropped = drops.get(id(spec), set())
        kept = {key: value for key, value in spec.args.items() if key not in dropped}
        args = map_children(kept, clean)
        cleaned = replace(spec, class_name=current_class(spec.class_name), args=args)
        origin[id(cleaned)] = spec
        return cleaned

    calls = tuple(replace(c, layer=clean(c.layer)) for c in model.calls)
    return replace(model, inputs=tuple(clean(i) for i in model.inputs), calls=calls)


def error_code(err: RnnshapeError, class_name: str | None = None) -> str:
    """The rule an error that stops reading or inference belongs to."""
    if isinstance(err, FormatError):
        return "RS901"
    if isinstance(err, CustomLayerClass):
        return "RS904"  # valid code rnnshape cannot read without running it
    if isinstance(err, UnknownLayer):
        return "RS203" if err.removed else "RS906" if err.in_keras else "RS104"
    if isinstance(err, NoInputShape):
        return "RS905"
    if isinstance(err, ArgumentError):
        return {"unknown": "RS105", "invalid": "RS106", "missing": "RS107"}[err.kind]
    if isinstance(err, RankError):
        return "RS101"
    if isinstance(err, ShapeError):
        return "RS102" if class_name in MERGE_LAYERS else "RS109"
    return "RS902"


def lint_fix(hint: str | None, fallback: str) -> str:
    """An error's hint as a lint fix: only the alternatives lint's own options allow
    (a file has no --input-shape), its first word's case kept when it is a name."""
    fitted = fit_hint(hint, current_options())
    return sentence_start(fitted) if fitted else fallback


def skipped_model_problem(warning: RnnshapeError, source: str) -> Problem:
    """A model in a .py/.ipynb that cannot be read statically (checked at most up to the unknown value)."""
    rule = RULES["RS904"]
    fix = lint_fix(warning.hint, rule.fix)
    pos = warning.pos or Position(source)
    return Problem(rule.code, rule.level, warning.message, pos, None, fix, (pos.line,) if pos.line else ())


def rejected_argument_problem(found: RejectedArgument) -> Problem:
    """RS201 for a Keras 2 argument in a layer call of code not read as a model (a skipped
    model, a function never called): Keras 3 raises on it whatever the rest holds."""
    from .rules_keras2 import keras2_arg_message
    from .vocabulary import KERAS2_ARGS

    rule = RULES["RS201"]
    lines = (found.pos.line,) if found.pos is not None and found.pos.line else ()
    fix = sentence_start(KERAS2_ARGS[found.key])
    message = keras2_arg_message(found.key, found.class_name)
    return Problem(rule.code, rule.level, message, found.pos or Position("?"), None, fix, lines)


def _first_call_only(err: UnknownAxis) -> NoInputShape:
    """A weight built on an unknown axis of a model that declares no input: valid Keras 3,
    which builds it at the first call on the data's sizes; noted (RS905), never an error."""
    return NoInputShape(
        f"layer '{err.layer}' builds its weights on an axis of unknown size: valid Keras 3, which builds "
        "this model (it declares no input shape) at its first call on the data's sizes; shapes are not followed past it",
        pos=err.pos, layer=err.layer, hint="declare the input shape to have the rest checked",
    )


def problem_from_error(err: RnnshapeError, source: str, ctx: ModelContext | None = None) -> Problem:
    site = None
    if ctx is not None and err.layer is not None:
        site = next((s for s in ctx.sites if not s.nested and s.spec.name == err.layer), None)
    rule = RULES[error_code(err, site.spec.class_name if site else None)]
    lines = tuple(p.line for p in (err.pos, site.spec.pos if site else None) if p and p.line)
    fix = lint_fix(err.hint, rule.fix)
    return Problem(rule.code, rule.level, err.message, err.pos or Position(source), err.layer, fix, lines)
