"""Property-based fuzzing of every reader and of the CLI: any input is answered calmly.

For every parser (layer expressions, YAML, Keras JSON of every generation incl. graphs,
``.keras`` zips, ``.h5`` files, ``.py`` and ``.ipynb`` extraction) and for ``explain``
and ``lint`` end to end: the only exception that may escape a reader is an
``RnnshapeError``; the CLI exits 0, 1 or 2 with a message and no traceback; and nothing
is written (the input is unchanged, no file appears next to it).

Scale with ``RNNSHAPE_FUZZ_EXAMPLES`` (examples per test; default 300). The total number
of examples run is printed at the end of the session ("fuzz examples run: N").
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_inputs import (
    h5_attributes,
    keras_archives,
    keras_json_files,
    layer_expressions,
    notebook_files,
    python_files,
    yaml_files,
)
from rnnshape.errors import RnnshapeError

EXAMPLES = int(os.environ.get("RNNSHAPE_FUZZ_EXAMPLES", "300"))
settings.register_profile(
    "rnnshape-fuzz",
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("RNNSHAPE_FUZZ_RANDOM") is None,  # reproducible unless asked otherwise
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    database=None,
)
FUZZ = settings.get_profile("rnnshape-fuzz")
# The ``cli`` fixture is a stateless runner factory, so sharing it across examples is intended.
FUZZ_CLI = settings(FUZZ, suppress_health_check=[*FUZZ.suppress_health_check, HealthCheck.function_scoped_fixture])

COUNT = {"examples": 0}


@pytest.fixture(scope="module", autouse=True)
def _report_count(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    line = f"fuzz examples run: {COUNT['examples']}"
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():  # past pytest's output capture
            reporter.write_line(line)
    else:  # pragma: no cover
        print(line)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def _load_and_infer(path: str) -> None:
    """Every reader plus inference and lint rules: only RnnshapeError may come out."""
    from rnnshape.formats import load_entries
    from rnnshape.infer import infer_model
    from rnnshape.lint.engine import lint_model
    from rnnshape.spec import ModelSpec

    try:
        entries = load_entries(path)
    except RnnshapeError:
        return
    for entry in entries:
        if isinstance(entry, ModelSpec):
            lint_model(entry)
            try:
                infer_model(entry)
            except RnnshapeError:
                pass


def _check_file(workdir: Path, name: str, data: bytes, reader: Callable[[str], Any] = _load_and_infer) -> None:
    COUNT["examples"] += 1
    folder = workdir / name.replace(".", "_")
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    path = folder / name
    path.write_bytes(data)
    before = _snapshot(folder)
    reader(str(path))
    assert _snapshot(folder) == before, "a reader wrote next to its input"


@FUZZ
@given(data=yaml_files())
def test_yaml_reader(workdir: Path, data: bytes) -> None:
    _check_file(workdir, "model.yaml", data)


@FUZZ
@given(data=keras_json_files())
def test_keras_json_reader(workdir: Path, data: bytes) -> None:
    _check_file(workdir, "model.json", data)


@FUZZ
@given(data=keras_archives())
def test_keras_archive_reader(workdir: Path, data: bytes) -> None:
    _check_file(workdir, "model.keras", data)


@FUZZ
@given(attribute=h5_attributes(), weights_only=st.booleans())
def test_h5_reader(workdir: Path, attribute: Any, weights_only: bool) -> None:
    h5py = pytest.importorskip("h5py")
    COUNT["examples"] += 1
    path = workdir / "model.h5"
    with h5py.File(path, "w") as handle:
        if not weights_only:
            try:
                handle.attrs["model_config"] = attribute
            except (ValueError, TypeError):  # bytes with NUL: stored as an opaque blob instead
                import numpy as np

                blob = attribute.encode("utf-8", "replace") if isinstance(attribute, str) else bytes(attribute)
                handle.attrs["model_config"] = np.void(blob)
        handle.attrs["keras_version"] = "2.15.0"
        handle.create_group("model_weights")
    before = path.read_bytes()
    _load_and_infer(str(path))
    assert path.read_bytes() == before


@FUZZ
@given(data=python_files())
def test_python_reader(workdir: Path, data: bytes) -> None:
    _check_file(workdir, "model.py", data)


@FUZZ
@given(data=notebook_files())
def test_notebook_reader(workdir: Path, data: bytes) -> None:
    _check_file(workdir, "model.ipynb", data)


@FUZZ
@given(expr=layer_expressions(), shape=st.sampled_from([None, "10,3", "None,4", "0", "-1,3", "1e9", "x", "99999999999999999999"]))
def test_layer_expressions(expr: str, shape: str | None) -> None:
    from rnnshape.formats import from_expressions
    from rnnshape.infer import infer_model

    COUNT["examples"] += 1
    try:
        infer_model(from_expressions([expr], input_shape=shape))
    except RnnshapeError:
        pass


# ------------------------------------------------------------------ the CLI end to end

FILE_KINDS = {
    "model.yaml": yaml_files(),
    "model.json": keras_json_files(),
    "model.keras": keras_archives(),
    "model.py": python_files(),
    "model.ipynb": notebook_files(),
    "model.txt": st.binary(max_size=256),
}

OPTIONS = st.lists(
    st.sampled_from(
        [["--format", "json"], ["-f", "markdown"], ["--weights"], ["--symbols"], ["--input-shape", "10,3"],
         ["--batch-input-shape", "8,2,10"], ["--model", "nope"], ["--assume", "x=None,3"], ["--format", "bogus"],
         ["--input-shape", "-3"], ["--nonexistent-option"]]
    ),
    max_size=2,
)
LINT_OPTIONS = st.lists(
    st.sampled_from([["--format", "json"], ["-f", "sarif"], ["-f", "github"], ["--strict"], ["-v"],
                     ["--select", "RS1"], ["--ignore", "RS9"], ["--select", "ZZZ"]]),
    max_size=2,
)


def _assert_calm(code: int, stdout: str, stderr: str) -> None:
    assert code in (0, 1, 2), f"exit {code}: {stderr[-2000:]}"
    assert "Traceback" not in stdout + stderr
    assert "internal error" not in stderr
    if code:
        assert stderr.strip() or stdout.strip(), "a failure without a message"


@FUZZ_CLI
@given(
    kind=st.sampled_from(sorted(FILE_KINDS)),
    data=st.data(),
    command=st.sampled_from(["explain", "lint"]),
    extra=st.data(),
)
def test_cli_on_random_files(workdir: Path, cli: Any, kind: str, data: st.DataObject, command: str, extra: st.DataObject) -> None:
    COUNT["examples"] += 1
    folder = workdir / "cli"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    path = folder / kind
    path.write_bytes(data.draw(FILE_KINDS[kind]))
    before = _snapshot(folder)
    options = extra.draw(OPTIONS if command == "explain" else LINT_OPTIONS)
    args = [command, str(path), *[a for opt in options for a in opt]]
    result = cli(*args)
    _assert_calm(result.code, result.stdout, result.stderr)
    assert _snapshot(folder) == before


@FUZZ_CLI
@given(exprs=st.lists(layer_expressions(), min_size=1, max_size=3), options=OPTIONS)
def test_cli_on_random_expressions(cli: Any, exprs: list[str], options: list[list[str]]) -> None:
    COUNT["examples"] += 1
    # A leading '-' would be an option; Click answers those itself (exit 2).
    result = cli("explain", *[a for opt in options for a in opt], "--", *exprs)
    _assert_calm(result.code, result.stdout, result.stderr)

