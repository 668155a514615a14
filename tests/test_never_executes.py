"""rnnshape never executes anything from a model file.

A grep over the package source for the ways Python can run or unpickle code. Every hit
must be on the allow-list below, each with the reason it is safe; a new hit fails
until someone looks at it and adds it here. Plus behaviour checks: a YAML Python tag,
a Lambda layer and a layer name crafted to break out of generated code are inert.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "rnnshape"

FORBIDDEN = {
    "eval(": re.compile(r"(?<![\w.])eval\("),
    "exec(": re.compile(r"(?<![\w.])exec\("),
    "compile(": re.compile(r"(?<![\w.])compile\(|(?<!re)\.compile\("),
    "pickle": re.compile(r"pickle", re.IGNORECASE),
    "marshal": re.compile(r"marshal"),
    "yaml.load(": re.compile(r"yaml\.(?:full_|unsafe_)?load(?:_all)?\("),
    "unsafe YAML loader": re.compile(r"unsafe_load|UnsafeLoader|FullLoader|yaml\.Loader\b"),
    "__import__": re.compile(r"__import__"),
    "exec_module": re.compile(r"exec_module"),
    "zip extraction": re.compile(r"extractall\(|\.extract\("),
    "np.load(": re.compile(r"np\.load\("),
    "shell": re.compile(r"subprocess|os\.system|os\.popen|shell=True"),
}

# (file relative to the package, the forbidden pattern's name, a substring of the line): why it is safe.
ALLOWED = {
    # `rnnshape numpy`/`check --numeric` import the module rnnshape itself just generated
    # from its own templates (names are sanitised into identifiers and string literals;
    # see test_layer_names_cannot_break_out_of_generated_code), never a user's file.
    ("numpy_gen/__init__.py", "exec_module", "spec.loader.exec_module(module)"),
    # Text of the generated module (it loads its own .npz; np.load refuses pickles by default).
    ("numpy_gen/module.py", "np.load(", '"    with np.load(path) as data:",'),
}


def _hits() -> list[tuple[str, str, str, int]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for name, pattern in FORBIDDEN.items():
                if pattern.search(line):
                    found.append((rel, name, line.strip(), number))
    return found


def test_no_code_execution_outside_the_allow_list() -> None:
    unexpected = [
        f"rnnshape/{rel}:{number}: {name}: {line}"
        for rel, name, line, number in _hits()
        if not any(rel == a_rel and name == a_name and a_text in line for a_rel, a_name, a_text in ALLOWED)
    ]
    assert not unexpected, "code-execution primitives outside the allow-list:\n" + "\n".join(unexpected)


def test_allow_list_entries_are_still_needed() -> None:
    hits = _hits()
    stale = [a for a in ALLOWED if not any(h[0] == a[0] and h[1] == a[1] and a[2] in h[2] for h in hits)]
    assert not stale, f"allow-list entries that match nothing any more (remove them): {stale}"


def test_the_grep_catches_what_it_should() -> None:
    samples = {
        "eval(": "x = eval(text)",
        "exec(": "exec(code)",
        "compile(": "compile(src, 'f', 'exec')",
        "pickle": "import pickle",
        "marshal": "marshal.loads(b)",
        "yaml.load(": "yaml.load(text, Loader=yaml.Loader)",
        "unsafe YAML loader": "yaml.unsafe_load(text)",
        "__import__": "__import__('os')",
        "zip extraction": "archive.extractall(tmp)",
    }
    for name, line in samples.items():
        assert FORBIDDEN[name].search(line), name
    for harmless in ("ast.literal_eval(node)", "re.compile(r'x')", "_PATTERN = re.compile('y')", 'ast.parse(t, mode="eval")'):
        assert not any(p.search(harmless) for p in FORBIDDEN.values()), harmless


def test_yaml_python_tags_are_not_constructed(tmp_path: Path, cli) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / "m.yaml"
    path.write_text(
        f"name: !!python/object/apply:os.system ['touch {marker}']\ninput_shape: [4, 3]\nlayers:\n  - Dense: 2\n",
        encoding="utf-8",
    )
    for command in ("explain", "lint"):
        result = cli(command, str(path))
        assert result.code == 1
        assert "python/object" in result.stderr + result.stdout
    assert not marker.exists()


def test_lambda_code_is_never_run(tmp_path: Path, cli) -> None:
    # A Keras 2 Lambda stores marshalled bytecode (base64); it must stay an opaque string.
    config = (
        '{"class_name": "Sequential", "config": {"name": "s", "layers": ['
        '{"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4, 3]}},'
        '{"class_name": "Lambda", "config": {"name": "evil", "function": ["4wEAAAAAAAAAAAAAAAEAAAAD", null, null],'
        ' "function_type": "lambda", "module": "os"}}]}}'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("config.json", config)
    (tmp_path / "m.json").write_text(config, encoding="utf-8")
    (tmp_path / "m.keras").write_bytes(buffer.getvalue())
    for name in ("m.json", "m.keras"):
        result = cli("explain", str(tmp_path / name))
        assert result.code == 1
        assert "Lambda" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json", "m.keras"]  # nothing extracted


def test_layer_names_cannot_break_out_of_generated_code(tmp_path: Path, cli) -> None:
    pytest.importorskip("numpy")
    marker = tmp_path / "ran"
    payload = f'\\nimport os; os.system(\\"touch {marker}\\")\\n#'
    (tmp_path / "m.yaml").write_text(
        f'name: "m{payload}"\ninput_shape: [4, 3]\nlayers:\n'
        f'  - SimpleRNN: {{units: 2, name: "r{payload}"}}\n'
        f'  - Dense: {{units: 1, name: "d\\"\\"\\"; import os; os.system(\'touch {marker}\') #"}}\n',
        encoding="utf-8",
    )
    out = tmp_path / "forward.py"
    result = cli("numpy", str(tmp_path / "m.yaml"), "-o", str(out))
    assert result.code == 0, result.stderr
    import runpy

    namespace = runpy.run_path(str(out))
    assert "forward" in namespace
    assert not marker.exists()
