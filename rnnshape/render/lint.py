"""Lint output: parsable text, JSON, GitHub workflow annotations, SARIF 2.1.0."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Sequence

from .. import __version__
from ..lint.problem import Level, Problem
from ..lint.registry import RULES
from ..lint.runner import FileResult
from ..text import visible


def _where(p: Problem) -> str:
    where = str(p.pos)
    return where if p.pos.line is not None else f"{where}: {p.layer}" if p.layer else where


def render_text(results: Sequence[FileResult], *, verbose: bool = False) -> str:
    """``path:line:col: CODE [level] message``, then an indented fix line."""
    lines: list[str] = []
    for result in results:
        if result.skipped:
            if verbose:
                lines.append(visible(f"{result.path}: skipped: {result.skipped}"))
            continue
        for p in result.problems:
            # One line per problem whatever a name holds: a file cannot fake result lines.
            lines.append(visible(f"{_where(p)}: {p.code} [{p.level.value}] {p.message}"))
            if p.fix:
                lines.append(visible(f"    fix: {p.fix}"))
        if verbose and not result.problems:
            extra = f" ({result.suppressed} suppressed inline)" if result.suppressed else ""
            lines.append(visible(f"{result.path}: ok{extra}"))
    return "".join(line + "\n" for line in lines)


def summary(results: Sequence[FileResult]) -> str:
    linted = sum(1 for r in results if not r.skipped)
    skipped = len(results) - linted
    counts = Counter(p.level for r in results for p in r.problems)
    parts = [f"{counts[lv]} {lv.value}{'s' if counts[lv] != 1 else ''}" for lv in Level if counts[lv]]
    found = ", ".join(parts) if parts else "no problems"
    tail = f" ({skipped} skipped: not model files)" if skipped else ""
    return f"rnnshape lint: {found} in {linted} file{'s' if linted != 1 else ''}{tail}"


def _in_cell(p: Problem) -> str | None:
    """``cell 3:line 2:col 5`` for a notebook position (lines count within the cell,
    as the text format shows them), else None."""
    if p.pos.cell is None:
        return None
    parts = [f"cell {p.pos.cell}"]
    if p.pos.line is not None:
        parts.append(f"line {p.pos.line}")
        if p.pos.col is not None:
            parts.append(f"col {p.pos.col}")
    return ":".join(parts)


def _problem_dict(p: Problem) -> dict[str, Any]:
    rule = RULES[p.code]
    return {
        "path": p.pos.source,
        "cell": p.pos.cell,  # a notebook's cell (1-based); line and column then count within it
        "line": p.pos.line,
        "column": p.pos.col,
        "code": p.code,
        "name": rule.name,
        "level": p.level.value,
        "message": p.message,
        "fix": p.fix,
        "layer": p.layer,
    }


def render_json(results: Sequence[FileResult]) -> str:
    data = {
        "version": 1,
        "files": [
            {"path": r.path, "skipped": r.skipped, "problems": [_problem_dict(p) for p in r.problems]}
            for r in results
        ],
        "summary": dict(Counter(p.level.value for r in results for p in r.problems)),
    }
    return json.dumps(data, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


GITHUB_LEVELS = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}


def render_github(results: Sequence[FileResult]) -> str:
    """GitHub Actions workflow commands: ``::error file=...,line=...,col=...,title=...::message``."""
    out = []
    for r in results:
        for p in r.problems:
            props = [f"file={_escape_property(p.pos.source)}"]
            cell = _in_cell(p)
            # A line within a notebook cell is no line of the .ipynb file: say it in the text.
            if p.pos.line is not None and cell is None:
                props.append(f"line={p.pos.line}")
                if p.pos.col is not None:
                    props.append(f"col={p.pos.col}")
            props.append(f"title={_escape_property(f'{p.code} {RULES[p.code].name}')}")
            text = f"{p.message}" + (f" (fix: {p.fix})" if p.fix else "")
            if p.pos.line is None and p.layer:
                text = f"{p.layer}: {text}"
            if cell is not None:
                text = f"{cell}: {text}"
            out.append(f"::{GITHUB_LEVELS[p.level]} {','.join(props)}::{_escape_data(text)}\n")
    return "".join(out)


SARIF_LEVELS = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}


def render_sarif(results: Sequence[FileResult]) -> str:
    """One SARIF 2.1.0 run: every rule in the driver, one result per problem."""
    codes = list(RULES)
    rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.doc.strip()},
            "help": {"text": f"{rule.fix}\n\n{rule.doc.strip()}"},
            "defaultConfiguration": {"level": SARIF_LEVELS[rule.level]},
        }
        for rule in RULES.values()
    ]
    sarif_results = []
    for r in results:
        for p in r.problems:
            location: dict[str, Any] = {"artifactLocation": {"uri": p.pos.source.replace("\\", "/")}}
            cell = _in_cell(p)
            if p.pos.line is not None and cell is None:
                region: dict[str, int] = {"startLine": p.pos.line}
                if p.pos.col is not None:
                    region["startColumn"] = p.pos.col
                location["region"] = region
            text = p.message + (f" (fix: {p.fix})" if p.fix else "")
            result: dict[str, Any] = {
                "ruleId": p.code,
                "ruleIndex": codes.index(p.code),
                "level": SARIF_LEVELS[p.level],
                "message": {"text": f"{cell}: {text}" if cell else text},
                "locations": [{"physicalLocation": location}],
            }
            if cell is not None:
                # SARIF regions count lines of the file; a notebook cell's lines go here.
                result["properties"] = {"cell": p.pos.cell, "cellLine": p.pos.line, "cellColumn": p.pos.col}
            if p.layer:
                result["locations"][0]["logicalLocations"] = [{"name": p.layer, "kind": "member"}]
            sarif_results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "rnnshape",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": sarif_results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def render_rules_table() -> str:
    from tabulate import tabulate

    rows = [[r.code, r.name, r.level.value, r.summary] for r in RULES.values()]
    return tabulate(rows, headers=["Code", "Name", "Level", "What it flags"], tablefmt="simple",
                    disable_numparse=True, maxcolwidths=[None, None, None, 70]) + "\n"
